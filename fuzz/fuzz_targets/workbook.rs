//! Workbooks nobody here wrote: the input is taken as an `.xlsx` and as an
//! `.ods` file (calamine must refuse garbage with an error, not a panic), and
//! as up to nine CSV files separated by 0xFF bytes, named after palim's
//! sheets in the order of the layout and read as the server reads a
//! browser's CSV files; a scenario they make is solved and
//! explained as the other targets do.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use palim::input::validate::LoadOptions;
use palim::input::workbook::{self, layout::SHEETS, read::Form};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    for form in [Form::Xlsx, Form::Ods] {
        if let Ok(tables) = workbook::read::tables_of_bytes(data.to_vec(), form, "fuzz") {
            let _ = workbook::scenario_of(&tables, "fuzz", &LoadOptions::default());
        }
    }
    // The CSV sheets a browser sends (`application/vnd.palim.csv-sheets+json`),
    // read by the same reader as a folder of CSV files.
    let files: BTreeMap<String, String> = data
        .split(|b| *b == 0xFF)
        .zip(SHEETS.iter())
        .map(|(bytes, sheet)| (format!("{}.csv", sheet.key), String::from_utf8_lossy(bytes).into_owned()))
        .collect();
    let Ok(tables) = workbook::read::tables_of_csv(&files, "fuzz") else { return };
    if let Ok((text, _)) = workbook::scenario_of(&tables, "fuzz", &LoadOptions::default()) {
        common::exercise(&text);
    }
});
