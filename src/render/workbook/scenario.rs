//! A scenario as a workbook: `palim template` (empty, with the model's skill
//! columns), `--from` and `convert` (filled). Written from
//! [`crate::input::workbook::layout`], the description the reader reads by,
//! so that JSON → workbook → JSON gives back the same scenario.

use std::collections::{BTreeSet, HashSet};

use chrono::NaiveDate;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, ExcelDateTime, Formula, Workbook, Worksheet, XlsxError,
};
use serde_json::Value;

use super::{header_row, sheet_name, Styles};
use crate::input::workbook::cells::distribution_text;
use crate::input::workbook::layout::{Column, Family, Kind, Shape, Sheet, SHEETS};
use crate::lang::{arg, Lang};
use crate::model::competency::CompetencyModel;
use crate::model::scenario::Scenario;

/// Rows below the data that keep the template's dropdowns and checks, so an
/// officer can add trainees and vacancies without copying validation.
const ROOM: u32 = 1000;

/// The scenario as an `.xlsx` workbook in `lang`. `model` gives the skill
/// columns, their labels and scales; skills the scenario uses beyond it get
/// columns too.
pub fn scenario_workbook(
    s: &Scenario,
    model: Option<&CompetencyModel>,
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    let doc = serde_json::to_value(s).unwrap_or(Value::Null);
    let styles = Styles::new();
    let mut book = Workbook::new();
    let mut taken = HashSet::new();
    about(book.add_worksheet(), lang, &styles, &mut taken)?;
    for sheet in SHEETS {
        let ws = book.add_worksheet();
        ws.set_name(sheet_name(&sheet.name(lang), &mut taken))?;
        if sheet.shape == Shape::Settings {
            settings(ws, sheet, &doc, lang, &styles)?;
            continue;
        }
        let items = items(sheet, &doc);
        let families = family_columns(sheet, &items, model);
        let mut headers: Vec<(String, Option<String>, f64)> = sheet
            .columns
            .iter()
            .map(|c| {
                (
                    sheet.header(lang, c),
                    Some(sheet.note(lang, c)),
                    width(c.kind),
                )
            })
            .collect();
        for (family, name) in &families {
            let note = family_note(family, name, model, lang);
            headers.push((sheet.family_header(lang, family, name), Some(note), 12.0));
        }
        header_row(ws, &styles, &headers, items.len() as u32)?;
        if matches!(sheet.key, "trainees" | "vacancies") {
            ws.set_freeze_panes(1, 1)?;
        }
        for (r, (key, item)) in items.iter().enumerate() {
            let row = r as u32 + 1;
            for (c, column) in sheet.columns.iter().enumerate() {
                let v = if column.field.is_empty() {
                    key.clone().map(Value::String)
                } else {
                    get(item, column.field).cloned()
                };
                if let Some(v) = v {
                    write(ws, row, c as u16, &v, column.kind, column, lang, &styles)?;
                }
            }
            for (f, (family, name)) in families.iter().enumerate() {
                let c = (sheet.columns.len() + f) as u16;
                if let Some(v) = item.get(family.field).and_then(|m| m.get(name)) {
                    write(ws, row, c, v, family.kind, &sheet.columns[0], lang, &styles)?;
                }
            }
        }
        let last = items.len() as u32 + ROOM;
        validations(ws, sheet, &families, model, last, lang)?;
    }
    book.save_to_buffer()
}

/// The instructions sheet: what each sheet is for, in the officer's words.
fn about(
    ws: &mut Worksheet,
    lang: Lang,
    styles: &Styles,
    taken: &mut HashSet<String>,
) -> Result<(), XlsxError> {
    ws.set_name(sheet_name(&lang.text("sheet-about"), taken))?;
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 100)?;
    ws.write_string_with_format(0, 0, lang.text("about-title"), &styles.title)?;
    ws.merge_range(1, 0, 1, 1, &lang.text("about-intro"), &styles.wrap)?;
    ws.set_row_height(1, 60)?;
    for (i, sheet) in SHEETS.iter().enumerate() {
        let row = i as u32 + 3;
        ws.write_string_with_format(row, 0, sheet.name(lang), &styles.header)?;
        ws.write_string_with_format(
            row,
            1,
            lang.text(&format!("about-{}", sheet.key)),
            &styles.wrap,
        )?;
    }
    Ok(())
}

fn settings(
    ws: &mut Worksheet,
    sheet: &Sheet,
    doc: &Value,
    lang: Lang,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let headers = [
        (lang.text("col-settings-setting"), None, 28.0),
        (lang.text("col-settings-value"), None, 30.0),
        (lang.text("col-settings-note"), None, 90.0),
    ];
    header_row(ws, styles, &headers, sheet.columns.len() as u32)?;
    for (r, column) in sheet.columns.iter().enumerate() {
        let row = r as u32 + 1;
        ws.write_string(row, 0, sheet.header(lang, column))?;
        if let Some(v) = get(doc, column.field) {
            write(ws, row, 1, v, column.kind, column, lang, styles)?;
        }
        ws.write_string_with_format(row, 2, sheet.note(lang, column), &styles.wrap)?;
    }
    Ok(())
}

/// The rows of a sheet: each item, with the key that names it (a
/// destination's code, the destination of a floor, a lock or forbid).
fn items<'d>(sheet: &Sheet, doc: &'d Value) -> Vec<(Option<String>, &'d Value)> {
    let list = |field: &str| {
        doc.get(field)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
    };
    match sheet.shape {
        Shape::List(field) => list(field).map(|i| (None, i)).collect(),
        Shape::Map(field) => doc
            .get(field)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(k, v)| (Some(k.clone()), v))
            .collect(),
        Shape::PerDestination(field) => doc
            .get("destinations")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .flat_map(|(code, d)| {
                d.get(field)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(move |i| (Some(code.clone()), i))
            })
            .collect(),
        Shape::Decisions => list("locks")
            .map(|i| (Some("lock".to_string()), i))
            .chain(list("forbids").map(|i| (Some("forbid".to_string()), i)))
            .collect(),
        Shape::Settings => Vec::new(),
    }
}

/// The columns of a sheet's families: the model's skills in its order, then
/// any other name the items use.
fn family_columns(
    sheet: &Sheet,
    items: &[(Option<String>, &Value)],
    model: Option<&CompetencyModel>,
) -> Vec<(&'static Family, String)> {
    let mut out = Vec::new();
    for family in sheet.families {
        let mut names: Vec<String> = Vec::new();
        if family.kind == Kind::Level || family.field == "values" {
            names.extend(model.into_iter().flat_map(|m| m.skills.keys().cloned()));
        }
        let used: BTreeSet<String> = items
            .iter()
            .filter_map(|(_, i)| i.get(family.field).and_then(Value::as_object))
            .flat_map(|m| m.keys().cloned())
            .collect();
        for name in used {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        out.extend(names.into_iter().map(|n| (family, n)));
    }
    out
}

fn family_note(family: &Family, name: &str, model: Option<&CompetencyModel>, lang: Lang) -> String {
    let skill = model.and_then(|m| m.skills.get(name));
    let label = skill.map_or(name.to_string(), |s| s.label.clone());
    let scale = skill.map_or(String::new(), |s| {
        if s.scale.levels.is_empty() {
            format!("{}–{}", s.scale.min, s.scale.max)
        } else {
            s.scale.levels.join(", ")
        }
    });
    let key = match family.field {
        "skills" => "note-family-skills",
        "requires" => "note-family-requires",
        "values" => "note-family-values",
        _ => "note-family-attributes",
    };
    lang.text_with(
        key,
        &[arg("name", name), arg("label", label), arg("scale", scale)],
    )
}

fn width(kind: Kind) -> f64 {
    match kind {
        Kind::Date => 12.0,
        Kind::List => 24.0,
        Kind::Distribution | Kind::Model => 26.0,
        Kind::Text => 16.0,
        _ => 10.0,
    }
}

fn get<'v>(v: &'v Value, field: &str) -> Option<&'v Value> {
    field
        .split('.')
        .try_fold(v, |v, f| v.get(f))
        .filter(|v| !v.is_null())
}

/// One value in the cell type its column reads back.
#[allow(clippy::too_many_arguments)]
fn write(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: &Value,
    kind: Kind,
    column: &Column,
    lang: Lang,
    styles: &Styles,
) -> Result<(), XlsxError> {
    match (kind, v) {
        (Kind::Date, Value::String(s)) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => ws
                .write_datetime_with_format(row, col, d, &styles.date)
                .map(|_| ()),
            Err(_) => ws.write_string(row, col, s).map(|_| ()),
        },
        (Kind::Share, Value::Number(n)) => ws
            .write_number_with_format(row, col, n.as_f64().unwrap_or(0.0), &styles.percent)
            .map(|_| ()),
        (Kind::Distribution, v) => ws
            .write_string(row, col, distribution_text(v).unwrap_or_default())
            .map(|_| ()),
        (Kind::Choice, Value::String(s)) if column.choices.contains(&s.as_str()) => ws
            .write_string(row, col, lang.text(&format!("choice-{s}")))
            .map(|_| ()),
        (Kind::Text, Value::String(s)) => ws.write_string(row, col, s).map(|_| ()),
        (_, Value::String(s)) => ws.write_string(row, col, s).map(|_| ()),
        (_, Value::Number(n)) => ws
            .write_number(row, col, n.as_f64().unwrap_or(0.0))
            .map(|_| ()),
        (_, Value::Bool(b)) => ws.write_boolean(row, col, *b).map(|_| ()),
        (_, Value::Array(items)) => {
            let text: Vec<String> = items
                .iter()
                .map(|i| i.as_str().map_or_else(|| i.to_string(), String::from))
                .collect();
            ws.write_string(row, col, text.join(", ")).map(|_| ())
        }
        (_, Value::Object(_)) => ws.write_string(row, col, v.to_string()).map(|_| ()),
        (_, Value::Null) => Ok(()),
    }
}

/// Dropdowns and checks: destinations from the Destinations sheet, levels on
/// their scale (or CEFR labels), dates as dates, whole numbers, shares.
pub(super) fn validations(
    ws: &mut Worksheet,
    sheet: &Sheet,
    families: &[(&Family, String)],
    model: Option<&CompetencyModel>,
    last: u32,
    lang: Lang,
) -> Result<(), XlsxError> {
    let dest_sheet = SHEETS
        .iter()
        .find(|s| s.key == "destinations")
        .map(|s| s.name(lang))
        .unwrap_or_default();
    let dest_list = Formula::new(format!(
        "='{}'!$A$2:$A${}",
        dest_sheet.replace('\'', "''"),
        2 + ROOM
    ));
    for (c, column) in sheet.columns.iter().enumerate() {
        let c = c as u16;
        let dv = match column.kind {
            Kind::Date => Some(
                DataValidation::new().allow_date(DataValidationRule::Between(
                    ExcelDateTime::from_ymd(1900, 1, 1)?,
                    ExcelDateTime::from_ymd(2199, 12, 31)?,
                )),
            ),
            Kind::Integer => Some(
                DataValidation::new().allow_whole_number(DataValidationRule::Between(0, 1_000_000)),
            ),
            Kind::Share => Some(
                DataValidation::new().allow_decimal_number(DataValidationRule::Between(0.0, 1.0)),
            ),
            Kind::Choice => Some(choices(column, lang)?),
            Kind::Text if column.key == "destination" => {
                Some(DataValidation::new().allow_list_formula(dest_list.clone()))
            }
            _ => None,
        };
        if let Some(dv) = dv {
            let dv = with_error(dv, sheet.header(lang, column), lang)?;
            ws.add_data_validation(1, c, last, c, &dv)?;
        }
    }
    for (f, (family, name)) in families.iter().enumerate() {
        let c = (sheet.columns.len() + f) as u16;
        let scale = model.and_then(|m| m.skills.get(name)).map(|s| &s.scale);
        let dv = match (family.kind, scale) {
            (Kind::Level, Some(s)) if s.is_cefr() => {
                DataValidation::new().allow_list_strings(&["A1", "A2", "B1", "B2", "C1", "C2"])?
            }
            (Kind::Level, Some(s)) => DataValidation::new()
                .allow_decimal_number(DataValidationRule::Between(s.min, s.max)),
            _ => continue,
        };
        let dv = with_error(dv, sheet.family_header(lang, family, name), lang)?;
        ws.add_data_validation(1, c, last, c, &dv)?;
    }
    Ok(())
}

/// A dropdown of a choice column's words in `lang`.
pub(super) fn choices(column: &Column, lang: Lang) -> Result<DataValidation, XlsxError> {
    let words: Vec<String> = column
        .choices
        .iter()
        .map(|c| lang.text(&format!("choice-{c}")))
        .collect();
    DataValidation::new().allow_list_strings(&words)
}

/// A check's message when a typed value breaks it, naming its column.
pub(super) fn with_error(
    dv: DataValidation,
    header: String,
    lang: Lang,
) -> Result<DataValidation, XlsxError> {
    let msg = lang.text_with("validation-error", &[arg("column", header)]);
    dv.set_error_title(lang.text("validation-error-title"))?
        .set_error_message(msg)
}
