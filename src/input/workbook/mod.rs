//! Scenarios kept in spreadsheets: an `.xlsx` or `.ods` workbook, or a folder
//! of CSV files, one per sheet.
//!
//! The sheets are described once in [`layout`]; [`read`] turns them into the
//! JSON scenario and runs the JSON validation on it, so a workbook and a JSON
//! file are checked by the same rules and reported with the same codes, only
//! placed on cells (`Trainees!F12 (birth date)`) instead of lines.

pub mod cells;
pub mod layout;
pub mod read;

use std::path::Path;

use crate::error::{InputIssue, InvalidInput};
use crate::input::validate::{self, LoadOptions};
use crate::model::problem::Problem;
use crate::PalimError;
use read::{Assembled, Form, Table};

/// What form the file at `path` is in, by its content.
pub fn form_of(path: &Path) -> Result<Form, PalimError> {
    if path.is_dir() {
        return Ok(Form::CsvFolder);
    }
    use std::io::Read;
    let mut head = vec![0u8; 256];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map_err(|source| PalimError::Read {
            path: path.display().to_string(),
            source,
        })?;
    head.truncate(n);
    Ok(Form::of(path, &head))
}

/// The sheets of a workbook or CSV folder.
pub fn tables(path: &Path, form: Form) -> Result<Vec<Table>, PalimError> {
    let file = path.display().to_string();
    match form {
        Form::CsvFolder => read::tables_of_folder(path),
        _ => {
            let bytes = std::fs::read(path).map_err(|source| PalimError::Read {
                path: file.clone(),
                source,
            })?;
            read::tables_of_bytes(bytes, form, &file)
        }
    }
}

/// The scenario a workbook makes, as JSON text, with every problem of its
/// cells and of the scenario placed on its cell.
pub fn scenario(
    path: &Path,
    form: Form,
    opts: &LoadOptions,
) -> Result<(String, Problem), PalimError> {
    let file = path.display().to_string();
    scenario_of(&tables(path, form)?, &file, opts)
}

/// The scenario some sheets make (`file` names them in messages).
pub fn scenario_of(
    tables: &[Table],
    file: &str,
    opts: &LoadOptions,
) -> Result<(String, Problem), PalimError> {
    let mut assembled = read::assemble(tables);
    if let Some((name, model)) = model_of(&assembled.scenario, opts) {
        let skills: Vec<&str> = model.skills.keys().map(String::as_str).collect();
        assembled.check_skills(&name, &skills);
    }
    let text = serde_json::to_string_pretty(&assembled.scenario).unwrap_or_default();
    let found = validate::load_value(&assembled.scenario, &text, file, opts);
    match found {
        Ok(problem) if assembled.issues.is_empty() => Ok((text, problem)),
        Ok(_) => Err(invalid(file, &assembled, Vec::new())),
        Err(inv) => Err(invalid(file, &assembled, inv.issues)),
    }
}

fn invalid(file: &str, assembled: &Assembled, json: Vec<InputIssue>) -> PalimError {
    let mut issues = assembled.issues.clone();
    issues.extend(json.into_iter().filter_map(|i| assembled.place(i)));
    assembled.sort(&mut issues);
    InvalidInput::new(file, "", issues).into()
}

/// The competency model a workbook's settings name (or hold inline), when
/// it can be read; the JSON validation reports it otherwise.
fn model_of(
    scenario: &serde_json::Value,
    opts: &LoadOptions,
) -> Option<(String, crate::model::competency::CompetencyModel)> {
    match scenario.get("model")? {
        serde_json::Value::String(name) => {
            let (_, text) = crate::model::competency::model_source(name, opts.models_dir)?;
            Some((name.clone(), serde_json::from_str(&text).ok()?))
        }
        inline => {
            let model: crate::model::competency::CompetencyModel =
                serde_json::from_value(inline.clone()).ok()?;
            Some((model.id.clone(), model))
        }
    }
}

/// Read a scenario in any form: JSON text, a workbook or a CSV folder.
pub fn load(path: &Path, opts: &LoadOptions) -> Result<Option<Problem>, PalimError> {
    let form = form_of(path)?;
    if !form.is_workbook() {
        return Ok(None);
    }
    scenario(path, form, opts).map(|(_, p)| Some(p))
}
