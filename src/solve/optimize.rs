//! The integer program and its lexicographic solve, on HiGHS through `good_lp`.
//!
//! One binary variable per eligible pair; rows for "each trainee at most once",
//! "each vacancy at most its positions", destination min/max, group shares
//! (linear: `sum (member - share) x >= 0`), employer caps and locks.
//!
//! Priorities are solved honestly, one after the other: maximise the first,
//! add a row that holds it at its optimum, maximise the next. No big-M weights
//! are guessed, so "as many placements as possible" can never be traded for
//! score. The model is built in a fixed order and HiGHS is deterministic, so the
//! same input gives the same match set on every run.
//!
//! The deletion filter of [`crate::solve::diagnose`] switches rule groups off through
//! [`HardRule`] to find which of them conflict.

use std::collections::HashSet;
use std::time::Instant;

use good_lp::{constraint, variable, Expression, ProblemVariables, SolverModel, Variable};
use highs::HighsModelStatus;

use crate::eligibility::Eligibility;
use crate::model::problem::Problem;
use crate::model::scenario::Priority;
use crate::solve::flow::{self, NotANetwork};
use crate::solve::hard_rules::{Bound, Goal, HardRule, Rows};
use crate::solve::stability::{self, Stability};
use crate::solve::{audit, core_method};
use crate::PalimError;

pub use super::outcome::*;

/// Solve the scenario to proven optimality (or the time limit).
pub fn solve(p: &Problem, e: &Eligibility, opts: &SolveOptions) -> Result<Outcome, PalimError> {
    let deadline = deadline_after(opts.time_limit, opts.deadline);
    let stable = p.priorities.contains(&Priority::Stable);
    if stable && opts.engine == Engine::Flow {
        return Err(PalimError::Usage(
            "the flow engine cannot solve for stability (the priority `stable`); use --engine auto"
                .to_string(),
        ));
    }
    // Stability rows are the integer program's alone.
    if opts.engine != Engine::Highs && !stable {
        let why_not = match fast_engines(p, e, opts, deadline)? {
            Fast::Done(outcome) => return Ok(outcome),
            Fast::Not(why) => why,
        };
        if opts.engine == Engine::Flow {
            return Err(PalimError::Usage(format!(
                "the flow engine cannot solve this scenario: {why_not}; use --engine auto"
            )));
        }
    }
    lexicographic(p, e, opts, deadline)
}

/// What the flow and the core method made of a scenario: an answer, or why
/// the integer program on every pair has to take over.
enum Fast {
    Done(Outcome),
    Not(NotANetwork),
}

/// The flow, alone when the scenario is a network; otherwise as a
/// relaxation that is the answer when it keeps every rule, or seeds the core
/// method (with `--engine auto`).
fn fast_engines(
    p: &Problem,
    e: &Eligibility,
    opts: &SolveOptions,
    deadline: Option<Instant>,
) -> Result<Fast, PalimError> {
    // Keeping an earlier answer rides on the flow's costs, and is a phase
    // of the core method.
    let keep = opts.keep_goal();
    // With rules outside the network the flow is a relaxation whose
    // answer usually only seeds the core method, so the fastest
    // algorithm finds it (cost scaling answers the placements-first
    // orders).
    let relaxing = flow::needs_relaxation(p);
    let algorithm = if relaxing && p.priorities.first() == Some(&Priority::Placements) {
        flow::Algorithm::CostScaling
    } else {
        flow::Algorithm::Auto
    };
    let keeps_rules = |chosen: &[usize]| audit::violations(p, e, chosen).is_empty();
    let solve_flow = || {
        tracing::info!(target: "palim::progress", "min-cost flow on {} pairs", e.pairs.len());
        flow::solve_keeping(p, e, true, algorithm, deadline, keep)
    };
    // The flow's answer seeds the core method, which proves optimality
    // over every pair without handing them all to branch-and-bound (at
    // national size that never ends; at pilot size it is still three times
    // faster). Out of time before an integer answer: the flow's, trimmed
    // until it keeps every rule, with its gap.
    let core = |relaxation: Option<&Solution>| {
        let before = core_method::Before {
            placements: opts.placements_before,
            lp: opts.lp_before.as_deref(),
        };
        let chosen = relaxation.map(|sol| sol.chosen.as_slice());
        let tuning = core_method::Tuning {
            mip_gap: opts.mip_gap,
            ..core_method::Tuning::default()
        };
        match core_method::solve(p, e, chosen, keep, before, deadline, tuning) {
            Err(core_method::GaveUp::Time) => Ok(match relaxation {
                Some(sol) => core_method::out_of_time(p, e, sol),
                None => Outcome::NoSolutionInTime,
            }),
            other => other,
        }
    };
    let gave_up = |why: core_method::GaveUp| {
        tracing::info!(
            target: "palim::progress",
            "core method gave up ({why}); the integer program on every pair"
        );
        Ok(Fast::Not(NotANetwork::Relaxation))
    };
    let auto = opts.engine == Engine::Auto;
    // A what-if that starts from the LP before, and was given no
    // relaxation (`explain` repairs one from the labels before only where
    // the flow's count bounded the placements before), bounds its
    // placements by the bound before when it only restricts, else by LPs
    // holding one placement more: the flow would be a seed the LP before
    // already holds. Without it, the labels it starts from are not needed
    // either (at 1,000 × 400, 6% of `solve --explain`: BENCHMARKS.md,
    // nineteenth round). Where only the flow's count bounds them, the flow.
    if relaxing && auto && opts.lp_before.is_some() && opts.relaxation.is_none() {
        match core(None) {
            Ok(outcome) => return Ok(Fast::Done(outcome)),
            Err(core_method::GaveUp::NeedsFlow) => {}
            Err(why) => return gave_up(why),
        }
    }
    let sol = match &opts.relaxation {
        // Found already (a what-if repaired the one before).
        Some(given) if relaxing => given.clone(),
        _ => match solve_flow() {
            Ok(Outcome::Solved(sol)) if relaxing => sol,
            Ok(outcome) => return Ok(Fast::Done(outcome)),
            Err(why) => return Ok(Fast::Not(why)),
        },
    };
    if keeps_rules(&sol.chosen) {
        // Optimal as it is; the canonical algorithm's answer (the
        // ties network-shaped scenarios get) when it keeps them too.
        let canonical = (flow::auto_algorithm(e) != algorithm)
            .then(|| flow::solve_keeping(p, e, true, flow::Algorithm::Auto, deadline, keep));
        return Ok(Fast::Done(match canonical {
            Some(Ok(Outcome::Solved(c))) if keeps_rules(&c.chosen) => Outcome::Solved(c),
            _ => Outcome::Solved(sol),
        }));
    }
    tracing::info!(
        target: "palim::progress",
        "flow without the rules outside the network: {} placements, which break some of them",
        sol.chosen.len()
    );
    match auto {
        true => match core(Some(&sol)) {
            Ok(outcome) => Ok(Fast::Done(outcome)),
            Err(why) => gave_up(why),
        },
        false => Ok(Fast::Not(NotANetwork::Relaxation)),
    }
}

/// The phases in order: the scenario's priorities, with keeping the earlier
/// pairs after placements (`keep_before_score`) or last.
fn goals<'a>(
    p: &Problem,
    opts: &'a SolveOptions,
    stability: Option<&'a Stability>,
) -> Vec<Goal<'a>> {
    let mut goals: Vec<Goal> = p
        .priorities
        .iter()
        .filter_map(|&x| match x {
            Priority::Placements => Some(Goal::Placements),
            Priority::Score => Some(Goal::Score),
            // Built whenever a priority is `stable` (`stability_of`).
            Priority::Stable => stability.map(Goal::Stable),
        })
        .collect();
    if let Some(keep) = &opts.keep {
        let at = if opts.keep_before_score {
            goals
                .iter()
                .position(|g| matches!(g, Goal::Placements))
                .map_or(0, |i| i + 1)
        } else {
            goals.len()
        };
        goals.insert(at, Goal::Keep(keep));
    }
    goals
}

/// The integer program on every pair, one phase per goal, each holding the
/// earlier ones at their optimum.
fn lexicographic(
    p: &Problem,
    e: &Eligibility,
    opts: &SolveOptions,
    deadline: Option<Instant>,
) -> Result<Outcome, PalimError> {
    let active = HashSet::new();
    let stability = stability_of(p, e)?;
    let mut fixed: Vec<(Goal, f64)> = Vec::new();
    let mut phases = Vec::new();
    let mut incumbent: Option<Vec<usize>> = None;
    // What the phases found by the time the deadline stopped them: the best
    // answer so far, not proven optimal (or none at all).
    let stopped = |incumbent: Option<Vec<usize>>, phases: Vec<Phase>| match incumbent {
        None => Outcome::NoSolutionInTime,
        Some(chosen) => Outcome::Solved(Solution {
            chosen,
            status: Status::TimeLimit,
            gap: None,
            phases,
            start: None,
        }),
    };
    for goal in goals(p, opts, stability.as_ref()) {
        // Building a phase's model over every pair takes time of its own: a
        // phase is not started once the deadline has passed.
        if past(deadline) {
            return Ok(stopped(incumbent, phases));
        }
        let started = Instant::now();
        let run = run_model(&Model {
            p,
            e,
            dropped: &active,
            objective: Some(goal),
            fixed: &fixed,
            start: incumbent.as_deref(),
            time_limit: seconds_left(deadline),
            mip_gap: opts.mip_gap,
            stability: stability.as_ref().map(Blocking::Counted),
        })?;
        let (chosen, value, bound, proven, proof) = match run {
            Run::Found {
                chosen,
                value,
                bound,
                proven,
                proof,
            } => (chosen, value, bound, proven, proof),
            Run::NoSolution => return Ok(stopped(incumbent, phases)),
            // Keeping earlier pairs cannot make the priorities infeasible.
            Run::Infeasible if matches!(goal, Goal::Keep(_)) => continue,
            Run::Infeasible => return Ok(Outcome::Infeasible),
        };
        let Some(priority) = goal.priority() else {
            // Keeping earlier pairs: a phase of its own, not reported as a priority.
            incumbent = Some(chosen);
            if !proven {
                // Optimal in the priorities, but the fewest changes unproven.
                return Ok(stopped(incumbent, phases));
            }
            fixed.push((goal, value));
            continue;
        };
        let status = if proven {
            Status::Optimal
        } else {
            Status::TimeLimit
        };
        // Stability is maximised as the negated count of blocking pairs
        // and reported as the count.
        let sign = if priority == Priority::Stable {
            -1.0
        } else {
            1.0
        };
        phases.push(Phase {
            priority,
            value: sign * value,
            bound: sign * bound,
            status,
            seconds: started.elapsed().as_secs_f64(),
            proof,
        });
        incumbent = Some(chosen.clone());
        if !proven {
            return Ok(Outcome::Solved(Solution {
                chosen,
                status,
                gap: Some(relative_gap(value, bound)),
                phases,
                start: None,
            }));
        }
        fixed.push((goal, value));
    }
    Ok(Outcome::Solved(Solution {
        chosen: incumbent.unwrap_or_default(),
        status: Status::Optimal,
        gap: None,
        phases,
        start: None,
    }))
}

/// Whether the hard rules, minus the `dropped` groups, can all hold.
pub fn feasible(
    p: &Problem,
    e: &Eligibility,
    dropped: &HashSet<HardRule>,
) -> Result<bool, PalimError> {
    Ok(feasible_until(p, e, dropped, None)? != Some(false))
}

/// [`feasible`] by `deadline`: `None` when it passed before HiGHS could tell.
pub fn feasible_until(
    p: &Problem,
    e: &Eligibility,
    dropped: &HashSet<HardRule>,
    deadline: Option<Instant>,
) -> Result<Option<bool>, PalimError> {
    Ok(match find_until(p, e, dropped, None, false, deadline)? {
        Feasibility::Found(_) => Some(true),
        Feasibility::Infeasible => Some(false),
        Feasibility::OutOfTime => None,
    })
}

/// What a search for any match set under some of the rules found.
pub enum Feasibility {
    /// One such match set (pair indices, ascending).
    Found(Vec<usize>),
    Infeasible,
    /// The deadline passed before HiGHS could tell.
    OutOfTime,
}

/// A match set that keeps the hard rules minus `dropped` and that no pair
/// of `unblocked`'s conditions blocks, by `deadline`: any one, or with
/// `good` one within 2% of the best score (a match set people would keep
/// has few blocking pairs; an arbitrary one, such as the empty one, has
/// every pair blocking).
pub fn find_until(
    p: &Problem,
    e: &Eligibility,
    dropped: &HashSet<HardRule>,
    unblocked: Option<&Stability>,
    good: bool,
    deadline: Option<Instant>,
) -> Result<Feasibility, PalimError> {
    if past(deadline) {
        return Ok(Feasibility::OutOfTime);
    }
    let limit = seconds_left(deadline);
    Ok(
        match run_model(&Model {
            p,
            e,
            dropped,
            objective: good.then_some(Goal::Score),
            fixed: &[],
            start: None,
            time_limit: limit,
            mip_gap: if good { 0.02 } else { 0.0 },
            stability: unblocked.map(Blocking::Forbidden),
        })? {
            Run::Infeasible => Feasibility::Infeasible,
            Run::Found { chosen, .. } => Feasibility::Found(chosen),
            Run::NoSolution => Feasibility::OutOfTime,
        },
    )
}

enum Run {
    Found {
        chosen: Vec<usize>,
        value: f64,
        bound: f64,
        proven: bool,
        proof: Proof,
    },
    Infeasible,
    NoSolution,
}

/// Below this distance from 0 or 1 an LP value counts as integral.
const INTEGRALITY_TOLERANCE: f64 = 1e-9;

/// A phase's model: what it maximises, which rules it drops (a diagnosis),
/// which goals earlier phases fixed, where branch-and-bound starts, and how
/// long it may take.
struct Model<'a> {
    p: &'a Problem,
    e: &'a Eligibility,
    dropped: &'a HashSet<HardRule>,
    objective: Option<Goal<'a>>,
    fixed: &'a [(Goal<'a>, f64)],
    start: Option<&'a [usize]>,
    time_limit: Option<f64>,
    mip_gap: f64,
    /// The stability rows, when a goal (to reach or to hold) is `stable`,
    /// or when these pairs must not block (a diagnosis).
    stability: Option<Blocking<'a>>,
}

/// How a model holds stability rows.
#[derive(Clone, Copy)]
enum Blocking<'a> {
    /// Each row with a variable that counts its pair as blocking.
    Counted(&'a Stability),
    /// No pair of these rows may block.
    Forbidden(&'a Stability),
}

impl<'a> Blocking<'a> {
    fn rows(self) -> &'a Stability {
        match self {
            Blocking::Counted(s) | Blocking::Forbidden(s) => s,
        }
    }

    /// How many blocking indicators the model has.
    fn indicators(self) -> usize {
        match self {
            Blocking::Counted(s) => s.conditions.len(),
            Blocking::Forbidden(_) => 0,
        }
    }
}

/// The integer program's rows, derived from [`Rows`]: every bound of every
/// rule not dropped, except an upper bound on a count that cannot bind (no
/// more pairs than it allows); then a row per fixed goal. `None` when a
/// count must reach more than it has pairs (a forbidden lock, a minimum no
/// one is eligible for): infeasible without asking HiGHS.
fn constraints(m: &Model, x: &[Variable], b: &[Variable]) -> Option<Vec<good_lp::Constraint>> {
    let expr = |terms: &mut dyn Iterator<Item = &(usize, f64)>| {
        let mut ex = Expression::with_capacity(8);
        for &(i, c) in terms {
            ex.add_mul(c, x[i]);
        }
        ex
    };
    let rows = Rows::new(m.p);
    let terms = rows.terms(m.p, m.e);
    let kept = |b: &Option<Bound>| b.filter(|b| !m.dropped.contains(&b.rule));
    let mut out = Vec::new();
    for (row, terms) in rows.rows.iter().zip(&terms) {
        let (lower, upper) = (kept(&row.lower), kept(&row.upper));
        if row.counts && lower.is_some_and(|b| b.value > terms.len() as f64) {
            return None;
        }
        if let (Some(l), Some(u)) = (lower, upper) {
            if l.value == u.value {
                out.push(constraint::eq(expr(&mut terms.iter()), l.value));
                continue;
            }
        }
        if let Some(l) = lower {
            out.push(constraint::geq(expr(&mut terms.iter()), l.value));
        }
        if let Some(u) = upper.filter(|u| !row.counts || terms.len() as f64 > u.value) {
            out.push(constraint::leq(expr(&mut terms.iter()), u.value));
        }
    }
    if let Some(s) = m.stability {
        for (k, c) in s.rows().conditions.iter().enumerate() {
            let positions = f64::from(c.positions);
            let mut row = Expression::with_capacity(c.as_good.len() + c.kept_by.len() + 1);
            for &j in &c.as_good {
                row.add_mul(positions, x[j]);
            }
            for &j in &c.kept_by {
                row.add_mul(1.0, x[j]);
            }
            if let Some(&b) = b.get(k) {
                row.add_mul(positions, b);
            }
            out.push(constraint::geq(row, positions));
        }
    }
    for &(goal, value) in m.fixed {
        let at_least = match goal {
            Goal::Score => value - SCORE_TOLERANCE * value.abs().max(1.0),
            Goal::Placements | Goal::Stable(_) | Goal::Keep(_) => value.round(),
        };
        out.push(constraint::geq(goal_expression(goal, m.e, x, b), at_least));
    }
    Some(out)
}

/// A goal as a linear expression: its terms on the pairs and, for
/// stability, minus every blocking indicator. The phase that maximises it
/// and the rows of the phases after it that hold it are the same expression.
fn goal_expression(goal: Goal, e: &Eligibility, x: &[Variable], b: &[Variable]) -> Expression {
    let terms = goal.terms(e);
    let mut ex = Expression::with_capacity(terms.len());
    for (i, c) in terms {
        ex.add_mul(c, x[i]);
    }
    if let Goal::Stable(_) = goal {
        for &b in b {
            ex.add_mul(-1.0, b);
        }
    }
    ex
}

fn run_model(m: &Model) -> Result<Run, PalimError> {
    let (e, objective) = (m.e, m.objective);
    // The limit is for the whole call: the LP relaxation and branch-and-bound
    // after it share it.
    let until = deadline_after(m.time_limit, None);
    let n = e.pairs.len();
    let mut vars = ProblemVariables::new();
    let x: Vec<Variable> = vars.add_vector(variable().binary(), n);
    // One blocking indicator per stability row, when stability is a goal.
    let b: Vec<Variable> = vars.add_vector(
        variable().binary(),
        m.stability.map_or(0, Blocking::indicators),
    );
    let Some(rows) = constraints(m, &x, &b) else {
        return Ok(Run::Infeasible);
    };
    if n == 0 {
        // Nothing to choose, and nothing required: the empty match set.
        return Ok(Run::Found {
            chosen: Vec::new(),
            value: 0.0,
            bound: 0.0,
            proven: true,
            proof: Proof::Trivial,
        });
    }
    let objective_expr = objective.map_or_else(
        || Expression::with_capacity(0),
        |g| goal_expression(g, e, &x, &b),
    );
    let build = || {
        let mut problem = vars
            .clone()
            .maximise(objective_expr.clone())
            .using(good_lp::highs);
        for r in &rows {
            problem.add_constraint(r.clone());
        }
        let mut model = problem.into_inner();
        model.make_quiet();
        model
    };

    // The LP relaxation first: when its optimal vertex is integral, it is a
    // proven optimum of the integer program, found without branch-and-bound.
    // Assignment-shaped models are very often integral.
    if let Some(run) = integral_relaxation(build(), m)? {
        return Ok(run);
    }
    if past(until) {
        return Ok(Run::NoSolution);
    }
    tracing::info!(
        target: "palim::progress",
        "HiGHS branch-and-bound on {n} pairs (the LP relaxation was fractional)"
    );
    let presolve = n >= core_method::PRESOLVE_FROM;
    let mut run = branch_and_bound(build(), m, until, presolve)?;
    // HiGHS 1.15 without presolve has proven an optimum below the true one:
    // a 41-pair model with two share rows, 6.9659 where the optimum is
    // 7.0673, which 1.15 with presolve and 1.16 either way find (the
    // regression test of core_method has it). Where a second run costs
    // milliseconds, a model is solved the other way too and the better
    // match set kept: both keep every row, so the better is the optimum.
    if !presolve && n <= SECOND_OPINION_UP_TO && !past(until) {
        let value = |r: &Run| match r {
            Run::Found { value, .. } => Some(*value),
            _ => None,
        };
        run = better_of(run, branch_and_bound(build(), m, until, true)?, value);
    }
    // HiGHS's presolve has declared feasible models infeasible, and proven
    // an optimum below a known match set (a 35-pair model with a share's
    // fractional row, HiGHS 1.15 and 1.16 alike). A start that keeps every
    // rule is proof of that: the phase is solved again without presolve.
    let start_value = m
        .start
        .map(|chosen| objective_value(m.e, m.objective, chosen));
    let contradicted = match (&run, start_value) {
        (Run::Infeasible, Some(_)) => true,
        (
            Run::Found {
                value,
                proven: true,
                ..
            },
            Some(start),
        ) => *value < start - SCORE_TOLERANCE * start.abs().max(1.0),
        _ => false,
    };
    if contradicted && presolve && !past(until) {
        tracing::info!(target: "palim::progress", "HiGHS's presolve lost a known match set: solving again without it");
        return branch_and_bound(build(), m, until, false);
    }
    if contradicted {
        return Err(PalimError::Solver(
            "HiGHS answered below a match set it was given that keeps every rule".to_string(),
        ));
    }
    Ok(run)
}

/// The LP relaxation's answer when it settles the phase: infeasible, or an
/// integral optimal vertex (a proven optimum of the integer program).
fn integral_relaxation(mut lp: highs::Model, m: &Model) -> Result<Option<Run>, PalimError> {
    lp.set_option("solve_relaxation", true);
    if let Some(limit) = m.time_limit {
        lp.set_option("time_limit", limit.max(0.001));
    }
    let relaxed = lp
        .try_solve()
        .map_err(|s| PalimError::Solver(format!("HiGHS could not run: {s:?}")))?;
    match relaxed.status() {
        HighsModelStatus::Infeasible => Ok(Some(Run::Infeasible)),
        HighsModelStatus::Optimal => {
            let sol = relaxed.get_solution();
            let cols = sol.columns();
            if !cols
                .iter()
                .all(|&x| (x - x.round()).abs() < INTEGRALITY_TOLERANCE)
            {
                return Ok(None);
            }
            let n = m.e.pairs.len();
            let chosen: Vec<usize> = (0..n).filter(|&i| cols[i] > 0.5).collect();
            let value = objective_value(m.e, m.objective, &chosen);
            Ok(Some(Run::Found {
                chosen,
                value,
                bound: value,
                proven: true,
                proof: Proof::IntegralLp,
            }))
        }
        _ => Ok(None),
    }
}

/// HiGHS's branch-and-bound on the phase, from the incumbent, by `until`.
fn branch_and_bound(
    mut model: highs::Model,
    m: &Model,
    until: Option<Instant>,
    presolve: bool,
) -> Result<Run, PalimError> {
    let n = m.e.pairs.len();
    model.set_option("mip_rel_gap", m.mip_gap.max(0.0));
    if !presolve {
        model.set_option("presolve", "off");
    }
    if let Some(limit) = seconds_left(until) {
        model.set_option("time_limit", limit.max(0.001));
    }
    if let Some(chosen) = m.start {
        let counted = match m.stability {
            Some(Blocking::Counted(s)) => Some(s),
            _ => None,
        };
        let mut cols = vec![0.0; n + counted.map_or(0, |s| s.conditions.len())];
        for &i in chosen {
            cols[i] = 1.0;
        }
        if let Some(s) = counted {
            let blocking = s.blocking(n, chosen);
            for (k, c) in s.conditions.iter().enumerate() {
                if blocking.binary_search(&c.pair).is_ok() {
                    cols[n + k] = 1.0;
                }
            }
        }
        model.set_solution(Some(&cols), None, None, None);
    }
    let solved = model
        .try_solve()
        .map_err(|s| PalimError::Solver(format!("HiGHS could not run: {s:?}")))?;
    let status = solved.status();
    let proven = match status {
        HighsModelStatus::Optimal => true,
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
            return Ok(Run::Infeasible)
        }
        HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt => false,
        other => {
            return Err(PalimError::Solver(format!(
                "HiGHS ended with status {other:?}"
            )))
        }
    };
    if solved.primal_solution_status() != highs::HighsSolutionStatus::Feasible {
        return Ok(Run::NoSolution);
    }
    let cols = solved.get_solution();
    let chosen: Vec<usize> = (0..n).filter(|&i| cols.columns()[i] > 0.5).collect();
    // Recompute the value from the rounded solution rather than trusting floats.
    let value = objective_value(m.e, m.objective, &chosen);
    let bound = if proven {
        value
    } else {
        solved
            .double_info_value(c"mip_dual_bound")
            .unwrap_or(f64::INFINITY)
    };
    Ok(Run::Found {
        chosen,
        value,
        bound,
        proven,
        proof: Proof::BranchAndBound,
    })
}

/// The value of an objective on a set of chosen pairs.
fn objective_value(e: &Eligibility, objective: Option<Goal>, chosen: &[usize]) -> f64 {
    objective.map_or(0.0, |g| g.value(e, chosen))
}

/// The stability rows when a priority asks for them.
fn stability_of(p: &Problem, e: &Eligibility) -> Result<Option<Stability>, PalimError> {
    if !p.priorities.contains(&Priority::Stable) {
        return Ok(None);
    }
    Stability::new(p, e).map(Some).map_err(|terms| {
        PalimError::Usage(format!(
            "the priority `stable` needs about {terms} terms of stability rows here, above the \
             limit of {}: solve without it, or for fewer trainees and vacancies",
            stability::MAX_TERMS
        ))
    })
}
