//! The hard rules of a match set, described once, as data.
//!
//! Every hard rule is a count over the eligible pairs a match set chooses,
//! held within bounds: "T001 at most once", "BE-07 at most its 2 positions",
//! "Flanders at least 30", "women at least 40 % of Flanders' placements"
//! (Σ (member − 0.4) x ≥ 0). [`HardRule`] names the rules a scenario has;
//! [`Rows`] is their linear form: each row's bounds and which rule each bound
//! comes from, and [`Rows::entries`], the one place that says which rows a
//! pair counts in and with which coefficient.
//!
//! Everything that must know the rules is derived from this:
//!
//! | consumer | what it takes |
//! |---|---|
//! | the integer program (`optimize`) | every row, as it is, minus the rules a diagnosis drops |
//! | the core method (`core_method`) | the same rows on the raw HiGHS API, pairs priced by `entries` |
//! | the flow (`flow`) | the rows that are capacities ([`HardRule::not_a_capacity`]); a scenario is a network when all are |
//! | the audit (`audit`) | each row measured on an answer |
//! | the diagnosis (`diagnose`) | the rules that can be dropped ([`HardRule::relaxable`]) |
//! | the explanations | each rule loosened by one unit ([`HardRule::loosened`]); the rules report, a row per rule |
//! | the match set's reasons | the first row one more placement would break ([`Rows::broken_by`]) |
//! | the core method's cuts and group counts | each share row and its scope's bounds ([`Rows::with_cuts`]) |
//!
//! Adding a hard rule is a variant of [`HardRule`], its bound in
//! [`Rows::new`] and the pairs it counts in [`Rows::entries`]; the compiler
//! then lists every consumer that must say what the rule means to it ([`all`]'s
//! list of kinds, the flow's capacity, the core method's row, the audit's and
//! the diagnosis' words, the explanation's change). Forbidden pairs are not here: a forbid is an eligibility rule
//! (`rules::forbidden`), so no model ever sees the pair.

use crate::documents::explanation::Change;
use crate::eligibility::Eligibility;
use crate::model::problem::{DestIx, EmployerIx, Problem, Share, TraineeIx, VacancyIx};
use crate::model::scenario::Priority;
use crate::solve::stability::Stability;
use crate::words;

/// One hard rule of a scenario.
///
/// The order of the variants is the order a diagnosis lists a conflict in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HardRule {
    /// A trainee starts in at most one vacancy.
    OnePlacement(TraineeIx),
    /// A vacancy takes at most its positions.
    Positions(VacancyIx),
    /// A destination's placements are at least its minimum.
    DestinationMin(DestIx),
    /// A destination's placements are at most its maximum.
    DestinationMax(DestIx),
    /// A group's share of the placements in the share's scope is within its
    /// minimum and maximum (one rule, up to two rows).
    GroupShare(usize),
    /// An employer receives at most `max_per_employer` placements.
    EmployerCap(EmployerIx),
    /// A pair the officer locked is in every match set.
    Lock(usize),
}

impl HardRule {
    /// Whether a diagnosis may drop the rule to find a conflict: every rule an
    /// officer sets, not the two that make a match set what it is.
    pub fn relaxable(self) -> bool {
        match self {
            HardRule::OnePlacement(_) | HardRule::Positions(_) => false,
            HardRule::DestinationMin(_)
            | HardRule::DestinationMax(_)
            | HardRule::GroupShare(_)
            | HardRule::EmployerCap(_)
            | HardRule::Lock(_) => true,
        }
    }

    /// Every rule of `p` a diagnosis may drop, in model order.
    pub fn all_relaxable(p: &Problem) -> Vec<HardRule> {
        all(p).into_iter().filter(|r| r.relaxable()).collect()
    }

    /// What keeps the rule from being a capacity of the assignment network
    /// `source → trainee → vacancy → [employer →] destination → sink`, given
    /// the destinations each employer has vacancies in
    /// ([`employer_destinations`]); `None` when it is one.
    pub fn not_a_capacity(self, employer_dests: &[Vec<DestIx>]) -> Option<NotACapacity> {
        match self {
            HardRule::OnePlacement(_)
            | HardRule::Positions(_)
            | HardRule::DestinationMin(_)
            | HardRule::DestinationMax(_)
            | HardRule::Lock(_) => None,
            HardRule::EmployerCap(emp) => {
                (employer_dests[emp].len() > 1).then_some(NotACapacity::SpansDestinations(emp))
            }
            HardRule::GroupShare(_) => Some(NotACapacity::Ratio),
        }
    }

    /// The same scenario with this rule one unit looser, as a what-if an
    /// explanation re-solves: one more position, one more place in a quota,
    /// one fewer required, a share one percentage point wider, one more per
    /// employer, a lock dropped. `None` for a rule that cannot loosen (a
    /// trainee is never in two places).
    pub fn loosened(self, p: &Problem) -> Option<Change> {
        match self {
            HardRule::OnePlacement(_) => None,
            HardRule::Positions(v) => Some(Change::AddPosition {
                vacancy: p.vacancies[v].id.clone(),
            }),
            HardRule::DestinationMin(d) => Some(Change::LowerDestinationMin {
                destination: p.destinations[d].code.clone(),
            }),
            HardRule::DestinationMax(d) => Some(Change::RaiseDestinationMax {
                destination: p.destinations[d].code.clone(),
            }),
            HardRule::GroupShare(s) => {
                let share = &p.shares[s];
                // The minimum when there is one, else the maximum.
                let (min_share, max_share) = if share.min_share > 0.0 {
                    ((share.min_share - 0.01).max(0.0), share.max_share)
                } else {
                    (0.0, share.max_share.map(|m| (m + 0.01).min(1.0)))
                };
                Some(Change::RelaxShare {
                    index: s,
                    min_share: words::round4(min_share),
                    max_share: max_share.map(words::round4),
                })
            }
            HardRule::EmployerCap(_) => Some(Change::RaiseEmployerCap),
            HardRule::Lock(l) => {
                let lock = &p.locks[l];
                Some(Change::DropLock {
                    trainee: p.trainees[lock.trainee].id.clone(),
                    vacancy: p.vacancies[lock.vacancy].id.clone(),
                })
            }
        }
    }
}

/// Why a rule is not a capacity of the assignment network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotACapacity {
    /// A share bounds a ratio of placements, not their number.
    Ratio,
    /// The cap of this employer, over vacancies in several destinations,
    /// would need the employer's node on two paths to the sink.
    SpansDestinations(EmployerIx),
}

/// The first rule of `p` that is not a capacity of the assignment network,
/// and why: `None` when `p` is a network.
pub fn first_non_capacity(p: &Problem) -> Option<NotACapacity> {
    let dests = employer_destinations(p);
    all(p).into_iter().find_map(|r| r.not_a_capacity(&dests))
}

/// Every hard rule `p` has, in model order: trainees, vacancies,
/// destinations (minimum, maximum), employer caps, group shares, locks.
pub fn all(p: &Problem) -> Vec<HardRule> {
    // Every kind of rule is listed below; this match stops compiling until a
    // new kind is listed too (a rule that bounds no row, such as a share of at
    // least 0 %, is still a rule the scenario has, so the list is not read
    // off the rows).
    let _listed = |rule: HardRule| match rule {
        HardRule::OnePlacement(_)
        | HardRule::Positions(_)
        | HardRule::DestinationMin(_)
        | HardRule::DestinationMax(_)
        | HardRule::EmployerCap(_)
        | HardRule::GroupShare(_)
        | HardRule::Lock(_) => (),
    };
    let mut out: Vec<HardRule> = (0..p.trainees.len()).map(HardRule::OnePlacement).collect();
    out.extend((0..p.vacancies.len()).map(HardRule::Positions));
    for (d, dest) in p.destinations.iter().enumerate() {
        if dest.min > 0 {
            out.push(HardRule::DestinationMin(d));
        }
        if dest.max.is_some() {
            out.push(HardRule::DestinationMax(d));
        }
    }
    out.extend(
        (0..p.employers.len())
            .filter(|&e| p.employer_caps[e].is_some())
            .map(HardRule::EmployerCap),
    );
    out.extend((0..p.shares.len()).map(HardRule::GroupShare));
    out.extend((0..p.locks.len()).map(HardRule::Lock));
    out
}

/// The destinations each capped employer has vacancies in (empty for
/// employers without a cap), in the order its vacancies name them.
pub fn employer_destinations(p: &Problem) -> Vec<Vec<DestIx>> {
    let mut dests: Vec<Vec<DestIx>> = vec![Vec::new(); p.employers.len()];
    for v in &p.vacancies {
        if p.employer_caps[v.employer].is_some() && !dests[v.employer].contains(&v.dest) {
            dests[v.employer].push(v.dest);
        }
    }
    dests
}

/// One bound of a row, and the rule it comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    pub value: f64,
    pub rule: HardRule,
}

/// A linear row: `lower ≤ Σ coefficient · x ≤ upper` over the pairs
/// [`Rows::entries`] puts in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub lower: Option<Bound>,
    pub upper: Option<Bound>,
    /// Every coefficient is 1: the row counts placements (so it can never
    /// be below 0, and cannot bind above the number of its pairs).
    pub counts: bool,
}

/// Below this distance outside a bound a row's value counts as within it
/// (a share's row is a sum of fractions).
pub const TOLERANCE: f64 = 1e-9;

impl Row {
    fn upper(value: f64, rule: HardRule) -> Row {
        Row {
            lower: None,
            upper: Some(Bound { value, rule }),
            counts: true,
        }
    }

    /// The lower bound `value` falls below, if any.
    pub fn under(&self, value: f64) -> Option<Bound> {
        self.lower.filter(|b| value < b.value - TOLERANCE)
    }

    /// The upper bound `value` rises above, if any.
    pub fn over(&self, value: f64) -> Option<Bound> {
        self.upper.filter(|b| value > b.value + TOLERANCE)
    }
}

/// Row duals of an LP over a scenario's rows ([`Rows::duals`]), row by
/// row, with the rules of those rows: what [`Rows::placements_bound`] needs
/// to bound another scenario with the same rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Duals {
    y: Vec<f64>,
    rules: Vec<[Option<HardRule>; 2]>,
    /// The dual of a row the LP held its placements at or above with, and
    /// that floor (a later phase's LP holds an earlier phase's optimum).
    floor: Option<(f64, f64)>,
}

impl Duals {
    /// The same duals, with `y`, the dual of a row holding the placements
    /// at `floor` or more (every pair's coefficient 1 in it).
    pub fn with_floor(self, y: f64, floor: f64) -> Duals {
        Duals {
            floor: Some((y, floor)),
            ..self
        }
    }
}

/// Weak duality on a scenario's rows ([`Rows::weak_duality`]): every `x`
/// within the rows and each pair's bounds has
/// `Σ cost·x ≤ constant + Σ d·x`.
#[derive(Debug, Clone, PartialEq)]
pub struct WeakDuality {
    pub constant: f64,
    /// Each pair's reduced cost at the duals.
    pub d: Vec<f64>,
}

impl WeakDuality {
    /// The bound on `Σ cost·x` over every `x`: each pair at its better bound,
    /// 1 for a pair in `locked`.
    pub fn bound(&self, locked: &[usize]) -> f64 {
        let free: f64 = self.d.iter().map(|&d| d.max(0.0)).sum();
        let held: f64 = (locked.iter()).map(|&i| self.d[i].min(0.0)).sum();
        self.constant + free + held
    }

    /// The bound on `Σ cost·x` over every `x` with some pair of `touching`
    /// at 1: [`Self::bound`] with the best of those pairs forced to 1 (a
    /// locked one is at 1 already). `None` when `touching` is empty.
    ///
    /// ```
    /// use palim::solve::hard_rules::WeakDuality;
    ///
    /// let w = WeakDuality { constant: 1.0, d: vec![0.5, -0.25, -1.0] };
    /// assert_eq!(w.bound(&[]), 1.5); // pair 0 at 1, the others at 0
    /// assert_eq!(w.bound(&[2]), 0.5); // pair 2 locked at 1
    /// // With pair 1 or 2 at 1, pair 1 (the cheaper to force) is the best.
    /// assert_eq!(w.bound_touching(&[], &[1, 2]), Some(1.25));
    /// assert_eq!(w.bound_touching(&[2], &[1, 2]), Some(0.5));
    /// assert_eq!(w.bound_touching(&[], &[]), None);
    /// ```
    pub fn bound_touching(&self, locked: &[usize], touching: &[usize]) -> Option<f64> {
        let forced = (touching.iter())
            .map(|&i| match locked.contains(&i) {
                true => 0.0,
                false => self.d[i].min(0.0),
            })
            .reduce(f64::max)?;
        Some(self.bound(locked) + forced)
    }
}

/// Row duals laid out for pricing ([`Rows::pricing`]).
pub struct Pricing {
    /// Each trainee's row's dual.
    trainee: Vec<Option<f64>>,
    /// Each vacancy's: its positions', destination's and employer's rows'
    /// duals, in row order (those in the LP).
    vacancy: Vec<Vec<f64>>,
    /// Each vacancy's share rows in scope: (share, dual, level).
    shares: Vec<Vec<(usize, f64, f64)>>,
    /// The same for the share cuts.
    cuts: Vec<Vec<(usize, f64, f64)>>,
    /// Each lock row's dual, as [`Rows`] lists the locks.
    locks: Vec<Option<f64>>,
}

/// The rows of every hard rule of a scenario, numbered in model order, with
/// the index that finds a pair's rows without looking at the others.
#[derive(Debug, Clone)]
pub struct Rows {
    pub rows: Vec<Row>,
    by_trainee: Vec<usize>,
    by_vacancy: Vec<usize>,
    by_destination: Vec<Option<usize>>,
    by_employer: Vec<Option<usize>>,
    /// Share rows: (row, share, the level the row holds the group to).
    shares: Vec<(usize, usize, f64)>,
    /// The share cuts' rows ([`Rows::with_cuts`]), after every rule's row:
    /// (row, share, level), each counted as a share row is.
    cuts: Vec<(usize, usize, f64)>,
    /// Among them, each share's group count (level 0): (row, share).
    groups: Vec<(usize, usize)>,
    /// Whether each trainee is in each share's group (by share).
    members: Vec<Vec<bool>>,
    /// Lock rows as (trainee, vacancy, row), sorted: a few, looked up for
    /// every pair each time the core method prices (hashing each pair was
    /// 1% of the generator's 1,000 × 400 `solve --explain`, whose lock
    /// what-ifs have one).
    locks: Vec<(TraineeIx, VacancyIx, usize)>,
}

impl Rows {
    /// The rows of `p`'s hard rules.
    pub fn new(p: &Problem) -> Rows {
        let mut rows = Vec::new();
        let mut push = |r: Row| {
            rows.push(r);
            rows.len() - 1
        };
        let by_trainee = (0..p.trainees.len())
            .map(|t| push(Row::upper(1.0, HardRule::OnePlacement(t))))
            .collect();
        let by_vacancy = (0..p.vacancies.len())
            .map(|v| {
                let positions = f64::from(p.vacancies[v].positions);
                push(Row::upper(positions, HardRule::Positions(v)))
            })
            .collect();
        // A destination's minimum and maximum bound the same count: one row.
        let by_destination = (0..p.destinations.len())
            .map(|d| {
                let dest = &p.destinations[d];
                let lower = (dest.min > 0).then(|| Bound {
                    value: f64::from(dest.min),
                    rule: HardRule::DestinationMin(d),
                });
                let upper = dest.max.map(|m| Bound {
                    value: f64::from(m),
                    rule: HardRule::DestinationMax(d),
                });
                (lower.is_some() || upper.is_some()).then(|| {
                    push(Row {
                        lower,
                        upper,
                        counts: true,
                    })
                })
            })
            .collect();
        let by_employer = (0..p.employers.len())
            .map(|emp| {
                p.employer_caps[emp]
                    .map(|cap| push(Row::upper(f64::from(cap), HardRule::EmployerCap(emp))))
            })
            .collect();
        // A share is Σ (member − level) x over its scope: ≥ 0 for the
        // minimum, ≤ 0 for the maximum, a row each (their coefficients differ).
        let mut shares = Vec::new();
        for (s, share) in p.shares.iter().enumerate() {
            let bound = Some(Bound {
                value: 0.0,
                rule: HardRule::GroupShare(s),
            });
            if share.min_share > 0.0 {
                let r = push(Row {
                    lower: bound,
                    upper: None,
                    counts: false,
                });
                shares.push((r, s, share.min_share));
            }
            if let Some(max) = share.max_share {
                let r = push(Row {
                    lower: None,
                    upper: bound,
                    counts: false,
                });
                shares.push((r, s, max));
            }
        }
        let mut locks = Vec::with_capacity(p.locks.len());
        for (l, lock) in p.locks.iter().enumerate() {
            let bound = Some(Bound {
                value: 1.0,
                rule: HardRule::Lock(l),
            });
            let r = push(Row {
                lower: bound,
                upper: bound,
                counts: true,
            });
            locks.push((lock.trainee, lock.vacancy, r));
        }
        locks.sort_unstable();
        let members = p
            .shares
            .iter()
            .map(|share| {
                (0..p.trainees.len())
                    .map(|t| p.in_group(t, share))
                    .collect()
            })
            .collect();
        Rows {
            rows,
            by_trainee,
            by_vacancy,
            by_destination,
            by_employer,
            shares,
            cuts: Vec::new(),
            groups: Vec::new(),
            members,
            locks,
        }
    }

    /// [`Rows::new`], and after the rules' rows a cut for each share row:
    /// an inequality every match set keeps, which the LP of the rules alone
    /// does not. A share of at least 25 % women among at most 231 Flemish
    /// placements allows the LP 231 placements with 57.75 women; every
    /// match set with 231 has 58, and one with 228 has 57, so
    /// W − n/3 ≥ 58 − 231/3 holds for all of them, at 57.75 it does not.
    /// At national size these cuts closed most of the core method's gap
    /// between the LP and the integer optimum (BENCHMARKS.md, fifteenth
    /// round), so that reduced-cost fixing leaves far fewer pairs free.
    ///
    /// A cut counts what its share counts, each member of the group
    /// `1 − m` and each other placement in scope `−m`, so a pair's column in
    /// it is known without the LP: the core method prices pairs by it as by
    /// any rule. Each share row has exactly one cut, whatever the numbers
    /// (a what-if's LP starts from the basis of the LP it changes, row for
    /// row), and after it a row of the group's count in the share's scope
    /// (level 0), bounded only by what no match set breaks, which the core
    /// method splits its LP on where it is fractional. Only the core method
    /// holds cuts; the audit, the reasons and
    /// the integer program on every pair read the rules alone.
    pub fn with_cuts(p: &Problem) -> Rows {
        let mut rows = Rows::new(p);
        for (r, s, level) in rows.shares.clone() {
            let share = &p.shares[s];
            let at_least = rows.rows[r].lower.is_some();
            let (lo, hi) = scope_range(p, share);
            let (m, c) = top_facet(level, lo, hi, at_least);
            let bound = Some(Bound {
                value: c,
                rule: HardRule::GroupShare(s),
            });
            let (lower, upper) = if at_least {
                (bound, None)
            } else {
                (None, bound)
            };
            rows.rows.push(Row {
                lower,
                upper,
                counts: false,
            });
            rows.cuts.push((rows.rows.len() - 1, s, m));
            // The group's count in the share's scope, bounded by nothing a
            // match set can break: the core method splits its LP on it
            // (at most ⌊W⌋ of the group, or at least ⌈W⌉) where the count
            // `W` is fractional.
            let bound = |value: f64| {
                Some(Bound {
                    value,
                    rule: HardRule::GroupShare(s),
                })
            };
            rows.rows.push(Row {
                lower: bound(0.0),
                upper: bound(p.trainees.len() as f64),
                counts: false,
            });
            rows.cuts.push((rows.rows.len() - 1, s, 0.0));
            rows.groups.push((rows.rows.len() - 1, s));
        }
        rows
    }

    /// The group counts' rows ([`Rows::with_cuts`]): (row, share).
    pub fn group_rows(&self) -> &[(usize, usize)] {
        &self.groups
    }

    /// Whether pair (t, v) counts in share `s`'s group count: a member of
    /// its group, in its scope.
    pub fn in_group_count(&self, p: &Problem, s: usize, t: TraineeIx, v: VacancyIx) -> bool {
        self.members[s][t] && p.share_scope(&p.shares[s], v)
    }

    /// The cuts' rows ([`Rows::with_cuts`]), in row order: the last rows.
    pub fn cut_rows(&self) -> impl ExactSizeIterator<Item = usize> + '_ {
        self.cuts.iter().map(|&(r, _, _)| r)
    }

    /// The rows pair (t, v) counts in: `each(row, coefficient)`, in row
    /// order. A callback, not a list. [`Rows::price`] sums the same terms
    /// in the same order for every pair of an LP round (a test holds the
    /// two equal to the bit).
    pub fn entries(
        &self,
        p: &Problem,
        t: TraineeIx,
        v: VacancyIx,
        mut each: impl FnMut(usize, f64),
    ) {
        each(self.by_trainee[t], 1.0);
        self.entries_of_vacancy(p, v, &mut each);
        self.entries_of_shares(&self.shares, p, t, v, &mut each);
        for &(_, _, r) in &self.locks[self.locks_of(t, v)] {
            each(r, 1.0);
        }
        self.entries_of_shares(&self.cuts, p, t, v, &mut each);
    }

    /// What pricing pairs by [`Rows::price`] reads, made once from each
    /// row's dual (`None`: the row is not in the LP), where pricing every
    /// pair by [`Rows::entries`] found each vacancy's rows and the shares
    /// in its scope again for each of its pairs.
    pub fn pricing(&self, p: &Problem, dual: impl Fn(usize) -> Option<f64>) -> Pricing {
        let vacancies = 0..p.vacancies.len();
        let in_scope = |list: &[(usize, usize, f64)], v: VacancyIx| -> Vec<(usize, f64, f64)> {
            (list.iter())
                .filter(|&&(_, s, _)| p.share_scope(&p.shares[s], v))
                .filter_map(|&(r, s, level)| dual(r).map(|y| (s, y, level)))
                .collect()
        };
        Pricing {
            trainee: self.by_trainee.iter().map(|&r| dual(r)).collect(),
            vacancy: (vacancies.clone())
                .map(|v| {
                    let mut duals = Vec::with_capacity(3);
                    self.entries_of_vacancy(p, v, |r, _| duals.extend(dual(r)));
                    duals
                })
                .collect(),
            shares: vacancies
                .clone()
                .map(|v| in_scope(&self.shares, v))
                .collect(),
            cuts: vacancies.map(|v| in_scope(&self.cuts, v)).collect(),
            locks: self.locks.iter().map(|&(_, _, r)| dual(r)).collect(),
        }
    }

    /// Σ coefficient × dual over pair (t, v)'s entries ([`Rows::entries`])
    /// at the duals `pricing` was made from: the same terms in the same
    /// order, so the same number to the bit (every entry outside the shares
    /// is 1).
    pub fn price(&self, pricing: &Pricing, t: TraineeIx, v: VacancyIx) -> f64 {
        let mut sum = 0.0;
        if let Some(y) = pricing.trainee[t] {
            sum += y;
        }
        for &y in &pricing.vacancy[v] {
            sum += y;
        }
        let share = |sum: &mut f64, list: &[(usize, f64, f64)]| {
            for &(s, y, level) in list {
                *sum += (f64::from(u8::from(self.members[s][t])) - level) * y;
            }
        };
        share(&mut sum, &pricing.shares[v]);
        for y in self.locks_of(t, v).filter_map(|k| pricing.locks[k]) {
            sum += y;
        }
        share(&mut sum, &pricing.cuts[v]);
        sum
    }

    /// Where pair (t, v)'s lock rows are in `self.locks` (sorted by pair).
    fn locks_of(&self, t: TraineeIx, v: VacancyIx) -> std::ops::Range<usize> {
        if self.locks.is_empty() {
            return 0..0;
        }
        let first = self.locks.partition_point(|&(lt, lv, _)| (lt, lv) < (t, v));
        let here = self.locks[first..]
            .iter()
            .take_while(|&&(lt, lv, _)| (lt, lv) == (t, v));
        first..first + here.count()
    }

    /// Pair (t, v)'s entries in share-like rows `list` (the shares' or
    /// their cuts'): `member − level` in each whose scope holds `v`.
    fn entries_of_shares(
        &self,
        list: &[(usize, usize, f64)],
        p: &Problem,
        t: TraineeIx,
        v: VacancyIx,
        each: &mut impl FnMut(usize, f64),
    ) {
        for &(r, s, level) in list {
            let a = f64::from(u8::from(self.members[s][t])) - level;
            // A group count's row holds only the group's members.
            if a != 0.0 && p.share_scope(&p.shares[s], v) {
                each(r, a);
            }
        }
    }

    /// The rows every pair at `v` counts in, whoever the trainee: its
    /// positions, its destination's quota and its employer's cap, each with
    /// coefficient 1, in row order.
    pub fn entries_of_vacancy(&self, p: &Problem, v: VacancyIx, mut each: impl FnMut(usize, f64)) {
        let vac = &p.vacancies[v];
        each(self.by_vacancy[v], 1.0);
        for &r in self.by_destination[vac.dest]
            .iter()
            .chain(&self.by_employer[vac.employer])
        {
            each(r, 1.0);
        }
    }

    /// The rule whose bound one more unit of coefficient `a` in row `r`
    /// would break, from the row's value `value`: only the bound the unit
    /// moves towards (`None` when it stays within).
    pub fn broken_by(&self, r: usize, value: f64, a: f64) -> Option<HardRule> {
        let (row, after) = (&self.rows[r], value + a);
        let bound = if a > 0.0 {
            row.over(after)
        } else if a < 0.0 {
            row.under(after)
        } else {
            None
        };
        bound.map(|b| b.rule)
    }

    /// Every row's terms over the pairs of `e`, each list in pair order.
    pub fn terms(&self, p: &Problem, e: &Eligibility) -> Vec<Vec<(usize, f64)>> {
        let mut out: Vec<Vec<(usize, f64)>> = vec![Vec::new(); self.rows.len()];
        for (i, pair) in e.pairs.iter().enumerate() {
            self.entries(p, pair.t, pair.v, |r, a| out[r].push((i, a)));
        }
        out
    }

    /// Row duals `y` of an LP over these rows (one per row, 0 for a row
    /// the LP left out), kept with the rules they belong to.
    pub fn duals(&self, y: Vec<f64>) -> Duals {
        Duals {
            y,
            rules: self.rules(),
            floor: None,
        }
    }

    fn rules(&self) -> Vec<[Option<HardRule>; 2]> {
        (self.rows.iter())
            .map(|row| [row.lower.map(|b| b.rule), row.upper.map(|b| b.rule)])
            .collect()
    }

    /// An upper bound on the placements of `p` (these rows' scenario, over
    /// its pairs `e`), from `duals` taken on a like scenario's LP: weak
    /// duality ([`Rows::weak_duality`]) with every pair's cost 1. With the
    /// optimal duals of the scenario before, a one-unit change moves this
    /// bound by the change's dual (0 for a data change that makes no pair
    /// worth more): where the scenario before was one placement short of
    /// its relaxation, the changed one is proven short too, without an LP.
    ///
    /// `locked`: the pairs `p` locks, as indices of `e`. `None` as for
    /// [`Rows::weak_duality`].
    pub fn placements_bound(
        &self,
        p: &Problem,
        e: &Eligibility,
        locked: &[usize],
        duals: &Duals,
    ) -> Option<f64> {
        let bound = self.weak_duality(p, e, duals, |_| 1.0)?.bound(locked);
        bound.is_finite().then_some(bound)
    }

    /// Weak duality, which holds for any duals: for every `x` within the
    /// rows of `p` (these rows' scenario, over its pairs `e`) and each
    /// pair's bounds, `Σ cost·x = Σ (cost − a·y)·x + Σ y·(a x)`, and each
    /// row's `y·value` is at most its value at the row's bound on `y`'s
    /// side (with the floor of `duals`, if any, a row of its own). `duals`
    /// may come from the LP of a like scenario: before a one-unit change,
    /// say, or on other pairs.
    ///
    /// `None` when these rows are not the rules the duals were taken on (a
    /// lock added or dropped), or a dual leans on a bound its row lacks.
    pub fn weak_duality(
        &self,
        p: &Problem,
        e: &Eligibility,
        duals: &Duals,
        cost: impl Fn(usize) -> f64,
    ) -> Option<WeakDuality> {
        if duals.y.len() != self.rows.len() || duals.rules != self.rules() {
            return None;
        }
        let mut constant = 0.0;
        for (row, &y) in self.rows.iter().zip(&duals.y) {
            // A counting row is never below 0, bounded or not.
            let lower = row.lower.map(|b| b.value).or(row.counts.then_some(0.0));
            let at = match y {
                y if y > 0.0 => row.upper.map(|b| b.value)?,
                y if y < 0.0 => lower?,
                _ => continue,
            };
            constant += y * at;
        }
        // The floor is a lower bound alone.
        let floor_y = match duals.floor {
            Some((y, _)) if y > 0.0 => return None,
            Some((y, floor)) => {
                constant += y * floor;
                y
            }
            None => 0.0,
        };
        let d = (e.pairs.iter().enumerate())
            .map(|(i, pair)| {
                let mut priced = floor_y;
                self.entries(p, pair.t, pair.v, |r, a| priced += a * duals.y[r]);
                cost(i) - priced
            })
            .collect();
        constant.is_finite().then_some(WeakDuality { constant, d })
    }

    /// Each row's value on the chosen pairs.
    pub fn activity(&self, p: &Problem, e: &Eligibility, chosen: &[usize]) -> Vec<f64> {
        let mut out = vec![0.0; self.rows.len()];
        for &i in chosen {
            let pair = &e.pairs[i];
            self.entries(p, pair.t, pair.v, |r, a| out[r] += a);
        }
        out
    }
}

/// The fewest and the most placements a share's scope can hold in a match
/// set: its destination's minimum and maximum, and no more than its
/// positions or the trainees.
fn scope_range(p: &Problem, share: &Share) -> (u64, u64) {
    let positions: u64 = (p.vacancies.iter())
        .enumerate()
        .filter(|&(v, _)| p.share_scope(share, v))
        .map(|(_, vac)| u64::from(vac.positions))
        .sum();
    let most = positions.min(p.trainees.len() as u64);
    match share.dest.map(|d| &p.destinations[d]) {
        Some(dest) => (
            u64::from(dest.min),
            dest.max.map_or(most, |m| most.min(u64::from(m))),
        ),
        None => (0, most),
    }
}

/// The share cut's level `m` and bound `c` (`Σ (member − m) x ≥ c` for a
/// minimum share `level`, `≤ c` for a maximum), for a scope of `lo` to `hi`
/// placements: the edge of the convex hull of the whole (placements, group)
/// points the share allows that ends at `hi` placements. With `n` placements
/// a minimum share needs ⌈level · n⌉ of the group and a maximum allows
/// ⌊level · n⌋ (within the audit's tolerance); the edge is the line through
/// `hi`'s point that every other point lies on the allowed side of. With no
/// such edge (`hi ≤ lo`), the share row itself.
fn top_facet(level: f64, lo: u64, hi: u64, at_least: bool) -> (f64, f64) {
    let group = |n: u64| {
        let exact = level * n as f64;
        if at_least {
            (exact - TOLERANCE).ceil()
        } else {
            (exact + TOLERANCE).floor()
        }
    };
    let top = group(hi);
    let slopes = (lo..hi).map(|n| (top - group(n)) / (hi - n) as f64);
    let edge = if at_least {
        slopes.reduce(f64::max)
    } else {
        slopes.reduce(f64::min)
    };
    // Not moved outward by a tolerance, as the share's own row is not: an
    // LP would spend it on a fraction of a pair (10⁻⁹, beyond what is read
    // as whole), where HiGHS's feasibility tolerance keeps every match set
    // on the edge.
    edge.map_or((level, 0.0), |m| (m, top - m * hi as f64))
}

/// What a phase of the lexicographic solve maximises: a priority of the
/// scenario or, when re-planning (and as the tie-break of every what-if), how
/// many pairs of an earlier answer are kept. A goal already met is held as a
/// row of its own by the phases after it.
#[derive(Debug, Clone, Copy)]
pub enum Goal<'a> {
    Placements,
    Score,
    /// The fewest blocking pairs, maximised as their negated count: its
    /// terms are the blocking indicators of the stability rows, not pairs.
    Stable(&'a Stability),
    /// The number of these pairs kept.
    Keep(&'a [usize]),
}

impl Goal<'_> {
    /// The scenario's priority this goal is, if any.
    pub fn priority(self) -> Option<Priority> {
        match self {
            Goal::Placements => Some(Priority::Placements),
            Goal::Score => Some(Priority::Score),
            Goal::Stable(_) => Some(Priority::Stable),
            Goal::Keep(_) => None,
        }
    }

    /// The goal's coefficients on the pairs: (pair, coefficient), in pair
    /// order for the priorities, in the given order for a keep; none for
    /// stability, whose terms are its own variables.
    pub fn terms(self, e: &Eligibility) -> Vec<(usize, f64)> {
        match self {
            Goal::Placements => (0..e.pairs.len()).map(|i| (i, 1.0)).collect(),
            Goal::Score => e
                .pairs
                .iter()
                .enumerate()
                .map(|(i, pair)| (i, pair.score))
                .collect(),
            Goal::Stable(_) => Vec::new(),
            Goal::Keep(keep) => keep.iter().map(|&i| (i, 1.0)).collect(),
        }
    }

    /// The goal's value on the chosen pairs, recomputed from the pairs rather
    /// than read from a solver's floating-point objective.
    pub fn value(self, e: &Eligibility, chosen: &[usize]) -> f64 {
        match self {
            Goal::Placements => chosen.len() as f64,
            Goal::Score => chosen.iter().map(|&i| e.pairs[i].score).sum(),
            Goal::Stable(s) => -(s.blocking(e.pairs.len(), chosen).len() as f64),
            Goal::Keep(keep) => chosen.iter().filter(|i| keep.contains(i)).count() as f64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The group counts a minimum (`at_least`) or maximum share `level`
    /// allows with `n` placements, as the audit reads the share's row.
    fn allowed(level: f64, n: u64, at_least: bool) -> impl Iterator<Item = u64> {
        (0..=n).filter(move |&w| {
            let row = w as f64 - level * n as f64;
            match at_least {
                true => row >= -TOLERANCE,
                false => row <= TOLERANCE,
            }
        })
    }

    #[test]
    fn a_quarter_of_at_most_231_places_needs_58_at_231_and_57_at_228() {
        let (m, c) = top_facet(0.25, 0, 231, true);
        assert!((m - 1.0 / 3.0).abs() < 1e-12);
        // The line through (228, 57) and (231, 58).
        assert!((c - (58.0 - 231.0 / 3.0)).abs() < 1e-8);
        // The LP's 57.75 women of 231 break it; 58 keep it.
        assert!(57.75 - m * 231.0 < c);
        assert!(58.0 - m * 231.0 >= c);
    }

    #[test]
    fn a_scope_of_one_size_has_the_share_row_as_its_cut() {
        assert_eq!(top_facet(0.4, 7, 7, true), (0.4, 0.0));
        assert_eq!(top_facet(0.4, 9, 3, false), (0.4, 0.0));
    }

    proptest! {
        /// Every (placements, group) count the share allows keeps its cut,
        /// and the cut passes through the fewest (most) the share allows
        /// with the most placements: no match set is cut off, and the cut
        /// is as tight as a line through that point can be.
        #[test]
        fn a_share_cut_keeps_every_count_the_share_allows(
            percent in 1u32..100,
            lo in 0u64..40,
            span in 0u64..120,
            at_least in any::<bool>(),
        ) {
            let level = f64::from(percent) / 100.0;
            let hi = lo + span;
            let (m, c) = top_facet(level, lo, hi, at_least);
            for n in lo..=hi {
                for w in allowed(level, n, at_least) {
                    let row = w as f64 - m * n as f64;
                    match at_least {
                        true => prop_assert!(row >= c - 1e-9, "n {n} w {w}: {row} < {c}"),
                        false => prop_assert!(row <= c + 1e-9, "n {n} w {w}: {row} > {c}"),
                    }
                }
            }
            let edge = match at_least {
                true => allowed(level, hi, true).min(),
                false => allowed(level, hi, false).max(),
            };
            if let (Some(w), true) = (edge, hi > lo) {
                prop_assert!((w as f64 - m * hi as f64 - c).abs() < 1e-8);
            }
        }
    }
}
