//! The interview shortlists as a report: how good they are and how that was
//! proven, then employer by employer whom to interview for each vacancy, best
//! first, with why each candidate fits; then the short shortlists and the
//! trainees on none, each with their reasons.

use std::fmt::Write;

use super::{esc, page, reason_list};
use crate::documents::parts::ResultStatus;
use crate::documents::shortlist::{Shortlist, ShortlistSet};
use crate::lang::{arg, Lang};
use crate::model::problem::Problem;
use crate::render::people;

/// The shortlists as one self-contained page in `lang`.
pub fn shortlist_report(p: &Problem, s: &ShortlistSet, lang: Lang) -> String {
    let mut b = String::new();
    let title = lang.text_with("sl-report-title", &[arg("scenario", s.scenario.as_str())]);
    let _ = writeln!(b, "<h1>{}</h1>", esc(&title));
    let _ = writeln!(
        b,
        "<p class=\"sub\">{}</p>",
        esc(&lang.text_with(
            "sl-report-subtitle",
            &[arg("k", s.per_position), arg("m", s.per_trainee)]
        ))
    );
    cards(&mut b, s, lang);
    for (employer, lists) in people::shortlists_by_employer(s) {
        employer_section(&mut b, p, employer, &lists, lang);
    }
    short(&mut b, s, lang);
    none(&mut b, s, lang);
    let _ = writeln!(
        b,
        "<p class=\"sub\">{}</p>",
        esc(&lang.text_with(
            "report-footer",
            &[arg(
                "input",
                s.input_sha256.chars().take(12).collect::<String>()
            )]
        ))
    );
    page(lang, &title, &b)
}

fn cards(b: &mut String, s: &ShortlistSet, lang: Lang) {
    let o = &s.objective;
    let cards = [
        (
            o.positions_covered.to_string(),
            lang.text_with("sl-card-covered", &[arg("open", o.open_positions)]),
        ),
        (
            o.places_used.to_string(),
            lang.text_with("sl-card-used", &[arg("wanted", o.places_wanted)]),
        ),
        (
            s.not_shortlisted.len().to_string(),
            lang.text("sl-fact-none"),
        ),
    ];
    let _ = writeln!(b, "<div class=\"cards\">");
    for (big, label) in cards {
        let _ = writeln!(
            b,
            "<div class=\"card\"><b>{}</b>{}</div>",
            esc(&big),
            esc(&label)
        );
    }
    let _ = writeln!(b, "</div>");
    let (class, key) = match s.status {
        ResultStatus::Optimal => ("proof", "sl-report-optimal"),
        _ => ("warn", "sl-report-time_limit"),
    };
    let _ = writeln!(
        b,
        "<p class=\"{class}\"><b>{}</b> {}</p>",
        esc(&people::status(lang, s.status)),
        esc(&lang.text(key))
    );
    let _ = writeln!(
        b,
        "<p class=\"sub\">{}: {}</p>",
        esc(&lang.text("out-proof")),
        esc(&people::proof(lang, &s.solver))
    );
}

/// One employer's vacancies, each with its candidates best first, who holds
/// a position already and who was interviewed before.
fn employer_section(b: &mut String, p: &Problem, employer: &str, lists: &[&Shortlist], lang: Lang) {
    let _ = writeln!(b, "<h2>{}</h2>", esc(employer));
    let _ = writeln!(
        b,
        "<table><thead><tr><th>{}</th><th class=\"n\">{}</th><th class=\"n\">#</th><th>{}</th><th class=\"n\">{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(&lang.text("out-vacancy")),
        esc(&lang.text("out-open")),
        esc(&lang.text("out-trainee")),
        esc(&lang.text("out-score")),
        esc(&lang.text("out-start-date")),
        esc(&lang.text("out-why")),
    );
    for list in lists {
        let title = p
            .vacancy_ix(&list.vacancy)
            .and_then(|v| p.vacancies[v].title.clone())
            .map_or(String::new(), |t| {
                format!("<br><span class=\"code\">{}</span>", esc(&t))
            });
        let mut notes = Vec::new();
        for h in &list.held_by {
            notes.push(lang.text_with(
                "sl-held-by",
                &[
                    arg("trainee", h.trainee.as_str()),
                    arg("how", h.how.as_str()),
                ],
            ));
        }
        if !list.interviewed_before.is_empty() {
            notes.push(lang.text_with(
                "sl-interviewed-before",
                &[arg(
                    "list",
                    crate::words::list(&list.interviewed_before, 10),
                )],
            ));
        }
        let notes: String = notes
            .iter()
            .map(|n| format!("<br><span class=\"code\">{}</span>", esc(n)))
            .collect();
        let rows = list.candidates.len().max(1);
        let head = format!(
            "<td rowspan=\"{rows}\"><b>{}</b>{title}{notes}</td><td class=\"n\" rowspan=\"{rows}\">{} / {}</td>",
            esc(&list.vacancy),
            list.open,
            list.positions
        );
        if list.candidates.is_empty() {
            let _ = writeln!(
                b,
                "<tr>{head}<td colspan=\"5\">{}</td></tr>",
                esc(&lang.text("sl-report-nobody"))
            );
        }
        for (k, c) in list.candidates.iter().enumerate() {
            let _ = writeln!(
                b,
                "<tr>{}<td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"d\">{}</td><td>{}</td></tr>",
                if k == 0 { head.as_str() } else { "" },
                k + 1,
                esc(&c.trainee),
                lang.decimal(c.score, 4),
                c.start_date,
                esc(&c.why.join(" "))
            );
        }
    }
    let _ = writeln!(b, "</tbody></table>");
}

fn short(b: &mut String, s: &ShortlistSet, lang: Lang) {
    if s.short_shortlists.is_empty() {
        return;
    }
    let _ = writeln!(
        b,
        "<h2>{} ({})</h2>",
        esc(&lang.text("sl-sheet-short")),
        s.short_shortlists.len()
    );
    let _ = writeln!(
        b,
        "<table><thead><tr><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th>{}</th></tr></thead><tbody>",
        esc(&lang.text("out-vacancy")),
        esc(&lang.text("out-candidates")),
        esc(&lang.text("out-wanted")),
        esc(&lang.text("out-reason"))
    );
    for x in &s.short_shortlists {
        let _ = writeln!(
            b,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&x.vacancy),
            x.candidates,
            x.wanted,
            reason_list(lang, &x.reasons)
        );
    }
    let _ = writeln!(b, "</tbody></table>");
}

fn none(b: &mut String, s: &ShortlistSet, lang: Lang) {
    let _ = writeln!(
        b,
        "<h2>{} ({})</h2>",
        esc(&lang.text("sl-sheet-none")),
        s.not_shortlisted.len()
    );
    if s.not_shortlisted.is_empty() {
        return;
    }
    let _ = writeln!(
        b,
        "<table><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(&lang.text("out-trainee")),
        esc(&lang.text("out-reason"))
    );
    for x in &s.not_shortlisted {
        let _ = writeln!(
            b,
            "<tr><td>{}</td><td>{}</td></tr>",
            esc(&x.trainee),
            reason_list(lang, &x.reasons)
        );
    }
    let _ = writeln!(b, "</tbody></table>");
}
