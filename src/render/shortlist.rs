//! Interview shortlists as a table for a terminal: per vacancy its
//! candidates, best first; then the short shortlists and the trainees on
//! none, with their reasons.

use std::fmt::Write;

use crate::documents::parts::{Reason, ResultStatus};
use crate::documents::shortlist::ShortlistSet;
use crate::words;

pub fn render(s: &ShortlistSet) -> String {
    let mut out = String::new();
    let o = &s.objective;
    let _ = writeln!(
        out,
        "Interview shortlists for {}: {} per open position, each trainee on at most {}",
        s.scenario,
        words::count(s.per_position as usize, "candidate", "candidates"),
        words::count(s.per_trainee as usize, "shortlist", "shortlists"),
    );
    let status = match s.status {
        ResultStatus::Optimal => "proven optimal",
        ResultStatus::TimeLimit => "stopped at the time limit (not proven optimal)",
        ResultStatus::Infeasible => "no shortlists",
    };
    let _ = writeln!(
        out,
        "{status}: {} of {} open positions covered, {} of {} places used, total score {}",
        o.positions_covered,
        o.open_positions,
        o.places_used,
        o.places_wanted,
        words::num(o.score)
    );
    let _ = writeln!(out, "How: {} — {}", s.solver.engine, s.solver.method);
    for list in &s.shortlists {
        let _ = writeln!(
            out,
            "\n{} — {}, {} ({} of {} positions open): {} of {} wanted",
            list.vacancy,
            list.employer,
            list.destination,
            list.open,
            list.positions,
            words::count(list.candidates.len(), "candidate", "candidates"),
            list.wanted
        );
        for h in &list.held_by {
            let _ = writeln!(out, "   held by {} ({})", h.trainee, h.how);
        }
        for (k, c) in list.candidates.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {:>2}. {:<10} score {:<7} from {}",
                k + 1,
                c.trainee,
                words::num(c.score),
                c.start_date
            );
        }
        if !list.interviewed_before.is_empty() {
            let _ = writeln!(
                out,
                "   interviewed before: {}",
                words::list(&list.interviewed_before, 10)
            );
        }
    }
    if !s.short_shortlists.is_empty() {
        let _ = writeln!(out, "\nShortlists with fewer candidates than wanted:");
        for short in &s.short_shortlists {
            let _ = writeln!(
                out,
                "  {}: {} of {} — {}",
                short.vacancy,
                short.candidates,
                short.wanted,
                reasons(&short.reasons)
            );
        }
    }
    if !s.not_shortlisted.is_empty() {
        let _ = writeln!(
            out,
            "\nOn no shortlist ({}):",
            words::count(s.not_shortlisted.len(), "trainee", "trainees")
        );
        for n in &s.not_shortlisted {
            let _ = writeln!(out, "  {}: {}", n.trainee, reasons(&n.reasons));
        }
    }
    out
}

fn reasons(reasons: &[Reason]) -> String {
    reasons
        .iter()
        .map(|r| format!("{} [{}]", r.message, r.code))
        .collect::<Vec<_>>()
        .join("; ")
}
