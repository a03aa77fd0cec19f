//! Why a trainee is eligible for no vacancy, rule by rule, without testing every
//! rule at every vacancy.
//!
//! Such a trainee gets one reason per rule: how many vacancies the rule rules
//! out, the first [`VACANCIES_LISTED`] of them (in the scenario's order), the
//! message at the first, and whether every message is that one. [`by_scan`]
//! is the definition: every rule at every vacancy. Its cost is trainees
//! eligible nowhere × vacancies, which at national size outgrows everything
//! but the solver (15,000 × 50,000 pairs to test for a 100,000 × 50,000
//! scenario). [`VacancyIndex`] sorts each destination's vacancies once by what
//! the rules read, so that a trainee's failures are counted by binary search:
//!
//! - `destination_not_accepted`: all of a destination's vacancies, or none;
//! - `skill_below_requirement`: all vacancies with the same required levels, or
//!   none;
//! - `start_window_missed`: the window closes before the trainee is ready there
//!   (availability, permit; [`rules::ready_in`]): a prefix of the destination's
//!   vacancies by latest start;
//! - `blackout`: the earliest day and the latest start fall in one run of
//!   blackouts, the earliest day first: per run, a suffix by latest start;
//! - `salary_below_floor`: the start day grows with the day the window opens,
//!   so the trainee's age on it, and with it the floor, is constant on ranges
//!   of vacancies sorted by that day; a merge-sort tree (salaries none as −∞) counts the salaries
//!   below the floor in a range;
//! - `forbidden`, `not_in_pair_scores`: the trainee's own forbids and scores.
//!
//! Listing the first failures in the scenario's order takes them from the index
//! when there are few (up to `enumerate_up_to`), and otherwise scans the
//! destination's vacancies in order, testing the rule itself, until enough are
//! found. Messages are written for the first failure and, to decide whether all
//! are alike, for the first two of each part of the index (a destination, a set
//! of required levels): a rule's message either names the vacancy or is the
//! same across such a part (see [`rules::PairRule::check`]).
//!
//! The property test in `tests/reasons.rs` holds the index to [`by_scan`] on
//! random scenarios, trainee by trainee, with and without enumeration.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use chrono::NaiveDate;

use super::merge_sort_tree::MergeSortTree;
use crate::documents::match_set::VACANCIES_LISTED;
use crate::eligibility::{requirement_groups, RequirementGroup};
use crate::model::problem::{age_on, DestIx, Problem, TraineeIx, VacancyIx};
use crate::rules::{self, PairRule, ReasonCode, RULES};

/// Up to how many failures of one rule in one destination (vacancies here,
/// trainees in [`super::nobody`]) are taken from the index to find the first
/// ones; above it a scan in the scenario's order finds them sooner: with `n`
/// failures among `N`, the first `k` are about `k·N/n` tests away.
pub const ENUMERATE_UP_TO: usize = 512;

/// The vacancies one rule rules out for one trainee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failures {
    pub code: ReasonCode,
    /// The destination, for `destination_not_accepted` (one group each).
    pub destination: Option<DestIx>,
    pub count: usize,
    /// The first [`VACANCIES_LISTED`], in the scenario's order.
    pub listed: Vec<VacancyIx>,
    /// The rule's message at `listed[0]`.
    pub message: String,
    /// Whether the message is the same at every failing vacancy (not judged for
    /// destination groups, whose message names only the trainee and the
    /// destination).
    pub all_same: bool,
}

/// The failures of every rule, sorted as reasons are reported: by rule, then by
/// destination code.
fn sorted(p: &Problem, mut groups: Vec<Failures>) -> Vec<Failures> {
    groups.sort_by(|a, b| {
        let key = |f: &Failures| (f.code, f.destination.map(|d| &p.destinations[d].code));
        key(a).cmp(&key(b))
    });
    groups
}

fn message(rule: &dyn PairRule, p: &Problem, t: TraineeIx, v: VacancyIx) -> String {
    rule.check(&rules::context(p, t, v))
        .map(|viol| viol.message)
        .unwrap_or_default()
}

/// Every rule at every vacancy: the definition the index is tested against,
/// and the way when the scenario breaks what the index relies on.
pub fn by_scan(p: &Problem, t: TraineeIx) -> Vec<Failures> {
    let nd = p.destinations.len();
    let mut groups: Vec<Option<Failures>> = vec![None; RULES.len() * (nd + 1)];
    for v in 0..p.vacancies.len() {
        let cx = rules::context(p, t, v);
        for (r, rule) in RULES.iter().enumerate() {
            if !rule.fails(&cx) {
                continue;
            }
            let destination =
                (rule.code() == ReasonCode::DestinationNotAccepted).then_some(p.vacancies[v].dest);
            let slot = &mut groups[r * (nd + 1) + destination.map_or(0, |d| d + 1)];
            let written = || rule.check(&cx).map(|viol| viol.message).unwrap_or_default();
            match slot {
                None => {
                    *slot = Some(Failures {
                        code: rule.code(),
                        destination,
                        count: 1,
                        listed: vec![v],
                        message: written(),
                        all_same: true,
                    })
                }
                Some(g) => {
                    if g.all_same && destination.is_none() {
                        g.all_same = written() == g.message;
                    }
                    g.count += 1;
                    if g.listed.len() < VACANCIES_LISTED {
                        g.listed.push(v);
                    }
                }
            }
        }
    }
    sorted(p, groups.into_iter().flatten().collect())
}

/// How many vacancies of a destination a rule rules out, and how to list them
/// all from the index (called only when there are few).
type Enumerate<'a> = (usize, Box<dyn FnOnce() -> Vec<VacancyIx> + 'a>);

/// A destination's vacancies, sorted by what the date and salary rules read.
struct DestIndex {
    /// In the scenario's order.
    vacancies: Vec<VacancyIx>,
    /// The vacancies whose window closes, by latest start.
    by_latest: Vec<(NaiveDate, VacancyIx)>,
    runs: Vec<BlackoutRun>,
    /// The day each window opens (none first), ascending; `salaries` is in the
    /// same order.
    opens: Vec<Option<NaiveDate>>,
    salaries: MergeSortTree<f64>,
}

/// Blackouts that follow each other without a free day between them: a start
/// inside moves to the day after the last.
struct BlackoutRun {
    from: NaiveDate,
    /// Vacancies whose latest start falls in the run and whose window opens in
    /// it, by latest start.
    opens_inside: Vec<(NaiveDate, VacancyIx)>,
    /// The same, whose window opens before the run (or is open).
    opens_before: Vec<(NaiveDate, VacancyIx)>,
}

/// Whether the scenario keeps what counting from indexes relies on, as
/// validation ensures: no window closes before it opens, and blackouts are
/// sorted by their first day.
pub(super) fn indexable(p: &Problem) -> bool {
    let reversed = p
        .vacancies
        .iter()
        .any(|v| matches!((v.earliest, v.latest), (Some(e), Some(l)) if e > l));
    let unsorted = p
        .destinations
        .iter()
        .any(|d| d.blackouts.windows(2).any(|w| w[0].from > w[1].from));
    !reversed && !unsorted
}

/// Some of one rule's failures, in one part of the index.
#[derive(Default)]
struct Part {
    count: usize,
    /// The first `min(count, VACANCIES_LISTED)`, in the scenario's order.
    listed: Vec<VacancyIx>,
}

impl Part {
    /// All of a list already in the scenario's order.
    fn all_of(vacancies: &[VacancyIx]) -> Part {
        Part {
            count: vacancies.len(),
            listed: vacancies.iter().take(VACANCIES_LISTED).copied().collect(),
        }
    }
}

/// Each destination's vacancies sorted by the rules' inputs, so that the
/// failures of a trainee eligible nowhere are counted, not tested one by one.
pub struct VacancyIndex {
    enumerate_up_to: usize,
    dests: Vec<DestIndex>,
    /// Vacancies (of every destination) that require the same levels.
    requirements: Vec<RequirementGroup>,
    forbidden: Vec<Vec<VacancyIx>>,
    /// With `pair_scores_only`, each trainee's scored vacancies.
    scored: Vec<Vec<VacancyIx>>,
}

impl VacancyIndex {
    /// `None` when the scenario breaks what the counting relies on (windows
    /// that close before they open, blackouts out of order), which validation
    /// rules out; callers then use [`by_scan`].
    pub fn build(p: &Problem) -> Option<VacancyIndex> {
        VacancyIndex::with_enumeration_limit(p, ENUMERATE_UP_TO)
    }

    /// [`VacancyIndex::build`] with another [`ENUMERATE_UP_TO`] (tests use 0
    /// to exercise the scans).
    pub fn with_enumeration_limit(p: &Problem, enumerate_up_to: usize) -> Option<VacancyIndex> {
        if !indexable(p) {
            return None;
        }
        let dests = p
            .vacancies_by_destination()
            .into_iter()
            .enumerate()
            .map(|(d, vacancies)| DestIndex::build(p, d, vacancies))
            .collect();

        let requirements = requirement_groups(p, 0..p.vacancies.len());

        let mut forbidden = vec![Vec::new(); p.trainees.len()];
        for &(t, v) in p.forbids.keys() {
            forbidden[t].push(v);
        }
        let mut scored = vec![Vec::new(); p.trainees.len()];
        if p.pair_scores_only {
            for &(t, v) in p.pair_scores.keys() {
                scored[t].push(v);
            }
        }
        for list in forbidden.iter_mut().chain(scored.iter_mut()) {
            list.sort_unstable();
        }
        Some(VacancyIndex {
            enumerate_up_to,
            dests,
            requirements,
            forbidden,
            scored,
        })
    }

    /// What [`by_scan`] returns for trainee `t`.
    pub fn failures(&self, p: &Problem, t: TraineeIx) -> Vec<Failures> {
        let tr = &p.trainees[t];
        let ready: Vec<Option<NaiveDate>> = (0..self.dests.len())
            .map(|d| rules::ready_in(p, t, d))
            .collect();
        let mut groups = Vec::new();
        for &rule in RULES {
            let code = rule.code();
            let mut parts = Vec::new();
            match code {
                ReasonCode::DestinationNotAccepted => {
                    // One group per destination, all of its vacancies.
                    for (d, di) in self.dests.iter().enumerate() {
                        if tr.accepts.contains(&d) || di.vacancies.is_empty() {
                            continue;
                        }
                        let part = Part::all_of(&di.vacancies);
                        groups.push(Failures {
                            code,
                            destination: Some(d),
                            count: part.count,
                            message: message(rule, p, t, part.listed[0]),
                            listed: part.listed,
                            all_same: true,
                        });
                    }
                    continue;
                }
                ReasonCode::SkillBelowRequirement => {
                    for group in &self.requirements {
                        if group.excludes(&tr.levels) {
                            parts.push(Part::all_of(&group.vacancies));
                        }
                    }
                }
                ReasonCode::StartWindowMissed
                | ReasonCode::Blackout
                | ReasonCode::SalaryBelowFloor => {
                    for (d, di) in self.dests.iter().enumerate() {
                        let (count, enumerate) = match code {
                            ReasonCode::StartWindowMissed => di.window_missed(ready[d]),
                            ReasonCode::Blackout => di.in_blackout(ready[d]),
                            _ => di.below_floor(p, t, d, ready[d]),
                        };
                        let listed = first_failures(
                            count,
                            VACANCIES_LISTED,
                            self.enumerate_up_to,
                            enumerate,
                            di.vacancies.iter().copied(),
                            |v| rule.fails(&rules::context(p, t, v)),
                        );
                        parts.push(Part { count, listed });
                    }
                }
                ReasonCode::Forbidden => parts.push(Part::all_of(&self.forbidden[t])),
                ReasonCode::NotInPairScores => {
                    if p.pair_scores_only {
                        parts.push(unscored(p.vacancies.len(), &self.scored[t]));
                    }
                }
            }
            groups.extend(summary(p, t, rule, parts));
        }
        sorted(p, groups)
    }
}

/// The first `k` (at least 1) of `count` known failures, in the scenario's
/// order: from the index (`enumerate` lists them all) when there are at most
/// `limit`, else by testing `fails` along `order` until `k` are found.
pub(super) fn first_failures(
    count: usize,
    k: usize,
    limit: usize,
    enumerate: impl FnOnce() -> Vec<usize>,
    order: impl IntoIterator<Item = usize>,
    fails: impl Fn(usize) -> bool,
) -> Vec<usize> {
    let k = k.min(count);
    if k == 0 {
        return Vec::new();
    }
    if count > limit {
        return order.into_iter().filter(|&i| fails(i)).take(k).collect();
    }
    let mut all = enumerate();
    debug_assert_eq!(all.len(), count, "the index lists what it counts");
    if all.len() > k {
        all.select_nth_unstable(k - 1);
        all.truncate(k);
    }
    all.sort_unstable();
    all
}

/// With `pair_scores_only`: every vacancy but the scored ones (sorted). The
/// scan skips at most the scored ones before it has listed enough.
fn unscored(n_vacancies: usize, scored: &[VacancyIx]) -> Part {
    let mut next = scored.iter().peekable();
    let listed = (0..n_vacancies)
        .filter(|&v| {
            let is_scored = next.next_if_eq(&&v).is_some();
            !is_scored
        })
        .take(VACANCIES_LISTED)
        .collect();
    Part {
        count: n_vacancies - scored.len(),
        listed,
    }
}

/// One rule's parts as one group: the count, the first failures overall, the
/// first message, and whether all are alike (two messages of each part).
fn summary(p: &Problem, t: TraineeIx, rule: &dyn PairRule, parts: Vec<Part>) -> Option<Failures> {
    let count: usize = parts.iter().map(|part| part.count).sum();
    if count == 0 {
        return None;
    }
    let listed = first_of_all(&parts);
    let first = message(rule, p, t, listed[0]);
    let all_same = parts.iter().all(|part| {
        part.listed
            .iter()
            .take(2)
            .all(|&v| v == listed[0] || message(rule, p, t, v) == first)
    });
    Some(Failures {
        code: rule.code(),
        destination: None,
        count,
        listed,
        message: first,
        all_same,
    })
}

/// The first [`VACANCIES_LISTED`] of the parts' failures together: a merge of
/// the parts' sorted lists that stops there (there can be hundreds of parts,
/// one per set of required levels).
fn first_of_all(parts: &[Part]) -> Vec<VacancyIx> {
    let mut heads: BinaryHeap<Reverse<(VacancyIx, usize, usize)>> = parts
        .iter()
        .enumerate()
        .filter_map(|(i, part)| part.listed.first().map(|&v| Reverse((v, i, 0))))
        .collect();
    let mut listed = Vec::with_capacity(VACANCIES_LISTED);
    while listed.len() < VACANCIES_LISTED {
        let Some(Reverse((v, i, k))) = heads.pop() else {
            break;
        };
        listed.push(v);
        if let Some(&next) = parts[i].listed.get(k + 1) {
            heads.push(Reverse((next, i, k + 1)));
        }
    }
    listed
}

impl DestIndex {
    fn build(p: &Problem, d: DestIx, vacancies: Vec<VacancyIx>) -> DestIndex {
        let dest = &p.destinations[d];
        let mut by_latest: Vec<(NaiveDate, VacancyIx)> = vacancies
            .iter()
            .filter_map(|&v| p.vacancies[v].latest.map(|l| (l, v)))
            .collect();
        by_latest.sort_unstable();

        let bounds = rules::blackout_runs(dest);
        let mut runs: Vec<BlackoutRun> = bounds
            .iter()
            .map(|&(from, _)| BlackoutRun {
                from,
                opens_inside: Vec::new(),
                opens_before: Vec::new(),
            })
            .collect();
        for &(latest, v) in &by_latest {
            let r = bounds.partition_point(|&(from, _)| from <= latest);
            if r == 0 || latest > bounds[r - 1].1 {
                continue;
            }
            let run = &mut runs[r - 1];
            if p.vacancies[v].earliest.is_some_and(|e| e >= run.from) {
                run.opens_inside.push((latest, v));
            } else {
                run.opens_before.push((latest, v));
            }
        }

        let mut by_opening: Vec<(Option<NaiveDate>, VacancyIx)> = vacancies
            .iter()
            .map(|&v| (p.vacancies[v].earliest, v))
            .collect();
        by_opening.sort_unstable();
        let salaries = MergeSortTree::new(
            by_opening
                .iter()
                .map(|&(_, v)| (p.vacancies[v].salary.unwrap_or(f64::NEG_INFINITY), v))
                .collect(),
        );
        DestIndex {
            vacancies,
            by_latest,
            runs,
            opens: by_opening.into_iter().map(|(e, _)| e).collect(),
            salaries,
        }
    }

    /// `start_window_missed`: documents missing for a permit, or the window
    /// closes before the trainee is ready (a window never closes before it
    /// opens, so its opening does not matter).
    fn window_missed(&self, ready: Option<NaiveDate>) -> Enumerate<'_> {
        match ready {
            None => (self.vacancies.len(), Box::new(|| self.vacancies.clone())),
            Some(ready) => {
                let n = self.by_latest.partition_point(|&(l, _)| l < ready);
                (
                    n,
                    Box::new(move || self.by_latest[..n].iter().map(|&(_, v)| v).collect()),
                )
            }
        }
    }

    /// `blackout`: the earliest day is in a run and not after the latest
    /// start, which is in the same run. The earliest day is the later of
    /// `ready` and the window's opening, so in a run it is `ready` (when that
    /// is in the run) or the opening (when that is).
    fn in_blackout(&self, ready: Option<NaiveDate>) -> Enumerate<'_> {
        let Some(ready) = ready else {
            return (0, Box::new(Vec::new));
        };
        let slices: Vec<&[(NaiveDate, VacancyIx)]> = self
            .runs
            .iter()
            .flat_map(|run| {
                let before: &[(NaiveDate, VacancyIx)] = if ready >= run.from {
                    latest_from(&run.opens_before, ready)
                } else {
                    &[]
                };
                [latest_from(&run.opens_inside, ready), before]
            })
            .collect();
        let count = slices.iter().map(|s| s.len()).sum();
        (
            count,
            Box::new(move || {
                slices
                    .iter()
                    .flat_map(|s| s.iter().map(|&(_, v)| v))
                    .collect()
            }),
        )
    }

    /// `salary_below_floor`: the start day is the later of `ready` and the
    /// window's opening, moved past blackouts, so it never decreases along
    /// `opens`; the trainee's age on it, and so the floor, is constant on
    /// ranges of `opens`, found by binary search.
    fn below_floor(
        &self,
        p: &Problem,
        t: TraineeIx,
        d: DestIx,
        ready: Option<NaiveDate>,
    ) -> Enumerate<'_> {
        let Some(ready) = ready else {
            return (0, Box::new(Vec::new));
        };
        let dest = &p.destinations[d];
        let birth = p.trainees[t].birth_date;
        let age = |opens: Option<NaiveDate>| {
            let start = rules::past_blackouts(dest, opens.map_or(ready, |o| o.max(ready)));
            birth.map(|b| age_on(b, start))
        };
        let mut ranges: Vec<(usize, usize, f64)> = Vec::new();
        let mut lo = 0;
        while lo < self.opens.len() {
            let a = age(self.opens[lo]);
            let hi = lo + self.opens[lo..].partition_point(|&o| age(o) <= a);
            if let Some(row) = rules::floor_row(dest, a) {
                ranges.push((lo, hi, row.annual));
            }
            lo = hi;
        }
        let count = ranges
            .iter()
            .map(|&(lo, hi, floor)| self.salaries.count(lo, hi, |s| s < floor, |_| false))
            .sum();
        (
            count,
            Box::new(move || {
                let mut out = Vec::new();
                for &(lo, hi, floor) in &ranges {
                    self.salaries
                        .list(lo, hi, |s| s < floor, |_| false, &mut out);
                }
                out
            }),
        )
    }
}

/// The vacancies of a list sorted by latest start whose latest start is `day`
/// or later.
fn latest_from(list: &[(NaiveDate, VacancyIx)], day: NaiveDate) -> &[(NaiveDate, VacancyIx)] {
    &list[list.partition_point(|&(l, _)| l < day)..]
}
