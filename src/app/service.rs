//! The operations palim offers, written once for both front ends.
//!
//! The command line ([`crate::app::cli`]) and the HTTP server ([`crate::app::server`])
//! only read their inputs (files or request bodies) and write these functions'
//! documents (to the terminal or a response). So the two can never disagree
//! about an answer: a test checks that they return the same bytes.

use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::analysis::compare::Comparison;
use crate::analysis::explain::{self, Audience};
use crate::analysis::risk::RiskReport;
use crate::documents::match_set::{MatchSet, ResultStatus};
pub use crate::documents::summary::{Report, Summary};
use crate::eligibility::Eligibility;
use crate::input::validate;
use crate::model::problem::Problem;
use crate::solve::optimize::{self, KeptStart};
use crate::{PalimError, SolveOptions};

pub use crate::input::load::{flatten, load};

/// What `palim solve` is asked to do besides solving.
#[derive(Debug, Clone, Default)]
pub struct SolveRequest {
    pub time_limit: Option<f64>,
    pub mip_gap: f64,
    /// Add the explanations of every unmatched trainee, unfilled vacancy and rule.
    pub explain: bool,
    /// Re-plan: keep as many matches of this earlier match set as possible
    /// (the second element names it in the `replan` report).
    pub keep: Option<(MatchSet, String)>,
    pub engine: crate::solve::optimize::Engine,
    /// When everything this request does must be finished (the server sets
    /// it from the request's time limit); `time_limit` counts from the start
    /// of the solve, and the earlier of the two wins.
    pub deadline: Option<Instant>,
}

impl SolveRequest {
    /// Reject options no solve can honour, before any work is done.
    pub fn check(&self) -> Result<(), PalimError> {
        if let Some(t) = self.time_limit {
            if t.is_nan() || t <= 0.0 {
                return Err(PalimError::Usage(format!(
                    "the time limit must be a positive number of seconds, got {t}"
                )));
            }
        }
        if !(0.0..1.0).contains(&self.mip_gap) {
            return Err(PalimError::Usage(format!(
                "the MIP gap is a fraction from 0 (proven optimal) to below 1, got {}",
                self.mip_gap
            )));
        }
        Ok(())
    }
}

/// The match set of a scenario: `palim solve`, `POST /v1/solve`.
pub fn solve(problem: &Problem, req: &SolveRequest) -> Result<MatchSet, PalimError> {
    solve_keeping(problem, req).map(|(set, _)| set)
}

/// [`solve`], and the start the what-ifs of later questions about its
/// match set can take (`palim solve -o R.json` keeps it beside the result,
/// for `palim explain --result R.json`): `None` where no LP solved it.
pub fn solve_keeping(
    problem: &Problem,
    req: &SolveRequest,
) -> Result<(MatchSet, Option<KeptStart>), PalimError> {
    req.check()?;
    // One deadline for the solve and its explanations.
    let deadline = crate::solve::optimize::deadline_after(req.time_limit, req.deadline);
    let opts = SolveOptions {
        mip_gap: req.mip_gap,
        engine: req.engine,
        deadline,
        ..SolveOptions::default()
    };
    let elig = Eligibility::build(problem);
    let (chosen, mut result, start) = match &req.keep {
        None => {
            let solved = crate::analysis::solve_keeping(problem, &elig, &opts)?;
            (solved.chosen, solved.set, solved.start)
        }
        Some((previous, name)) => {
            let set = crate::analysis::replan::solve(problem, previous, name, &opts)?;
            let chosen = crate::analysis::replan::pairs_of(problem, &elig, &set);
            (chosen, set, None)
        }
    };
    if req.explain && result.status != ResultStatus::Infeasible {
        // Not from `start`: with one, the what-ifs would go without the
        // relaxation's labels (`Context::start_from`), and hundreds of them
        // need those more than their LP needs a start.
        let cx = explain::Context::borrowing(problem, &elig, &chosen, &result).until(deadline);
        let explanations = explain::explanations(&cx)?;
        result.explanations = Some(explanations);
    }
    Ok((result, start))
}

/// What `palim shortlist` and `POST /v1/shortlist` ask.
#[derive(Debug, Clone, Deserialize)]
pub struct ShortlistRequest {
    /// Candidates per open position (K, 1 to 50).
    pub per_position: u32,
    /// Shortlists per trainee (M, 1 to 50).
    pub per_trainee: u32,
    /// Seconds for the whole operation.
    #[serde(default)]
    pub time_limit: Option<f64>,
    /// When the whole request must end (a server's limit), on top of `time_limit`.
    #[serde(skip)]
    pub deadline: Option<std::time::Instant>,
}

/// The most candidates per position and shortlists per trainee: an interview
/// round proposes a handful, and the flow's capacities stay small numbers.
pub const MAX_PER_SHORTLIST: u32 = 50;

pub fn shortlist(
    problem: &Problem,
    req: &ShortlistRequest,
) -> Result<crate::documents::shortlist::ShortlistSet, PalimError> {
    for (name, value) in [
        ("per_position", req.per_position),
        ("per_trainee", req.per_trainee),
    ] {
        if !(1..=MAX_PER_SHORTLIST).contains(&value) {
            return Err(PalimError::Usage(format!(
                "{name} must be between 1 and {MAX_PER_SHORTLIST}, not {value}"
            )));
        }
    }
    if let Some(t) = req.time_limit {
        if !(t.is_finite() && t > 0.0) {
            return Err(PalimError::Usage(format!(
                "time_limit must be a positive number of seconds, not {t}"
            )));
        }
    }
    let deadline = crate::solve::optimize::deadline_after(req.time_limit, req.deadline);
    let ask = crate::solve::shortlist::Ask {
        per_position: req.per_position,
        per_trainee: req.per_trainee,
    };
    crate::analysis::shortlist::shortlists(
        problem,
        ask,
        crate::solve::shortlist::Engine::Auto,
        deadline,
    )
}

pub fn summary(problem: &Problem, file: &str) -> Summary {
    Summary {
        valid: true,
        file: file.to_string(),
        trainees: problem.trainees.len(),
        vacancies: problem.vacancies.len(),
        positions: problem
            .vacancies
            .iter()
            .map(|v| u64::from(v.positions))
            .sum(),
        destinations: problem.destinations.len(),
        eligible_pairs: Eligibility::build(problem).pairs.len(),
    }
}

/// What to explain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Trainee(String),
    Vacancy(String),
    Rules,
    Skills,
}

impl Report {
    /// The report as text for a person.
    pub fn render(&self) -> String {
        match self {
            Report::Trainee(r) => crate::render::explanation::trainee(r),
            Report::Vacancy(r) => crate::render::explanation::vacancy(r),
            Report::Rules(r) => crate::render::explanation::rules(r),
            Report::Skills(r) => crate::render::explanation::skills(r),
        }
    }
}

/// An explanation, or the match set that shows there is nothing to explain
/// against (the scenario is infeasible; its `infeasibility` says why).
#[derive(Debug, Clone)]
pub enum Explained {
    Report(Box<Report>),
    Infeasible(Box<MatchSet>),
}

/// `palim explain`, `POST /v1/explain`.
///
/// Everything is done by `deadline`: what-ifs not proven by then are left out
/// of the report and counted in its `unfinished` note. The scenario is
/// solved first; [`explain_solved`] asks about a match set solved earlier.
pub fn explain(
    problem: &Problem,
    subject: &Subject,
    audience: Audience,
    deadline: Option<Instant>,
) -> Result<Explained, PalimError> {
    let asked = Asked::new(problem, subject, audience)?;
    asked.answer(&explain::Context::new_until(problem, deadline)?)
}

/// [`explain()`] of `set`, solved earlier from `problem` (read from
/// `file`): nothing is solved before the question. Its what-ifs' LP starts
/// from `kept`, the start an earlier question about it kept ([`FromKept`]).
/// `kept` saves time, never changes an answer: when it cannot be a start
/// for `problem`, the LP starts from nothing.
pub fn explain_solved(
    problem: &Problem,
    subject: &Subject,
    audience: Audience,
    deadline: Option<Instant>,
    (set, file): (MatchSet, &str),
    kept: Option<KeptStart>,
) -> Result<FromKept, PalimError> {
    let asked = Asked::new(problem, subject, audience)?;
    let mut cx = explain::Context::from_match_set(problem, set, file, deadline)?;
    let refused = kept.is_some_and(|kept| !cx.start_from(kept));
    let explained = asked.answer(&cx)?;
    Ok(FromKept {
        explained,
        refused,
        kept: cx.kept_start(),
    })
}

/// What [`explain_solved`] answered, and the starts.
pub struct FromKept {
    pub explained: Explained,
    /// The start given could not be one for this scenario's pairs.
    pub refused: bool,
    /// The start this question's what-ifs found, for the next question
    /// (`None` when they needed none: the flow proved the match set).
    pub kept: Option<KeptStart>,
}

/// [`explain()`] of a scenario solved before ([`explain::Prepared`]), starting
/// from what the questions before found, and keeping what this one finds:
/// the same report as [`explain()`]'s, sooner.
pub fn explain_prepared(
    prepared: &explain::Prepared,
    subject: &Subject,
    audience: Audience,
    deadline: Option<Instant>,
) -> Result<Explained, PalimError> {
    let asked = Asked::new(prepared.problem(), subject, audience)?;
    let cx = prepared.context(deadline);
    let explained = asked.answer(&cx);
    prepared.learn(&cx);
    explained
}

/// A scenario solved for [`explain_prepared`]'s questions, once `subject`
/// is known to be one of its ids (before anything is solved).
pub fn prepare(
    problem: Problem,
    subject: &Subject,
    audience: Audience,
    deadline: Option<Instant>,
) -> Result<explain::Prepared, PalimError> {
    Asked::new(&problem, subject, audience)?;
    explain::Prepared::solve(problem, deadline)
}

/// A question, checked: the audience goes with the subject and its id is
/// one of the scenario's.
enum Asked {
    Trainee(usize),
    Vacancy(usize, Audience),
    Rules,
    Skills,
}

impl Asked {
    /// Unknown ids are input errors, found before anything is solved.
    fn new(problem: &Problem, subject: &Subject, audience: Audience) -> Result<Self, PalimError> {
        if audience == Audience::Employer && !matches!(subject, Subject::Vacancy(_)) {
            return Err(PalimError::Usage(
                "the employer audience goes with a vacancy (an employer sees their own vacancy)"
                    .into(),
            ));
        }
        Ok(match subject {
            Subject::Trainee(id) => Asked::Trainee(problem.trainee_ix(id).ok_or_else(|| {
                unknown(
                    "trainee",
                    id,
                    problem.trainees.iter().map(|t| t.id.as_str()),
                )
            })?),
            Subject::Vacancy(id) => Asked::Vacancy(
                problem.vacancy_ix(id).ok_or_else(|| {
                    unknown(
                        "vacancy",
                        id,
                        problem.vacancies.iter().map(|v| v.id.as_str()),
                    )
                })?,
                audience,
            ),
            Subject::Rules => Asked::Rules,
            Subject::Skills => Asked::Skills,
        })
    }

    /// The report of `cx`'s match set.
    fn answer(&self, cx: &explain::Context) -> Result<Explained, PalimError> {
        if cx.set.status == ResultStatus::Infeasible {
            return Ok(Explained::Infeasible(Box::new(cx.set.as_ref().clone())));
        }
        if cx.set.status == ResultStatus::TimeLimit {
            return Err(PalimError::TimeLimit(
                "the match set to explain was not proven optimal, so nothing was explained".into(),
            ));
        }
        let mut report = match *self {
            Asked::Trainee(t) => Report::Trainee(explain::trainee(cx, t)?),
            Asked::Vacancy(v, audience) => Report::Vacancy(explain::vacancy(cx, v, audience)?),
            Asked::Rules => Report::Rules(explain::rules(cx)?),
            Asked::Skills => Report::Skills(explain::skills(cx)?),
        };
        // Said once the report is complete, so it counts every what-if left out.
        let note = cx.unfinished();
        match &mut report {
            Report::Trainee(r) => r.unfinished = note,
            Report::Vacancy(r) => r.unfinished = note,
            Report::Rules(r) => r.unfinished = note,
            Report::Skills(r) => r.unfinished = note,
        }
        Ok(Explained::Report(Box::new(report)))
    }
}

fn unknown<'s>(what: &'static str, id: &str, known: impl Iterator<Item = &'s str>) -> PalimError {
    PalimError::UnknownId {
        what,
        id: id.to_string(),
        suggestion: validate::did_you_mean(id, known).map(str::to_string),
    }
}

/// `palim compare`, `POST /v1/compare`: the first scenario is the base; each
/// comes with the name it is shown under.
///
/// Every solve ends by `deadline`; a scenario solved without proof by then
/// shows its status (`time_limit`), one with no match set by then is an error
/// that says how many were solved. Main obstacles not counted by then are
/// left out, and the comparison's `unfinished` says where.
///
/// With `replan`, each variant is solved as a re-plan of the base's match
/// set, as `solve --keep` would: the most placements first, then as many of
/// the base's matches kept as those allow, then score. That is the
/// comparison an officer needs once the base's matches are announced.
pub fn compare(
    scenarios: &[(String, Problem)],
    deadline: Option<Instant>,
    replan: bool,
) -> Result<Comparison, PalimError> {
    let opts = SolveOptions {
        deadline,
        ..SolveOptions::default()
    };
    // Each scenario is its own solve, so they run on every core, the
    // answers in the scenarios' order. A re-plan needs the base's match set
    // first.
    let threads = optimize::threads();
    let found: Vec<Result<MatchSet, PalimError>> = match scenarios.split_first() {
        Some(((base_name, base), variants)) if replan => {
            let first = crate::solve(base, &opts);
            let rest = optimize::in_parallel(variants, threads, |(_, problem)| {
                // Without the base's match set there is nothing to re-plan
                // (the base's own error is the one reported).
                let Ok(base_set) = &first else {
                    return Err(PalimError::NoSolutionInTime);
                };
                crate::analysis::replan::solve(problem, base_set, base_name, &opts)
            });
            std::iter::once(first).chain(rest).collect()
        }
        _ => optimize::in_parallel(scenarios, threads, |(_, problem)| {
            crate::solve(problem, &opts)
        }),
    };
    let done = found.iter().filter(|f| f.is_ok()).count();
    let mut solved: Vec<(String, MatchSet)> = Vec::with_capacity(scenarios.len());
    for ((name, _), found) in scenarios.iter().zip(found) {
        let set = match found {
            Err(PalimError::NoSolutionInTime) => {
                return Err(PalimError::TimeLimit(format!(
                    "{done} of {} scenarios were solved; {name} has no match set yet",
                    scenarios.len()
                )))
            }
            other => other?,
        };
        solved.push((name.clone(), set));
    }
    let Some((first, rest)) = solved.split_first() else {
        return Err(PalimError::Usage(
            "a comparison needs a base scenario".into(),
        ));
    };
    let mut c = crate::analysis::compare::compare((&first.0, &first.1), rest);
    // Counted once every scenario is solved: a variant that only forbids
    // other pairs takes the base's counts.
    let problems: Vec<&Problem> = scenarios.iter().map(|(_, p)| p).collect();
    let counted = crate::analysis::compare::obstacles(&problems, deadline);
    crate::analysis::compare::with_obstacles(&mut c, counted);
    if let Some(((_, base), variants)) = scenarios.split_first() {
        for (v, (_, problem)) in c.variants.iter_mut().zip(variants) {
            v.round = crate::analysis::compare::round(base, problem);
        }
    }
    Ok(c)
}

/// What `palim risk` is asked.
#[derive(Debug, Clone)]
pub struct RiskRequest {
    pub samples: usize,
    pub seed: u64,
    pub confidence: f64,
    pub min_on_time: Option<f64>,
    /// When the simulation and the solve must be finished.
    pub deadline: Option<Instant>,
}

impl Default for RiskRequest {
    fn default() -> Self {
        RiskRequest {
            samples: 2000,
            seed: 2020,
            confidence: 0.9,
            min_on_time: None,
            deadline: None,
        }
    }
}

/// The risk report, or the infeasible match set when screening out risky
/// pairs leaves no match set.
#[derive(Debug, Clone)]
pub enum Risked {
    Report(RiskReport),
    Infeasible(Box<MatchSet>),
}

/// `palim risk`, `POST /v1/risk`.
pub fn risk(mut problem: Problem, req: &RiskRequest) -> Result<Risked, PalimError> {
    for (name, x) in [
        ("confidence", Some(req.confidence)),
        ("min_on_time", req.min_on_time),
    ] {
        if x.is_some_and(|x| !(0.0..=1.0).contains(&x)) {
            return Err(PalimError::Usage(format!(
                "{name} is a probability from 0 to 1, got {}",
                x.unwrap_or_default()
            )));
        }
    }
    if req.samples == 0 || req.samples > 1_000_000 {
        return Err(PalimError::Usage(format!(
            "samples must be from 1 to 1000000, got {}",
            req.samples
        )));
    }
    if let Some(min) = req.min_on_time {
        crate::analysis::risk::forbid_risky(
            &mut problem,
            req.samples,
            req.seed,
            min,
            req.deadline,
        )?;
    }
    let opts = SolveOptions {
        deadline: req.deadline,
        ..SolveOptions::default()
    };
    let set = crate::solve(&problem, &opts)?;
    if set.status == ResultStatus::Infeasible {
        return Ok(Risked::Infeasible(Box::new(set)));
    }
    Ok(Risked::Report(crate::analysis::risk::report(
        &problem,
        &set,
        req.samples,
        req.seed,
        req.confidence,
        req.deadline,
    )?))
}

/// A document as pretty JSON with a final newline: the one way palim writes JSON.
pub fn to_json<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("documents always serialise");
    s.push('\n');
    s
}
