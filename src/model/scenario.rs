//! The scenario document (`"format": "palim/1"`), exactly as `shared/contract.md`
//! writes it.
//!
//! These types are the contract other tools depend on: fields may be added, none
//! renamed. They hold what the user wrote and nothing derived; everything checked
//! or computed lives in [`crate::model::problem::Problem`]. Unknown fields are rejected
//! (with a "did you mean" hint) rather than ignored, because a misspelt
//! `"postions"` silently falling back to a default would change a person's
//! outcome without anyone noticing.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::competency::CompetencyModel;

/// The format tag every scenario starts with.
pub const SCENARIO_FORMAT: &str = "palim/1";

/// What to match: destinations and their rules, trainees, vacancies and the
/// officer's overrides.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(deny_unknown_fields)]
#[schemars(title = "palim scenario (palim/1)")]
pub struct Scenario {
    /// Always `"palim/1"`.
    #[schemars(extend("const" = "palim/1"))]
    pub format: String,
    /// A name for people; it is copied into the match set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The competency model: the name of a file in `models/` (without `.json`)
    /// or an inline model of the same shape.
    pub model: ModelRef,
    /// Where trainees can be placed, keyed by a short code such as `"BE"`.
    pub destinations: BTreeMap<String, Destination>,
    /// Minimum (and maximum) shares of a group among the placements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_shares: Vec<GroupShare>,
    /// No employer receives more than this many placements in total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = crate::limits::MAX_COUNT))]
    pub max_per_employer: Option<u32>,
    /// Pairs the officer has decided must be matched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locks: Vec<PairRef>,
    /// Pairs the officer has decided must not be matched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forbids: Vec<PairRef>,
    /// Interviews held (or planned) and what came of them: an acceptance is
    /// a lock, a rejection or a refusal a forbid, and no pair is proposed
    /// for an interview twice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interviews: Vec<Interview>,
    /// What "best" means once every hard rule holds.
    #[serde(default)]
    pub objective: Objective,
    /// Fit scores supplied by another tool; each replaces the computed fit of its pair.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pair_scores: Vec<PairScore>,
    /// When true, only the pairs listed in `pair_scores` may be matched at all.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pair_scores_only: bool,
    /// The candidates.
    pub trainees: Vec<Trainee>,
    /// The jobs.
    pub vacancies: Vec<Vacancy>,
}

/// A competency model by name (a file in `models/`) or inline.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(untagged)]
pub enum ModelRef {
    /// The name of a bundled model, e.g. `"junior-java-developer"`.
    Named(String),
    /// A model written out in the scenario.
    Inline(Box<CompetencyModel>),
}

/// A country or region trainees are placed in, with its rules.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(deny_unknown_fields)]
pub struct Destination {
    /// A name for people, e.g. `"Flanders, Belgium"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// At least this many trainees are placed here (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = crate::limits::MAX_COUNT))]
    pub min: Option<u32>,
    /// At most this many trainees are placed here (default: no limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = crate::limits::MAX_COUNT))]
    pub max: Option<u32>,
    /// Days from `documents_ready` to the earliest possible start (work permit and
    /// visa). 0 or absent: no permit needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = crate::limits::MAX_DAYS))]
    pub permit_days: Option<u32>,
    /// How uncertain the permit lead time is, for `palim risk`: a triangular
    /// distribution or observed durations in days. `permit_days` stays the
    /// planning value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permit_days_distribution: Option<PermitDistribution>,
    /// Rows tried in order; the first whose `under_age` exceeds the trainee's age on
    /// the start date applies (a row without `under_age` always applies).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub salary_floor: Vec<SalaryFloorRow>,
    /// The default start window of this destination's vacancies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_window: Option<Window>,
    /// Periods in which nobody can start (both days included).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blackouts: Vec<Blackout>,
    /// The currency of salaries here, for messages (e.g. `"EUR"`, `"MAD"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// A distribution of permit lead times in days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum PermitDistribution {
    /// Triangular on [min, max] with its peak at `mode`.
    Triangular { min: f64, mode: f64, max: f64 },
    /// Observed lead times, each equally likely.
    Empirical(Vec<f64>),
}

/// One row of an age-dependent salary floor.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(deny_unknown_fields)]
pub struct SalaryFloorRow {
    /// The row applies to trainees younger than this on the start date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = crate::limits::MAX_AGE))]
    pub under_age: Option<u32>,
    /// The minimum gross annual salary.
    #[schemars(range(min = 0, max = crate::limits::MAX_MONEY))]
    pub annual: f64,
}

/// A start window; either end may be open.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(deny_unknown_fields)]
pub struct Window {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = crate::limits::DATE_PATTERN))]
    pub earliest: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = crate::limits::DATE_PATTERN))]
    pub latest: Option<NaiveDate>,
}

/// A period in which no start can take place, e.g. a flight suspension.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(deny_unknown_fields)]
pub struct Blackout {
    #[schemars(regex(pattern = crate::limits::DATE_PATTERN))]
    pub from: NaiveDate,
    #[schemars(regex(pattern = crate::limits::DATE_PATTERN))]
    pub to: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// Among the placements in `destination` (all placements when absent), the share
/// of trainees whose `attribute` equals `value` lies within the bounds.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(deny_unknown_fields)]
pub struct GroupShare {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    /// `gender`, `region`, or any key of a trainee's `attributes`.
    pub attribute: String,
    pub value: serde_json::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 1))]
    pub min_share: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 1))]
    pub max_share: Option<f64>,
}

/// A (trainee, vacancy) pair named by the officer.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(deny_unknown_fields)]
pub struct PairRef {
    pub trainee: String,
    pub vacancy: String,
    /// Why the officer decided this; shown in explanations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// What came of an interview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InterviewOutcome {
    /// Planned or held, no decision yet.
    Pending,
    /// The employer offers the position; the trainee has not answered.
    Offer,
    /// Both agree: the pair is locked.
    Accepted,
    /// The employer does not want the trainee: the pair is forbidden.
    RejectedByEmployer,
    /// The trainee does not want the position: the pair is forbidden.
    DeclinedByTrainee,
}

impl InterviewOutcome {
    pub const ALL: [InterviewOutcome; 5] = [
        InterviewOutcome::Pending,
        InterviewOutcome::Offer,
        InterviewOutcome::Accepted,
        InterviewOutcome::RejectedByEmployer,
        InterviewOutcome::DeclinedByTrainee,
    ];

    /// The outcome as the scenario writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            InterviewOutcome::Pending => "pending",
            InterviewOutcome::Offer => "offer",
            InterviewOutcome::Accepted => "accepted",
            InterviewOutcome::RejectedByEmployer => "rejected_by_employer",
            InterviewOutcome::DeclinedByTrainee => "declined_by_trainee",
        }
    }

    /// Whether the pair may not be matched after it.
    pub fn forbids(self) -> bool {
        matches!(
            self,
            InterviewOutcome::RejectedByEmployer | InterviewOutcome::DeclinedByTrainee
        )
    }
}

/// An interview of a trainee for a vacancy, and what came of it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(deny_unknown_fields)]
pub struct Interview {
    pub trainee: String,
    pub vacancy: String,
    pub outcome: InterviewOutcome,
    /// When it was held (or is planned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// The officer's note, shown where the outcome is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A pair's fit as scored by another tool (usually in [0, 1]; at most 1,000
/// either way, as a weight).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(deny_unknown_fields)]
pub struct PairScore {
    pub trainee: String,
    pub vacancy: String,
    #[schemars(range(min = -1000, max = crate::limits::MAX_WEIGHT))]
    pub score: f64,
}

/// One criterion of the lexicographic objective.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::IntoStaticStr,
)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Priority {
    /// As many placements as possible.
    Placements,
    /// The best total score.
    Score,
    /// The fewest blocking pairs: a stable match set (nobody would walk
    /// away from it together) when one exists under the hard rules.
    Stable,
}

impl Priority {
    /// The name serde writes.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Priorities are lexicographic: the first is optimised, then held at its optimum
/// while the next is optimised.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    #[serde(default = "default_priorities")]
    pub priorities: Vec<Priority>,
    #[serde(default)]
    pub weights: Weights,
}

impl Default for Objective {
    fn default() -> Self {
        Objective {
            priorities: default_priorities(),
            weights: Weights::default(),
        }
    }
}

fn default_priorities() -> Vec<Priority> {
    vec![Priority::Placements, Priority::Score]
}

/// `score = fit * w_fit + trainee_preference * w_tp + employer_preference * w_ep`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    #[serde(default = "one")]
    #[schemars(range(min = 0, max = crate::limits::MAX_WEIGHT))]
    pub fit: f64,
    #[serde(default = "half")]
    #[schemars(range(min = 0, max = crate::limits::MAX_WEIGHT))]
    pub trainee_preference: f64,
    #[serde(default = "half")]
    #[schemars(range(min = 0, max = crate::limits::MAX_WEIGHT))]
    pub employer_preference: f64,
}

fn one() -> f64 {
    1.0
}
fn half() -> f64 {
    0.5
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            fit: 1.0,
            trainee_preference: 0.5,
            employer_preference: 0.5,
        }
    }
}

/// A skill level: a number on the skill's scale, or a CEFR label (`"B2"`) for
/// skills on the CEFR scale.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(untagged)]
pub enum Level {
    Number(f64),
    Label(String),
}

/// A trained candidate.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(deny_unknown_fields)]
pub struct Trainee {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    /// Decides the age-dependent salary floor; absent: only a floor row without
    /// `under_age` applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = crate::limits::DATE_PATTERN))]
    pub birth_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Skill levels; a skill not listed is level 0.
    #[serde(default)]
    pub skills: BTreeMap<String, Level>,
    /// Destination codes the trainee accepts.
    #[serde(default)]
    pub destinations: Vec<String>,
    #[schemars(regex(pattern = crate::limits::DATE_PATTERN))]
    pub available_from: NaiveDate,
    /// When the documents for a permit are complete; absent: not ready, so no
    /// destination that needs a permit is possible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = crate::limits::DATE_PATTERN))]
    pub documents_ready: Option<NaiveDate>,
    /// Vacancy ids, most wanted first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranking: Vec<String>,
    /// Further attributes usable in group shares (e.g. `"cohort": "A"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, serde_json::Value>,
}

/// A job offered by an employer.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(deny_unknown_fields)]
pub struct Vacancy {
    pub id: String,
    /// Absent: the vacancy counts as its own employer for `max_per_employer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub destination: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// How many trainees it can take (at least 1; default 1).
    #[serde(default = "one_position")]
    #[schemars(range(min = 1, max = crate::limits::MAX_COUNT))]
    pub positions: i64,
    /// Minimum skill levels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub requires: BTreeMap<String, Level>,
    /// Weights of the skills that make a better fit.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, f64>,
    /// Narrows the destination's start window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_window: Option<Window>,
    /// Gross annual salary in the destination's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = crate::limits::MAX_MONEY))]
    pub salary: Option<f64>,
    /// Trainee ids, most wanted first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranking: Vec<String>,
}

fn one_position() -> i64 {
    1
}
