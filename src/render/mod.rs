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
