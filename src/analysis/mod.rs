//! Step 5: what a match set means, and what would change it.
//!
//! The reasons of the match set, explanations answered by re-solving,
//! re-plans, comparisons of variants, permit-delay risk and parameter sweeps.
//! Each fills the plain documents of [`crate::documents`].

pub mod compare;
pub mod explain;
pub mod match_set;
pub mod replan;
pub mod risk;
pub mod shortlist;
pub mod sweep;

pub use compare::obstacles;

use crate::documents::match_set::MatchSet;
use crate::eligibility::Eligibility;
use crate::model::problem::Problem;
use crate::solve::{audit, diagnose, optimize};
use crate::words;
use crate::PalimError;
use optimize::{Outcome, SolveOptions};

/// Solve a validated scenario and explain the answer.
///
/// Every answer is audited against the hard rules before it is returned; an
/// answer that breaks one is a bug and comes back as an error, never as output.
pub fn solve(problem: &Problem, opts: &SolveOptions) -> Result<MatchSet, PalimError> {
    let elig = Eligibility::build(problem);
    solve_with(problem, &elig, opts)
}

/// [`solve`] on an eligibility graph already built.
pub fn solve_with(
    problem: &Problem,
    elig: &Eligibility,
    opts: &SolveOptions,
) -> Result<MatchSet, PalimError> {
    solve_detailed(problem, elig, opts).map(|(_, set)| set)
}

/// The match set and the chosen pairs (indices into `elig.pairs`) behind it.
pub fn solve_detailed(
    problem: &Problem,
    elig: &Eligibility,
    opts: &SolveOptions,
) -> Result<(Vec<usize>, MatchSet), PalimError> {
    solve_keeping(problem, elig, opts).map(|s| (s.chosen, s.set))
}

/// A solve as [`solve_detailed`] gives it, with what its explanations can
/// start from.
pub struct Solved {
    /// The chosen pairs, indices into the eligibility graph's pairs.
    pub chosen: Vec<usize>,
    pub set: MatchSet,
    /// The score's LP as the core method left it ([`optimize::Solution::start`]):
    /// the explanations' what-ifs start from it, now or in a later process
    /// (`palim solve -o R.json` keeps it beside the result).
    pub start: Option<optimize::KeptStart>,
}

/// [`solve_detailed`], keeping the solve's LP start.
pub fn solve_keeping(
    problem: &Problem,
    elig: &Eligibility,
    opts: &SolveOptions,
) -> Result<Solved, PalimError> {
    // One deadline for the solve and the diagnosis of an infeasible answer
    // (the time limit is folded into it, so it is not counted twice).
    let deadline = optimize::deadline_after(opts.time_limit, opts.deadline);
    let opts = &SolveOptions {
        deadline,
        time_limit: None,
        ..opts.clone()
    };
    let outcome = optimize::solve(problem, elig, opts)?;
    let infeasibility = match &outcome {
        Outcome::Solved(sol) => {
            let broken = audit::violations(problem, elig, &sol.chosen);
            if !broken.is_empty() {
                return Err(PalimError::Solver(format!(
                    "internal error: the solver's answer breaks {}; please report this scenario",
                    broken.join("; ")
                )));
            }
            None
        }
        Outcome::Infeasible => Some(diagnose::explain_infeasibility(problem, elig, deadline)?),
        Outcome::NoSolutionInTime => return Err(PalimError::NoSolutionInTime),
    };
    let (chosen, start) = match &outcome {
        Outcome::Solved(sol) => (sol.chosen.clone(), sol.start.clone()),
        _ => (Vec::new(), None),
    };
    let mut set = match_set::build(problem, elig, &outcome, infeasibility);
    if let Outcome::Solved(sol) = &outcome {
        set.stability_conflict = instability(problem, elig, sol, deadline)?;
        lost_to_stability(problem, elig, &mut set, opts)?;
    }
    Ok(Solved { chosen, set, start })
}

/// Why no stable match set exists, when the priority `stable` proved that
/// every match set has a blocking pair.
fn instability(
    p: &Problem,
    e: &Eligibility,
    sol: &optimize::Solution,
    deadline: Option<std::time::Instant>,
) -> Result<Option<crate::documents::match_set::Infeasibility>, PalimError> {
    // Only a first priority speaks of every match set under the hard rules.
    let proven_unstable = sol.phases.first().is_some_and(|ph| {
        ph.priority == crate::model::scenario::Priority::Stable
            && ph.status == optimize::Status::Optimal
            && ph.value > 0.0
    });
    if !proven_unstable {
        return Ok(None);
    }
    let Ok(rows) = crate::solve::stability::Stability::new(p, e) else {
        return Ok(None);
    };
    let blocking = rows.blocking(e.pairs.len(), &sol.chosen);
    diagnose::stability_conflict(p, e, &rows, &blocking, deadline)
}

/// With `stable` first, the unmatched trainees that the best match set
/// without it places: they lost out to stability, not to capacity. Each
/// gets the reason `lost_to_stability` first, naming where that match set
/// places them (one more solve, within the same deadline).
fn lost_to_stability(
    p: &Problem,
    e: &Eligibility,
    set: &mut MatchSet,
    opts: &SolveOptions,
) -> Result<(), PalimError> {
    use crate::model::scenario::Priority;
    if p.priorities.first() != Some(&Priority::Stable)
        || !set.unmatched_trainees.iter().any(|u| u.eligible_somewhere)
    {
        return Ok(());
    }
    let mut q = p.clone();
    q.priorities.retain(|&x| x != Priority::Stable);
    if q.priorities.is_empty() {
        q.priorities.push(Priority::Placements);
    }
    // Only a proven optimum is "the best match set".
    let without = match optimize::solve(&q, e, opts)? {
        Outcome::Solved(sol) if sol.status == optimize::Status::Optimal => sol,
        _ => return Ok(()),
    };
    let order: Vec<&str> = q.priorities.iter().map(|x| x.as_str()).collect();
    let placed = without.chosen.len();
    for u in set
        .unmatched_trainees
        .iter_mut()
        .filter(|u| u.eligible_somewhere)
    {
        let Some(t) = p.trainee_ix(&u.trainee) else {
            continue;
        };
        let Some(&i) = without.chosen.iter().find(|&&i| e.pairs[i].t == t) else {
            continue;
        };
        let vid = p.vacancies[e.pairs[i].v].id.clone();
        let message = format!(
            "without the priority `stable`, the best match set ({}: {}) places {} at {vid}; with the fewest blocking pairs first, {}'s places go to others",
            order.join(" then "),
            words::count(placed, "placement", "placements"),
            u.trainee,
            u.trainee
        );
        let mut reason = match_set::simple_reason("lost_to_stability", message);
        reason.vacancy = Some(vid.clone());
        reason.vacancies = vec![vid];
        u.reasons.insert(0, reason);
    }
    Ok(())
}
