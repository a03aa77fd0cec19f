//! What-ifs from the answer before: a changed scenario's optimum reached from
//! the current one instead of from nothing.
//!
//! A what-if changes a scenario by a unit — one more position, one more
//! place in a quota, a lock, a forbid, one trainee's data — so its optimum
//! is the current match set moved along a path or two. [`solve_from`] puts
//! the earlier pairs that still fit into the changed network as a flow and
//! closes the network into a circulation (an arc back from the sink, worth
//! more than any path: the most placements still come first). The labels of
//! the solve before ([`Warm`]) still price almost every residual arc at zero
//! or more; the few they do not (the changed ones) are saturated, and the
//! units that leaves over are routed by successive shortest paths on
//! reduced costs (`Network::repair`), the labels moving with them. A change
//! of many arcs at once (every employer's cap) is left to Bellman–Ford label
//! correcting, which cancels the negative cycles it meets. Either way, when
//! no residual arc is left with a negative reduced cost, the labels are node
//! potentials that prove the circulation optimal: the answer is as exact as
//! a solve from scratch, on the very same costs, only reached from nearby.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::time::Instant;

use super::{pair_costs, Costs, Network, NotANetwork, SOURCE};
use crate::eligibility::Eligibility;
use crate::model::problem::Problem;
use crate::model::scenario::Priority;
use crate::solve::audit;
use crate::solve::outcome::{Keep, Outcome, Solution};

/// Cycles cancelled before a what-if is given back to a solve from scratch:
/// a unit change needs a handful, and cycle cancelling has no good bound.
const MAX_CYCLES: usize = 10_000;

/// Label corrections, in passes over the arcs, before a what-if is given
/// back to a solve from scratch: a change of many arcs at once (every
/// employer's cap) can need thousands of cycles, each found by a search
/// over much of the graph, where cost scaling from nothing is near-linear.
const MAX_PASSES: usize = 8;

/// Arc scans allowed whatever the size (a few milliseconds).
const MIN_BUDGET: usize = 1 << 20;

const NONE: usize = usize::MAX;

/// A solved network's node labels (potentials), to start the what-ifs of
/// the same scenario from.
#[derive(Debug, Clone)]
pub struct Warm {
    labels: Vec<i128>,
    /// The pairs kept, and the pair arcs' costs that keep them: a what-if
    /// on the same pairs has the same costs.
    kept: Vec<usize>,
    costs: Costs,
    /// The flow the labels prove optimal, when it is not `kept`: the
    /// relaxation's optimum, the shares binding ([`Warm::relaxation`]).
    start: Option<Vec<usize>>,
}

/// Whether a what-if's eligible pairs are those of the solve before.
#[derive(Debug, Clone, Copy)]
pub enum Pairs<'a> {
    /// A rule changed: the very same pairs, numbered the same.
    Same,
    /// Data changed (a trainee's, a vacancy's): the pairs were built again
    /// from those of `before`, the graph the labels were found on.
    Rebuilt { before: &'a Eligibility },
}

impl Warm {
    /// The labels proving `chosen` optimal for `p` with the what-ifs' keep
    /// goal (keep `chosen`, after the score). `None` when `p` is not a
    /// network with those goals, `chosen` is not its optimum, or `deadline`
    /// comes first.
    pub fn new(
        p: &Problem,
        e: &Eligibility,
        chosen: &[usize],
        deadline: Option<Instant>,
    ) -> Option<Warm> {
        let costs = costs(p, e, chosen).ok()?;
        // Labels from nothing take as many passes as the longest path has
        // arcs; this is done once per scenario.
        let (outcome, labels, _) = run(p, e, chosen, &costs, None, deadline, usize::MAX).ok()?;
        match outcome {
            Outcome::Solved(sol) if sol.chosen == chosen => Some(Warm {
                labels,
                kept: chosen.to_vec(),
                costs,
                start: None,
            }),
            _ => None,
        }
    }

    /// The labels proving the flow relaxation's optimum, with the what-ifs'
    /// goals (keep `chosen`, after the score), when `chosen` is not that
    /// optimum: a rule outside the network (a group share) binds. A what-if
    /// then repairs its own relaxation from them in a search or two, and the
    /// core method starts from that instead of from a flow solved anew.
    ///
    /// Cost scaling finds the optimum and prices within a unit of proving
    /// it; one Dijkstra makes them exact labels (`Network::exact_labels`),
    /// where Bellman–Ford from nothing took 8 s at national size.
    pub fn relaxation(
        p: &Problem,
        e: &Eligibility,
        chosen: &[usize],
        deadline: Option<Instant>,
    ) -> Option<Warm> {
        let costs = costs(p, e, chosen).ok()?;
        let mut net = Network::build(p, e, &costs, true).ok()?;
        net.deadline = deadline;
        let prices = net.min_cost_circulation()?;
        let labels = net.exact_labels(&prices)?;
        let start = net.chosen_pairs();
        Some(Warm {
            labels,
            kept: chosen.to_vec(),
            costs,
            start: Some(start),
        })
    }
}

/// What a what-if solved from the answer before found.
#[derive(Debug, Clone)]
pub enum FromBefore {
    /// The changed scenario's answer.
    Answer(Outcome),
    /// The flow is a relaxation and its optimum breaks a rule outside the
    /// network: that optimum, for the core method to start from
    /// (`SolveOptions::relaxation`).
    Relaxed(Solution),
}

/// Solve `q` with the keep goal "as many of `keep` as possible, after the
/// score", starting from `keep` as a flow and from `warm`'s labels.
///
/// `Err` when `q` is not a network with placements-first goals, or is one
/// only without some rules and its optimum breaks them (the caller solves
/// it as before); `Ok(Outcome::NoSolutionInTime)` when `deadline`
/// comes first, or cycle cancelling takes longer than it should (the caller
/// may then solve from scratch, which has bounds cycle cancelling lacks).
pub fn solve_from(
    q: &Problem,
    eq: &Eligibility,
    pairs: Pairs,
    keep: &[usize],
    warm: Option<&Warm>,
    deadline: Option<Instant>,
) -> Result<Outcome, NotANetwork> {
    match solve_or_relax_from(q, eq, pairs, keep, warm, deadline)? {
        FromBefore::Answer(outcome) => Ok(outcome),
        FromBefore::Relaxed(_) => Err(NotANetwork::Relaxation),
    }
}

/// [`solve_from`], giving back the relaxation's optimum when it breaks a
/// rule outside the network (for the core method), and starting from
/// `warm`'s relaxation when it has one ([`Warm::relaxation`]).
pub fn solve_or_relax_from(
    q: &Problem,
    eq: &Eligibility,
    pairs: Pairs,
    keep: &[usize],
    warm: Option<&Warm>,
    deadline: Option<Instant>,
) -> Result<FromBefore, NotANetwork> {
    let labels = warm.map(|w| w.labels.as_slice());
    let renumbered: Vec<usize>;
    let start = match (warm.and_then(|w| w.start.as_deref()), pairs) {
        (Some(start), Pairs::Same) => start,
        // Numbered as the pairs before: the same pairs in the new graph
        // (the labels are the nodes', which a data change keeps).
        (Some(start), Pairs::Rebuilt { before }) => {
            renumbered = start
                .iter()
                .filter_map(|&i| eq.same_pair(before, i))
                .collect();
            &renumbered
        }
        (None, _) => keep,
    };
    let run = |costs: &Costs| run(q, eq, start, costs, labels, deadline, MAX_PASSES);
    let (outcome, _, relaxed) = match (warm, pairs) {
        (Some(w), Pairs::Same) if w.kept == keep => run(&w.costs),
        _ => run(&costs(q, eq, keep)?),
    }?;
    // Without the rules outside the network (group shares, an employer
    // capped across destinations) the flow is a relaxation: its optimum is
    // the answer only when it keeps them.
    Ok(match outcome {
        Outcome::Solved(sol) if relaxed && !audit::violations(q, eq, &sol.chosen).is_empty() => {
            FromBefore::Relaxed(sol)
        }
        outcome => FromBefore::Answer(outcome),
    })
}

/// The pair arcs' costs of the what-ifs' goals: placements, score, then as
/// many of `keep` as possible.
fn costs(q: &Problem, eq: &Eligibility, keep: &[usize]) -> Result<Costs, NotANetwork> {
    let scores = match q.priorities.as_slice() {
        [Priority::Placements] => Some(0.0),
        [Priority::Placements, Priority::Score] => None,
        _ => return Err(NotANetwork::Priorities),
    };
    let goal = Keep {
        pairs: keep,
        before_score: false,
    };
    pair_costs(eq, scores, Some(goal))
}

/// The optimum of `q`'s circulation from the flow of `start` (the pairs that
/// still fit) and from `labels` (or from nothing): the outcome, the labels
/// that prove it, and whether the network left rules out.
fn run(
    q: &Problem,
    eq: &Eligibility,
    start: &[usize],
    costs: &Costs,
    labels: Option<&[i128]>,
    deadline: Option<Instant>,
    passes: usize,
) -> Result<(Outcome, Vec<i128>, bool), NotANetwork> {
    let started = Instant::now();
    let mut net = Network::build(q, eq, costs, true)?;
    net.deadline = deadline;
    net.place(start);
    let n = net.sink + 1;
    let done = match labels {
        Some(l) if l.len() == n => {
            let mut d = l.to_vec();
            match net.repair(&mut d) {
                Some(done) => done,
                // A change of many arcs at once (every employer's cap):
                // cycles, as many passes as allowed.
                None => net.cancel_negative_cycles(&mut d, passes),
            }
            .then_some(d)
        }
        _ => {
            let mut d = vec![0; n];
            net.cancel_negative_cycles(&mut d, passes).then_some(d)
        }
    };
    let Some(d) = done else {
        net.timed_out = true;
        return Ok((Outcome::NoSolutionInTime, Vec::new(), net.relaxed));
    };
    Ok((net.outcome(q, eq, started), d, net.relaxed))
}

impl Network {
    fn tail(&self, a: usize) -> usize {
        self.head[a ^ 1]
    }

    /// Exact labels from `prices` that prove the flow within a unit on the
    /// costs times n + 1 (cost scaling's, [`Self::min_cost_circulation`]).
    ///
    /// Dijkstra from a node before every node, on the lengths
    /// (n + 1)·cost + p(u) − p(w) + 1, none negative. A path's length is
    /// then n + 1 times its cost, plus its number of arcs (at most n), plus
    /// its ends' prices: the shortest is one of least cost, and that cost is
    /// the length, less the prices, divided by n + 1 and rounded down. The
    /// least costs of paths into each node are labels that price every
    /// residual arc at zero or more. `None` when a length is negative (the
    /// prices prove nothing) or overflows.
    fn exact_labels(&self, prices: &[i128]) -> Option<Vec<i128>> {
        let n = self.sink + 1;
        let scale = self.price_scale();
        let top = prices.iter().copied().max()?;
        let mut dist: Vec<i128> = prices.iter().map(|&p| top - p + 1).collect();
        let mut done = vec![false; n];
        let mut heap: BinaryHeap<Reverse<(i128, usize)>> = (dist.iter().enumerate())
            .map(|(v, &d)| Reverse((d, v)))
            .collect();
        while let Some(Reverse((du, u))) = heap.pop() {
            if done[u] || du > dist[u] {
                continue;
            }
            done[u] = true;
            for &a in self.out(u) {
                if self.cap[a] <= 0 {
                    continue;
                }
                let w = self.head[a];
                let length =
                    (scale.checked_mul(self.cost[a])?).checked_add(prices[u] - prices[w] + 1)?;
                if length < 0 {
                    return None;
                }
                let dw = du.checked_add(length)?;
                if dw < dist[w] {
                    dist[w] = dw;
                    heap.push(Reverse((dw, w)));
                }
            }
        }
        Some(
            (0..n)
                .map(|v| (dist[v] - top + prices[v]).div_euclid(scale))
                .collect(),
        )
    }

    /// Route one unit for each pair of `pairs` that still has room, from the
    /// source through the pair to the sink and back along the return arc:
    /// a feasible circulation (a pair that no longer fits is left out, and
    /// the cycles bring back what the optimum wants).
    fn place(&mut self, pairs: &[usize]) {
        for &i in pairs {
            let Some(&a) = self.pair_arc.get(i).filter(|&&a| a != NONE) else {
                continue;
            };
            let t = self.tail(a);
            // The source's arc into t, seen from t as its reverse.
            let Some(&back) = self
                .out(t)
                .iter()
                .find(|&&r| r & 1 == 1 && self.head[r] == SOURCE)
            else {
                continue;
            };
            let mut path = vec![back ^ 1, a];
            let mut u = self.head[a];
            while u != self.sink {
                // Forward arcs lead on towards the sink; a minimum first.
                let next = self
                    .out(u)
                    .iter()
                    .copied()
                    .filter(|&b| b & 1 == 0 && self.cap[b] > 0 && self.head[b] > u)
                    .min_by_key(|&b| (self.cost[b], b));
                let Some(b) = next else { break };
                path.push(b);
                u = self.head[b];
            }
            path.push(self.ret);
            if u == self.sink && path.iter().all(|&b| self.cap[b] > 0) {
                for &b in &path {
                    self.cap[b] -= 1;
                    self.cap[b ^ 1] += 1;
                }
            }
        }
    }

    /// Successive shortest paths from a pseudo-flow: the optimum of the
    /// changed network from labels `d` that proved the flow optimal before
    /// the change.
    ///
    /// A unit change leaves a few residual arcs that `d` prices below zero
    /// (a new place, a pair no longer held). Saturating them restores the
    /// labels' condition on every arc but leaves some nodes with a unit
    /// more in than out (an excess) and others a unit short; each excess
    /// then goes to a node short along a shortest path of reduced costs
    /// (Dijkstra), and the labels move by the distances so they stay a
    /// proof. When no excess is left, `d` proves the circulation of least
    /// cost, as [`Self::cancel_negative_cycles`] would, in a search or two
    /// instead of passes over the whole graph.
    ///
    /// `None`, with nothing changed, when more than [`MAX_REPAIR_UNITS`]
    /// would be left over (cycle cancelling then takes it); `Some(false)`
    /// when the deadline comes first (or a reduced cost would overflow):
    /// the flow is then not a circulation any more.
    fn repair(&mut self, d: &mut [i128]) -> Option<bool> {
        let n = self.sink + 1;
        let violated: Vec<usize> = (0..self.head.len())
            .filter(|&a| self.violated(d, a))
            .collect();
        violated
            .iter()
            .try_fold(0i64, |sum, &a| sum.checked_add(self.cap[a]))
            .filter(|&u| u <= MAX_REPAIR_UNITS)?;
        let mut excess = vec![0i64; n];
        for a in violated {
            let amount = self.cap[a];
            self.cap[a] = 0;
            self.cap[a ^ 1] += amount;
            excess[self.head[a]] += amount;
            excess[self.tail(a)] -= amount;
        }
        let mut search = Search::new(n);
        while excess.iter().any(|&x| x > 0) {
            let Some(path) = search.shortest_path(self, d, &excess) else {
                return Some(false);
            };
            let (from, to) = (self.tail(path[0]), self.head[path[path.len() - 1]]);
            let bottleneck = path.iter().map(|&a| self.cap[a]).min().unwrap_or(0);
            let amount = bottleneck.min(excess[from]).min(-excess[to]);
            for &a in &path {
                self.cap[a] -= amount;
                self.cap[a ^ 1] += amount;
            }
            excess[from] -= amount;
            excess[to] += amount;
        }
        Some(true)
    }

    /// Bellman–Ford label correcting from `d`, cancelling each negative
    /// cycle it meets, until every residual arc `u → w` has
    /// `d[w] ≤ d[u] + cost`: then `d` proves the circulation of least cost.
    /// False when the deadline, [`MAX_CYCLES`] or `passes` over the arcs
    /// come first.
    fn cancel_negative_cycles(&mut self, d: &mut [i128], passes: usize) -> bool {
        let n = self.sink + 1;
        let mut parent = vec![NONE; n];
        let mut queued = vec![false; n];
        let mut queue = VecDeque::new();
        for (u, q) in queued.iter_mut().enumerate() {
            if self.out(u).iter().any(|&a| self.violated(d, a)) {
                *q = true;
                queue.push_back(u);
            }
        }
        let (mut relaxed, mut cycles) = (0usize, 0usize);
        // Small networks may take all the passes they need.
        let mut budget = passes.saturating_mul(self.head.len()).max(MIN_BUDGET);
        while let Some(u) = queue.pop_front() {
            queued[u] = false;
            if self.out_of_time() {
                return false;
            }
            let arcs = self.first[u + 1] - self.first[u];
            budget = match budget.checked_sub(arcs) {
                Some(left) => left,
                None => return false,
            };
            for k in self.first[u]..self.first[u + 1] {
                let a = self.order[k];
                if self.violated(d, a) {
                    let w = self.head[a];
                    d[w] = d[u].saturating_add(self.cost[a]);
                    parent[w] = a;
                    relaxed += 1;
                    if !queued[w] {
                        queued[w] = true;
                        queue.push_back(w);
                    }
                }
            }
            // A cycle of parent arcs is a negative cycle; looking for one
            // every n relaxations costs O(1) a relaxation.
            if relaxed < n {
                continue;
            }
            relaxed = 0;
            let Some(cycle) = parent_cycle(self, &parent) else {
                continue;
            };
            cycles += 1;
            if cycles > MAX_CYCLES {
                return false;
            }
            self.push_along(&cycle);
            parent.iter_mut().for_each(|x| *x = NONE);
            for &a in &cycle {
                for x in [self.tail(a), self.head[a]] {
                    if !queued[x] {
                        queued[x] = true;
                        queue.push_back(x);
                    }
                }
            }
        }
        true
    }

    /// Whether residual arc `a` breaks the labels' condition.
    fn violated(&self, d: &[i128], a: usize) -> bool {
        self.cap[a] > 0 && d[self.tail(a)].saturating_add(self.cost[a]) < d[self.head[a]]
    }
}

/// Units a what-if's repair may have to route (a search each) before the
/// change is left to cycle cancelling: a unit change leaves one or two.
const MAX_REPAIR_UNITS: i64 = 64;

/// Dijkstra's search on reduced costs from every node with an excess, kept
/// between searches so that each one resets only what it touched.
struct Search {
    dist: Vec<i128>,
    parent: Vec<usize>,
    settled: Vec<usize>,
    heap: BinaryHeap<Reverse<(i128, usize)>>,
}

impl Search {
    fn new(n: usize) -> Search {
        Search {
            dist: vec![i128::MAX; n],
            parent: vec![NONE; n],
            settled: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    /// A shortest path (its arcs) from a node with an excess to the nearest
    /// node short of flow, the labels `d` moved so that they still price
    /// every residual arc at zero or more, the path's arcs at zero. `None`
    /// when no node short of flow is reachable, a reduced cost overflows,
    /// or the deadline comes.
    fn shortest_path(
        &mut self,
        net: &mut Network,
        d: &mut [i128],
        excess: &[i64],
    ) -> Option<Vec<usize>> {
        for &u in &self.settled {
            self.dist[u] = i128::MAX;
            self.parent[u] = NONE;
        }
        self.settled.clear();
        self.heap.clear();
        let mut touched = Vec::new();
        for (u, &x) in excess.iter().enumerate() {
            if x > 0 {
                self.dist[u] = 0;
                touched.push(u);
                self.heap.push(Reverse((0, u)));
            }
        }
        let mut target = None;
        while let Some(Reverse((du, u))) = self.heap.pop() {
            if du > self.dist[u] {
                continue;
            }
            if excess[u] < 0 {
                target = Some((u, du));
                break;
            }
            if net.out_of_time() {
                break;
            }
            self.settled.push(u);
            for &a in net.out(u) {
                if net.cap[a] <= 0 {
                    continue;
                }
                let w = net.head[a];
                // Never below zero while the labels are a proof; were it
                // to be, the repair gives way to a solve from scratch.
                let reduced = d[u].checked_add(net.cost[a])?.checked_sub(d[w])?;
                if reduced < 0 {
                    return None;
                }
                let dw = du.checked_add(reduced)?;
                if dw < self.dist[w] {
                    if self.dist[w] == i128::MAX {
                        touched.push(w);
                    }
                    self.dist[w] = dw;
                    self.parent[w] = a;
                    self.heap.push(Reverse((dw, w)));
                }
            }
        }
        let outcome = target.map(|(t, reach)| {
            for &u in &self.settled {
                d[u] -= reach - self.dist[u];
            }
            let mut path = Vec::new();
            let mut u = t;
            while self.parent[u] != NONE {
                path.push(self.parent[u]);
                u = net.tail(self.parent[u]);
            }
            path.reverse();
            path
        });
        // Everything reached is reset next time, settled or not.
        self.settled = touched;
        outcome.filter(|path| !path.is_empty())
    }
}

/// A cycle of parent arcs, if there is one (its arcs, in no set order).
fn parent_cycle(net: &Network, parent: &[usize]) -> Option<Vec<usize>> {
    let mut seen = vec![NONE; parent.len()];
    for start in 0..parent.len() {
        let mut u = start;
        while seen[u] == NONE && parent[u] != NONE {
            seen[u] = start;
            u = net.tail(parent[u]);
        }
        if seen[u] == start && parent[u] != NONE {
            let mut cycle = vec![parent[u]];
            let mut x = net.tail(parent[u]);
            while x != u {
                cycle.push(parent[x]);
                x = net.tail(parent[x]);
            }
            return Some(cycle);
        }
    }
    None
}
