//! A solved scenario kept between questions.
//!
//! Before its first what-if, a question about a national scenario spends
//! seconds that do not depend on the question: the solve (or reading the
//! match set), the labels of the flow relaxation and the LP every what-if
//! starts from. A [`Prepared`] keeps those, and every what-if solved so far,
//! so that the next question about the same scenario starts where the last
//! one ended; the server keeps a few. Every answer is the same with it or
//! without it: each part is what a new [`Context`] would find again, by the
//! same deterministic steps, and a what-if not proven by its deadline is
//! never kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use super::{Context, Effect};
use crate::documents::match_set::{MatchSet, ResultStatus};
use crate::eligibility::Eligibility;
use crate::model::problem::Problem;
use crate::solve::core_method::LpStart;
use crate::solve::flow::Warm;
use crate::PalimError;

/// A scenario solved once, and what its questions found so far.
pub struct Prepared {
    problem: Problem,
    e: Eligibility,
    chosen: Vec<usize>,
    set: MatchSet,
    found: Mutex<Found>,
}

/// What the questions asked so far found: the starts of the what-ifs and
/// every what-if proven. A start not found is not kept (its question's
/// deadline may have come first): the next question looks for it again.
#[derive(Default, Clone)]
struct Found {
    warm: Option<Arc<Warm>>,
    lp: Option<Arc<LpStart>>,
    solved: HashMap<String, Effect>,
}

impl Prepared {
    /// Solve `problem` by `deadline`, for questions to come.
    pub fn solve(problem: Problem, deadline: Option<Instant>) -> Result<Self, PalimError> {
        let cx = Context::new_until(&problem, deadline)?;
        let (e, chosen, set) = (
            cx.e.into_owned(),
            cx.chosen.into_owned(),
            cx.set.into_owned(),
        );
        Ok(Prepared {
            problem,
            e,
            chosen,
            set,
            found: Mutex::default(),
        })
    }

    /// Whether the solve settled the scenario (proven optimal, or no match
    /// set at all), so that it is worth keeping: one cut short by its
    /// deadline would answer a question with more time no better.
    pub fn settled(&self) -> bool {
        self.set.status != ResultStatus::TimeLimit
    }

    pub fn problem(&self) -> &Problem {
        &self.problem
    }

    /// A context for one question by `deadline`, holding what the questions
    /// before it found.
    pub fn context(&self, deadline: Option<Instant>) -> Context<'_> {
        let found = self.found().clone();
        let cx =
            Context::borrowing(&self.problem, &self.e, &self.chosen, &self.set).until(deadline);
        if let Some(warm) = found.warm {
            let _ = cx.warm.set(Some(warm));
        }
        if let Some(lp) = found.lp {
            let _ = cx.lp.set(Some(lp));
        }
        *cx.solved.borrow_mut() = found.solved;
        cx
    }

    /// Keep what `cx` (made by [`Prepared::context`]) found, for the
    /// questions after it.
    pub fn learn(&self, cx: &Context) {
        let mut found = self.found();
        if let (None, Some(Some(warm))) = (&found.warm, cx.warm.get()) {
            found.warm = Some(Arc::clone(warm));
        }
        if let (None, Some(Some(lp))) = (&found.lp, cx.lp.get()) {
            found.lp = Some(Arc::clone(lp));
        }
        for (change, effect) in cx.solved.borrow().iter() {
            found
                .solved
                .entry(change.clone())
                .or_insert_with(|| effect.clone());
        }
    }

    fn found(&self) -> std::sync::MutexGuard<'_, Found> {
        self.found.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
