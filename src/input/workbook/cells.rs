//! What spreadsheets really hold, read as scenario values: dates as date cells
//! or text in the officer's locale, levels as numbers or `B2`, lists as
//! comma-separated text, numbers typed as text, empty cells for absent values.
//!
//! A cell that cannot mean what its column holds is a [`CellProblem`] with the
//! same code the JSON validation uses for the same mistake (`bad_date`,
//! `wrong_type`, …) and a hint in the officer's terms.

use chrono::NaiveDate;
use serde_json::Value;

use super::layout::{Column, Kind};

/// One cell, whatever the file format.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    Date(NaiveDate),
    /// A formula error such as `#DIV/0!`.
    Error(String),
}

/// Why a cell cannot be read.
#[derive(Debug, Clone, PartialEq)]
pub struct CellProblem {
    pub code: &'static str,
    pub message: String,
    pub hint: String,
}

fn problem(code: &'static str, message: String, hint: impl Into<String>) -> CellProblem {
    CellProblem {
        code,
        message,
        hint: hint.into(),
    }
}

impl Cell {
    /// The cell as the officer sees it, for messages.
    pub fn shown(&self) -> String {
        match self {
            Cell::Empty => "(empty)".into(),
            Cell::Text(s) => format!("\"{s}\""),
            Cell::Number(x) => number_text(*x),
            Cell::Bool(b) => b.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Error(e) => e.clone(),
        }
    }

    /// Whether the cell holds nothing (blank, or only spaces).
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// Text as typed; a number typed into a text column is its digits.
    pub fn text(&self) -> Option<String> {
        match self {
            Cell::Text(s) => Some(s.trim().to_string()),
            Cell::Number(x) => Some(number_text(*x)),
            Cell::Bool(b) => Some(b.to_string()),
            Cell::Date(d) => Some(d.to_string()),
            Cell::Empty | Cell::Error(_) => None,
        }
    }
}

/// A CSV field as the typed cell a spreadsheet would have held: a plain
/// number or `true`/`false`. Only group attributes read it this way; ids and
/// other text keep their digits (`"007"`).
pub fn untyped(cell: &Cell) -> Cell {
    match cell {
        Cell::Text(s) => match s.trim() {
            "true" => Cell::Bool(true),
            "false" => Cell::Bool(false),
            t => t
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && number_text(*x) == t)
                .map_or_else(|| cell.clone(), Cell::Number),
        },
        _ => cell.clone(),
    }
}

/// `3` for 3.0, `2.5` for 2.5: what a spreadsheet shows for a number.
pub fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// A JSON number that is an integer when the value is whole, so that a
/// workbook's `3` reads as the JSON `3`, not `3.0`.
pub fn json_number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Value::from(x as i64)
    } else {
        serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}

/// The scenario value of `cell` in `column`; `Ok(None)` when it is blank.
pub fn read(cell: &Cell, column: &Column, kind: Kind) -> Result<Option<Value>, CellProblem> {
    if cell.is_blank() {
        return Ok(None);
    }
    if let Cell::Error(e) = cell {
        return Err(problem(
            "cell_error",
            format!("the cell shows the error {e}"),
            "fix the formula or type the value itself",
        ));
    }
    let text = cell.text().unwrap_or_default();
    let value = match kind {
        Kind::Text => Value::String(text),
        Kind::Integer => integer(cell, &text)?,
        Kind::Number => Value::from_number(number(cell, &text)?),
        Kind::Date => Value::String(date(cell, &text)?.to_string()),
        Kind::List => Value::Array(list(&text).into_iter().map(Value::String).collect()),
        Kind::Level => level(cell, &text)?,
        Kind::Flag => Value::Bool(flag(cell, &text)?),
        Kind::Share => Value::from_number(share(cell, &text)?),
        Kind::Value => match cell {
            Cell::Number(x) => json_number(*x),
            Cell::Bool(b) => Value::Bool(*b),
            _ => Value::String(text),
        },
        Kind::Distribution => distribution(&text)?,
        Kind::Model => model(&text)?,
        Kind::Choice => match column.choice(&text) {
            Some(c) => Value::String(c.to_string()),
            None => {
                return Err(problem(
                    "wrong_type",
                    format!("{} is not one of the allowed values", cell.shown()),
                    format!("choose one of: {}", column.choices.join(", ")),
                ))
            }
        },
    };
    Ok(Some(value))
}

trait FromNumber {
    fn from_number(x: f64) -> Value;
}
impl FromNumber for Value {
    fn from_number(x: f64) -> Value {
        json_number(x)
    }
}

fn number(cell: &Cell, text: &str) -> Result<f64, CellProblem> {
    if let Cell::Number(x) = cell {
        return Ok(*x);
    }
    parse_number(text).ok_or_else(|| {
        problem(
            "wrong_type",
            format!("{} is not a number", cell.shown()),
            "type a number such as 2 or 31500.50 (a comma as decimal mark is fine too)",
        )
    })
}

/// A number typed as text: `31500`, `31500.5`, `31 500,5`, `31.500,5`.
pub fn parse_number(text: &str) -> Option<f64> {
    let t: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    let t = match (t.rfind(','), t.rfind('.')) {
        // 31.500,5: dots group thousands, the comma is the decimal mark.
        (Some(c), Some(d)) if c > d => t.replace('.', "").replace(',', "."),
        // 31,500.5: commas group thousands.
        (Some(_), Some(_)) => t.replace(',', ""),
        (Some(_), None) => t.replace(',', "."),
        _ => t,
    };
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

fn integer(cell: &Cell, text: &str) -> Result<Value, CellProblem> {
    let x = number(cell, text).map_err(|mut p| {
        p.hint = "type a whole number such as 3".into();
        p
    })?;
    if x.fract() != 0.0 {
        return Err(problem(
            "wrong_type",
            format!("{} is not a whole number", cell.shown()),
            "type a whole number such as 3",
        ));
    }
    Ok(json_number(x))
}

fn date(cell: &Cell, text: &str) -> Result<NaiveDate, CellProblem> {
    match cell {
        Cell::Date(d) => Ok(*d),
        Cell::Number(_) => Err(problem(
            "bad_date",
            format!("{} is a number, not a date", cell.shown()),
            "format the cell as a date, or type the date as 2020-01-31 or 31/01/2020",
        )),
        _ => parse_date(text).ok_or_else(|| {
            problem(
                "bad_date",
                format!("{} is not a date", cell.shown()),
                "type a real calendar day as 2020-01-31 or 31/01/2020 (day first)",
            )
        }),
    }
}

/// A date typed as text: ISO `2020-01-31` or day first `31/01/2020`,
/// `31-01-2020`, `31.01.2020`, as Belgian and Moroccan officers write them.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let t = t.split(['T', ' ']).next().unwrap_or(t);
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Some(d);
    }
    for fmt in ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(t, fmt) {
            // A two-digit year reads as year 20 AD; nobody means that.
            if d.format("%Y").to_string().len() == 4 && t.rsplit(['/', '-', '.']).next()?.len() == 4
            {
                return Some(d);
            }
        }
    }
    None
}

/// `a, b; c` → `[a, b, c]`.
pub fn list(text: &str) -> Vec<String> {
    text.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn level(cell: &Cell, text: &str) -> Result<Value, CellProblem> {
    if let Cell::Number(x) = cell {
        return Ok(json_number(*x));
    }
    match parse_number(text) {
        Some(x) => Ok(json_number(x)),
        // A label (`B2`); the validation checks it against the skill's scale.
        None => Ok(Value::String(text.to_string())),
    }
}

fn flag(cell: &Cell, text: &str) -> Result<bool, CellProblem> {
    if let Cell::Bool(b) = cell {
        return Ok(*b);
    }
    match text.to_lowercase().as_str() {
        "yes" | "true" | "1" | "ja" | "waar" | "oui" | "vrai" | "x" => Ok(true),
        "no" | "false" | "0" | "nee" | "onwaar" | "non" | "faux" => Ok(false),
        _ => Err(problem(
            "wrong_type",
            format!("{} is not yes or no", cell.shown()),
            "type yes or no (ja/nee, oui/non)",
        )),
    }
}

fn share(cell: &Cell, text: &str) -> Result<f64, CellProblem> {
    let (x, percent) = match cell {
        Cell::Number(x) => (Some(*x), false),
        _ => match text.strip_suffix('%') {
            Some(p) => (parse_number(p).map(|x| x / 100.0), true),
            None => (parse_number(text), false),
        },
    };
    let Some(x) = x else {
        return Err(problem(
            "wrong_type",
            format!("{} is not a share", cell.shown()),
            "type a share as 18% or 0.18",
        ));
    };
    if !percent && x > 1.0 && x <= 100.0 {
        return Err(problem(
            "out_of_range",
            format!("{} is more than 100%", cell.shown()),
            format!("a share is at most 1; for {x}% type {x}% or {}", x / 100.0),
        ));
    }
    Ok(x)
}

fn distribution(text: &str) -> Result<Value, CellProblem> {
    let bad = || {
        problem(
            "bad_distribution",
            format!("\"{text}\" is not a lead-time distribution"),
            "type triangular: MIN, MODE, MAX or empirical: DAYS, DAYS, … (days)",
        )
    };
    let (kind, rest) = text.split_once(':').ok_or_else(bad)?;
    let numbers: Option<Vec<f64>> = rest
        .split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<f64>().ok().filter(|x| x.is_finite()))
        .collect();
    let numbers = numbers.ok_or_else(bad)?;
    match kind.trim().to_lowercase().as_str() {
        "triangular" | "driehoekig" | "triangulaire" => match numbers[..] {
            [min, mode, max] => Ok(serde_json::json!({"triangular": {
                "min": json_number(min), "mode": json_number(mode), "max": json_number(max)
            }})),
            _ => Err(bad()),
        },
        "empirical" | "empirisch" | "empirique" => Ok(serde_json::json!({
            "empirical": numbers.into_iter().map(json_number).collect::<Vec<_>>()
        })),
        _ => Err(bad()),
    }
}

/// The text a distribution is written as; [`read`] reads it back.
pub fn distribution_text(v: &Value) -> Option<String> {
    let join = |xs: &[Value]| {
        xs.iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(t) = v.get("triangular") {
        let parts = ["min", "mode", "max"].map(|k| t.get(k).cloned().unwrap_or(Value::Null));
        return Some(format!("triangular: {}", join(&parts)));
    }
    v.get("empirical")
        .and_then(Value::as_array)
        .map(|xs| format!("empirical: {}", join(xs)))
}

fn model(text: &str) -> Result<Value, CellProblem> {
    if text.starts_with('{') {
        return serde_json::from_str(text).map_err(|e| {
            problem(
                "bad_model",
                format!("the inline model is not valid JSON: {e}"),
                "name a bundled model such as junior-java-developer, or paste the model's JSON",
            )
        });
    }
    Ok(Value::String(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::workbook::layout::{Column, Kind};

    fn any(kind: Kind) -> Column {
        Column {
            key: "x",
            field: "x",
            kind,
            required: false,
            choices: &[],
        }
    }

    fn read_text(kind: Kind, text: &str) -> Result<Option<Value>, CellProblem> {
        read(&Cell::Text(text.into()), &any(kind), kind)
    }

    #[test]
    fn dates_in_the_officers_locale() {
        for t in [
            "2020-01-31",
            "31/01/2020",
            "31-01-2020",
            "31.01.2020",
            " 2020-01-31T00:00:00 ",
        ] {
            assert_eq!(
                read_text(Kind::Date, t).unwrap(),
                Some(Value::from("2020-01-31")),
                "{t}"
            );
        }
        for t in [
            "31/02/1995",
            "01/31/2020",
            "2020-13-01",
            "31/01/20",
            "tomorrow",
        ] {
            assert_eq!(
                read_text(Kind::Date, t).unwrap_err().code,
                "bad_date",
                "{t}"
            );
        }
        let serial = read(&Cell::Number(43861.0), &any(Kind::Date), Kind::Date);
        assert_eq!(serial.unwrap_err().code, "bad_date");
    }

    #[test]
    fn numbers_as_typed_in_three_locales() {
        assert_eq!(parse_number("31500"), Some(31500.0));
        assert_eq!(parse_number("31 500,5"), Some(31500.5));
        assert_eq!(parse_number("31.500,5"), Some(31500.5));
        assert_eq!(parse_number("31,500.5"), Some(31500.5));
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(
            read_text(Kind::Integer, "2.5").unwrap_err().code,
            "wrong_type"
        );
        assert_eq!(read_text(Kind::Integer, "3").unwrap(), Some(Value::from(3)));
    }

    #[test]
    fn levels_shares_lists_and_flags() {
        assert_eq!(
            read_text(Kind::Level, "B2").unwrap(),
            Some(Value::from("B2"))
        );
        assert_eq!(read_text(Kind::Level, "3").unwrap(), Some(Value::from(3)));
        assert_eq!(
            read_text(Kind::Share, "18%").unwrap(),
            Some(Value::from(0.18))
        );
        assert_eq!(
            read_text(Kind::Share, "18").unwrap_err().code,
            "out_of_range"
        );
        assert_eq!(
            read_text(Kind::List, "BE, MA;").unwrap(),
            Some(serde_json::json!(["BE", "MA"]))
        );
        assert_eq!(
            read_text(Kind::Flag, "ja").unwrap(),
            Some(Value::Bool(true))
        );
        assert_eq!(read_text(Kind::Text, "   ").unwrap(), None);
    }

    #[test]
    fn distributions_round_trip_through_their_text() {
        let v = read_text(Kind::Distribution, "triangular: 60, 90, 150")
            .unwrap()
            .unwrap();
        assert_eq!(distribution_text(&v).unwrap(), "triangular: 60, 90, 150");
        let v = read_text(Kind::Distribution, "empirical: 80, 95.5")
            .unwrap()
            .unwrap();
        assert_eq!(distribution_text(&v).unwrap(), "empirical: 80, 95.5");
        assert_eq!(
            read_text(Kind::Distribution, "normal: 1").unwrap_err().code,
            "bad_distribution"
        );
    }
}
