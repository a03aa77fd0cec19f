//! Files for people and for tools, chosen by the name the user gives:
//! `result.json` gets the match set, `result.xlsx` the workbook,
//! `report.html` the report (and so for shortlists and comparisons); a
//! scenario converts between JSON, a workbook and a folder of CSV files. The
//! CLI and any other front end call these.

use std::path::Path;

use crate::documents::comparison::Comparison;
use crate::documents::match_set::MatchSet;
use crate::documents::shortlist::ShortlistSet;
use crate::error::InvalidInput;
use crate::input::validate::{self, LoadOptions};
use crate::input::workbook::{self, cells, read::Form};
use crate::lang::Lang;
use crate::model::competency::CompetencyModel;
use crate::model::problem::Problem;
use crate::model::scenario::{ModelRef, Scenario};
use crate::render::workbook::{self as book, write_error};
use crate::PalimError;

/// What an output file holds, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Json,
    Workbook,
    Html,
    Markdown,
    /// A folder of CSV files (a folder, or a path ending in `/`; for a
    /// scenario, any path without an extension).
    CsvFolder,
    /// The terminal table, or the format asked for.
    Text,
}

impl Output {
    pub fn of(path: &Path) -> Output {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "json" => Output::Json,
            "xlsx" => Output::Workbook,
            "html" | "htm" => Output::Html,
            "md" => Output::Markdown,
            "" if path.is_dir() || path.to_string_lossy().ends_with('/') => Output::CsvFolder,
            // `--out /dev/stdout`, `--out result`: the format asked for.
            _ => Output::Text,
        }
    }

    /// Whether the file is written for people (and so wants the
    /// explanations' nearest changes).
    pub fn for_people(self) -> bool {
        matches!(self, Output::Workbook | Output::Html)
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), PalimError> {
    std::fs::write(path, bytes).map_err(|source| PalimError::Write {
        path: path.display().to_string(),
        source,
    })
}

/// Write a match set to `path` in the form its name asks for; `text` is
/// what a `.txt` (or unknown) file gets.
pub fn write_result(
    path: &Path,
    p: &Problem,
    m: &MatchSet,
    lang: Lang,
    text: impl FnOnce() -> String,
) -> Result<(), PalimError> {
    write_by_name(
        path,
        "result",
        || crate::app::service::to_json(m),
        |form, file| for_people(p, m, lang, form, file),
        text,
    )
}

/// A document written as its file's name asks: `.json` for tools, `.xlsx`
/// or `.html` for people (`people`), anything else as `text`; `what` names
/// the document when a folder is given.
fn write_by_name(
    path: &Path,
    what: &str,
    json: impl FnOnce() -> String,
    people: impl FnOnce(Output, &str) -> Result<Vec<u8>, PalimError>,
    text: impl FnOnce() -> String,
) -> Result<(), PalimError> {
    let file = path.display().to_string();
    match Output::of(path) {
        Output::Json => write(path, json().as_bytes()),
        form @ (Output::Workbook | Output::Html) => write(path, &people(form, &file)?),
        Output::Markdown | Output::Text => write(path, text().as_bytes()),
        Output::CsvFolder => Err(PalimError::Usage(format!(
            "{file}: give the {what} file an extension: .json (for tools), .xlsx (for people) or .html (a report)"
        ))),
    }
}

/// A match set as a file for people: the results workbook or the HTML
/// report (`form`), in `lang`; `file` names it in an error.
pub fn for_people(
    p: &Problem,
    m: &MatchSet,
    lang: Lang,
    form: Output,
    file: &str,
) -> Result<Vec<u8>, PalimError> {
    match form {
        Output::Workbook => book::result_workbook(p, m, lang).map_err(|e| write_error(file, e)),
        _ => Ok(crate::render::html::report(p, m, lang).into_bytes()),
    }
}

/// One employer's sheet of the results workbook, alone: what an officer
/// forwards to that employer.
pub fn for_employer(
    p: &Problem,
    m: &MatchSet,
    employer: &str,
    lang: Lang,
    file: &str,
) -> Result<Vec<u8>, PalimError> {
    book::employer_workbook(p, m, employer, lang)
        .map_err(|e| write_error(file, e))?
        .ok_or_else(|| {
            let employer: String = employer.chars().take(100).collect();
            PalimError::Usage(format!(
                "no vacancy of the scenario is offered by \"{employer}\"; give an employer exactly as the vacancies name it"
            ))
        })
}

/// Interview shortlists as a file for people: the workbook or the report
/// (`form`), in `lang`; `file` names it in an error.
pub fn shortlist_for_people(
    p: &Problem,
    s: &ShortlistSet,
    lang: Lang,
    form: Output,
    file: &str,
) -> Result<Vec<u8>, PalimError> {
    match form {
        Output::Workbook => book::shortlist_workbook(p, s, lang).map_err(|e| write_error(file, e)),
        _ => Ok(crate::render::html::shortlist_report(p, s, lang).into_bytes()),
    }
}

/// Write interview shortlists to `path` in the form its name asks for;
/// `text` is what any other file gets.
pub fn write_shortlist(
    path: &Path,
    p: &Problem,
    s: &ShortlistSet,
    lang: Lang,
    text: impl FnOnce() -> String,
) -> Result<(), PalimError> {
    write_by_name(
        path,
        "shortlists",
        || crate::app::service::to_json(s),
        |form, file| shortlist_for_people(p, s, lang, form, file),
        text,
    )
}

/// Write a comparison to `path` in the form its name asks for.
pub fn write_comparison(
    path: &Path,
    c: &Comparison,
    lang: Lang,
    text: impl FnOnce() -> String,
) -> Result<(), PalimError> {
    let file = path.display().to_string();
    match Output::of(path) {
        Output::Json => write(path, crate::app::service::to_json(c).as_bytes()),
        Output::Workbook => write(
            path,
            &book::comparison_workbook(c, lang).map_err(|e| write_error(&file, e))?,
        ),
        Output::Html => write(
            path,
            crate::render::html::comparison_report(c, lang).as_bytes(),
        ),
        Output::Markdown => write(path, crate::render::comparison::markdown(c).as_bytes()),
        Output::Text => write(path, text().as_bytes()),
        Output::CsvFolder => Err(PalimError::Usage(format!(
            "{file}: give the comparison file an extension: .json, .xlsx, .html or .md"
        ))),
    }
}

/// A scenario file in any form, validated, as the contract's document.
pub fn read_scenario(path: &Path, opts: &LoadOptions) -> Result<Scenario, PalimError> {
    let file = path.display().to_string();
    let form = workbook::form_of(path)?;
    let text = if form.is_workbook() {
        workbook::scenario(path, form, opts)?.0
    } else {
        let text = crate::input::variant::resolve_file(path)?.text;
        validate::load_str(&text, &file, opts)?;
        text
    };
    serde_json::from_str(&text).map_err(|e| {
        let issue = crate::error::InputIssue::new(
            "wrong_type",
            &crate::locate::JsonPath::root(),
            e.to_string(),
        );
        InvalidInput::new(&file, &text, vec![issue]).into()
    })
}

/// The competency model a scenario names (for a workbook's skill columns).
pub fn model_of(s: &Scenario, opts: &LoadOptions) -> Option<CompetencyModel> {
    match &s.model {
        ModelRef::Inline(m) => Some((**m).clone()),
        ModelRef::Named(name) => named_model(name, opts.models_dir),
    }
}

/// A bundled model (or one in `dir`) by name.
pub fn named_model(name: &str, dir: Option<&Path>) -> Option<CompetencyModel> {
    let (_, text) = crate::model::competency::model_source(name, dir)?;
    serde_json::from_str(&text).ok()
}

/// An empty scenario for `palim template`: the model's skills as columns,
/// the default objective, no rows.
pub fn empty_scenario(model: &str) -> Scenario {
    serde_json::from_value(serde_json::json!({
        "format": crate::model::scenario::SCENARIO_FORMAT,
        "model": model,
        "destinations": {},
        "trainees": [],
        "vacancies": []
    }))
    .unwrap_or_else(|_| unreachable!("the empty scenario is a scenario"))
}

/// Write a scenario as JSON, a workbook or a folder of CSV files.
pub fn write_scenario(
    path: &Path,
    s: &Scenario,
    model: Option<&CompetencyModel>,
    lang: Lang,
) -> Result<(), PalimError> {
    let file = path.display().to_string();
    let form = match Output::of(path) {
        Output::Text if path.extension().is_none() => Output::CsvFolder,
        form => form,
    };
    match form {
        Output::Json => {
            let text = serde_json::to_string_pretty(s).unwrap_or_default() + "\n";
            write(path, text.as_bytes())
        }
        Output::Workbook => {
            write(path, &book::scenario_workbook(s, model, lang).map_err(|e| write_error(&file, e))?)?;
            reads_back(path, Form::Xlsx, s)
        }
        Output::CsvFolder => {
            let bytes = book::scenario_workbook(s, model, lang).map_err(|e| write_error(&file, e))?;
            csv_folder(path, bytes)?;
            reads_back(path, Form::CsvFolder, s)
        }
        _ => Err(PalimError::Usage(format!(
            "{file}: a scenario is written as .json, .xlsx or a folder of CSV files (a path without extension); for .ods, open the .xlsx in LibreOffice and save it as .ods"
        ))),
    }
}

/// Nothing is lost or silently changed: what was written is read back and
/// must be the same scenario. A cell cannot hold everything JSON can (an id
/// with a comma inside a list of ids, text with spaces at either end); such a
/// scenario is refused, with the first place it would change, and the file
/// removed.
fn reads_back(path: &Path, form: Form, s: &Scenario) -> Result<(), PalimError> {
    let assembled = workbook::read::assemble(&workbook::tables(path, form)?);
    let back = serde_json::from_value::<Scenario>(assembled.scenario.clone()).ok();
    let (want, got) = (
        serde_json::to_value(s).unwrap_or_default(),
        back.map(|b| serde_json::to_value(b).unwrap_or_default()),
    );
    if got.as_ref() == Some(&want) && assembled.issues.is_empty() {
        return Ok(());
    }
    let place = got
        .as_ref()
        .and_then(|g| first_difference(&want, g, String::new()))
        .unwrap_or_default();
    if form == Form::CsvFolder {
        let _ = std::fs::remove_dir_all(path);
    } else {
        let _ = std::fs::remove_file(path);
    }
    Err(PalimError::Usage(format!(
        "{}: the scenario cannot be kept in a spreadsheet unchanged (at {}); ids with a comma or a semicolon, which separate the items of a list cell, and text with spaces at either end cannot — rename them in the JSON, or keep this scenario as JSON",
        path.display(),
        if place.is_empty() { "the whole scenario".to_string() } else { place }
    )))
}

/// The JSON pointer of the first place two documents differ.
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, at: String) -> Option<String> {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x
            .iter()
            .find_map(|(k, v)| match y.get(k) {
                Some(w) => first_difference(v, w, format!("{at}/{k}")),
                None => Some(format!("{at}/{k}")),
            })
            .or_else(|| {
                y.keys()
                    .find(|k| !x.contains_key(*k))
                    .map(|k| format!("{at}/{k}"))
            }),
        (Value::Array(x), Value::Array(y)) => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (v, w))| first_difference(v, w, format!("{at}/{i}")))
            .or_else(|| (x.len() != y.len()).then_some(at)),
        _ => (a != b).then_some(at),
    }
}

/// The workbook's sheets as one CSV file each (`trainees.csv`, …), read back
/// from the workbook itself so that both forms hold the same cells.
fn csv_folder(dir: &Path, xlsx: Vec<u8>) -> Result<(), PalimError> {
    let file = dir.display().to_string();
    let tables = workbook::read::tables_of_bytes(xlsx, Form::Xlsx, &file)?;
    std::fs::create_dir_all(dir).map_err(|source| PalimError::Write {
        path: file.clone(),
        source,
    })?;
    for table in tables {
        if workbook::layout::Sheet::is_about(&table.name) {
            continue;
        }
        let key = workbook::layout::Sheet::named(&table.name)
            .map_or(table.name.clone(), |s| s.key.to_string());
        let mut w = csv::Writer::from_writer(Vec::new());
        for row in &table.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    cells::Cell::Empty | cells::Cell::Error(_) => String::new(),
                    cells::Cell::Bool(b) => b.to_string(),
                    other => other.text().unwrap_or_default(),
                })
                .collect();
            w.write_record(&cells).map_err(|e| PalimError::Write {
                path: file.clone(),
                source: std::io::Error::other(e),
            })?;
        }
        let bytes = w.into_inner().map_err(|e| PalimError::Write {
            path: file.clone(),
            source: std::io::Error::other(e.to_string()),
        })?;
        write(&dir.join(format!("{key}.csv")), &bytes)?;
    }
    Ok(())
}

/// Where the start of the what-ifs of the match set in `result` is kept
/// ([`read_start`]): beside it, `RESULT.start`.
pub fn start_beside(result: &Path) -> std::path::PathBuf {
    with_suffix(result, ".start")
}

/// `path` with `suffix` after its whole name (`R.json` → `R.json.start`).
fn with_suffix(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// The kept start's file: the scenario it belongs to, by its digest.
#[derive(serde::Serialize, serde::Deserialize)]
struct StartFile {
    format: String,
    input_sha256: String,
    start: crate::solve::optimize::KeptStart,
}

const START_FORMAT: &str = "palim-start/1";

/// The start kept at `path` for the scenario whose digest is
/// `input_sha256`: `Ok(None)` when there is none yet, `Err` saying why a
/// file there is not one (another scenario's, or not a start at all).
/// Only a start: a wrong one costs time, never an answer.
pub fn read_start(
    path: &Path,
    input_sha256: &str,
) -> Result<Option<crate::solve::optimize::KeptStart>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot be read ({e})")),
    };
    let file: StartFile = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}:{}: not a {START_FORMAT} file: {e}",
            e.line(),
            e.column()
        )
    })?;
    if file.format != START_FORMAT {
        return Err(format!("format {:?}, not {START_FORMAT}", file.format));
    }
    if file.input_sha256 != input_sha256 {
        return Err("kept for another scenario (or another version of this one)".into());
    }
    Ok(Some(file.start))
}

/// Keep `start` at `path` for the scenario whose digest is `input_sha256`,
/// whole or not at all: written beside it, then renamed over it.
pub fn write_start(
    path: &Path,
    input_sha256: &str,
    start: crate::solve::optimize::KeptStart,
) -> Result<(), PalimError> {
    let file = StartFile {
        format: START_FORMAT.into(),
        input_sha256: input_sha256.into(),
        start,
    };
    let part = with_suffix(path, ".part");
    let bytes = serde_json::to_vec(&file).map_err(|e| PalimError::Usage(e.to_string()))?;
    write(&part, &bytes)?;
    std::fs::rename(&part, path).map_err(|source| PalimError::Write {
        path: path.display().to_string(),
        source,
    })
}

/// What a solve written to `result` leaves beside it for the questions
/// that follow ([`start_beside`]): its LP start, or, with none (another
/// engine solved it), no start at all, so that one kept for an earlier
/// result of that name is not read against this one.
pub fn keep_solve_start(
    result: &Path,
    input_sha256: &str,
    start: Option<crate::solve::optimize::KeptStart>,
) -> Result<(), PalimError> {
    let at = start_beside(result);
    match start {
        Some(start) => write_start(&at, input_sha256, start),
        None => match std::fs::remove_file(&at) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(PalimError::Write {
                path: at.display().to_string(),
                source: e,
            }),
            _ => Ok(()),
        },
    }
}
