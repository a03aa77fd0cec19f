//! The match set document (`"format": "palim-result/1"`), as `shared/contract.md`
//! writes it. Lists are sorted by identifier and numbers rounded to 4 decimals,
//! so the same scenario always gives the same bytes.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::documents::parts::{Reason, ResultStatus};

pub const RESULT_FORMAT: &str = "palim-result/1";

/// The answer to a scenario: who goes where, who is left out and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "palim match set (palim-result/1)")]
pub struct MatchSet {
    /// Always `"palim-result/1"`.
    pub format: String,
    /// The scenario's name.
    pub scenario: String,
    /// SHA-256 of the scenario bytes, so a result can be tied to its input.
    pub input_sha256: String,
    pub status: ResultStatus,
    /// With `time_limit`: how far (relative) the match set may be from optimal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<f64>,
    pub objective: ObjectiveValue,
    /// How the answer was found and proven.
    pub solver: SolverReport,
    pub matches: Vec<Match>,
    pub unmatched_trainees: Vec<Unmatched>,
    pub unfilled_positions: Vec<Unfilled>,
    /// Placements per destination, by code.
    pub destinations: BTreeMap<String, DestinationUsage>,
    pub group_shares: Vec<ShareUsage>,
    /// Why no match set exists; `null` unless `status` is `infeasible`.
    pub infeasibility: Option<Infeasibility>,
    /// With `palim solve --explain`: the reports of `palim explain` for every
    /// unmatched trainee and unfilled vacancy, and for the rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanations: Option<crate::documents::explanation::Explanations>,
    /// When both trainees and employers rank: every eligible pair that would
    /// rather be together than with what they got (`[]`: the match set is
    /// stable). Absent when one side does not rank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocking_pairs: Option<Vec<BlockingPair>>,
    /// With the priority `stable`, when no stable match set exists under the
    /// hard rules: pairs that cannot all be kept from blocking, and the rules
    /// that make it so (rule `stability` for a pair's condition).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stability_conflict: Option<Infeasibility>,
    /// With `palim solve --keep PREVIOUS`: what was kept and who changed, and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replan: Option<crate::documents::replan::Replan>,
}

/// A trainee and a vacancy who would both rather be together: the trainee
/// prefers the vacancy to their match (or to nothing), and the vacancy has an
/// open position or prefers the trainee to one of its holders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BlockingPair {
    pub trainee: String,
    pub vacancy: String,
    /// Both sides' preferences, in the officer's words.
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ObjectiveValue {
    pub placements: usize,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SolverReport {
    /// e.g. `"HiGHS (good_lp)"`.
    pub engine: String,
    /// The method in words, including how optimality was proven.
    pub method: String,
    /// Eligible pairs, i.e. variables of the model.
    pub eligible_pairs: usize,
    /// One entry per priority, in order.
    pub phases: Vec<PhaseReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PhaseReport {
    pub priority: String,
    pub value: f64,
    /// The proven bound; equal to `value` when optimal.
    pub bound: f64,
    pub proven_optimal: bool,
    /// How optimality was established: `integral_lp_relaxation` (the LP
    /// relaxation's optimum was already integral), `branch_and_bound`, or `trivial`.
    pub proof: String,
}

/// A trainee placed at a vacancy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Match {
    pub trainee: String,
    pub vacancy: String,
    pub employer: String,
    pub destination: String,
    pub start_date: NaiveDate,
    pub score: f64,
    /// The weighted parts of the score; they add up to `score`.
    pub breakdown: Breakdown,
    /// The matching officer locked this pair.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub locked: bool,
    /// Plain sentences: why this pair is allowed and what it scores.
    pub why: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Breakdown {
    pub fit: f64,
    pub trainee_preference: f64,
    pub employer_preference: f64,
}

/// At most this many vacancy ids per reason in a match set: enough to act on,
/// without a match set growing with trainees × vacancies.
pub const VACANCIES_LISTED: usize = 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Unmatched {
    pub trainee: String,
    /// Eligible for at least one vacancy (the places went elsewhere), or for none.
    pub eligible_somewhere: bool,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Unfilled {
    pub vacancy: String,
    pub open: u32,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DestinationUsage {
    pub placed: usize,
    pub min: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
    /// The count sits at `max` (or at a positive `min`): the quota shapes the result.
    pub binding: bool,
    /// Positions offered by the destination's vacancies.
    pub positions: u64,
    /// Trainees eligible for at least one of its vacancies.
    pub eligible_trainees: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ShareUsage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    pub attribute: String,
    pub value: serde_json::Value,
    pub share: f64,
    pub members: usize,
    pub placed: usize,
    pub min_share: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_share: Option<f64>,
    /// One member fewer (or more, for `max_share`) would break the rule.
    pub binding: bool,
}

/// Why the hard rules cannot all hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Infeasibility {
    /// The conflict in one paragraph of plain words.
    pub summary: String,
    /// A minimal set of conflicting rules: dropping any one makes the scenario feasible.
    pub conflicting_rules: Vec<ConflictingRule>,
    /// Counts from the eligibility graph that show the conflict.
    pub facts: Vec<String>,
    /// Present when the time limit ended the diagnosis early: what was not done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unfinished: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConflictingRule {
    /// `destination_min`, `destination_max`, `group_share`, `max_per_employer`,
    /// `lock`, or `stability` (a pair that must not block).
    pub rule: String,
    /// What the rule is about: a destination code, an employer, `T017 -> BE-03`.
    pub subject: String,
    pub message: String,
}
