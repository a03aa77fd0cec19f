//! Results as workbooks a committee filters and an officer forwards: the
//! summary, the matches, the unmatched trainees and the open positions, then
//! one sheet per employer with only that employer's vacancies and the
//! trainees matched to them (no other trainee is named there).

use std::collections::HashSet;

use rust_xlsxwriter::{Chart, ChartType, Workbook, Worksheet, XlsxError};

use super::{header_row, sheet_name, Styles};
use crate::analysis::sweep::{Axis, Row, Sweep};
use crate::documents::comparison::Comparison;
use crate::documents::match_set::{MatchSet, Reason};
use crate::lang::{arg, Lang};
use crate::model::problem::Problem;
use crate::render::people;

pub(super) type Headers = Vec<(String, Option<String>, f64)>;

/// Column headers from `out-<key>` messages, with their widths.
pub(super) fn headers(lang: Lang, keys: &[(&str, f64)]) -> Headers {
    keys.iter()
        .map(|(k, w)| (lang.text(&format!("out-{k}")), None, *w))
        .collect()
}

/// The match set as a workbook in `lang`.
pub fn result_workbook(p: &Problem, m: &MatchSet, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut book = Workbook::new();
    let mut taken = HashSet::new();
    summary(book.add_worksheet(), p, m, lang, &styles, &mut taken)?;
    matches(book.add_worksheet(), m, lang, &styles, &mut taken)?;
    unmatched(book.add_worksheet(), m, lang, &styles, &mut taken)?;
    open_positions(book.add_worksheet(), p, m, lang, &styles, &mut taken)?;
    for (employer, vacancies) in people::by_employer(p) {
        let ws = book.add_worksheet();
        employer_sheet(ws, p, m, &employer, &vacancies, lang, &styles, &mut taken)?;
    }
    book.save_to_buffer()
}

/// One employer's sheet alone, as a workbook to forward to that employer
/// (`None` when no vacancy of the scenario is theirs).
pub fn employer_workbook(
    p: &Problem,
    m: &MatchSet,
    employer: &str,
    lang: Lang,
) -> Result<Option<Vec<u8>>, XlsxError> {
    let Some(vacancies) = people::by_employer(p).remove(employer) else {
        return Ok(None);
    };
    let styles = Styles::new();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    employer_sheet(
        ws,
        p,
        m,
        employer,
        &vacancies,
        lang,
        &styles,
        &mut HashSet::new(),
    )?;
    book.save_to_buffer().map(Some)
}

fn summary(
    ws: &mut Worksheet,
    p: &Problem,
    m: &MatchSet,
    lang: Lang,
    styles: &Styles,
    taken: &mut HashSet<String>,
) -> Result<(), XlsxError> {
    ws.set_name(sheet_name(&lang.text("out-sheet-summary"), taken))?;
    ws.set_column_width(0, 30)?;
    for c in 1..7 {
        ws.set_column_width(c, 16)?;
    }
    ws.write_string_with_format(0, 0, &m.scenario, &styles.title)?;
    let facts = people::summary_facts(p, m, lang);
    for (i, (label, value)) in facts.iter().enumerate() {
        ws.write_string_with_format(i as u32 + 2, 0, label, &styles.header)?;
        ws.merge_range(i as u32 + 2, 1, i as u32 + 2, 8, value, &styles.plain)?;
    }
    let mut row = facts.len() as u32 + 3;
    let cols = [
        "destination",
        "placed",
        "min",
        "max",
        "positions",
        "eligible-trainees",
        "binding",
    ];
    for (c, k) in cols.iter().enumerate() {
        ws.write_string_with_format(
            row,
            c as u16,
            lang.text(&format!("out-{k}")),
            &styles.header,
        )?;
    }
    let first = row + 1;
    for (code, d) in &m.destinations {
        row += 1;
        ws.write_string(row, 0, people::destination_name(p, code))?;
        ws.write_number(row, 1, d.placed as f64)?;
        ws.write_number(row, 2, d.min as f64)?;
        if let Some(max) = d.max {
            ws.write_number(row, 3, max as f64)?;
        }
        ws.write_number(row, 4, d.positions as f64)?;
        ws.write_number(row, 5, d.eligible_trainees as f64)?;
        ws.write_string(row, 6, people::yes_no(lang, d.binding))?;
    }
    let chart_at = row + 2;
    if !m.destinations.is_empty() {
        let mut chart = Chart::new(ChartType::Column);
        let name = ws.name();
        chart
            .add_series()
            .set_categories((name.as_str(), first, 0, row, 0))
            .set_values((name.as_str(), first, 1, row, 1))
            .set_name(lang.text("out-placed").as_str());
        chart
            .add_series()
            .set_categories((name.as_str(), first, 0, row, 0))
            .set_values((name.as_str(), first, 3, row, 3))
            .set_name(lang.text("out-max").as_str());
        chart
            .title()
            .set_name(lang.text("out-chart-destinations").as_str());
        ws.insert_chart(chart_at, 0, &chart)?;
        row = chart_at + 16;
    }
    if !m.group_shares.is_empty() {
        row += 1;
        let cols = [
            "destination",
            "group",
            "members-placed",
            "share",
            "required",
            "binding",
        ];
        for (c, k) in cols.iter().enumerate() {
            ws.write_string_with_format(
                row,
                c as u16,
                lang.text(&format!("out-{k}")),
                &styles.header,
            )?;
        }
        for s in &m.group_shares {
            row += 1;
            let dest = s.destination.as_deref().map_or_else(
                || lang.text("out-all-destinations"),
                |d| people::destination_name(p, d),
            );
            ws.write_string(row, 0, dest)?;
            ws.write_string(
                row,
                1,
                format!("{} = {}", s.attribute, people::plain_value(&s.value)),
            )?;
            ws.write_string(row, 2, format!("{} / {}", s.members, s.placed))?;
            ws.write_number_with_format(row, 3, s.share, &styles.percent)?;
            ws.write_string(row, 4, people::share_bounds(s.min_share, s.max_share))?;
            ws.write_string(row, 5, people::yes_no(lang, s.binding))?;
        }
    }
    Ok(())
}

fn matches(
    ws: &mut Worksheet,
    m: &MatchSet,
    lang: Lang,
    styles: &Styles,
    taken: &mut HashSet<String>,
) -> Result<(), XlsxError> {
    ws.set_name(sheet_name(&lang.text("out-sheet-matches"), taken))?;
    let cols = [
        ("trainee", 10.0),
        ("vacancy", 10.0),
        ("employer", 28.0),
        ("destination", 12.0),
        ("start-date", 12.0),
        ("score", 9.0),
        ("fit", 9.0),
        ("trainee-preference", 10.0),
        ("employer-preference", 10.0),
        ("locked", 8.0),
        ("why", 90.0),
    ];
    header_row(ws, styles, &headers(lang, &cols), m.matches.len() as u32)?;
    for (i, x) in m.matches.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, &x.trainee)?;
        ws.write_string(r, 1, &x.vacancy)?;
        ws.write_string(r, 2, &x.employer)?;
        ws.write_string(r, 3, &x.destination)?;
        ws.write_datetime_with_format(r, 4, x.start_date, &styles.date)?;
        ws.write_number_with_format(r, 5, x.score, &styles.decimal)?;
        ws.write_number_with_format(r, 6, x.breakdown.fit, &styles.decimal)?;
        ws.write_number_with_format(r, 7, x.breakdown.trainee_preference, &styles.decimal)?;
        ws.write_number_with_format(r, 8, x.breakdown.employer_preference, &styles.decimal)?;
        ws.write_string(r, 9, people::yes_no(lang, x.locked))?;
        ws.write_string(r, 10, x.why.join(" "))?;
    }
    Ok(())
}

/// One row per reason, so a committee can filter by reason.
fn unmatched(
    ws: &mut Worksheet,
    m: &MatchSet,
    lang: Lang,
    styles: &Styles,
    taken: &mut HashSet<String>,
) -> Result<(), XlsxError> {
    ws.set_name(sheet_name(&lang.text("out-sheet-unmatched"), taken))?;
    let cols = [
        ("trainee", 10.0),
        ("eligible-somewhere", 12.0),
        ("reason", 36.0),
        ("vacancies", 10.0),
        ("code", 24.0),
        ("details", 90.0),
        ("nearest-change", 70.0),
    ];
    let rows: usize = m
        .unmatched_trainees
        .iter()
        .map(|u| u.reasons.len().max(1))
        .sum();
    header_row(ws, styles, &headers(lang, &cols), rows as u32)?;
    let mut r = 0;
    for u in &m.unmatched_trainees {
        let nearest = people::nearest_change(m, &u.trainee, lang);
        let none = [Reason {
            code: String::new(),
            message: String::new(),
            vacancy: None,
            vacancies: Vec::new(),
            vacancies_total: None,
            trainees: None,
        }];
        let reasons = if u.reasons.is_empty() {
            &none[..]
        } else {
            &u.reasons[..]
        };
        for (i, reason) in reasons.iter().enumerate() {
            r += 1;
            ws.write_string(r, 0, &u.trainee)?;
            ws.write_string(r, 1, people::yes_no(lang, u.eligible_somewhere))?;
            ws.write_string(r, 2, people::reason_label(lang, &reason.code))?;
            let n = reason.vacancies_total.unwrap_or(reason.vacancies.len());
            if n > 0 {
                ws.write_number(r, 3, n as f64)?;
            }
            ws.write_string(r, 4, &reason.code)?;
            ws.write_string(r, 5, &reason.message)?;
            if i == 0 {
                if let Some(change) = &nearest {
                    ws.write_string(r, 6, change)?;
                }
            }
        }
    }
    Ok(())
}

fn open_positions(
    ws: &mut Worksheet,
    p: &Problem,
    m: &MatchSet,
    lang: Lang,
    styles: &Styles,
    taken: &mut HashSet<String>,
) -> Result<(), XlsxError> {
    ws.set_name(sheet_name(&lang.text("out-sheet-open"), taken))?;
    let cols = [
        ("vacancy", 10.0),
        ("employer", 28.0),
        ("destination", 12.0),
        ("open", 8.0),
        ("reason", 36.0),
        ("trainees", 10.0),
        ("code", 24.0),
        ("details", 90.0),
    ];
    let rows: usize = m
        .unfilled_positions
        .iter()
        .map(|u| u.reasons.len().max(1))
        .sum();
    header_row(ws, styles, &headers(lang, &cols), rows as u32)?;
    let mut r = 0;
    for u in &m.unfilled_positions {
        let (employer, dest) = people::vacancy_employer(p, &u.vacancy);
        for reason in &u.reasons {
            r += 1;
            ws.write_string(r, 0, &u.vacancy)?;
            ws.write_string(r, 1, &employer)?;
            ws.write_string(r, 2, &dest)?;
            ws.write_number(r, 3, u.open as f64)?;
            ws.write_string(r, 4, people::reason_label(lang, &reason.code))?;
            if let Some(n) = reason.trainees {
                ws.write_number(r, 5, n as f64)?;
            }
            ws.write_string(r, 6, &reason.code)?;
            ws.write_string(r, 7, &reason.message)?;
        }
    }
    Ok(())
}

/// What an officer forwards to one employer: its vacancies, who starts
/// where and when, and why a position stays open, worded by reason code and
/// counts only, so no other trainee's data leaves the programme.
#[allow(clippy::too_many_arguments)]
fn employer_sheet(
    ws: &mut Worksheet,
    p: &Problem,
    m: &MatchSet,
    employer: &str,
    vacancies: &[usize],
    lang: Lang,
    styles: &Styles,
    taken: &mut HashSet<String>,
) -> Result<(), XlsxError> {
    ws.set_name(sheet_name(employer, taken))?;
    let cols = [
        ("vacancy", 10.0),
        ("title", 26.0),
        ("destination", 12.0),
        ("positions", 9.0),
        ("trainee", 10.0),
        ("start-date", 12.0),
        ("score", 9.0),
        ("status", 40.0),
    ];
    let lines = people::employer_lines(p, m, vacancies, lang);
    header_row(ws, styles, &headers(lang, &cols), lines.len() as u32)?;
    for (i, line) in lines.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, &line.vacancy)?;
        ws.write_string(r, 1, &line.title)?;
        ws.write_string(r, 2, &line.destination)?;
        ws.write_number(r, 3, line.positions as f64)?;
        if let Some(m) = &line.matched {
            ws.write_string(r, 4, &m.trainee)?;
            ws.write_datetime_with_format(r, 5, m.start_date, &styles.date)?;
            ws.write_number_with_format(r, 6, m.score, &styles.decimal)?;
        }
        ws.write_string(r, 7, &line.status)?;
    }
    ws.write_string(
        lines.len() as u32 + 2,
        0,
        lang.text_with("out-employer-footer", &[arg("employer", employer)]),
    )?;
    Ok(())
}

/// A base and its variants side by side, and every person whose outcome changes.
pub fn comparison_workbook(c: &Comparison, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut book = Workbook::new();
    let mut taken = HashSet::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet_name(&lang.text("out-sheet-comparison"), &mut taken))?;
    let (columns, rows) = people::comparison_rows(c, lang, |x| format!("{x:.4}"));
    ws.set_column_width(0, 30)?;
    ws.write_string_with_format(0, 0, "", &styles.header)?;
    for (i, col) in columns.iter().enumerate() {
        ws.set_column_width(i as u16 + 1, 24)?;
        ws.write_string_with_format(0, i as u16 + 1, &col.scenario, &styles.header)?;
    }
    for (r, (label, values)) in rows.iter().enumerate() {
        ws.write_string_with_format(r as u32 + 1, 0, label, &styles.header)?;
        for (i, v) in values.iter().enumerate() {
            ws.write_string(r as u32 + 1, i as u16 + 1, v)?;
        }
    }
    let ws = book.add_worksheet();
    ws.set_name(sheet_name(&lang.text("out-sheet-people"), &mut taken))?;
    let cols = [
        ("variant", 24.0),
        ("trainee", 10.0),
        ("change", 18.0),
        ("from", 10.0),
        ("to", 10.0),
        ("start-before", 12.0),
        ("start-after", 12.0),
        ("reason", 36.0),
        ("details", 80.0),
    ];
    let n: usize = c.variants.iter().map(|v| v.people.len()).sum();
    header_row(ws, &styles, &headers(lang, &cols), n as u32)?;
    let mut r = 0;
    for v in &c.variants {
        for person in &v.people {
            r += 1;
            ws.write_string(r, 0, &v.column.scenario)?;
            ws.write_string(r, 1, &person.trainee)?;
            ws.write_string(
                r,
                2,
                lang.lookup(&format!("change-{}", person.change))
                    .unwrap_or_else(|| person.change.clone()),
            )?;
            ws.write_string(r, 3, person.from.as_deref().unwrap_or(""))?;
            ws.write_string(r, 4, person.to.as_deref().unwrap_or(""))?;
            if let Some(d) = person.start_before {
                ws.write_datetime_with_format(r, 5, d, &styles.date)?;
            }
            if let Some(d) = person.start_after {
                ws.write_datetime_with_format(r, 6, d, &styles.date)?;
            }
            if let Some(reason) = person.reasons.first() {
                ws.write_string(r, 7, people::reason_label(lang, &reason.code))?;
                ws.write_string(r, 8, &reason.message)?;
            }
        }
    }
    book.save_to_buffer()
}

/// A sweep's points as a table, with a line chart of placements per
/// destination along the first axis.
pub fn sweep_workbook(axes: &[Axis], sweep: &Sweep, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut book = Workbook::new();
    let mut taken = HashSet::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet_name(&lang.text("out-sheet-sweep"), &mut taken))?;
    let rows = sweep.rows();
    let dests: Vec<String> = (sweep.points.iter())
        .flat_map(|p| p.by_destination.keys().cloned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut hs: Headers = axes.iter().map(|a| (a.path.clone(), None, 22.0)).collect();
    hs.extend(headers(
        lang,
        &[("status", 12.0), ("placed", 10.0), ("score", 10.0)],
    ));
    hs.extend(
        dests
            .iter()
            .map(|d| (format!("{}: {d}", lang.text("out-placed")), None, 12.0)),
    );
    header_row(ws, &styles, &hs, rows.len() as u32)?;
    let a = axes.len() as u16;
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (j, x) in row.values().iter().enumerate() {
            ws.write_number(r, j as u16, *x)?;
        }
        // A point the deadline left without a match set: its status, and
        // empty cells (a gap in the chart's lines), not zeros.
        let Row::Solved(pt) = row else {
            ws.write_string(r, a, lang.text("status-not_solved"))?;
            continue;
        };
        ws.write_string(r, a, people::status(lang, pt.status))?;
        ws.write_number(r, a + 1, pt.placements as f64)?;
        ws.write_number_with_format(r, a + 2, pt.score, &styles.decimal)?;
        for (k, d) in dests.iter().enumerate() {
            ws.write_number(
                r,
                a + 3 + k as u16,
                pt.by_destination.get(d).copied().unwrap_or(0) as f64,
            )?;
        }
    }
    if !sweep.points.is_empty() && !axes.is_empty() {
        let name = ws.name();
        let last = rows.len() as u32;
        let mut chart = Chart::new(ChartType::Line);
        for k in 0..=dests.len() {
            let col = if k == 0 { a + 1 } else { a + 2 + k as u16 };
            let label = if k == 0 {
                lang.text("out-placed")
            } else {
                dests[k - 1].clone()
            };
            chart
                .add_series()
                .set_categories((name.as_str(), 1, 0, last, 0))
                .set_values((name.as_str(), 1, col, last, col))
                .set_name(label.as_str());
        }
        chart
            .title()
            .set_name(lang.text("out-chart-sweep").as_str());
        chart.x_axis().set_name(&axes[0].path);
        ws.insert_chart(1, a + 4 + dests.len() as u16, &chart)?;
    }
    book.save_to_buffer()
}
