//! Errors as types: what went wrong, where in which file, and what to do.
//!
//! Invalid input is collected, not thrown: [`InputIssue`]s pile up during
//! validation so that an officer sees every problem of a scenario in one run.
//! Each issue knows its JSON path; the line and column are filled in once, from
//! the raw text, by [`InputIssue::place_in`].

use schemars::JsonSchema;
use serde::Serialize;
use thiserror::Error;

use crate::locate::{line_col, locate, JsonPath};

/// One problem with the input, located as precisely as the input allows.
#[derive(Debug, Clone, Serialize, JsonSchema, PartialEq)]
pub struct InputIssue {
    /// Stable snake_case code, e.g. `unknown_skill`.
    pub code: String,
    /// Where, for people: `trainees[3].skills.jav`.
    pub path: String,
    /// Where, for tools: RFC 6901 JSON pointer `/trainees/3/skills/jav`.
    pub pointer: String,
    /// The spreadsheet cell, when the input was a workbook: `Trainees!F12`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(skip)]
    pub span: Option<(usize, usize)>,
    #[serde(skip)]
    json_path: JsonPath,
}

impl InputIssue {
    pub fn new(code: &str, path: &JsonPath, message: impl Into<String>) -> Self {
        InputIssue {
            code: code.to_string(),
            path: path.to_string(),
            pointer: path.pointer(),
            cell: None,
            line: None,
            column: None,
            message: message.into(),
            hint: None,
            span: None,
            json_path: path.clone(),
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The issue's place in a workbook: `cell` is `Trainees!F12`, `place`
    /// what people read (`Trainees!F12 (birth date)`); the JSON pointer stays
    /// for tools.
    pub fn in_cell(mut self, cell: String, place: String) -> Self {
        self.cell = Some(cell);
        self.path = place;
        // A line and column of the JSON the workbook made would point nowhere
        // the officer can look.
        self.line = None;
        self.column = None;
        self.span = None;
        self
    }

    /// An issue at a byte offset of the text (JSON syntax errors, which have no path).
    pub fn at_line(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Fill in line, column and span from the raw input text.
    pub fn place_in(&mut self, text: &str) {
        if self.cell.is_some() {
            return;
        }
        if self.line.is_some() {
            if self.span.is_none() {
                let offset = offset_of(text, self.line.unwrap_or(1), self.column.unwrap_or(1));
                self.span = Some((offset, 0));
            }
            return;
        }
        if let Some((off, len)) = locate(text, &self.json_path) {
            let (line, col) = line_col(text, off);
            self.line = Some(line);
            self.column = Some(col);
            self.span = Some((off, len));
        }
    }
}

fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[start.min(text.len())..];
    start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

/// Everything wrong with one input file.
#[derive(Debug, Clone, Error)]
#[error("{file}: {} problem{} found; nothing was solved", .issues.len() + .omitted, if .issues.len() + .omitted == 1 { "" } else { "s" })]
pub struct InvalidInput {
    pub file: String,
    pub text: String,
    pub issues: Vec<InputIssue>,
    /// Issues found beyond [`MAX_ISSUES`], counted but not listed.
    pub omitted: usize,
}

/// Issues listed per input; a file with thousands of the same mistake needs the
/// first ones and a count, not a flood.
pub const MAX_ISSUES: usize = 100;

impl InvalidInput {
    pub fn new(file: &str, text: &str, mut issues: Vec<InputIssue>) -> Self {
        let omitted = issues.len().saturating_sub(MAX_ISSUES);
        issues.truncate(MAX_ISSUES);
        for issue in &mut issues {
            issue.place_in(text);
        }
        // File order reads best; the sort is stable, so ties keep discovery order.
        issues.sort_by_key(|i| (i.line.unwrap_or(usize::MAX), i.column.unwrap_or(0)));
        InvalidInput {
            file: file.to_string(),
            text: text.to_string(),
            issues,
            omitted,
        }
    }

    /// The issues as plain lines: `file:line:col: path: message (hint)`.
    pub fn plain(&self) -> String {
        let mut out = format!("{self}\n");
        for i in &self.issues {
            let place = match (i.line, i.column) {
                (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file),
                _ => self.file.clone(),
            };
            out.push_str(&format!(
                "{place}: {}: {} [{}]\n",
                i.path, i.message, i.code
            ));
            if let Some(h) = &i.hint {
                out.push_str(&format!("    help: {h}\n"));
            }
        }
        if self.omitted > 0 {
            out.push_str(&format!(
                "... and {} more not listed; fix these first\n",
                self.omitted
            ));
        }
        out
    }

    /// The issues rendered by miette with a snippet of the file under each one.
    pub fn fancy(&self) -> String {
        // A workbook has no text to quote; its cells are named in the lines.
        if self.text.is_empty() {
            return self.plain();
        }
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
        let mut out = format!("{self}\n\n");
        for issue in &self.issues {
            let diag = IssueDiagnostic {
                message: format!("{}: {} [{}]", issue.path, issue.message, issue.code),
                help: issue.hint.clone(),
                src: miette::NamedSource::new(&self.file, self.text.clone()),
                span: issue
                    .span
                    .map(|(o, l)| miette::SourceSpan::from((o, l.max(1)))),
            };
            let mut s = String::new();
            if handler.render_report(&mut s, &diag).is_ok() {
                out.push_str(&s);
                out.push('\n');
            }
        }
        if self.omitted > 0 {
            out.push_str(&format!(
                "... and {} more not listed; fix these first\n",
                self.omitted
            ));
        }
        out
    }
}

#[derive(Debug, Error, miette::Diagnostic)]
#[error("{message}")]
struct IssueDiagnostic {
    message: String,
    #[help]
    help: Option<String>,
    #[source_code]
    src: miette::NamedSource<String>,
    #[label("here")]
    span: Option<miette::SourceSpan>,
}

/// Everything palim can fail with.
#[derive(Debug, Error)]
pub enum PalimError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Invalid(#[from] InvalidInput),
    #[error("the solver failed: {0}")]
    Solver(String),
    #[error("no match set satisfying the hard rules was found within the time limit; allow more time with --time-limit")]
    NoSolutionInTime,
    /// The operation's deadline came before it finished; says what was done.
    #[error("the time limit was reached before the answer was complete: {0}; allow more time with --time-limit")]
    TimeLimit(String),
    /// An option that no input could make sense of (a negative time limit, say).
    #[error("{0}")]
    Usage(String),
    /// An input larger than the one running this allows (a server's
    /// `--max-pairs`): what it is, the limit, and what to do.
    #[error("{0}")]
    TooLarge(String),
    /// A question about a trainee or vacancy the scenario does not have.
    #[error("the scenario has no {what} \"{id}\"{}", .suggestion.as_ref().map_or(String::new(), |s| format!("; did you mean \"{s}\"?")))]
    UnknownId {
        what: &'static str,
        id: String,
        suggestion: Option<String>,
    },
}
