//! Interview shortlists as a workbook the officer works from between two
//! rounds: the summary and its proof, every vacancy's candidates, the
//! interviews to record (the scenario workbook's own Interviews sheet, so its
//! rows paste straight back), who is short and who is on none and why, then
//! one sheet per employer to forward, naming only the candidates proposed to
//! that employer, with room for the outcome of each interview.

use std::collections::HashSet;

use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use super::result::{headers, Headers};
use super::scenario::{choices, validations, with_error};
use super::{header_row, sheet_name, Styles};
use crate::documents::parts::Reason;
use crate::documents::shortlist::{Shortlist, ShortlistSet};
use crate::input::workbook::layout::Sheet;
use crate::lang::{arg, Lang};
use crate::model::problem::Problem;
use crate::render::people;

/// Rows below an interview sheet's data that keep its outcome dropdown.
const ROOM: u32 = 200;

/// The shortlists as a workbook in `lang`.
pub fn shortlist_workbook(p: &Problem, s: &ShortlistSet, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut book = Workbook::new();
    let mut taken = HashSet::new();
    summary(book.add_worksheet(), s, lang, &styles, &mut taken)?;
    candidates(book.add_worksheet(), s, lang, &styles, &mut taken)?;
    interviews(book.add_worksheet(), s, lang, &styles, &mut taken)?;
    short(book.add_worksheet(), s, lang, &styles, &mut taken)?;
    none(book.add_worksheet(), s, lang, &styles, &mut taken)?;
    for (employer, lists) in people::shortlists_by_employer(s) {
        let ws = book.add_worksheet();
        employer_sheet(ws, p, employer, &lists, lang, &styles, &mut taken)?;
    }
    book.save_to_buffer()
}

fn summary(
    ws: &mut Worksheet,
    s: &ShortlistSet,
    lang: Lang,
    styles: &Styles,
    taken: &mut HashSet<String>,
) -> Result<(), XlsxError> {
    ws.set_name(sheet_name(&lang.text("out-sheet-summary"), taken))?;
    ws.set_column_width(0, 34)?;
    ws.set_column_width(1, 90)?;
    ws.write_string_with_format(0, 0, &s.scenario, &styles.title)?;
    for (i, (label, value)) in people::shortlist_facts(s, lang).iter().enumerate() {
        ws.write_string_with_format(i as u32 + 2, 0, label, &styles.header)?;
        ws.write_string_with_format(i as u32 + 2, 1, value, &styles.wrap)?;
    }
    Ok(())
}

/// One row per candidate, vacancy by vacancy, best first.
fn candidates(
    ws: &mut Worksheet,
    s: &ShortlistSet,
    lang: Lang,
    styles: &Styles,
    taken: &mut HashSet<String>,
) -> Result<(), XlsxError> {
    ws.set_name(sheet_name(&lang.text("sl-sheet-shortlists"), taken))?;
    let cols = [
        ("vacancy", 10.0),
        ("employer", 28.0),
        ("destination", 12.0),
        ("open", 8.0),
        ("rank", 7.0),
        ("trainee", 10.0),
        ("score", 9.0),
        ("start-date", 12.0),
        ("why", 90.0),
    ];
    let rows: usize = s.shortlists.iter().map(|l| l.candidates.len()).sum();
    header_row(ws, styles, &headers(lang, &cols), rows as u32)?;
    let mut r = 0;
    for list in &s.shortlists {
        for (k, c) in list.candidates.iter().enumerate() {
            r += 1;
            ws.write_string(r, 0, &list.vacancy)?;
            ws.write_string(r, 1, &list.employer)?;
            ws.write_string(r, 2, &list.destination)?;
            ws.write_number(r, 3, f64::from(list.open))?;
            ws.write_number(r, 4, (k + 1) as f64)?;
            ws.write_string(r, 5, &c.trainee)?;
            ws.write_number_with_format(r, 6, c.score, &styles.decimal)?;
            ws.write_datetime_with_format(r, 7, c.start_date, &styles.date)?;
            ws.write_string(r, 8, c.why.join(" "))?;
        }
    }
    Ok(())
}

/// The scenario workbook's Interviews sheet, one `pending` row per
/// candidate: same headers, notes and outcome choices, so the officer fills
/// in outcomes and pastes the rows into the scenario for the next round.
fn interviews(
    ws: &mut Worksheet,
    s: &ShortlistSet,
    lang: Lang,
    styles: &Styles,
    taken: &mut HashSet<String>,
) -> Result<(), XlsxError> {
    let sheet = interview_sheet();
    ws.set_name(sheet_name(&sheet.name(lang), taken))?;
    let hs: Headers = sheet
        .columns
        .iter()
        .map(|c| (sheet.header(lang, c), Some(sheet.note(lang, c)), 16.0))
        .collect();
    let rows: usize = s.shortlists.iter().map(|l| l.candidates.len()).sum();
    header_row(ws, styles, &hs, rows as u32)?;
    let pending = lang.text("choice-pending");
    let mut r = 0;
    for list in &s.shortlists {
        for c in &list.candidates {
            r += 1;
            ws.write_string(r, 0, &c.trainee)?;
            ws.write_string(r, 1, &list.vacancy)?;
            ws.write_string(r, 2, &pending)?;
        }
    }
    validations(ws, sheet, &[], None, r + ROOM, lang)
}

fn interview_sheet() -> &'static Sheet {
    Sheet::named("interviews")
        .unwrap_or_else(|| unreachable!("the scenario layout has an interviews sheet"))
}

/// One row per reason, so the officer can filter by reason.
fn short(
    ws: &mut Worksheet,
    s: &ShortlistSet,
    lang: Lang,
    styles: &Styles,
    taken: &mut HashSet<String>,
) -> Result<(), XlsxError> {
    ws.set_name(sheet_name(&lang.text("sl-sheet-short"), taken))?;
    let cols = [
        ("vacancy", 10.0),
        ("employer", 28.0),
        ("wanted", 9.0),
        ("candidates", 10.0),
        ("reason", 36.0),
        ("code", 24.0),
        ("details", 90.0),
    ];
    let rows: usize = s.short_shortlists.iter().map(|x| x.reasons.len()).sum();
    header_row(ws, styles, &headers(lang, &cols), rows as u32)?;
    let mut r = 0;
    for x in &s.short_shortlists {
        let employer = s
            .shortlists
            .iter()
            .find(|l| l.vacancy == x.vacancy)
            .map_or("", |l| l.employer.as_str());
        for reason in &x.reasons {
            r += 1;
            ws.write_string(r, 0, &x.vacancy)?;
            ws.write_string(r, 1, employer)?;
            ws.write_number(r, 2, f64::from(x.wanted))?;
            ws.write_number(r, 3, f64::from(x.candidates))?;
            reason_cells(ws, r, 4, reason, lang)?;
        }
    }
    Ok(())
}

fn none(
    ws: &mut Worksheet,
    s: &ShortlistSet,
    lang: Lang,
    styles: &Styles,
    taken: &mut HashSet<String>,
) -> Result<(), XlsxError> {
    ws.set_name(sheet_name(&lang.text("sl-sheet-none"), taken))?;
    let cols = [
        ("trainee", 10.0),
        ("eligible-somewhere", 12.0),
        ("reason", 36.0),
        ("code", 24.0),
        ("details", 90.0),
    ];
    let rows: usize = s.not_shortlisted.iter().map(|x| x.reasons.len()).sum();
    header_row(ws, styles, &headers(lang, &cols), rows as u32)?;
    let mut r = 0;
    for x in &s.not_shortlisted {
        for reason in &x.reasons {
            r += 1;
            ws.write_string(r, 0, &x.trainee)?;
            ws.write_string(r, 1, people::yes_no(lang, x.eligible_somewhere))?;
            reason_cells(ws, r, 2, reason, lang)?;
        }
    }
    Ok(())
}

/// A reason's label, code and details from column `c` on.
fn reason_cells(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    reason: &Reason,
    lang: Lang,
) -> Result<(), XlsxError> {
    ws.write_string(r, c, people::reason_label(lang, &reason.code))?;
    ws.write_string(r, c + 1, &reason.code)?;
    ws.write_string(r, c + 2, &reason.message)?;
    Ok(())
}

/// What an officer forwards to one employer: its vacancies' candidates, best
/// first, with the interview's outcome, date and note to fill in (the
/// outcome a dropdown of the scenario's words).
fn employer_sheet(
    ws: &mut Worksheet,
    p: &Problem,
    employer: &str,
    lists: &[&Shortlist],
    lang: Lang,
    styles: &Styles,
    taken: &mut HashSet<String>,
) -> Result<(), XlsxError> {
    ws.set_name(sheet_name(employer, taken))?;
    let mut hs = headers(
        lang,
        &[
            ("vacancy", 10.0),
            ("title", 26.0),
            ("destination", 12.0),
            ("open", 8.0),
            ("rank", 7.0),
            ("trainee", 10.0),
            ("score", 9.0),
            ("start-date", 12.0),
        ],
    );
    let sheet = interview_sheet();
    let first_interview_column = hs.len() as u16;
    // The interview sheet's outcome, date and note, after trainee and vacancy.
    let own = &sheet.columns[2..];
    hs.extend(
        own.iter()
            .map(|c| (sheet.header(lang, c), Some(sheet.note(lang, c)), 18.0)),
    );
    let rows: usize = lists.iter().map(|l| l.candidates.len().max(1)).sum();
    header_row(ws, styles, &hs, rows as u32)?;
    let mut r = 0;
    for list in lists {
        let title = p
            .vacancy_ix(&list.vacancy)
            .and_then(|v| p.vacancies[v].title.clone())
            .unwrap_or_default();
        let line = |ws: &mut Worksheet, r: u32| -> Result<(), XlsxError> {
            ws.write_string(r, 0, &list.vacancy)?;
            ws.write_string(r, 1, &title)?;
            ws.write_string(r, 2, &list.destination)?;
            ws.write_number(r, 3, f64::from(list.open))?;
            Ok(())
        };
        if list.candidates.is_empty() {
            r += 1;
            line(ws, r)?;
        }
        for (k, c) in list.candidates.iter().enumerate() {
            r += 1;
            line(ws, r)?;
            ws.write_number(r, 4, (k + 1) as f64)?;
            ws.write_string(r, 5, &c.trainee)?;
            ws.write_number_with_format(r, 6, c.score, &styles.decimal)?;
            ws.write_datetime_with_format(r, 7, c.start_date, &styles.date)?;
        }
    }
    ws.write_string(
        r + 2,
        0,
        lang.text_with("sl-employer-footer", &[arg("employer", employer)]),
    )?;
    let dv = with_error(choices(&own[0], lang)?, sheet.header(lang, &own[0]), lang)?;
    ws.add_data_validation(
        1,
        first_interview_column,
        r.max(1),
        first_interview_column,
        &dv,
    )?;
    Ok(())
}
