//! Step 5: what a match set means, and what would change it.
//!
//! The reasons of the match set, explanations answered by re-solving,
//! re-plans, comparisons of variants, permit-delay risk and parameter sweeps.
//! Each fills the plain documents of [`crate::documents`].

pub(crate) mod compare;
pub mod explain;
pub mod match_set;
pub mod replan;
pub mod risk;
pub mod shortlist;
pub mod sweep;

use crate::documents::match_set::MatchSet;
use crate::eligibility::Eligibility;
use crate::model::problem::Problem;
use crate::solve::{audit, diagnose, optimize};
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
    let chosen = match &outcome {
        Outcome::Solved(sol) => sol.chosen.clone(),
        _ => Vec::new(),
    };
    Ok((
        chosen,
        match_set::build(problem, elig, &outcome, infeasibility),
    ))
}
