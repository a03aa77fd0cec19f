//! The eligibility rules: whether a trainee can be matched to a vacancy at all.
//!
//! Each rule is one file and one struct implementing [`PairRule`]: its reason
//! code, its check as facts (`detail`, and a fast `fails`), the message
//! written from those facts, its summary, what it does
//! to the trainees it excludes, the employer's wording, and the fixes that
//! would remove it, side by side. [`RULES`] lists them in the order they are
//! reported. Adding a rule means one file here, one entry in [`RULES`] and its
//! [`ReasonCode`] and [`Detail`]; the compiler then asks the reason indexes of
//! the match set how to count it. The optimizer never sees ineligible pairs,
//! and explanations read the violations back from here.
//!
//! The start date is computed once per pair (see [`Timing`]) because three rules
//! depend on it: the window, the blackouts and the age-dependent salary floor.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::problem::{Problem, TraineeIx, VacancyIx};

mod blackout;
mod destination;
mod fix;
mod forbidden;
mod pair_scores;
mod salary_floor;
mod skills;
mod start;
mod start_window;

pub use blackout::NoBlackout;
pub use destination::DestinationAccepted;
pub use fix::Fix;
pub use forbidden::NotForbidden;
pub use pair_scores::InPairScores;
pub use salary_floor::{floor_row, salary_floor, AppliedFloor, SalaryFloor};
pub use skills::{falls_short, SkillRequirements};
pub use start::{
    blackout_runs, past_blackouts, ready_in, timing, timing_with_permit, StartBound, Timing,
};
pub use start_window::StartWindow;

// `as_str` is strum's name, which a test holds equal to serde's.
/// Stable codes of the reasons a pair is ineligible (the contract's list).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ReasonCode {
    DestinationNotAccepted,
    SkillBelowRequirement,
    StartWindowMissed,
    Blackout,
    SalaryBelowFloor,
    Forbidden,
    NotInPairScores,
}

impl ReasonCode {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Structured facts behind a violation, for explanations that compute distances
/// ("14 days late", "EUR 1,157 below").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Detail {
    Destination {
        destination: String,
    },
    Skills {
        gaps: Vec<SkillGap>,
    },
    DocumentsMissing {
        permit_days: u32,
    },
    Late {
        earliest_start: NaiveDate,
        latest: NaiveDate,
        days_late: i64,
        bound: StartBound,
    },
    Blackout {
        earliest_start: NaiveDate,
        pushed_to: NaiveDate,
        latest: NaiveDate,
    },
    Salary {
        salary: Option<f64>,
        floor: f64,
        shortfall: f64,
        age: Option<i32>,
        on: NaiveDate,
    },
    Forbidden {
        why: Option<String>,
    },
    NotScored,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SkillGap {
    pub skill: String,
    pub required: f64,
    pub has: f64,
}

/// One reason a pair is ineligible.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    pub code: ReasonCode,
    pub message: String,
    pub detail: Detail,
}

/// What a rule sees of a pair.
pub struct PairContext<'a> {
    pub p: &'a Problem,
    pub t: TraineeIx,
    pub v: VacancyIx,
    pub timing: Timing,
}

impl PairContext<'_> {
    pub(crate) fn tid(&self) -> &str {
        &self.p.trainees[self.t].id
    }
    pub(crate) fn vid(&self) -> &str {
        &self.p.vacancies[self.v].id
    }
    /// The day the salary floor is judged on: the start, or the earliest day the
    /// trainee could have started had the window allowed it.
    pub(crate) fn floor_day(&self) -> Option<NaiveDate> {
        self.timing.start.or(self.timing.earliest)
    }
}

/// An eligibility rule.
pub trait PairRule: Sync {
    fn code(&self) -> ReasonCode;
    /// The rule in a few words, for `--rules` listings.
    fn summary(&self) -> &'static str;
    /// What the rule does to the trainees it excludes from a vacancy, after a
    /// count, for the officer: "(12) trainees fall below a required skill level".
    fn excludes(&self) -> &'static str;
    /// The same for an employer, with the count (`"12 "`, or empty when
    /// unknown) where the sentence needs it; names no one.
    fn for_employer(&self, n: &str) -> String;
    /// Why the pair fails this rule, as facts; `None` when it passes. Its
    /// fixes and distances are made from these, and its message: a trainee's
    /// nearest misses ask for the facts alone ([`findings`]), at every
    /// vacancy they miss, where messages nobody reads were most of the
    /// rules' time.
    fn detail(&self, cx: &PairContext) -> Option<Detail>;
    /// `found` (this rule's facts of the pair) in words for the officer. A
    /// message names the vacancy, or is the same at every vacancy of a
    /// destination: summaries over many vacancies
    /// ([`crate::analysis::match_set::nowhere`]) compare two messages to know
    /// whether all are alike.
    fn message(&self, cx: &PairContext, found: &Detail) -> String;
    /// `None` when the pair passes this rule; else its facts and their words.
    fn check(&self, cx: &PairContext) -> Option<Violation> {
        let detail = self.detail(cx)?;
        Some(Violation {
            code: self.code(),
            message: self.message(cx, &detail),
            detail,
        })
    }
    /// The changes to the data that would remove `found` (this rule's facts
    /// of the pair), smallest first; none when no change to the pair's data
    /// can (explanations re-check every fix with [`findings`]).
    fn fixes(&self, cx: &PairContext, found: &Detail) -> Vec<Fix>;
    /// `found` in words an employer may read (no age, no other person's
    /// data), when the officer's message is not already such words.
    fn employer_message(&self, _cx: &PairContext, _found: &Detail) -> Option<String> {
        None
    }
    /// Whether the pair fails this rule, without its facts. Rules that fail
    /// most pairs of a national-size scenario override it (a test keeps
    /// every override in step with `detail`).
    fn fails(&self, cx: &PairContext) -> bool {
        self.detail(cx).is_some()
    }
}

/// The rule behind a reason code (every code has one: a test checks).
pub fn rule(code: ReasonCode) -> Option<&'static dyn PairRule> {
    RULES.iter().copied().find(|r| r.code() == code)
}

/// The rule whose reason code is written `code`, if one is.
pub fn rule_named(code: &str) -> Option<&'static dyn PairRule> {
    RULES.iter().copied().find(|r| r.code().as_str() == code)
}

/// Every eligibility rule, in the order reasons are reported.
pub static RULES: &[&dyn PairRule] = &[
    &DestinationAccepted,
    &SkillRequirements,
    &StartWindow,
    &NoBlackout,
    &SalaryFloor,
    &NotForbidden,
    &InPairScores,
];

/// Every rule's verdict on a pair.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub timing: Timing,
    pub violations: Vec<Violation>,
}

impl Verdict {
    pub fn eligible(&self) -> bool {
        self.violations.is_empty()
    }
    pub fn codes(&self) -> Vec<ReasonCode> {
        self.violations.iter().map(|v| v.code).collect()
    }
}

/// Check every rule (for explanations: all reasons, not just the first).
pub fn evaluate(p: &Problem, t: TraineeIx, v: VacancyIx) -> Verdict {
    let cx = context(p, t, v);
    let violations = RULES.iter().filter_map(|r| r.check(&cx)).collect();
    Verdict {
        timing: cx.timing,
        violations,
    }
}

/// One rule a pair fails, as facts only ([`PairRule::detail`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: ReasonCode,
    pub detail: Detail,
}

/// Every rule the pair fails, as facts, in the order of [`RULES`]:
/// [`evaluate`] without the messages, for what reads the facts alone.
pub fn findings(p: &Problem, t: TraineeIx, v: VacancyIx) -> Vec<Finding> {
    let cx = context(p, t, v);
    (RULES.iter())
        .filter_map(|r| {
            let detail = r.detail(&cx)?;
            Some(Finding {
                code: r.code(),
                detail,
            })
        })
        .collect()
}

/// The reason codes of the rules the pair fails, without their messages:
/// for counts over every pair of a scenario (messages are most of
/// [`evaluate`]'s time).
pub fn failing(p: &Problem, t: TraineeIx, v: VacancyIx) -> Vec<ReasonCode> {
    let bits = failing_bits(p, t, v);
    RULES
        .iter()
        .enumerate()
        .filter(|&(k, _)| bits & 1 << k != 0)
        .map(|(_, r)| r.code())
        .collect()
}

/// The rules the pair fails as bits, bit `k` for `RULES[k]`: [`failing`]
/// without a list to allocate, for counts over every pair of a scenario
/// (80 million at national size). `RULES` has fewer than 32 rules (a test
/// says so).
pub fn failing_bits(p: &Problem, t: TraineeIx, v: VacancyIx) -> u32 {
    failing_bits_except(p, t, v, 0)
}

/// Whether every pair gets the same verdict from the rules in `p` and `q`
/// but the pairs one of them forbids and the other does not: the two
/// scenarios differ at most in what no rule reads, and in `forbids` (the
/// common what-if: "T cannot go to V"). Counts over every pair of `p` then
/// hold for `q` once those few pairs are counted again.
///
/// The rules read the destinations, the skills, the trainees, the
/// vacancies, the pair scores and the forbids. Every field of [`Problem`] is
/// named here, so that a new one is a decision: a rule that reads it must
/// have it compared.
pub fn same_verdicts_but_forbids(p: &Problem, q: &Problem) -> bool {
    let Problem {
        name: _,
        model: _,
        skills,
        destinations,
        trainees,
        vacancies,
        employers: _,
        shares: _,
        max_per_employer: _,
        employer_caps: _,
        locks: _,
        forbids: _,
        interviews: _,
        priorities: _,
        weights: _,
        pair_scores,
        pair_scores_only,
        trainee_rank: _,
        vacancy_rank: _,
        input_sha256: _,
        ids: _,
    } = p;
    *skills == q.skills
        && *destinations == q.destinations
        && *trainees == q.trainees
        && *vacancies == q.vacancies
        && *pair_scores == q.pair_scores
        && *pair_scores_only == q.pair_scores_only
}

/// [`failing_bits`] without asking the rules whose bits are in `known`
/// (theirs are 0 here): for counts that settle a rule for many pairs at once.
pub fn failing_bits_except(p: &Problem, t: TraineeIx, v: VacancyIx, known: u32) -> u32 {
    let cx = context(p, t, v);
    RULES
        .iter()
        .enumerate()
        .filter(|&(k, r)| known & 1 << k == 0 && r.fails(&cx))
        .fold(0, |bits, (k, _)| bits | 1 << k)
}

/// The start date when the pair is eligible; stops at the first failing rule.
pub fn eligible_start(p: &Problem, t: TraineeIx, v: VacancyIx) -> Option<NaiveDate> {
    // The cheap structural tests first, before computing dates.
    if !p.trainees[t].accepts.contains(&p.vacancies[v].dest) {
        return None;
    }
    let cx = PairContext {
        p,
        t,
        v,
        timing: timing(p, t, v),
    };
    if RULES.iter().any(|r| r.fails(&cx)) {
        return None;
    }
    cx.timing.start
}

/// What the rules see of a pair (its timing computed once).
pub fn context(p: &Problem, t: TraineeIx, v: VacancyIx) -> PairContext<'_> {
    PairContext {
        p,
        t,
        v,
        timing: timing(p, t, v),
    }
}
