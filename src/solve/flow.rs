//! The assignment-graph fast path: the scenario as a min-cost flow.
//!
//! When every hard rule is a capacity — one place per trainee, positions per
//! vacancy, employer caps, destination minimums and maximums, locks — the
//! integer program is a network:
//!
//! ```text
//! source ─1─▶ trainee ─1, −score─▶ vacancy ─positions─▶ [employer ─cap─▶] destination ─max─▶ sink
//! ```
//!
//! Its flows are integral, so a minimum-cost maximum flow *is* the optimal
//! match set (placements first, then score), proven by the flow's optimality
//! conditions instead of branch-and-bound. Destination minimums ride on a sink
//! arc of cost −B (B larger than any score difference), which every maximum
//! flow that can meet them does; locks are placed before the flow starts.
//!
//! The algorithm is successive shortest paths with node potentials (Dijkstra
//! on reduced costs, stopping at the sink), augmenting along every path of
//! reduced cost zero before the next search. Each augmentation follows a
//! shortest path of the current residual graph, so the flow of every value is
//! of minimum cost; the last one is a minimum-cost maximum flow.
//!
//! Scores enter as integers (`SCALE` per unit, 10⁻⁹), so the optimum is exact
//! for scores rounded to nine decimals, the tolerance the integer program
//! holds scores to; results are printed to four.
//!
//! Keeping an earlier answer's pairs (a re-plan, a what-if's tie-break) is a
//! goal between placements and score, or after the score: it rides on the
//! pair arcs' costs ([`Keep`], `pair_costs`), so a re-plan or a what-if
//! needs no branch-and-bound. Costs are 128-bit for that: a kept pair that
//! outweighs every score difference, times a minimum's weight over it, is
//! beyond 64 bits at national size.
//!
//! Group shares are not capacities, nor is an employer cap over vacancies in
//! several destinations. Without them (the cap given to each destination's
//! part in full), the network is a relaxation: when its optimum already keeps
//! them, it is optimal for the full problem too (proof:
//! `min_cost_flow_relaxation`); otherwise the caller falls back to the
//! integer program.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Instant;

use crate::eligibility::Eligibility;
use crate::model::problem::Problem;
use crate::model::scenario::Priority;
use crate::solve::hard_rules::{self, HardRule, NotACapacity};
use crate::solve::outcome::{Keep, Outcome, Phase, Proof, Solution, Status};

mod cost_scaling;
mod warm;
pub use warm::{solve_from, solve_or_relax_from, FromBefore, Pairs, Warm};

/// Score units per 1.0 of score: exact to the 10⁻⁹ the integer program
/// holds scores to.
pub const SCALE: f64 = 1e9;

/// Why a scenario cannot take the fast path (for `--engine flow` errors and
/// the solver report).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotANetwork {
    Shares,
    EmployerAcrossDestinations(String),
    Priorities,
    KeepPhase,
    ScoresTooLarge,
    LockConflict,
    /// The optimum without the non-capacity rules breaks one of them.
    Relaxation,
}

impl std::fmt::Display for NotANetwork {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotANetwork::Shares => write!(f, "group shares are not capacities"),
            NotANetwork::EmployerAcrossDestinations(e) => write!(
                f,
                "employer {e} has a cap and vacancies in more than one destination"
            ),
            NotANetwork::Priorities => write!(f, "the priorities are not placements and score"),
            NotANetwork::KeepPhase => write!(
                f,
                "keeping earlier matches is a goal the flow takes only after the most placements"
            ),
            NotANetwork::ScoresTooLarge => write!(f, "scores too large for exact integer costs"),
            NotANetwork::Relaxation => write!(
                f,
                "the optimal flow without the group shares (and cross-destination employer caps) breaks them"
            ),
            NotANetwork::LockConflict => {
                write!(
                    f,
                    "locks conflict with capacities (the integer program diagnoses it)"
                )
            }
        }
    }
}

/// How the flow is found. Both give a minimum-cost maximum flow; tests check
/// that they agree with each other and with the integer program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// Successive shortest paths: simplest, fastest on small graphs.
    ShortestPaths,
    /// Maximum flow (Dinic), then Goldberg's cost scaling (push–relabel):
    /// near-linear in practice on national-size graphs.
    CostScaling,
    /// Shortest paths below `SCALING_FROM` eligible pairs, cost scaling above.
    Auto,
}

/// Graphs from this many eligible pairs on use cost scaling.
pub const SCALING_FROM: usize = 20_000;

/// Solve `p` as a min-cost flow, ignoring group shares when `relax_shares`.
/// `Err` says why the scenario is not a network.
pub fn solve(p: &Problem, e: &Eligibility, relax: bool) -> Result<Outcome, NotANetwork> {
    solve_with(p, e, relax, Algorithm::Auto)
}

/// [`solve`] with a chosen algorithm.
pub fn solve_with(
    p: &Problem,
    e: &Eligibility,
    relax: bool,
    algorithm: Algorithm,
) -> Result<Outcome, NotANetwork> {
    solve_until(p, e, relax, algorithm, None)
}

/// [`solve_with`], giving up at `deadline` (`Outcome::NoSolutionInTime`: a
/// flow cut short is not a match set that keeps the rules).
pub fn solve_until(
    p: &Problem,
    e: &Eligibility,
    relax: bool,
    algorithm: Algorithm,
    deadline: Option<Instant>,
) -> Result<Outcome, NotANetwork> {
    solve_keeping(p, e, relax, algorithm, deadline, None)
}

/// [`solve_until`], and among the optimal flows one that keeps the most of
/// `keep`'s pairs. Only placements-first priorities take a keep goal (the
/// score-first modes spend a tolerance path by path, which a weighted cost
/// would blur).
pub fn solve_keeping(
    p: &Problem,
    e: &Eligibility,
    relax: bool,
    algorithm: Algorithm,
    deadline: Option<Instant>,
    keep: Option<Keep>,
) -> Result<Outcome, NotANetwork> {
    if let Some(why) = not_a_network(p).filter(|_| !relax) {
        return Err(why);
    }
    let started = Instant::now();
    let mode = match p.priorities.as_slice() {
        [Priority::Placements] => Mode::MaxFlow { costs: false },
        [Priority::Placements, Priority::Score] => Mode::MaxFlow { costs: true },
        _ if keep.is_some() => return Err(NotANetwork::KeepPhase),
        [Priority::Score] => Mode::WhileNegative,
        [Priority::Score, Priority::Placements] => Mode::WhileNotPositive,
        _ => return Err(NotANetwork::Priorities),
    };
    let scores = matches!(mode, Mode::MaxFlow { costs: false }).then_some(0.0);
    let mut net = Network::build(p, e, &pair_costs(e, scores, keep)?, false)?;
    net.deadline = deadline;
    let algorithm = match algorithm {
        Algorithm::Auto => auto_algorithm(e),
        a => a,
    };
    match (algorithm, mode) {
        // Cost scaling finds a minimum-cost flow of a given value: the maximum.
        (Algorithm::CostScaling, Mode::MaxFlow { .. }) => {
            net.max_flow_min_cost();
        }
        _ => net.run(mode),
    }
    Ok(net.outcome(p, e, started))
}

/// A minimum-cost maximum flow on any network given as arcs `(from, to,
/// capacity, cost)`, node 0 the source and node `nodes - 1` the sink, or
/// `None` past the deadline. Interview shortlists are such a network
/// without being a scenario's; the algorithm is the scenario's own cost
/// scaling.
pub fn min_cost_max_flow(
    nodes: usize,
    arcs: &[(usize, usize, i64, i128)],
    deadline: Option<Instant>,
) -> Option<MinCostFlow> {
    let mut tails = Vec::with_capacity(2 * arcs.len());
    let mut b = Builder::with_capacity(arcs.len());
    let forward: Vec<usize> = arcs
        .iter()
        .map(|&(u, v, cap, cost)| b.arc(&mut tails, u, v, cap, cost))
        .collect();
    let (first, order) = out_arcs(&tails, nodes);
    let mut net = Network {
        sink: nodes - 1,
        first,
        order,
        head: b.head,
        cap: b.cap,
        cost: b.cost,
        pair_arc: Vec::new(),
        minimum_arcs: Vec::new(),
        locked: Vec::new(),
        locked_score: 0,
        relaxed: false,
        deadline,
        timed_out: false,
        steps: 0,
        ret: usize::MAX,
    };
    // Cost scaling at every size: on shortlists it is faster than shortest
    // paths from the pilot's 3,000 pairs on (0.01 s against 0.02 s whole
    // process; 0.08 s against 0.34 s at 1,000 × 400).
    let prices = net.max_flow_min_cost();
    if net.timed_out {
        return None;
    }
    // The difference is taken in integers, on the prices' scale, where a
    // large cost and the prices that offset it cancel exactly.
    let scale = net.price_scale();
    let reduced_cost = prices.map(|price| {
        arcs.iter()
            .map(|&(u, v, _, cost)| (cost * scale + price[u] - price[v]) as f64 / scale as f64)
            .collect()
    });
    Some(MinCostFlow {
        flow: forward.iter().map(|&a| net.cap[a ^ 1]).collect(),
        reduced_cost,
    })
}

/// [`min_cost_max_flow`]'s answer.
#[derive(Debug, Clone)]
pub struct MinCostFlow {
    /// The flow on each arc.
    pub flow: Vec<i64>,
    /// Each arc's reduced cost at prices that prove the flow optimal to
    /// within one part in the node count (as exact as an `f64` keeps it):
    /// how much the cost would have to fall before more flow on the arc
    /// paid. `None` when the flow was found without prices (a network too
    /// large for cost scaling's layout, or one with no flow).
    pub reduced_cost: Option<Vec<f64>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Augment until no path is left (maximum flow), cheapest paths first.
    MaxFlow { costs: bool },
    /// Augment while a path lowers the cost (score first, placements free).
    WhileNegative,
    /// Augment while a path does not raise the cost (score, then placements).
    WhileNotPositive,
}

const SOURCE: usize = 0;

/// The residual network, arcs in pairs (`a ^ 1` is `a`'s reverse).
struct Network {
    sink: usize,
    /// Out-arcs of node `u`: `arcs[first[u]..first[u + 1]]` (indices into `order`).
    first: Vec<usize>,
    order: Vec<usize>,
    head: Vec<usize>,
    cap: Vec<i64>,
    cost: Vec<i128>,
    /// The arc of each eligible pair (or `usize::MAX` for pairs that are out:
    /// locked trainees' other pairs).
    pair_arc: Vec<usize>,
    /// Minimum arcs into the sink, with their required flow.
    minimum_arcs: Vec<(usize, i64)>,
    /// Pairs placed by locks before the flow, and their score (units).
    locked: Vec<usize>,
    locked_score: i128,
    /// Whether a rule was left out or loosened (the answer must be checked).
    relaxed: bool,
    /// When to give up (`--time-limit`), and whether it came.
    deadline: Option<Instant>,
    timed_out: bool,
    /// Steps since the clock was last read.
    steps: u32,
    /// The arc from the sink back to the source when the network is a
    /// circulation (what-ifs from a flow, [`warm`]), else `usize::MAX`.
    ret: usize,
}

/// Whether some rule is not a capacity (a group share, an employer cap over
/// several destinations), so the flow can only solve a relaxation.
pub fn needs_relaxation(p: &Problem) -> bool {
    hard_rules::first_non_capacity(p).is_some()
}

/// Why `p` is not a network, when it is not.
fn not_a_network(p: &Problem) -> Option<NotANetwork> {
    hard_rules::first_non_capacity(p).map(|why| match why {
        NotACapacity::SpansDestinations(emp) => {
            NotANetwork::EmployerAcrossDestinations(p.employers[emp].clone())
        }
        NotACapacity::Ratio => NotANetwork::Shares,
    })
}

/// The capacities of the network, read from the hard rules' rows (before
/// the locks take their share).
struct Capacities {
    positions: Vec<i64>,
    employer: Vec<i64>,
    dest_min: Vec<i64>,
    dest_max: Vec<i64>,
    locks: Vec<usize>,
}

impl Capacities {
    fn of(p: &Problem) -> Capacities {
        let mut c = Capacities {
            positions: vec![0; p.vacancies.len()],
            employer: vec![i64::MAX; p.employers.len()],
            dest_min: vec![0; p.destinations.len()],
            dest_max: vec![i64::MAX; p.destinations.len()],
            locks: Vec::new(),
        };
        let rows = hard_rules::Rows::new(p);
        for bound in rows
            .rows
            .iter()
            .flat_map(|r| r.lower.into_iter().chain(r.upper))
        {
            // Bounds are whole numbers of placements (shares, the one
            // exception, are not capacities and never reach the network).
            let value = bound.value as i64;
            match bound.rule {
                // The source's arc to each trainee has capacity 1.
                HardRule::OnePlacement(_) => {}
                HardRule::Positions(v) => c.positions[v] = value,
                HardRule::DestinationMin(d) => c.dest_min[d] = value,
                HardRule::DestinationMax(d) => c.dest_max[d] = value,
                HardRule::EmployerCap(emp) => c.employer[emp] = value,
                HardRule::GroupShare(_) => {}
                // A lock bounds its pair from both sides; once is enough.
                HardRule::Lock(l) => {
                    if c.locks.last() != Some(&l) {
                        c.locks.push(l);
                    }
                }
            }
        }
        c
    }
}

/// The algorithm [`Algorithm::Auto`] picks for `e`.
pub fn auto_algorithm(e: &Eligibility) -> Algorithm {
    if e.pairs.len() >= SCALING_FROM {
        Algorithm::CostScaling
    } else {
        Algorithm::ShortestPaths
    }
}

impl Capacities {
    /// Locks go first: their trainees, positions and quota units are taken.
    /// Which trainees a lock placed, and the locked pairs.
    fn take_locks(
        &mut self,
        p: &Problem,
        e: &Eligibility,
    ) -> Result<(Vec<bool>, Vec<usize>), NotANetwork> {
        let mut trainee_taken = vec![false; p.trainees.len()];
        let mut locked = Vec::new();
        for lock in self.locks.iter().map(|&l| &p.locks[l]) {
            let Some(i) = e.pair_index(lock.trainee, lock.vacancy) else {
                return Err(NotANetwork::LockConflict);
            };
            let v = &p.vacancies[lock.vacancy];
            if trainee_taken[lock.trainee] {
                return Err(NotANetwork::LockConflict);
            }
            trainee_taken[lock.trainee] = true;
            self.positions[lock.vacancy] -= 1;
            self.employer[v.employer] = self.employer[v.employer].saturating_sub(1);
            self.dest_max[v.dest] = self.dest_max[v.dest].saturating_sub(1);
            self.dest_min[v.dest] -= 1;
            if self.positions[lock.vacancy] < 0
                || self.employer[v.employer] < 0
                || self.dest_max[v.dest] < 0
            {
                return Err(NotANetwork::LockConflict);
            }
            locked.push(i);
        }
        Ok((trainee_taken, locked))
    }
}

/// Costs this large or larger are refused: cost scaling multiplies them by
/// the number of nodes, and its prices drift by that many times more, within
/// 128 bits.
const MAX_COST: i128 = 1 << 80;

/// What a kept pair is worth after the score, in score units: more than
/// rounding scores to units can make two equal match sets differ by (half a
/// unit a pair), far less than any difference real scores make (10⁻⁶).
/// The integer program likewise holds the score within a tolerance before
/// it keeps pairs, so rounding never forces a move.
pub const KEPT_AFTER_SCORE: i128 = 1024;

/// Each pair arc's cost: minus its score in units, or minus `score` for
/// every pair (placements alone). With `keep`, the kept pairs' bonus and the
/// score are one integer: after the score, a kept pair is worth
/// [`KEPT_AFTER_SCORE`] units; before it, a kept pair outweighs any two
/// match sets' difference in score (`2 Σ max |score| + 1`).
fn pair_costs(
    e: &Eligibility,
    score: Option<f64>,
    keep: Option<Keep>,
) -> Result<Costs, NotANetwork> {
    let costs = pair_arc_costs(e, score, keep)?;
    let worst = trainee_best(e, &costs).iter().sum();
    Ok(Costs { pair: costs, worst })
}

/// The pair arcs' costs, and the bound the network's larger costs are
/// derived from: what-ifs on the same pairs reuse them ([`Warm`]).
#[derive(Debug, Clone)]
struct Costs {
    pair: Vec<i128>,
    /// Σ over trainees of their largest |cost|: more than any two match
    /// sets' pair costs can differ by.
    worst: i128,
}

fn pair_arc_costs(
    e: &Eligibility,
    score: Option<f64>,
    keep: Option<Keep>,
) -> Result<Vec<i128>, NotANetwork> {
    let units = |s: f64| -> Result<i128, NotANetwork> {
        let u = (s * SCALE).round();
        if u.is_finite() && u.abs() < 1e18 {
            Ok(u as i128)
        } else {
            Err(NotANetwork::ScoresTooLarge)
        }
    };
    let scores: Vec<i128> = e
        .pairs
        .iter()
        .map(|pair| units(score.unwrap_or(pair.score)))
        .collect::<Result<_, _>>()?;
    let Some(keep) = keep else {
        return Ok(scores.into_iter().map(|s| -s).collect());
    };
    let mut is_kept = vec![false; scores.len()];
    for &i in keep.pairs {
        if let Some(k) = is_kept.get_mut(i) {
            *k = true;
        }
    }
    let kept = |i: usize| i128::from(is_kept[i]);
    let costs: Vec<i128> = if keep.before_score {
        let range = 2 * trainee_best(e, &scores).iter().sum::<i128>() + 1;
        (0..scores.len())
            .map(|i| -(kept(i) * range + scores[i]))
            .collect()
    } else {
        (0..scores.len())
            .map(|i| -(scores[i] + kept(i) * KEPT_AFTER_SCORE))
            .collect()
    };
    Ok(costs)
}

/// Each trainee's largest |cost| over their pairs.
fn trainee_best(e: &Eligibility, costs: &[i128]) -> Vec<i128> {
    let nt = e.pairs.iter().map(|pair| pair.t + 1).max().unwrap_or(0);
    let mut best = vec![0i128; nt];
    for (pair, c) in e.pairs.iter().zip(costs) {
        best[pair.t] = best[pair.t].max(c.abs());
    }
    best
}

/// The cost of a unit on a minimum arc: integer, and above any difference
/// the pairs' costs can make, so minimums come before every score.
///
/// A `circulation` (a what-if's network, [`warm`]) rounds it up to a power
/// of two at least twice that: the what-ifs of one scenario then share it
/// (a trainee's changed data moves the pairs' costs by little), so the
/// labels of the solve before still price the minimum and return arcs.
fn minimum_cost(worst: i128, dest_min: &[i64], circulation: bool) -> Result<i128, NotANetwork> {
    let big = match circulation {
        false => worst + 1,
        true => u128::try_from(2 * (worst + 1))
            .ok()
            .and_then(u128::checked_next_power_of_two)
            .and_then(|x| i128::try_from(x).ok())
            .ok_or(NotANetwork::ScoresTooLarge)?,
    };
    let total_min: i128 = dest_min.iter().map(|&m| i128::from(m.max(0))).sum();
    if big
        .checked_mul(total_min + 1)
        .and_then(|x| x.checked_add(worst))
        .is_none_or(|x| x >= MAX_COST)
    {
        return Err(NotANetwork::ScoresTooLarge);
    }
    Ok(big)
}

/// Nodes: source, trainees, vacancies, capped employers, destinations, sink —
/// every arc goes from a lower to a higher index (a DAG, for the first potentials).
struct Nodes {
    nt: usize,
    /// Employer nodes by (employer, destination).
    employer: std::collections::HashMap<(usize, usize), usize>,
    /// The first destination node.
    dests: usize,
    sink: usize,
}

impl Nodes {
    fn new(p: &Problem, employer_dests: &[Vec<usize>]) -> Nodes {
        let (nt, nv) = (p.trainees.len(), p.vacancies.len());
        let mut employer = std::collections::HashMap::new();
        let mut next = 1 + nt + nv;
        for (emp, dests) in employer_dests.iter().enumerate() {
            for &d in dests {
                employer.insert((emp, d), next);
                next += 1;
            }
        }
        Nodes {
            nt,
            employer,
            dests: next,
            sink: next + p.destinations.len(),
        }
    }
    fn trainee(&self, t: usize) -> usize {
        1 + t
    }
    fn vacancy(&self, v: usize) -> usize {
        1 + self.nt + v
    }
    fn dest(&self, d: usize) -> usize {
        self.dests + d
    }
}

/// Out-arc lists (both directions of every arc), from each arc's tail:
/// `(first, order)` as [`Network`] keeps them.
fn out_arcs(tails: &[usize], nodes: usize) -> (Vec<usize>, Vec<usize>) {
    let mut first = vec![0usize; nodes + 1];
    for &u in tails {
        first[u + 1] += 1;
    }
    for u in 0..nodes {
        first[u + 1] += first[u];
    }
    let mut fill = first.clone();
    let mut order = vec![0usize; tails.len()];
    for (a, &u) in tails.iter().enumerate() {
        order[fill[u]] = a;
        fill[u] += 1;
    }
    (first, order)
}

impl Network {
    /// The network of `p` with `costs` on the pair arcs (see [`pair_costs`]).
    /// A `circulation` has an arc back from the sink to the source, worth
    /// more than any path costs: a circulation of least cost is then a
    /// flow of most placements first, least cost among those second.
    fn build(
        p: &Problem,
        e: &Eligibility,
        costs: &Costs,
        circulation: bool,
    ) -> Result<Network, NotANetwork> {
        // Employers with a cap get a node per destination they have vacancies
        // in. One node when that is one destination (the cap is a capacity);
        // with several, each node gets the whole cap, which is a relaxation
        // (allowed only when the caller relaxes: it checks the answer).
        let employer_dests = hard_rules::employer_destinations(p);
        let relaxed = needs_relaxation(p);
        let mut c = Capacities::of(p);
        let (trainee_taken, locked) = c.take_locks(p, e)?;
        let big = minimum_cost(costs.worst, &c.dest_min, circulation)?;
        let costs = &costs.pair;
        let nodes = Nodes::new(p, &employer_dests);

        // Source and pair arcs, vacancies, employers, destinations, return.
        let arcs = p.trainees.len()
            + e.pairs.len()
            + p.vacancies.len()
            + employer_dests.iter().map(Vec::len).sum::<usize>()
            + 2 * p.destinations.len()
            + 1;
        let mut tails = Vec::with_capacity(2 * arcs);
        let mut b = Builder::with_capacity(arcs);
        let mut pair_arc = vec![usize::MAX; e.pairs.len()];
        for (t, &taken) in trainee_taken.iter().enumerate() {
            if taken || e.of_trainee(t).is_empty() {
                continue;
            }
            b.arc(&mut tails, SOURCE, nodes.trainee(t), 1, 0);
            for i in e.of_trainee(t) {
                let pair = &e.pairs[i];
                pair_arc[i] = b.arc(
                    &mut tails,
                    nodes.trainee(t),
                    nodes.vacancy(pair.v),
                    1,
                    costs[i],
                );
            }
        }
        for (v, vac) in p.vacancies.iter().enumerate() {
            if c.positions[v] == 0 {
                continue;
            }
            let to = nodes
                .employer
                .get(&(vac.employer, vac.dest))
                .copied()
                .unwrap_or_else(|| nodes.dest(vac.dest));
            b.arc(&mut tails, nodes.vacancy(v), to, c.positions[v], 0);
        }
        for (emp, dests) in employer_dests.iter().enumerate() {
            for &d in dests {
                b.arc(
                    &mut tails,
                    nodes.employer[&(emp, d)],
                    nodes.dest(d),
                    c.employer[emp],
                    0,
                );
            }
        }
        let minimum_arcs = destination_arcs(p, &c, &nodes, big, &mut b, &mut tails);
        let ret = if circulation {
            // A simple path meets one arc into the sink (at most `big`) and
            // at most two pair arcs per trainee (at most `2 · worst`).
            let worst = big - 1;
            let worth = big
                .checked_add(worst)
                .and_then(|x| x.checked_mul(2))
                .filter(|&x| x < MAX_COST << 4)
                .ok_or(NotANetwork::ScoresTooLarge)?;
            let units = i64::try_from(p.trainees.len()).unwrap_or(i64::MAX);
            b.arc(&mut tails, nodes.sink, SOURCE, units, -(worth + 1))
        } else {
            usize::MAX
        };
        let (first, order) = out_arcs(&tails, nodes.sink + 1);
        Ok(Network {
            sink: nodes.sink,
            first,
            order,
            head: b.head,
            cap: b.cap,
            cost: b.cost,
            pair_arc,
            minimum_arcs,
            locked_score: locked.iter().map(|&i| -costs[i]).sum(),
            locked,
            relaxed,
            deadline: None,
            timed_out: false,
            steps: 0,
            ret,
        })
    }

    /// Whether the deadline has passed (reads the clock).
    fn past_deadline(&mut self) -> bool {
        self.timed_out |= super::outcome::past(self.deadline);
        self.timed_out
    }

    /// [`Self::past_deadline`] for inner loops: reads the clock every 4,096
    /// steps, so they can ask at every step.
    fn out_of_time(&mut self) -> bool {
        self.steps = self.steps.wrapping_add(1);
        if self.steps % 4096 == 0 {
            self.past_deadline();
        }
        self.timed_out
    }

    fn out(&self, u: usize) -> &[usize] {
        &self.order[self.first[u]..self.first[u + 1]]
    }

    /// Successive shortest paths with potentials; see the module comment.
    fn run(&mut self, mode: Mode) {
        let n = self.sink + 1;
        // First potentials: shortest distances in the DAG of forward arcs.
        let mut pi = vec![i128::MAX / 4; n];
        pi[SOURCE] = 0;
        for u in 0..n {
            if pi[u] >= i128::MAX / 4 {
                continue;
            }
            for &a in self.out(u) {
                if a & 1 == 0 && self.cap[a] > 0 {
                    let v = self.head[a];
                    pi[v] = pi[v].min(pi[u] + self.cost[a]);
                }
            }
        }
        for x in &mut pi {
            if *x >= i128::MAX / 4 {
                *x = 0; // unreachable nodes never enter a search
            }
        }
        let mut dist = vec![i128::MAX; n];
        let mut parent = vec![usize::MAX; n];
        let mut done = vec![false; n];
        let mut touched: Vec<usize> = Vec::new();
        let mut heap = BinaryHeap::new();
        let mut current = vec![0usize; n];
        let mut on_path = vec![false; n];
        let mut tie_budget: Option<i128> = None;
        loop {
            if self.past_deadline() {
                return;
            }
            // Dijkstra on reduced costs from the source, stopping at the sink.
            for &u in &touched {
                dist[u] = i128::MAX;
                parent[u] = usize::MAX;
                done[u] = false;
            }
            touched.clear();
            dist[SOURCE] = 0;
            touched.push(SOURCE);
            heap.push(Reverse((0i128, SOURCE)));
            let mut reached = false;
            while let Some(Reverse((d, u))) = heap.pop() {
                if done[u] || d > dist[u] {
                    continue;
                }
                done[u] = true;
                if u == self.sink {
                    reached = true;
                    break;
                }
                for &a in self.out(u) {
                    if self.cap[a] <= 0 {
                        continue;
                    }
                    let v = self.head[a];
                    if done[v] {
                        continue;
                    }
                    let nd = d + self.cost[a] + pi[u] - pi[v];
                    if nd < dist[v] {
                        if dist[v] == i128::MAX {
                            touched.push(v);
                        }
                        dist[v] = nd;
                        parent[v] = a;
                        heap.push(Reverse((nd, v)));
                    }
                }
            }
            heap.clear();
            if !reached {
                return;
            }
            // Potentials: settled nodes by their distance, the rest by the sink's.
            let dt = dist[self.sink];
            for (u, x) in pi.iter_mut().enumerate() {
                *x += if done[u] { dist[u] } else { dt };
            }
            // The real cost of a shortest path now.
            let path_cost = pi[self.sink] - pi[SOURCE];
            // How many trainees may take a path of this cost. Score, then
            // placements: a path that costs score is still a tie within the
            // tolerance the integer program holds a score to (the rounding of
            // scores to integers alone can make 5/6 + 7/12 cost one unit more
            // than 17/12), spent path by path.
            let paths = match mode {
                Mode::MaxFlow { .. } => usize::MAX,
                Mode::WhileNegative if path_cost < 0 => usize::MAX,
                Mode::WhileNotPositive if path_cost <= 0 => usize::MAX,
                Mode::WhileNotPositive => {
                    let budget = *tie_budget.get_or_insert_with(|| self.score_tolerance());
                    usize::try_from(budget / path_cost).unwrap_or(0)
                }
                Mode::WhileNegative => 0,
            };
            if paths == 0 {
                return;
            }
            // Augment along every path of reduced cost zero (all are shortest;
            // each carries one trainee).
            current.iter_mut().for_each(|c| *c = 0);
            let mut augmented = 0;
            while augmented < paths && self.augment_tight_path(&pi, &mut current, &mut on_path) {
                augmented += 1;
            }
            if let Some(budget) = &mut tie_budget {
                *budget -= path_cost.max(0) * augmented as i128;
            }
            if augmented == 0 {
                // Cannot happen (the Dijkstra path is tight); stop rather than loop.
                debug_assert!(false, "no tight path after a successful search");
                return;
            }
        }
    }

    /// Push as much as the path allows along one source–sink path of
    /// residual arcs with reduced cost zero (all are shortest paths).
    fn augment_tight_path(
        &mut self,
        pi: &[i128],
        current: &mut [usize],
        on_path: &mut [bool],
    ) -> bool {
        let cost = &self.cost;
        let tight = |a: usize, u: usize, v: usize| cost[a] + pi[u] - pi[v] == 0;
        match self.find_path(current, on_path, tight) {
            Some(arcs) => {
                self.push_along(&arcs);
                true
            }
            None => false,
        }
    }

    /// One source–sink path of residual arcs that `usable(arc, from, to)`
    /// allows, by depth-first search. `current[u]` is u's next arc to try:
    /// kept across calls, it makes a dead end stay dead for the round (a
    /// blocking flow in O(E) per round). `on_path` keeps the search off
    /// cycles; it is all false again on return.
    fn find_path(
        &self,
        current: &mut [usize],
        on_path: &mut [bool],
        usable: impl Fn(usize, usize, usize) -> bool,
    ) -> Option<Vec<usize>> {
        let mut stack: Vec<usize> = vec![SOURCE];
        let mut arcs: Vec<usize> = Vec::new();
        on_path[SOURCE] = true;
        let found = loop {
            let Some(&u) = stack.last() else { break false };
            if u == self.sink {
                break true;
            }
            let out_len = self.first[u + 1] - self.first[u];
            let mut advanced = false;
            while current[u] < out_len {
                let a = self.order[self.first[u] + current[u]];
                let v = self.head[a];
                if self.cap[a] > 0 && !on_path[v] && usable(a, u, v) {
                    stack.push(v);
                    arcs.push(a);
                    on_path[v] = true;
                    advanced = true;
                    break;
                }
                current[u] += 1;
            }
            if !advanced {
                on_path[u] = false;
                stack.pop();
                if let Some(&w) = stack.last() {
                    current[w] += 1;
                    arcs.pop();
                }
            }
        };
        for &u in &stack {
            on_path[u] = false;
        }
        found.then_some(arcs)
    }

    /// Push the path's bottleneck along it; returns the amount.
    fn push_along(&mut self, arcs: &[usize]) -> i64 {
        let push = arcs.iter().map(|&a| self.cap[a]).min().unwrap_or(0);
        for &a in arcs {
            self.cap[a] -= push;
            self.cap[a ^ 1] += push;
        }
        push
    }

    /// Dinic's maximum flow value (unit capacities out of the source make it
    /// O(E √V)); the network's capacities are left as they were.
    fn max_flow_value(&mut self) -> i64 {
        let n = self.sink + 1;
        let saved = self.cap.clone();
        let mut level = vec![u32::MAX; n];
        let mut current = vec![0usize; n];
        let mut on_path = vec![false; n];
        let mut queue = std::collections::VecDeque::new();
        let mut total = 0i64;
        loop {
            level.iter_mut().for_each(|l| *l = u32::MAX);
            level[SOURCE] = 0;
            queue.clear();
            queue.push_back(SOURCE);
            while let Some(u) = queue.pop_front() {
                for &a in self.out(u) {
                    let v = self.head[a];
                    if self.cap[a] > 0 && level[v] == u32::MAX {
                        level[v] = level[u] + 1;
                        queue.push_back(v);
                    }
                }
            }
            if level[self.sink] == u32::MAX {
                break;
            }
            current.iter_mut().for_each(|c| *c = 0);
            // Blocking flow along the level graph.
            let forward = |_: usize, u: usize, v: usize| level[v] == level[u] + 1;
            while let Some(arcs) = self.find_path(&mut current, &mut on_path, forward) {
                total += self.push_along(&arcs);
                if self.out_of_time() {
                    self.cap = saved;
                    return total;
                }
            }
        }
        self.cap = saved;
        total
    }

    /// The match set the flow stands for, proven by its optimality
    /// conditions (or why there is none).
    fn outcome(&self, p: &Problem, e: &Eligibility, started: Instant) -> Outcome {
        if self.timed_out {
            return Outcome::NoSolutionInTime;
        }
        if !self.minimums_met() {
            return Outcome::Infeasible;
        }
        let mut chosen = self.chosen_pairs();
        chosen.extend(self.locked.iter().copied());
        chosen.sort_unstable();
        let proof = if self.relaxed {
            Proof::FlowRelaxation
        } else {
            Proof::MinCostFlow
        };
        let seconds = started.elapsed().as_secs_f64();
        let placements = chosen.len() as f64;
        let score: f64 = chosen.iter().map(|&i| e.pairs[i].score).sum();
        let phases = p
            .priorities
            .iter()
            .filter_map(|&priority| {
                // The flow takes no other priorities (`Mode`).
                let value = match priority {
                    Priority::Placements => placements,
                    Priority::Score => score,
                    Priority::Stable => return None,
                };
                Some(Phase {
                    priority,
                    value,
                    bound: value,
                    status: Status::Optimal,
                    seconds,
                    proof,
                })
            })
            .collect();
        Outcome::Solved(Solution {
            chosen,
            status: Status::Optimal,
            gap: None,
            phases,
            start: None,
        })
    }

    fn minimums_met(&self) -> bool {
        self.minimum_arcs
            .iter()
            .all(|&(a, _)| a != usize::MAX && self.cap[a] == 0)
    }

    /// The score loss (units) the integer program's score phase tolerates
    /// at the current flow's score: `SCORE_TOLERANCE` of it.
    fn score_tolerance(&self) -> i128 {
        let pairs: i128 = self
            .pair_arc
            .iter()
            .filter(|&&a| a != usize::MAX && self.cap[a] == 0)
            .map(|&a| -self.cost[a])
            .sum();
        let score = (pairs + self.locked_score) as f64 / SCALE;
        (crate::solve::outcome::SCORE_TOLERANCE * score.abs().max(1.0) * SCALE).floor() as i128
    }

    fn chosen_pairs(&self) -> Vec<usize> {
        self.pair_arc
            .iter()
            .enumerate()
            .filter(|&(_, &a)| a != usize::MAX && self.cap[a] == 0)
            .map(|(i, _)| i)
            .collect()
    }
}

/// Each destination's arcs into the sink: its minimum at cost `-big`, the
/// rest of its maximum free. The minimum arcs with their required flow (a
/// minimum no flow can meet, after the locks, as `usize::MAX`).
fn destination_arcs(
    p: &Problem,
    c: &Capacities,
    nodes: &Nodes,
    big: i128,
    b: &mut Builder,
    tails: &mut Vec<usize>,
) -> Vec<(usize, i64)> {
    let unbounded: i64 = p
        .vacancies
        .iter()
        .map(|v| i64::from(v.positions))
        .sum::<i64>()
        + 1;
    let mut minimum_arcs = Vec::new();
    for d in 0..p.destinations.len() {
        let max = c.dest_max[d].min(unbounded);
        let min = c.dest_min[d].max(0).min(max);
        if c.dest_min[d] > max {
            // More required than allowed after the locks: no flow can do it.
            minimum_arcs.push((usize::MAX, c.dest_min[d]));
        }
        if min > 0 {
            let a = b.arc(tails, nodes.dest(d), nodes.sink, min, -big);
            minimum_arcs.push((a, min));
        }
        if max > min {
            b.arc(tails, nodes.dest(d), nodes.sink, max - min, 0);
        }
    }
    minimum_arcs
}

struct Builder {
    head: Vec<usize>,
    cap: Vec<i64>,
    cost: Vec<i128>,
}

impl Builder {
    /// Room for `arcs` arcs and their reverses: what-ifs build a network
    /// each, and growing the arrays was a third of building it.
    fn with_capacity(arcs: usize) -> Builder {
        Builder {
            head: Vec::with_capacity(2 * arcs),
            cap: Vec::with_capacity(2 * arcs),
            cost: Vec::with_capacity(2 * arcs),
        }
    }

    /// Add arc `u → v` and its reverse; returns the forward arc's index.
    fn arc(&mut self, tails: &mut Vec<usize>, u: usize, v: usize, cap: i64, cost: i128) -> usize {
        let a = self.head.len();
        self.head.extend([v, u]);
        self.cap.extend([cap, 0]);
        self.cost.extend([cost, -cost]);
        tails.extend([u, v]);
        a
    }
}
