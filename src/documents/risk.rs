//! The permit-delay risk of each match.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The risk of one pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PairRisk {
    pub trainee: String,
    pub vacancy: String,
    /// Share of sampled lead times with which the pair stays possible.
    pub on_time: f64,
    /// The latest date the documents (the permit clock) may start and still
    /// give at least `confidence` chance of an on-time start; checked by
    /// simulating again with that date. Absent when no documents date
    /// reaches it (availability or the window decide).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documents_by: Option<NaiveDate>,
}

/// The risk report of a match set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RiskReport {
    pub samples: usize,
    pub seed: u64,
    pub confidence: f64,
    pub matches: Vec<PairRisk>,
    /// Expected number of matches that start on time.
    pub expected_on_time: f64,
    pub placements: usize,
}
