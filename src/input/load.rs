//! A scenario from wherever it is: a file, or a document among others (a
//! variant names its base by path), resolved and validated.

use std::path::Path;

use crate::input::validate::{self, LoadOptions};
use crate::input::variant::Documents;
use crate::model::problem::Problem;
use crate::PalimError;

/// Read a scenario (or a variant, resolved against its bases) from `docs` and
/// validate it.
pub fn load(docs: &dyn Documents, path: &Path, opts: &LoadOptions) -> Result<Problem, PalimError> {
    let resolved = crate::input::variant::resolve_in(docs, path)?;
    let file = if resolved.from_variant {
        format!("{} (the scenario it makes)", path.display())
    } else {
        path.display().to_string()
    };
    Ok(match &resolved.parsed {
        Some(doc) => validate::load_value(doc, &resolved.text, &file, opts)?,
        None => validate::load_str(&resolved.text, &file, opts)?,
    })
}

/// The scenario a variant makes, as `palim flatten` prints it: resolved
/// against its bases and validated, so that what is printed is a scenario
/// every command accepts (a base that is not a scenario is reported, not
/// passed on).
pub fn flatten(docs: &dyn Documents, path: &Path) -> Result<String, PalimError> {
    let resolved = crate::input::variant::resolve_in(docs, path)?;
    let file = format!("{} (the scenario it makes)", path.display());
    validate::load_str(&resolved.text, &file, &LoadOptions::default())?;
    Ok(resolved.text)
}

/// Read a scenario file and validate it.
///
/// A variant (`"format": "palim-variant/1"`) is resolved against its base first;
/// the problems of the resulting scenario are then reported with paths into it.
///
/// A workbook (`.xlsx`, `.ods`) or a folder of CSV files is read by its
/// content, whatever its name, and its problems are placed on cells.
pub fn load_file(path: &Path, opts: &LoadOptions) -> Result<Problem, PalimError> {
    if let Some(problem) = crate::input::workbook::load(path, opts)? {
        return Ok(problem);
    }
    load(&crate::input::variant::FileSystem, path, opts)
}
