//! A base scenario and its variants side by side, person by person.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::documents::parts::{Reason, ResultStatus};

/// The headline numbers of one scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Column {
    pub file: String,
    pub scenario: String,
    pub status: ResultStatus,
    pub placements: usize,
    pub score: f64,
    /// Placements by destination code.
    pub destinations: BTreeMap<String, usize>,
    /// Each group share as `share` (0–1), labelled `attribute=value in DEST`.
    pub group_shares: BTreeMap<String, f64>,
    pub unfilled_positions: u64,
    /// Per destination: the eligibility rule that alone rules out the most
    /// pairs of trainees who accept it — what closes the route.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub obstacles: BTreeMap<String, String>,
    /// Quotas and shares the match set sits at the bound of.
    pub binding: Vec<String>,
}

/// What changed for one person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PersonChange {
    pub trainee: String,
    /// `moved`, `newly_matched`, `newly_unmatched`, `start_changed`, `added`, `removed`.
    pub change: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_before: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_after: Option<NaiveDate>,
    /// For `newly_unmatched`: why, in the variant.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<Reason>,
}

/// What changed for one vacancy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VacancyChange {
    pub vacancy: String,
    /// `filled` (more positions taken) or `emptied` (fewer).
    pub change: String,
    pub before: usize,
    pub after: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VariantDiff {
    pub column: Column,
    pub people: Vec<PersonChange>,
    pub vacancies: Vec<VacancyChange>,
    /// When the variant records interviews the base does not: that round.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<Round>,
}

/// An interview round: the interviews a variant records beyond its base's
/// (new ones, or a new outcome), and where that leaves people and positions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Round {
    /// Every interview of the round, by trainee then vacancy.
    pub interviewed: Vec<RoundInterview>,
    /// `T030 -> BE-01`: the employer offers, the trainee has not answered.
    pub offered: Vec<String>,
    /// `T030 -> BE-01`: both agreed (a lock from now on).
    pub hired: Vec<String>,
    /// Trainees interviewed in the round who hold neither an acceptance nor
    /// an offer anywhere: they need another round.
    pub trainees_for_another_round: Vec<String>,
    /// Vacancies interviewed in the round with positions that no
    /// acceptance or offer holds: they need another round.
    pub vacancies_for_another_round: Vec<OpenAfterRound>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RoundInterview {
    pub trainee: String,
    pub vacancy: String,
    /// `pending`, `offer`, `accepted`, `rejected_by_employer`, `declined_by_trainee`.
    pub outcome: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OpenAfterRound {
    pub vacancy: String,
    /// Positions held by no acceptance or offer.
    pub open: u32,
}

/// A base and its variants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "palim comparison (palim-compare/1)")]
pub struct Comparison {
    pub format: String,
    pub base: Column,
    pub variants: Vec<VariantDiff>,
    /// What the time limit left out, in words: the scenarios whose main
    /// obstacles were not counted (their `obstacles` are empty). Absent
    /// when nothing was left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unfinished: Option<String>,
}
