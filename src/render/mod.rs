//! Documents for people: tables and text for a terminal, Markdown, CSV and
//! SVG. Everything here reads documents (and a sweep's points) and computes
//! nothing a document does not already hold.

pub mod comparison;
pub mod explanation;
pub mod html;
pub mod people;
pub mod report;
pub mod risk;
pub mod shortlist;
pub mod sweep;
pub mod workbook;

/// A report's `unfinished` note, last: what the time limit left out of it
/// (a report cut short must say so on the screen as in the JSON).
pub(crate) fn unfinished(note: Option<&str>) -> String {
    let Some(note) = note else {
        return String::new();
    };
    let mut chars = note.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
    format!("\n{}{}.\n", first.unwrap_or_default(), chars.as_str())
}
