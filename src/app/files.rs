//! Files for people and for tools, chosen by the name the user gives:
//! `result.json` gets the match set, `result.xlsx` the workbook,
//! `report.html` the report; a scenario converts between JSON, a workbook and
//! a folder of CSV files. The CLI and any other front end call these.

use std::path::Path;

use crate::documents::comparison::Comparison;
use crate::documents::match_set::MatchSet;
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
    /// A folder of CSV files (a path without extension, or ending in `/`).
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
            "" => Output::CsvFolder,
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
    let file = path.display().to_string();
    match Output::of(path) {
        Output::Json => write(path, crate::app::service::to_json(m).as_bytes()),
        Output::Workbook => write(path, &book::result_workbook(p, m, lang).map_err(|e| write_error(&file, e))?),
        Output::Html => write(path, crate::render::html::report(p, m, lang).as_bytes()),
        Output::Markdown | Output::Text => write(path, text().as_bytes()),
        Output::CsvFolder => Err(PalimError::Usage(format!(
            "{file}: give the result file an extension: .json (for tools), .xlsx (for people) or .html (a report)"
        ))),
    }
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
    match Output::of(path) {
        Output::Json => {
            let text = serde_json::to_string_pretty(s).unwrap_or_default() + "\n";
            write(path, text.as_bytes())
        }
        Output::Workbook => write(path, &book::scenario_workbook(s, model, lang).map_err(|e| write_error(&file, e))?),
        Output::CsvFolder => {
            let bytes = book::scenario_workbook(s, model, lang).map_err(|e| write_error(&file, e))?;
            csv_folder(path, bytes)
        }
        _ => Err(PalimError::Usage(format!(
            "{file}: a scenario is written as .json, .xlsx or a folder of CSV files (a path without extension); for .ods, open the .xlsx in LibreOffice and save it as .ods"
        ))),
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
