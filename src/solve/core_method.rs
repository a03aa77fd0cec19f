//! Scenarios whose rules are not all a network: the linear program over every
//! eligible pair by column generation, started from the flow relaxation.
//!
//! At national size (10⁴ trainees, 5·10⁵ eligible pairs) with group shares and
//! employer caps across destinations, handing every pair to branch-and-bound
//! fails: HiGHS spends minutes in set-up before its first LP. But the rules
//! barely bite — the flow without them is nearly feasible — so almost every
//! pair is irrelevant, and LP duals can prove it:
//!
//! 1. **Placements.** The flow relaxation's maximum bounds the placements of
//!    every match set that keeps all rules, so a match set reaching it has the
//!    most (proof `flow_bound`). When the rules cost placements, the LP over
//!    every pair (below) bounds them instead; reached, that is `lp_bound`;
//!    else they are an integer phase of their own.
//! 2. **The score**, with placements held there, is an LP over a *core* of
//!    pairs (the flow's, and each trainee's best few). Its duals price every
//!    other pair; pairs whose reduced cost is positive join the core and the LP
//!    is solved again from its last basis, until none prices out. Then the LP
//!    is optimal over *all* pairs, and its value bounds the score. Rows a core
//!    cannot satisfy (the placements asked for, minimums, shares) get slacks
//!    at a large penalty, so pricing also finds the pairs that satisfy them; a
//!    slack left at the end means not even the LP can. When no pair prices
//!    out but the optimum breaks a share's cut (an inequality every match
//!    set keeps, [`hard_rules::Rows::with_cuts`]), the cut joins and pricing
//!    goes on: at national size the cuts took the LP from 0.11 above the
//!    integer optimum to a few thousandths, and the programs below shrank
//!    with that gap.
//! 3. An integral LP optimum is the integer optimum (proof `integral_lp`).
//!    Otherwise, with LP value z and reduced costs d, every match set x has
//!    value ≤ z + Σ d_j x_j (j at 0) + Σ d_j (x_j − 1) (j at 1): a pair whose
//!    |d_j| exceeds δ can only change in match sets worth less than z − δ. The
//!    integer program on the remaining pairs is small; when its optimum reaches
//!    z − δ it is the true optimum, else δ grows to what it found, or, when
//!    it found nothing, until the free pairs double (quadruple while they
//!    are few; proof `reduced_cost_fixing`). δ starts near 0, or, in a
//!    what-if, a little beyond the gap of the scenario it changes. Such
//!    programs hold only the rows a free pair is in (the pairs at 1 are
//!    constants in their bounds), skip HiGHS's presolve below 20,000 free
//!    pairs and run it without its optional rules above: here it cost more
//!    than it saved. Before branch-and-bound, each row's fixings of the
//!    0–1 columns (`solve::propagate`) are made; when they cut the LP's optimum
//!    off, the program's LP on them (from the LP's basis) often is
//!    integral, and then answers. Branch-and-bound then runs on the pairs
//!    they left free, those fixed at 1 folded into the rows' bounds like
//!    the pairs reduced-cost fixing holds at 1. Where reduced-cost fixing
//!    would leave many pairs free and a share's group count `W` is
//!    fractional, the LP is first split in two instead: at most ⌊W⌋ of the
//!    group in the share's scope, or at least ⌈W⌉ (every match set is in
//!    one), each part's LP going on from the model the LP before ended
//!    with, and settled the same way; the better part's answer is the
//!    optimum (proof `group_split`). The LP's gap at the generator's
//!    1,000 × 400 came from such counts, and its parts' LPs were integral.
//!    A what-if that only adds a lock, at the placements before, holds the
//!    counts every match set before holds there ([`GroupCounts`]: the
//!    fewest and most of each group its LP leaves fractional, by the LP
//!    over every pair, found once with the what-ifs' start where its gap
//!    is wide); they fix the count that gap came from, and most locks'
//!    LPs are then integral.
//!
//! It runs at every size (at pilot size it is three times faster than the
//! integer program on every pair). What it cannot take (another priority
//! order, a solver failure) gives up with a reason and the caller falls back
//! to that integer program; out of time, the caller returns the flow's answer
//! trimmed by [`repair`].

use std::cell::{Cell, RefCell};
use std::time::Instant;

use highs::{ColProblem, HighsModelStatus, Model, Row, Sense};

use crate::eligibility::Eligibility;
use crate::model::problem::Problem;
use crate::model::scenario::Priority;
pub use crate::solve::basis::LpStart;
use crate::solve::basis::{self, Basis, KeptStart};
use crate::solve::flow;
use crate::solve::hard_rules::{self, HardRule};
use crate::solve::outcome::{
    better_of, Keep, Outcome, Phase, PlacementsBefore, Proof, Solution, Status,
    SECOND_OPINION_UP_TO,
};
use crate::solve::propagate::{propagate, Domain};

/// How many placements above the bound before a what-if without the flow
/// tries by the LP, one at a time, before the placements' own LP: a unit
/// change rarely moves the placements by more than one or two.
const RUNGS: usize = 3;

/// Each trainee's best pairs (by score) in the first core, beside the flow's.
const FIRST_CORE_PER_TRAINEE: usize = 5;
/// At most this many priced-out pairs join the core per round, best first.
const ADD_PER_ROUND: usize = 20_000;
/// A reduced cost above this (in score units) prices a pair out; HiGHS's own
/// dual feasibility tolerance is 10⁻⁷. Below the smallest weight a place
/// has in the shortlists' first phase (10⁻⁵).
const PRICE_TOLERANCE: f64 = 1e-6;
const INTEGRALITY_TOLERANCE: f64 = 1e-9;
/// How far a row of pairs held at 1 may lie outside its bounds, relative:
/// HiGHS's primal feasibility tolerance is 10⁻⁷.
const ROW_TOLERANCE: f64 = 1e-7;
/// Integer programs on fewer pairs than this skip HiGHS's presolve (the
/// integer program on every pair, the shortlists'; the core method's own
/// programs skip it below [`CORE_PRESOLVE_FROM`]): it saves nothing there,
/// and it has lost feasible match sets on small models with a share's
/// fractional row. Reduced-cost fixing grows a program below it faster.
pub(crate) const PRESOLVE_FROM: usize = 5_000;
/// The core method's branch-and-bound programs run HiGHS's presolve only
/// from this many free pairs, and then without its optional rules
/// ([`OPTIONAL_PRESOLVE_RULES`]). Measured at national size (BENCHMARKS.md,
/// eighth round): on a program of 10k free pairs presolve took 0.8 of its
/// 0.95 s, and the program solves in 0.25 s without it; on one of 26k the
/// optional rules took 1 s of 1.8 s, while with no presolve at all
/// `explain --vacancy` was a third slower; on one seed's 19k, presolve took
/// 2.9 s of 4.7 (0.7 s without it).
const CORE_PRESOLVE_FROM: usize = 20_000;
/// HiGHS's `presolve_rule_off` mask of every presolve rule it allows off:
/// bits 6 (forcing rows) to 19 (the initial sweep) of HiGHS 1.15's
/// `PresolveRuleType`. What stays is removing empty, singleton, redundant
/// and fixed rows and columns, and dominated columns.
const OPTIONAL_PRESOLVE_RULES: i32 = ((1 << 20) - 1) & !((1 << 6) - 1);
/// The pairs reduced-cost fixing would leave free from which a score's LP
/// is split on a group count instead (see the module comment). At the generator's
/// 1,000 × 400 programs of about 1,000 free pairs took 10–13 ms, as much
/// as the six LPs of a split three deep; at seed 3 programs of 1,270 took
/// 35 ms, and splitting took its `solve --explain` from 20.5 to 8.0 s
/// (BENCHMARKS.md, twenty-ninth round).
pub const SPLIT_FROM_FREE: usize = 1_100;
/// The bounds a part of a split LP holds group counts to: (rule row,
/// lower, upper).
type SplitBounds = Vec<(usize, f64, f64)>;
/// How many times a score's LP is split on a group count, at most, along
/// one path ([`Cx::split`]): then its parts are fixed and branched on.
const SPLITS: usize = 3;
/// A scenario gap (its integer optimum below its LP, in score) from which a
/// what-if's LP is split on a group count: below it, reduced-cost fixing
/// leaves few pairs free, and two more LPs cost more than they save.
const SPLIT_FROM_GAP: f64 = 0.01;
/// How far from whole a group count must be to split on.
const SPLIT_TOLERANCE: f64 = 1e-6;
/// How far beyond its scenario's gap a what-if's first δ starts (see
/// [`Cx::fix_and_branch`]).
const GAP_MARGIN: f64 = 1.05;
/// A kept pair's worth after the score, in score: the flow's, unscaled.
const KEPT_BONUS: f64 = flow::KEPT_AFTER_SCORE as f64 / flow::SCALE;

/// Why the core method did not answer; the caller falls back.
#[derive(Debug, Clone, PartialEq)]
pub enum GaveUp {
    /// Only the orders (placements, score), with or without a keep goal,
    /// and (score) without one are supported.
    Priorities,
    /// The time limit passed before any match set was found.
    Time,
    /// A what-if solved without the flow ([`solve`]'s `relaxation`) whose
    /// placements neither the bound before nor a few LPs settled, in a
    /// scenario the flow bounded: the flow bounds them, at once, where the
    /// placements' LP took seconds at national size.
    NeedsFlow,
    Solver(String),
}

impl std::fmt::Display for GaveUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GaveUp::Priorities => write!(f, "the priorities are not (placements, score)"),
            GaveUp::Time => write!(f, "the time limit passed"),
            GaveUp::NeedsFlow => write!(f, "the placements need the flow's bound"),
            GaveUp::Solver(s) => write!(f, "{s}"),
        }
    }
}

/// Solve `model` within the time left before `deadline`; `None` when none
/// is. `spent`: the seconds this model's earlier runs took (0 for a new
/// model), added to its time limit, since HiGHS 1.x counts every run of one
/// model against that limit (ERGO-Code/HiGHS#1477): a model re-solved from
/// its basis would otherwise stop that much before the deadline.
pub(crate) fn run_within(
    mut model: Model,
    deadline: Option<Instant>,
    spent: &mut f64,
) -> Result<Option<highs::SolvedModel>, GaveUp> {
    if let Some(limit) = crate::solve::outcome::seconds_left(deadline) {
        if limit <= 0.0 {
            return Ok(None);
        }
        model.set_option("time_limit", *spent + limit);
    }
    let started = Instant::now();
    let solved = model
        .try_solve()
        .map_err(|s| GaveUp::Solver(format!("HiGHS could not run: {s:?}")))?;
    *spent += started.elapsed().as_secs_f64();
    Ok(Some(solved))
}

/// The hard rules' rows ([`hard_rules::Rows`]) on the raw HiGHS API, made
/// once per model; a pair's column is its entries in them. A lock is a
/// column bound here (the locked pair's lower bound is 1), not a row. Rows
/// are numbered in the order they are made (HiGHS's own numbering), so row
/// duals are read by those numbers.
struct HighsRows<'a> {
    /// The scenario's rows, made once per solve ([`Cx::rules`]).
    rules: &'a hard_rules::Rows,
    /// Each row in the model ([`HighsRows::add`]); empty in a layout.
    handles: Vec<Row>,
    /// Each rule row's HiGHS row (`None`: a lock).
    at: Vec<Option<usize>>,
    /// The rows holding earlier goals at their values (the placements asked
    /// for, a score, kept pairs): each row's number and what it counts.
    floors: Vec<(usize, Objective)>,
    /// The slack each row that a core might not satisfy gets: (row, its
    /// coefficient): +1 on a lower bound (the core may lack the pairs to
    /// reach it), −1 on an upper bound a lock can break.
    slacks: Vec<(usize, f64)>,
    /// Each row's bounds (infinite where it has none).
    bounds: Vec<(f64, f64)>,
}

/// A branch-and-bound program's rows ([`HighsRows::of_program`]): in the
/// model, each layout row's row there (`None`: no free pair is in it), and
/// its bounds there (infinite where it is not in the model).
struct Program {
    pb: ColProblem,
    rows: Vec<Option<Row>>,
    bounds: Vec<(f64, f64)>,
}

/// How the core method's model holds a rule.
enum Held {
    /// A row a core always satisfies (a trainee once; locks are one per
    /// trainee and within positions).
    Row,
    /// A row with slacks at a penalty, so that pricing brings in the pairs
    /// that satisfy it.
    RowWithSlack,
    /// The locked pair's lower bound.
    ColumnBound,
}

fn held(rule: HardRule) -> Held {
    match rule {
        HardRule::OnePlacement(_) | HardRule::Positions(_) => Held::Row,
        HardRule::DestinationMin(_)
        | HardRule::DestinationMax(_)
        | HardRule::GroupShare(_)
        | HardRule::EmployerCap(_) => Held::RowWithSlack,
        HardRule::Lock(_) => Held::ColumnBound,
    }
}

impl<'a> HighsRows<'a> {
    /// The rows of `p`'s rules and of `floors`, in a model: [`Self::layout`]
    /// with each row added to `pb`.
    fn add(pb: &mut ColProblem, cx: &Cx<'a>, floors: &[(Objective, f64)]) -> Self {
        let mut rows = Self::layout(cx, floors);
        rows.handles = (rows.bounds.iter())
            .map(|&(lower, upper)| pb.add_row(lower..=upper))
            .collect();
        rows
    }

    /// The rows, numbered and bounded, in no model yet (`handles` empty): a
    /// branch-and-bound program takes the few it needs ([`Self::of_program`]).
    /// Every cut is a row, held or not, so that every model of a solve has
    /// the same rows (a basis fits them all); one not held yet
    /// ([`Cx::cuts`]) has no bounds.
    fn layout(cx: &Cx<'a>, floors: &[(Objective, f64)]) -> Self {
        let rules = cx.rules;
        let mut slacks = Vec::new();
        let mut bounds = Vec::new();
        let mut at = Vec::with_capacity(rules.rows.len());
        let mut in_force = vec![true; rules.rows.len()];
        for (r, cut) in rules.cut_rows().zip(cx.cuts) {
            in_force[r] = cut.get();
        }
        for (r, (row, in_force)) in rules.rows.iter().zip(in_force).enumerate() {
            let bounded = |b: Option<hard_rules::Bound>| b.filter(|_| in_force).map(|b| b.value);
            let (lower, upper) = match cx.group_bounds(r) {
                Some(&(_, lower, upper)) => (Some(lower), Some(upper)),
                None => (bounded(row.lower), bounded(row.upper)),
            };
            let Some(rule) = row.lower.or(row.upper).map(|b| b.rule) else {
                at.push(None);
                continue;
            };
            let how = held(rule);
            if matches!(how, Held::ColumnBound) {
                at.push(None);
                continue;
            }
            bounds.push((
                lower.unwrap_or(f64::NEG_INFINITY),
                upper.unwrap_or(f64::INFINITY),
            ));
            let r = bounds.len() - 1;
            at.push(Some(r));
            if matches!(how, Held::RowWithSlack) {
                if row.lower.is_some() {
                    slacks.push((r, 1.0));
                }
                if row.upper.is_some() {
                    slacks.push((r, -1.0));
                }
            }
        }
        let floors = floors
            .iter()
            .map(|&(objective, value)| {
                bounds.push((value, f64::INFINITY));
                slacks.push((bounds.len() - 1, 1.0));
                (bounds.len() - 1, objective)
            })
            .collect();
        HighsRows {
            rules,
            handles: Vec::new(),
            at,
            floors,
            slacks,
            bounds,
        }
    }

    /// The rows of a branch-and-bound program on `free` pairs with `ones`
    /// held at 1: only the rows a free pair is in, their bounds less what
    /// the ones put in them; each row's number there, or `None`. Without
    /// presolve, HiGHS would otherwise separate cuts, and compute its
    /// analytic centre, on all 20k rows of a national scenario for 3k that
    /// matter. `None` when a row no free pair is in is broken by the ones.
    fn of_program(&self, cx: &Cx, free: &[usize], ones: &[usize]) -> Option<Program> {
        let n = self.bounds.len();
        let mut held = vec![0.0; n];
        for &i in ones {
            self.entries(cx, i, |r, a| held[r] += a);
        }
        let mut touched = vec![false; n];
        for &i in free {
            self.entries(cx, i, |r, _| touched[r] = true);
        }
        let mut pb = ColProblem::default();
        let mut rows = vec![None; n];
        let mut bounds = vec![(f64::NEG_INFINITY, f64::INFINITY); n];
        for (r, &(lower, upper)) in self.bounds.iter().enumerate() {
            // A cut not held yet bounds nothing.
            let bounded = lower.is_finite() || upper.is_finite();
            if touched[r] && bounded {
                bounds[r] = (lower - held[r], upper - held[r]);
                rows[r] = Some(pb.add_row(bounds[r].0..=bounds[r].1));
            } else if held[r] < lower - ROW_TOLERANCE * lower.abs().max(1.0)
                || held[r] > upper + ROW_TOLERANCE * upper.abs().max(1.0)
            {
                return None;
            }
        }
        Some(Program { pb, rows, bounds })
    }

    /// Pair `i`'s column: `each(row number, coefficient)` for every row it is
    /// in. A callback, not a list: pricing runs it for every pair each round.
    fn entries(&self, cx: &Cx, i: usize, mut each: impl FnMut(usize, f64)) {
        let pair = &cx.e.pairs[i];
        self.rules.entries(cx.p, pair.t, pair.v, |r, a| {
            if let Some(r) = self.at[r] {
                each(r, a);
            }
        });
        self.floor_entries(cx, i, each);
    }

    /// Pair `i`'s entries in the rows holding earlier goals, after its
    /// rules' rows.
    fn floor_entries(&self, cx: &Cx, i: usize, mut each: impl FnMut(usize, f64)) {
        for &(r, objective) in &self.floors {
            let a = cx.cost(objective, i);
            if a != 0.0 {
                each(r, a);
            }
        }
    }

    /// The column of pair `i` for HiGHS.
    fn column(&self, cx: &Cx, i: usize) -> Vec<(Row, f64)> {
        let mut out = Vec::with_capacity(6);
        self.entries(cx, i, |r, a| out.push((self.handles[r], a)));
        out
    }

    /// What pair `i`'s column costs at row duals `y`: its reduced cost is
    /// its objective coefficient minus this (positive: it would raise the
    /// LP's value).
    fn priced(&self, cx: &Cx, i: usize, y: &[f64]) -> f64 {
        let mut sum = 0.0;
        self.entries(cx, i, |r, a| sum += a * y[r]);
        sum
    }

    /// [`HighsRows::priced`] for every pair, to the same bits, with the
    /// rules' rows read once per vacancy ([`hard_rules::Rows::pricing`]).
    fn priced_all(&self, cx: &Cx, y: &[f64]) -> Vec<f64> {
        let pricing = self.rules.pricing(cx.p, |r| self.at[r].map(|r| y[r]));
        (cx.e.pairs.iter().enumerate())
            .map(|(i, pair)| {
                let mut sum = self.rules.price(&pricing, pair.t, pair.v);
                self.floor_entries(cx, i, |r, a| sum += a * y[r]);
                sum
            })
            .collect()
    }
}

/// Solve `p` (whose flow relaxation broke a rule) by the core method; see the
/// module comment. `relaxation` is the flow relaxation's optimum, a seed and
/// by its size a placements bound; `None` for a what-if that starts from the
/// LP before (`before.lp`) without solving the flow, whose placements LPs
/// bound (or, for a restriction, the bound before). With `keep`, keeping the
/// earlier pairs is a phase of its own right after the placements (a
/// re-plan: the score's phase then
/// holds it by a row, as the integer program does), or a bonus that breaks
/// the score's ties (a what-if: `keeping_after_score`).
pub fn solve(
    p: &Problem,
    e: &Eligibility,
    relaxation: Option<&[usize]>,
    keep: Option<Keep>,
    before: Before,
    deadline: Option<Instant>,
    tuning: Tuning,
) -> Result<Outcome, GaveUp> {
    let started = Instant::now();
    let keep_pairs = keep.map_or(&[][..], |k| k.pairs);
    let made = Made::new(p, e, keep_pairs, before.lp);
    let cx = Cx {
        before: before.placements,
        lp_from: before.lp,
        mip_gap: tuning.mip_gap,
        split_from: tuning.split_from,
        ..Cx::new(p, e, keep_pairs, &made, deadline)
    };
    let mut phases = Vec::new();
    let found = match (p.priorities.as_slice(), keep) {
        ([Priority::Placements, Priority::Score], _) => {
            let before_score = keep.is_some_and(|k| k.before_score);
            let first = match keep {
                Some(_) if before_score => Objective::Kept,
                Some(_) => Objective::ScoreKept,
                None => Objective::Score,
            };
            let step = match first {
                Objective::ScoreKept => keeping_after_score(&cx, relaxation)?,
                _ => placements_then(&cx, relaxation, first)?,
            };
            let (placements, answer) = match step {
                Step::Done {
                    placements,
                    proof,
                    answer,
                } => {
                    phases.push(Phase {
                        priority: Priority::Placements,
                        value: placements as f64,
                        bound: placements as f64,
                        status: Status::Optimal,
                        seconds: started.elapsed().as_secs_f64(),
                        proof,
                    });
                    (placements, answer)
                }
                Step::Stop(outcome) => return Ok(outcome),
            };
            match keep {
                Some(_) if before_score => match cx.after_keep(placements, answer)? {
                    Ok(answer) => answer,
                    Err(chosen) => return Ok(unproven(chosen, phases)),
                },
                // The score is reported without the kept pairs' bonus.
                Some(_) => Answer {
                    value: cx.value(Objective::Score, &answer.chosen),
                    bound: cx
                        .value(Objective::Score, &answer.chosen)
                        .max(answer.bound - KEPT_BONUS * cx.keep.len() as f64),
                    ..answer
                },
                None => answer,
            }
        }
        ([Priority::Score], None) => {
            match cx.phase(Objective::Score, &[], relaxation.unwrap_or_default(), false)? {
                Found::Solved(score) => score,
                _ => return Ok(Outcome::Infeasible),
            }
        }
        _ => return Err(GaveUp::Priorities),
    };
    let mut outcome = found.into_outcome(Priority::Score, phases);
    if let Outcome::Solved(solution) = &mut outcome {
        solution.start = made.score_lp.take();
    }
    Ok(outcome)
}

/// How a solve proves its optimum.
#[derive(Debug, Clone, Copy)]
pub struct Tuning {
    /// The relative gap accepted as optimal (0: proven).
    pub mip_gap: f64,
    /// The free pairs from which a score's LP is split ([`SPLIT_FROM_FREE`]).
    pub split_from: usize,
}

/// Proven optimal, split from [`SPLIT_FROM_FREE`] free pairs.
impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            mip_gap: 0.0,
            split_from: SPLIT_FROM_FREE,
        }
    }
}

/// What the scenario a what-if changes ended with, for its solve to start
/// from. Believed, as [`crate::solve::optimize::SolveOptions`] says.
#[derive(Debug, Clone, Copy, Default)]
pub struct Before<'a> {
    /// Its placements, and how they were proven.
    pub placements: Option<PlacementsBefore>,
    /// The LP of its score with its own match set kept ([`what_if_start`]).
    pub lp: Option<&'a LpStart>,
}

/// What a solve makes of its scenario once, for every phase to borrow
/// ([`Cx`]).
struct Made {
    locked: Vec<usize>,
    kept: Vec<bool>,
    /// The rules' rows and their cuts ([`hard_rules::Rows::with_cuts`]).
    rules: hard_rules::Rows,
    /// Which cuts the LPs hold so far ([`Cx::cuts`]).
    cuts: Vec<Cell<bool>>,
    /// The last score LP a solve from nothing found ([`Cx::score_lp`]).
    score_lp: RefCell<Option<KeptStart>>,
}

impl Made {
    /// `from`: the LP a what-if's LPs start from, whose cuts they hold.
    fn new(p: &Problem, e: &Eligibility, keep: &[usize], from: Option<&LpStart>) -> Self {
        let rules = hard_rules::Rows::with_cuts(p);
        let count = rules.cut_rows().len();
        let cuts = match from {
            Some(from) if from.cuts.len() == count => {
                from.cuts.iter().map(|&c| Cell::new(c)).collect()
            }
            _ => vec![Cell::new(false); count],
        };
        Made {
            locked: locked_pairs(p, e),
            kept: kept_mask(e, keep),
            rules,
            cuts,
            score_lp: RefCell::new(None),
        }
    }
}

/// Pair by pair, whether it is one of `keep`: the keep goal's cost is asked
/// of every pair each time the LP is priced, where a binary search in `keep`
/// was 2.5% of the generator's 1,000 × 400 `solve --explain`.
fn kept_mask(e: &Eligibility, keep: &[usize]) -> Vec<bool> {
    let mut kept = vec![false; if keep.is_empty() { 0 } else { e.pairs.len() }];
    for &i in keep {
        if let Some(k) = kept.get_mut(i) {
            *k = true;
        }
    }
    kept
}

fn locked_pairs(p: &Problem, e: &Eligibility) -> Vec<usize> {
    p.locks
        .iter()
        .filter_map(|l| e.pair_index(l.trainee, l.vacancy))
        .collect()
}

/// The LP every what-if of `p` starts from: the score's, with `most`
/// placements held and `chosen` (the optimal match set, sorted) as the pairs
/// to keep — the very LP a what-if solves, before its change. With
/// `lp_bound` (the LP over every pair bounded the placements at `most`, short
/// of the flow relaxation's count), the duals of that LP too
/// (`placements_duals`). `None` when it cannot be had by `deadline` (the
/// what-ifs then start from slacks). `from`: a start kept from an earlier
/// process ([`LpStart::from_kept`]), whose core and basis this LP's column
/// generation starts from.
pub fn what_if_start(
    p: &Problem,
    e: &Eligibility,
    chosen: &[usize],
    most: usize,
    lp_bound: bool,
    deadline: Option<Instant>,
    from: Option<&LpStart>,
) -> Option<LpStart> {
    let made = Made::new(p, e, chosen, from);
    let cx = Cx {
        lp_from: from,
        ..Cx::new(p, e, chosen, &made, deadline)
    };
    let held = [(Objective::Placements, most as f64)];
    let Ok(Priced::Optimal(Lp {
        z,
        mut core,
        basis: Some(mut basis),
        d,
        y,
        x,
        ..
    })) = cx.priced_lp(Objective::ScoreKept, &held, chosen)
    else {
        return None;
    };
    let score = Some(rule_duals(&cx, &held, &y));
    let gap = (z - cx.value(Objective::ScoreKept, chosen)).max(0.0);
    // The counts its gap comes from, where it is wide: at the generator's
    // 1,000 × 400 the others' bounds changed no what-if's answer, and
    // found them all made a single question there a sixth slower
    // (BENCHMARKS.md, thirtieth round).
    let fractional: Vec<usize> = match gap > GROUP_COUNTS_FROM_GAP {
        true => (cx.fractional_groups(&core, &x).into_iter())
            .map(|(r, _)| r)
            .collect(),
        false => Vec::new(),
    };
    let joined = join_near_pairs(&mut core, &mut basis, &d, fixing_margin(z, gap));
    tracing::info!(
        target: "palim::progress",
        "what-ifs' LP: {joined} pairs within the fixing margin join its core"
    );
    let mut start = LpStart {
        core,
        basis,
        gap,
        cuts: made.cuts.iter().map(Cell::get).collect(),
        placements: match lp_bound {
            true => placements_duals(p, e, chosen, deadline),
            false => None,
        },
        score,
        groups: None,
    };
    if !fractional.is_empty() {
        let cx = Cx {
            lp_from: Some(&start),
            ..cx
        };
        start.groups = group_counts(&cx, most, chosen, &fractional);
    }
    Some(start)
}

/// The fewest and the most of a share's group that a match set with
/// `placements` placements holds in the share's scope (for each share whose
/// count the score's LP leaves fractional), by the LP over every
/// pair with those placements held, rounded inward (a count is whole).
/// Every match set of a what-if that adds a lock, at as many placements, is
/// one of its scenario's, so it holds them too (`Cx::groups_held`); the
/// LP alone does not, where it places, say, 18 in a scope with 4.67 women
/// when 18 placements there need 5 (BENCHMARKS.md, thirtieth round).
#[derive(Debug, Clone)]
pub struct GroupCounts {
    placements: usize,
    /// (share, fewest, most).
    counts: Vec<(usize, f64, f64)>,
}

impl GroupCounts {
    /// The placements they hold at.
    pub fn placements(&self) -> usize {
        self.placements
    }

    /// For each share: (share, fewest, most).
    pub fn counts(&self) -> &[(usize, f64, f64)] {
        &self.counts
    }
}

/// The gap of a scenario's score LP above which [`what_if_start`] finds its
/// [`GroupCounts`]: at `large` (a gap of 0.005) their ten LPs took 5 s and
/// bounded nothing; at the generator's 1,000 × 400 (gaps of 0.1 to 0.3)
/// they take 30–90 ms and fix a count or two.
const GROUP_COUNTS_FROM_GAP: f64 = 0.01;

/// HiGHS's `simplex_strategy` for its primal simplex.
const PRIMAL_SIMPLEX: i32 = 4;

/// How far `w` lies from the nearest whole number.
fn fraction(w: f64) -> f64 {
    (w - w.floor()).min(w.ceil() - w)
}

/// How far an LP's group count may lie beyond a whole number and still
/// round to it ([`GroupCounts`]): above HiGHS's tolerances, below any
/// fraction a pair can make.
const GROUP_TOLERANCE: f64 = 1e-6;

/// [`GroupCounts`] of `cx`'s scenario at `placements` for the shares of the
/// group count `rows`, two LPs a share from `cx`'s LP before; `seed`, a
/// match set with that many. `None` when an LP is not solved (out of time).
fn group_counts(cx: &Cx, placements: usize, seed: &[usize], rows: &[usize]) -> Option<GroupCounts> {
    let held = [(Objective::Placements, placements as f64)];
    let mut counts = Vec::with_capacity(rows.len());
    for &(_, share) in (cx.rules.group_rows().iter()).filter(|(r, _)| rows.contains(r)) {
        let mut ends = [0.0; 2];
        for (end, most) in ends.iter_mut().zip([false, true]) {
            let objective = Objective::Group { share, most };
            let Ok(Priced::Optimal(lp)) = cx.priced_lp(objective, &held, seed) else {
                return None;
            };
            *end = if most { lp.z } else { -lp.z };
        }
        let fewest = (ends[0] - GROUP_TOLERANCE).ceil().max(0.0);
        let most = (ends[1] + GROUP_TOLERANCE).floor();
        counts.push((share, fewest, most));
    }
    tracing::info!(
        target: "palim::progress",
        "group counts at {placements} placements: {counts:?}"
    );
    Some(GroupCounts { placements, counts })
}

impl LpStart {
    /// The group counts found at this start's placements, if any.
    pub fn group_counts(&self) -> Option<&GroupCounts> {
        self.groups.as_ref()
    }

    /// An upper bound on the placements of `q` (pairs `eq`), a changed copy
    /// of this start's scenario, by the duals of its placements' LP
    /// ([`hard_rules::Rows::placements_bound`]); `None` without them, or
    /// when `q`'s rules are others.
    pub fn placements_bound(&self, q: &Problem, eq: &Eligibility) -> Option<f64> {
        let duals = self.placements.as_ref()?;
        hard_rules::Rows::with_cuts(q).placements_bound(q, eq, &locked_pairs(q, eq), duals)
    }

    /// Whether `keep`, the optimum of `p` this start was made from (as
    /// pairs of `eq`), is the optimum of `q` too, by the duals of the LPs
    /// before alone: `q` is `p` with data changed that touches only the
    /// pairs `touched` of `eq` (its trainees' and vacancies'), none of
    /// them kept. A trainee's nearest fix that still leaves them out is
    /// the common case: on the generator's 1,000 × 400 this proves 298 of
    /// its 396 data what-ifs at seed 1 and 205 of 407 at seed 3, each a
    /// full solve before (BENCHMARKS.md, eighteenth round).
    ///
    /// Every match set of `q` that leaves the touched pairs out is one of
    /// `p`'s, so none is better than `keep`, and none keeps as much of it.
    /// One with a touched pair at 1 is worth at most the weak-duality bound
    /// ([`hard_rules::WeakDuality::bound_touching`]) at the duals before:
    /// of the placements' LP for its placements, of the score's LP (which
    /// held the placements at their optimum) for its score and kept pairs.
    /// When the first is below one placement more and the second below
    /// `keep`'s worth, no optimum of `q` has a touched pair: `keep` is it.
    pub fn proves_unchanged(
        &self,
        p: &Problem,
        q: &Problem,
        eq: &Eligibility,
        keep: &[usize],
        touched: &[usize],
    ) -> bool {
        let (Some(placements), Some(score)) = (&self.placements, &self.score) else {
            return false;
        };
        let mut kept = vec![false; eq.pairs.len()];
        for &i in keep {
            kept[i] = true;
        }
        let lexicographic = [Priority::Placements, Priority::Score];
        if p.priorities != lexicographic
            || q.priorities != lexicographic
            || touched.iter().any(|&i| kept[i])
            || hard_rules::Rows::new(p).rows != hard_rules::Rows::new(q).rows
        {
            return false;
        }
        let rows = hard_rules::Rows::with_cuts(q);
        let locked = locked_pairs(q, eq);
        let most = keep.len() as f64;
        let more = (rows.weak_duality(q, eq, placements, |_| 1.0))
            .and_then(|w| w.bound_touching(&locked, touched));
        if more.is_none_or(|more| more >= most + 1.0 - PROOF_MARGIN) {
            return false;
        }
        let cost = |i: usize| eq.pairs[i].score + if kept[i] { KEPT_BONUS } else { 0.0 };
        let worth: f64 = keep.iter().map(|&i| cost(i)).sum();
        let best = (rows.weak_duality(q, eq, score, cost))
            .and_then(|w| w.bound_touching(&locked, touched));
        best.is_some_and(|best| best < worth - PROOF_MARGIN * worth.abs().max(1.0))
    }
}

/// How far below the value it must beat a weak-duality bound must lie to
/// prove it (relative to that value, and at least absolute): room for the
/// rounding of a sum over every pair and row, far below a kept pair's worth.
const PROOF_MARGIN: f64 = 1e-9;

/// The row duals of the placements' LP over every pair, rule row by rule
/// row: a what-if that loosens a rule is then often proven no better in
/// placements by weak duality ([`hard_rules::Rows::placements_bound`])
/// where an LP did it (a quarter of the generator's 1,000 × 400 `solve
/// --explain` LPs). The LP has cuts and contexts of its own.
fn placements_duals(
    p: &Problem,
    e: &Eligibility,
    chosen: &[usize],
    deadline: Option<Instant>,
) -> Option<hard_rules::Duals> {
    let made = Made::new(p, e, &[], None);
    let cx = Cx::new(p, e, &[], &made, deadline);
    let Ok(Priced::Optimal(lp)) = cx.priced_lp(Objective::Placements, &[], chosen) else {
        return None;
    };
    Some(rule_duals(&cx, &[], &lp.y))
}

/// An LP's row duals `y` (row by row of its model, with `floors`' rows),
/// rule row by rule row for [`hard_rules::Rows::weak_duality`]: 0 for a
/// rule the model holds as a column bound, and a placements floor's dual
/// with its value.
fn rule_duals(cx: &Cx, floors: &[(Objective, f64)], y: &[f64]) -> hard_rules::Duals {
    let layout = HighsRows::layout(cx, floors);
    let rules = (layout.at.iter())
        .map(|r| r.map_or(0.0, |r| y[r]))
        .collect();
    let duals = cx.rules.duals(rules);
    let floor = (layout.floors.iter().zip(floors))
        .find(|((_, objective), _)| matches!(objective, Objective::Placements));
    match floor {
        Some(((r, _), &(_, value))) => duals.with_floor(y[*r], value),
        None => duals,
    }
}

/// [`near_pairs`] joined to `core` and its `basis`, nonbasic at 0: with a
/// reduced cost of at most 0 there the basis stays optimal. How many joined.
fn join_near_pairs(core: &mut Vec<usize>, basis: &mut Basis, d: &[f64], margin: f64) -> usize {
    let near = near_pairs(core, d, margin);
    (basis.cols).extend(std::iter::repeat_n(basis::AT_LOWER, near.len()));
    core.extend(&near);
    near.len()
}

/// The pairs outside `core` whose reduced cost `d` lies within `margin` of
/// 0, in pair order. A what-if's change moves the duals a little, and at
/// national size its LP then priced one or two such pairs in: a second
/// round of pricing and simplex (a third of a what-if's LP time). In the
/// core the what-ifs start from, they cost nothing while they stay at 0:
/// 127 of 506k pairs at `large`, 9 of 2,361 at the generator's
/// 1,000 × 400 (BENCHMARKS.md, seventeenth round).
fn near_pairs(core: &[usize], d: &[f64], margin: f64) -> Vec<usize> {
    let mut in_core = vec![false; d.len()];
    for &k in core {
        in_core[k] = true;
    }
    (0..d.len())
        .filter(|&k| !in_core[k] && d[k] >= -margin)
        .collect()
}

/// How far from 0 a reduced cost may lie for its pair to join the
/// program after an LP of value `z` over the score, whose scenario's
/// integer optimum lay `gap` below its LP (see [`Cx::fix_and_branch`]).
fn fixing_margin(z: f64, gap: f64) -> f64 {
    (1e-6 * z.abs().max(1.0)).max(GAP_MARGIN * gap)
}

/// Branch-and-bound nodes the score with kept pairs as its tie-break may
/// take before the score alone is solved instead. Nodes, not seconds: which
/// of the two answers is given must not depend on the machine's speed
/// (same input, same bytes).
const KEEPING_NODES: i32 = 500;

/// Placements, then the score with kept pairs breaking its ties
/// ([`Objective::ScoreKept`]). Near-ties the bonus tells apart can make
/// branch-and-bound long at national size (minutes, where the score alone
/// takes seconds), so it gets [`KEEPING_NODES`]; past that, the score alone,
/// proven, with the ties broken as the solver finds them: every priority is
/// as optimal, only more of the earlier answer may move.
fn keeping_after_score(cx: &Cx, relaxation: Option<&[usize]>) -> Result<Step, GaveUp> {
    let within = Cx {
        max_nodes: Some(KEEPING_NODES),
        ..*cx
    };
    match placements_then(&within, relaxation, Objective::ScoreKept) {
        Ok(Step::Done {
            placements,
            proof,
            answer,
        }) if answer.status == Status::Optimal => {
            return Ok(Step::Done {
                placements,
                proof,
                answer,
            })
        }
        Ok(Step::Stop(Outcome::Infeasible)) => return Ok(Step::Stop(Outcome::Infeasible)),
        Err(GaveUp::Time) | Ok(_) => {}
        Err(other) => return Err(other),
    }
    tracing::info!(
        target: "palim::progress",
        "the earlier answer's pairs as the score's tie-break took over {KEEPING_NODES} nodes: the score alone"
    );
    placements_then(cx, relaxation, Objective::Score)
}

/// A keep phase that ran out of time: its best answer, unproven, with the
/// phases proven before it.
fn unproven(mut chosen: Vec<usize>, phases: Vec<Phase>) -> Outcome {
    chosen.sort_unstable();
    Outcome::Solved(Solution {
        chosen,
        status: Status::TimeLimit,
        gap: None,
        phases,
        start: None,
    })
}

/// Where the placements phase leaves the solve.
enum Step {
    /// The most placements, how that is proven, and the best of the next
    /// goal with them.
    Done {
        placements: usize,
        proof: Proof,
        answer: Answer,
    },
    /// An answer already (infeasible, or out of time in the placements).
    Stop(Outcome),
}

/// Placements, then `next` (the score, or the kept pairs) holding them: the
/// cheapest proof first.
fn placements_then(cx: &Cx, relaxation: Option<&[usize]>, next: Objective) -> Result<Step, GaveUp> {
    let held = |n: usize| [(Objective::Placements, n as f64)];
    let seed = relaxation.unwrap_or_default();
    let most = relaxation.map(<[usize]>::len);
    // A scenario whose placements the LP bounded, or a what-if that did not
    // solve the flow: a restriction keeps the bound before. A change that
    // widens it (a data what-if, one more place) is bounded by the fewest
    // placements above that the LP does not reach, one placement more at a
    // time ([`RUNGS`] at most without the flow, one beside it). The bound is
    // reached when the next goal keeps it. These LPs start from the basis
    // before the change, where the placements' own LP would start from
    // nothing (half of a data what-if at 1,000 × 400; 7 s at national size,
    // where one more place gave one more placement).
    let bounded_before = |b: &PlacementsBefore| match most {
        Some(most) => b.lp_bound && b.most < most,
        None => true,
    };
    if let Some(b) = cx.before.filter(bounded_before) {
        let rungs = if most.is_some() { 1 } else { RUNGS };
        // The bound, and the LP holding it when a rung solved it already.
        let mut top = b.restricts.then_some((b.most, None));
        let mut below = None;
        for k in b.most + 1..=b.most + rungs {
            if top.is_some() {
                break;
            }
            let started = Instant::now();
            match cx.proven_short(k) {
                true => top = Some((k - 1, below.take())),
                false => match cx.priced_lp(next, &held(k), seed)? {
                    Priced::Optimal(lp) => below = Some((lp, started)),
                    Priced::Settled(_) => top = Some((k - 1, below.take())),
                    // Either LP is that at one placement fewer.
                    Priced::OneShort(lp) => {
                        top = Some((k - 1, below.take().or(Some((lp, started)))))
                    }
                },
            }
        }
        if let Some((top, lp)) = top {
            let groups = cx.groups_held(&b, top);
            let cx = &Cx {
                groups: &groups,
                ..*cx
            };
            let found = match lp {
                Some((lp, started)) => cx.settle(next, &held(top), lp, false, started)?,
                None => cx.phase(next, &held(top), seed, false)?,
            };
            if let Found::Solved(answer) = found {
                return Ok(Step::Done {
                    placements: top,
                    // A restriction of a scenario the flow bounded: that bound.
                    proof: match b.restricts && !b.lp_bound {
                        true => Proof::FlowBound,
                        false => Proof::LpBound,
                    },
                    answer,
                });
            }
        }
    }
    if most.is_none() && !cx.before.is_some_and(|b| b.lp_bound) {
        return Err(GaveUp::NeedsFlow);
    }
    // Usually the rules outside the network cost no placements: the flow's
    // count at once, proven by the flow's bound. Not when they cost some in
    // the scenario before: a unit change is unlikely to give them back.
    if let Some(most) = most.filter(|_| !cx.before.is_some_and(|b| b.lp_bound)) {
        match cx.phase(next, &held(most), seed, false)? {
            Found::Solved(answer) => {
                return Ok(Step::Done {
                    placements: most,
                    proof: Proof::FlowBound,
                    answer,
                })
            }
            Found::Infeasible => return Ok(Step::Stop(Outcome::Infeasible)),
            Found::Short | Found::Fractional { .. } => {}
        }
    }
    // They do. The LP over every pair bounds the placements; when the next
    // phase reaches that bound, it is proven without solving them as integers.
    let bound = match cx.phase(Objective::Placements, &[], seed, true)? {
        Found::Fractional { bound } => (bound + 1e-6).floor() as usize,
        Found::Solved(count) => count.chosen.len(),
        Found::Infeasible | Found::Short => return Ok(Step::Stop(Outcome::Infeasible)),
    };
    if let Found::Solved(answer) = cx.phase(next, &held(bound), seed, false)? {
        return Ok(Step::Done {
            placements: bound,
            proof: Proof::LpBound,
            answer,
        });
    }
    // The integers fall short of the LP: the placements are a phase of their own.
    let count = match cx.phase(Objective::Placements, &[], seed, false)? {
        Found::Solved(count) => count,
        _ => return Ok(Step::Stop(Outcome::Infeasible)),
    };
    if count.status != Status::Optimal {
        return Ok(Step::Stop(
            count.into_outcome(Priority::Placements, Vec::new()),
        ));
    }
    let most = count.chosen.len();
    match cx.phase(next, &held(most), &count.chosen, false)? {
        Found::Solved(answer) => Ok(Step::Done {
            placements: most,
            proof: count.proof,
            answer,
        }),
        // The placements phase found `most` as integers; the next phase keeps them.
        _ => Err(GaveUp::Solver(
            "the phase after the placements lost the placements found".into(),
        )),
    }
}

/// What a phase optimises (or a row holds at an earlier phase's value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Objective {
    Placements,
    Score,
    /// Pairs of an earlier answer kept.
    Kept,
    /// The score, and a kept pair worth what it is worth in the flow
    /// ([`flow::KEPT_AFTER_SCORE`] units: more than rounding, less than any
    /// real score difference), so that keeping breaks the score's ties.
    ScoreKept,
    /// A share's group count in its scope, the most (or, negated, the
    /// fewest): the LP's bounds on it hold for every match set
    /// ([`GroupCounts`]).
    Group {
        share: usize,
        most: bool,
    },
}

/// What one phase found.
enum Found {
    Solved(Answer),
    /// The required placements cannot be reached.
    Short,
    /// Only the LP was asked for, and its optimum is fractional.
    Fractional {
        bound: f64,
    },
    Infeasible,
}

/// The LP over every pair at its optimum: its value, the core's values (in
/// core order), every pair's reduced cost, and the core.
pub(crate) struct Lp {
    pub(crate) z: f64,
    pub(crate) x: Vec<f64>,
    pub(crate) d: Vec<f64>,
    pub(crate) core: Vec<usize>,
    /// The optimal basis, when HiGHS gives one.
    pub(crate) basis: Option<Basis>,
    /// The row duals, row by row of the model.
    pub(crate) y: Vec<f64>,
    /// The model HiGHS solved it in, still factored, for a split's parts to
    /// go on from ([`Cx::split`]); taken by the first that does.
    hot: RefCell<Option<Model>>,
}

impl Lp {
    /// The optimum HiGHS `solved` (its solution `sol`), whose columns from
    /// `lead` on are `core`'s, with every column's reduced cost `d`.
    fn of(
        (solved, sol): (&highs::SolvedModel, &highs::Solution),
        lead: usize,
        d: Vec<f64>,
        core: Vec<usize>,
    ) -> Self {
        Lp {
            z: solved.objective_value(),
            x: sol.columns()[lead..].to_vec(),
            d,
            basis: Basis::of(solved),
            core,
            y: sol.dual_rows().to_vec(),
            hot: RefCell::new(None),
        }
    }
}

/// Where an LP's optimum left each pair, for the programs reduced-cost
/// fixing makes from it.
struct LpAt<'a> {
    /// Each pair's value.
    x: Vec<f64>,
    /// Each pair's column in the LP's model (`None`: not in its core).
    column: Vec<Option<usize>>,
    basis: Option<&'a Basis>,
}

impl Lp {
    fn at(&self) -> LpAt<'_> {
        let n = self.d.len();
        let (mut x, mut column) = (vec![0.0; n], vec![None; n]);
        // The core's columns come after the slacks' in the LP's model.
        let basis = self.basis.as_ref();
        let lead = basis.and_then(|b| b.cols.len().checked_sub(self.core.len()));
        for (k, (&i, &v)) in self.core.iter().zip(&self.x).enumerate() {
            x[i] = v;
            column[i] = lead.map(|lead| lead + k);
        }
        LpAt {
            x,
            column,
            basis: basis.filter(|_| lead.is_some()),
        }
    }

    /// Which pairs are at 1 in the LP's optimum.
    fn at_one(&self, n: usize) -> Vec<bool> {
        let mut at_one = vec![false; n];
        for (&i, &v) in self.core.iter().zip(&self.x) {
            at_one[i] = v > 1.0 - INTEGRALITY_TOLERANCE;
        }
        at_one
    }

    /// Reduced-cost fixing: in a match set worth at least z − δ, only the
    /// pairs whose |reduced cost| is within δ can leave their LP bound. Those
    /// (free), and the pairs held at 1.
    fn split(&self, at_one: &[bool], delta: f64) -> (Vec<usize>, Vec<usize>) {
        let d = &self.d;
        let free = (0..d.len())
            .filter(|&i| {
                if at_one[i] {
                    d[i] <= delta
                } else {
                    d[i] >= -delta
                }
            })
            .collect();
        let ones = (0..d.len())
            .filter(|&i| at_one[i] && d[i] > delta)
            .collect();
        (free, ones)
    }
}

/// What pricing ended with: the LP optimal over every pair, or a phase
/// already settled (not even the LP keeps the rows).
enum Priced {
    Optimal(Lp),
    Settled(Found),
    /// Short of the placements asked for by exactly one: the LP optimal
    /// over every pair with one placement fewer held ([`Cx::one_short`]).
    OneShort(Lp),
}

/// A phase's answer.
struct Answer {
    chosen: Vec<usize>,
    value: f64,
    bound: f64,
    proof: Proof,
    status: Status,
    seconds: f64,
}

impl Answer {
    fn into_outcome(self, priority: Priority, mut phases: Vec<Phase>) -> Outcome {
        phases.push(Phase {
            priority,
            value: self.value,
            bound: self.bound,
            status: self.status,
            seconds: self.seconds,
            proof: self.proof,
        });
        let gap = (self.status == Status::TimeLimit)
            .then(|| crate::solve::outcome::relative_gap(self.value, self.bound));
        let mut chosen = self.chosen;
        chosen.sort_unstable();
        Outcome::Solved(Solution {
            chosen,
            status: self.status,
            gap,
            phases,
            start: None,
        })
    }
}

/// What every phase shares.
#[derive(Clone, Copy)]
struct Cx<'a> {
    p: &'a Problem,
    e: &'a Eligibility,
    /// `p`'s hard rules as rows, made once: each LP and program lays its
    /// rows out from them (making them per model was 3% of the
    /// generator's 1,000 × 400 `solve --explain`).
    rules: &'a hard_rules::Rows,
    /// Which of `rules`' cuts the LPs hold: each is held from the first LP
    /// whose optimum breaks it ([`Columns::separate`]) to the end of the
    /// solve, in every LP and program after (a cut holds for every match
    /// set, whatever the phase).
    cuts: &'a [Cell<bool>],
    locked: &'a [usize],
    /// The earlier answer's pairs, sorted (empty without a keep goal).
    keep: &'a [usize],
    /// Whether each pair is one of `keep` ([`kept_mask`]).
    kept: &'a [bool],
    /// The placements of the scenario this one changes.
    before: Option<PlacementsBefore>,
    /// Its LP's optimum, for each LP here to start from.
    lp_from: Option<&'a LpStart>,
    deadline: Option<Instant>,
    mip_gap: f64,
    /// Branch-and-bound nodes each integer program may take (a budget that
    /// is the same on every machine, unlike seconds).
    max_nodes: Option<i32>,
    /// The bounds this part of a split LP holds its group counts to
    /// ([`Cx::split`]): (rule row, lower, upper).
    split: &'a [(usize, f64, f64)],
    /// The group counts every match set of this phase holds, found before
    /// ([`GroupCounts`]), as bounds on the group count rows: (rule row,
    /// lower, upper). A split's bounds come first ([`HighsRows::layout`]).
    groups: &'a [(usize, f64, f64)],
    /// The free pairs from which an LP is split ([`SPLIT_FROM_FREE`]).
    split_from: usize,
    /// Where a solve from nothing, keeping nothing, leaves its score's LP
    /// over every pair with the placements held ([`Cx::priced_lp`]): the
    /// what-ifs' LP is that LP with the match set kept, and starting it
    /// from there took the first question about a national match set from
    /// 3.4 to 2.0 s (BENCHMARKS.md, twentieth round).
    score_lp: &'a RefCell<Option<KeptStart>>,
}

impl<'a> Cx<'a> {
    /// A context keeping `keep` (sorted), with nothing known of the scenario
    /// before, the integer optimum asked for exactly, and no node budget.
    fn new(
        p: &'a Problem,
        e: &'a Eligibility,
        keep: &'a [usize],
        made: &'a Made,
        deadline: Option<Instant>,
    ) -> Self {
        Cx {
            p,
            e,
            rules: &made.rules,
            cuts: &made.cuts,
            locked: &made.locked,
            keep,
            kept: &made.kept,
            before: None,
            lp_from: None,
            deadline,
            mip_gap: 0.0,
            max_nodes: None,
            split: &[],
            groups: &[],
            split_from: SPLIT_FROM_FREE,
            score_lp: &made.score_lp,
        }
    }

    /// The objective's value on the chosen pairs.
    fn value(&self, objective: Objective, chosen: &[usize]) -> f64 {
        chosen.iter().map(|&i| self.cost(objective, i)).sum()
    }

    fn cost(&self, objective: Objective, i: usize) -> f64 {
        match objective {
            Objective::Placements => 1.0,
            Objective::Score => self.e.pairs[i].score,
            Objective::Kept => f64::from(u8::from(self.kept.get(i).is_some_and(|&k| k))),
            Objective::ScoreKept => {
                self.e.pairs[i].score + KEPT_BONUS * self.cost(Objective::Kept, i)
            }
            Objective::Group { share, most } => {
                let pair = &self.e.pairs[i];
                match self.rules.in_group_count(self.p, share, pair.t, pair.v) {
                    true if most => 1.0,
                    true => -1.0,
                    false => 0.0,
                }
            }
        }
    }

    /// Whether `placements` are out of reach by the duals of the placements'
    /// LP before the change ([`hard_rules::Rows::placements_bound`]).
    fn proven_short(&self, placements: usize) -> bool {
        let Some(duals) = self.lp_from.and_then(|from| from.placements.as_ref()) else {
            return false;
        };
        let Some(bound) = self
            .rules
            .placements_bound(self.p, self.e, self.locked, duals)
        else {
            return false;
        };
        let short = ((bound + 1e-6).floor() as usize) < placements;
        if short {
            tracing::info!(
                target: "palim::progress",
                "placements: at most {bound:.4} by the duals of the LP before the change"
            );
        }
        short
    }

    /// The phase after the placements when an earlier answer is kept right
    /// after them (`before_score`): `answer` is the kept pairs' phase, and the
    /// score follows, holding it. After the score, kept pairs are a bonus on
    /// the score phase itself ([`Objective::ScoreKept`]). `Err` with the best
    /// answer when time ran out.
    fn after_keep(
        &self,
        placements: usize,
        answer: Answer,
    ) -> Result<Result<Answer, Vec<usize>>, GaveUp> {
        if answer.status != Status::Optimal {
            return Ok(Err(answer.chosen));
        }
        let held = (Objective::Placements, placements as f64);
        let floors = [held, (Objective::Kept, answer.value.round())];
        match self.phase(Objective::Score, &floors, &answer.chosen, false)? {
            Found::Solved(score) => Ok(Ok(score)),
            _ => Err(GaveUp::Solver("the score phase lost the kept pairs".into())),
        }
    }

    /// One priority: the LP over every pair by column generation, then the
    /// integer optimum (see the module comment). `seed` pairs start the core.
    fn phase(
        &self,
        objective: Objective,
        floors: &[(Objective, f64)],
        seed: &[usize],
        lp_only: bool,
    ) -> Result<Found, GaveUp> {
        let started = Instant::now();
        match self.priced_lp(objective, floors, seed)? {
            Priced::Optimal(lp) => self.settle(objective, floors, lp, lp_only, started),
            Priced::Settled(found) => Ok(found),
            Priced::OneShort(_) => Ok(Found::Short),
        }
    }

    /// [`Self::phase`] from its LP over every pair, `lp`, solved already
    /// (since `started`).
    fn settle(
        &self,
        objective: Objective,
        floors: &[(Objective, f64)],
        lp: Lp,
        lp_only: bool,
        started: Instant,
    ) -> Result<Found, GaveUp> {
        let answer = |chosen: Vec<usize>, bound: f64, proof: Proof, status: Status| Answer {
            value: self.value(objective, &chosen),
            chosen,
            bound,
            proof,
            status,
            seconds: started.elapsed().as_secs_f64(),
        };
        if let Some(chosen) = integral_choice(&lp.core, &lp.x) {
            let value = self.value(objective, &chosen);
            Ok(Found::Solved(answer(
                chosen,
                value,
                Proof::IntegralLp,
                Status::Optimal,
            )))
        } else if lp_only {
            Ok(Found::Fractional { bound: lp.z })
        } else if let Some(found) = self.split(objective, floors, &lp, started)? {
            Ok(found)
        } else {
            // Not split: its model (43k columns at national size) is let go
            // before branch-and-bound.
            drop(lp.hot.take());
            self.fix_and_branch(objective, floors, &lp, answer)
        }
    }

    /// The LP split in two where a share's group count `W` is fractional:
    /// every match set has at most ⌊W⌋ of the group there, or at least
    /// ⌈W⌉. At the generator's 1,000 × 400 the LP's whole gap (a quarter
    /// of a pair's score) came from one such count, and each part's LP
    /// was integral, where reduced-cost fixing left a thousand pairs to
    /// branch-and-bound (BENCHMARKS.md, twenty-ninth round). Each part is
    /// settled as the whole would be (split again, or fixed and branched);
    /// a part whose LP cannot beat the other's answer is not. `None` when
    /// no count is fractional, the parts are [`SPLITS`] deep, fixing would
    /// leave fewer than `split_from` pairs free, or the gap this what-if's
    /// scenario had is too small to pay for two LPs ([`Cx::may_split`]).
    /// A part's fixing starts from that gap too (a solve from nothing's
    /// from 0, as it always has).
    fn split(
        &self,
        objective: Objective,
        floors: &[(Objective, f64)],
        lp: &Lp,
        started: Instant,
    ) -> Result<Option<Found>, GaveUp> {
        let gap = self.lp_from.map(|from| from.gap);
        if lp.basis.is_none() || !self.may_split(objective) {
            return Ok(None);
        }
        // Small programs are solved as fast as two LPs.
        let margin = fixing_margin(lp.z, gap.unwrap_or(0.0));
        let (free, _) = lp.split(&lp.at_one(self.e.pairs.len()), margin);
        if free.len() < self.split_from {
            return Ok(None);
        }
        let Some((r, w)) = self.fractional_group(lp) else {
            return Ok(None);
        };
        let (lower, upper) =
            (self.group_bounds(r)).map_or((f64::NEG_INFINITY, f64::INFINITY), |&(_, l, u)| (l, u));
        let mut parts: Vec<(SplitBounds, Lp)> = Vec::with_capacity(2);
        // Each part's LP goes on from the model the LP before it ended
        // with, still factored: the part below first (it is the one that
        // usually cannot keep the earlier goals), the one above from it.
        let mut short: Option<Lp> = None;
        for (l, u) in [(lower, w.floor()), (w.ceil(), upper)] {
            let mut bounds: Vec<(usize, f64, f64)> = (self.split.iter())
                .filter(|&&(at, ..)| at != r)
                .copied()
                .collect();
            bounds.push((r, l, u));
            let cx = Cx {
                split: &bounds,
                ..*self
            };
            let columns = cx.phase_columns(objective, floors);
            let rows = HighsRows::add(&mut ColProblem::default(), &cx, floors);
            let in_model: Vec<(usize, f64, f64)> = (bounds.iter())
                .filter_map(|&(r, l, u)| rows.at[r].map(|at| (at, l, u)))
                .collect();
            let from = (parts.last().map(|(_, lp)| lp))
                .or(short.as_ref())
                .unwrap_or(lp);
            // A part whose LP cannot keep the earlier goals has no match set.
            let lead = rows.slacks.len();
            match resume(&columns, from, (rows, lead), &in_model, self.deadline, "LP")? {
                Generated::Optimal(lp) => parts.push((bounds, lp)),
                Generated::Slack(slacked) => short = slacked.map(|s| s.lp),
            }
        }
        // The more promising part first: the other is settled only if its
        // LP could still beat what the first found.
        parts.sort_by(|a, b| b.1.z.total_cmp(&a.1.z));
        let mut best: Option<Answer> = None;
        let mut bound = f64::NEG_INFINITY;
        let mut status = Status::Optimal;
        for (bounds, lp) in parts {
            let tolerance = 1e-9 * lp.z.abs().max(1.0);
            if best.as_ref().is_some_and(|b| lp.z <= b.value + tolerance) {
                bound = bound.max(lp.z);
                continue;
            }
            let cx = Cx {
                split: &bounds,
                ..*self
            };
            if let Found::Solved(answer) = cx.settle(objective, floors, lp, false, started)? {
                bound = bound.max(answer.bound);
                if answer.status != Status::Optimal {
                    status = answer.status;
                }
                if best.as_ref().is_none_or(|b| answer.value > b.value) {
                    best = Some(answer);
                }
            }
        }
        Ok(Some(match best {
            Some(answer) => Found::Solved(Answer {
                bound: bound.max(answer.value),
                proof: Proof::GroupSplit,
                status,
                seconds: started.elapsed().as_secs_f64(),
                ..answer
            }),
            None if floors.is_empty() => Found::Infeasible,
            None => Found::Short,
        }))
    }

    /// Whether an LP of `objective` here may be split ([`Cx::split`]): the
    /// score's, short of [`SPLITS`] deep, in a what-if whose scenario's gap
    /// was wide (every part of it), or once in a solve from nothing (no gap
    /// known; its parts fix from 0 and are not split again).
    fn may_split(&self, objective: Objective) -> bool {
        let gap = self.lp_from.map(|from| from.gap);
        matches!(objective, Objective::Score | Objective::ScoreKept)
            && self.split.len() < SPLITS
            && gap.map_or(self.split.is_empty(), |gap| gap > SPLIT_FROM_GAP)
    }

    /// The group counts (as [`Cx::groups`]) a phase at `placements` holds
    /// in a what-if of the scenario `before`: those its LP found at these
    /// placements ([`GroupCounts`]) when the what-if only adds a lock (its
    /// match sets are some of those before); else none.
    fn groups_held(&self, before: &PlacementsBefore, placements: usize) -> Vec<(usize, f64, f64)> {
        let found = self.lp_from.and_then(|from| from.groups.as_ref());
        let Some(found) = found.filter(|f| before.restricts && f.placements == placements) else {
            return Vec::new();
        };
        (self.rules.group_rows().iter())
            .filter_map(|&(r, share)| {
                let &(_, fewest, most) = found.counts.iter().find(|c| c.0 == share)?;
                Some((r, fewest, most))
            })
            .collect()
    }

    /// The bounds this LP holds group count row `r` to: a split's, else
    /// those found before ([`Cx::groups`]).
    fn group_bounds(&self, r: usize) -> Option<&(usize, f64, f64)> {
        (self.split.iter().chain(self.groups)).find(|&&(at, ..)| at == r)
    }

    /// The group count row most fractional at `lp`'s optimum (the first of
    /// equals), and its value there.
    fn fractional_group(&self, lp: &Lp) -> Option<(usize, f64)> {
        (self.fractional_groups(&lp.core, &lp.x).into_iter()).fold(
            None,
            |best: Option<(usize, f64)>, (r, w)| match best {
                Some((_, b)) if fraction(b) >= fraction(w) => best,
                _ => Some((r, w)),
            },
        )
    }

    /// Each group count row fractional where the LP's `core` is at `x`,
    /// and its value there, in row order.
    fn fractional_groups(&self, core: &[usize], x: &[f64]) -> Vec<(usize, f64)> {
        let groups = self.rules.group_rows();
        if groups.is_empty() {
            return Vec::new();
        }
        let mut count = vec![0.0; self.rules.rows.len()];
        for (&i, &x) in core.iter().zip(x) {
            if x > INTEGRALITY_TOLERANCE {
                let pair = &self.e.pairs[i];
                self.rules
                    .entries(self.p, pair.t, pair.v, |r, a| count[r] += a * x);
            }
        }
        (groups.iter())
            .map(|&(r, _)| (r, count[r]))
            .filter(|&(_, w)| fraction(w) > SPLIT_TOLERANCE)
            .collect()
    }

    /// The first core: the seed's pairs, the locks, each trainee's best few.
    fn first_core(&self, seed: &[usize]) -> Vec<bool> {
        let e = self.e;
        let mut in_core = vec![false; e.pairs.len()];
        for &i in seed.iter().chain(self.locked).chain(self.keep) {
            in_core[i] = true;
        }
        // Best first, ties by pair: a total order, so the few best are the
        // same pairs however they are found. Selecting them rather than
        // sorting every trainee's pairs took the first cores of a national
        // one-person explanation from 5% of its work to 2% (BENCHMARKS.md,
        // twentieth round).
        let best = |a: &usize, b: &usize| {
            (e.pairs[*b].score)
                .total_cmp(&e.pairs[*a].score)
                .then(a.cmp(b))
        };
        let mut mine: Vec<usize> = Vec::new();
        for t in 0..self.p.trainees.len() {
            mine.clear();
            mine.extend(e.of_trainee(t));
            if mine.len() > FIRST_CORE_PER_TRAINEE {
                mine.select_nth_unstable_by(FIRST_CORE_PER_TRAINEE - 1, best);
            }
            for &i in mine.iter().take(FIRST_CORE_PER_TRAINEE) {
                in_core[i] = true;
            }
        }
        in_core
    }

    /// The columns of the LP over every pair for `objective` with `floors`.
    fn phase_columns<'s>(
        &'s self,
        objective: Objective,
        floors: &'s [(Objective, f64)],
    ) -> PhaseColumns<'s> {
        let n = self.e.pairs.len();
        // Rows a core may not satisfy get a slack at a large penalty (phase
        // one and two at once): pricing then brings in the pairs that satisfy
        // them, and a slack left over at the end means not even the LP can.
        let penalty = 1e4
            * (1.0
                + (0..n)
                    .map(|i| self.cost(objective, i).abs())
                    .fold(0.0, f64::max));
        PhaseColumns {
            cx: self,
            objective,
            floors,
            penalty,
        }
    }

    /// The LP over every pair, by column generation from the first core
    /// ([`column_generation`]).
    fn priced_lp(
        &self,
        objective: Objective,
        floors: &[(Objective, f64)],
        seed: &[usize],
    ) -> Result<Priced, GaveUp> {
        let columns = self.phase_columns(objective, floors);
        let penalty = columns.penalty;
        Ok(
            match column_generation(
                &columns,
                self.first_core(seed),
                self.lp_from,
                self.deadline,
                "LP",
            )? {
                Generated::Optimal(lp) => {
                    self.keep_score_lp(objective, floors, &lp);
                    Priced::Optimal(lp)
                }
                // Even the LP over every pair breaks a row: too few
                // placements for the one asked for, or no match set at all.
                Generated::Slack(_) if floors.is_empty() => Priced::Settled(Found::Infeasible),
                Generated::Slack(slacked) => {
                    match slacked.and_then(|s| self.one_short(floors, penalty, *s)) {
                        Some(lp) => Priced::OneShort(lp),
                        None => Priced::Settled(Found::Short),
                    }
                }
            },
        )
    }

    /// The LP with one placement fewer held than `floors` asked for, from
    /// the optimum that fell short of them (`slacked`), when it fell short
    /// by exactly one placement and kept every other row. That optimum is
    /// then the other LP's too: its pairs keep every row there, and the
    /// same duals bound it (the slack is basic, so the placements row's
    /// dual is the slack's penalty, and one placement fewer lowers the
    /// dual bound by just that). A what-if of one more place or position
    /// that cannot give one more placement solved that LP again: at
    /// national size 2 of a one-person question's 9 LPs, and half of the
    /// slowest what-if of a vacancy's (BENCHMARKS.md, twenty-sixth round).
    fn one_short(&self, floors: &[(Objective, f64)], penalty: f64, slacked: Slacked) -> Option<Lp> {
        let Slacked { lp, slacks } = slacked;
        let layout = HighsRows::layout(self, floors);
        let &(row, Objective::Placements) = layout.floors.last()? else {
            return None;
        };
        let slack = layout.slacks.iter().position(|&(r, _)| r == row)?;
        let others_zero =
            (slacks.iter().enumerate()).all(|(j, &s)| j == slack || s <= INTEGRALITY_TOLERANCE);
        let (dual, penalty) = (lp.y.get(row)?.abs(), floor_penalty(penalty));
        let by_one = (slacks[slack] - 1.0).abs() <= INTEGRALITY_TOLERANCE;
        if !others_zero || !by_one || (dual - penalty).abs() > 1e-9 * penalty {
            return None;
        }
        // The pairs' worth, and the dual bound: an upper bound both.
        let z = lp.z + (penalty * slacks[slack]).max(dual);
        tracing::info!(
            target: "palim::progress",
            "LP: one placement short of {}, so it is the LP at one fewer: {z:.4}",
            floors.last().map_or(0.0, |f| f.1)
        );
        Some(Lp { z, ..lp })
    }

    /// Keep `lp` as [`Cx::score_lp`] when it is the score's LP with the
    /// placements held, found from nothing for no earlier answer (a
    /// what-if's LPs start from one already).
    fn keep_score_lp(&self, objective: Objective, floors: &[(Objective, f64)], lp: &Lp) {
        let held = matches!(floors, [(Objective::Placements, _)]);
        if objective != Objective::Score || !held || !self.keep.is_empty() {
            return;
        }
        if let (None, Some(basis)) = (self.lp_from, &lp.basis) {
            // The pairs the what-ifs' LP would price in first join the core,
            // as in `what_if_start`: from this start that LP is then one
            // round, not two (a pricing and an LP of 0.05 s at national size).
            let (mut core, mut basis) = (lp.core.clone(), basis.clone());
            join_near_pairs(&mut core, &mut basis, &lp.d, fixing_margin(lp.z, 0.0));
            let cuts = self.cuts.iter().map(Cell::get).collect();
            *self.score_lp.borrow_mut() = Some(KeptStart::of(&core, &basis, cuts));
        }
    }

    /// Reduced-cost fixing: the integer program on the pairs whose reduced
    /// cost says they could still matter (see the module comment).
    fn fix_and_branch(
        &self,
        objective: Objective,
        floors: &[(Objective, f64)],
        lp: &Lp,
        answer: impl Fn(Vec<usize>, f64, Proof, Status) -> Answer,
    ) -> Result<Found, GaveUp> {
        // Placements are whole: a match set with ⌊z⌋ of them is optimal
        // outright, whatever was fixed.
        let (whole, delta) = match objective {
            Objective::Placements | Objective::Kept | Objective::Group { .. } => {
                (Some((lp.z + 1e-6).floor()), 0.5)
            }
            // A what-if's gap is mostly its scenario's: a one-unit change
            // rarely moves the integer optimum much further from the LP's.
            // From a little beyond that gap, the first program is usually
            // the last, where from nearly 0 it is always short (at national
            // size) or empty (at 1,000 × 400) and a second one follows.
            Objective::Score | Objective::ScoreKept => {
                let gap = self.lp_from.map_or(0.0, |from| from.gap);
                (None, fixing_margin(lp.z, gap))
            }
        };
        let at = lp.at();
        let branched = branch_on_reduced_costs(
            lp,
            whole,
            delta,
            None,
            |chosen| self.value(objective, chosen),
            |free, ones| self.mip(objective, free, ones, floors, &at),
        )?;
        Ok(match branched {
            Branched::Infeasible if floors.is_empty() => Found::Infeasible,
            Branched::Infeasible => Found::Short,
            Branched::Found {
                chosen,
                bound,
                proof,
                status,
            } => Found::Solved(answer(chosen, bound, proof, status)),
        })
    }

    /// The integer program on `free` pairs with `ones` held at 1 (every other
    /// pair at 0).
    fn mip(
        &self,
        objective: Objective,
        free: &[usize],
        ones: &[usize],
        floors: &[(Objective, f64)],
        at: &LpAt,
    ) -> Result<Mip, GaveUp> {
        let all = HighsRows::layout(self, floors);
        let Some(Program {
            mut pb,
            rows,
            bounds,
        }) = all.of_program(self, free, ones)
        else {
            return Ok(Mip::Infeasible);
        };
        let columns: Vec<Vec<(usize, f64)>> = (free.iter())
            .map(|&i| {
                let mut column = Vec::with_capacity(6);
                all.entries(self, i, |r, a| column.push((r, a)));
                column
            })
            .collect();
        let mut domains: Vec<Domain> = (free.iter())
            .map(|i| match self.locked.contains(i) {
                true => Domain::One,
                false => Domain::Free,
            })
            .collect();
        if propagate(&bounds, &columns, &mut domains).is_err() {
            return Ok(Mip::Infeasible);
        }
        // When a fixing cuts the LP's optimum off, the LP on the fixed
        // bounds is often integral (see `propagate`), and then it answers.
        let cut = free.iter().zip(&domains).any(|(&i, &d)| {
            let (lower, upper) = d.bounds();
            at.x[i] < lower - INTEGRALITY_TOLERANCE || at.x[i] > upper + INTEGRALITY_TOLERANCE
        });
        if cut {
            for ((&i, column), d) in free.iter().zip(&columns).zip(&domains) {
                let (lower, upper) = d.bounds();
                let column = in_program(&rows, column);
                pb.add_integer_column(self.cost(objective, i), lower..=upper, column);
            }
            let mut model = pb.optimise(Sense::Maximise);
            self.configure(&mut model, free.len() < CORE_PRESOLVE_FROM);
            if let Some(basis) = at.basis {
                // The LP's optimum is a few pivots away: the program is the LP
                // with its fixings as bounds (the rows left out have no free
                // column, the columns left out are nonbasic).
                let touched = (rows.iter().enumerate()).filter_map(|(r, row)| row.map(|_| r));
                let program = basis.restricted(free.iter().map(|&i| at.column[i]), touched);
                if let Some(program) = program {
                    program.start(&mut model);
                }
            }
            if let Ok(settled) = integral_relaxation(model, self.deadline, free)? {
                return Ok(self.with_ones(settled, objective, ones));
            }
        }
        // Branch-and-bound on the pairs the fixings left free, the ones
        // they hold at 1 held in the rows' bounds: at national size they
        // fix more than half of a what-if's program, whose columns and rows
        // HiGHS (without presolve) would otherwise carry through every
        // node, cut and heuristic (BENCHMARKS.md, twenty-first round).
        let unfolded = free.len();
        let (mut left, mut held) = (Vec::with_capacity(unfolded), ones.to_vec());
        let mut entries = Vec::with_capacity(unfolded);
        for ((&i, d), column) in free.iter().zip(domains).zip(columns) {
            match d {
                Domain::Free => {
                    left.push(i);
                    entries.push(column);
                }
                Domain::One => held.push(i),
                Domain::Zero => {}
            }
        }
        self.branch(objective, &all, &left, &entries, &held, unfolded)
    }

    /// Branch-and-bound on `free` pairs (`columns`: each one's entries in
    /// `all`'s rows) with `ones` held at 1, what is left of a program of
    /// `unfolded` pairs once its fixings are folded in.
    fn branch(
        &self,
        objective: Objective,
        all: &HighsRows,
        free: &[usize],
        columns: &[Vec<(usize, f64)>],
        ones: &[usize],
        unfolded: usize,
    ) -> Result<Mip, GaveUp> {
        let Some(Program { mut pb, rows, .. }) = all.of_program(self, free, ones) else {
            return Ok(Mip::Infeasible);
        };
        if free.is_empty() {
            // The fixings decided every pair: the ones are the only point.
            let found = Mip::Found {
                chosen: Vec::new(),
                proven: true,
                bound: 0.0,
            };
            return Ok(self.with_ones(found, objective, ones));
        }
        for (&i, column) in free.iter().zip(columns) {
            let column = in_program(&rows, column);
            pb.add_integer_column(self.cost(objective, i), 0.0..=1.0, column);
        }
        // HiGHS 1.15 without presolve has proven optima below the true one
        // (see `optimize::run_model`): a small program is solved with
        // presolve too, where that costs milliseconds. Small as reduced-cost
        // fixing made it: a program the fixings shrink further was solved
        // once before they were folded in, and still is.
        let second = (unfolded <= SECOND_OPINION_UP_TO).then(|| pb.clone());
        let mut model = pb.optimise(Sense::Maximise);
        self.configure(&mut model, unfolded < CORE_PRESOLVE_FROM);
        let first = solve_mip(model, self.deadline, free, 0)?;
        let mip = match second {
            None => first,
            Some(pb) => {
                let mut model = pb.optimise(Sense::Maximise);
                self.configure(&mut model, false);
                let second = solve_mip(model, self.deadline, free, 0)?;
                better_of(first, second, |m| m.worth(|i| self.cost(objective, i)))
            }
        };
        Ok(self.with_ones(mip, objective, ones))
    }

    /// A program's answer with the pairs it held at 1 put back: they are
    /// constants of the program, left out of its columns and objective.
    fn with_ones(&self, mut mip: Mip, objective: Objective, ones: &[usize]) -> Mip {
        if let Mip::Found { chosen, bound, .. } = &mut mip {
            chosen.extend_from_slice(ones);
            *bound += ones.iter().map(|&i| self.cost(objective, i)).sum::<f64>();
        }
        mip
    }

    /// A program's options. Measured on the benchmark files
    /// (BENCHMARKS.md): HiGHS's MIP presolve costs more than it saves on
    /// these programs but the largest, where its search for dominated
    /// columns was half of the 1,000 × 400 solve and the optional rules half
    /// of a national what-if; the feasibility-jump heuristic found nothing
    /// the LP-based ones did not.
    fn configure(&self, model: &mut Model, presolve_off: bool) {
        model.make_quiet();
        model.set_option("mip_rel_gap", self.mip_gap.max(0.0));
        if presolve_off {
            model.set_option("presolve", "off");
            // Without this, HiGHS presolves the root node's LP all the same
            // (its `evaluateRootNode`): that LP presolve, looking for
            // parallel rows and columns above all, was 12% of the generator's
            // 1,000 × 400 `solve --explain` at seed 2, in programs solved in
            // a dozen milliseconds each (BENCHMARKS.md, twenty-ninth round).
            // It also keeps presolve off in the sub-programs of its RINS and
            // RENS heuristics, as here.
            model.set_option("mip_root_presolve_only", true);
        } else {
            model.set_option("presolve_rule_off", OPTIONAL_PRESOLVE_RULES);
        }
        model.set_option("mip_heuristic_run_feasibility_jump", false);
        // Symmetry detection cost more than it saved in these programs: a
        // fiftieth of the generator's 1,000 × 400 `solve --explain` (35.5 →
        // 33.4 s without it, same bytes; `explain --trainee` at `large` 15.0
        // → 14.5 s).
        model.set_option("mip_detect_symmetry", false);
        if let Some(nodes) = self.max_nodes {
            model.set_option("mip_max_nodes", nodes);
        }
    }
}

/// A pair's `column` (its entries in the layout's rows) in a program whose
/// `rows` are some of them ([`HighsRows::of_program`]).
fn in_program(rows: &[Option<Row>], column: &[(usize, f64)]) -> Vec<(Row, f64)> {
    (column.iter())
        .filter_map(|&(r, a)| rows[r].map(|row| (row, a)))
        .collect()
}

/// The columns at 1 (`cols[j]` is the candidate of value `values[j]`) when
/// every value is integral: an LP optimum that is the integer optimum.
pub(crate) fn integral_choice(cols: &[usize], values: &[f64]) -> Option<Vec<usize>> {
    (values
        .iter()
        .all(|&v| (v - v.round()).abs() <= INTEGRALITY_TOLERANCE))
    .then(|| {
        (cols.iter().zip(values))
            .filter(|&(_, &v)| v > 0.5)
            .map(|(&k, _)| k)
            .collect()
    })
}

/// The LP of a 0–1 `model` within the time left, when that settles it: its
/// optimum when integral (then the program's), or no point at all. Else
/// the model back, for branch-and-bound. `cols[j]` is the candidate in
/// model column `j`.
fn integral_relaxation(
    mut model: Model,
    deadline: Option<Instant>,
    cols: &[usize],
) -> Result<Result<Mip, Model>, GaveUp> {
    model.set_option("solve_relaxation", true);
    let Some(solved) = run_within(model, deadline, &mut 0.0)? else {
        return Ok(Ok(Mip::Nothing));
    };
    match solved.status() {
        HighsModelStatus::Infeasible => return Ok(Ok(Mip::Infeasible)),
        HighsModelStatus::Optimal => {
            if let Some(chosen) = integral_choice(cols, solved.get_solution().columns()) {
                return Ok(Ok(Mip::Found {
                    chosen,
                    proven: true,
                    bound: solved.objective_value(),
                }));
            }
        }
        _ => {}
    }
    let mut model = Model::from(solved);
    model.set_option("solve_relaxation", false);
    Basis::stop_pricing(&mut model);
    Ok(Err(model))
}

/// Branch-and-bound on `model` within the time left, its answer read back:
/// `cols[j]` is the candidate in model column `lead + j`.
pub(crate) fn solve_mip(
    model: Model,
    deadline: Option<Instant>,
    cols: &[usize],
    lead: usize,
) -> Result<Mip, GaveUp> {
    let Some(solved) = run_within(model, deadline, &mut 0.0)? else {
        return Ok(Mip::Nothing);
    };
    let proven = match solved.status() {
        HighsModelStatus::Optimal => true,
        HighsModelStatus::Infeasible => return Ok(Mip::Infeasible),
        // The deadline, or the node budget (HiGHS's "solution limit").
        HighsModelStatus::ReachedTimeLimit | HighsModelStatus::ReachedSolutionLimit => false,
        other => {
            return Err(GaveUp::Solver(format!(
                "HiGHS ended branch-and-bound with {other:?}"
            )))
        }
    };
    if solved.primal_solution_status() != highs::HighsSolutionStatus::Feasible {
        return Ok(Mip::Nothing);
    }
    let bound = solved
        .double_info_value(c"mip_dual_bound")
        .unwrap_or(f64::INFINITY);
    let chosen = cols
        .iter()
        .zip(&solved.get_solution().columns()[lead..])
        .filter(|&(_, &v)| v > 0.5)
        .map(|(&k, _)| k)
        .collect();
    Ok(Mip::Found {
        chosen,
        proven,
        bound,
    })
}

/// What column generation needs of a linear program whose candidate
/// columns are numbered `0..count()` (pairs, or a shortlist's candidates).
pub(crate) trait Columns {
    /// The rows' handles, made with each cold model.
    type Rows;
    fn count(&self) -> usize;
    /// Whether the LP's optimum keeps its model, for a split to go on from
    /// ([`Lp::hot`]). A national model kept beside the next one's raised
    /// the peak memory of a question by a tenth.
    fn keeps_hot(&self) -> bool {
        false
    }
    /// A new model with `core`'s columns. Before them come `slacks` penalty
    /// columns (a slack left at the optimum: not even the LP keeps the
    /// rows), then any other columns, `lead` in all.
    fn cold(&self, core: &[usize]) -> Cold<Self::Rows>;
    /// Column `k`'s objective coefficient.
    fn cost(&self, k: usize) -> f64;
    /// Column `k`'s entries, for HiGHS.
    fn column(&self, rows: &Self::Rows, k: usize) -> Vec<(Row, f64)>;
    /// Column `k`'s entries times the row duals `y`.
    fn priced(&self, rows: &Self::Rows, k: usize, y: &[f64]) -> f64;
    /// [`Columns::priced`] for every column at once.
    fn priced_all(&self, rows: &Self::Rows, y: &[f64]) -> Vec<f64> {
        (0..self.count()).map(|k| self.priced(rows, k, y)).collect()
    }
    /// Column `k`'s lower bound in the model (its upper bound is 1).
    fn lower(&self, _k: usize) -> f64 {
        0.0
    }
    /// The cuts the LP's optimum breaks (`values`: every row's value),
    /// held from now on: each as (row, lower, upper) for the model. None
    /// by default.
    fn separate(&self, _rows: &Self::Rows, _values: &[f64]) -> Vec<(usize, f64, f64)> {
        Vec::new()
    }
    /// Whether [`Columns::separate`] would find a cut, holding none.
    fn breaks_cuts(&self, _rows: &Self::Rows, _values: &[f64]) -> bool {
        false
    }
}

/// A model made from nothing, see [`Columns::cold`].
pub(crate) struct Cold<R> {
    pub(crate) model: Model,
    pub(crate) rows: R,
    pub(crate) slacks: usize,
    pub(crate) lead: usize,
}

/// The penalty on a floor's slack, from the other rows' `penalty`: less,
/// so that an LP short of a floor leaves the floor short rather than
/// break another row by as much ([`Cx::one_short`]), and still far above
/// any pair's worth.
fn floor_penalty(penalty: f64) -> f64 {
    penalty / 2.0
}

/// What column generation ended with.
pub(crate) enum Generated {
    /// The LP optimal over every column.
    Optimal(Lp),
    /// Optimal, with a slack left: not even the LP keeps the rows. With
    /// that optimum when it breaks no cut (see [`Cx::one_short`]).
    Slack(Option<Box<Slacked>>),
}

/// An LP's optimum over every column that leaves a slack: the LP as
/// [`Generated::Optimal`] would have it, and each slack's value.
pub(crate) struct Slacked {
    lp: Lp,
    slacks: Vec<f64>,
}

/// The LP over every column of `columns` by column generation from the
/// core `in_core`: solved, every column priced at the row duals, those with
/// a positive reduced cost joining (the best first, at most
/// [`ADD_PER_ROUND`]), and solved again from the last basis, until none
/// prices out. Every column's reduced cost is kept for reduced-cost fixing.
/// `what` names the LP in progress lines and errors. `from`: the optimum of
/// a like LP, whose core comes first and whose basis the simplex starts from.
pub(crate) fn column_generation<C: Columns>(
    columns: &C,
    mut in_core: Vec<bool>,
    from: Option<&LpStart>,
    deadline: Option<Instant>,
    what: &str,
) -> Result<Generated, GaveUp> {
    let (core, basis) = first_columns(&mut in_core, from);
    // The rows are the same every time; a cold start rebuilds the model.
    let Cold {
        mut model,
        rows,
        slacks,
        lead,
    } = columns.cold(&core);
    let warm = basis.is_some_and(|b| b.start(&mut model));
    let at = Generating {
        model,
        rows,
        slacks,
        lead,
        core,
        in_core,
        warm,
    };
    generate(columns, at, deadline, what)
}

/// Column generation under way: the model, its rows and columns, and
/// whether it starts from a basis.
struct Generating<R> {
    model: Model,
    rows: R,
    slacks: usize,
    lead: usize,
    core: Vec<usize>,
    in_core: Vec<bool>,
    warm: bool,
}

/// [`column_generation`] on from an LP's optimum `lp` (its model kept hot,
/// else built again from its core and basis), with `bounds` given to some
/// of the model's rows: (row, lower, upper). `rows` are the model's, whose
/// first `lead` columns are slacks.
fn resume<C: Columns>(
    columns: &C,
    lp: &Lp,
    (rows, lead): (C::Rows, usize),
    bounds: &[(usize, f64, f64)],
    deadline: Option<Instant>,
    what: &str,
) -> Result<Generated, GaveUp> {
    let mut model = lp.hot.take().unwrap_or_else(|| {
        let mut model = columns.cold(&lp.core).model;
        if let Some(basis) = &lp.basis {
            basis.start(&mut model);
        }
        model
    });
    let mut in_core = vec![false; columns.count()];
    for &k in &lp.core {
        in_core[k] = true;
    }
    for &(r, lower, upper) in bounds {
        if !Basis::bound_row(&mut model, r, lower, upper) {
            return Err(GaveUp::Solver(format!(
                "HiGHS refused a bound in the {what}"
            )));
        }
    }
    let at = Generating {
        model,
        rows,
        slacks: lead,
        lead,
        core: lp.core.clone(),
        in_core,
        warm: true,
    };
    generate(columns, at, deadline, what)
}

/// The LP at the optimum HiGHS `solved` ([`Lp::of`]), keeping its model
/// hot when `columns` may split it ([`Columns::keeps_hot`]).
fn optimum_of<C: Columns>(
    columns: &C,
    (solved, sol): (highs::SolvedModel, &highs::Solution),
    lead: usize,
    d: Vec<f64>,
    core: Vec<usize>,
) -> Lp {
    let lp = Lp::of((&solved, sol), lead, d, core);
    if columns.keeps_hot() {
        *lp.hot.borrow_mut() = Some(Model::from(solved));
    }
    lp
}

/// The loop of [`column_generation`], from `at`.
fn generate<C: Columns>(
    columns: &C,
    at: Generating<C::Rows>,
    deadline: Option<Instant>,
    what: &str,
) -> Result<Generated, GaveUp> {
    let n = columns.count();
    let Generating {
        mut model,
        rows,
        slacks,
        lead,
        mut core,
        mut in_core,
        mut warm,
    } = at;
    let mut spent = 0.0;
    loop {
        let Some(solved) = run_within(model, deadline, &mut spent)? else {
            return Err(GaveUp::Time);
        };
        match solved.status() {
            HighsModelStatus::Optimal => {}
            HighsModelStatus::ReachedTimeLimit => return Err(GaveUp::Time),
            // Simplex from the last basis can stall (HiGHS reports
            // `Unknown` on rare random scenarios): once more from scratch.
            _ if warm => {
                (model, warm, spent) = (columns.cold(&core).model, false, 0.0);
                continue;
            }
            other => {
                return Err(GaveUp::Solver(format!(
                    "HiGHS ended the {what} on {} pairs with {other:?}",
                    core.len()
                )))
            }
        }
        let sol = solved.get_solution();
        let y = sol.dual_rows();
        // Every column's reduced cost (the core's too: reduced-cost fixing
        // reads them once the LP is optimal over every column).
        let priced = columns.priced_all(&rows, y);
        let d: Vec<f64> = (0..n).map(|k| columns.cost(k) - priced[k]).collect();
        let mut priced: Vec<(f64, usize)> = (0..n)
            .filter(|&k| !in_core[k] && d[k] > PRICE_TOLERANCE)
            .map(|k| (d[k], k))
            .collect();
        tracing::info!(
            target: "palim::progress",
            "{what} on {} of {n} pairs: {:.4}; {} more pairs price out",
            core.len(),
            solved.objective_value(),
            priced.len()
        );
        if priced.is_empty() {
            let cols = sol.columns();
            // HiGHS has called warm-started LPs optimal that were not
            // (HiGHS issue 3194, on 1.15.1): the core's values are checked
            // against the reduced costs palim computed, and an LP that
            // fails is solved again from nothing.
            if warm && !optimal_by(&core, &cols[lead..], &d, |k| columns.lower(k)) {
                tracing::info!(
                    target: "palim::progress",
                    "{what}: HiGHS's optimum from the basis before fails the reduced costs; again from nothing"
                );
                (model, warm, spent) = (columns.cold(&core).model, false, 0.0);
                continue;
            }
            if cols[..slacks].iter().any(|&s| s > INTEGRALITY_TOLERANCE) {
                let optimum = !columns.breaks_cuts(&rows, sol.rows());
                return Ok(Generated::Slack(optimum.then(|| {
                    Box::new(Slacked {
                        slacks: cols[..slacks].to_vec(),
                        lp: optimum_of(columns, (solved, &sol), lead, d, core),
                    })
                })));
            }
            let cuts = columns.separate(&rows, sol.rows());
            if !cuts.is_empty() {
                tracing::info!(
                    target: "palim::progress",
                    "{what}: its optimum breaks {} cuts; they join it",
                    cuts.len()
                );
                model = Model::from(solved);
                for (r, lower, upper) in cuts {
                    if !Basis::bound_row(&mut model, r, lower, upper) {
                        return Err(GaveUp::Solver(format!("HiGHS refused a cut in the {what}")));
                    }
                }
                warm = true;
                continue;
            }
            let lp = optimum_of(columns, (solved, &sol), lead, d, core);
            return Ok(Generated::Optimal(lp));
        }
        priced.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        priced.truncate(ADD_PER_ROUND);
        model = Model::from(solved);
        warm = true;
        for &(_, k) in &priced {
            in_core[k] = true;
            core.push(k);
            model.add_col(columns.cost(k), 0.0..=1.0, columns.column(&rows, k));
        }
    }
}

/// Whether the core's values `x` (in core order) are optimal by the reduced
/// costs `d` of every column: none below 1 whose reduced cost says raising
/// it gains, none above its lower bound whose reduced cost says lowering it
/// gains. With the row duals' signs (HiGHS's to keep), these are the LP's
/// optimality conditions; pricing checks the columns outside the core.
/// `lower(k)`: column `k`'s lower bound (every upper bound is 1).
fn optimal_by(core: &[usize], x: &[f64], d: &[f64], lower: impl Fn(usize) -> f64) -> bool {
    core.iter().zip(x).all(|(&k, &v)| {
        let raise = v < 1.0 - INTEGRALITY_TOLERANCE && d[k] > PRICE_TOLERANCE;
        let drop = v > lower(k) + INTEGRALITY_TOLERANCE && d[k] < -PRICE_TOLERANCE;
        !(raise || drop)
    })
}

/// The first core, in column order, and the basis to start it from: with
/// `from`, its core first (its basis says where each column is), then the
/// rest of `in_core` at their lower bounds. `in_core` gains `from`'s core.
fn first_columns(in_core: &mut [bool], from: Option<&LpStart>) -> (Vec<usize>, Option<Basis>) {
    let n = in_core.len();
    let Some(from) = from.filter(|f| f.core.iter().all(|&k| k < n)) else {
        return ((0..n).filter(|&k| in_core[k]).collect(), None);
    };
    let mut before = vec![false; n];
    for &k in &from.core {
        before[k] = true;
    }
    let added: Vec<usize> = (0..n).filter(|&k| in_core[k] && !before[k]).collect();
    for &k in &from.core {
        in_core[k] = true;
    }
    let mut basis = from.basis.clone();
    basis
        .cols
        .extend(std::iter::repeat_n(basis::AT_LOWER, added.len()));
    let core = from.core.iter().copied().chain(added).collect();
    (core, Some(basis))
}

/// The match set's LP for one phase, as [`Columns`]: every pair a column.
struct PhaseColumns<'a> {
    cx: &'a Cx<'a>,
    objective: Objective,
    floors: &'a [(Objective, f64)],
    penalty: f64,
}

impl<'a> Columns for PhaseColumns<'a> {
    type Rows = HighsRows<'a>;

    fn keeps_hot(&self) -> bool {
        self.cx.may_split(self.objective)
    }

    fn count(&self) -> usize {
        self.cx.e.pairs.len()
    }

    fn cold(&self, core: &[usize]) -> Cold<HighsRows<'a>> {
        let cx = self.cx;
        let mut pb = ColProblem::default();
        let rows = HighsRows::add(&mut pb, cx, self.floors);
        for &(r, a) in &rows.slacks {
            let penalty = match rows.floors.iter().any(|&(f, _)| f == r) {
                true => floor_penalty(self.penalty),
                false => self.penalty,
            };
            pb.add_column(-penalty, 0.0.., [(rows.handles[r], a)]);
        }
        for &i in core {
            pb.add_column(self.cost(i), self.lower(i)..=1.0, rows.column(cx, i));
        }
        let mut model: Model = pb.optimise(Sense::Maximise);
        // The LP's presolve finds little in a core (the generator's
        // 1,000 × 400, whose what-ifs each solve two cold LPs: `solve
        // --explain` 41.0 s with it, 35.4 s without; `large` no slower).
        model.set_option("presolve", "off");
        // A group count's LP starts from the score's optimum, a vertex
        // where most pairs cost 0: HiGHS's dual simplex took 30 ms an LP at
        // 1,000 × 400 there, its primal simplex 2 ms.
        if matches!(self.objective, Objective::Group { .. }) {
            model.set_option("simplex_strategy", PRIMAL_SIMPLEX);
        }
        model.make_quiet();
        let slacks = rows.slacks.len();
        Cold {
            model,
            rows,
            slacks,
            lead: slacks,
        }
    }

    fn cost(&self, i: usize) -> f64 {
        self.cx.cost(self.objective, i)
    }

    fn column(&self, rows: &HighsRows<'a>, i: usize) -> Vec<(Row, f64)> {
        rows.column(self.cx, i)
    }

    fn priced(&self, rows: &HighsRows<'a>, i: usize, y: &[f64]) -> f64 {
        rows.priced(self.cx, i, y)
    }

    fn priced_all(&self, rows: &HighsRows<'a>, y: &[f64]) -> Vec<f64> {
        rows.priced_all(self.cx, y)
    }

    /// A locked pair is held at 1.
    fn lower(&self, i: usize) -> f64 {
        f64::from(u8::from(self.cx.locked.contains(&i)))
    }

    /// The cuts not held yet whose row's value lies outside its bound by
    /// more than the LP's tolerances.
    fn separate(&self, rows: &HighsRows<'a>, values: &[f64]) -> Vec<(usize, f64, f64)> {
        let bound = |b: Option<hard_rules::Bound>, none: f64| b.map_or(none, |b| b.value);
        (self.broken_cuts(rows, values))
            .map(|(row, at, held)| {
                held.set(true);
                (
                    at,
                    bound(row.lower, f64::NEG_INFINITY),
                    bound(row.upper, f64::INFINITY),
                )
            })
            .collect()
    }

    fn breaks_cuts(&self, rows: &HighsRows<'a>, values: &[f64]) -> bool {
        self.broken_cuts(rows, values).next().is_some()
    }
}

impl<'a> PhaseColumns<'a> {
    /// The cuts not held yet that `values` (every row's) break: each rule
    /// row, its row in the model, and the cell that says it is held.
    fn broken_cuts<'r>(
        &'r self,
        rows: &'r HighsRows<'a>,
        values: &'r [f64],
    ) -> impl Iterator<Item = (&'r hard_rules::Row, usize, &'r Cell<bool>)> + 'r {
        let rules = self.cx.rules;
        (rules.cut_rows().zip(self.cx.cuts)).filter_map(move |(r, held)| {
            let (row, at) = (&rules.rows[r], rows.at[r]?);
            let value = values[at];
            let broken = row.lower.is_some_and(|b| value < b.value - PRICE_TOLERANCE)
                || row.upper.is_some_and(|b| value > b.value + PRICE_TOLERANCE);
            (!held.get() && broken).then_some((row, at, held))
        })
    }
}

/// What reduced-cost fixing ended with.
pub(crate) enum Branched {
    /// The optimum (status `Optimal`), or the best found by the deadline
    /// with the bound proven so far. `chosen` indexes the LP's columns.
    Found {
        chosen: Vec<usize>,
        bound: f64,
        proof: Proof,
        status: Status,
    },
    /// Nothing keeps the rows, with every column free.
    Infeasible,
}

/// Reduced-cost fixing on any 0–1 program whose LP optimum over every
/// column is `lp`: `mip(free, ones)` solves it with the `free` columns free,
/// `ones` held at 1 and every other column at 0; δ starts at `delta` and
/// grows until the optimum on the free columns reaches z − δ (see the module
/// comment). `whole`: the objective is whole and at most this, so an answer
/// reaching it is optimal whatever was fixed. `careful_above`: with more free
/// columns than this, an answer short of z − δ grows δ at most fourfold, not
/// at once to that answer's gap (which is sure to reach, but can free tens
/// of thousands of columns where a few more would have done).
pub(crate) fn branch_on_reduced_costs(
    lp: &Lp,
    whole: Option<f64>,
    mut delta: f64,
    careful_above: Option<usize>,
    value: impl Fn(&[usize]) -> f64,
    mut mip: impl FnMut(&[usize], &[usize]) -> Result<Mip, GaveUp>,
) -> Result<Branched, GaveUp> {
    let (z, d) = (lp.z, &lp.d);
    let n = d.len();
    let at_one = lp.at_one(n);
    let tolerance = 1e-9 * z.abs().max(1.0);
    // What leaving its LP bound costs each column, ascending (the first
    // time δ must grow).
    let mut losses: Option<Vec<f64>> = None;
    loop {
        let (free, ones) = lp.split(&at_one, delta);
        // Every column free: the integer program on all of them.
        let everything = free.len() == n;
        tracing::info!(
            target: "palim::progress",
            "branch-and-bound on {} pairs whose reduced cost is within {delta:.3e} ({} held at 1)",
            free.len(),
            ones.len()
        );
        match mip(&free, &ones)? {
            Mip::Infeasible if everything => return Ok(Branched::Infeasible),
            Mip::Infeasible => {
                // Nothing is worth z − δ. Grow δ until the free columns
                // double: each round is a MIP on them, so all rounds
                // together cost about twice the last (×10 on δ could add
                // a handful of columns, or thousands). Small programs
                // quadruple: at the generator's 1,000 × 400, 1,408 of
                // 1,517 what-ifs went 260 → 520 (both infeasible) → 1,040
                // free pairs, and a program on 260 or 520 costs a good part
                // of one on 1,040 (2.5 and 3.8 ms against 13).
                let losses = losses.get_or_insert_with(|| {
                    let mut l: Vec<f64> = (0..n)
                        .map(|i| if at_one[i] { d[i] } else { -d[i] })
                        .collect();
                    l.sort_by(f64::total_cmp);
                    l
                });
                let grow = if free.len() < PRESOLVE_FROM { 4 } else { 2 };
                delta = losses[(grow * free.len()).clamp(1, n) - 1];
            }
            Mip::Nothing => return Err(GaveUp::Time),
            Mip::Found {
                chosen,
                proven,
                bound,
            } => {
                let found = value(&chosen);
                let reaches =
                    found >= z - delta - tolerance || whole.is_some_and(|w| found >= w - 0.5);
                if proven && (everything || reaches) {
                    let proof = if everything {
                        Proof::BranchAndBound
                    } else {
                        Proof::ReducedCostFixing
                    };
                    return Ok(Branched::Found {
                        chosen,
                        bound: found,
                        proof,
                        status: Status::Optimal,
                    });
                }
                if !proven {
                    // The time limit. The bound is the LP's, or what
                    // branch-and-bound proved when its columns were all
                    // that could beat z − δ.
                    let z = whole.unwrap_or(z);
                    let bound = if reaches { bound.min(z) } else { z };
                    return Ok(Branched::Found {
                        chosen,
                        bound,
                        proof: Proof::BranchAndBound,
                        status: Status::TimeLimit,
                    });
                }
                let reach = (z - found) * (1.0 + 1e-6) + tolerance;
                delta = match careful_above {
                    Some(limit) if free.len() > limit => reach.min(4.0 * delta),
                    _ => reach,
                };
            }
        }
    }
}

pub(crate) enum Mip {
    Found {
        chosen: Vec<usize>,
        proven: bool,
        bound: f64,
    },
    Infeasible,
    Nothing,
}

impl Mip {
    /// The found match set's value at `cost` per column, for
    /// [`better_of`]; `None` without one.
    pub(crate) fn worth(&self, cost: impl Fn(usize) -> f64) -> Option<f64> {
        match self {
            Mip::Found { chosen, .. } => Some(chosen.iter().map(|&i| cost(i)).sum()),
            Mip::Infeasible | Mip::Nothing => None,
        }
    }
}

/// A match set that keeps every rule, made from the flow relaxation's by
/// taking placements away (never adding): over an employer's cap, the
/// lowest-scored of its placements go; under a group's minimum share, the
/// lowest-scored placements outside the group go (over a maximum, inside
/// it). Locked pairs stay. `None` when that breaks a destination's minimum
/// or a rule still fails. It is what `--time-limit` returns when the core
/// method runs out of time before its first integer answer.
pub fn repair(p: &Problem, e: &Eligibility, relaxed: &[usize]) -> Option<Vec<usize>> {
    let locked: std::collections::HashSet<usize> = p
        .locks
        .iter()
        .filter_map(|l| e.pair_index(l.trainee, l.vacancy))
        .collect();
    let mut keep: Vec<usize> = relaxed.to_vec();
    // Lowest score first (ties: the later pair), locks never.
    let worst_first = |ids: &mut Vec<usize>| {
        ids.retain(|i| !locked.contains(i));
        ids.sort_by(|&a, &b| {
            e.pairs[a]
                .score
                .total_cmp(&e.pairs[b].score)
                .then(b.cmp(&a))
        });
    };
    let mut per_employer: Vec<Vec<usize>> = vec![Vec::new(); p.employers.len()];
    for &i in &keep {
        per_employer[p.vacancies[e.pairs[i].v].employer].push(i);
    }
    let mut out = std::collections::HashSet::new();
    for (emp, mut ids) in per_employer.into_iter().enumerate() {
        let Some(cap) = p.employer_caps[emp] else {
            continue;
        };
        let over = ids.len().saturating_sub(cap as usize);
        worst_first(&mut ids);
        out.extend(ids.into_iter().take(over));
    }
    keep.retain(|i| !out.contains(i));
    for share in &p.shares {
        let in_scope = |i: &usize| p.share_scope(share, e.pairs[*i].v);
        let member = |i: &usize| p.in_group(e.pairs[*i].t, share);
        let scope: Vec<usize> = keep.iter().copied().filter(in_scope).collect();
        let mut members = scope.iter().filter(|i| member(i)).count() as f64;
        let mut placed = scope.len() as f64;
        let mut others: Vec<usize> = scope.iter().copied().filter(|i| !member(i)).collect();
        let mut ins: Vec<usize> = scope.iter().copied().filter(member).collect();
        worst_first(&mut others);
        worst_first(&mut ins);
        let mut gone = std::collections::HashSet::new();
        let (mut o, mut m) = (others.into_iter(), ins.into_iter());
        while members < share.min_share * placed - 1e-9 {
            gone.insert(o.next()?);
            placed -= 1.0;
        }
        while share.max_share.is_some_and(|x| members > x * placed + 1e-9) {
            gone.insert(m.next()?);
            members -= 1.0;
            placed -= 1.0;
        }
        keep.retain(|i| !gone.contains(i));
    }
    keep.sort_unstable();
    crate::solve::audit::violations(p, e, &keep)
        .is_empty()
        .then_some(keep)
}

/// The answer when time runs out before the core method has an integer one:
/// the flow relaxation's answer trimmed by [`repair`] (status `time_limit`,
/// its first priority against the relaxation's bound), or no answer.
pub fn out_of_time(p: &Problem, e: &Eligibility, relaxed: &Solution) -> Outcome {
    let Some(chosen) = repair(p, e, &relaxed.chosen) else {
        return Outcome::NoSolutionInTime;
    };
    let first = p
        .priorities
        .first()
        .copied()
        .unwrap_or(Priority::Placements);
    let value = match first {
        Priority::Placements => chosen.len() as f64,
        Priority::Score => chosen.iter().map(|&i| e.pairs[i].score).sum(),
        // Never the core method's (`GaveUp::Priorities`).
        Priority::Stable => return Outcome::NoSolutionInTime,
    };
    let bound = relaxed
        .phases
        .iter()
        .find(|ph| ph.priority == first)
        .map_or(value, |ph| ph.value);
    Outcome::Solved(Solution {
        chosen,
        status: Status::TimeLimit,
        gap: Some(crate::solve::outcome::relative_gap(value, bound)),
        phases: vec![Phase {
            priority: first,
            value,
            bound,
            status: Status::TimeLimit,
            seconds: 0.0,
            proof: Proof::FlowBound,
        }],
        start: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(chosen: &[usize], proven: bool) -> Mip {
        Mip::Found {
            chosen: chosen.to_vec(),
            proven,
            bound: 0.0,
        }
    }

    fn chosen(m: &Mip) -> Option<(&[usize], bool)> {
        match m {
            Mip::Found { chosen, proven, .. } => Some((chosen, *proven)),
            _ => None,
        }
    }

    /// A pair's value is its index: {3} beats {1, 1}, {2} ties {1, 1}.
    fn value(m: &Mip) -> Option<f64> {
        m.worth(|i| i as f64)
    }

    /// Pair 2 is locked (held at 1).
    fn lower(k: usize) -> f64 {
        f64::from(u8::from(k == 2))
    }

    /// Asked for one placement more than the LP over every pair allows, the
    /// score's LP falls short by exactly one, on the floor's own slack: its
    /// optimum is then the score's LP at the most placements, as that LP
    /// solved on its own finds it.
    #[test]
    fn an_lp_one_placement_short_is_the_lp_at_one_fewer() {
        let text = include_str!("../../scenarios/palim-2020/baseline.json");
        let opts = crate::input::validate::LoadOptions::default();
        let p = crate::input::validate::load_str(text, "baseline.json", &opts).unwrap();
        let e = Eligibility::build(&p);
        let made = Made::new(&p, &e, &[], None);
        let cx = Cx::new(&p, &e, &[], &made, None);
        let Ok(Priced::Optimal(count)) = cx.priced_lp(Objective::Placements, &[], &[]) else {
            panic!("the baseline's placements have an LP optimum");
        };
        let most = (count.z + 1e-6).floor();
        assert!((count.z - most).abs() < 1e-6, "a whole number: {}", count.z);
        let held = |n: f64| [(Objective::Placements, n)];
        let Ok(Priced::OneShort(short)) = cx.priced_lp(Objective::Score, &held(most + 1.0), &[])
        else {
            panic!("one placement more is one short");
        };
        let Ok(Priced::Optimal(at_most)) = cx.priced_lp(Objective::Score, &held(most), &[]) else {
            panic!("the score's LP at the most placements has an optimum");
        };
        assert!(
            (short.z - at_most.z).abs() < 1e-6,
            "{} {}",
            short.z,
            at_most.z
        );
        let placed: f64 = short.x.iter().sum();
        assert!(
            (placed - most).abs() < 1e-6,
            "{placed} placed, {most} at most"
        );
        let worth: f64 = (short.core.iter().zip(&short.x))
            .map(|(&i, &x)| x * e.pairs[i].score)
            .sum();
        assert!((worth - at_most.z).abs() < 1e-6, "{worth} {}", at_most.z);
    }

    #[test]
    fn an_lp_optimum_is_checked_against_the_reduced_costs() {
        // Core pairs 0, 1, 2 (2 is locked) at these values, with these
        // reduced costs (pair 3, outside the core, is pricing's to check).
        let optimal = |x: [f64; 3], d: [f64; 4]| optimal_by(&[0, 1, 2], &x, &d, lower);
        // At 0 a pair may cost, at 1 it may gain, in between it does
        // neither; a locked pair at 1 may cost too.
        assert!(optimal([0.0, 0.4, 1.0], [-0.3, 0.0, -2.0, 5.0]));
        assert!(optimal([1.0, 0.4, 1.0], [0.2, 0.0, -2.0, 5.0]));
        // A pair at 0 whose reduced cost gains: raising it improves the LP.
        assert!(!optimal([0.0, 0.4, 1.0], [0.3, 0.0, -2.0, 0.0]));
        // A pair at 1 (not locked) that costs: lowering it improves the LP.
        assert!(!optimal([1.0, 0.4, 1.0], [-0.2, 0.0, -2.0, 0.0]));
        // A fractional pair with a reduced cost either way.
        assert!(!optimal([0.0, 0.4, 1.0], [-0.3, 1e-3, -2.0, 0.0]));
        assert!(!optimal([0.0, 0.4, 1.0], [-0.3, -1e-3, -2.0, 0.0]));
        // Within the pricing tolerance is optimal.
        assert!(optimal([0.0, 0.4, 1.0], [1e-7, -1e-7, -2.0, 0.0]));
    }

    /// Two pairs in one row (x0 + x1 ≤ 1): the model is built with costs
    /// `model`, pricing is told `told`, and `colds` counts the models made
    /// from nothing.
    struct Told {
        model: [f64; 2],
        told: [f64; 2],
        colds: std::cell::Cell<usize>,
    }

    impl Columns for Told {
        type Rows = Row;
        fn count(&self) -> usize {
            2
        }
        fn cold(&self, core: &[usize]) -> Cold<Row> {
            self.colds.set(self.colds.get() + 1);
            let mut pb = ColProblem::default();
            let row = pb.add_row(..=1.0);
            for &k in core {
                pb.add_column(self.model[k], 0.0..=1.0, [(row, 1.0)]);
            }
            let mut model = pb.optimise(Sense::Maximise);
            model.make_quiet();
            Cold {
                model,
                rows: row,
                slacks: 0,
                lead: 0,
            }
        }
        fn cost(&self, k: usize) -> f64 {
            self.told[k]
        }
        fn column(&self, row: &Row, _k: usize) -> Vec<(Row, f64)> {
            vec![(*row, 1.0)]
        }
        fn priced(&self, _row: &Row, _k: usize, y: &[f64]) -> f64 {
            y[0]
        }
    }

    /// Column generation from the basis before, with HiGHS's optimum right
    /// or (as pricing sees it) wrong: how many models it made from nothing.
    fn colds_from_a_basis(told: [f64; 2]) -> usize {
        let model = [1.0, 2.0];
        let before = Told {
            model,
            told: model,
            colds: Default::default(),
        };
        let solved = before.cold(&[0, 1]).model.solve();
        let start = LpStart {
            core: vec![0, 1],
            basis: Basis::of(&solved).expect("a basis"),
            gap: 0.0,
            cuts: Vec::new(),
            placements: None,
            score: None,
            groups: None,
        };
        let columns = Told {
            model,
            told,
            colds: Default::default(),
        };
        let lp = column_generation(&columns, vec![true; 2], Some(&start), None, "LP");
        assert!(matches!(lp, Ok(Generated::Optimal(_))));
        columns.colds.get()
    }

    #[test]
    fn a_warm_lp_that_fails_the_reduced_costs_is_solved_again_from_nothing() {
        // HiGHS's optimum (pair 1 at 1) agrees with the reduced costs.
        assert_eq!(colds_from_a_basis([1.0, 2.0]), 1);
        // Pricing says pair 0 (at 0) gains 1 at the row's dual 2: the
        // optimum from the basis is not trusted, and the LP is solved again.
        assert_eq!(colds_from_a_basis([3.0, 2.0]), 2);
    }

    #[test]
    fn the_better_of_two_runs_is_the_match_set_worth_more() {
        let kept = better_of(found(&[1, 1], true), found(&[3], true), value);
        assert_eq!(chosen(&kept), Some((&[3][..], true)));
        let kept = better_of(found(&[3], true), found(&[1, 1], false), value);
        assert_eq!(chosen(&kept), Some((&[3][..], true)));
        // A tie keeps the first run's, whichever pairs the second chose.
        let kept = better_of(found(&[1, 1], true), found(&[2], true), value);
        assert_eq!(chosen(&kept), Some((&[1, 1][..], true)));
        // A match set refutes a claim of infeasibility, either way round.
        let kept = better_of(Mip::Infeasible, found(&[2], true), value);
        assert_eq!(chosen(&kept), Some((&[2][..], true)));
        let kept = better_of(found(&[2], false), Mip::Nothing, value);
        assert_eq!(chosen(&kept), Some((&[2][..], false)));
    }
}
