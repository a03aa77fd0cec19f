//! Interview shortlists: for each vacancy up to `K ×` its open positions
//! candidates to interview, each trainee on at most `M` shortlists, proven
//! optimal for three goals in order:
//!
//! 1. the most positions covered, Σ over vacancies of min(candidates, open);
//! 2. then the most shortlist places used, Σ over vacancies of candidates;
//! 3. then the best total score of the shortlisted pairs.
//!
//! Without group shares this is a network:
//!
//! ```text
//! source ─M─▶ trainee ─1, −score─▶ vacancy ─open, −B─▶ sink
//!                                          ─(K−1)·open, 0─▶ sink
//! ```
//!
//! with B above any difference in score. A maximum flow is the most places;
//! it also covers the most positions, because augmenting never lowers a
//! vacancy's count (a path reroutes through a vacancy, in and out, and ends
//! at one more), so from a flow covering the most the most places are
//! reached without losing a covered position. Among maximum flows the
//! cheapest covers the most (B each) and then scores best: the minimum-cost
//! maximum flow is the lexicographic optimum.
//!
//! A group share counts each candidate once per shortlist in its scope. A
//! share is not a capacity: the flow without shares is a relaxation, its
//! optimum kept when it already holds them (proof
//! `min_cost_flow_relaxation`), else the core method answers (`core.rs`: the
//! LP over every pair by column generation, then branch-and-bound on the
//! pairs whose reduced cost could still matter). The integer program on
//! every pair, one phase per goal, each held at its optimum while the next
//! is optimised (the first two goals in one phase, weighted so that it
//! stays lexicographic), is what tests compare it with, and the fallback
//! when HiGHS fails it.
//!
//! Who is spoken for is not proposed: a trainee locked to a vacancy (an
//! acceptance is a lock) or holding an offer takes one of its positions and
//! is on no shortlist; a pair already interviewed is not proposed again.

use std::collections::HashSet;
use std::time::Instant;

use good_lp::{constraint, variable, Expression, ProblemVariables, SolverModel, Variable};
use highs::HighsModelStatus;

use crate::eligibility::Eligibility;
use crate::error::PalimError;
use crate::model::problem::{InterviewOutcome, Problem, TraineeIx, VacancyIx};
use crate::solve::flow;
use crate::solve::hard_rules;
use crate::solve::outcome::{
    better_of, past, seconds_left, Status, SCORE_TOLERANCE, SECOND_OPINION_UP_TO,
};

mod core;

/// How many candidates to propose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ask {
    /// Candidates per open position (K).
    pub per_position: u32,
    /// Shortlists per trainee (M).
    pub per_trainee: u32,
}

/// Which engine answers; tests run both on the same scenarios.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Engine {
    /// The flow when the scenario has no group share (or its optimum keeps
    /// them), else the core method (`core.rs`).
    #[default]
    Auto,
    /// The integer program on every pair, whatever the scenario.
    IntegerProgram,
}

/// How a goal's optimum was proven.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Proof {
    /// No pair can be shortlisted.
    Trivial,
    /// A minimum-cost maximum flow: optimal by the flow's conditions.
    MinCostFlow,
    /// The flow without the group shares already kept them.
    #[strum(serialize = "min_cost_flow_relaxation")]
    FlowRelaxation,
    /// HiGHS's branch-and-bound closed the gap (or stopped at the deadline).
    BranchAndBound,
    /// The LP over every pair was already whole.
    #[strum(serialize = "integral_lp_relaxation")]
    IntegralLp,
    /// The LP over every pair bounds the goal, and no answer lies between
    /// these shortlists and that bound.
    LpBound,
    /// Branch-and-bound on the pairs whose reduced cost could still matter
    /// (every other pair would cost more than the LP's gap).
    ReducedCostFixing,
    /// The flow without the group shares bounds the goal, and these
    /// shortlists (its answer, trimmed until the shares hold) reach it.
    FlowBound,
}

impl Proof {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The three goals, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    PositionsCovered,
    PlacesUsed,
    Score,
}

impl Goal {
    pub const ALL: [Goal; 3] = [Goal::PositionsCovered, Goal::PlacesUsed, Goal::Score];

    pub fn as_str(self) -> &'static str {
        match self {
            Goal::PositionsCovered => "positions_covered",
            Goal::PlacesUsed => "places_used",
            Goal::Score => "score",
        }
    }
}

/// One goal's value, its proven bound and how it was proven.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GoalValue {
    pub goal: Goal,
    pub value: f64,
    pub bound: f64,
    pub proof: Proof,
}

/// How a trainee holds a position before the shortlists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// The officer's lock.
    Locked,
    /// An acceptance after an interview (a lock too).
    Accepted,
    /// An offer not yet answered.
    Offer,
}

impl Hold {
    pub fn as_str(self) -> &'static str {
        match self {
            Hold::Locked => "locked",
            Hold::Accepted => "accepted",
            Hold::Offer => "offer",
        }
    }
}

/// Who is spoken for before anyone is proposed: a scenario's locks
/// (acceptances among them) and offers, and every pair already interviewed.
#[derive(Debug, Clone)]
pub struct Taken {
    /// Positions held at each vacancy.
    pub held: Vec<u32>,
    /// The vacancy each trainee is locked to or holds an offer from.
    pub busy: Vec<Option<(VacancyIx, Hold)>>,
    /// Pairs with an interview on record, whatever its outcome.
    pub interviewed: HashSet<(TraineeIx, VacancyIx)>,
}

impl Taken {
    pub fn of(p: &Problem) -> Taken {
        let mut held = vec![0u32; p.vacancies.len()];
        let mut busy = vec![None; p.trainees.len()];
        let accepted: HashSet<(TraineeIx, VacancyIx)> = p
            .interviews
            .iter()
            .filter(|i| i.outcome == InterviewOutcome::Accepted)
            .map(|i| (i.trainee, i.vacancy))
            .collect();
        for lock in &p.locks {
            held[lock.vacancy] += 1;
            let how = if accepted.contains(&(lock.trainee, lock.vacancy)) {
                Hold::Accepted
            } else {
                Hold::Locked
            };
            busy[lock.trainee] = Some((lock.vacancy, how));
        }
        for i in &p.interviews {
            if i.outcome == InterviewOutcome::Offer && busy[i.trainee].is_none() {
                held[i.vacancy] += 1;
                busy[i.trainee] = Some((i.vacancy, Hold::Offer));
            }
        }
        let interviewed = p
            .interviews
            .iter()
            .map(|i| (i.trainee, i.vacancy))
            .collect();
        Taken {
            held,
            busy,
            interviewed,
        }
    }

    /// Positions still open at `v`.
    pub fn open(&self, p: &Problem, v: VacancyIx) -> u32 {
        p.vacancies[v].positions.saturating_sub(self.held[v])
    }

    /// Whether eligible pair (t, v) may be proposed.
    pub fn proposable(&self, p: &Problem, t: TraineeIx, v: VacancyIx) -> bool {
        self.busy[t].is_none() && self.open(p, v) > 0 && !self.interviewed.contains(&(t, v))
    }
}

/// The shortlists found: pairs (indices into `Eligibility::pairs`, ascending).
#[derive(Debug, Clone)]
pub struct Found {
    pub chosen: Vec<usize>,
    pub status: Status,
    pub goals: Vec<GoalValue>,
    pub seconds: f64,
}

/// The shortlists of `p` for `ask`: the lexicographic optimum, or the best
/// found by `deadline` (status `TimeLimit`, with the bounds proven so far).
pub fn solve(
    p: &Problem,
    e: &Eligibility,
    ask: Ask,
    engine: Engine,
    deadline: Option<Instant>,
) -> Result<Found, PalimError> {
    let started = Instant::now();
    let taken = Taken::of(p);
    let cands: Vec<usize> = (0..e.pairs.len())
        .filter(|&i| taken.proposable(p, e.pairs[i].t, e.pairs[i].v))
        .collect();
    let open: Vec<u32> = (0..p.vacancies.len()).map(|v| taken.open(p, v)).collect();
    let m = Model {
        p,
        e,
        ask,
        cands: &cands,
        open: &open,
    };
    if cands.is_empty() || ask.per_position == 0 || ask.per_trainee == 0 {
        return Ok(m.found(
            Vec::new(),
            Status::Optimal,
            None,
            [Proof::Trivial; 3],
            started,
        ));
    }
    if engine == Engine::Auto {
        let Some(Relaxed { chosen, reduced }) = m.flow(deadline)? else {
            // Out of time before any bound: nothing proven, nobody proposed.
            return Ok(m.found(
                Vec::new(),
                Status::TimeLimit,
                Some(&[f64::INFINITY; 3]),
                [Proof::Trivial; 3],
                started,
            ));
        };
        let proof = if p.shares.is_empty() {
            Some(Proof::MinCostFlow)
        } else {
            m.shares_hold(&chosen).then_some(Proof::FlowRelaxation)
        };
        if let Some(proof) = proof {
            return Ok(m.found(chosen, Status::Optimal, None, [proof; 3], started));
        }
        tracing::info!(
            target: "palim::progress",
            "the flow without the group shares breaks one: the core method from its answer"
        );
        // The relaxation bounds every goal; its answer, trimmed (or topped up)
        // until the shares hold, starts the core method and is the answer if
        // nothing better is found in time.
        let start = Start {
            bounds: Goal::ALL.map(|g| m.value(g, &chosen)),
            chosen: m.repair(chosen.clone()),
            flow: chosen,
            reduced,
        };
        return core::solve(&m, start, deadline, started);
    }
    m.integer_program(deadline, started, None)
}

/// HiGHS's options for a phase: proven to a zero gap, by `deadline`.
fn tune(model: &mut highs::Model, presolve: bool, deadline: Option<Instant>) {
    model.make_quiet();
    model.set_option("mip_rel_gap", 0.0);
    // A phase starts from the answer before it, and the empty shortlists
    // keep every rule: HiGHS's own search for a first answer (feasibility
    // jump) was a fifth of the time at pilot size.
    model.set_option("mip_heuristic_run_feasibility_jump", false);
    if !presolve {
        model.set_option("presolve", "off");
    }
    if let Some(limit) = seconds_left(deadline) {
        model.set_option("time_limit", limit.max(0.001));
    }
}

/// The flow relaxation's bounds and a repaired answer the integer program
/// starts from.
struct Start {
    bounds: [f64; 3],
    chosen: Vec<usize>,
    /// The flow relaxation's own answer (it breaks a share).
    flow: Vec<usize>,
    /// Each candidate's reduced cost in the flow relaxation (score units,
    /// by candidate, `Model::cands` order), when the flow had prices: how
    /// far the pair is from paying its way without the shares.
    reduced: Option<Vec<f64>>,
}

/// The flow relaxation's answer: its pairs and, when known, each
/// candidate's reduced cost (see [`Start::reduced`]).
struct Relaxed {
    chosen: Vec<usize>,
    reduced: Option<Vec<f64>>,
}

/// Every rule the shortlists `chosen` break, in words (none, from any
/// engine: the analysis checks every answer before it is shown).
pub fn violations(p: &Problem, e: &Eligibility, ask: Ask, chosen: &[usize]) -> Vec<String> {
    let taken = Taken::of(p);
    let mut out = Vec::new();
    let mut per_t = vec![0u32; p.trainees.len()];
    let mut per_v = vec![0u64; p.vacancies.len()];
    let mut seen = HashSet::new();
    for &i in chosen {
        let pair = &e.pairs[i];
        let (t, v) = (&p.trainees[pair.t].id, &p.vacancies[pair.v].id);
        if !seen.insert(i) {
            out.push(format!("{t} is on the shortlist of {v} twice"));
        }
        if !taken.proposable(p, pair.t, pair.v) {
            out.push(format!("{t} may not be proposed for {v}"));
        }
        per_t[pair.t] += 1;
        per_v[pair.v] += 1;
    }
    for (t, &n) in per_t.iter().enumerate() {
        if n > ask.per_trainee {
            out.push(format!("{} is on {n} shortlists", p.trainees[t].id));
        }
    }
    for (v, &n) in per_v.iter().enumerate() {
        let cap = u64::from(ask.per_position) * u64::from(taken.open(p, v));
        if n > cap {
            out.push(format!(
                "{} has {n} candidates for {cap} places",
                p.vacancies[v].id
            ));
        }
    }
    for row in ShareRow::all(p) {
        if !row.holds(p, e, chosen) {
            out.push(format!(
                "the shortlists break {}",
                p.share_label(&p.shares[row.share])
            ));
        }
    }
    out
}

/// Score units per 1.0 of score in the flow (as the scenario's flow).
const SCALE: f64 = flow::SCALE;

struct Model<'a> {
    p: &'a Problem,
    e: &'a Eligibility,
    ask: Ask,
    /// The pairs that may be proposed.
    cands: &'a [usize],
    open: &'a [u32],
}

impl Model<'_> {
    fn capacity(&self, v: VacancyIx) -> u64 {
        u64::from(self.ask.per_position) * u64::from(self.open[v])
    }

    /// The minimum-cost maximum flow's pairs and reduced costs (`None` past
    /// the deadline).
    fn flow(&self, deadline: Option<Instant>) -> Result<Option<Relaxed>, PalimError> {
        let (nt, nv) = (self.p.trainees.len(), self.p.vacancies.len());
        let sink = 1 + nt + nv;
        let too_large = || PalimError::Solver("scores too large for exact integer costs".into());
        let costs: Vec<i128> = self
            .cands
            .iter()
            .map(|&i| {
                let s = (self.e.pairs[i].score * SCALE).round();
                (s.is_finite() && s.abs() < 1e24)
                    .then_some(-(s as i128))
                    .ok_or_else(too_large)
            })
            .collect::<Result<_, _>>()?;
        let big: i128 = costs.iter().map(|c| c.abs()).sum::<i128>() + 1;
        let mut arcs = Vec::with_capacity(nt + self.cands.len() + 2 * nv);
        let mut trainee_arc = vec![false; nt];
        for (&i, &cost) in self.cands.iter().zip(&costs) {
            let pair = &self.e.pairs[i];
            if !trainee_arc[pair.t] {
                trainee_arc[pair.t] = true;
                arcs.push((0, 1 + pair.t, i64::from(self.ask.per_trainee), 0));
            }
            arcs.push((1 + pair.t, 1 + nt + pair.v, 1, cost));
        }
        let pair_arcs = arcs.len();
        for v in 0..nv {
            let (open, cap) = (self.open[v], self.capacity(v));
            if open == 0 {
                continue;
            }
            let rest = i64::try_from(cap - u64::from(open)).unwrap_or(i64::MAX);
            arcs.push((1 + nt + v, sink, i64::from(open), -big));
            arcs.push((1 + nt + v, sink, rest, 0));
        }
        let Some(answer) = flow::min_cost_max_flow(sink + 1, &arcs, deadline) else {
            return Ok(None);
        };
        // The pair arcs, in candidate order (a trainee's arc from the source
        // comes before its first pair's).
        let pair_arcs: Vec<usize> = (0..pair_arcs).filter(|&a| arcs[a].0 != 0).collect();
        let mut chosen: Vec<usize> = (pair_arcs.iter().zip(self.cands))
            .filter(|&(&a, _)| answer.flow[a] > 0)
            .map(|(_, &i)| i)
            .collect();
        chosen.sort_unstable();
        let reduced =
            (answer.reduced_cost).map(|rc| pair_arcs.iter().map(|&a| rc[a] / SCALE).collect());
        Ok(Some(Relaxed { chosen, reduced }))
    }

    /// `chosen` made to keep every group share: for a share out of bounds,
    /// add the pairs that move it back (best score first, where the vacancy
    /// and the trainee have room), then swap, on a shortlist of its scope,
    /// a candidate who moves it away for one who moves it back (the smallest
    /// loss of score first: no position and no place is lost), then drop
    /// the pairs that move it away (uncounted places first, lowest score
    /// first); a share still out of bounds after that loses every pair in
    /// its scope (no candidates keep any share). Never breaks a vacancy's
    /// places or a trainee's limit.
    fn repair(&self, chosen: Vec<usize>) -> Vec<usize> {
        let (p, e) = (self.p, self.e);
        let mut on = vec![false; e.pairs.len()];
        let mut load = vec![0u64; p.vacancies.len()];
        let mut count = vec![0u32; p.trainees.len()];
        for &i in &chosen {
            on[i] = true;
            load[e.pairs[i].v] += 1;
            count[e.pairs[i].t] += 1;
        }
        let by_score = |a: &usize, b: &usize| {
            e.pairs[*b]
                .score
                .total_cmp(&e.pairs[*a].score)
                .then(a.cmp(b))
        };
        let rows = ShareRow::all(self.p);
        for _pass in 0..2 {
            for row in &rows {
                let sum = |on: &[bool]| -> f64 {
                    self.cands
                        .iter()
                        .filter(|&&i| on[i])
                        .filter_map(|&i| row.coefficient(p, e, i))
                        .sum()
                };
                let mut total = sum(&on);
                let wrong = |x: f64| row.breaks(x);
                if !wrong(total) {
                    continue;
                }
                let helps = |a: f64| row.helps(a);
                let mut add: Vec<usize> = self
                    .cands
                    .iter()
                    .copied()
                    .filter(|&i| !on[i] && row.coefficient(p, e, i).is_some_and(helps))
                    .collect();
                add.sort_by(by_score);
                for i in add {
                    let pair = &e.pairs[i];
                    if !wrong(total) {
                        break;
                    }
                    if load[pair.v] < self.capacity(pair.v) && count[pair.t] < self.ask.per_trainee
                    {
                        on[i] = true;
                        load[pair.v] += 1;
                        count[pair.t] += 1;
                        total += row.coefficient(p, e, i).unwrap_or(0.0);
                    }
                }
                total = self.swap(row, &mut on, &mut count, total);
                let mut drop: Vec<usize> = self
                    .cands
                    .iter()
                    .copied()
                    .filter(|&i| {
                        on[i]
                            && row
                                .coefficient(p, e, i)
                                .is_some_and(|a| !helps(a) && a != 0.0)
                    })
                    .collect();
                drop.sort_by(by_score);
                drop.reverse();
                drop.sort_by_key(|&i| load[e.pairs[i].v] <= u64::from(self.open[e.pairs[i].v]));
                for i in drop {
                    if !wrong(total) {
                        break;
                    }
                    on[i] = false;
                    load[e.pairs[i].v] -= 1;
                    count[e.pairs[i].t] -= 1;
                    total -= row.coefficient(p, e, i).unwrap_or(0.0);
                }
            }
        }
        for row in &rows {
            let chosen: Vec<usize> = (0..on.len()).filter(|&i| on[i]).collect();
            if !row.holds(p, e, &chosen) {
                for i in chosen {
                    if row.coefficient(p, e, i).is_some() {
                        on[i] = false;
                    }
                }
            }
        }
        (0..on.len()).filter(|&i| on[i]).collect()
    }

    /// Swaps on the shortlists of `row`'s scope until it holds or no swap
    /// is left: out goes the lowest-scoring candidate who moves the share
    /// away, in comes the best-scoring proposable one who moves it back and
    /// is below the trainee limit. Each pass makes at most one swap per
    /// shortlist, the smallest losses first; returns the row's new sum.
    fn swap(&self, row: &ShareRow, on: &mut [bool], count: &mut [u32], mut total: f64) -> f64 {
        let (p, e) = (self.p, self.e);
        let (wrong, helps) = (|x: f64| row.breaks(x), |a: f64| row.helps(a));
        let mut by_vacancy: Vec<Vec<(usize, f64)>> = vec![Vec::new(); p.vacancies.len()];
        for &i in self.cands {
            if let Some(a) = row.coefficient(p, e, i).filter(|&a| a != 0.0) {
                by_vacancy[e.pairs[i].v].push((i, a));
            }
        }
        while wrong(total) {
            // (loss of score, out, in) for each shortlist of the scope.
            let mut swaps: Vec<(f64, usize, usize)> = Vec::new();
            for pairs in by_vacancy.iter().filter(|x| !x.is_empty()) {
                let score = |i: usize| e.pairs[i].score;
                let out = pairs
                    .iter()
                    .filter(|&&(i, a)| on[i] && !helps(a))
                    .map(|&(i, _)| i)
                    .min_by(|&a, &b| score(a).total_cmp(&score(b)).then(a.cmp(&b)));
                let inn = pairs
                    .iter()
                    .filter(|&&(i, a)| {
                        !on[i] && helps(a) && count[e.pairs[i].t] < self.ask.per_trainee
                    })
                    .map(|&(i, _)| i)
                    .max_by(|&a, &b| score(a).total_cmp(&score(b)).then(b.cmp(&a)));
                if let (Some(out), Some(inn)) = (out, inn) {
                    swaps.push((score(out) - score(inn), out, inn));
                }
            }
            if swaps.is_empty() {
                break;
            }
            swaps.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut made = 0;
            for (_, out, inn) in swaps {
                if !wrong(total) {
                    break;
                }
                let t = e.pairs[inn].t;
                if on[inn] || count[t] >= self.ask.per_trainee {
                    continue;
                }
                let delta = row.coefficient(p, e, inn).unwrap_or(0.0)
                    - row.coefficient(p, e, out).unwrap_or(0.0);
                on[out] = false;
                count[e.pairs[out].t] -= 1;
                on[inn] = true;
                count[t] += 1;
                total += delta;
                made += 1;
            }
            if made == 0 {
                break;
            }
        }
        total
    }

    /// Whether every group share holds on the shortlisted pairs.
    fn shares_hold(&self, chosen: &[usize]) -> bool {
        ShareRow::all(self.p)
            .iter()
            .all(|row| row.holds(self.p, self.e, chosen))
    }

    fn value(&self, goal: Goal, chosen: &[usize]) -> f64 {
        match goal {
            Goal::PositionsCovered => {
                let mut load = vec![0u32; self.p.vacancies.len()];
                for &i in chosen {
                    load[self.e.pairs[i].v] += 1;
                }
                load.iter()
                    .zip(self.open)
                    .map(|(&l, &o)| f64::from(l.min(o)))
                    .sum()
            }
            Goal::PlacesUsed => chosen.len() as f64,
            Goal::Score => chosen.iter().map(|&i| self.e.pairs[i].score).sum(),
        }
    }

    fn found(
        &self,
        chosen: Vec<usize>,
        status: Status,
        bounds: Option<&[f64]>,
        proofs: [Proof; 3],
        started: Instant,
    ) -> Found {
        let goals = Goal::ALL
            .iter()
            .enumerate()
            .map(|(k, &goal)| {
                let value = self.value(goal, &chosen);
                GoalValue {
                    goal,
                    value,
                    bound: bounds.map_or(value, |b| b[k].max(value)),
                    proof: proofs[k],
                }
            })
            .collect();
        Found {
            chosen,
            status,
            goals,
            seconds: started.elapsed().as_secs_f64(),
        }
    }

    /// The integer program, one phase per goal (each held at its optimum
    /// while the next is optimised), every phase started from the last answer.
    /// From a relaxation's `start`, the goals it already reaches are proven
    /// by its bounds (`FlowBound`) without a phase.
    fn integer_program(
        &self,
        deadline: Option<Instant>,
        started: Instant,
        start: Option<Start>,
    ) -> Result<Found, PalimError> {
        let mut vars = ProblemVariables::new();
        let x: Vec<Variable> = vars.add_vector(variable().binary(), self.cands.len());
        let covered: Vec<Variable> = self
            .open
            .iter()
            .map(|&o| vars.add(variable().min(0.0).max(f64::from(o))))
            .collect();
        let rows = self.rows(&x, &covered);
        let objective = |goal: Goal| -> Expression {
            match goal {
                Goal::PositionsCovered => covered.iter().sum(),
                Goal::PlacesUsed => x.iter().sum(),
                Goal::Score => {
                    let mut ex = Expression::with_capacity(x.len());
                    for (k, &i) in self.cands.iter().enumerate() {
                        ex.add_mul(self.e.pairs[i].score, x[k]);
                    }
                    ex
                }
            }
        };
        let mut fixed: Vec<good_lp::Constraint> = Vec::new();
        let mut bounds = [f64::INFINITY; 3];
        let mut proofs = [Proof::BranchAndBound; 3];
        let mut chosen: Vec<usize> = Vec::new();
        let mut reached = 0;
        if let Some(start) = start {
            bounds[0] = start.bounds[0];
            // A goal the repaired answer reaches at the relaxation's bound is
            // proven, given the goals before it are at theirs too.
            while reached < 2
                && (self.value(Goal::ALL[reached], &start.chosen) - start.bounds[reached]).abs()
                    < 0.5
            {
                bounds[reached] = start.bounds[reached];
                proofs[reached] = Proof::FlowBound;
                let value = start.bounds[reached];
                fixed.push(constraint::geq(objective(Goal::ALL[reached]), value - 0.5));
                reached += 1;
            }
            chosen = start.chosen;
        }
        // The first two goals in one phase when it starts from the first.
        let weight = self.places_weight();
        let both = reached == 0 && weight.is_some();
        let weight = weight.unwrap_or(0.0);
        for (k, &goal) in Goal::ALL.iter().enumerate().skip(reached) {
            if both && goal == Goal::PlacesUsed {
                continue;
            }
            let phase_objective = || {
                if both && goal == Goal::PositionsCovered {
                    objective(goal) + weight * objective(Goal::PlacesUsed)
                } else {
                    objective(goal)
                }
            };
            let build = |presolve: bool, chosen: &[usize]| {
                let mut problem = vars
                    .clone()
                    .maximise(phase_objective())
                    .using(good_lp::highs);
                for r in rows.iter().chain(&fixed) {
                    problem.add_constraint(r.clone());
                }
                let mut model = problem.into_inner();
                tune(&mut model, presolve, deadline);
                if k > 0 || !chosen.is_empty() {
                    model.set_solution(Some(&self.columns(chosen)), None, None, None);
                }
                model
            };
            let (proven, bound) = self.phase(goal, &mut chosen, build)?;
            let value = self.value(goal, &chosen);
            // The combined bound bounds the covered positions, whole.
            let bound = match (proven, both && k == 0) {
                (true, _) => value,
                (false, true) => (bound + 1e-6).floor(),
                (false, false) => bound,
            };
            bounds[k] = bounds[k].min(bound);
            if !proven || past(deadline) {
                let mut found =
                    self.found(chosen, Status::TimeLimit, Some(&bounds), proofs, started);
                found
                    .goals
                    .iter_mut()
                    .skip(k + 1)
                    .for_each(|g| g.bound = f64::INFINITY);
                return Ok(found);
            }
            let at_least = match goal {
                Goal::Score => value - SCORE_TOLERANCE * value.abs().max(1.0),
                Goal::PositionsCovered | Goal::PlacesUsed => value - 0.5,
            };
            fixed.push(constraint::geq(objective(goal), at_least));
            if both && k == 0 {
                // The places, proven in the same phase.
                let places = self.value(Goal::PlacesUsed, &chosen);
                bounds[1] = places;
                proofs[1] = proofs[0];
                fixed.push(constraint::geq(objective(Goal::PlacesUsed), places - 0.5));
            }
        }
        chosen.sort_unstable();
        Ok(self.found(chosen, Status::Optimal, Some(&bounds), proofs, started))
    }

    /// What a place is worth beside a covered position when the two goals
    /// are one phase: covered + places / (most places + 1) is lexicographic,
    /// since covered is whole and the places' term stays below 1, and an
    /// answer cut by the deadline is then good on both, not on covered
    /// alone. `None` when a place would be worth less than ten times
    /// HiGHS's absolute gap (the phases then stay apart).
    fn places_weight(&self) -> Option<f64> {
        let most_places = (0..self.open.len())
            .map(|v| self.capacity(v) as f64)
            .sum::<f64>()
            .min(self.cands.len() as f64);
        Some(1.0 / (most_places + 1.0)).filter(|&w| w >= 1e-5)
    }

    /// One phase on HiGHS, from `chosen` (replaced by what it finds): whether
    /// it was proven, and HiGHS's bound. Below `PRESOLVE_FROM` pairs, or
    /// when presolve lost the answer the phase started from (it has, on
    /// small models with a share's fractional row), without presolve.
    fn phase(
        &self,
        goal: Goal,
        chosen: &mut Vec<usize>,
        build: impl Fn(bool, &[usize]) -> highs::Model,
    ) -> Result<(bool, f64), PalimError> {
        let before = self.value(goal, chosen);
        let mut presolve = self.cands.len() >= crate::solve::core_method::PRESOLVE_FROM;
        let run = |presolve: bool, chosen: &[usize]| {
            build(presolve, chosen)
                .try_solve()
                .map_err(|s| PalimError::Solver(format!("HiGHS could not run: {s:?}")))
        };
        loop {
            let mut solved = run(presolve, chosen)?;
            let proven = match solved.status() {
                HighsModelStatus::Optimal => true,
                HighsModelStatus::ReachedTimeLimit | HighsModelStatus::ReachedInterrupt => false,
                HighsModelStatus::Infeasible if presolve => {
                    presolve = false;
                    continue;
                }
                other => {
                    return Err(PalimError::Solver(format!(
                        "HiGHS ended with status {other:?} on a shortlist (the empty one keeps every rule)"
                    )))
                }
            };
            let shortlists = |solved: &highs::SolvedModel| {
                (solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible).then(
                    || {
                        let cols = solved.get_solution();
                        (0..self.cands.len())
                            .filter(|&j| cols.columns()[j] > 0.5)
                            .map(|j| self.cands[j])
                            .collect::<Vec<usize>>()
                    },
                )
            };
            let mut found = shortlists(&solved);
            // HiGHS without presolve has proven optima below the true one
            // (see `optimize::run_model`): a small phase is solved with
            // presolve too, and the better shortlists kept with its bound.
            if proven && !presolve && self.cands.len() <= SECOND_OPINION_UP_TO {
                let again = run(true, chosen)?;
                if again.status() == HighsModelStatus::Optimal {
                    let other = shortlists(&again);
                    let value =
                        |f: &(Option<Vec<usize>>, _)| f.0.as_ref().map(|f| self.value(goal, f));
                    (found, solved) = better_of((found, solved), (other, again), value);
                }
            }
            let worse = found.as_ref().is_some_and(|f| {
                self.value(goal, f) < before - SCORE_TOLERANCE * before.abs().max(1.0)
            });
            if worse && proven && presolve {
                presolve = false;
                continue;
            }
            if worse && proven {
                return Err(PalimError::Solver(
                    "HiGHS proved a shortlist optimum below the one it started from".into(),
                ));
            }
            if let Some(f) = found.filter(|_| !worse) {
                *chosen = f;
            }
            let bound = solved
                .double_info_value(c"mip_dual_bound")
                .ok()
                .filter(|b| b.is_finite())
                .unwrap_or(f64::INFINITY);
            return Ok((proven, bound));
        }
    }

    /// The rows every phase shares: a trainee's shortlists, a vacancy's
    /// places and covered positions, and the group shares.
    fn rows(&self, x: &[Variable], covered: &[Variable]) -> Vec<good_lp::Constraint> {
        let (nt, nv) = (self.p.trainees.len(), self.p.vacancies.len());
        let mut by_trainee = vec![Expression::with_capacity(0); nt];
        let mut by_vacancy = vec![Expression::with_capacity(0); nv];
        let mut in_vacancy = vec![0usize; nv];
        let mut of_trainee = vec![0u64; nt];
        for (k, &i) in self.cands.iter().enumerate() {
            let pair = &self.e.pairs[i];
            of_trainee[pair.t] += 1;
            by_trainee[pair.t].add_mul(1.0, x[k]);
            by_vacancy[pair.v].add_mul(1.0, x[k]);
            in_vacancy[pair.v] += 1;
        }
        let mut out = Vec::new();
        for (t, ex) in by_trainee.into_iter().enumerate() {
            if of_trainee[t] > u64::from(self.ask.per_trainee) {
                out.push(constraint::leq(ex, f64::from(self.ask.per_trainee)));
            }
        }
        for (v, ex) in by_vacancy.into_iter().enumerate() {
            if (in_vacancy[v] as u64) > self.capacity(v) {
                out.push(constraint::leq(ex.clone(), self.capacity(v) as f64));
            }
            out.push(constraint::leq(covered[v] - ex, 0.0));
        }
        for row in ShareRow::all(self.p) {
            let mut ex = Expression::with_capacity(self.cands.len());
            for (k, &i) in self.cands.iter().enumerate() {
                if let Some(a) = row.coefficient(self.p, self.e, i) {
                    ex.add_mul(a, x[k]);
                }
            }
            out.push(if row.at_least {
                constraint::geq(ex, 0.0)
            } else {
                constraint::leq(ex, 0.0)
            });
        }
        out
    }

    /// Columns of an answer, for a phase's start: the pairs, then each
    /// vacancy's covered positions.
    fn columns(&self, chosen: &[usize]) -> Vec<f64> {
        let set: HashSet<usize> = chosen.iter().copied().collect();
        let mut cols: Vec<f64> = self
            .cands
            .iter()
            .map(|i| f64::from(u8::from(set.contains(i))))
            .collect();
        let mut load = vec![0u32; self.p.vacancies.len()];
        for &i in chosen {
            load[self.e.pairs[i].v] += 1;
        }
        cols.extend(
            load.iter()
                .zip(self.open)
                .map(|(&l, &o)| f64::from(l.min(o))),
        );
        cols
    }
}

/// A group share over the shortlists of its scope: Σ (member − level) ≥ 0
/// for a minimum, ≤ 0 for a maximum, each candidate counted once per shortlist.
#[derive(Debug, Clone, Copy)]
pub struct ShareRow {
    pub share: usize,
    pub level: f64,
    pub at_least: bool,
}

impl ShareRow {
    /// A row per bound of every group share of `p`.
    pub fn all(p: &Problem) -> Vec<ShareRow> {
        let mut rows = Vec::new();
        for (s, share) in p.shares.iter().enumerate() {
            if share.min_share > 0.0 {
                rows.push(ShareRow {
                    share: s,
                    level: share.min_share,
                    at_least: true,
                });
            }
            if let Some(max) = share.max_share {
                rows.push(ShareRow {
                    share: s,
                    level: max,
                    at_least: false,
                });
            }
        }
        rows
    }

    /// Pair `i`'s coefficient, when the share counts it.
    pub fn coefficient(&self, p: &Problem, e: &Eligibility, i: usize) -> Option<f64> {
        let pair = &e.pairs[i];
        let share = &p.shares[self.share];
        p.share_scope(share, pair.v)
            .then(|| f64::from(u8::from(p.in_group(pair.t, share))) - self.level)
    }

    pub fn holds(&self, p: &Problem, e: &Eligibility, chosen: &[usize]) -> bool {
        let sum: f64 = chosen
            .iter()
            .filter_map(|&i| self.coefficient(p, e, i))
            .sum();
        !self.breaks(sum)
    }

    /// Whether the row's sum `sum` is out of its bound.
    fn breaks(&self, sum: f64) -> bool {
        if self.at_least {
            sum < -hard_rules::TOLERANCE
        } else {
            sum > hard_rules::TOLERANCE
        }
    }

    /// Whether a pair with coefficient `a` moves the sum towards its bound.
    fn helps(&self, a: f64) -> bool {
        if self.at_least {
            a > 0.0
        } else {
            a < 0.0
        }
    }
}
