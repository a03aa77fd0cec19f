//! What `palim validate` and `palim explain` print.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::documents::explanation::{RulesReport, SkillsReport, TraineeReport, VacancyReport};

/// What a valid scenario holds: `palim validate --format json`, `POST /v1/validate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Always `true` (an invalid scenario gets the list of its problems instead).
    pub valid: bool,
    pub file: String,
    pub trainees: usize,
    pub vacancies: usize,
    pub positions: u64,
    pub destinations: usize,
    /// Trainee–vacancy pairs every eligibility rule allows.
    pub eligible_pairs: usize,
}

/// One `palim explain` report.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Report {
    Trainee(TraineeReport),
    Vacancy(VacancyReport),
    Rules(RulesReport),
    Skills(SkillsReport),
}
