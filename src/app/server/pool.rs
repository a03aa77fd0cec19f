//! The bounded pool of solver threads.
//!
//! Solving is CPU-bound and runs on blocking threads, at most `workers` at a
//! time (one per core by default: more would only make each solve slower).
//! Up to `queue` more requests wait their turn; beyond that a request is
//! refused at once with 503 and `Retry-After`, so that memory and latency stay
//! bounded under any load and a client learns to back off instead of piling up.
//!
//! Both permits travel with the solve, not with the request: a client that
//! hangs up, or a request that times out, does not free a slot while its solve
//! is still running, so the pool never admits more work than it can do.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::Semaphore;

use super::problem_details::ProblemDetails;

pub struct Pool {
    workers: Arc<Semaphore>,
    admission: Arc<Semaphore>,
    size: usize,
    capacity: usize,
    running: Arc<AtomicUsize>,
    retry_after: u64,
}

impl Pool {
    pub fn new(workers: usize, queue: usize, retry_after: u64) -> Self {
        let workers = workers.max(1);
        Pool {
            workers: Arc::new(Semaphore::new(workers)),
            admission: Arc::new(Semaphore::new(workers + queue)),
            size: workers,
            capacity: workers + queue,
            running: Arc::new(AtomicUsize::new(0)),
            retry_after,
        }
    }

    /// Solvers in the pool.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Requests admitted at most (solvers + queue).
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Requests admitted (running or waiting).
    pub fn admitted(&self) -> usize {
        self.capacity - self.admission.available_permits()
    }

    /// Requests being solved right now.
    pub fn running(&self) -> usize {
        self.running.load(Ordering::Relaxed)
    }

    /// Whether one more request would be admitted.
    pub fn has_room(&self) -> bool {
        self.admission.available_permits() > 0
    }

    /// Run `work` on a solver thread once one is free; refuse at once when the
    /// queue is full.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<tokio::task::JoinHandle<T>, ProblemDetails> {
        let admitted = self
            .admission
            .clone()
            .try_acquire_owned()
            .map_err(|_| ProblemDetails::busy(self.retry_after))?;
        let worker = self
            .workers
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ProblemDetails::busy(self.retry_after))?;
        let running = Running::start(&self.running);
        Ok(tokio::task::spawn_blocking(move || {
            let _slot = (running, worker, admitted);
            work()
        }))
    }
}

/// Counts a solve as running until it ends, even by a panic.
struct Running(Arc<AtomicUsize>);

impl Running {
    fn start(count: &Arc<AtomicUsize>) -> Self {
        count.fetch_add(1, Ordering::Relaxed);
        Running(count.clone())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}
