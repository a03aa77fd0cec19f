//! The match set as tables for a matching officer's terminal.
//!
//! The table is a view of the JSON document, never a second source of truth:
//! everything printed here comes from [`MatchSet`].

use comfy_table::{presets, Cell, CellAlignment, ContentArrangement, Table};

use crate::documents::match_set::{Infeasibility, MatchSet, Reason, ResultStatus};
use crate::documents::replan::Replan;
use crate::lang::{arg, Lang};
use crate::render::people::yes_no;
use crate::words;

/// Width the tables are laid out for; fixed so output does not depend on the
/// terminal and snapshot tests stay stable.
const WIDTH: u16 = 110;

/// A table whose header cells are the messages `tbl-h-<key>` in `lang`.
fn table(lang: Lang, header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(WIDTH)
        .set_header(
            header
                .iter()
                .map(|k| Cell::new(lang.text(&format!("tbl-h-{k}")))),
        );
    t
}

/// A number as `words::num` writes it, with a decimal comma in Dutch and French.
pub(crate) fn num(lang: Lang, x: f64) -> String {
    let s = words::num(x);
    match lang {
        Lang::En => s,
        Lang::Nl | Lang::Fr => s.replace('.', ","),
    }
}

/// `1 trainee`, `3 trainees` (the message `<key>-one` or `<key>-other`).
pub(crate) fn count(lang: Lang, key: &str, n: usize) -> String {
    let which = if n == 1 { "one" } else { "other" };
    lang.text_with(&format!("{key}-{which}"), &[arg("count", n.to_string())])
}

fn right(s: impl ToString) -> Cell {
    Cell::new(s.to_string()).set_alignment(CellAlignment::Right)
}

/// Reasons as bullets.
fn reasons_text(lang: Lang, reasons: &[Reason]) -> String {
    reasons
        .iter()
        .map(|r| format!("• {}", reason_line(lang, r)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One reason with its code; in Dutch and French it starts with its label
/// in that language, before the case's own facts (which are in English).
pub(crate) fn reason_line(lang: Lang, r: &Reason) -> String {
    match lang {
        Lang::En => format!("{} [{}]", r.message, r.code),
        _ => format!(
            "{}: {} [{}]",
            crate::render::people::reason_label(lang, &r.code),
            r.message,
            r.code
        ),
    }
}

/// The whole match set as text, in English.
pub fn render(m: &MatchSet) -> String {
    render_in(m, Lang::En)
}

/// The whole match set as text in `lang`.
pub fn render_in(m: &MatchSet, lang: Lang) -> String {
    let mut out = format!("{} — {}\n", m.scenario, status(lang, m));
    if m.status == ResultStatus::Infeasible {
        if let Some(inf) = &m.infeasibility {
            out.push_str(&infeasibility(lang, inf));
        }
        return out;
    }
    let summary = lang.text_with(
        "tbl-summary",
        &[
            arg(
                "placed",
                count(lang, "tbl-trainees", m.objective.placements),
            ),
            arg("score", num(lang, m.objective.score)),
            arg("pairs", m.solver.eligible_pairs.to_string()),
            arg("input", &m.input_sha256[..12.min(m.input_sha256.len())]),
        ],
    );
    out.push_str(&format!("{summary}\n\n"));
    out.push_str(&format!(
        "{}\n{}\n",
        lang.text("tbl-destinations"),
        destinations(lang, m)
    ));
    if !m.group_shares.is_empty() {
        out.push_str(&format!(
            "\n{}\n{}\n",
            lang.text("tbl-group-shares"),
            group_shares(lang, m)
        ));
    }
    let n = |k: &str, c: usize| lang.text_with(k, &[arg("count", c.to_string())]);
    out.push_str(&format!(
        "\n{}\n{}\n",
        n("tbl-matches", m.matches.len()),
        matches(lang, m)
    ));
    if !m.unmatched_trainees.is_empty() {
        let head = n("tbl-unmatched", m.unmatched_trainees.len());
        out.push_str(&format!("\n{head}\n{}\n", unmatched(lang, m)));
    }
    if !m.unfilled_positions.is_empty() {
        let open: u64 = m.unfilled_positions.iter().map(|u| u64::from(u.open)).sum();
        let head = lang.text_with(
            "tbl-unfilled",
            &[
                arg("open", open.to_string()),
                arg("vacancies", m.unfilled_positions.len().to_string()),
            ],
        );
        out.push_str(&format!("\n{head}\n{}\n", unfilled(lang, m)));
    }
    if let Some(blocking) = m.blocking_pairs.as_deref().filter(|b| !b.is_empty()) {
        let lines: Vec<String> = blocking
            .iter()
            .map(|b| format!("  {} → {}: {}", b.trainee, b.vacancy, b.why))
            .collect();
        let head = n("tbl-blocking", blocking.len());
        out.push_str(&format!("\n{head}\n{}\n", lines.join("\n")));
    }
    if let Some(c) = &m.stability_conflict {
        out.push_str(&format!(
            "\n{}\n  {}\n",
            lang.text("tbl-unstable"),
            c.summary
        ));
    }
    if let Some(r) = &m.replan {
        out.push_str(&replan(lang, r));
    }
    let method = lang.text_with("tbl-method", &[arg("method", m.solver.method.as_str())]);
    out.push_str(&format!("\n{method}\n"));
    out
}

/// The status in words: proven, stopped by the time limit (with the gap), or infeasible.
fn status(lang: Lang, m: &MatchSet) -> String {
    match m.status {
        ResultStatus::Optimal => lang.text("tbl-status-optimal"),
        ResultStatus::TimeLimit => {
            let gap = m.gap.map_or(lang.text("tbl-gap-unknown"), |g| {
                format!("{}%", num(lang, g * 100.0))
            });
            lang.text_with("tbl-status-time-limit", &[arg("gap", gap)])
        }
        ResultStatus::Infeasible => lang.text("tbl-status-infeasible"),
    }
}

/// The minimal conflict and the facts behind it.
fn infeasibility(lang: Lang, inf: &Infeasibility) -> String {
    let mut out = format!("\n{}\n\n{}\n", inf.summary, lang.text("tbl-conflicts"));
    for r in &inf.conflicting_rules {
        out.push_str(&format!("  • {} [{}: {}]\n", r.message, r.rule, r.subject));
    }
    if !inf.facts.is_empty() {
        out.push_str(&format!("\n{}\n", lang.text("tbl-facts")));
        for f in &inf.facts {
            out.push_str(&format!("  • {f}\n"));
        }
    }
    out
}

fn destinations(lang: Lang, m: &MatchSet) -> Table {
    let mut dests = table(
        lang,
        &[
            "destination",
            "placed",
            "min",
            "max",
            "positions",
            "eligible",
            "quota-binding",
        ],
    );
    for (code, d) in &m.destinations {
        dests.add_row(vec![
            Cell::new(code),
            right(d.placed),
            right(d.min),
            right(d.max.map_or("—".to_string(), |x| x.to_string())),
            right(d.positions),
            right(d.eligible_trainees),
            Cell::new(yes_no(lang, d.binding)),
        ]);
    }
    dests
}

fn group_shares(lang: Lang, m: &MatchSet) -> Table {
    let mut shares = table(
        lang,
        &[
            "destination",
            "group",
            "members",
            "share",
            "required",
            "binding",
        ],
    );
    for s in &m.group_shares {
        let value = s.value.as_str().map_or(s.value.to_string(), str::to_string);
        let required = match s.max_share {
            Some(mx) => format!(
                "{}% – {}%",
                num(lang, s.min_share * 100.0),
                num(lang, mx * 100.0)
            ),
            None => format!("≥ {}%", num(lang, s.min_share * 100.0)),
        };
        shares.add_row(vec![
            Cell::new(
                s.destination
                    .clone()
                    .unwrap_or_else(|| lang.text("tbl-all")),
            ),
            Cell::new(format!("{} = {value}", s.attribute)),
            right(format!("{} / {}", s.members, s.placed)),
            right(format!("{}%", num(lang, words::round4(s.share * 100.0)))),
            right(required),
            Cell::new(yes_no(lang, s.binding)),
        ]);
    }
    shares
}

fn matches(lang: Lang, m: &MatchSet) -> Table {
    let mut matches = table(
        lang,
        &[
            "trainee", "vacancy", "employer", "dest", "start", "score", "fit", "pref-t", "pref-e",
        ],
    );
    for x in &m.matches {
        matches.add_row(vec![
            Cell::new(format!(
                "{}{}",
                x.trainee,
                if x.locked { " 🔒" } else { "" }
            )),
            Cell::new(&x.vacancy),
            Cell::new(&x.employer),
            Cell::new(&x.destination),
            Cell::new(x.start_date.to_string()),
            right(num(lang, x.score)),
            right(num(lang, x.breakdown.fit)),
            right(num(lang, x.breakdown.trainee_preference)),
            right(num(lang, x.breakdown.employer_preference)),
        ]);
    }
    matches
}

fn unmatched(lang: Lang, m: &MatchSet) -> Table {
    let mut un = table(lang, &["trainee", "eligible-somewhere", "why-unmatched"]);
    for u in &m.unmatched_trainees {
        un.add_row(vec![
            Cell::new(&u.trainee),
            Cell::new(yes_no(lang, u.eligible_somewhere)),
            Cell::new(reasons_text(lang, &u.reasons)),
        ]);
    }
    un
}

fn unfilled(lang: Lang, m: &MatchSet) -> Table {
    let mut uf = table(lang, &["vacancy", "open", "why-unfilled"]);
    for u in &m.unfilled_positions {
        uf.add_row(vec![
            Cell::new(&u.vacancy),
            right(u.open),
            Cell::new(reasons_text(lang, &u.reasons)),
        ]);
    }
    uf
}

/// Who moved since the previous plan, and why.
fn replan(lang: Lang, r: &Replan) -> String {
    let head = lang.text_with(
        "tbl-replan",
        &[
            arg("previous", r.previous.as_str()),
            arg("kept", r.kept.to_string()),
            arg("changed", count(lang, "tbl-people", r.changed.len())),
        ],
    );
    let mut out = format!("\n{head}\n");
    let unmatched = lang.text("tbl-unmatched-word");
    for c in &r.changed {
        let why: Vec<String> = c
            .reasons
            .iter()
            .map(|x| format!("{} [{}]", x.message, x.code))
            .collect();
        out.push_str(&format!(
            "  • {}: {} → {}{}\n",
            c.trainee,
            c.from.as_deref().unwrap_or(&unmatched),
            c.to.as_deref().unwrap_or(&unmatched),
            if why.is_empty() {
                String::new()
            } else {
                format!(" — {}", why.join("; "))
            }
        ));
    }
    out
}
