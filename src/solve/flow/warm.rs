//! What-ifs from the answer before: a changed scenario's optimum reached from
//! the current one instead of from nothing.
//!
//! A what-if changes a scenario by a unit — one more position, one more
//! place in a quota, a lock, a forbid, one trainee's data — so its optimum
//! is the current match set moved along a few cycles. [`solve_from`] puts
//! the earlier pairs that still fit into the changed network as a flow,
//! closes the network into a circulation (an arc back from the sink, worth
//! more than any path: the most placements still come first), and cancels
//! negative cycles that Bellman–Ford label correcting finds, starting from
//! the labels of the solve before ([`Warm`]). When no residual arc is left
//! with a negative reduced cost, the labels are node potentials that prove
//! the circulation optimal: the answer is as exact as a solve from scratch,
//! on the very same costs, only reached from nearby.

use std::collections::VecDeque;
use std::time::Instant;

use super::{pair_costs, Network, NotANetwork, SOURCE};
use crate::eligibility::Eligibility;
use crate::model::problem::Problem;
use crate::model::scenario::Priority;
use crate::solve::audit;
use crate::solve::outcome::{Keep, Outcome};

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
        // Labels from nothing take as many passes as the longest path has
        // arcs; this is done once per scenario.
        let (outcome, labels) = run(p, e, chosen, None, deadline, usize::MAX).ok()?;
        match outcome {
            Outcome::Solved(sol) if sol.chosen == chosen => Some(Warm { labels }),
            _ => None,
        }
    }
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
    keep: &[usize],
    warm: Option<&Warm>,
    deadline: Option<Instant>,
) -> Result<Outcome, NotANetwork> {
    let labels = warm.map(|w| w.labels.as_slice());
    run(q, eq, keep, labels, deadline, MAX_PASSES).map(|(outcome, _)| outcome)
}

fn run(
    q: &Problem,
    eq: &Eligibility,
    keep: &[usize],
    labels: Option<&[i128]>,
    deadline: Option<Instant>,
    passes: usize,
) -> Result<(Outcome, Vec<i128>), NotANetwork> {
    let started = Instant::now();
    let scores = match q.priorities.as_slice() {
        [Priority::Placements] => Some(0.0),
        [Priority::Placements, Priority::Score] => None,
        _ => return Err(NotANetwork::Priorities),
    };
    let goal = Keep {
        pairs: keep,
        before_score: false,
    };
    let mut net = Network::build(q, eq, &pair_costs(eq, scores, Some(goal))?, true)?;
    net.deadline = deadline;
    net.place(keep);
    let n = net.sink + 1;
    let mut d = match labels {
        Some(l) if l.len() == n => l.to_vec(),
        _ => vec![0; n],
    };
    if !net.cancel_negative_cycles(&mut d, passes) {
        net.timed_out = true;
    }
    let outcome = net.outcome(q, eq, started);
    // Without the rules outside the network (group shares, an employer
    // capped across destinations) the flow is a relaxation: its optimum is
    // the answer only when it keeps them.
    if let Outcome::Solved(sol) = &outcome {
        if net.relaxed && !audit::violations(q, eq, &sol.chosen).is_empty() {
            return Err(NotANetwork::Relaxation);
        }
    }
    Ok((outcome, d))
}

impl Network {
    fn tail(&self, a: usize) -> usize {
        self.head[a ^ 1]
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
