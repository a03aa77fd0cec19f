//! "What would change the answer": one small change to the rules, re-solved.
//!
//! Every claim of the form "with one more Flemish place, T090 would start at
//! BE-07" is the result of applying a [`Change`] to the problem and solving it
//! again — never an estimate. The re-solve keeps as much of the current answer
//! as the optimum allows (see [`SolveOptions::keep`]), so the reported moves are
//! the ones the change forces, not an arbitrary reshuffle among equal optima.
//!
//! Rule changes do not alter which pairs are eligible, so [`effect`] reuses the
//! eligibility graph; data changes ([`Change::Data`]) rebuild it ([`resolve`]).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;

use crate::eligibility::Eligibility;
use crate::model::problem::{Override, Problem, TraineeIx, VacancyIx};
use crate::rules::Fix;
use crate::solve::audit;
use crate::solve::flow::{self, FromBefore, Warm};
use crate::solve::optimize::{self, Outcome, SolveOptions};
use crate::solve::outcome::{LpStart, PlacementsBefore};
use crate::words;

pub use crate::documents::explanation::{Change, Effect, Move};
use crate::PalimError;

impl Change {
    /// The what-if "this pair in every match set" (a lock is a tightening,
    /// so it is not one of [`HardRule::loosened`]'s changes).
    ///
    /// [`HardRule::loosened`]: crate::solve::hard_rules::HardRule::loosened
    pub fn lock(p: &Problem, t: TraineeIx, v: VacancyIx) -> Self {
        Change::Lock {
            trainee: p.trainees[t].id.clone(),
            vacancy: p.vacancies[v].id.clone(),
        }
    }

    /// The change in a few words: "one more position at BE-07".
    pub fn describe(&self, p: &Problem) -> String {
        let dest = |code: &str| p.destinations.iter().find(|d| d.code == code);
        match self {
            Change::AddPosition { vacancy } => format!("one more position at {vacancy}"),
            Change::RaiseDestinationMax { destination } => {
                let d = dest(destination);
                format!(
                    "one more place in {} (maximum {} → {})",
                    d.map_or(destination.as_str(), |d| d.label.as_str()),
                    d.and_then(|d| d.max).unwrap_or(0),
                    d.and_then(|d| d.max).unwrap_or(0).saturating_add(1)
                )
            }
            Change::LowerDestinationMin { destination } => {
                let d = dest(destination);
                format!(
                    "one placement fewer required in {} (minimum {} → {})",
                    d.map_or(destination.as_str(), |d| d.label.as_str()),
                    d.map_or(0, |d| d.min),
                    d.map_or(0, |d| d.min).saturating_sub(1)
                )
            }
            Change::RaiseEmployerCap => format!(
                "one more placement allowed per employer (max_per_employer {} → {})",
                p.max_per_employer.unwrap_or(0),
                p.max_per_employer.unwrap_or(0).saturating_add(1)
            ),
            Change::RelaxShare {
                index,
                min_share,
                max_share,
            } => {
                let share = &p.shares[*index];
                match (share.min_share > 0.0, max_share) {
                    (true, _) => format!(
                        "a minimum of {}% instead of {}% {}",
                        words::num(min_share * 100.0),
                        words::num(share.min_share * 100.0),
                        p.share_label(share)
                    ),
                    (false, Some(m)) => format!(
                        "a maximum of {}% instead of {}% {}",
                        words::num(m * 100.0),
                        words::num(share.max_share.unwrap_or(1.0) * 100.0),
                        p.share_label(share)
                    ),
                    (false, None) => "no change".to_string(),
                }
            }
            Change::Lock { trainee, vacancy } => format!("a lock of {trainee} to {vacancy}"),
            Change::DropLock { trainee, vacancy } => format!("no lock of {trainee} to {vacancy}"),
            Change::Data { fixes } => fixes
                .iter()
                .map(|f| f.describe(p))
                .collect::<Vec<_>>()
                .join("; "),
        }
    }

    /// Whether every match set of the changed problem is one of the
    /// problem's before ([`Change::apply`] only adds a rule): a lock. Every
    /// other change relaxes a rule, or changes data either way.
    pub fn only_restricts(&self) -> bool {
        matches!(self, Change::Lock { .. })
    }

    /// The problem with this change made.
    pub fn apply(&self, p: &Problem) -> Problem {
        let mut q = p.clone();
        let dest_ix = |code: &str| q.destinations.iter().position(|d| d.code == code);
        match self {
            Change::AddPosition { vacancy } => {
                if let Some(v) = p.vacancy_ix(vacancy) {
                    q.vacancies[v].positions = q.vacancies[v].positions.saturating_add(1);
                }
            }
            Change::RaiseDestinationMax { destination } => {
                if let Some(d) = dest_ix(destination) {
                    q.destinations[d].max = q.destinations[d].max.map(|m| m.saturating_add(1));
                }
            }
            Change::LowerDestinationMin { destination } => {
                if let Some(d) = dest_ix(destination) {
                    q.destinations[d].min = q.destinations[d].min.saturating_sub(1);
                }
            }
            Change::RaiseEmployerCap => {
                q.max_per_employer = q.max_per_employer.map(|c| c.saturating_add(1));
                q.employer_caps = vec![q.max_per_employer; q.employers.len()];
            }
            Change::RelaxShare {
                index,
                min_share,
                max_share,
            } => {
                q.shares[*index].min_share = *min_share;
                q.shares[*index].max_share = *max_share;
            }
            Change::Lock { trainee, vacancy } => {
                if let (Some(t), Some(v)) = (p.trainee_ix(trainee), p.vacancy_ix(vacancy)) {
                    q.locks.push(Override {
                        trainee: t,
                        vacancy: v,
                        why: Some("what-if".into()),
                    });
                }
            }
            Change::DropLock { trainee, vacancy } => {
                q.locks.retain(|l| {
                    !(p.trainees[l.trainee].id == *trainee && p.vacancies[l.vacancy].id == *vacancy)
                });
            }
            Change::Data { fixes } => {
                for f in fixes {
                    f.apply(&mut q);
                }
            }
        }
        q
    }
}

impl Effect {
    /// `change`, which leaves the optimum as it was.
    fn nothing(change: &Change, p: &Problem) -> Effect {
        Effect {
            change: change.clone(),
            description: change.describe(p),
            feasible: true,
            placements_delta: 0,
            score_delta: 0.0,
            moves: Vec::new(),
        }
    }

    /// Where trainee `id` ends up after the change.
    pub fn destination_of(&self, id: &str) -> Option<&Move> {
        self.moves.iter().find(|m| m.trainee == id)
    }

    /// Whether the change alters the answer at all.
    pub fn changes_anything(&self) -> bool {
        !self.feasible
            || !self.moves.is_empty()
            || self.placements_delta != 0
            || self.score_delta.abs() > 1e-9
    }

    /// "+1 placement, score +0.41; T090 unmatched → BE-07 (from 2020-05-04); no one else changes".
    pub fn summary(&self, focus: Option<&str>) -> String {
        if !self.feasible {
            return "no match set satisfies the rules after this change".to_string();
        }
        if !self.changes_anything() {
            return "nothing changes".to_string();
        }
        let mut parts = vec![format!(
            "{}, score {}{}",
            words::signed_count(self.placements_delta, "placement", "placements"),
            if self.score_delta >= 0.0 { "+" } else { "" },
            words::num(self.score_delta)
        )];
        let describe = |m: &Move| {
            let start = m
                .start_date
                .map_or(String::new(), |d| format!(" (from {d})"));
            format!(
                "{} {} → {}{start}",
                m.trainee,
                m.from.as_deref().unwrap_or("unmatched"),
                m.to.as_deref().unwrap_or("unmatched")
            )
        };
        if let Some(f) = focus.and_then(|f| self.destination_of(f)) {
            parts.push(describe(f));
        }
        // Who loses a place first, then who gains one, then who moves.
        let mut others: Vec<&Move> = self
            .moves
            .iter()
            .filter(|m| Some(m.trainee.as_str()) != focus)
            .collect();
        others.sort_by_key(|m| (m.to.is_some(), m.from.is_some(), m.trainee.clone()));
        let others: Vec<String> = others.into_iter().map(describe).collect();
        parts.push(match (others.len(), focus.is_some()) {
            (0, true) => "no one else changes".to_string(),
            (0, false) => "no one changes".to_string(),
            _ => format!(
                "{}{}",
                if focus.is_some() { "others: " } else { "" },
                words::list(&others, 6)
            ),
        });
        parts.join("; ")
    }
}

/// Apply `change`, solve again (keeping what can be kept of `base`, the
/// proven optimum of `p`), and report what changed.
///
/// `None` when `deadline` comes before the changed scenario's optimum is
/// proven: a "would" is only ever reported from a proven optimum.
pub fn effect(
    p: &Problem,
    e: &Eligibility,
    base: &[usize],
    change: &Change,
    start: Start,
    deadline: Option<Instant>,
) -> Result<Option<Effect>, PalimError> {
    let started = Instant::now();
    let effect = re_solved(p, e, base, change, start, deadline)?;
    // Each what-if in a line, its kind and its time: what a question or
    // `solve --explain` spends is then read off the progress lines.
    tracing::info!(
        target: "palim::progress",
        "what-if, {}: {} ({:.3} s)",
        change.describe(p),
        match &effect {
            None => "not proven by the deadline".to_string(),
            Some(x) if !x.feasible => "no match set".to_string(),
            Some(x) => format!(
                "{}, {}",
                words::signed_count(x.placements_delta, "placement", "placements"),
                words::count(x.moves.len(), "move", "moves")
            ),
        },
        started.elapsed().as_secs_f64()
    );
    Ok(effect)
}

/// [`effect`], found.
fn re_solved(
    p: &Problem,
    e: &Eligibility,
    base: &[usize],
    change: &Change,
    start: Start,
    deadline: Option<Instant>,
) -> Result<Option<Effect>, PalimError> {
    let q = change.apply(p);
    // A rule added that `base` already keeps (a lock of a pair it holds:
    // an open vacancy's best candidates include its holders) leaves `base`
    // the optimum. Every match set of `q` is one of `p`, `base` among
    // them, and no other keeps all of it. A ninth of the lock what-ifs of
    // the generator's 1,000 × 400 `solve --explain` were these, each a
    // full solve before (BENCHMARKS.md, eighteenth round).
    if change.only_restricts() && audit::violations(&q, e, base).is_empty() {
        return Ok(Some(Effect::nothing(change, p)));
    }
    let start = Start {
        placements: start.placements.map(|b| PlacementsBefore {
            restricts: change.only_restricts(),
            ..b
        }),
        ..start
    };
    // Data changes can make pairs eligible or not, those of the trainees
    // and vacancies they change; rule changes cannot.
    let rebuilt = match change {
        Change::Data { fixes } => {
            let (mut trainees, mut vacancies) = (Vec::new(), Vec::new());
            for (t, v) in fixes.iter().map(Fix::subject) {
                trainees.extend(t.and_then(|id| p.trainee_ix(id)));
                vacancies.extend(v.and_then(|id| p.vacancy_ix(id)));
            }
            let eq = e.rebuilt(&q, &trainees, &vacancies);
            if unchanged_by_duals(p, e, base, &q, &eq, (&trainees, &vacancies), start) {
                return Ok(Some(Effect::nothing(change, p)));
            }
            Some(eq)
        }
        _ => None,
    };
    let Some(Resolved {
        feasible,
        moves,
        placements_delta,
        score_delta,
    }) = resolve(
        p,
        e,
        base,
        &q,
        rebuilt.as_ref().unwrap_or(e),
        start,
        deadline,
    )?
    else {
        return Ok(None);
    };
    Ok(Some(Effect {
        change: change.clone(),
        description: change.describe(p),
        feasible,
        placements_delta,
        score_delta,
        moves,
    }))
}

/// Whether the LPs before prove `base` (the optimum of `p`) the optimum of
/// `q`, `p` with the data of `trainees` and `vacancies` changed
/// ([`LpStart::proves_unchanged`]): when none of them holds a place in
/// `base`, and every pair they have in `eq` is out of reach.
fn unchanged_by_duals(
    p: &Problem,
    e: &Eligibility,
    base: &[usize],
    q: &Problem,
    eq: &Eligibility,
    (trainees, vacancies): (&[TraineeIx], &[VacancyIx]),
    start: Start,
) -> bool {
    let Some(lp) = start.lp else {
        return false;
    };
    let keep: Vec<usize> = base.iter().filter_map(|&i| eq.same_pair(e, i)).collect();
    let mut touched: Vec<usize> = (trainees.iter())
        .flat_map(|&t| eq.of_trainee(t))
        .chain(vacancies.iter().flat_map(|&v| eq.of_vacancy(v)))
        .collect();
    touched.sort_unstable();
    touched.dedup();
    keep.len() == base.len() && lp.proves_unchanged(p, q, eq, &keep, &touched)
}

/// What every what-if of one scenario starts from, found once.
#[derive(Clone, Copy, Default)]
pub struct Start<'a> {
    /// Labels proving the scenario's optimum, or its relaxation's.
    pub warm: Option<&'a Warm>,
    /// Its placements, and whether the LP bounded them.
    pub placements: Option<PlacementsBefore>,
    /// The LP of its score, for the core method's to start from.
    pub lp: Option<&'a Arc<LpStart>>,
}

/// A changed scenario solved again, compared with the answer before.
pub struct Resolved {
    /// False when the changed scenario has no match set at all.
    pub feasible: bool,
    pub moves: Vec<Move>,
    pub placements_delta: i64,
    pub score_delta: f64,
}

/// Solve `q` (a changed copy of `p`, with eligibility graph `eq`) keeping as much
/// of `base` as its optimum allows, and compare trainee by trainee.
///
/// With `warm` (`p` is a network, or its relaxation's optimum is `base`),
/// `q` is solved from `base` ([`flow::solve_from`]): a unit change moves
/// the optimum along a few cycles. Anything else, or a what-if that needs
/// more cycles than it should, is solved from scratch.
pub fn resolve(
    p: &Problem,
    e: &Eligibility,
    base: &[usize],
    q: &Problem,
    eq: &Eligibility,
    start: Start,
    deadline: Option<Instant>,
) -> Result<Option<Resolved>, PalimError> {
    // The same pairs, as indices of the changed graph (a data change can add or remove pairs).
    let mut keep: Vec<usize> = base.iter().filter_map(|&i| eq.same_pair(e, i)).collect();
    keep.sort_unstable();
    // A rule change keeps the very graph (`effect` passes `e` itself).
    let pairs = match std::ptr::eq(e, eq) {
        true => flow::Pairs::Same,
        false => flow::Pairs::Rebuilt { before: e },
    };
    let lp_before = start.lp.and_then(|lp| match pairs {
        flow::Pairs::Same => Some(Arc::clone(lp)),
        // Its columns are pairs of the graph before.
        flow::Pairs::Rebuilt { .. } => lp.renumbered(|k| eq.same_pair(e, k)).map(Arc::new),
    });
    // Where the LP bounded the placements before, a what-if that starts
    // from the LP before solves no flow (`optimize`).
    let flowless = lp_before.is_some() && start.placements.is_some_and(|b| b.lp_bound);
    let mut relaxation = None;
    let from_base = match (start.warm)
        .filter(|_| !flowless)
        .map(|w| flow::solve_or_relax_from(q, eq, pairs, &keep, Some(w), deadline))
    {
        Some(Ok(FromBefore::Answer(Outcome::NoSolutionInTime))) if !optimize::past(deadline) => {
            None
        }
        Some(Ok(FromBefore::Answer(outcome))) => Some(outcome),
        // The core method, from the changed relaxation's optimum.
        Some(Ok(FromBefore::Relaxed(sol))) => {
            relaxation = Some(sol);
            None
        }
        Some(Err(_)) | None => None,
    };
    let outcome = match from_base {
        Some(outcome) => outcome,
        None => {
            let opts = SolveOptions {
                keep: Some(keep),
                deadline,
                relaxation,
                placements_before: start.placements,
                lp_before,
                ..SolveOptions::default()
            };
            optimize::solve(q, eq, &opts)?
        }
    };
    let sol = match outcome {
        Outcome::Solved(sol) if sol.status == optimize::Status::Optimal => sol,
        Outcome::Solved(_) | Outcome::NoSolutionInTime => return Ok(None),
        Outcome::Infeasible => {
            return Ok(Some(Resolved {
                feasible: false,
                moves: Vec::new(),
                placements_delta: 0,
                score_delta: 0.0,
            }))
        }
    };
    let before: BTreeMap<TraineeIx, (VacancyIx, NaiveDate)> = base
        .iter()
        .map(|&i| (e.pairs[i].t, (e.pairs[i].v, e.pairs[i].start)))
        .collect();
    let after: BTreeMap<TraineeIx, (VacancyIx, NaiveDate)> = sol
        .chosen
        .iter()
        .map(|&i| (eq.pairs[i].t, (eq.pairs[i].v, eq.pairs[i].start)))
        .collect();
    let mut moves = Vec::new();
    for t in 0..p.trainees.len() {
        let (b, a) = (before.get(&t), after.get(&t));
        if b.map(|x| x.0) != a.map(|x| x.0) {
            moves.push(Move {
                trainee: p.trainees[t].id.clone(),
                from: b.map(|x| p.vacancies[x.0].id.clone()),
                to: a.map(|x| p.vacancies[x.0].id.clone()),
                start_date: a.map(|x| x.1),
            });
        }
    }
    let score_before: f64 = base.iter().map(|&i| e.pairs[i].score).sum();
    let score_after: f64 = sol.chosen.iter().map(|&i| eq.pairs[i].score).sum();
    Ok(Some(Resolved {
        feasible: true,
        moves,
        placements_delta: sol.chosen.len() as i64 - base.len() as i64,
        score_delta: words::round4(score_after - score_before),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::validate::{load_str, LoadOptions};

    const BASELINE: &str = include_str!("../../../scenarios/palim-2020/baseline.json");

    fn solved(p: &Problem, e: &Eligibility, opts: &SolveOptions) -> Vec<usize> {
        match optimize::solve(p, e, opts).unwrap() {
            Outcome::Solved(sol) if sol.status == optimize::Status::Optimal => sol.chosen,
            _ => panic!("the PALIM baseline has a proven optimum"),
        }
    }

    /// A lock of a pair the optimum holds is answered without a solve:
    /// nothing changes. A lock of an unmatched trainee is still solved:
    /// they move in. Both are worth what the changed scenario solved from
    /// nothing is worth.
    #[test]
    fn a_lock_the_optimum_keeps_changes_nothing_and_any_other_is_solved() {
        // Five Flemish places fewer: eligible trainees lose out.
        let mut doc: serde_json::Value = serde_json::from_str(BASELINE).unwrap();
        doc["destinations"]["BE"]["max"] = serde_json::json!(25);
        let p = load_str(&doc.to_string(), "baseline.json", &LoadOptions::default()).unwrap();
        let e = Eligibility::build(&p);
        let base = solved(&p, &e, &SolveOptions::default());
        let score = |chosen: &[usize]| chosen.iter().map(|&i| e.pairs[i].score).sum::<f64>();
        let held = &e.pairs[base[0]];
        let unmatched = (0..p.trainees.len())
            .find(|&t| base.iter().all(|&i| e.pairs[i].t != t) && e.of_trainee(t).next().is_some())
            .expect("the baseline leaves an eligible trainee out");
        let other = &e.pairs[e.of_trainee(unmatched).next().unwrap()];
        for (t, v, moves_in) in [(held.t, held.v, false), (other.t, other.v, true)] {
            let change = Change::lock(&p, t, v);
            let effect = effect(&p, &e, &base, &change, Start::default(), None)
                .unwrap()
                .unwrap();
            let truth = solved(&change.apply(&p), &e, &SolveOptions::default());
            let what = &effect.description;
            assert!(effect.feasible, "{what}");
            assert_eq!(effect.changes_anything(), moves_in, "{what}");
            let moved_in = (effect.moves.iter()).any(|m| {
                m.trainee == p.trainees[t].id && m.to.as_ref() == Some(&p.vacancies[v].id)
            });
            assert_eq!(moved_in, moves_in, "{what}");
            let placements = truth.len() as i64 - base.len() as i64;
            assert_eq!(effect.placements_delta, placements, "{what}");
            let delta = score(&truth) - score(&base);
            assert!((effect.score_delta - delta).abs() < 1e-3, "{what}: {delta}");
        }
    }
}
