//! Workbooks nobody here wrote: the input is taken as an `.xlsx` and as an
//! `.ods` file (calamine must refuse garbage with an error, not a panic), and
//! as up to nine CSV sheets separated by 0xFF bytes, named after palim's
//! sheets in the order of the layout; a scenario they make is solved and
//! explained as the other targets do.
#![no_main]

use libfuzzer_sys::fuzz_target;
use palim::input::validate::LoadOptions;
use palim::input::workbook::{self, cells::Cell, layout::SHEETS, read::{Form, Table}};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    for form in [Form::Xlsx, Form::Ods] {
        if let Ok(tables) = workbook::read::tables_of_bytes(data.to_vec(), form, "fuzz") {
            let _ = workbook::scenario_of(&tables, "fuzz", &LoadOptions::default());
        }
    }
    let tables: Vec<Table> = data
        .split(|b| *b == 0xFF)
        .zip(SHEETS.iter())
        .map(|(bytes, sheet)| {
            let text = String::from_utf8_lossy(bytes);
            let rows = text
                .lines()
                .map(|line| {
                    line.split(',')
                        .map(|c| if c.trim().is_empty() { Cell::Empty } else { Cell::Text(c.to_string()) })
                        .collect()
                })
                .collect();
            Table { name: sheet.key.to_string(), rows, typed: false }
        })
        .collect();
    if let Ok((text, _)) = workbook::scenario_of(&tables, "fuzz", &LoadOptions::default()) {
        common::exercise(&text);
    }
});
