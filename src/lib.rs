//! palim matches trained migrant candidates to job vacancies under hard rules,
//! optimally, and says why.
//!
//! Data flows one way, one folder per step (ARCHITECTURE.md has the map):
//!
//! scenario text → [`input`] (validated into a [`model::problem::Problem`]) →
//! [`eligibility`] (the bipartite graph of allowed pairs, decided by
//! [`rules`]) → [`solve`](mod@solve) (flow, core method or integer program on HiGHS, then
//! the audit of every hard rule) → [`analysis`] (the match set and its
//! reasons, explanations, re-plans, comparisons, risk) → [`documents`] →
//! [`render`] (tables) or JSON, through the front ends in [`app`].
//!
//! ```no_run
//! use palim::{input::load, SolveOptions};
//! let problem = load::load_file("scenarios/palim-2020/baseline.json".as_ref(), &Default::default())?;
//! let result = palim::solve(&problem, &SolveOptions::default())?;
//! println!("{} placements", result.objective.placements);
//! # Ok::<(), palim::PalimError>(())
//! ```

pub mod analysis;
pub mod app;
pub mod documents;
pub mod eligibility;
pub mod error;
pub mod input;
pub mod lang;
pub mod limits;
pub mod locate;
pub mod model;
pub mod render;
pub mod rules;
pub mod solve;
pub mod words;

pub use analysis::{solve, solve_detailed, solve_with};
pub use documents::match_set::MatchSet;
pub use error::{InputIssue, InvalidInput, PalimError};
pub use solve::optimize::SolveOptions;
