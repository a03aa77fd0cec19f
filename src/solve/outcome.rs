//! What every engine answers with, and what it is asked: the options, the
//! deadline helpers, the outcome with its phases and proofs. The flow, the
//! core method and the integer program share these, so they live apart from
//! all three and none imports another for them.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::model::scenario::Priority;
pub use crate::solve::basis::{KeptStart, LpStart};

#[derive(Debug, Clone)]
pub struct SolveOptions {
    /// Seconds for the whole solve, all priorities together.
    pub time_limit: Option<f64>,
    /// Relative MIP gap accepted as optimal; 0 means proven optimal.
    pub mip_gap: f64,
    /// Pairs of an earlier answer, sorted: among the optimal match sets, take one that
    /// keeps as many of them as possible (a last, tie-breaking phase), so that a
    /// what-if shows only the changes it forces. The flow keeps the most
    /// exactly; the core method, when the score with kept pairs as its
    /// tie-break is not proven within a few seconds, takes the score alone
    /// (every priority still proven optimal, more of `keep` may move).
    pub keep: Option<Vec<usize>>,
    /// Re-planning: keeping `keep` comes right after the most placements and
    /// before the score, instead of only breaking ties at the end.
    pub keep_before_score: bool,
    /// Which algorithm solves the model.
    pub engine: Engine,
    /// When the whole operation this solve belongs to must end (a request's
    /// explanations, a comparison's variants), on top of `time_limit`: each
    /// solve stops at whichever comes first.
    pub deadline: Option<Instant>,
    /// The optimum of the flow relaxation with these goals, when it was
    /// found already (a what-if repairs the one of the scenario before,
    /// `flow::solve_or_relax_from`): the core method starts from it instead
    /// of solving the flow again. It must be exactly that optimum: its size
    /// is the placements' bound.
    pub relaxation: Option<Solution>,
    /// What the scenario this one changes proved about its placements (a
    /// what-if's): where this solve's proof of them is likely to end, and
    /// a bound when the change only restricts. Like `relaxation`, it is
    /// believed: its `most` must be that scenario's proven optimum.
    pub placements_before: Option<PlacementsBefore>,
    /// The optimum of the LP the core method solves for this scenario's
    /// score, taken before the change ([`crate::solve::core_method::what_if_start`]):
    /// its LP starts from that core and basis (renumbered when a data change
    /// built the pairs again, [`LpStart::renumbered`]). Only the start
    /// differs; the LP's optimum is the same from any.
    pub lp_before: Option<Arc<LpStart>>,
}

/// The placements of the scenario a what-if changes, and how they were
/// proven. A what-if moves them by a unit or so (a share can let one more
/// woman bring others in), so its proof usually ends where the one before
/// did: the core method starts there (`solve --explain` at
/// 1,000 × 400 with a binding share: each what-if tried the flow's count
/// first, an LP that could only fall short).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlacementsBefore {
    /// The most placements there (proven optimal).
    pub most: usize,
    /// They fell short of the flow relaxation's count, and the LP over
    /// every pair bounded them (`lp_bound`).
    pub lp_bound: bool,
    /// This scenario only restricts that one (a lock added): its match sets
    /// are some of those before, so its LP over every pair is no higher and
    /// `most` bounds its placements by the same proof.
    pub restricts: bool,
}

/// An earlier answer's pairs to keep as many of as the goals before allow:
/// [`SolveOptions::keep`] as the flow and the core method take it.
#[derive(Debug, Clone, Copy)]
pub struct Keep<'a> {
    /// Pair indices, sorted.
    pub pairs: &'a [usize],
    /// Kept pairs count right after the placements (a re-plan), instead of
    /// only breaking the score's ties (a what-if).
    pub before_score: bool,
}

impl SolveOptions {
    /// The keep goal, when there is one.
    pub fn keep_goal(&self) -> Option<Keep<'_>> {
        self.keep.as_deref().map(|pairs| Keep {
            pairs,
            before_score: self.keep_before_score,
        })
    }
}

/// The algorithm behind a solve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// The min-cost flow when the rules form a network (or its optimum
    /// already satisfies the group shares), else the integer program.
    #[default]
    Auto,
    /// Always the integer program on HiGHS.
    Highs,
    /// Only the min-cost flow; an error when the scenario is not a network.
    Flow,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            time_limit: None,
            mip_gap: 0.0,
            keep: None,
            keep_before_score: false,
            engine: Engine::Auto,
            deadline: None,
            relaxation: None,
            placements_before: None,
            lp_before: None,
        }
    }
}

/// The earlier of two optional deadlines.
pub fn earliest(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The end of an operation that starts now and may take `time_limit`
/// seconds, within an `outer` deadline: the one conversion of a time limit.
pub fn deadline_after(time_limit: Option<f64>, outer: Option<Instant>) -> Option<Instant> {
    earliest(
        outer,
        time_limit.map(|s| Instant::now() + Duration::from_secs_f64(s.clamp(0.0, 1e9))),
    )
}

/// Seconds left until `deadline` (0 once it has passed, or once the work
/// was cancelled), as HiGHS takes them.
pub fn seconds_left(deadline: Option<Instant>) -> Option<f64> {
    if cancelled() {
        return Some(0.0);
    }
    deadline.map(|d| d.saturating_duration_since(Instant::now()).as_secs_f64())
}

/// True once `deadline` has passed, or once the work was cancelled.
pub fn past(deadline: Option<Instant>) -> bool {
    cancelled() || deadline.is_some_and(|d| Instant::now() >= d)
}

thread_local! {
    /// The cancel flag of the work running on this thread ([`cancellable`]).
    static CANCEL: std::cell::RefCell<Option<Arc<AtomicBool>>> = const { std::cell::RefCell::new(None) };
}

/// Run `work` on this thread so that raising `flag` ends it early: every
/// deadline check ([`past`], [`seconds_left`]) then answers "time is up", so a
/// cancelled solve stops where a timed-out one would, at its next check (a
/// HiGHS call already running finishes within the time it was given). The
/// server's cancellable jobs use it; a thread without a flag is never
/// cancelled.
pub fn cancellable<T>(flag: Arc<AtomicBool>, work: impl FnOnce() -> T) -> T {
    struct Reset(Option<Arc<AtomicBool>>);
    impl Drop for Reset {
        fn drop(&mut self) {
            let before = self.0.take();
            CANCEL.with(|c| *c.borrow_mut() = before);
        }
    }
    let before = CANCEL.with(|c| c.borrow_mut().replace(flag));
    let _reset = Reset(before);
    work()
}

pub use crate::limits::threads;

/// `work` on every item, on up to `threads` threads, the results in the
/// items' order, so that the output never depends on which thread was
/// faster. Each thread carries this thread's cancel flag ([`cancellable`]),
/// so a cancelled job stops its helpers too.
pub fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    in_parallel_with(items, threads, || (), |(), item| work(item))
}

/// [`in_parallel`], each thread with its own scratch made by `scratch`
/// once: work that needs a mutable copy of something large (a scenario to
/// try fixes on) makes one per thread, not one per item. `work` must leave
/// the scratch as it found it, as far as the result can tell: which items
/// a thread gets depends on timing.
pub fn in_parallel_with<T: Sync, S, R: Send>(
    items: &[T],
    threads: usize,
    scratch: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        let mut s = scratch();
        return items.iter().map(|item| work(&mut s, item)).collect();
    }
    // Every item queued at once, its result put back at its own place.
    let mut results: Vec<Option<R>> = items.iter().map(|_| None).collect();
    with_queue(threads, scratch, work, |queue| {
        for item in items {
            queue.push(item);
        }
        while let Some((i, r)) = queue.next_done() {
            results[i] = Some(r);
        }
    });
    results
        .into_iter()
        .map(|r| r.expect("every item is worked on: a panic would have ended the queue"))
        .collect()
}

/// Jobs handed to worker threads as they are queued, and their results
/// handed back as each is done ([`with_queue`]): what the results feed
/// (reports written from their what-ifs, jobs that need an earlier job's
/// answer) goes on while later jobs still run, and no batch's last job holds
/// a core idle while the next batch waits for it.
pub struct Queue<'a, J, R> {
    shared: &'a Shared<J, R>,
    pushed: usize,
    taken: usize,
}

struct Shared<J, R> {
    state: Mutex<QueueState<J, R>>,
    changed: Condvar,
}

struct QueueState<J, R> {
    /// Jobs not begun, each with its ticket, in the order they are begun.
    jobs: VecDeque<(usize, J)>,
    /// Results done and not taken yet, by ticket.
    done: BTreeMap<usize, R>,
    /// No job will come: idle threads stop.
    closed: bool,
    /// A job panicked: its result will never come.
    lost: bool,
}

impl<J, R> Queue<'_, J, R> {
    /// Queue `job` behind every job not begun; its ticket.
    pub fn push(&mut self, job: J) -> usize {
        self.queue(job, false)
    }

    /// Queue `job` ahead of every job not begun (its result is wanted
    /// soonest); its ticket.
    pub fn push_front(&mut self, job: J) -> usize {
        self.queue(job, true)
    }

    fn queue(&mut self, job: J, front: bool) -> usize {
        let ticket = self.pushed;
        self.pushed += 1;
        let mut state = locked(&self.shared.state);
        match front {
            true => state.jobs.push_front((ticket, job)),
            false => state.jobs.push_back((ticket, job)),
        }
        drop(state);
        self.shared.changed.notify_all();
        ticket
    }

    /// How many jobs were queued so far (the next job's ticket).
    pub fn pushed(&self) -> usize {
        self.pushed
    }

    /// The next result done (the lowest ticket among those done), waiting
    /// for one; `None` once every queued job's result was taken, or when a
    /// job panicked (the panic is raised when [`with_queue`] ends).
    pub fn next_done(&mut self) -> Option<(usize, R)> {
        if self.taken == self.pushed {
            return None;
        }
        let mut state = locked(&self.shared.state);
        loop {
            if state.lost {
                return None;
            }
            if let Some(done) = state.done.pop_first() {
                self.taken += 1;
                return Some(done);
            }
            state = (self.shared.changed)
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// Run `body` with a [`Queue`] whose jobs `threads` threads work on, each
/// with its own scratch made by `scratch` once (see [`in_parallel_with`]),
/// each carrying this thread's cancel flag ([`cancellable`]). Jobs still
/// queued when `body` returns are dropped. Which thread runs which job
/// depends on timing, so a job's result must not.
pub fn with_queue<J: Send, R: Send, S, T>(
    threads: usize,
    scratch: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, J) -> R + Sync,
    body: impl FnOnce(&mut Queue<J, R>) -> T,
) -> T {
    /// Closes the queue however `body` ends (a panic too), so that the
    /// threads stop and the scope can end.
    struct Closing<'a, J, R>(&'a Shared<J, R>);
    impl<J, R> Drop for Closing<'_, J, R> {
        fn drop(&mut self) {
            let mut state = locked(&self.0.state);
            state.closed = true;
            state.jobs.clear();
            drop(state);
            self.0.changed.notify_all();
        }
    }
    /// Marks a job's result as lost when its thread unwinds, so that
    /// [`Queue::next_done`] does not wait for it.
    struct Losing<'a, J, R>(&'a Shared<J, R>);
    impl<J, R> Drop for Losing<'_, J, R> {
        fn drop(&mut self) {
            if std::thread::panicking() {
                locked(&self.0.state).lost = true;
                self.0.changed.notify_all();
            }
        }
    }
    let shared = Shared {
        state: Mutex::new(QueueState {
            jobs: VecDeque::new(),
            done: BTreeMap::new(),
            closed: false,
            lost: false,
        }),
        changed: Condvar::new(),
    };
    let flag = CANCEL.with(|c| c.borrow().clone());
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| {
                let _losing = Losing(&shared);
                let run = || {
                    let mut s = scratch();
                    loop {
                        let mut state = locked(&shared.state);
                        let (ticket, job) = loop {
                            if let Some(next) = state.jobs.pop_front() {
                                break next;
                            }
                            if state.closed {
                                return;
                            }
                            state = (shared.changed)
                                .wait(state)
                                .unwrap_or_else(PoisonError::into_inner);
                        };
                        drop(state);
                        let r = work(&mut s, job);
                        locked(&shared.state).done.insert(ticket, r);
                        shared.changed.notify_all();
                    }
                };
                match flag.clone() {
                    Some(flag) => cancellable(flag, run),
                    None => run(),
                }
            });
        }
        let _closing = Closing(&shared);
        body(&mut Queue {
            shared: &shared,
            pushed: 0,
            taken: 0,
        })
    })
}

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn cancelled() -> bool {
    CANCEL.with(|c| {
        c.borrow()
            .as_ref()
            .is_some_and(|f| f.load(Ordering::Relaxed))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Optimal,
    TimeLimit,
}

/// How one priority was solved.
#[derive(Debug, Clone)]
pub struct Phase {
    pub priority: Priority,
    pub value: f64,
    /// The solver's proven bound on the value (equal to it when optimal).
    pub bound: f64,
    pub status: Status,
    pub seconds: f64,
    pub proof: Proof,
}

/// How a phase's optimum was established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Proof {
    /// Nothing could be matched; the empty match set is the only one.
    Trivial,
    /// The LP relaxation's optimal vertex was integral: no better integer
    /// solution can exist.
    #[strum(serialize = "integral_lp_relaxation")]
    IntegralLp,
    /// HiGHS's branch-and-bound closed the gap (or stopped at the time limit).
    BranchAndBound,
    /// A minimum-cost maximum flow on the assignment graph: integral, and
    /// optimal by the flow's optimality conditions.
    MinCostFlow,
    /// The min-cost flow without the group shares (a relaxation) already
    /// satisfied them.
    #[strum(serialize = "min_cost_flow_relaxation")]
    FlowRelaxation,
    /// The maximum flow without the rules outside the network bounds the
    /// placements, and the match set reaches it.
    FlowBound,
    /// The LP over every pair (by column generation) bounds the placements,
    /// and the match set reaches the bound.
    LpBound,
    /// The LP over every pair (by column generation) bounds the score; pairs
    /// whose reduced costs rule them out were fixed, and the integer program
    /// on the rest (branch-and-bound, or its LP when integral on the bounds
    /// its rows imply) reached the bound.
    ReducedCostFixing,
    /// The LP over every pair, split where a share's group count was
    /// fractional (at most the count below, or at least the count above),
    /// bounds the score in each part; the best part's match set reached
    /// the higher bound.
    GroupSplit,
}

impl Proof {
    /// The proof's name in a match set's `solver.phases`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[derive(Debug, Clone)]
pub struct Solution {
    /// Indices into `Eligibility::pairs`, ascending.
    pub chosen: Vec<usize>,
    pub status: Status,
    /// Relative gap of the priority that stopped at the time limit.
    pub gap: Option<f64>,
    pub phases: Vec<Phase>,
    /// The score's LP over every pair, its placements held, as the core
    /// method left it: what the explanations of this match set start their
    /// what-ifs' LP from (that LP is this one with the match set's pairs
    /// kept), in this process or a later one. `None` from other engines.
    pub start: Option<KeptStart>,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    Solved(Solution),
    Infeasible,
    /// The time limit passed before any match set satisfying the rules was found.
    NoSolutionInTime,
}

/// Up to this many free pairs, HiGHS's branch-and-bound without presolve is
/// checked by a run with it: HiGHS 1.15 without presolve has proven an
/// optimum below the true one (see `optimize::run_model`), and at this size
/// a second run costs milliseconds.
pub(crate) const SECOND_OPINION_UP_TO: usize = 500;

/// Of two runs of HiGHS on the same model, the one whose match set is worth
/// more (`value`, `None` for a run without one): both keep every row, so a
/// proof below either is wrong. The first on a tie.
pub(crate) fn better_of<R>(first: R, second: R, value: impl Fn(&R) -> Option<f64>) -> R {
    match (value(&first), value(&second)) {
        (Some(a), Some(b)) if b > a + SCORE_TOLERANCE * a.abs().max(1.0) => second,
        (None, Some(_)) => second,
        _ => first,
    }
}

/// Score rows are held at their optimum minus this relative tolerance, so that
/// floating-point noise in the solver cannot make the next phase infeasible.
pub const SCORE_TOLERANCE: f64 = 1e-7;

/// The relative gap between a value and its bound, as HiGHS reports it.
pub(crate) fn relative_gap(value: f64, bound: f64) -> f64 {
    ((bound - value).abs() / value.abs().max(1e-9)).min(f64::MAX)
}

#[cfg(test)]
mod tests {
    use super::{with_queue, Proof};
    use std::collections::BTreeMap;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Jobs queued up front and jobs queued from a result (as a trainee's
    /// nearest fix is, once its misses are in) each come back once, whatever
    /// the number of threads.
    #[test]
    fn a_queue_hands_back_every_job_once_including_jobs_queued_from_results() {
        for threads in 1..=4 {
            let back = with_queue(
                threads,
                || 0usize,
                |ran: &mut usize, job: u64| {
                    *ran += 1;
                    (job, job * job)
                },
                |queue| {
                    for job in 0..100 {
                        assert_eq!(queue.push(job), usize::try_from(job).unwrap());
                    }
                    let mut back = BTreeMap::new();
                    while let Some((ticket, (job, square))) = queue.next_done() {
                        assert_eq!(square, job * job);
                        if job < 10 {
                            queue.push_front(1000 + job);
                        }
                        assert_eq!(back.insert(ticket, job), None, "ticket {ticket} twice");
                    }
                    back
                },
            );
            assert_eq!(back.len(), 110, "{threads} threads");
            assert!((0..100).all(|j| back[&j] == j as u64));
            let later: Vec<u64> = back.range(100..).map(|(_, &j)| j).collect();
            assert_eq!(later.len(), 10);
            assert!(later.iter().all(|j| (1000..1010).contains(j)));
        }
    }

    /// A job that panics is raised where the queue was made; the taker does
    /// not wait for its result forever.
    #[test]
    fn a_job_that_panics_is_raised_not_waited_for() {
        let outcome = std::panic::catch_unwind(|| {
            with_queue(
                2,
                || (),
                |(), job: u32| {
                    assert_ne!(job, 3, "job 3 fails");
                    job
                },
                |queue| {
                    for job in 0..8 {
                        queue.push(job);
                    }
                    while queue.next_done().is_some() {}
                },
            )
        });
        assert!(outcome.is_err());
    }

    /// What is still queued when the taker is done is dropped, not run: a
    /// report past its deadline does not wait for the what-ifs after it.
    #[test]
    fn jobs_still_queued_when_the_taker_returns_are_dropped() {
        let ran = AtomicUsize::new(0);
        with_queue(
            2,
            || (),
            |(), _job: u32| {
                ran.fetch_add(1, Ordering::Relaxed);
                std::thread::sleep(std::time::Duration::from_millis(5));
            },
            |queue| {
                for job in 0..1_000 {
                    queue.push(job);
                }
                queue.next_done();
            },
        );
        assert!(ran.load(Ordering::Relaxed) < 1_000);
    }

    /// Names are part of the contract: a renamed variant must not rename its proof.
    #[test]
    fn every_proof_keeps_its_contract_name() {
        let names: Vec<&str> = [
            Proof::Trivial,
            Proof::IntegralLp,
            Proof::BranchAndBound,
            Proof::MinCostFlow,
            Proof::FlowRelaxation,
            Proof::FlowBound,
            Proof::LpBound,
            Proof::ReducedCostFixing,
            Proof::GroupSplit,
        ]
        .into_iter()
        .map(Proof::as_str)
        .collect();
        assert_eq!(
            names,
            [
                "trivial",
                "integral_lp_relaxation",
                "branch_and_bound",
                "min_cost_flow",
                "min_cost_flow_relaxation",
                "flow_bound",
                "lp_bound",
                "reduced_cost_fixing",
                "group_split"
            ]
        );
    }
}
