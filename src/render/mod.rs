//! Step 6: documents for people: tables for a terminal.

pub mod report;
