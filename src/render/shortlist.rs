//! Interview shortlists as a table for a terminal: per vacancy its
//! candidates, best first; then the short shortlists and the trainees on
//! none, with their reasons. In Dutch and French the frame and each reason's
//! label are translated; a case's own facts stay in English, as in the
//! match set's table.

use std::fmt::Write;

use crate::documents::parts::{Reason, ResultStatus};
use crate::documents::shortlist::ShortlistSet;
use crate::lang::{arg, Lang};
use crate::render::report::{count, num, reason_line};
use crate::words;

/// The shortlists in English.
pub fn render(s: &ShortlistSet) -> String {
    render_in(s, Lang::En)
}

/// The shortlists in `lang`.
pub fn render_in(s: &ShortlistSet, lang: Lang) -> String {
    let mut out = String::new();
    let o = &s.objective;
    let title = lang.text_with(
        "sl-title",
        &[
            arg("scenario", s.scenario.as_str()),
            arg("k", count(lang, "sl-candidates", s.per_position as usize)),
            arg("m", count(lang, "sl-shortlists", s.per_trainee as usize)),
        ],
    );
    let status = lang.text(match s.status {
        ResultStatus::Optimal => "sl-status-optimal",
        ResultStatus::TimeLimit => "sl-status-time-limit",
        ResultStatus::Infeasible => "sl-status-none",
    });
    let summary = lang.text_with(
        "sl-summary",
        &[
            arg("status", status),
            arg("covered", o.positions_covered.to_string()),
            arg("open", o.open_positions.to_string()),
            arg("used", o.places_used.to_string()),
            arg("wanted", o.places_wanted.to_string()),
            arg("score", num(lang, o.score)),
        ],
    );
    let how = lang.text_with(
        "sl-how",
        &[
            arg("engine", s.solver.engine.as_str()),
            arg("method", s.solver.method.as_str()),
        ],
    );
    let _ = writeln!(out, "{title}\n{summary}\n{how}");
    let (score_word, from_word) = (lang.text("sl-word-score"), lang.text("sl-word-from"));
    for list in &s.shortlists {
        let head = lang.text_with(
            "sl-vacancy",
            &[
                arg("vacancy", list.vacancy.as_str()),
                arg("employer", list.employer.as_str()),
                arg("destination", list.destination.as_str()),
                arg("open", list.open.to_string()),
                arg("positions", list.positions.to_string()),
                arg(
                    "candidates",
                    count(lang, "sl-candidates", list.candidates.len()),
                ),
                arg("wanted", list.wanted.to_string()),
            ],
        );
        let _ = writeln!(out, "\n{head}");
        for h in &list.held_by {
            let held = lang.text_with(
                "sl-held-by",
                &[
                    arg("trainee", h.trainee.as_str()),
                    arg("how", h.how.as_str()),
                ],
            );
            let _ = writeln!(out, "   {held}");
        }
        for (k, c) in list.candidates.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {:>2}. {:<10} {score_word} {:<7} {from_word} {}",
                k + 1,
                c.trainee,
                num(lang, c.score),
                c.start_date
            );
        }
        if !list.interviewed_before.is_empty() {
            let before = lang.text_with(
                "sl-interviewed-before",
                &[arg("list", words::list(&list.interviewed_before, 10))],
            );
            let _ = writeln!(out, "   {before}");
        }
    }
    if !s.short_shortlists.is_empty() {
        let _ = writeln!(out, "\n{}", lang.text("sl-short"));
        for short in &s.short_shortlists {
            let line = lang.text_with(
                "sl-short-line",
                &[
                    arg("vacancy", short.vacancy.as_str()),
                    arg("candidates", short.candidates.to_string()),
                    arg("wanted", short.wanted.to_string()),
                    arg("reasons", reasons(lang, &short.reasons)),
                ],
            );
            let _ = writeln!(out, "  {line}");
        }
    }
    if !s.not_shortlisted.is_empty() {
        let none = lang.text_with(
            "sl-none",
            &[arg(
                "trainees",
                count(lang, "tbl-trainees", s.not_shortlisted.len()),
            )],
        );
        let _ = writeln!(out, "\n{none}");
        for n in &s.not_shortlisted {
            let _ = writeln!(out, "  {}: {}", n.trainee, reasons(lang, &n.reasons));
        }
    }
    out
}

/// Reasons on one line.
fn reasons(lang: Lang, reasons: &[Reason]) -> String {
    reasons
        .iter()
        .map(|r| reason_line(lang, r))
        .collect::<Vec<_>>()
        .join("; ")
}
