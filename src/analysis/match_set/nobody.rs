//! Why no trainee is eligible for a vacancy, rule by rule, without testing every
//! rule for every trainee.
//!
//! Such a vacancy gets one reason per rule: how many trainees the rule excludes
//! and its message for the first of them. [`by_scan`] is the definition: every
//! rule for every trainee, which costs such vacancies × trainees. [`excluded`]
//! answers from indexes of the trainees instead, built one destination at a
//! time for the vacancies that need them:
//!
//! - `destination_not_accepted`: counted once per destination;
//! - `skill_below_requirement`: a bitset per required level of the trainees
//!   below it; a vacancy's is the union of its levels' bitsets;
//! - `start_window_missed`: trainees missing documents for a permit, and those
//!   ready (availability, permit; [`rules::ready_in`]) after the window
//!   closes: a suffix of the trainees sorted by that day;
//! - `blackout`: trainees ready in the run of blackouts that holds the latest
//!   start (or ready before it, when the window opens in that run): a range of
//!   that order;
//! - `salary_below_floor`: trainees ready by the day the window opens all
//!   start on one day, so the floor depends on their age, counted by birth
//!   date in a merge-sort tree; the others start when they are ready, so the
//!   floor each would face there is theirs alone, counted against the salary
//!   in another;
//! - `forbidden`, `not_in_pair_scores`: the vacancy's own forbids and scores.
//!
//! The first excluded trainee comes from the index when there are few (up to
//! `enumerate_up_to`), and otherwise from testing the rule for trainees in
//! order until one fails. The property test in `tests/reasons.rs` holds
//! [`excluded`] to [`by_scan`] on random scenarios, vacancy by vacancy.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::merge_sort_tree::MergeSortTree;
use super::nowhere::{first_failures, indexable, ENUMERATE_UP_TO};
use crate::model::problem::{age_on, DestIx, Problem, SkillIx, TraineeIx, VacancyIx};
use crate::rules::{self, PairRule, ReasonCode, RULES};

/// The trainees one rule excludes from one vacancy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    pub code: ReasonCode,
    pub count: usize,
    /// The first of them, in the scenario's order.
    pub first: TraineeIx,
    /// The rule's message for `first`.
    pub message: String,
}

fn excluded_at(
    rule: &dyn PairRule,
    p: &Problem,
    count: usize,
    first: TraineeIx,
    v: VacancyIx,
) -> Excluded {
    Excluded {
        code: rule.code(),
        count,
        first,
        message: rule
            .check(&rules::context(p, first, v))
            .map(|viol| viol.message)
            .unwrap_or_default(),
    }
}

/// Every rule for every trainee: the definition [`excluded`] is tested
/// against, and the way when the scenario breaks what the index relies on.
/// Rules in the order of [`RULES`]; rules that exclude nobody are left out.
pub fn by_scan(p: &Problem, v: VacancyIx) -> Vec<Excluded> {
    let mut found: Vec<Option<(usize, TraineeIx)>> = vec![None; RULES.len()];
    for t in 0..p.trainees.len() {
        let cx = rules::context(p, t, v);
        for (r, rule) in RULES.iter().enumerate() {
            if rule.fails(&cx) {
                let entry = found[r].get_or_insert((0, t));
                entry.0 += 1;
            }
        }
    }
    RULES
        .iter()
        .zip(found)
        .filter_map(|(&rule, f)| f.map(|(count, first)| excluded_at(rule, p, count, first, v)))
        .collect()
}

/// What [`by_scan`] returns for each of `vacancies`; `None` when the scenario
/// cannot be indexed (see [`super::nowhere::VacancyIndex::build`]).
pub fn excluded(p: &Problem, vacancies: &[VacancyIx]) -> Option<Vec<Vec<Excluded>>> {
    excluded_with_enumeration_limit(p, vacancies, ENUMERATE_UP_TO)
}

/// [`excluded`] with another limit on listing from the index (tests use 0 to
/// exercise the scans).
pub fn excluded_with_enumeration_limit(
    p: &Problem,
    vacancies: &[VacancyIx],
    enumerate_up_to: usize,
) -> Option<Vec<Vec<Excluded>>> {
    if !indexable(p) {
        return None;
    }
    let shared = Shared::new(p, vacancies, enumerate_up_to);
    let mut by_dest: BTreeMap<DestIx, Vec<usize>> = BTreeMap::new();
    for (i, &v) in vacancies.iter().enumerate() {
        by_dest.entry(p.vacancies[v].dest).or_default().push(i);
    }
    let mut out = vec![Vec::new(); vacancies.len()];
    // One destination's index at a time: each is trainees × log(trainees).
    for (d, positions) in by_dest {
        let index = DestTrainees::build(p, d);
        for i in positions {
            out[i] = index.excluded(p, &shared, vacancies[i]);
        }
    }
    Some(out)
}

/// What every destination's answers share: skill bitsets, forbids, scores.
struct Shared {
    enumerate_up_to: usize,
    /// Per (skill, required level): the trainees below it, one bit each.
    below: HashMap<(SkillIx, u64), Vec<u64>>,
    forbidden: HashMap<VacancyIx, Vec<TraineeIx>>,
    /// With `pair_scores_only`: each vacancy's scored trainees, sorted.
    scored: HashMap<VacancyIx, Vec<TraineeIx>>,
}

impl Shared {
    fn new(p: &Problem, vacancies: &[VacancyIx], enumerate_up_to: usize) -> Shared {
        let words = p.trainees.len().div_ceil(64);
        let mut below: HashMap<(SkillIx, u64), Vec<u64>> = HashMap::new();
        for &v in vacancies {
            for &(s, need) in &p.vacancies[v].requires {
                below.entry((s, need.to_bits())).or_insert_with(|| {
                    let mut bits = vec![0u64; words];
                    for (t, tr) in p.trainees.iter().enumerate() {
                        if tr.levels[s] < need {
                            bits[t / 64] |= 1 << (t % 64);
                        }
                    }
                    bits
                });
            }
        }
        let mut forbidden: HashMap<VacancyIx, Vec<TraineeIx>> = HashMap::new();
        for &(t, v) in p.forbids.keys() {
            forbidden.entry(v).or_default().push(t);
        }
        let mut scored: HashMap<VacancyIx, Vec<TraineeIx>> = HashMap::new();
        if p.pair_scores_only {
            for &(t, v) in p.pair_scores.keys() {
                scored.entry(v).or_default().push(t);
            }
        }
        for list in forbidden.values_mut().chain(scored.values_mut()) {
            list.sort_unstable();
        }
        Shared {
            enumerate_up_to,
            below,
            forbidden,
            scored,
        }
    }

    /// Trainees below one of the vacancy's required levels: how many, and the
    /// first.
    fn short_of(&self, p: &Problem, v: VacancyIx) -> (usize, Option<TraineeIx>) {
        let words = p.trainees.len().div_ceil(64);
        let mut union = vec![0u64; words];
        for &(s, need) in &p.vacancies[v].requires {
            for (u, b) in union.iter_mut().zip(&self.below[&(s, need.to_bits())]) {
                *u |= b;
            }
        }
        let count = union.iter().map(|w| w.count_ones() as usize).sum();
        let first = union
            .iter()
            .position(|&w| w != 0)
            .map(|i| i * 64 + union[i].trailing_zeros() as usize);
        (count, first)
    }
}

/// One destination's trainees, sorted by what the date and salary rules read.
struct DestTrainees {
    /// Trainees who do not accept the destination: how many, and the first.
    not_accepting: (usize, Option<TraineeIx>),
    /// Trainees who could start here, by the day they are ready.
    ready: Vec<(NaiveDate, TraineeIx)>,
    /// Trainees who need a permit here and have no documents date, by index.
    missing: Vec<TraineeIx>,
    /// Birth dates (none first) in `ready`'s order.
    births: MergeSortTree<Option<NaiveDate>>,
    /// In `ready`'s order: the floor each trainee would face starting on the
    /// day they are ready (moved past blackouts), none as −∞.
    floors: MergeSortTree<f64>,
    runs: Vec<(NaiveDate, NaiveDate)>,
}

impl DestTrainees {
    fn build(p: &Problem, d: DestIx) -> DestTrainees {
        let dest = &p.destinations[d];
        let mut not_accepting = (0, None);
        let (mut ready, mut missing) = (Vec::new(), Vec::new());
        for (t, tr) in p.trainees.iter().enumerate() {
            if !tr.accepts.contains(&d) {
                not_accepting.0 += 1;
                not_accepting.1.get_or_insert(t);
            }
            match rules::ready_in(p, t, d) {
                Some(day) => ready.push((day, t)),
                None => missing.push(t),
            }
        }
        ready.sort_unstable();
        let births = MergeSortTree::new(
            ready
                .iter()
                .map(|&(_, t)| (p.trainees[t].birth_date, t))
                .collect(),
        );
        let floors = MergeSortTree::new(
            ready
                .iter()
                .map(|&(day, t)| {
                    let start = rules::past_blackouts(dest, day);
                    let age = p.trainees[t].birth_date.map(|b| age_on(b, start));
                    let floor = rules::floor_row(dest, age).map_or(f64::NEG_INFINITY, |r| r.annual);
                    (floor, t)
                })
                .collect(),
        );
        DestTrainees {
            not_accepting,
            ready,
            missing,
            births,
            floors,
            runs: rules::blackout_runs(dest),
        }
    }

    /// How many trainees are ready on or before `day`.
    fn ready_by(&self, day: NaiveDate) -> usize {
        self.ready.partition_point(|&(r, _)| r <= day)
    }

    fn excluded(&self, p: &Problem, shared: &Shared, v: VacancyIx) -> Vec<Excluded> {
        let mut out = Vec::new();
        for &rule in RULES {
            // The first excluded trainee, from the index or by testing.
            let first = |count: usize, enumerate: &dyn Fn() -> Vec<TraineeIx>| {
                let found = first_failures(
                    count,
                    1,
                    shared.enumerate_up_to,
                    enumerate,
                    0..p.trainees.len(),
                    |t| rule.fails(&rules::context(p, t, v)),
                );
                (count, found.first().copied())
            };
            let (count, first) = match rule.code() {
                ReasonCode::DestinationNotAccepted => self.not_accepting,
                ReasonCode::SkillBelowRequirement => shared.short_of(p, v),
                ReasonCode::StartWindowMissed => {
                    let late = p.vacancies[v]
                        .latest
                        .map_or(&self.ready[..0], |l| &self.ready[self.ready_by(l)..]);
                    let count = self.missing.len() + late.len();
                    first(count, &|| {
                        let listed = late.iter().map(|&(_, t)| t);
                        self.missing.iter().copied().chain(listed).collect()
                    })
                }
                ReasonCode::Blackout => {
                    let range = self.in_blackout(p, v);
                    first(range.len(), &|| {
                        self.ready[range.clone()].iter().map(|&(_, t)| t).collect()
                    })
                }
                ReasonCode::SalaryBelowFloor => {
                    let bands = self.below_floor(p, v);
                    let count = bands.iter().map(|band| band.count(self)).sum();
                    first(count, &|| {
                        let mut all = Vec::new();
                        for band in &bands {
                            band.list(self, &mut all);
                        }
                        all
                    })
                }
                ReasonCode::Forbidden => {
                    let list = shared.forbidden.get(&v).map_or(&[][..], |l| &l[..]);
                    (list.len(), list.first().copied())
                }
                ReasonCode::NotInPairScores if p.pair_scores_only => {
                    let scored = shared.scored.get(&v).map_or(&[][..], |l| &l[..]);
                    let mut next = scored.iter().peekable();
                    let first = (0..p.trainees.len()).find(|&t| next.next_if_eq(&&t).is_none());
                    (p.trainees.len() - scored.len(), first)
                }
                ReasonCode::NotInPairScores => (0, None),
            };
            if let (true, Some(first)) = (count > 0, first) {
                out.push(excluded_at(rule, p, count, first, v));
            }
        }
        out
    }

    /// `blackout`: positions in `ready` of the trainees whose earliest day
    /// falls in the run of blackouts holding the latest start, not after it.
    /// When the window opens in that run, that is everyone ready by the latest
    /// start; otherwise, those ready from the run's first day to it.
    fn in_blackout(&self, p: &Problem, v: VacancyIx) -> std::ops::Range<usize> {
        let vac = &p.vacancies[v];
        let Some(latest) = vac.latest else {
            return 0..0;
        };
        let r = self.runs.partition_point(|&(from, _)| from <= latest);
        if r == 0 || latest > self.runs[r - 1].1 {
            return 0..0;
        }
        let from = self.runs[r - 1].0;
        let end = self.ready_by(latest);
        if vac.earliest.is_some_and(|e| e >= from) {
            0..end
        } else {
            self.ready.partition_point(|&(day, _)| day < from)..end
        }
    }

    /// `salary_below_floor`, as bands of the two merge-sort trees: trainees
    /// ready by the day the window opens start on one day, so per age band of
    /// the floor table their birth dates decide; the others start when ready,
    /// and the floor they would face there decides.
    fn below_floor(&self, p: &Problem, v: VacancyIx) -> Vec<SalaryBand> {
        let vac = &p.vacancies[v];
        let dest = &p.destinations[vac.dest];
        let salary = vac.salary.unwrap_or(f64::NEG_INFINITY);
        let fails =
            |age: Option<i32>| rules::floor_row(dest, age).is_some_and(|r| r.annual > salary);
        let mut bands = Vec::new();
        let split = vac.earliest.map_or(0, |e| self.ready_by(e));
        if let Some(opens) = vac.earliest {
            let day = rules::past_blackouts(dest, opens);
            if fails(None) {
                bands.push(SalaryBand::Births {
                    end: split,
                    day,
                    ages: None,
                });
            }
            // Ages where the floor table changes row.
            let mut edges: Vec<i32> = dest
                .floors
                .iter()
                .filter_map(|r| r.under_age.map(|u| u as i32))
                .collect();
            edges.sort_unstable();
            edges.dedup();
            let mut bounds = vec![i32::MIN];
            bounds.extend(edges);
            bounds.push(i32::MAX);
            for w in bounds.windows(2) {
                let (from, to) = (w[0], w[1]);
                let sample = if from == i32::MIN {
                    to.saturating_sub(1)
                } else {
                    from
                };
                if fails(Some(sample)) {
                    bands.push(SalaryBand::Births {
                        end: split,
                        day,
                        ages: Some((from, to)),
                    });
                }
            }
        }
        bands.push(SalaryBand::Floors {
            start: split,
            end: self.ready.len(),
            above: salary,
        });
        bands
    }
}

/// Trainees below a vacancy's salary floor, in one part of the index.
enum SalaryBand {
    /// Positions `..end` of `ready`, starting on `day`: birth dates without
    /// one (`ages: None`) or giving an age in `from..to`.
    Births {
        end: usize,
        day: NaiveDate,
        ages: Option<(i32, i32)>,
    },
    /// Positions `start..end`: floors above `above`.
    Floors {
        start: usize,
        end: usize,
        above: f64,
    },
}

impl SalaryBand {
    fn count(&self, index: &DestTrainees) -> usize {
        match *self {
            SalaryBand::Births { end, day, ages } => {
                let (outer, inner) = birth_tests(day, ages);
                index.births.count(0, end, outer, inner)
            }
            SalaryBand::Floors { start, end, above } => {
                index.floors.count(start, end, |_| true, |f| f <= above)
            }
        }
    }

    fn list(&self, index: &DestTrainees, out: &mut Vec<TraineeIx>) {
        match *self {
            SalaryBand::Births { end, day, ages } => {
                let (outer, inner) = birth_tests(day, ages);
                index.births.list(0, end, outer, inner, out)
            }
            SalaryBand::Floors { start, end, above } => {
                index.floors.list(start, end, |_| true, |f| f <= above, out)
            }
        }
    }
}

/// A test on birth dates that holds for a prefix of them sorted ascending.
type BirthTest = Box<dyn Fn(Option<NaiveDate>) -> bool>;

/// Tests on birth dates sorted ascending (none first, then oldest first) whose
/// band is the births without a date (`ages: None`) or of an age on `day` in
/// `from..to`: "none, or at least `from`" minus "none, or at least `to`".
fn birth_tests(day: NaiveDate, ages: Option<(i32, i32)>) -> (BirthTest, BirthTest) {
    match ages {
        None => (Box::new(|b| b.is_none()), Box::new(|_| false)),
        Some((from, to)) => {
            let at_least =
                move |age: i32| move |b: Option<NaiveDate>| b.is_none_or(|b| age_on(b, day) >= age);
            (Box::new(at_least(from)), Box::new(at_least(to)))
        }
    }
}
