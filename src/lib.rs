//! palim matches trained migrant candidates to job vacancies under hard rules,
//! optimally, and says why.
//!
//! Data flows one way, one module per step:
//!
//! scenario text → [`validate`] → [`problem::Problem`] → [`eligibility`] (the
//! bipartite graph of allowed pairs, decided by [`rules`]) → [`optimize`] (the
//! integer program on HiGHS) → [`audit`] (every hard rule re-checked) →
//! [`explain`] / [`diagnose`] → [`result::MatchSet`] → [`report`] (tables) or JSON.
//!
//! ```no_run
//! use palim::{validate, SolveOptions};
//! let problem = validate::load_file("scenarios/palim-2020/baseline.json".as_ref(), &Default::default())?;
//! let result = palim::solve(&problem, &SolveOptions::default())?;
//! println!("{} placements", result.objective.placements);
//! # Ok::<(), palim::PalimError>(())
//! ```

pub mod audit;
pub mod cli;
pub mod colgen;
pub mod compare;
pub mod competency;
pub mod diagnose;
pub mod documents;
pub mod eligibility;
pub mod error;
pub mod explain;
pub mod flow;
pub mod fmt;
pub mod generate;
pub mod limits;
pub mod locate;
pub mod match_set;
pub mod optimize;
pub mod problem;
pub mod replan;
pub mod report;

pub mod risk;
pub mod rules;
pub mod scenario;
pub mod server;
pub mod service;
pub mod sweep;
pub mod validate;
pub mod variant;

pub use documents::match_set::MatchSet;
pub use error::{InputIssue, InvalidInput, PalimError};
pub use optimize::SolveOptions;

use eligibility::Eligibility;
use optimize::Outcome;
use problem::Problem;

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
