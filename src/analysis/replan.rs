//! Re-planning after people have been told: solve again keeping as many of the
//! previous matches as the most placements allow, and say who changed and why.
//!
//! Priorities become: most placements, then fewest changed matches, then the
//! best score ([`SolveOptions::keep_before_score`]).

use crate::analysis::compare::{diff, PersonChange};
use crate::documents::match_set::{MatchSet, Reason};
pub use crate::documents::replan::Replan;
use crate::eligibility::Eligibility;
use crate::model::problem::Problem;
use crate::rules;
use crate::{PalimError, SolveOptions};

/// The matches of a match set that are eligible pairs of `p`, as pair indices.
pub fn pairs_of(p: &Problem, e: &Eligibility, previous: &MatchSet) -> Vec<usize> {
    let mut out: Vec<usize> = previous
        .matches
        .iter()
        .filter_map(|m| e.pair_index(p.trainee_ix(&m.trainee)?, p.vacancy_ix(&m.vacancy)?))
        .collect();
    out.sort_unstable();
    out
}

/// What a re-plan keeps: the previous match set's pairs (`before`), and
/// every pair with an offer on record (an acceptance is a lock already). An
/// offer made after the interview round is a promise the officer keeps when
/// a change allows it, whether or not the previous match set had the pair.
fn to_keep(p: &Problem, e: &Eligibility, before: &[usize]) -> Vec<usize> {
    let mut out = before.to_vec();
    out.extend(
        p.interviews
            .iter()
            .filter(|i| i.outcome == crate::model::problem::InterviewOutcome::Offer)
            .filter_map(|i| e.pair_index(i.trainee, i.vacancy)),
    );
    out.sort_unstable();
    out.dedup();
    out
}

/// Solve `p` keeping as much of `previous` as the most placements allow.
pub fn solve(
    p: &Problem,
    previous: &MatchSet,
    previous_file: &str,
    opts: &SolveOptions,
) -> Result<MatchSet, PalimError> {
    let e = Eligibility::build(p);
    let before = pairs_of(p, &e, previous);
    let keep = to_keep(p, &e, &before);
    let opts = SolveOptions {
        keep: Some(keep.clone()),
        keep_before_score: true,
        ..opts.clone()
    };
    let (chosen, mut set) = crate::solve_detailed(p, &e, &opts)?;
    // Kept counts the previous match set's pairs only; an offer realised is
    // a promise kept, but not an earlier match.
    let kept = chosen
        .iter()
        .filter(|i| before.binary_search(i).is_ok())
        .count();
    let (mut changed, _) = diff(previous, &set);
    for c in &mut changed {
        if c.from.is_some() && c.change != "newly_matched" {
            c.reasons = why_changed(p, &e, previous, c, set.objective.placements);
        }
    }
    set.replan = Some(Replan {
        previous: previous_file.to_string(),
        previous_input_sha256: previous.input_sha256.clone(),
        kept,
        changed,
    });
    Ok(set)
}

fn why_changed(
    p: &Problem,
    e: &Eligibility,
    previous: &MatchSet,
    c: &PersonChange,
    placements: usize,
) -> Vec<Reason> {
    let reason = |code: &str, message: String| Reason {
        code: code.into(),
        message,
        vacancy: c.from.clone(),
        vacancies: Vec::new(),
        vacancies_total: None,
        trainees: None,
    };
    let from = c.from.as_deref().unwrap_or_default();
    let (Some(t), v) = (p.trainee_ix(&c.trainee), p.vacancy_ix(from)) else {
        return vec![reason(
            "trainee_removed",
            format!("{} is no longer in the scenario", c.trainee),
        )];
    };
    let Some(v) = v else {
        return vec![reason(
            "vacancy_removed",
            format!("{from} is no longer in the scenario"),
        )];
    };
    if e.pair_index(t, v).is_none() {
        return rules::evaluate(p, t, v)
            .violations
            .into_iter()
            .map(|x| Reason {
                code: x.code.as_str().into(),
                message: x.message,
                vacancy: Some(from.to_string()),
                vacancies: Vec::new(),
                vacancies_total: None,
                trainees: None,
            })
            .collect();
    }
    // A limit that the previous plan now exceeds.
    let vac = &p.vacancies[v];
    let dest = &p.destinations[vac.dest];
    let before_dest = previous
        .destinations
        .get(&dest.code)
        .map_or(0, |d| d.placed);
    if let Some(max) = dest.max.filter(|&m| before_dest > m as usize) {
        return vec![reason(
            "destination_quota_reached",
            format!("{} now takes at most {max} placements; the previous plan placed {before_dest} there", dest.label),
        )];
    }
    let before_vac = previous
        .matches
        .iter()
        .filter(|m| m.vacancy == from)
        .count();
    if before_vac > vac.positions as usize {
        return vec![reason(
            "positions_filled",
            format!(
                "{from} now has {} where the previous plan filled {before_vac}",
                crate::words::count(vac.positions as usize, "position", "positions")
            ),
        )];
    }
    let employer = &p.employers[vac.employer];
    let before_emp = previous
        .matches
        .iter()
        .filter(|m| m.employer == *employer)
        .count();
    if let Some(cap) = p.employer_caps[vac.employer].filter(|&cap| before_emp > cap as usize) {
        return vec![reason("employer_cap_reached", format!("{employer} may now receive at most {cap} placements; the previous plan gave it {before_emp}"))];
    }
    vec![reason(
        "replanned_for_placements",
        format!("{} could stay at {from}, but the plan with the most placements ({placements}) and the fewest changes moves them", c.trainee),
    )]
}
