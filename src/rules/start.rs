//! When a trainee could start at a vacancy: the latest of availability, the
//! permit and the window's opening, pushed past blackouts. Computed once per
//! pair, because three rules read it (the window, the blackouts, the floor).

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::limits;
use crate::model::problem::{Dest, DestIx, Problem, TraineeIx, VacancyIx};

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
