//! What explanations say: reports on a trainee, a vacancy, the rules and the skills, the what-ifs behind them and the nearest misses.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::documents::parts::Reason;
pub use crate::rules::Fix;
use crate::rules::ReasonCode;

/// Every report an unplaced person or open position needs, for the match set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Explanations {
    pub unmatched_trainees: Vec<TraineeReport>,
    pub unfilled_vacancies: Vec<VacancyReport>,
    pub rules: RulesReport,
    /// Present when the time limit came first: what was not computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unfinished: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TraineeReport {
    pub trainee: String,
    /// One sentence: where the trainee is, or why nowhere.
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<MatchedInfo>,
    /// Every vacancy the trainee is eligible for but does not hold: who holds it and why.
    pub competition: Vec<Competition>,
    /// Changes that give the trainee a place (or, when matched, a higher choice),
    /// each found by solving again.
    pub changes: Vec<Effect>,
    /// When the trainee is eligible nowhere (or to show what is close): the
    /// smallest changes to the data that would make them eligible.
    pub nearest_misses: Vec<MissGroup>,
    /// For an unmatched trainee: what the nearest miss's fixes would do to the
    /// match set (solved again with the changed data).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub if_nearest_fixed: Option<Effect>,
    /// Present when the time limit came first: what was not computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unfinished: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MatchedInfo {
    pub vacancy: String,
    pub start_date: NaiveDate,
    pub score: f64,
    pub why: Vec<String>,
    /// How much room each rule leaves: days, money, skill levels.
    pub slack: Vec<String>,
    /// The trainee's higher-ranked choices and why they did not happen.
    pub higher_choices: Vec<Choice>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Choice {
    pub vacancy: String,
    pub rank: usize,
    pub eligible: bool,
    pub reason: String,
    /// The cost of placing the trainee there instead (a lock, re-solved).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub swap: Option<Effect>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Competition {
    pub vacancy: String,
    /// The trainee's score there.
    pub score: f64,
    /// Who holds its positions, with their scores.
    pub holders: Vec<Holder>,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Holder {
    pub trainee: String,
    pub score: f64,
    pub start_date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VacancyReport {
    pub vacancy: String,
    pub employer: String,
    pub destination: String,
    pub positions: u32,
    pub summary: String,
    /// Who holds the positions (for an employer: only as a count, unless they ranked them).
    pub holders: Vec<Holder>,
    pub open: u32,
    /// Why positions stay open (the match set's reasons).
    pub reasons: Vec<Reason>,
    /// Changes that would fill an open position, each found by solving again.
    pub changes: Vec<Effect>,
    /// When nobody is eligible: the trainees closest to it, with what they lack.
    pub nearest_trainees: Vec<Miss>,
    /// The vacancy's own ranking, candidate by candidate.
    pub ranked_candidates: Vec<CandidateNote>,
    /// Present when the time limit came first: what was not computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unfinished: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CandidateNote {
    pub trainee: String,
    pub rank: usize,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RulesReport {
    /// Each eligibility rule: how many pairs it rules out.
    pub eligibility: Vec<RuleCount>,
    /// Each hard rule of the match set: binding or not, and relaxed by one unit.
    pub hard_rules: Vec<HardRuleReport>,
    /// Present when the time limit came first: what was not computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unfinished: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RuleCount {
    pub code: ReasonCode,
    pub rule: String,
    /// Pairs this rule rules out.
    pub pairs: usize,
    /// Pairs this rule alone rules out (every other rule would allow them).
    pub only_reason: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HardRuleReport {
    /// `destination_max`, `destination_min`, `group_share`, `max_per_employer`, `lock`.
    pub rule: String,
    pub subject: String,
    pub state: String,
    pub binding: bool,
    /// The exact effect of relaxing it by one unit (solved again).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relaxed: Option<Effect>,
    /// True when relaxing it was asked but the time limit came before its
    /// answer was proven: `relaxed` is then missing, and for a lock
    /// `binding` (whether dropping it changes anything) is not known.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unsolved: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SkillsReport {
    /// Per skill: pairs excluded because of it.
    pub exclusions: Vec<SkillExclusion>,
    /// Training modules that would raise one level of one skill, by what they open up.
    pub modules: Vec<Module>,
    /// Present when the time limit came first: what was not computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unfinished: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SkillExclusion {
    pub skill: String,
    /// Pairs where this skill is below the requirement.
    pub pairs: usize,
    /// Pairs where this skill is the only thing missing.
    pub only_reason: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Module {
    pub skill: String,
    pub from: f64,
    pub to: f64,
    /// Trainees at level `from`, who would take the module.
    pub trainees: usize,
    /// Per destination: trainees newly eligible for at least one of its vacancies.
    pub newly_eligible: BTreeMap<String, usize>,
    /// Per destination: vacancies that gain eligible trainees.
    pub vacancies: BTreeMap<String, usize>,
    /// Placements in the optimal match set after the module (solved again).
    pub placements_after: usize,
    pub summary: String,
}

/// One unit of change to a scenario's rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// One more position at a vacancy.
    AddPosition { vacancy: String },
    /// One more place in a destination's maximum.
    RaiseDestinationMax { destination: String },
    /// One fewer placement required by a destination's minimum.
    LowerDestinationMin { destination: String },
    /// `max_per_employer` one higher, for every employer.
    RaiseEmployerCap,
    /// A group share's minimum one percentage point lower (or its maximum one higher).
    RelaxShare {
        index: usize,
        min_share: f64,
        max_share: Option<f64>,
    },
    /// The officer locks a pair.
    Lock { trainee: String, vacancy: String },
    /// The officer removes a lock.
    DropLock { trainee: String, vacancy: String },
    /// Changes to the data (skills, dates, salaries), from a nearest miss.
    Data { fixes: Vec<Fix> },
}

/// One person whose outcome a change alters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Move {
    pub trainee: String,
    /// Vacancy before the change (`None`: unmatched).
    pub from: Option<String>,
    /// Vacancy after the change (`None`: unmatched).
    pub to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<NaiveDate>,
}

/// What a change does to the answer, found by solving again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Effect {
    pub change: Change,
    pub description: String,
    /// False when the changed scenario has no match set at all.
    pub feasible: bool,
    pub placements_delta: i64,
    pub score_delta: f64,
    /// Everyone whose vacancy changes, by trainee id.
    pub moves: Vec<Move>,
}

/// What it would take for one ineligible pair to become eligible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Miss {
    pub trainee: String,
    pub vacancy: String,
    /// The reasons it is ineligible now.
    pub codes: Vec<ReasonCode>,
    /// Changes that together make the pair eligible (checked by re-applying the rules).
    pub fixes: Vec<Fix>,
    /// The fixes in words.
    pub needs: Vec<String>,
    /// False when no change to the data can help (a blackout until after the window closes).
    pub fixable: bool,
    pub effort: f64,
}

/// Vacancies that need the same fixes, reported once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MissGroup {
    pub vacancies: Vec<String>,
    pub fixes: Vec<Fix>,
    /// The fixes in words.
    pub needs: Vec<String>,
    pub fixable: bool,
    pub effort: f64,
}
