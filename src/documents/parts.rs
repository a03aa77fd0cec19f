//! The small types several documents share: a result's status and a reason
//! with its code. They sit apart so that the documents that hold each other
//! (a match set holds explanations and a re-plan; those hold reasons and
//! statuses) do not import each other in a circle.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResultStatus {
    /// Proven optimal for every priority.
    Optimal,
    /// A feasible match set, not proven optimal: see `gap`.
    TimeLimit,
    /// No match set satisfies the hard rules: see `infeasibility`.
    Infeasible,
}

impl ResultStatus {
    /// The status as the JSON documents spell it (`time_limit`), for the
    /// tables and pages that show it as a code.
    pub fn code(self) -> &'static str {
        match self {
            ResultStatus::Optimal => "optimal",
            ResultStatus::TimeLimit => "time_limit",
            ResultStatus::Infeasible => "infeasible",
        }
    }
}

/// A reason with a stable code and a message a person can read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Reason {
    /// Stable snake_case code: the ineligibility codes of the contract, or
    /// `positions_filled`, `destination_quota_reached`, `employer_cap_reached`,
    /// `group_share_limit`, `lost_to_stability`, `not_chosen_for_score`, `no_eligible_trainee`,
    /// `candidates_placed_elsewhere`, `no_other_eligible_trainee`.
    pub code: String,
    pub message: String,
    /// The vacancy concerned, when there is exactly one (or the first of `vacancies`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vacancy: Option<String>,
    /// The vacancies the reason covers, in order: all of them, or the first
    /// `VACANCIES_LISTED` when `vacancies_total` says there are more.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vacancies: Vec<String>,
    /// How many vacancies the reason covers, when that is more than are
    /// listed (a national scenario's "does not accept Antwerpen" covers
    /// hundreds; `palim explain --trainee` lists them all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vacancies_total: Option<usize>,
    /// How many trainees the reason covers (for unfilled positions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trainees: Option<usize>,
}

#[cfg(test)]
mod tests {
    use super::ResultStatus;

    #[test]
    fn a_status_code_is_the_json_s_spelling() {
        for s in [
            ResultStatus::Optimal,
            ResultStatus::TimeLimit,
            ResultStatus::Infeasible,
        ] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.code());
        }
    }
}
