//! Interview shortlists (`"format": "palim-shortlist/1"`): who to interview
//! for each vacancy, which vacancies get fewer candidates than asked and
//! why, who is on no shortlist and why, and how the shortlists were proven
//! the best. Sorted by id and rounded to 4 decimals, like a match set, so the
//! same scenario always gives the same bytes.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::documents::match_set::SolverReport;
use crate::documents::parts::{Reason, ResultStatus};

pub const SHORTLIST_FORMAT: &str = "palim-shortlist/1";

/// Candidates to interview, per vacancy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "palim interview shortlists (palim-shortlist/1)")]
pub struct ShortlistSet {
    /// Always `"palim-shortlist/1"`.
    pub format: String,
    pub scenario: String,
    /// SHA-256 of the scenario bytes.
    pub input_sha256: String,
    /// Candidates asked per open position (K).
    pub per_position: u32,
    /// Shortlists a trainee may be on at most (M).
    pub per_trainee: u32,
    /// `optimal`, or `time_limit` (then `solver.phases` holds the bounds).
    pub status: ResultStatus,
    pub objective: ShortlistObjective,
    /// How the shortlists were found and proven, one phase per goal
    /// (`positions_covered`, `places_used`, `score`).
    pub solver: SolverReport,
    /// Every vacancy with an open position, by id (an empty `candidates`
    /// when nobody could be proposed).
    pub shortlists: Vec<Shortlist>,
    /// Vacancies with fewer candidates than `per_position ×` their open
    /// positions, and why.
    pub short_shortlists: Vec<ShortShortlist>,
    /// Trainees on no shortlist, and why.
    pub not_shortlisted: Vec<NotShortlisted>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ShortlistObjective {
    /// Σ over vacancies of min(candidates, open positions): the first goal.
    pub positions_covered: u32,
    /// Open positions in all: the most `positions_covered` could be.
    pub open_positions: u32,
    /// Shortlist places used (candidates in all): the second goal.
    pub places_used: usize,
    /// Σ over vacancies of `per_position ×` open positions.
    pub places_wanted: u64,
    /// Total score of the shortlisted pairs: the third goal.
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Shortlist {
    pub vacancy: String,
    pub employer: String,
    pub destination: String,
    pub positions: u32,
    /// Positions not held by a lock, an acceptance or an offer.
    pub open: u32,
    /// `per_position × open`.
    pub wanted: u32,
    /// The candidates, best score first.
    pub candidates: Vec<Candidate>,
    /// Who already holds a position here: locked or accepted, or offered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub held_by: Vec<Holder>,
    /// Trainees interviewed here before, not proposed again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interviewed_before: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Candidate {
    pub trainee: String,
    pub score: f64,
    /// The earliest day they could start there.
    pub start_date: NaiveDate,
    /// Plain sentences: why the pair is allowed and what it scores.
    pub why: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Holder {
    pub trainee: String,
    /// `locked`, `accepted` or `offer`.
    pub how: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ShortShortlist {
    pub vacancy: String,
    pub wanted: u32,
    pub candidates: u32,
    /// Codes: `no_eligible_trainee` (then one reason per eligibility rule),
    /// `candidates_at_their_limit`, `group_share_limit`,
    /// `interviewed_before`, `candidates_placed`.
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NotShortlisted {
    pub trainee: String,
    /// Eligible for at least one vacancy, or for none.
    pub eligible_somewhere: bool,
    /// Codes: `already_placed`, `holds_offer`, `interviewed_before`,
    /// `no_open_position`, `shortlist_full`, `group_share_limit`, or the
    /// eligibility rules' codes when eligible nowhere.
    pub reasons: Vec<Reason>,
}
