//! The match set as tables for a matching officer's terminal.
//!
//! The table is a view of the JSON document, never a second source of truth:
//! everything printed here comes from [`MatchSet`].

use comfy_table::{presets, Cell, CellAlignment, ContentArrangement, Table};

use crate::documents::match_set::{Infeasibility, MatchSet, Reason, ResultStatus};
use crate::documents::replan::Replan;
use crate::words;

/// Width the tables are laid out for; fixed so output does not depend on the
/// terminal and snapshot tests stay stable.
const WIDTH: u16 = 110;

fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(WIDTH)
        .set_header(header.iter().map(Cell::new));
    t
}

fn right(s: impl ToString) -> Cell {
    Cell::new(s.to_string()).set_alignment(CellAlignment::Right)
}

fn reasons_text(reasons: &[Reason]) -> String {
    reasons
        .iter()
        .map(|r| format!("• {} [{}]", r.message, r.code))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The whole match set as text.
pub fn render(m: &MatchSet) -> String {
    let mut out = format!("{} — {}\n", m.scenario, status(m));
    if m.status == ResultStatus::Infeasible {
        if let Some(inf) = &m.infeasibility {
            out.push_str(&infeasibility(inf));
        }
        return out;
    }
    out.push_str(&format!(
        "{} placed · total score {} · {} eligible pairs · input {}\n\n",
        words::count(m.objective.placements, "trainee", "trainees"),
        words::num(m.objective.score),
        m.solver.eligible_pairs,
        &m.input_sha256[..12.min(m.input_sha256.len())]
    ));
    out.push_str(&format!("Destinations\n{}\n", destinations(m)));
    if !m.group_shares.is_empty() {
        out.push_str(&format!("\nGroup shares\n{}\n", group_shares(m)));
    }
    out.push_str(&format!(
        "\nMatches ({})\n{}\n",
        m.matches.len(),
        matches(m)
    ));
    if !m.unmatched_trainees.is_empty() {
        out.push_str(&format!(
            "\nUnmatched trainees ({})\n{}\n",
            m.unmatched_trainees.len(),
            unmatched(m)
        ));
    }
    if !m.unfilled_positions.is_empty() {
        let open: u64 = m.unfilled_positions.iter().map(|u| u64::from(u.open)).sum();
        out.push_str(&format!(
            "\nUnfilled positions ({open} at {} vacancies)\n{}\n",
            m.unfilled_positions.len(),
            unfilled(m)
        ));
    }
    if let Some(r) = &m.replan {
        out.push_str(&replan(r));
    }
    out.push_str(&format!("\nMethod: {}.\n", m.solver.method));
    out
}

/// The status in words: proven, stopped by the time limit (with the gap), or infeasible.
fn status(m: &MatchSet) -> String {
    match m.status {
        ResultStatus::Optimal => "optimal (proven)".to_string(),
        ResultStatus::TimeLimit => format!(
            "time limit reached: feasible, not proven optimal (gap {})",
            m.gap
                .map_or("unknown".into(), |g| format!("{}%", words::num(g * 100.0)))
        ),
        ResultStatus::Infeasible => "INFEASIBLE: no match set satisfies the hard rules".to_string(),
    }
}

/// The minimal conflict and the facts behind it.
fn infeasibility(inf: &Infeasibility) -> String {
    let mut out = format!(
        "\n{}\n\nConflicting rules (remove any one and a match set exists):\n",
        inf.summary
    );
    for r in &inf.conflicting_rules {
        out.push_str(&format!("  • {} [{}: {}]\n", r.message, r.rule, r.subject));
    }
    if !inf.facts.is_empty() {
        out.push_str("\nFacts from the eligibility graph:\n");
        for f in &inf.facts {
            out.push_str(&format!("  • {f}\n"));
        }
    }
    out
}

fn destinations(m: &MatchSet) -> Table {
    let mut dests = table(&[
        "Destination",
        "Placed",
        "Min",
        "Max",
        "Positions",
        "Eligible trainees",
        "Quota binding",
    ]);
    for (code, d) in &m.destinations {
        dests.add_row(vec![
            Cell::new(code),
            right(d.placed),
            right(d.min),
            right(d.max.map_or("—".to_string(), |x| x.to_string())),
            right(d.positions),
            right(d.eligible_trainees),
            Cell::new(if d.binding { "yes" } else { "no" }),
        ]);
    }
    dests
}

fn group_shares(m: &MatchSet) -> Table {
    let mut shares = table(&[
        "Destination",
        "Group",
        "Members / placed",
        "Share",
        "Required",
        "Binding",
    ]);
    for s in &m.group_shares {
        let value = s.value.as_str().map_or(s.value.to_string(), str::to_string);
        let required = match s.max_share {
            Some(mx) => format!(
                "{}% – {}%",
                words::num(s.min_share * 100.0),
                words::num(mx * 100.0)
            ),
            None => format!("≥ {}%", words::num(s.min_share * 100.0)),
        };
        shares.add_row(vec![
            Cell::new(s.destination.clone().unwrap_or_else(|| "all".into())),
            Cell::new(format!("{} = {value}", s.attribute)),
            right(format!("{} / {}", s.members, s.placed)),
            right(format!("{}%", words::num(words::round4(s.share * 100.0)))),
            right(required),
            Cell::new(if s.binding { "yes" } else { "no" }),
        ]);
    }
    shares
}

fn matches(m: &MatchSet) -> Table {
    let mut matches = table(&[
        "Trainee", "Vacancy", "Employer", "Dest", "Start", "Score", "Fit", "Pref T", "Pref E",
    ]);
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
            right(words::num(x.score)),
            right(words::num(x.breakdown.fit)),
            right(words::num(x.breakdown.trainee_preference)),
            right(words::num(x.breakdown.employer_preference)),
        ]);
    }
    matches
}

fn unmatched(m: &MatchSet) -> Table {
    let mut un = table(&["Trainee", "Eligible somewhere", "Why not matched"]);
    for u in &m.unmatched_trainees {
        un.add_row(vec![
            Cell::new(&u.trainee),
            Cell::new(if u.eligible_somewhere { "yes" } else { "no" }),
            Cell::new(reasons_text(&u.reasons)),
        ]);
    }
    un
}

fn unfilled(m: &MatchSet) -> Table {
    let mut uf = table(&["Vacancy", "Open", "Why not filled"]);
    for u in &m.unfilled_positions {
        uf.add_row(vec![
            Cell::new(&u.vacancy),
            right(u.open),
            Cell::new(reasons_text(&u.reasons)),
        ]);
    }
    uf
}

/// Who moved since the previous plan, and why.
fn replan(r: &Replan) -> String {
    let mut out = format!(
        "\nRe-plan against {}: {} of its matches kept, {} changed\n",
        r.previous,
        r.kept,
        words::count(r.changed.len(), "person", "people")
    );
    for c in &r.changed {
        let why: Vec<String> = c
            .reasons
            .iter()
            .map(|x| format!("{} [{}]", x.message, x.code))
            .collect();
        out.push_str(&format!(
            "  • {}: {} → {}{}\n",
            c.trainee,
            c.from.as_deref().unwrap_or("unmatched"),
            c.to.as_deref().unwrap_or("unmatched"),
            if why.is_empty() {
                String::new()
            } else {
                format!(" — {}", why.join("; "))
            }
        ));
    }
    out
}
