//! Jobs: a solve a client starts, watches and may cancel (`/v1/jobs`).
//!
//! `POST /v1/solve` answers when the solve ends, which is right for tools
//! and wrong for a person watching a page: they want to see what step a long
//! solve is on and to stop it. A job is the same solve on the same pool,
//! started by one request and read by others. Its step is the solver's own
//! `palim::progress` events (the lines `palim solve --progress` prints),
//! caught on the job's thread; a cancel raises the flag every deadline check
//! of the library reads ([`crate::solve::optimize::cancellable`]).
//!
//! Jobs live in memory only, as everything the server holds: a finished job is
//! dropped [`KEEP_READ`] after its answer was first read, or [`KEEP_FINISHED`]
//! after it ended if nobody read it, and no more are kept than the server was
//! told (twice its pool: running and waiting solves, and as many answers).

use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::value::RawValue;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;

use super::problem_details::ProblemDetails;

/// How long a finished job's answer is kept for its client to read.
pub const KEEP_FINISHED: Duration = Duration::from_secs(600);
/// How long it is kept once read (a page reads it once; a retry may again).
pub const KEEP_READ: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Running,
    Done,
    Failed,
    Cancelled,
}

/// What a running job is doing, in broad strokes a page can word in any
/// language; `step` has the solver's own detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Admitted, waiting for a free solver.
    Waiting,
    /// Solving (and explaining, when asked).
    Solving,
    /// Ended (see `state`).
    Ended,
}

/// A job as its client reads it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Job {
    /// Names the job in `/v1/jobs/{id}`.
    pub id: String,
    pub state: JobState,
    pub phase: Phase,
    /// What the job is doing now (`waiting for a solver`, `solving`,
    /// `min-cost flow on 3416 pairs`, …), in English; `done`, `failed` or
    /// `cancelled` at the end.
    pub step: String,
    /// Seconds since the job was started (until it ended).
    pub elapsed_seconds: f64,
    /// When `done`: the match set (palim-result/1), as `POST /v1/solve` returns it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<serde_json::Value>")]
    pub result: Option<Box<RawValue>>,
    /// When `failed`: the problem, as `POST /v1/solve` would have answered it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<ProblemDetails>,
}

struct Entry {
    started: Instant,
    ended: Option<Instant>,
    state: JobState,
    step: Arc<Mutex<Step>>,
    cancel: Arc<AtomicBool>,
    /// Kept as the text it is sent as: a match set of a national cohort is
    /// megabytes, and several may wait to be read.
    result: Option<Box<RawValue>>,
    problem: Option<ProblemDetails>,
    /// When the client first read the answer.
    read: Option<Instant>,
}

/// The jobs of one server.
pub struct Jobs {
    entries: Mutex<HashMap<String, Entry>>,
    max: usize,
}

/// A job's phase and the detail of its step.
#[derive(Debug, Clone)]
struct Step {
    phase: Phase,
    detail: String,
}

/// What a job's work gets: where to say its step, and its cancel flag.
pub struct Ticket {
    pub id: String,
    step: Arc<Mutex<Step>>,
    cancel: Arc<AtomicBool>,
}

impl Ticket {
    /// The job enters `phase`; `what` says it in English until the solver
    /// says more.
    pub fn step(&self, phase: Phase, what: &str) {
        set(&self.step, Some(phase), what);
    }

    /// Run `work` on this thread as the job's: its `palim::progress` events
    /// become the job's step, and a cancel stops it at its next deadline check.
    pub fn run<T>(&self, work: impl FnOnce() -> T) -> T {
        let subscriber = tracing_subscriber::registry().with(Steps(self.step.clone()));
        let cancel = self.cancel.clone();
        tracing::subscriber::with_default(subscriber, || {
            crate::solve::optimize::cancellable(cancel, work)
        })
    }
}

fn set(step: &Mutex<Step>, phase: Option<Phase>, what: &str) {
    if let Ok(mut s) = step.lock() {
        if let Some(p) = phase {
            s.phase = p;
        }
        what.clone_into(&mut s.detail);
    }
}

impl Jobs {
    pub fn new(max: usize) -> Jobs {
        Jobs {
            entries: Mutex::new(HashMap::new()),
            max: max.max(1),
        }
    }

    /// Register a new job, or refuse when as many as the server keeps are
    /// still running or unread.
    pub fn start(&self) -> Result<Ticket, ProblemDetails> {
        let mut entries = self.lock();
        purge(&mut entries);
        // Full: the answers waiting longest make room (their clients had
        // their chance); only a server full of running jobs refuses.
        while entries.len() >= self.max {
            let oldest = entries
                .iter()
                .filter_map(|(id, e)| e.ended.map(|t| (t, id.clone())))
                .min();
            match oldest {
                Some((_, id)) => entries.remove(&id),
                None => return Err(ProblemDetails::busy(1)),
            };
        }
        let id = format!("{:032x}", rand::random::<u128>());
        let step = Arc::new(Mutex::new(Step {
            phase: Phase::Waiting,
            detail: "waiting for a solver".to_string(),
        }));
        let cancel = Arc::new(AtomicBool::new(false));
        entries.insert(
            id.clone(),
            Entry {
                started: Instant::now(),
                ended: None,
                state: JobState::Running,
                step: step.clone(),
                cancel: cancel.clone(),
                result: None,
                problem: None,
                read: None,
            },
        );
        Ok(Ticket { id, step, cancel })
    }

    /// Record how a job ended (unless it was cancelled: then it is gone, and
    /// its answer, which came from a solve told to stop, is dropped).
    pub fn finish(&self, id: &str, outcome: Result<Box<RawValue>, ProblemDetails>) {
        let mut entries = self.lock();
        let Some(e) = entries.get_mut(id) else { return };
        if e.state == JobState::Cancelled {
            return;
        }
        e.ended = Some(Instant::now());
        match outcome {
            Ok(v) => {
                e.state = JobState::Done;
                e.result = Some(v);
                set(&e.step, Some(Phase::Ended), "done");
            }
            Err(p) => {
                e.state = JobState::Failed;
                e.problem = Some(p);
                set(&e.step, Some(Phase::Ended), "failed");
            }
        }
    }

    /// The job as its client reads it.
    pub fn get(&self, id: &str) -> Option<Job> {
        let mut entries = self.lock();
        purge(&mut entries);
        let e = entries.get_mut(id)?;
        if e.ended.is_some() && e.read.is_none() {
            e.read = Some(Instant::now());
        }
        Some(document(id, e))
    }

    /// Stop a job and forget it: a running one is `cancelled` at once and its
    /// solve ends at its next deadline check; either way the job is gone
    /// (its id answers 404 from now on), and its last state is returned.
    pub fn cancel(&self, id: &str) -> Option<Job> {
        let mut e = self.lock().remove(id)?;
        if e.state == JobState::Running {
            e.cancel.store(true, Ordering::Relaxed);
            e.state = JobState::Cancelled;
            e.ended = Some(Instant::now());
            set(&e.step, Some(Phase::Ended), "cancelled");
        }
        Some(document(id, &e))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Drop finished jobs read a while ago, or never read in time.
fn purge(entries: &mut HashMap<String, Entry>) {
    entries.retain(|_, e| match (e.ended, e.read) {
        (None, _) => true,
        (Some(_), Some(read)) => read.elapsed() < KEEP_READ,
        (Some(ended), None) => ended.elapsed() < KEEP_FINISHED,
    });
}

fn document(id: &str, e: &Entry) -> Job {
    let until = e.ended.unwrap_or_else(Instant::now);
    let step = e.step.lock().map(|s| s.clone()).unwrap_or(Step {
        phase: Phase::Ended,
        detail: String::new(),
    });
    Job {
        id: id.to_string(),
        state: e.state,
        phase: step.phase,
        step: step.detail,
        elapsed_seconds: (until.duration_since(e.started).as_secs_f64() * 1000.0).round() / 1000.0,
        result: e.result.clone(),
        problem: e.problem.clone(),
    }
}

/// A tracing layer that keeps the latest `palim::progress` message.
struct Steps(Arc<Mutex<Step>>);

impl<S: tracing::Subscriber> Layer<S> for Steps {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != "palim::progress" {
            return;
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        set(&self.0, None, &message.0);
    }
}

struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            value.clone_into(&mut self.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_reports_its_progress_events_as_its_step() {
        let jobs = Jobs::new(4);
        let ticket = jobs.start().unwrap();
        ticket.run(|| tracing::info!(target: "palim::progress", "min-cost flow on {} pairs", 12));
        assert_eq!(
            jobs.get(&ticket.id).unwrap().step,
            "min-cost flow on 12 pairs"
        );
        ticket.run(|| tracing::info!(target: "palim::other", "not a step"));
        assert_eq!(
            jobs.get(&ticket.id).unwrap().step,
            "min-cost flow on 12 pairs"
        );
    }

    #[test]
    fn a_cancelled_job_is_gone_and_its_work_sees_the_deadline_passed() {
        let jobs = Jobs::new(4);
        let ticket = jobs.start().unwrap();
        assert!(!ticket.run(|| crate::solve::optimize::past(None)));
        assert_eq!(jobs.cancel(&ticket.id).unwrap().state, JobState::Cancelled);
        assert!(ticket.run(|| crate::solve::optimize::past(None)));
        let left = ticket.run(|| crate::solve::optimize::seconds_left(None));
        assert_eq!(left, Some(0.0));
        // Outside the job, nothing is cancelled.
        assert!(!crate::solve::optimize::past(None));
        // The answer of a solve told to stop is dropped, not recorded.
        jobs.finish(
            &ticket.id,
            Ok(RawValue::from_string("null".into()).unwrap()),
        );
        assert!(jobs.get(&ticket.id).is_none());
        assert!(jobs.cancel(&ticket.id).is_none());
    }

    #[test]
    fn a_full_server_drops_the_oldest_answer_but_never_a_running_job() {
        let jobs = Jobs::new(2);
        let a = jobs.start().unwrap();
        let b = jobs.start().unwrap();
        assert_eq!(jobs.start().err().unwrap().status, 503);
        jobs.finish(&a.id, Ok(RawValue::from_string("1".into()).unwrap()));
        let c = jobs.start().unwrap();
        assert!(jobs.get(&a.id).is_none());
        assert_eq!(jobs.get(&b.id).unwrap().state, JobState::Running);
        assert_eq!(jobs.get(&c.id).unwrap().state, JobState::Running);
    }
}
