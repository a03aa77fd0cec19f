//! `palim explain`: answers a matching officer can act on and defend.
//!
//! Four reports, each a serialisable document with a plain-text rendering:
//! - [`trainee`]: why this person is where they are (or nowhere), who holds the
//!   places they could take, and the smallest changes that would give them one;
//! - [`vacancy`]: who fills it, why positions stay open, what would fill them;
//!   with [`Audience::Employer`], a view that names no other trainee;
//! - [`rules()`]: how much each rule excludes or limits, and the exact effect of
//!   relaxing each hard rule by one unit;
//! - [`skills`]: which missing skill levels exclude the most, and what a
//!   training module would open up.
//!
//! Every "would" in these reports is computed by changing the scenario and
//! solving again (`counterfactual`) or by re-applying the eligibility rules to
//! changed data (`misses`); nothing is estimated.

pub(crate) mod counterfactual;
pub(crate) mod misses;
mod prepared;
mod skills;

use std::borrow::Cow;
use std::cell::{Cell, OnceCell, RefCell};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Instant;

use crate::analysis::match_set::{Blocked, State};
pub use crate::documents::explanation::{
    CandidateNote, Choice, Competition, Explanations, HardRuleReport, Holder, MatchedInfo, Module,
    RuleCount, RulesReport, SkillExclusion, SkillsReport, TraineeReport, VacancyReport,
};
use crate::documents::match_set::{MatchSet, Reason, ResultStatus};
use crate::eligibility::Eligibility;
use crate::model::problem::{Problem, TraineeIx, VacancyIx};
use crate::rules::{self, RULES};
use crate::solve::core_method::{self, LpStart};
use crate::solve::flow::Warm;
use crate::solve::hard_rules::{self, HardRule};
use crate::solve::optimize::SolveOptions;
use crate::solve::outcome::{KeptStart, PlacementsBefore, Proof, Queue};
use crate::words;
use crate::PalimError;

pub use counterfactual::{Change, Effect};
pub use misses::{Fix, Miss, MissGroup};
pub use prepared::Prepared;
pub use skills::skills;

/// Who a report is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Audience {
    /// The matching officer: everything.
    #[default]
    Officer,
    /// An employer: about their own vacancy and the candidates they ranked;
    /// no other trainee is named and no one's age is shown.
    Employer,
}

/// A solved scenario, ready to be asked questions.
pub struct Context<'a> {
    pub p: &'a Problem,
    /// Borrowed from a [`Prepared`] scenario, whose every question shares
    /// them (at national size, copying the pairs and the match set was a
    /// fifth of the server's answer to a question asked again); owned
    /// otherwise.
    pub e: Cow<'a, Eligibility>,
    /// The chosen pairs of the optimal match set.
    pub chosen: Cow<'a, [usize]>,
    pub set: Cow<'a, MatchSet>,
    /// When the questions must be answered by: a what-if not solved to proven
    /// optimality by then is left out (and counted), never reported unproven.
    pub deadline: Option<Instant>,
    /// What-ifs left out so far because the deadline came first.
    skipped: Cell<usize>,
    /// The counts over every pair the deadline came before (the rules
    /// report's per eligibility rule, the skills report's census), each as
    /// the note says it.
    uncounted: RefCell<Vec<&'static str>>,
    /// Who holds what in `chosen`, built once for every report.
    state: State,
    /// What-ifs already solved, by change: reports ask the same ones (one
    /// more place in a quota, for every trainee it stops), and
    /// [`Context::prefetch`] solves a report's in parallel before it asks.
    solved: RefCell<HashMap<String, Effect>>,
    /// The labels that prove `chosen` optimal, when the scenario is a
    /// network: what-ifs start from them (found at the first what-if;
    /// shared, not copied, with the questions after it: [`Prepared`]).
    warm: OnceCell<Option<Arc<Warm>>>,
    /// The LP each what-if's core method starts from, when the flow cannot
    /// prove the match set (found with the labels, at the first what-if:
    /// [`Context::ready_for_core_method`]).
    lp: OnceCell<Option<Arc<LpStart>>>,
    /// A start for `lp` kept by an earlier process ([`Context::start_from`]).
    given_start: Option<LpStart>,
    /// Nearest misses found ahead, on every core, for the reports of
    /// [`explanations`] ([`Context::reports_as_solved`]).
    misses: RefCell<HashMap<TraineeIx, Vec<MissGroup>>>,
}

/// What a report could not include because its time ran out, for the
/// `unfinished` field every report has.
pub fn unfinished_note(skipped: usize) -> Option<String> {
    (skipped > 0).then(|| {
        format!(
            "the time limit was reached: {} not computed; every one shown was solved to proven optimality",
            words::count(skipped, "what-if was", "what-ifs were")
        )
    })
}

/// A report [`explanations`] writes once its inputs are in.
#[derive(Clone, Copy)]
enum Report {
    Trainee(TraineeIx),
    Vacancy(VacancyIx),
}

/// A job of [`Context::reports_as_solved`]'s queue, and what it gives back.
enum Job {
    Misses(TraineeIx),
    /// A what-if, with its key in [`Context::solved`].
    WhatIf(String, Change),
}

enum Done {
    Misses(TraineeIx, Option<Vec<MissGroup>>),
    Effect(String, Option<Effect>),
}

/// A report, and the jobs (by ticket) whose results it reads.
struct Waiting {
    report: Report,
    tickets: Vec<usize>,
    /// The trainee, when eligible nowhere: its what-if, its nearest fixable
    /// miss, is known once its misses are in.
    nowhere: Option<TraineeIx>,
}

/// The what-ifs queued so far, by their change.
struct Asked {
    tickets: HashMap<String, usize>,
    /// False when the match set is infeasible: no what-if is asked.
    what_ifs: bool,
}

impl Asked {
    /// The ticket of `change`'s what-if, queued (ahead of the rest when
    /// `front`) unless it already is; `None` when it is solved already, or
    /// no what-if is asked.
    fn ticket(
        &mut self,
        cx: &Context,
        queue: &mut Queue<Job, Done>,
        change: Change,
        front: bool,
    ) -> Option<usize> {
        let key = format!("{change:?}");
        if !self.what_ifs || cx.solved.borrow().contains_key(&key) {
            return None;
        }
        if let Some(&ticket) = self.tickets.get(&key) {
            return Some(ticket);
        }
        let job = Job::WhatIf(key.clone(), change);
        let ticket = match front {
            true => queue.push_front(job),
            false => queue.push(job),
        };
        self.tickets.insert(key, ticket);
        Some(ticket)
    }
}

/// The reports for everyone left out, everything left open, and the rules.
///
/// A report's reasons and nearest misses take time too (at national scale,
/// more than its what-ifs), so once the deadline has passed the reports not
/// yet begun are left out, and the note says how many.
pub fn explanations(cx: &Context) -> Result<Explanations, PalimError> {
    let p = cx.p;
    let state = cx.state();
    let left_out = Cell::new(0usize);
    let in_time = || {
        let late = crate::solve::optimize::past(cx.deadline);
        if late {
            left_out.set(left_out.get() + 1);
        }
        !late
    };
    let unmatched: Vec<TraineeIx> = (0..p.trainees.len())
        .filter(|&t| state.trainee_at[t].is_none())
        .collect();
    let open: Vec<VacancyIx> = (0..p.vacancies.len())
        .filter(|&v| state.filled[v] < p.vacancies[v].positions)
        .collect();
    let mut unmatched_trainees = Vec::with_capacity(unmatched.len());
    let mut unfilled_vacancies = Vec::with_capacity(open.len());
    cx.reports_as_solved(&unmatched, &open, |report| {
        if !in_time() {
            return Ok(());
        }
        match report {
            Report::Trainee(t) => unmatched_trainees.push(trainee(cx, t)?),
            Report::Vacancy(v) => unfilled_vacancies.push(vacancy(cx, v, Audience::Officer)?),
        }
        Ok(())
    })?;
    let rules = rules(cx)?;
    let unfinished = match (cx.unfinished(), left_out.get()) {
        (note, 0) => note,
        (note, n) => Some(format!(
            "{}{} not begun",
            note.map_or_else(
                || "the time limit was reached: ".to_string(),
                |s| format!("{s}; ")
            ),
            words::count(n, "report was", "reports were")
        )),
    };
    Ok(Explanations {
        unmatched_trainees,
        unfilled_vacancies,
        rules,
        unfinished,
    })
}

impl<'a> Context<'a> {
    /// A context from a solve already done.
    pub fn from_parts(p: &'a Problem, e: Eligibility, chosen: Vec<usize>, set: MatchSet) -> Self {
        Self::with(p, Cow::Owned(e), Cow::Owned(chosen), Cow::Owned(set))
    }

    /// [`Context::from_parts`], borrowing them ([`Prepared::context`]).
    pub fn borrowing(
        p: &'a Problem,
        e: &'a Eligibility,
        chosen: &'a [usize],
        set: &'a MatchSet,
    ) -> Self {
        Self::with(
            p,
            Cow::Borrowed(e),
            Cow::Borrowed(chosen),
            Cow::Borrowed(set),
        )
    }

    fn with(
        p: &'a Problem,
        e: Cow<'a, Eligibility>,
        chosen: Cow<'a, [usize]>,
        set: Cow<'a, MatchSet>,
    ) -> Self {
        Context {
            state: State::new(p, &e, &chosen),
            p,
            e,
            chosen,
            set,
            deadline: None,
            skipped: Cell::new(0),
            uncounted: RefCell::new(Vec::new()),
            solved: RefCell::new(HashMap::new()),
            warm: OnceCell::new(),
            lp: OnceCell::new(),
            given_start: None,
            misses: RefCell::new(HashMap::new()),
        }
    }

    /// The what-ifs' LP ([`core_method::what_if_start`]) found from `kept`,
    /// the start an earlier process kept ([`Context::kept_start`]), rather
    /// than from nothing: at national size most of a one-person
    /// explanation. False, and nothing kept, when `kept` cannot be a start
    /// for this scenario's pairs ([`LpStart::from_kept`]). Only the time
    /// differs: that LP is priced over every pair from there.
    pub fn start_from(&mut self, kept: KeptStart) -> bool {
        self.given_start = LpStart::from_kept(kept, self.e.pairs.len());
        self.given_start.is_some()
    }

    /// The what-ifs' LP, found by now, as a later process can start from
    /// it ([`Context::start_from`]).
    pub fn kept_start(&self) -> Option<KeptStart> {
        self.lp.get()?.as_deref().map(LpStart::kept)
    }

    /// The same context, answering by `deadline`.
    pub fn until(mut self, deadline: Option<Instant>) -> Self {
        self.deadline = deadline;
        self
    }

    /// What-ifs left out so far because the deadline came first.
    pub fn skipped(&self) -> usize {
        self.skipped.get()
    }

    /// The `unfinished` note of what this context answered so far: the
    /// what-ifs ([`unfinished_note`]) and the counts the deadline left out.
    pub fn unfinished(&self) -> Option<String> {
        let what_ifs = unfinished_note(self.skipped());
        let uncounted = self.uncounted.borrow();
        if uncounted.is_empty() {
            return what_ifs;
        }
        let counts = uncounted.join("; ");
        Some(match what_ifs {
            Some(note) => format!("{note}; {counts}"),
            None => format!("the time limit was reached: {counts}"),
        })
    }

    /// A count the deadline came before, for the `unfinished` note: "the
    /// pairs … were not counted".
    fn not_counted(&self, what: &'static str) {
        self.uncounted.borrow_mut().push(what);
    }

    /// Solve `p`. An infeasible scenario still gives a context (with no
    /// matches and `set.infeasibility` filled in).
    pub fn new(p: &'a Problem) -> Result<Self, PalimError> {
        Self::new_until(p, None)
    }

    /// The match set `set` of `p`, solved earlier (`palim solve`), questioned
    /// by `deadline` without solving `p` again: the question asked, not the
    /// solve, is then all the time a report takes. `set` must come from this
    /// very scenario (its `input_sha256`), be proven optimal and keep every
    /// rule; what-ifs are measured against it. The context owns `set`: a
    /// copy of it took 27 ms at national size.
    pub fn from_match_set(
        p: &'a Problem,
        set: MatchSet,
        file: &str,
        deadline: Option<Instant>,
    ) -> Result<Self, PalimError> {
        let refuse = |why: String| Err(PalimError::Usage(format!("{file}: {why}")));
        if set.input_sha256 != p.input_sha256 {
            return refuse(format!(
                "solved from another scenario (input {}…, this one is {}…); explain the scenario it was solved from, or solve this one again",
                set.input_sha256.chars().take(12).collect::<String>(),
                p.input_sha256.chars().take(12).collect::<String>()
            ));
        }
        if set.status != ResultStatus::Optimal {
            return refuse(
                "not proven optimal, so there is no answer to explain; solve again with more time"
                    .into(),
            );
        }
        let e = Eligibility::build(p);
        let chosen = crate::analysis::replan::pairs_of(p, &e, &set);
        let broken = crate::solve::audit::violations(p, &e, &chosen);
        if chosen.len() != set.matches.len() || !broken.is_empty() {
            return refuse(
                "its matches break this scenario's rules (was it edited?); solve again".into(),
            );
        }
        Ok(Self::from_parts(p, e, chosen, set).until(deadline))
    }

    /// [`Context::new`], solved and then questioned by `deadline`, the
    /// what-ifs' LP starting from the solve's ([`Context::start_from`]).
    pub fn new_until(p: &'a Problem, deadline: Option<Instant>) -> Result<Self, PalimError> {
        let e = Eligibility::build(p);
        let opts = SolveOptions {
            deadline,
            ..SolveOptions::default()
        };
        let solved = crate::analysis::solve_keeping(p, &e, &opts)?;
        let mut cx = Self::from_parts(p, e, solved.chosen, solved.set).until(deadline);
        if let Some(start) = solved.start {
            cx.start_from(start);
        }
        Ok(cx)
    }

    fn state(&self) -> &State {
        &self.state
    }

    /// The labels what-ifs start from, found once: those proving the base
    /// when the flow proved it, else (the relaxation's optimum broke a rule
    /// outside the network) those proving the relaxation's optimum, from
    /// which each what-if repairs its own relaxation for the core method.
    /// Labels for the base are not looked for then: none can prove it, and
    /// at national size with shares that search took 8 s for nothing.
    fn warm(&self) -> Option<&Warm> {
        self.warm
            .get_or_init(|| match self.by_flow() {
                true => Warm::new(self.p, &self.e, &self.chosen, self.deadline).map(Arc::new),
                false => {
                    Warm::relaxation(self.p, &self.e, &self.chosen, self.deadline).map(Arc::new)
                }
            })
            .as_deref()
    }

    /// The flow proved the match set (or its relaxation's optimum kept
    /// every rule): what-ifs start from the flow's labels.
    fn by_flow(&self) -> bool {
        self.set.solver.phases.iter().all(|ph| {
            matches!(
                ph.proof.as_str(),
                "min_cost_flow" | "min_cost_flow_relaxation" | "trivial"
            )
        })
    }

    /// What the what-ifs start from: the labels, and the match set's
    /// placements with whether the LP bounded them (each what-if's proof
    /// of its own starts where this one ended).
    fn start(&self) -> counterfactual::Start<'_> {
        let placements = (self.set.solver.phases.iter())
            .find(|ph| ph.priority == "placements" && ph.proven_optimal)
            .map(|phase| PlacementsBefore {
                most: self.chosen.len(),
                lp_bound: phase.proof == Proof::LpBound.as_str(),
                restricts: false,
            });
        if let Some(b) = placements {
            self.ready_for_core_method(b.most, b.lp_bound);
        }
        counterfactual::Start {
            warm: self.warm(),
            placements,
            lp: self.lp.get().and_then(Option::as_ref),
        }
    }

    /// When what-ifs go to the core method, what they all start from: the
    /// LP of the score with the match set kept, the very LP every what-if
    /// solves with its change ([`core_method::what_if_start`]), and, where
    /// the flow relaxation's count bounded the placements (not `lp_bound`),
    /// the relaxation's labels ([`Self::warm`]) for each what-if's flow,
    /// found side by side. Where the LP bounded them, what-ifs that start
    /// from that LP solve no flow (`optimize`), so no labels are looked for
    /// unless that LP is missing.
    fn ready_for_core_method(&self, most: usize, lp_bound: bool) {
        if self.by_flow() || self.lp.get().is_some() {
            return;
        }
        let (p, e, chosen, deadline) = (self.p, &self.e, &self.chosen, self.deadline);
        let hint = self.given_start.as_ref();
        let mut kept = chosen.to_vec();
        kept.sort_unstable();
        let threads = crate::solve::optimize::threads();
        // With a kept start the LP is found in a third of the time the
        // labels take (national size): what-ifs then go without them.
        let labels = !lp_bound && hint.is_none();
        let wanted: &[bool] = if labels { &[true, false] } else { &[false] };
        let mut found =
            crate::solve::optimize::in_parallel(wanted, threads, |&labels| match labels {
                true => (Warm::relaxation(p, e, chosen, deadline), None),
                false => (
                    None,
                    core_method::what_if_start(p, e, &kept, most, lp_bound, deadline, hint),
                ),
            });
        let lp = found.pop().and_then(|(_, lp)| lp);
        let warm = found.pop().and_then(|(warm, _)| warm);
        if labels || lp.is_some() {
            let _ = self.warm.set(warm.map(Arc::new));
        }
        let _ = self.lp.set(lp.map(Arc::new));
    }

    /// The effect of `change`, solved again; `None` (and counted) when the
    /// deadline comes before it is proven.
    fn effect(&self, change: &Change) -> Result<Option<Effect>, PalimError> {
        let key = format!("{change:?}");
        if let Some(effect) = self.solved.borrow().get(&key) {
            return Ok(Some(effect.clone()));
        }
        let effect = if crate::solve::optimize::past(self.deadline) {
            None
        } else {
            let start = self.start();
            counterfactual::effect(self.p, &self.e, &self.chosen, change, start, self.deadline)?
        };
        match &effect {
            Some(effect) => {
                self.solved.borrow_mut().insert(key, effect.clone());
            }
            None => self.skip(),
        }
        Ok(effect)
    }

    /// Solve the what-ifs a report is about to ask, on every core: each is
    /// its own exact solve, and the answers are the same whichever thread
    /// finished first. What fails or runs out of time here is not kept, so
    /// [`Context::effect`] asks again and says so.
    fn prefetch(&self, changes: &[Change]) {
        if self.infeasible() {
            return;
        }
        let mut todo: Vec<&Change> = Vec::new();
        let mut seen = BTreeSet::new();
        for c in changes {
            let key = format!("{c:?}");
            if !self.solved.borrow().contains_key(&key) && seen.insert(key) {
                todo.push(c);
            }
        }
        if todo.len() < 2 {
            return;
        }
        let (p, e, chosen, deadline) = (self.p, &self.e, &self.chosen, self.deadline);
        let start = self.start();
        let threads = crate::solve::optimize::threads();
        let effects = crate::solve::optimize::in_parallel(&todo, threads, |c| {
            if crate::solve::optimize::past(deadline) {
                return None;
            }
            counterfactual::effect(p, e, chosen, c, start, deadline)
                .ok()
                .flatten()
        });
        let mut solved = self.solved.borrow_mut();
        for (c, effect) in todo.into_iter().zip(effects) {
            if let Some(effect) = effect {
                solved.insert(format!("{c:?}"), effect);
            }
        }
    }

    /// Every report's inputs on every core in one queue, in the order the
    /// reports are written: the trainees' nearest misses and what-ifs, the
    /// open vacancies' what-ifs, then the rules'. `write` gets each report
    /// in that order as soon as its own inputs are in, while later ones
    /// still run, so no core waits at the end of a batch (BENCHMARKS.md,
    /// twenty-third round) and the reports finished before a deadline are
    /// the first ones. `trainees` are in index order. What fails or runs
    /// out of time here is not kept, so [`Context::effect`] asks again and
    /// says so.
    fn reports_as_solved(
        &self,
        trainees: &[TraineeIx],
        vacancies: &[VacancyIx],
        mut write: impl FnMut(Report) -> Result<(), PalimError>,
    ) -> Result<(), PalimError> {
        let (p, e, chosen, deadline) = (self.p, &self.e, &self.chosen, self.deadline);
        let start = (!self.infeasible()).then(|| self.start());
        let work = |scratch: &mut Option<Problem>, job: Job| {
            let late = crate::solve::optimize::past(deadline);
            match job {
                Job::Misses(t) => Done::Misses(
                    t,
                    (!late).then(|| {
                        let scratch = scratch.get_or_insert_with(|| p.clone());
                        misses::nearest_misses_in(scratch, p, t, SHOWN)
                    }),
                ),
                Job::WhatIf(key, c) => Done::Effect(
                    key,
                    start.filter(|_| !late).and_then(|start| {
                        counterfactual::effect(p, e, chosen, &c, start, deadline)
                            .ok()
                            .flatten()
                    }),
                ),
            }
        };
        let threads = crate::solve::optimize::threads();
        crate::solve::optimize::with_queue(
            threads,
            || None,
            work,
            |queue| {
                let mut asked = Asked {
                    tickets: HashMap::new(),
                    what_ifs: start.is_some(),
                };
                let mut waiting = self.queue_reports(queue, &mut asked, trainees, vacancies);
                let mut arrived = vec![false; queue.pushed()];
                let mut written = 0;
                loop {
                    while let Some(next) = (waiting.get(written))
                        .filter(|w| w.tickets.iter().all(|&k| arrived.get(k) == Some(&true)))
                    {
                        write(next.report)?;
                        written += 1;
                    }
                    let Some((ticket, done)) = queue.next_done() else {
                        return Ok(());
                    };
                    match done {
                        Done::Misses(t, Some(found)) => {
                            self.misses.borrow_mut().insert(t, found);
                            // Eligible nowhere: its what-if is its nearest
                            // fixable miss, wanted before the rest (the
                            // trainees' reports come first, in their order).
                            let at = (trainees.binary_search(&t).ok())
                                .filter(|&at| waiting[at].nowhere == Some(t));
                            let fix = at.and_then(|_| self.nearest_fix(t));
                            if let (Some(at), Some(fix)) = (at, fix) {
                                let ticket = asked.ticket(self, queue, fix, true);
                                waiting[at].tickets.extend(ticket);
                            }
                        }
                        Done::Effect(key, Some(effect)) => {
                            self.solved.borrow_mut().insert(key, effect);
                        }
                        Done::Misses(_, None) | Done::Effect(_, None) => {}
                    }
                    arrived.resize(queue.pushed(), false);
                    arrived[ticket] = true;
                }
            },
        )
    }

    /// Queue what each report reads, report by report, and the rules'
    /// what-ifs last; each report with the tickets it waits for.
    fn queue_reports(
        &self,
        queue: &mut Queue<Job, Done>,
        asked: &mut Asked,
        trainees: &[TraineeIx],
        vacancies: &[VacancyIx],
    ) -> Vec<Waiting> {
        let mut waiting = Vec::with_capacity(trainees.len() + vacancies.len());
        for &t in trainees {
            let mut report = Waiting {
                report: Report::Trainee(t),
                tickets: vec![queue.push(Job::Misses(t))],
                nowhere: None,
            };
            match ranked_pairs(self, t) {
                pairs if pairs.is_empty() => report.nowhere = Some(t),
                pairs => {
                    let changes = candidate_changes(self, t, &pairs).into_iter();
                    (report.tickets)
                        .extend(changes.filter_map(|c| asked.ticket(self, queue, c, false)));
                }
            }
            waiting.push(report);
        }
        for &v in vacancies {
            let (filling, elsewhere) = vacancy_what_ifs(self, v, &self.e.of_vacancy(v));
            let changes = filling.into_iter().chain(elsewhere);
            waiting.push(Waiting {
                report: Report::Vacancy(v),
                tickets: changes
                    .filter_map(|c| asked.ticket(self, queue, c, false))
                    .collect(),
                nowhere: None,
            });
        }
        for change in rules_what_ifs(self) {
            asked.ticket(self, queue, change, false);
        }
        waiting
    }

    /// The what-if of trainee `t`'s nearest fixable miss, when its misses
    /// were found ahead.
    fn nearest_fix(&self, t: TraineeIx) -> Option<Change> {
        let misses = self.misses.borrow();
        let group = misses.get(&t)?.iter().find(|g| g.fixable)?;
        Some(Change::Data {
            fixes: group.fixes.clone(),
        })
    }

    /// Trainee `t`'s nearest misses, as many as a report shows: found ahead, or now.
    fn nearest_misses(&self, t: TraineeIx) -> Vec<MissGroup> {
        let ahead = self.misses.borrow_mut().remove(&t);
        ahead.unwrap_or_else(|| misses::nearest_misses(self.p, t, SHOWN))
    }

    fn skip(&self) {
        self.skipped.set(self.skipped.get() + 1);
    }

    fn infeasible(&self) -> bool {
        self.set.status == ResultStatus::Infeasible
    }
}

// ------------------------------------------------------------------ trainees

/// How many candidate changes are re-solved per question.
const MAX_CHANGES: usize = 8;
/// How many changes and misses a report shows.
const SHOWN: usize = 5;

pub fn trainee(cx: &Context, t: TraineeIx) -> Result<TraineeReport, PalimError> {
    let p = cx.p;
    let tid = p.trainees[t].id.clone();
    let state = cx.state();
    let held = state.trainee_at[t];
    let mut competition = Vec::new();
    let pairs = ranked_pairs(cx, t);
    for &i in &pairs {
        let v = cx.e.pairs[i].v;
        let (code, message) = if held.is_some() {
            (
                "holds_another_place",
                format!("{tid} holds another place in the optimal match set"),
            )
        } else {
            let b = state.blocker(p, &cx.e, t, v);
            (b.code(), b.message)
        };
        competition.push(Competition {
            vacancy: p.vacancies[v].id.clone(),
            score: words::round4(cx.e.pairs[i].score),
            holders: holders(cx, state, v),
            code: code.to_string(),
            message,
        });
    }

    let mut changes = Vec::new();
    let matched = match held {
        Some(i) => Some(matched_info(cx, t, i)?),
        None => {
            let candidates = candidate_changes(cx, t, &pairs);
            cx.prefetch(&candidates);
            let mut seen = BTreeSet::new();
            for c in candidates {
                if !seen.insert(format!("{c:?}")) || cx.infeasible() {
                    continue;
                }
                let Some(effect) = cx.effect(&c)? else {
                    continue;
                };
                if effect.destination_of(&tid).is_some_and(|m| m.to.is_some()) {
                    changes.push(effect);
                }
            }
            changes.sort_by(|a, b| {
                (a.moves.len(), -a.placements_delta)
                    .cmp(&(b.moves.len(), -b.placements_delta))
                    .then(b.score_delta.total_cmp(&a.score_delta))
                    .then(a.description.cmp(&b.description))
            });
            changes.truncate(SHOWN);
            None
        }
    };
    let nearest_misses: Vec<MissGroup> = cx.nearest_misses(t);
    let summary = match (&matched, pairs.is_empty() && held.is_none()) {
        (Some(m), _) => format!(
            "{tid} is matched to {} from {} (score {}).",
            m.vacancy,
            m.start_date,
            words::num(m.score)
        ),
        (None, true) => match nearest_misses.first() {
            Some(g) => format!(
                "{tid} is eligible for no vacancy. Closest: {} ({}).",
                words::list(&g.vacancies, 3),
                g.needs.join("; ")
            ),
            None => format!("{tid} is eligible for no vacancy."),
        },
        (None, false) => match lost_to_stability(cx, &tid) {
            // Not capacity: the match set's own reason says where the best
            // match set without `stable` places them.
            Some(why) => format!(
                "{tid} is eligible for {} but lost out to stability: {why}.",
                words::count(pairs.len(), "vacancy", "vacancies")
            ),
            None => format!(
                "{tid} is eligible for {} but the places went to others in the optimal match set.",
                words::count(pairs.len(), "vacancy", "vacancies")
            ),
        },
    };
    let if_nearest_fixed = match (held, nearest_misses.iter().find(|g| g.fixable)) {
        (None, Some(g)) if changes.is_empty() && !cx.infeasible() => cx.effect(&Change::Data {
            fixes: g.fixes.clone(),
        })?,
        _ => None,
    };
    Ok(TraineeReport {
        unfinished: None,
        trainee: tid,
        summary,
        matched,
        competition,
        changes,
        nearest_misses,
        if_nearest_fixed,
    })
}

/// The match set's `lost_to_stability` reason for an unmatched trainee, if
/// it has one (only with `stable` first: see `analysis::solve_detailed`).
fn lost_to_stability<'s>(cx: &'s Context, tid: &str) -> Option<&'s str> {
    cx.set
        .unmatched_trainees
        .iter()
        .find(|u| u.trainee == tid)?
        .reasons
        .iter()
        .find(|r| r.code == "lost_to_stability")
        .map(|r| r.message.as_str())
}

/// Trainee `t`'s eligible pairs other than the one it holds, best score
/// first.
fn ranked_pairs(cx: &Context, t: TraineeIx) -> Vec<usize> {
    let held = cx.state().trainee_at[t];
    let mut pairs: Vec<usize> = cx.e.of_trainee(t).filter(|&i| Some(i) != held).collect();
    pairs.sort_by(|&a, &b| {
        cx.e.pairs[b]
            .score
            .total_cmp(&cx.e.pairs[a].score)
            .then(a.cmp(&b))
    });
    pairs
}

/// The what-ifs an unmatched trainee's report tries, given its `pairs`
/// ([`ranked_pairs`]): at each of its best vacancies, the rule at its
/// bound there one unit looser (with room everywhere, the pair itself),
/// and a lock of its three best pairs.
fn candidate_changes(cx: &Context, t: TraineeIx, pairs: &[usize]) -> Vec<Change> {
    let (p, state) = (cx.p, cx.state());
    let mut candidates: Vec<Change> = Vec::new();
    for &i in pairs.iter().take(MAX_CHANGES) {
        let v = cx.e.pairs[i].v;
        let change = state
            .blocker(p, &cx.e, t, v)
            .rule
            .and_then(|rule| rule.loosened(p))
            .unwrap_or_else(|| Change::lock(p, t, v));
        candidates.push(change);
    }
    for &i in pairs.iter().take(3) {
        candidates.push(Change::lock(p, t, cx.e.pairs[i].v));
    }
    candidates
}

fn holders(cx: &Context, state: &State, v: VacancyIx) -> Vec<Holder> {
    state.holders[v]
        .iter()
        .map(|&i| {
            let h = &cx.e.pairs[i];
            Holder {
                trainee: cx.p.trainees[h.t].id.clone(),
                score: words::round4(h.score),
                start_date: h.start,
            }
        })
        .collect()
}

fn matched_info(cx: &Context, t: TraineeIx, i: usize) -> Result<MatchedInfo, PalimError> {
    let p = cx.p;
    let pair = &cx.e.pairs[i];
    let vac = &p.vacancies[pair.v];
    let why = cx
        .set
        .matches
        .iter()
        .find(|m| m.trainee == p.trainees[t].id)
        .map(|m| m.why.clone())
        .unwrap_or_default();
    let slack = slack(p, t, pair);
    // Higher-ranked choices.
    let ranking = &p.trainees[t].ranking;
    let current_rank = ranking
        .iter()
        .position(|&v| v == pair.v)
        .unwrap_or(ranking.len());
    let mut higher_choices = Vec::new();
    for (r, &v) in ranking.iter().enumerate().take(current_rank) {
        higher_choices.push(higher_choice(cx, t, r, v)?);
    }
    Ok(MatchedInfo {
        vacancy: vac.id.clone(),
        start_date: pair.start,
        score: words::round4(pair.score),
        why,
        slack,
        higher_choices,
    })
}

/// How much room a match leaves: days before the window closes, money above
/// the floor (and how long the floor for the trainee's age applies), levels
/// above each requirement.
fn slack(p: &Problem, t: TraineeIx, pair: &crate::eligibility::Pair) -> Vec<String> {
    let vac = &p.vacancies[pair.v];
    let dest = &p.destinations[vac.dest];
    let mut slack = Vec::new();
    if let Some(latest) = vac.latest {
        slack.push(format!(
            "{} before the start window closes ({latest})",
            words::days((latest - pair.start).num_days())
        ));
    }
    if let Some(floor) = rules::salary_floor(p, t, pair.v, pair.start) {
        slack.push(format!(
            "salary {} above the floor",
            dest.money(vac.salary.unwrap_or(0.0) - floor.annual)
        ));
        if let (Some(under), Some(birth)) = (floor.under_age, p.trainees[t].birth_date) {
            let turns = birth
                .checked_add_months(chrono::Months::new(12 * under))
                .unwrap_or(birth);
            if turns > pair.start {
                slack.push(format!(
                    "the under-{under} floor applies until {turns}, {} after the start",
                    words::days((turns - pair.start).num_days())
                ));
            }
        }
    }
    let levels = &p.trainees[t].levels;
    let margins: Vec<String> = vac
        .requires
        .iter()
        .map(|&(s, need)| format!("{} +{}", p.skills[s].name, words::num(levels[s] - need)))
        .collect();
    if !margins.is_empty() {
        slack.push(format!(
            "skill levels above requirement: {}",
            margins.join(", ")
        ));
    }
    slack
}

/// A vacancy the trainee ranked above their match (rank `r`, from 0): why
/// they are not there, and what locking them there would do.
fn higher_choice(cx: &Context, t: TraineeIx, r: usize, v: VacancyIx) -> Result<Choice, PalimError> {
    let p = cx.p;
    Ok(match cx.e.pair_index(t, v) {
        None => {
            let m = misses::miss(p, t, v);
            let reason = rules::evaluate(p, t, v)
                .violations
                .iter()
                .map(|x| x.message.clone())
                .collect::<Vec<_>>()
                .join("; ");
            let needs = m
                .map(|m| {
                    m.fixes
                        .iter()
                        .map(|f| f.describe(p))
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_default();
            Choice {
                vacancy: p.vacancies[v].id.clone(),
                rank: r + 1,
                eligible: false,
                reason: if needs.is_empty() {
                    reason
                } else {
                    format!("{reason} (it would take: {needs})")
                },
                swap: None,
            }
        }
        Some(_) => {
            let state = cx.state();
            let held: Vec<String> = holders(cx, state, v)
                .iter()
                .map(|h| format!("{} (score {})", h.trainee, words::num(h.score)))
                .collect();
            let swap = if cx.infeasible() {
                None
            } else {
                cx.effect(&Change::lock(p, t, v))?
            };
            Choice {
                vacancy: p.vacancies[v].id.clone(),
                rank: r + 1,
                eligible: true,
                reason: if held.is_empty() {
                    "eligible; placing them there would not be optimal".to_string()
                } else {
                    format!("eligible; its places went to {}", words::list(&held, 4))
                },
                swap,
            }
        }
    })
}

// ----------------------------------------------------------------- vacancies

pub fn vacancy(
    cx: &Context,
    v: VacancyIx,
    audience: Audience,
) -> Result<VacancyReport, PalimError> {
    let p = cx.p;
    let vac = &p.vacancies[v];
    let state = cx.state();
    let all_holders = holders(cx, state, v);
    let open = vac.positions - state.filled[v];
    let reasons = cx
        .set
        .unfilled_positions
        .iter()
        .find(|u| u.vacancy == vac.id)
        .map(|u| u.reasons.clone())
        .unwrap_or_default();
    let eligible: Vec<usize> = cx.e.of_vacancy(v);
    let fill = open > 0 && !cx.infeasible();
    let (filling, elsewhere) = vacancy_what_ifs(cx, v, &eligible);
    cx.prefetch(&[filling.as_slice(), elsewhere.as_slice()].concat());
    let (mut changes, mut nearest) = (Vec::new(), Vec::new());
    if fill {
        changes = filling_changes(cx, v, filling)?;
        if eligible.is_empty() {
            nearest = nearest_trainees(p, v);
        }
    }
    let ranked_candidates = vac
        .ranking
        .iter()
        .enumerate()
        .map(|(r, &t)| {
            Ok(CandidateNote {
                trainee: p.trainees[t].id.clone(),
                rank: r + 1,
                note: candidate_note(cx, state, t, v, audience)?,
            })
        })
        .collect::<Result<Vec<_>, PalimError>>()?;

    let mut report = VacancyReport {
        unfinished: None,
        vacancy: vac.id.clone(),
        employer: p.employers[vac.employer].clone(),
        destination: p.destinations[vac.dest].code.clone(),
        positions: vac.positions,
        summary: format!(
            "{} ({}, {}) has {}: {} filled, {} open.",
            vac.id,
            p.employers[vac.employer],
            p.destinations[vac.dest].label,
            words::count(vac.positions as usize, "position", "positions"),
            all_holders.len(),
            open
        ),
        holders: all_holders,
        open,
        reasons,
        changes,
        nearest_trainees: nearest,
        ranked_candidates,
    };
    if audience == Audience::Employer {
        redact_for_employer(p, &mut report, v);
    }
    Ok(report)
}

/// The what-ifs vacancy `v`'s report asks: the changes that might fill an
/// open position ([`filling_candidates`]), and what placing each ranked
/// candidate held elsewhere here would cost (one lock each). Its report
/// solves them on every core in one batch (two batches would leave a core
/// idle at the end of each: at national size a what-if was a second).
fn vacancy_what_ifs(cx: &Context, v: VacancyIx, eligible: &[usize]) -> (Vec<Change>, Vec<Change>) {
    let (p, state) = (cx.p, cx.state());
    let filling = match state.filled[v] < p.vacancies[v].positions && !cx.infeasible() {
        true => filling_candidates(cx, state, v, eligible),
        false => Vec::new(),
    };
    let elsewhere = (p.vacancies[v].ranking.iter())
        .filter(|&&t| cx.e.pair_index(t, v).is_some())
        .filter(|&&t| state.trainee_at[t].is_some_and(|i| cx.e.pairs[i].v != v))
        .map(|&t| Change::lock(p, t, v))
        .collect();
    (filling, elsewhere)
}

/// The changes that might fill an open position of `v`: its quota or its
/// employer's cap one looser when at the bound, or one of its three best
/// eligible candidates locked there.
fn filling_candidates(
    cx: &Context,
    state: &State,
    v: VacancyIx,
    eligible: &[usize],
) -> Vec<Change> {
    let p = cx.p;
    // The quota and cap at their bound here, each one unit looser.
    let mut candidates: Vec<Change> = state
        .limits(p, &cx.e, v)
        .into_iter()
        .filter_map(|limit| limit.rule?.loosened(p))
        .collect();
    let mut by_score: Vec<usize> = eligible.to_vec();
    by_score.sort_by(|&a, &b| {
        cx.e.pairs[b]
            .score
            .total_cmp(&cx.e.pairs[a].score)
            .then(a.cmp(&b))
    });
    for &i in by_score.iter().take(3) {
        candidates.push(Change::lock(p, cx.e.pairs[i].t, v));
    }
    candidates
}

/// Of the [`filling_candidates`], those that do fill an open position of
/// `v`, each re-solved, fewest moves first.
fn filling_changes(
    cx: &Context,
    v: VacancyIx,
    candidates: Vec<Change>,
) -> Result<Vec<Effect>, PalimError> {
    let vac = &cx.p.vacancies[v];
    let mut changes = Vec::new();
    for c in candidates {
        let Some(effect) = cx.effect(&c)? else {
            continue;
        };
        let fills = effect
            .moves
            .iter()
            .filter(|m| m.to.as_deref() == Some(vac.id.as_str()))
            .count();
        let leaves = effect
            .moves
            .iter()
            .filter(|m| m.from.as_deref() == Some(vac.id.as_str()))
            .count();
        if effect.feasible && fills > leaves {
            changes.push(effect);
        }
    }
    changes.sort_by(|a, b| {
        (a.moves.len(), -a.placements_delta)
            .cmp(&(b.moves.len(), -b.placements_delta))
            .then(b.score_delta.total_cmp(&a.score_delta))
    });
    changes.truncate(SHOWN);
    Ok(changes)
}

/// When nobody is eligible for `v`: the trainees nearest to being so, by the
/// fixes they would need.
fn nearest_trainees(p: &Problem, v: VacancyIx) -> Vec<Miss> {
    let mut scratch = p.clone();
    let mut ms: Vec<Miss> = (0..p.trainees.len())
        .filter_map(|t| misses::miss_in(&mut scratch, p, t, v))
        .filter(|m| m.fixable)
        .collect();
    ms.sort_by(|a, b| {
        (a.fixes.len(), a.effort)
            .partial_cmp(&(b.fixes.len(), b.effort))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.trainee.cmp(&b.trainee))
    });
    ms.truncate(SHOWN);
    ms
}

/// What happened to a candidate the employer ranked, in words fit for that
/// audience.
fn candidate_note(
    cx: &Context,
    state: &State,
    t: TraineeIx,
    v: VacancyIx,
    audience: Audience,
) -> Result<String, PalimError> {
    let p = cx.p;
    let tid = &p.trainees[t].id;
    let employer_view = audience == Audience::Employer;
    let eligible_here = cx.e.pair_index(t, v).is_some();
    if let Some(i) = state.trainee_at[t].filter(|_| eligible_here) {
        let pair = &cx.e.pairs[i];
        if pair.v == v {
            return Ok(format!(
                "{tid} is matched to this vacancy, starting {}",
                pair.start
            ));
        }
        let Some(lock) = cx.effect(&Change::lock(p, t, v))? else {
            return Ok(format!(
                "{tid} is placed at another vacancy; what placing them here would cost was not computed within the time limit"
            ));
        };
        let free = lock.feasible && lock.placements_delta == 0 && lock.score_delta.abs() < 1e-9;
        let cost = if free {
            "nothing: an equally good match set places them here (the officer can lock it)"
                .to_string()
        } else if !lock.feasible {
            "the rules: no match set places them here".to_string()
        } else {
            format!(
                "{} and {} in total score",
                words::signed_count(lock.placements_delta, "placement", "placements"),
                words::num(lock.score_delta)
            )
        };
        return Ok(if employer_view {
            format!("{tid} is placed at another vacancy; placing them here instead would cost the programme {cost}")
        } else {
            format!(
                "{tid} is placed at {}; placing them here instead: {}",
                p.vacancies[pair.v].id,
                lock.summary(Some(tid))
            )
        });
    }
    if eligible_here {
        let blocker = state.blocker(p, &cx.e, t, v);
        return Ok(if employer_view {
            blocker.kind.to_employer(tid)
        } else {
            format!("{tid} is eligible but unplaced: {}", blocker.message)
        });
    }
    let miss = misses::miss(p, t, v);
    let needs = miss
        .as_ref()
        .map(|m| m.fixes.iter().map(|f| f.describe(p)).collect::<Vec<_>>())
        .unwrap_or_default();
    let pair = rules::context(p, t, v);
    let reasons: Vec<String> = rules::evaluate(p, t, v)
        .violations
        .iter()
        .map(|x| {
            if employer_view {
                rules::rule(x.code)
                    .and_then(|rule| rule.employer_message(&pair, &x.detail))
                    .unwrap_or_else(|| x.message.clone())
            } else {
                x.message.clone()
            }
        })
        .collect();
    let elsewhere = if state.trainee_at[t].is_some() {
        " (they are placed at another vacancy)"
    } else {
        ""
    };
    Ok(format!(
        "{tid} is not eligible here{elsewhere}: {}{}",
        reasons.join("; "),
        if needs.is_empty() {
            String::new()
        } else {
            format!(" (it would take: {})", needs.join("; "))
        }
    ))
}

fn redact_for_employer(p: &Problem, r: &mut VacancyReport, v: VacancyIx) {
    let ranked: BTreeSet<String> = p.vacancies[v]
        .ranking
        .iter()
        .map(|&t| p.trainees[t].id.clone())
        .collect();
    let hidden = r
        .holders
        .iter()
        .filter(|h| !ranked.contains(&h.trainee))
        .count();
    r.holders.retain(|h| ranked.contains(&h.trainee));
    if hidden > 0 {
        r.summary.push_str(&format!(
            " {} filled by candidates you did not rank.",
            words::count(hidden, "position is", "positions are")
        ));
    }
    // Reasons and changes are about the whole cohort: only counts remain.
    r.reasons = r
        .reasons
        .iter()
        .map(|x| Reason {
            message: generic_reason(&x.code, x.trainees),
            ..x.clone()
        })
        .collect();
    r.changes.clear();
    r.nearest_trainees.clear();
}

fn generic_reason(code: &str, n: Option<usize>) -> String {
    let n = n.map_or(String::new(), |n| format!("{n} "));
    if let Some(rule) = rules::rule_named(code) {
        return rule.for_employer(&n);
    }
    // The reasons a vacancy's positions stay open that are not one rule.
    match code {
        "no_eligible_trainee" => "no candidate meets all the rules of this vacancy".to_string(),
        "no_other_eligible_trainee" => {
            "every eligible candidate is placed; no other candidate meets all the rules of this vacancy"
                .to_string()
        }
        "candidates_placed_elsewhere" => {
            format!("{n}eligible candidates are placed at other vacancies")
        }
        other => match Blocked::named(other) {
            Some(blocked) => blocked.open_position(&n),
            None => other.replace('_', " "),
        },
    }
}

// --------------------------------------------------------------------- rules

pub fn rules(cx: &Context) -> Result<RulesReport, PalimError> {
    let state = cx.state();
    // Every row's what-if at once, on every core; the rows then read them.
    cx.prefetch(&rules_what_ifs(cx));
    let mut hard = Vec::new();
    for rule in reported(cx.p) {
        hard.extend(hard_rule_report(cx, state, rule)?);
    }
    let eligibility = eligibility_counts(cx.p, cx.deadline);
    if eligibility.is_none() {
        cx.not_counted("the pairs each eligibility rule rules out were not counted");
    }
    Ok(RulesReport {
        unfinished: None,
        eligibility: eligibility.unwrap_or_default(),
        hard_rules: hard,
    })
}

/// The what-ifs the rules report asks: each reported rule at its bound,
/// one unit looser.
fn rules_what_ifs(cx: &Context) -> Vec<Change> {
    let state = cx.state();
    reported(cx.p)
        .into_iter()
        .filter_map(|r| asked(cx, state, r)?.loosened(cx.p))
        .collect()
}

/// One pair's failing rules (`bits`, bit k for `RULES[k]`) added to
/// `counts`: (pairs, pairs it alone excludes) per rule.
fn count(counts: &mut [(usize, usize)], bits: u32) {
    let alone = bits.count_ones() == 1;
    for (k, c) in counts.iter_mut().enumerate() {
        if bits & 1 << k != 0 {
            c.0 += 1;
            c.1 += usize::from(alone);
        }
    }
}

/// The skills rule's bit in [`rules::failing_bits`]: the counts over every
/// pair ask the skills once per set of required levels, and the other rules
/// pair by pair ([`rules::failing_bits_except`]).
fn skills_bit() -> u32 {
    RULES
        .iter()
        .position(|r| r.code() == rules::ReasonCode::SkillBelowRequirement)
        .map_or(0, |k| 1u32 << k)
}

/// The trainees in chunks of 64, for a count over every pair on every core
/// that looks at its deadline before each chunk.
fn trainee_chunks(p: &Problem) -> Vec<std::ops::Range<TraineeIx>> {
    const TRAINEES_PER_CHUNK: usize = 64;
    let n = p.trainees.len();
    (0..n)
        .step_by(TRAINEES_PER_CHUNK)
        .map(|t| t..(t + TRAINEES_PER_CHUNK).min(n))
        .collect()
}

/// For each eligibility rule, the pairs it excludes and those it alone
/// excludes. Every trainee × vacancy pair is checked (80 million at
/// national size, where this took 6 s on one core), trainees in chunks on
/// every core; the sums do not depend on which core counted what. The
/// skills are asked once per trainee and set of required levels (at
/// national size 480 sets for 8,000 vacancies): comparing levels was most
/// of the count's time. `None` when `deadline` came before every pair was
/// counted (at national size the count takes seconds): a count of some
/// pairs would read as the whole.
fn eligibility_counts(p: &Problem, deadline: Option<Instant>) -> Option<Vec<RuleCount>> {
    let skills = skills_bit();
    let groups = crate::eligibility::requirement_groups(p, 0..p.vacancies.len());
    let chunks = trainee_chunks(p);
    let threads = crate::solve::optimize::threads();
    let counted = crate::solve::optimize::in_parallel(&chunks, threads, |ts| {
        if crate::solve::optimize::past(deadline) {
            return None;
        }
        // (pairs, only reason) per rule, by its index in `RULES`.
        let mut counts = vec![(0usize, 0usize); RULES.len()];
        // Vacancy by vacancy, the chunk's trainees each: a vacancy's data
        // stays in cache for them all (trainee by trainee, every vacancy
        // came from memory again for each, and that was most of the time).
        // `skill_bits`: the skills' bit of each of them at the group.
        let mut skill_bits = Vec::with_capacity(ts.len());
        for g in &groups {
            skill_bits.clear();
            skill_bits.extend(ts.clone().map(|t| {
                if g.excludes(&p.trainees[t].levels) {
                    skills
                } else {
                    0
                }
            }));
            for &v in &g.vacancies {
                for (t, &bit) in ts.clone().zip(&skill_bits) {
                    count(
                        &mut counts,
                        rules::failing_bits_except(p, t, v, skills) | bit,
                    );
                }
            }
        }
        Some(counts)
    });
    let counted: Vec<Vec<(usize, usize)>> = counted.into_iter().collect::<Option<_>>()?;
    let counts = RULES
        .iter()
        .enumerate()
        .map(|(k, r)| RuleCount {
            code: r.code(),
            rule: r.summary().to_string(),
            pairs: counted.iter().map(|c| c[k].0).sum(),
            only_reason: counted.iter().map(|c| c[k].1).sum(),
        })
        .collect();
    Some(counts)
}

/// Each hard rule's what-if: the rule one unit looser, re-solved; and
/// whether it was asked but not proven by the deadline (then the row cannot
/// say whether relaxing the rule would change anything, and says so).
fn relaxed(
    cx: &Context,
    state: &State,
    rule: HardRule,
) -> Result<(Option<Effect>, bool), PalimError> {
    match asked(cx, state, rule).and_then(|r| r.loosened(cx.p)) {
        Some(change) if !cx.infeasible() => {
            let effect = cx.effect(&change)?;
            let unsolved = effect.is_none();
            Ok((effect, unsolved))
        }
        _ => Ok((None, false)),
    }
}

/// The rule whose loosening by one unit `rule`'s row of the report asks
/// about: a destination's bound where it binds, every share and lock, the
/// first employer at the cap.
fn asked(cx: &Context, state: &State, rule: HardRule) -> Option<HardRule> {
    let p = cx.p;
    match rule {
        HardRule::OnePlacement(_) | HardRule::Positions(_) => None,
        HardRule::DestinationMax(d) => p.destinations[d]
            .max
            .filter(|&max| state.per_dest[d] >= max)
            .map(|_| rule),
        HardRule::DestinationMin(d) => {
            let min = p.destinations[d].min;
            (min > 0 && state.per_dest[d] <= min).then_some(rule)
        }
        HardRule::GroupShare(_) | HardRule::Lock(_) => Some(rule),
        HardRule::EmployerCap(_) => {
            let cap = p.max_per_employer?;
            (0..p.employers.len())
                .find(|&e| state.per_employer[e] >= cap)
                .map(HardRule::EmployerCap)
        }
    }
}

/// Where each hard rule of the scenario stands in the report: each
/// destination's maximum then minimum, the shares, one row for the cap every
/// employer has, the locks. `None` for the rules the match set reports
/// vacancy by vacancy. A new kind of rule must be placed here (the match is
/// exhaustive), and worded in [`hard_rule_report`].
fn report_order(rule: HardRule) -> Option<(u8, usize, u8)> {
    match rule {
        HardRule::OnePlacement(_) | HardRule::Positions(_) => None,
        HardRule::DestinationMax(d) => Some((0, d, 0)),
        HardRule::DestinationMin(d) => Some((0, d, 1)),
        HardRule::GroupShare(s) => Some((1, s, 0)),
        HardRule::EmployerCap(_) => Some((2, 0, 0)),
        HardRule::Lock(l) => Some((3, l, 0)),
    }
}

/// The scenario's hard rules in the report's order, the employer caps as one.
fn reported(p: &Problem) -> Vec<HardRule> {
    let mut rules: Vec<HardRule> = hard_rules::all(p)
        .into_iter()
        .filter(|&r| report_order(r).is_some())
        .collect();
    rules.sort_by_key(|&r| report_order(r));
    rules.dedup_by(|a, b| matches!((a, b), (HardRule::EmployerCap(_), HardRule::EmployerCap(_))));
    rules
}

/// One hard rule's row of the report: its state, whether it binds, and what
/// one unit looser would do.
fn hard_rule_report(
    cx: &Context,
    state: &State,
    rule: HardRule,
) -> Result<Option<HardRuleReport>, PalimError> {
    match rule {
        HardRule::OnePlacement(_) | HardRule::Positions(_) => Ok(None),
        HardRule::DestinationMax(d) => destination_max(cx, state, d),
        HardRule::DestinationMin(d) => destination_min(cx, state, d),
        HardRule::GroupShare(s) => share_rule(cx, state, s).map(Some),
        HardRule::EmployerCap(_) => employer_cap_rule(cx, state),
        HardRule::Lock(l) => lock_rule(cx, l).map(Some),
    }
}

/// A destination's maximum, and what one more place would do where it binds.
fn destination_max(
    cx: &Context,
    state: &State,
    d: usize,
) -> Result<Option<HardRuleReport>, PalimError> {
    let dest = &cx.p.destinations[d];
    let Some(max) = dest.max else {
        return Ok(None);
    };
    let placed = state.per_dest[d];
    let binding = placed >= max;
    let (relaxed, unsolved) = relaxed(cx, state, HardRule::DestinationMax(d))?;
    Ok(Some(HardRuleReport {
        rule: "destination_max".into(),
        subject: dest.code.clone(),
        state: format!("{placed} of at most {max} placed in {}", dest.label),
        binding,
        relaxed,
        unsolved,
    }))
}

/// A destination's minimum, and what one fewer required would do where it binds.
fn destination_min(
    cx: &Context,
    state: &State,
    d: usize,
) -> Result<Option<HardRuleReport>, PalimError> {
    let dest = &cx.p.destinations[d];
    if dest.min == 0 {
        return Ok(None);
    }
    let placed = state.per_dest[d];
    let binding = placed <= dest.min;
    let (relaxed, unsolved) = relaxed(cx, state, HardRule::DestinationMin(d))?;
    Ok(Some(HardRuleReport {
        rule: "destination_min".into(),
        subject: dest.code.clone(),
        state: format!(
            "{placed} placed in {}, at least {} required",
            dest.label, dest.min
        ),
        binding,
        relaxed,
        unsolved,
    }))
}

/// A group share, and what one point wider would do.
fn share_rule(cx: &Context, state: &State, s: usize) -> Result<HardRuleReport, PalimError> {
    let p = cx.p;
    let share = &p.shares[s];
    let u = cx.set.group_shares.get(s);
    let (relaxed, unsolved) = relaxed(cx, state, HardRule::GroupShare(s))?;
    Ok(HardRuleReport {
        rule: "group_share".into(),
        subject: p.share_label(share),
        state: u.map_or(String::new(), |u| {
            format!(
                "{} of {} ({}%), at least {}%",
                u.members,
                u.placed,
                words::num(u.share * 100.0),
                words::num(share.min_share * 100.0)
            )
        }),
        binding: u.is_some_and(|u| u.binding),
        relaxed,
        unsolved,
    })
}

/// The employer cap, and what one more place at the first employer at it would do.
fn employer_cap_rule(cx: &Context, state: &State) -> Result<Option<HardRuleReport>, PalimError> {
    let p = cx.p;
    let Some(cap) = p.max_per_employer else {
        return Ok(None);
    };
    let at_cap_ix: Vec<usize> = (0..p.employers.len())
        .filter(|&e| state.per_employer[e] >= cap)
        .collect();
    let at_cap: Vec<String> = at_cap_ix.iter().map(|&e| p.employers[e].clone()).collect();
    let binding = !at_cap.is_empty();
    // The row is every employer's; `asked` takes the first at the cap.
    let (relaxed, unsolved) = relaxed(cx, state, HardRule::EmployerCap(0))?;
    Ok(Some(HardRuleReport {
        rule: "max_per_employer".into(),
        subject: format!("at most {cap} per employer"),
        state: if binding {
            format!("at the cap: {}", words::list(&at_cap, 5))
        } else {
            "no employer at the cap".into()
        },
        binding,
        relaxed,
        unsolved,
    }))
}

/// A lock, binding when dropping it would change the answer.
fn lock_rule(cx: &Context, l: usize) -> Result<HardRuleReport, PalimError> {
    let p = cx.p;
    let lock = &p.locks[l];
    let (tid, vid) = (&p.trainees[lock.trainee].id, &p.vacancies[lock.vacancy].id);
    let (effect, unsolved) = relaxed(cx, cx.state(), HardRule::Lock(l))?;
    let binding = effect.as_ref().is_some_and(|e| {
        !e.moves.is_empty() || e.placements_delta != 0 || e.score_delta.abs() > 1e-9
    });
    Ok(HardRuleReport {
        rule: "lock".into(),
        subject: format!("{tid} -> {vid}"),
        state: format!("{tid} is locked to {vid}"),
        binding,
        relaxed: effect,
        unsolved,
    })
}
