//! Workbooks for people: the scenario as the officer keeps it (the template,
//! `--from`, `convert`) and the results as a committee filters them and an
//! officer forwards them, one sheet per employer; interview shortlists the
//! same way, with the interviews to record.
//!
//! Every header, note and label is a Fluent message in the chosen language;
//! ids, reason codes and numbers are the JSON's, so a filtered sheet can be
//! compared with the JSON result line by line.

mod result;
mod scenario;
mod shortlist;

pub use result::{comparison_workbook, employer_workbook, result_workbook, sweep_workbook};
pub use scenario::scenario_workbook;
pub use shortlist::shortlist_workbook;

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use crate::PalimError;

/// A workbook that could not be made (a limit of the format, such as a sheet
/// over 1,048,576 rows), as palim's error for `path`.
pub fn write_error(path: &str, e: XlsxError) -> PalimError {
    PalimError::Write {
        path: path.to_string(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// The cell formats every palim workbook uses.
pub(crate) struct Styles {
    pub header: Format,
    pub date: Format,
    pub percent: Format,
    pub decimal: Format,
    pub title: Format,
    pub wrap: Format,
    pub plain: Format,
}

impl Styles {
    pub fn new() -> Styles {
        Styles {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xDCE6F1))
                .set_border_bottom(FormatBorder::Thin),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            percent: Format::new().set_num_format("0%"),
            decimal: Format::new().set_num_format("0.0000"),
            title: Format::new().set_bold().set_font_size(14),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            plain: Format::new(),
        }
    }
}

/// A header row with notes, frozen, filterable, with sensible widths.
pub(crate) fn header_row(
    ws: &mut Worksheet,
    styles: &Styles,
    headers: &[(String, Option<String>, f64)],
    rows: u32,
) -> Result<(), XlsxError> {
    for (c, (text, note, width)) in headers.iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(0, c, text, &styles.header)?;
        ws.set_column_width(c, *width)?;
        if let Some(note) = note.as_ref().filter(|n| !n.is_empty()) {
            let note = rust_xlsxwriter::Note::new(note)
                .set_author("palim")
                .add_author_prefix(false)
                .set_width(320)
                .set_height(140);
            ws.insert_note(0, c, &note)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    if !headers.is_empty() {
        ws.autofilter(0, 0, rows.max(1), headers.len() as u16 - 1)?;
    }
    Ok(())
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`,
/// unique in the workbook (a counter is added when two would clash).
pub(crate) fn sheet_name(wanted: &str, taken: &mut std::collections::HashSet<String>) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .collect();
    let clean = clean.trim().trim_matches('\'');
    let base: String = clean.chars().take(31).collect();
    let base = if base.is_empty() {
        "Sheet".to_string()
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.to_lowercase()) {
        let suffix = format!(" ({n})");
        let keep = 31 - suffix.chars().count();
        name = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
        n += 1;
    }
    name
}
