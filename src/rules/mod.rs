//! The eligibility rules: whether a trainee can be matched to a vacancy at all.
//!
//! Each rule is one unit — its reason code, its check and its message side by
//! side — and [`RULES`] lists them in the order they are reported. Adding a rule
//! means adding one struct here and one entry to [`RULES`]; the optimizer never
//! sees ineligible pairs, and explanations read the violations back from here.
//!
//! The start date is computed once per pair (see [`Timing`]) because three rules
//! depend on it: the window, the blackouts and the age-dependent salary floor.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::fmt;
use crate::limits;
use crate::model::problem::{age_on, Dest, DestIx, FloorRow, Problem, TraineeIx, VacancyIx};

/// Stable codes of the reasons a pair is ineligible (the contract's list).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
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
        match self {
            ReasonCode::DestinationNotAccepted => "destination_not_accepted",
            ReasonCode::SkillBelowRequirement => "skill_below_requirement",
            ReasonCode::StartWindowMissed => "start_window_missed",
            ReasonCode::Blackout => "blackout",
            ReasonCode::SalaryBelowFloor => "salary_below_floor",
            ReasonCode::Forbidden => "forbidden",
            ReasonCode::NotInPairScores => "not_in_pair_scores",
        }
    }
}

/// Which lower bound decided the earliest start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StartBound {
    /// The trainee's `available_from`.
    Available,
    /// `documents_ready + permit_days`.
    Permit,
    /// The vacancy's (or destination's) window opens.
    Window,
}

/// When a trainee could start at a vacancy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timing {
    /// `documents_ready + permit_days` when a permit is needed and the documents
    /// have a date.
    pub permit_ready: Option<NaiveDate>,
    /// A permit is needed but the documents have no date: no start is possible.
    pub documents_missing: bool,
    /// The latest of the lower bounds, before blackouts.
    pub earliest: Option<NaiveDate>,
    pub bound: StartBound,
    /// `earliest` pushed past every blackout that contains it.
    pub start: Option<NaiveDate>,
}

/// Compute the earliest start of trainee `t` at vacancy `v`.
pub fn timing(p: &Problem, t: TraineeIx, v: VacancyIx) -> Timing {
    timing_with_permit(p, t, v, p.destinations[p.vacancies[v].dest].permit_days)
}

/// [`timing`] with another permit lead time (for permit-delay risk).
pub fn timing_with_permit(p: &Problem, t: TraineeIx, v: VacancyIx, permit_days: u32) -> Timing {
    let tr = &p.trainees[t];
    let vac = &p.vacancies[v];
    let permit_ready = tr
        .documents_ready
        .filter(|_| permit_days > 0)
        .and_then(|d| limits::days_after(d, u64::from(permit_days)));
    let Some(ready) = ready_with_permit(p, t, permit_days) else {
        return Timing {
            permit_ready,
            documents_missing: true,
            earliest: None,
            bound: StartBound::Permit,
            start: None,
        };
    };
    // Ties name the bound an officer can act on first: the permit, then the trainee.
    let mut earliest = ready;
    let mut bound = if permit_ready == Some(ready) {
        StartBound::Permit
    } else {
        StartBound::Available
    };
    if let Some(w) = vac.earliest {
        if w > earliest {
            earliest = w;
            bound = StartBound::Window;
        }
    }
    Timing {
        permit_ready,
        documents_missing: false,
        earliest: Some(earliest),
        bound,
        start: Some(past_blackouts(&p.destinations[vac.dest], earliest)),
    }
}

/// The first day trainee `t` could start anywhere in destination `d`, whatever
/// a vacancy's window says: availability and the permit. `None` when a permit
/// is needed and the documents have no date. The earliest day at a vacancy
/// ([`timing`]) is the later of this and the day its window opens.
pub fn ready_in(p: &Problem, t: TraineeIx, d: DestIx) -> Option<NaiveDate> {
    ready_with_permit(p, t, p.destinations[d].permit_days)
}

fn ready_with_permit(p: &Problem, t: TraineeIx, permit_days: u32) -> Option<NaiveDate> {
    let tr = &p.trainees[t];
    match permit_days {
        0 => Some(tr.available_from),
        days => tr
            .documents_ready
            .and_then(|docs| limits::days_after(docs, u64::from(days)))
            .map(|permit| tr.available_from.max(permit)),
    }
}

/// `day`, or the day after the blackout (run of blackouts) that contains it.
/// One pass suffices because validation sorts blackouts by their first day.
pub fn past_blackouts(dest: &Dest, day: NaiveDate) -> NaiveDate {
    let mut start = day;
    for b in &dest.blackouts {
        if b.from <= start && start <= b.to {
            start = limits::next_day(b.to);
        }
    }
    start
}

/// The blackouts of a destination as runs without a free day between them, as
/// [`past_blackouts`] walks them: a start anywhere in a run moves to the day
/// after its last day.
pub fn blackout_runs(dest: &Dest) -> Vec<(NaiveDate, NaiveDate)> {
    let mut runs: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for b in &dest.blackouts {
        match runs.last_mut() {
            Some((_, to)) if b.from <= limits::next_day(*to) => *to = (*to).max(b.to),
            _ => runs.push((b.from, b.to)),
        }
    }
    runs
}

/// The first floor row that applies at `age` (the general row when the age is
/// unknown): rows are read in order, as the scenario lists them.
pub fn floor_row(dest: &Dest, age: Option<i32>) -> Option<&FloorRow> {
    dest.floors.iter().find(|row| match (row.under_age, age) {
        (None, _) => true,
        (Some(u), Some(a)) => a < u as i32,
        (Some(_), None) => false,
    })
}

/// The salary floor that applies to trainee `t` at vacancy `v` on `day`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AppliedFloor {
    pub annual: f64,
    /// The trainee's age on the start date, when the birth date is known.
    pub age: Option<i32>,
    /// The row's `under_age`, when the row has one.
    pub under_age: Option<u32>,
}

pub fn salary_floor(
    p: &Problem,
    t: TraineeIx,
    v: VacancyIx,
    day: NaiveDate,
) -> Option<AppliedFloor> {
    let age = p.trainees[t].birth_date.map(|b| age_on(b, day));
    floor_row(&p.destinations[p.vacancies[v].dest], age).map(|row| AppliedFloor {
        annual: row.annual,
        age,
        under_age: row.under_age,
    })
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
    fn tid(&self) -> &str {
        &self.p.trainees[self.t].id
    }
    fn vid(&self) -> &str {
        &self.p.vacancies[self.v].id
    }
    /// The day the salary floor is judged on: the start, or the earliest day the
    /// trainee could have started had the window allowed it.
    fn floor_day(&self) -> Option<NaiveDate> {
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
    /// `None` when the pair passes this rule. A message names the vacancy, or
    /// is the same at every vacancy of a destination: summaries over many
    /// vacancies ([`crate::analysis::match_set::nowhere`]) compare two messages to
    /// know whether all are alike.
    fn check(&self, cx: &PairContext) -> Option<Violation>;
    /// Whether `check` reports a violation, without writing its message.
    /// Rules that fail most pairs of a national-size scenario override it
    /// (a test keeps every override in step with `check`).
    fn fails(&self, cx: &PairContext) -> bool {
        self.check(cx).is_some()
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

pub struct DestinationAccepted;
impl PairRule for DestinationAccepted {
    fn code(&self) -> ReasonCode {
        ReasonCode::DestinationNotAccepted
    }
    fn summary(&self) -> &'static str {
        "the trainee accepts the vacancy's destination"
    }
    fn excludes(&self) -> &'static str {
        "trainees do not accept its destination"
    }
    fn for_employer(&self, n: &str) -> String {
        format!("{n}candidates do not accept this destination")
    }
    fn fails(&self, cx: &PairContext) -> bool {
        !cx.p.trainees[cx.t]
            .accepts
            .contains(&cx.p.vacancies[cx.v].dest)
    }
    fn check(&self, cx: &PairContext) -> Option<Violation> {
        let vac = &cx.p.vacancies[cx.v];
        if cx.p.trainees[cx.t].accepts.contains(&vac.dest) {
            return None;
        }
        let dest = &cx.p.destinations[vac.dest];
        Some(Violation {
            code: self.code(),
            message: format!(
                "{} does not accept {} ({})",
                cx.tid(),
                dest.label,
                dest.code
            ),
            detail: Detail::Destination {
                destination: dest.code.clone(),
            },
        })
    }
}

pub struct SkillRequirements;
impl PairRule for SkillRequirements {
    fn code(&self) -> ReasonCode {
        ReasonCode::SkillBelowRequirement
    }
    fn summary(&self) -> &'static str {
        "the trainee meets every required skill level"
    }
    fn excludes(&self) -> &'static str {
        "trainees fall below a required skill level"
    }
    fn for_employer(&self, n: &str) -> String {
        format!("{n}candidates fall below a required skill level")
    }
    fn fails(&self, cx: &PairContext) -> bool {
        let levels = &cx.p.trainees[cx.t].levels;
        cx.p.vacancies[cx.v]
            .requires
            .iter()
            .any(|&(s, need)| levels[s] < need)
    }
    fn check(&self, cx: &PairContext) -> Option<Violation> {
        let levels = &cx.p.trainees[cx.t].levels;
        let short: Vec<(usize, f64)> = cx.p.vacancies[cx.v]
            .requires
            .iter()
            .copied()
            .filter(|&(s, need)| levels[s] < need)
            .collect();
        if short.is_empty() {
            return None;
        }
        let parts: Vec<String> = short
            .iter()
            .map(|&(s, need)| {
                let info = &cx.p.skills[s];
                format!(
                    "{} requires {}, {} has {}",
                    cx.vid(),
                    info.level_text(need),
                    cx.tid(),
                    info.scale.describe(levels[s])
                )
            })
            .collect();
        let gaps = short
            .iter()
            .map(|&(s, need)| SkillGap {
                skill: cx.p.skills[s].name.clone(),
                required: need,
                has: levels[s],
            })
            .collect();
        Some(Violation {
            code: self.code(),
            message: parts.join("; "),
            detail: Detail::Skills { gaps },
        })
    }
}

pub struct StartWindow;
impl PairRule for StartWindow {
    fn code(&self) -> ReasonCode {
        ReasonCode::StartWindowMissed
    }
    fn summary(&self) -> &'static str {
        "the trainee can start before the window closes (availability, permit lead time)"
    }
    fn excludes(&self) -> &'static str {
        "trainees could not start before its window closes"
    }
    fn for_employer(&self, n: &str) -> String {
        format!("{n}candidates could not start before the window closes")
    }
    fn fails(&self, cx: &PairContext) -> bool {
        cx.timing.documents_missing
            || matches!((cx.timing.earliest, cx.p.vacancies[cx.v].latest), (Some(e), Some(l)) if e > l)
    }
    fn check(&self, cx: &PairContext) -> Option<Violation> {
        let vac = &cx.p.vacancies[cx.v];
        let dest = &cx.p.destinations[vac.dest];
        if cx.timing.documents_missing {
            return Some(Violation {
                code: self.code(),
                message: format!(
                    "{} needs a permit ({} days from complete documents) and {}'s documents have no date yet",
                    dest.label,
                    dest.permit_days,
                    cx.tid()
                ),
                detail: Detail::DocumentsMissing { permit_days: dest.permit_days },
            });
        }
        let (earliest, latest) = (cx.timing.earliest?, vac.latest?);
        if earliest <= latest {
            return None;
        }
        let late = (earliest - latest).num_days();
        let cause = match cx.timing.bound {
            StartBound::Permit => format!(
                "the permit would be ready on {earliest} (documents {} + {} days)",
                cx.p.trainees[cx.t]
                    .documents_ready
                    .map_or(String::new(), |d| d.to_string()),
                dest.permit_days
            ),
            StartBound::Available => format!("{} is available from {earliest}", cx.tid()),
            StartBound::Window => format!("the window opens on {earliest}"),
        };
        Some(Violation {
            code: self.code(),
            message: format!(
                "{cause}, {} after {}'s latest start ({latest})",
                fmt::days(late),
                cx.vid()
            ),
            detail: Detail::Late {
                earliest_start: earliest,
                latest,
                days_late: late,
                bound: cx.timing.bound,
            },
        })
    }
}

pub struct NoBlackout;
impl PairRule for NoBlackout {
    fn code(&self) -> ReasonCode {
        ReasonCode::Blackout
    }
    fn summary(&self) -> &'static str {
        "the start does not fall in a blackout before the window closes"
    }
    fn excludes(&self) -> &'static str {
        "trainees would start in a blackout"
    }
    fn for_employer(&self, n: &str) -> String {
        format!("{n}candidates would start during a blackout")
    }
    fn fails(&self, cx: &PairContext) -> bool {
        match (
            cx.timing.earliest,
            cx.timing.start,
            cx.p.vacancies[cx.v].latest,
        ) {
            (Some(earliest), Some(start), Some(latest)) => earliest <= latest && start > latest,
            _ => false,
        }
    }
    fn check(&self, cx: &PairContext) -> Option<Violation> {
        let vac = &cx.p.vacancies[cx.v];
        let (earliest, start, latest) = (cx.timing.earliest?, cx.timing.start?, vac.latest?);
        if earliest > latest || start <= latest {
            return None;
        }
        let dest = &cx.p.destinations[vac.dest];
        let why: Vec<String> = dest
            .blackouts
            .iter()
            .filter(|b| b.to >= earliest && b.from <= latest)
            .map(|b| match &b.why {
                Some(w) => format!("{} to {} ({w})", b.from, b.to),
                None => format!("{} to {}", b.from, b.to),
            })
            .collect();
        Some(Violation {
            code: self.code(),
            message: format!(
                "every day from {earliest} to {}'s latest start ({latest}) falls in a blackout: {}",
                cx.vid(),
                why.join(", ")
            ),
            detail: Detail::Blackout {
                earliest_start: earliest,
                pushed_to: start,
                latest,
            },
        })
    }
}

pub struct SalaryFloor;
impl PairRule for SalaryFloor {
    fn code(&self) -> ReasonCode {
        ReasonCode::SalaryBelowFloor
    }
    fn summary(&self) -> &'static str {
        "the salary meets the floor for the trainee's age on the start date"
    }
    fn excludes(&self) -> &'static str {
        "trainees would be paid below the salary floor for their age"
    }
    fn for_employer(&self, n: &str) -> String {
        format!("for {n}candidates the salary is below the legal floor")
    }
    fn fails(&self, cx: &PairContext) -> bool {
        let Some(floor) = cx
            .floor_day()
            .and_then(|day| salary_floor(cx.p, cx.t, cx.v, day))
        else {
            return false;
        };
        !cx.p.vacancies[cx.v]
            .salary
            .is_some_and(|s| s >= floor.annual)
    }
    fn check(&self, cx: &PairContext) -> Option<Violation> {
        let day = cx.floor_day()?;
        let floor = salary_floor(cx.p, cx.t, cx.v, day)?;
        let vac = &cx.p.vacancies[cx.v];
        if vac.salary.is_some_and(|s| s >= floor.annual) {
            return None;
        }
        let dest = &cx.p.destinations[vac.dest];
        let for_whom = match (floor.age, floor.under_age) {
            (Some(a), Some(u)) => format!("for age {a} (under {u}) on {day}"),
            (Some(a), None) => format!("for age {a} on {day}"),
            (None, _) => format!("(no birth date, so the general floor) on {day}"),
        };
        let (message, shortfall) = match vac.salary {
            Some(s) => (
                format!(
                    "{} pays {}, {} below the floor of {} {for_whom}",
                    cx.vid(),
                    dest.money(s),
                    fmt::money(floor.annual - s, None),
                    dest.money(floor.annual)
                ),
                floor.annual - s,
            ),
            None => (
                format!(
                    "{} states no salary, and the floor of {} applies {for_whom}",
                    cx.vid(),
                    dest.money(floor.annual)
                ),
                floor.annual,
            ),
        };
        Some(Violation {
            code: self.code(),
            message,
            detail: Detail::Salary {
                salary: vac.salary,
                floor: floor.annual,
                shortfall,
                age: floor.age,
                on: day,
            },
        })
    }
}

pub struct NotForbidden;
impl PairRule for NotForbidden {
    fn code(&self) -> ReasonCode {
        ReasonCode::Forbidden
    }
    fn summary(&self) -> &'static str {
        "the matching officer has not forbidden the pair"
    }
    fn excludes(&self) -> &'static str {
        "trainees are forbidden there by the matching officer"
    }
    fn for_employer(&self, _n: &str) -> String {
        "forbidden".to_string()
    }
    fn check(&self, cx: &PairContext) -> Option<Violation> {
        let why = cx.p.forbids.get(&(cx.t, cx.v))?;
        let because = why.as_ref().map_or(String::new(), |w| format!(": {w}"));
        Some(Violation {
            code: self.code(),
            message: format!(
                "the matching officer forbade {} at {}{because}",
                cx.tid(),
                cx.vid()
            ),
            detail: Detail::Forbidden { why: why.clone() },
        })
    }
}

pub struct InPairScores;
impl PairRule for InPairScores {
    fn code(&self) -> ReasonCode {
        ReasonCode::NotInPairScores
    }
    fn summary(&self) -> &'static str {
        "with pair_scores_only, the pair has a supplied score"
    }
    fn excludes(&self) -> &'static str {
        "trainees have no supplied pair score for it"
    }
    fn for_employer(&self, _n: &str) -> String {
        "not in pair scores".to_string()
    }
    fn check(&self, cx: &PairContext) -> Option<Violation> {
        if !cx.p.pair_scores_only || cx.p.pair_scores.contains_key(&(cx.t, cx.v)) {
            return None;
        }
        Some(Violation {
            code: self.code(),
            message: format!(
                "only pairs with a supplied score may be matched, and {} / {} has none",
                cx.tid(),
                cx.vid()
            ),
            detail: Detail::NotScored,
        })
    }
}

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
    let cx = PairContext {
        p,
        t,
        v,
        timing: timing(p, t, v),
    };
    let violations = RULES.iter().filter_map(|r| r.check(&cx)).collect();
    Verdict {
        timing: cx.timing,
        violations,
    }
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
