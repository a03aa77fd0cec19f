//! Shortlists when a group share breaks the flow's optimum: the core method
//! of [`crate::solve::core_method`] on the shortlists' own rows, so that no
//! integer program ever sees every pair (at national size HiGHS does not
//! finish presolve on 5·10⁵ binaries).
//!
//! The linear program has a column per pair that may be proposed (0..1) and
//! two per vacancy, its covered positions (0..open) and its other places
//! (0..(K − 1)·open); its rows hold each trainee's shortlists, each
//! vacancy's candidates (= covered + other places: one row, where a place
//! limit and a covered ≤ candidates row would be two) and the group shares.
//! Two phases:
//!
//! 1. **Positions covered and places used.** The flow without the shares
//!    bounds both, and the start (the flow's answer with the shares
//!    restored) reaching those bounds proves them at once. Else the score
//!    phase is tried with the flow's bounds held by rows: usually the shares
//!    cost neither goal (the generator's `large`), and this LP, unlike the
//!    first goals' own, is not degenerate. When not even it reaches them,
//!    the LP of covered + w·places ([`Model::places_weight`]: lexicographic)
//!    bounds the positions covered by ⌊z⌋; the start reaching that bound,
//!    the places are the LP's (or reduced-cost fixing's) with the covered
//!    positions held, else both goals are reduced-cost fixing's, from
//!    δ = the start's gap, in which the start is still an answer.
//! 2. **The score**, the two goals held by rows at their values: the LP by
//!    column generation, then branch-and-bound on the pairs whose reduced
//!    cost could still matter.
//!
//! The first core is each trainee's pairs that the flow relaxation prices
//! best (least reduced cost), not the best by score: the flow's prices know
//! which vacancies are sought after. At `large` the LP then ends in 3.5 s
//! where it took 9 s from the best by score. Branch-and-bound programs hold
//! the pairs fixed at 1 in their rows' bounds, not as columns, and have rows
//! only where a free pair is.
//!
//! Columns are numbered by candidate (`Model::cands`), not by pair.

use std::time::Instant;

use highs::{ColProblem, Row, Sense};

use super::{Found, Model, Proof, Start};
use crate::error::PalimError;
use crate::solve::core_method::{self, Branched, Cold, GaveUp, Generated, Lp, Mip};
use crate::solve::outcome::{better_of, Status, SECOND_OPINION_UP_TO};
use crate::solve::shortlist::ShareRow;

/// How far below a whole goal's value its floor row lets it go: above
/// HiGHS's feasibility tolerance (10⁻⁷), far below one.
const FLOOR_SLACK: f64 = 1e-6;
/// The score phase's first δ, relative to the LP's value. Measured on the
/// shared generator's `large` (five women shares), seeds 1–4: the LP is
/// 3·10⁻⁸, 5·10⁻⁸, 1.6·10⁻⁷ and 2.7·10⁻⁷ above the optimum, relative. Most
/// free pairs are the LP's basic ones (reduced cost 0: some 15,000 at any δ),
/// so a δ that covers three of the four costs each program little (seeds 1
/// and 2 about 0.7 s more than at 5·10⁻⁸), and a second program costs
/// seconds; at 10⁻⁶ twice the pairs are free.
const START_DELTA: f64 = 2e-7;
/// Above this many free pairs, δ grows fourfold at a time
/// ([`core_method::branch_on_reduced_costs`]); below, a program on every
/// pair the gap frees costs milliseconds.
const CAREFUL_ABOVE: usize = 5_000;
/// Each trainee's best candidates by score in the first core, beyond the
/// shortlists they may be on.
const FIRST_CORE_EXTRA: usize = 2;

/// What a phase maximises.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Objective {
    /// Positions covered + `weight` × places used.
    Cover {
        weight: f64,
    },
    /// Places used (positions covered held by a floor).
    Places,
    Score,
}

/// The goals before a phase, held by rows at least at these values.
#[derive(Debug, Clone, Copy)]
struct Floors {
    covered: f64,
    places: Option<f64>,
}

/// The shortlists by the core method (see the module comment), from the
/// flow relaxation's bounds and its repaired answer. Out of time, the best
/// answer found with the bounds proven so far; a solver failure falls back
/// to the integer program on every pair.
pub(super) fn solve(
    m: &Model,
    start: Start,
    deadline: Option<Instant>,
    started: Instant,
) -> Result<Found, PalimError> {
    let Some(weight) = m.places_weight() else {
        return m.integer_program(deadline, started, Some(start));
    };
    let cx = Cx::new(m, deadline, start.reduced.as_deref());
    let mut best = Best {
        chosen: cx.to_columns(&start.chosen),
        bounds: [start.bounds[0], start.bounds[1], f64::INFINITY],
        proofs: [Proof::BranchAndBound; 3],
    };
    match cx.run(weight, &start, &mut best) {
        // Proven: every bound is the value itself.
        Ok(()) => Ok(m.found(
            cx.to_pairs(&best.chosen),
            Status::Optimal,
            None,
            best.proofs,
            started,
        )),
        Err(GaveUp::Time) => Ok(m.found(
            cx.to_pairs(&best.chosen),
            Status::TimeLimit,
            Some(&best.bounds),
            best.proofs,
            started,
        )),
        Err(GaveUp::Solver(why)) => {
            tracing::info!(target: "palim::progress", "the core method gave up ({why}): the integer program on every pair");
            m.integer_program(deadline, started, Some(start))
        }
        // Never the shortlist's (it has the flow's placements).
        Err(GaveUp::Priorities | GaveUp::NeedsFlow) => {
            m.integer_program(deadline, started, Some(start))
        }
    }
}

/// The best answer so far (columns), each goal's proven bound and proof.
struct Best {
    chosen: Vec<usize>,
    bounds: [f64; 3],
    proofs: [Proof; 3],
}

struct Cx<'a> {
    m: &'a Model<'a>,
    deadline: Option<Instant>,
    rows: Vec<ShareRow>,
    /// Vacancies with an open position: one covered column each.
    open: Vec<usize>,
    /// Whether a trainee's limit can bind: a row is needed.
    trainee_row: Vec<bool>,
    /// The flow relaxation's reduced costs ([`Start::reduced`]).
    reduced: Option<&'a [f64]>,
}

impl<'a> Cx<'a> {
    fn new(m: &'a Model<'a>, deadline: Option<Instant>, reduced: Option<&'a [f64]>) -> Cx<'a> {
        let (p, e) = (m.p, m.e);
        let mut of_trainee = vec![0u64; p.trainees.len()];
        for &i in m.cands {
            of_trainee[e.pairs[i].t] += 1;
        }
        Cx {
            m,
            deadline,
            rows: ShareRow::all(p),
            open: (0..p.vacancies.len()).filter(|&v| m.open[v] > 0).collect(),
            trainee_row: of_trainee
                .iter()
                .map(|&n| n > u64::from(m.ask.per_trainee))
                .collect(),
            reduced,
        }
    }

    fn to_columns(&self, pairs: &[usize]) -> Vec<usize> {
        pairs
            .iter()
            .filter_map(|i| self.m.cands.binary_search(i).ok())
            .collect()
    }

    fn to_pairs(&self, columns: &[usize]) -> Vec<usize> {
        let mut out: Vec<usize> = columns.iter().map(|&k| self.m.cands[k]).collect();
        out.sort_unstable();
        out
    }

    /// (positions covered, places used, score) of columns `chosen`.
    fn goals(&self, chosen: &[usize]) -> (f64, f64, f64) {
        let load = self.load(chosen);
        let score = (chosen.iter())
            .map(|&k| self.m.e.pairs[self.m.cands[k]].score)
            .sum();
        let covered = load
            .iter()
            .zip(self.m.open)
            .map(|(&l, &o)| f64::from(l.min(o)))
            .sum();
        (covered, chosen.len() as f64, score)
    }

    fn value(&self, objective: Objective, chosen: &[usize]) -> f64 {
        let (covered, places, score) = self.goals(chosen);
        match objective {
            Objective::Cover { weight } => covered + weight * places,
            Objective::Places => places,
            Objective::Score => score,
        }
    }

    fn cost(&self, objective: Objective, k: usize) -> f64 {
        match objective {
            Objective::Cover { weight } => weight,
            Objective::Places => 1.0,
            Objective::Score => self.m.e.pairs[self.m.cands[k]].score,
        }
    }

    /// Both phases; `best` holds what is proven so far when it stops early.
    fn run(&self, weight: f64, start: &Start, best: &mut Best) -> Result<(), GaveUp> {
        let floors = match self.first_goals(weight, start, best)? {
            Some(floors) => floors,
            None => return Ok(()),
        };
        let seed = best.chosen.clone();
        if self.score_phase(floors, &seed, best)? {
            Ok(())
        } else {
            Err(GaveUp::Solver(
                "the score phase lost the answer of the first".into(),
            ))
        }
    }

    /// Positions covered and places used, proven, in `best`: the floors the
    /// score phase holds, or `None` when the score was proven on the way.
    fn first_goals(
        &self,
        weight: f64,
        start: &Start,
        best: &mut Best,
    ) -> Result<Option<Floors>, GaveUp> {
        let cover = Objective::Cover { weight };
        let flow = Floors {
            covered: start.bounds[0],
            places: Some(start.bounds[1]),
        };
        let (covered, places, _) = self.goals(&best.chosen);
        if covered >= start.bounds[0] - 0.5 && places >= start.bounds[1] - 0.5 {
            best.proofs[..2].fill(Proof::FlowBound);
            return Ok(Some(flow));
        }
        // Usually the shares cost neither goal: the score with the flow's
        // bounds held (its LP is not degenerate, as the first goals' is).
        let mut seed = best.chosen.clone();
        seed.extend(self.to_columns(&start.flow));
        if self.score_phase(flow, &seed, best)? {
            best.proofs[..2].fill(Proof::FlowBound);
            return Ok(None);
        }
        let lp = self
            .priced_lp(cover, None, &seed)?
            .ok_or_else(|| GaveUp::Solver("the LP without floors lost its answer".into()))?;
        let tolerance = 1e-9 * lp.z.abs().max(1.0);
        // Covered is whole and the places' term is below 1: ⌊z⌋ bounds it.
        let most_covered = (lp.z + 1e-6).floor();
        best.bounds[0] = best.bounds[0].min(most_covered);
        if covered >= most_covered - 0.5 {
            best.proofs[0] = Proof::LpBound;
            let held = Floors {
                covered,
                places: None,
            };
            let places = self.whole_phase(Objective::Places, held, best)?;
            best.proofs[1] = places;
        } else {
            let from = self.value(cover, &best.chosen);
            let delta = (lp.z - from).max(0.0) * (1.0 + 1e-6) + tolerance;
            let proof = self.branch(cover, None, &lp, delta, best)?;
            best.proofs[..2].fill(proof);
        }
        let (covered, places, _) = self.goals(&best.chosen);
        best.bounds[..2].copy_from_slice(&[covered, places]);
        Ok(Some(Floors {
            covered,
            places: Some(places),
        }))
    }

    /// A whole goal (places used) with `floors` held, from `best`: proven
    /// by the LP's bound when `best` reaches it, else by reduced-cost fixing.
    fn whole_phase(
        &self,
        objective: Objective,
        floors: Floors,
        best: &mut Best,
    ) -> Result<Proof, GaveUp> {
        let seed = best.chosen.clone();
        let lp = self
            .priced_lp(objective, Some(floors), &seed)?
            .ok_or_else(|| GaveUp::Solver("the LP lost the answer it started from".into()))?;
        let most = (lp.z + 1e-6).floor();
        let from = self.value(objective, &best.chosen);
        if from >= most - 0.5 {
            return Ok(Proof::LpBound);
        }
        let delta = (lp.z - from).max(0.5);
        self.branch(objective, Some(floors), &lp, delta, best)
    }

    /// Reduced-cost fixing from `lp`, started from `best` (an answer within
    /// δ of the LP's value, so still one of the restricted program's); the
    /// optimum replaces it.
    fn branch(
        &self,
        objective: Objective,
        floors: Option<Floors>,
        lp: &Lp,
        delta: f64,
        best: &mut Best,
    ) -> Result<Proof, GaveUp> {
        let whole = (objective == Objective::Places).then(|| (lp.z + 1e-6).floor());
        let mut start = best.chosen.clone();
        let branched = core_method::branch_on_reduced_costs(
            lp,
            whole,
            delta,
            Some(CAREFUL_ABOVE),
            |chosen| self.value(objective, chosen),
            |free, ones| self.mip(objective, floors, free, ones, &mut start),
        )?;
        let Branched::Found {
            chosen,
            proof,
            status,
            ..
        } = branched
        else {
            return Err(GaveUp::Solver(
                "the answer a phase started from keeps every rule, yet none was found".into(),
            ));
        };
        if self.value(objective, &chosen) >= self.value(objective, &best.chosen) {
            best.chosen = chosen;
        }
        if status != Status::Optimal {
            return Err(GaveUp::Time);
        }
        Ok(Proof::from(proof))
    }

    /// The score with `floors` held, from a core holding `seed`. `false`
    /// when not even the LP (or no integer answer) reaches the floors; else
    /// the answer is in `best`, proven, or cut by the deadline (`GaveUp::Time`).
    fn score_phase(&self, floors: Floors, seed: &[usize], best: &mut Best) -> Result<bool, GaveUp> {
        let Some(lp) = self.priced_lp(Objective::Score, Some(floors), seed)? else {
            return Ok(false);
        };
        if let Some(chosen) = core_method::integral_choice(&lp.core, &lp.x) {
            best.chosen = chosen;
            best.bounds[2] = self.value(Objective::Score, &best.chosen);
            best.proofs[2] = Proof::IntegralLp;
            return Ok(true);
        }
        let delta = START_DELTA * lp.z.abs().max(1.0);
        let mut start = best.chosen.clone();
        let branched = core_method::branch_on_reduced_costs(
            &lp,
            None,
            delta,
            Some(CAREFUL_ABOVE),
            |chosen| self.value(Objective::Score, chosen),
            |free, ones| self.mip(Objective::Score, Some(floors), free, ones, &mut start),
        )?;
        let Branched::Found {
            chosen,
            bound,
            proof,
            status,
            ..
        } = branched
        else {
            return Ok(false);
        };
        best.chosen = chosen;
        best.bounds[2] = bound;
        best.proofs[2] = Proof::from(proof);
        if status == Status::Optimal {
            Ok(true)
        } else {
            Err(GaveUp::Time)
        }
    }

    /// The first core: `seed` and each trainee's best candidates, by the
    /// flow relaxation's reduced cost when known (it knows which vacancies
    /// are sought after, as the score alone does not), else by score.
    fn first_core(&self, seed: &[usize]) -> Vec<bool> {
        let (m, e) = (self.m, self.m.e);
        let mut in_core = vec![false; m.cands.len()];
        for &k in seed {
            in_core[k] = true;
        }
        let mut by_trainee: Vec<Vec<usize>> = vec![Vec::new(); m.p.trainees.len()];
        for (k, &i) in m.cands.iter().enumerate() {
            by_trainee[e.pairs[i].t].push(k);
        }
        let take = m.ask.per_trainee as usize + FIRST_CORE_EXTRA;
        let worth = |k: usize| match self.reduced {
            Some(reduced) => -reduced[k],
            None => e.pairs[m.cands[k]].score,
        };
        for mine in &mut by_trainee {
            mine.sort_by(|&a, &b| worth(b).total_cmp(&worth(a)).then(a.cmp(&b)));
            for &k in mine.iter().take(take) {
                in_core[k] = true;
            }
        }
        in_core
    }

    /// The LP over every candidate by column generation from the first
    /// core ([`core_method::column_generation`]). `None` when not even the
    /// LP reaches `floors`.
    fn priced_lp(
        &self,
        objective: Objective,
        floors: Option<Floors>,
        seed: &[usize],
    ) -> Result<Option<Lp>, GaveUp> {
        let n = self.m.cands.len();
        // The floors get slacks at a large penalty (a core may lack the
        // pairs to reach them): pricing then brings those pairs in.
        let penalty = 1e4
            * (1.0
                + (0..n)
                    .map(|k| self.cost(objective, k).abs())
                    .fold(1.0, f64::max));
        let columns = LpColumns {
            cx: self,
            objective,
            floors,
            penalty,
        };
        let first = self.first_core(seed);
        Ok(
            match core_method::column_generation(
                &columns,
                first,
                None,
                self.deadline,
                "shortlists' LP",
            )? {
                Generated::Optimal(lp) => Some(lp),
                Generated::Slack(_) => None,
            },
        )
    }

    /// The integer program on `free` columns with `ones` held at 1, started
    /// from `start` when it is one of its answers; its answer is the next
    /// program's start.
    ///
    /// δ only grows, so each program's answer is one of the next's: HiGHS,
    /// given it, fixes most columns by their reduced cost at once, where it
    /// would search for a first answer of its own (`large`, seed 4: the
    /// second program took 4.7 s without it, 2.5 s with it).
    ///
    /// Only the rows the free columns are in are rows of it: the ones, and
    /// the vacancies and trainees no free column touches, are constants in
    /// their bounds. At `large` two in three of the columns are ones, and
    /// HiGHS's presolve took 1.9 s of its 2.1 s to take them out itself.
    fn mip(
        &self,
        objective: Objective,
        floors: Option<Floors>,
        free: &[usize],
        ones: &[usize],
        start: &mut Vec<usize>,
    ) -> Result<Mip, GaveUp> {
        let mut pb = ColProblem::default();
        let rows = Rows::add(&mut pb, self, floors, Some(Held { free, ones }));
        rows.covered_columns(&mut pb, self, objective);
        for &k in free {
            pb.add_integer_column(self.cost(objective, k), 0.0..=1.0, rows.column(self, k));
        }
        let presolve_off = free.len() < core_method::PRESOLVE_FROM;
        // HiGHS without presolve has proven optima below the true one
        // (see `optimize::run_model`): a small program is solved with
        // presolve too, where that costs milliseconds.
        let second = (presolve_off && free.len() <= SECOND_OPINION_UP_TO).then(|| pb.clone());
        let values = self.start_values(&rows, free, ones, start);
        let lead = 2 * rows.open.len();
        let run = |pb: ColProblem, presolve_off: bool| {
            let mut model = pb.optimise(Sense::Maximise);
            // The deadline is `solve_mip`'s to set.
            super::tune(&mut model, !presolve_off, None);
            if let Some(values) = &values {
                model.set_solution(Some(values), None, None, None);
            }
            core_method::solve_mip(model, self.deadline, free, lead)
        };
        let mut mip = run(pb, presolve_off)?;
        if let Some(pb) = second {
            mip = better_of(mip, run(pb, false)?, |m| {
                m.worth(|k| self.cost(objective, k))
            });
        }
        if let Mip::Found { chosen, bound, .. } = &mut mip {
            // What the program leaves out of its objective.
            let held: f64 = ones.iter().map(|&k| self.cost(objective, k)).sum();
            let covered = match objective {
                Objective::Cover { .. } => rows.covered_held,
                Objective::Places | Objective::Score => 0.0,
            };
            *bound += held + covered;
            chosen.extend_from_slice(ones);
            start.clone_from(chosen);
        }
        Ok(mip)
    }

    /// `start` as the columns of a restricted program (covered and rest of
    /// the vacancies with rows, then `free`), when it holds every one of
    /// `ones` and uses no other column.
    fn start_values(
        &self,
        rows: &Rows,
        free: &[usize],
        ones: &[usize],
        start: &[usize],
    ) -> Option<Vec<f64>> {
        let mut on = vec![false; self.m.cands.len()];
        for &k in start {
            on[k] = true;
        }
        let used = free.iter().filter(|&&k| on[k]).count();
        if start.is_empty() || ones.iter().any(|&k| !on[k]) || used + ones.len() != start.len() {
            return None;
        }
        let load = self.load(start);
        let mut values: Vec<f64> = (rows.open.iter())
            .flat_map(|&v| {
                let covered = load[v].min(self.m.open[v]);
                [f64::from(covered), f64::from(load[v] - covered)]
            })
            .collect();
        values.extend(free.iter().map(|&k| f64::from(u8::from(on[k]))));
        Some(values)
    }

    /// Each vacancy's candidates among columns `chosen`.
    fn load(&self, chosen: &[usize]) -> Vec<u32> {
        let mut load = vec![0u32; self.m.open.len()];
        for &k in chosen {
            load[self.m.e.pairs[self.m.cands[k]].v] += 1;
        }
        load
    }
}

/// A phase's LP as [`core_method::Columns`]: every candidate a column.
struct LpColumns<'a> {
    cx: &'a Cx<'a>,
    objective: Objective,
    floors: Option<Floors>,
    penalty: f64,
}

impl core_method::Columns for LpColumns<'_> {
    type Rows = Rows;

    fn count(&self) -> usize {
        self.cx.m.cands.len()
    }

    fn cold(&self, core: &[usize]) -> Cold<Rows> {
        let cx = self.cx;
        let mut pb = ColProblem::default();
        let rows = Rows::add(&mut pb, cx, self.floors, None);
        for &r in &rows.floors {
            pb.add_column(-self.penalty, 0.0.., [(rows.handles[r], 1.0)]);
        }
        rows.covered_columns(&mut pb, cx, self.objective);
        for &k in core {
            pb.add_column(self.cost(k), 0.0..=1.0, rows.column(cx, k));
        }
        let mut model = pb.optimise(Sense::Maximise);
        model.make_quiet();
        // Presolve finds little to remove here (every row can bind) and
        // costs time at every size: round 2 41 → 36 ms whole process,
        // `large` about 1.3 s less (measured alternately).
        model.set_option("presolve", "off");
        let slacks = rows.floors.len();
        let lead = slacks + 2 * rows.open.len();
        Cold {
            model,
            rows,
            slacks,
            lead,
        }
    }

    fn cost(&self, k: usize) -> f64 {
        self.cx.cost(self.objective, k)
    }

    fn column(&self, rows: &Rows, k: usize) -> Vec<(Row, f64)> {
        rows.column(self.cx, k)
    }

    fn priced(&self, rows: &Rows, k: usize, y: &[f64]) -> f64 {
        rows.priced(self.cx, k, y)
    }
}

/// The rows of the shortlists' programs, numbered as HiGHS numbers them.
struct Rows {
    handles: Vec<Row>,
    trainee: Vec<Option<usize>>,
    /// Each open vacancy's candidates − covered − rest = 0 (its covered
    /// and rest columns bounded by the open positions and the other places).
    vacancy: Vec<Option<usize>>,
    /// Each group share's row, in `Cx::rows` order.
    shares: Vec<usize>,
    /// Covered positions, then places used, held at least at their floors.
    floors: Vec<usize>,
    /// The open vacancies with a row, in `Cx::open` order: a covered and a
    /// rest column each.
    open: Vec<usize>,
    /// Positions covered by held columns at vacancies without a row.
    covered_held: f64,
    /// Whether the places floor counts each vacancy's covered and rest
    /// columns (its candidates) rather than every pair; a pair held at a
    /// vacancy without a row still counts itself. Branch-and-bound's
    /// programs count by vacancy: the row is then two columns per vacancy
    /// and not every free pair, and HiGHS's presolve, which compares the
    /// columns of each row, took half the time (`large`, seed 3: 3.1 → 1.5 s
    /// and 5.8 → 4.0 s). The LP counts pairs: by vacancy its dual simplex
    /// took 3.2 s against 2.0 s. Both count the same places, and reduced-cost
    /// fixing holds whichever program solves the free pairs.
    places_by_vacancy: bool,
}

/// A restricted program's columns: `free`, and `ones` held at 1 (constants
/// in the rows' bounds, not columns).
#[derive(Clone, Copy)]
struct Held<'h> {
    free: &'h [usize],
    ones: &'h [usize],
}

impl Rows {
    /// The rows, less what the columns `held` put in them; with `held`, only
    /// the trainees' and vacancies' rows a free column is in (the others
    /// hold constants: a vacancy's covered positions are as many as it can,
    /// which no goal minds).
    fn add(pb: &mut ColProblem, cx: &Cx, floors: Option<Floors>, held: Option<Held>) -> Rows {
        let m = cx.m;
        let (mut live_t, mut live_v) = (
            vec![held.is_none(); cx.trainee_row.len()],
            vec![held.is_none(); m.open.len()],
        );
        for &k in held.map_or(&[][..], |h| h.free) {
            let pair = &m.e.pairs[m.cands[k]];
            live_t[pair.t] = true;
            live_v[pair.v] = true;
        }
        let ones = held.map_or(&[][..], |h| h.ones);
        let mut bounds: Vec<(f64, f64)> = Vec::new();
        let mut add = |lower: f64, upper: f64| {
            bounds.push((lower, upper));
            bounds.len() - 1
        };
        let per_trainee = f64::from(m.ask.per_trainee);
        let trainee = (cx.trainee_row.iter().zip(&live_t))
            .map(|(&r, &live)| (r && live).then(|| add(f64::NEG_INFINITY, per_trainee)))
            .collect();
        let vacancy = (0..m.p.vacancies.len())
            .map(|v| (m.open[v] > 0 && live_v[v]).then(|| add(0.0, 0.0)))
            .collect();
        let shares = (cx.rows.iter())
            .map(|row| match row.at_least {
                true => add(0.0, f64::INFINITY),
                false => add(f64::NEG_INFINITY, 0.0),
            })
            .collect();
        // Both goals are whole, so a floor just below the value is exact
        // for integers and tight for the LP.
        let mut floor_rows = Vec::new();
        if let Some(f) = floors {
            floor_rows.push(add(f.covered - FLOOR_SLACK, f64::INFINITY));
            if let Some(places) = f.places {
                floor_rows.push(add(places - FLOOR_SLACK, f64::INFINITY));
            }
        }
        let load = cx.load(ones);
        let covered_held = (cx.open.iter())
            .filter(|&&v| !live_v[v])
            .map(|&v| f64::from(load[v].min(m.open[v])))
            .sum();
        let mut rows = Rows {
            handles: Vec::with_capacity(bounds.len()),
            trainee,
            vacancy,
            shares,
            floors: floor_rows,
            open: cx.open.iter().copied().filter(|&v| live_v[v]).collect(),
            covered_held,
            places_by_vacancy: held.is_some(),
        };
        let mut taken = vec![0.0; bounds.len()];
        for &k in ones {
            rows.entries(cx, k, |r, a| taken[r] += a);
        }
        if let Some(&r) = rows.floors.first() {
            taken[r] += covered_held;
        }
        for (&(lower, upper), &t) in bounds.iter().zip(&taken) {
            rows.handles.push(pb.add_row((lower - t)..=(upper - t)));
        }
        rows
    }

    /// Each open vacancy's covered column, then its rest column (first,
    /// in `Rows::open` order: 2 per vacancy with a row).
    fn covered_columns(&self, pb: &mut ColProblem, cx: &Cx, objective: Objective) {
        let cost = match objective {
            Objective::Cover { .. } => 1.0,
            Objective::Places | Objective::Score => 0.0,
        };
        for &v in &self.open {
            let row = self.handles[self.vacancy[v].unwrap_or_default()];
            let places = (self.floors.get(1))
                .filter(|_| self.places_by_vacancy)
                .map(|&r| (self.handles[r], 1.0));
            let mut column = vec![(row, -1.0)];
            if let Some(&r) = self.floors.first() {
                column.push((self.handles[r], 1.0));
            }
            column.extend(places);
            let open = cx.m.open[v];
            pb.add_column(cost, 0.0..=f64::from(open), column);
            let rest = cx.m.capacity(v) - u64::from(open);
            let mut column = vec![(row, -1.0)];
            column.extend(places);
            pb.add_column(0.0, 0.0..=rest as f64, column);
        }
    }

    /// Candidate `k`'s column: `each(row, coefficient)`.
    fn entries(&self, cx: &Cx, k: usize, mut each: impl FnMut(usize, f64)) {
        let (m, i) = (cx.m, cx.m.cands[k]);
        let pair = &m.e.pairs[i];
        if let Some(r) = self.trainee[pair.t] {
            each(r, 1.0);
        }
        if let Some(r) = self.vacancy[pair.v] {
            each(r, 1.0);
        }
        for (row, &r) in cx.rows.iter().zip(&self.shares) {
            if let Some(a) = row.coefficient(m.p, m.e, i) {
                each(r, a);
            }
        }
        if let Some(&r) = self.floors.get(1) {
            if !self.places_by_vacancy || self.vacancy[pair.v].is_none() {
                each(r, 1.0);
            }
        }
    }

    fn column(&self, cx: &Cx, k: usize) -> Vec<(Row, f64)> {
        let mut out = Vec::with_capacity(6);
        self.entries(cx, k, |r, a| out.push((self.handles[r], a)));
        out
    }

    fn priced(&self, cx: &Cx, k: usize, y: &[f64]) -> f64 {
        let mut sum = 0.0;
        self.entries(cx, k, |r, a| sum += a * y[r]);
        sum
    }
}

impl From<crate::solve::outcome::Proof> for Proof {
    fn from(proof: crate::solve::outcome::Proof) -> Proof {
        match proof {
            crate::solve::outcome::Proof::ReducedCostFixing => Proof::ReducedCostFixing,
            _ => Proof::BranchAndBound,
        }
    }
}
