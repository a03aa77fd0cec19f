//! Goldberg's cost scaling for national-size networks: a maximum flow
//! (Dinic) first, then push–relabel in ε-phases, each making the flow
//! ε-optimal for an ε sixteen times smaller, down to ε = 1 on costs multiplied
//! by one more than the number of nodes (1-optimal there is optimal for the
//! integer costs).
//!
//! Two things make it fast at national size, where a phase touches millions
//! of arcs:
//!
//! - **Arcs in node order.** The network's arcs are numbered as they were
//!   built (a pair's arc beside its reverse); a node's arcs are scattered
//!   over the arrays, and every relabel's scan misses the cache. The phases
//!   run on a copy laid out node by node ([`Arcs`]), each arc knowing its
//!   reverse, and write the flow back at the end.
//! - **The global price update** (Goldberg's "set relabel", as in CS2). A
//!   relabel looks at one node's arcs, so prices creep towards the deficits
//!   ε at a time. The update sets every price at once from the distances to
//!   the deficits over the residual arcs, counted in ε-steps: an admissible
//!   arc is free, any other costs `⌊reduced cost / ε⌋ + 1`. Lowering each
//!   price by its distance times ε keeps the flow ε-optimal (no residual
//!   arc's reduced cost drops by more than its length allows) and leaves a
//!   path of admissible arcs from every excess to a deficit. It runs at each
//!   phase's start and after every `n` relabels.
//!
//! The answer's optimality is then read off the arcs, not trusted to the
//! heuristics: every residual arc's reduced cost is at least −1.

use std::collections::VecDeque;
use std::time::Instant;

use super::{Mode, Network, SOURCE};

/// How much smaller ε gets from one phase to the next (16 measured best
/// beside 8 and 32 on the national-size shortlists: fewer phases, each
/// little longer).
const ALPHA: i128 = 16;

/// The residual network laid out node by node: `u`'s arcs are
/// `first[u]..first[u + 1]`, `rev[k]` is arc `k`'s reverse.
struct Arcs {
    first: Vec<usize>,
    head: Vec<u32>,
    rev: Vec<u32>,
    cap: Vec<i64>,
    /// `cap[k] + cap[rev[k]]`, which pushes leave as it is: the reverse's
    /// residual capacity without a jump to its place in the arrays.
    both: Vec<i64>,
    /// Costs times one more than the number of nodes.
    cost: Vec<i128>,
}

/// The phases' state.
struct Scaling {
    arcs: Arcs,
    price: Vec<i128>,
    excess: Vec<i64>,
    eps: i128,
    current: Vec<usize>,
    /// Relabels since the last global price update.
    relabels: usize,
    /// Whether refining runs global price updates.
    updates: bool,
    deadline: Option<Instant>,
    steps: u32,
}

impl Network {
    /// What cost scaling multiplies every cost by (one more than the node
    /// count, so that 1-optimal is optimal): its prices are on that scale.
    pub(super) fn price_scale(&self) -> i128 {
        (self.sink + 2) as i128
    }

    /// A minimum-cost flow of maximum value, and the prices that prove it
    /// when cost scaling found it (as [`Network::min_cost_circulation`]'s).
    /// Prices are 128-bit: they drift by up to n·C, beyond 64 bits at
    /// national size.
    pub(super) fn max_flow_min_cost(&mut self) -> Option<Vec<i128>> {
        if u32::try_from(self.order.len()).is_err() {
            // Beyond the 32-bit arc numbers of the layout (some two billion
            // pairs, far past any memory here): the slower, simpler way.
            self.run(Mode::MaxFlow { costs: true });
            return None;
        }
        let value = self.max_flow_value();
        if value == 0 || self.timed_out {
            return None;
        }
        let mut excess = vec![0i64; self.sink + 1];
        excess[SOURCE] = value;
        excess[self.sink] = -value;
        self.scale(excess)
    }

    /// A circulation of least cost (a what-if's network, closed by its
    /// return arc), and the prices that prove it: every residual arc's
    /// reduced cost at least −1 on the costs times one more than the number
    /// of nodes. `None` past the deadline or beyond 32-bit arc numbers.
    pub(super) fn min_cost_circulation(&mut self) -> Option<Vec<i128>> {
        if u32::try_from(self.order.len()).is_err() {
            return None;
        }
        self.scale(vec![0; self.sink + 1])
    }

    /// The ε-phases from `excess` (what each node must still send), then
    /// the flow written back; the final prices, or `None` past the deadline.
    fn scale(&mut self, excess: Vec<i64>) -> Option<Vec<i128>> {
        let n = self.sink + 1;
        let arcs = self.by_node();
        let eps = arcs.cost.iter().map(|c| c.abs()).max().unwrap_or(1).max(1);
        let mut s = Scaling {
            arcs,
            price: vec![0; n],
            excess,
            eps,
            current: vec![0; n],
            relabels: 0,
            updates: true,
            deadline: self.deadline,
            steps: 0,
        };
        loop {
            s.eps = (s.eps / ALPHA).max(1);
            // The clock is read at every phase, beside every 4,096 steps.
            if self.past_deadline() {
                return None;
            }
            s.saturate_negative();
            s.update_prices();
            if !s.refine() {
                self.timed_out = true;
                return None;
            }
            if s.eps == 1 {
                break;
            }
        }
        // The certificate, read rather than trusted to the heuristics: no
        // residual arc below −1 on the scaled costs. Were one left, more
        // rounds at ε = 1 with relabels alone (which keep ε-optimality by
        // construction) settle it.
        s.updates = false;
        while !s.one_optimal() {
            s.saturate_negative();
            if !s.refine() {
                self.timed_out = true;
                return None;
            }
        }
        for (k, &a) in self.order.iter().enumerate() {
            self.cap[a] = s.arcs.cap[k];
        }
        Some(s.price)
    }

    /// The residual network node by node, costs scaled by one more than the
    /// node count.
    fn by_node(&self) -> Arcs {
        let scale = self.price_scale();
        let mut position = vec![0u32; self.order.len()];
        for (k, &a) in self.order.iter().enumerate() {
            position[a] = k as u32;
        }
        Arcs {
            first: self.first.clone(),
            head: self.order.iter().map(|&a| self.head[a] as u32).collect(),
            rev: self.order.iter().map(|&a| position[a ^ 1]).collect(),
            cap: self.order.iter().map(|&a| self.cap[a]).collect(),
            both: self
                .order
                .iter()
                .map(|&a| self.cap[a] + self.cap[a ^ 1])
                .collect(),
            cost: self.order.iter().map(|&a| self.cost[a] * scale).collect(),
        }
    }
}

impl Scaling {
    fn nodes(&self) -> usize {
        self.price.len()
    }

    /// Reads the clock every 4,096 steps.
    fn out_of_time(&mut self) -> bool {
        self.steps = self.steps.wrapping_add(1);
        self.steps % 4096 == 0 && super::super::outcome::past(self.deadline)
    }

    fn reduced(&self, k: usize, u: usize) -> i128 {
        self.arcs.cost[k] + self.price[u] - self.price[self.arcs.head[k] as usize]
    }

    fn push(&mut self, k: usize, u: usize, amount: i64) {
        let v = self.arcs.head[k] as usize;
        self.arcs.cap[k] -= amount;
        self.arcs.cap[self.arcs.rev[k] as usize] += amount;
        self.excess[u] -= amount;
        self.excess[v] += amount;
    }

    /// Whether the flow is 1-optimal: optimal for the unscaled costs, since
    /// a simple cycle has at most n arcs (so costs at least −n here) and a
    /// negative one at least n + 1 in these units.
    fn one_optimal(&self) -> bool {
        (0..self.nodes()).all(|u| {
            (self.arcs.first[u]..self.arcs.first[u + 1])
                .all(|k| self.arcs.cap[k] <= 0 || self.reduced(k, u) >= -1)
        })
    }

    /// Saturate every arc of negative reduced cost: the flow becomes
    /// 0-optimal, with excesses and deficits to settle.
    fn saturate_negative(&mut self) {
        for u in 0..self.nodes() {
            for k in self.arcs.first[u]..self.arcs.first[u + 1] {
                let r = self.arcs.cap[k];
                if r > 0 && self.reduced(k, u) < 0 {
                    self.push(k, u, r);
                }
            }
        }
    }

    /// Push and relabel (FIFO) until no node has an excess; `false` past the
    /// deadline.
    fn refine(&mut self) -> bool {
        let n = self.nodes();
        let mut queue: VecDeque<usize> = (0..n).filter(|&u| self.excess[u] > 0).collect();
        let mut queued: Vec<bool> = self.excess.iter().map(|&x| x > 0).collect();
        while let Some(u) = queue.pop_front() {
            if self.out_of_time() {
                return false;
            }
            queued[u] = false;
            while self.excess[u] > 0 {
                if self.updates && self.relabels >= n {
                    self.update_prices();
                }
                let Some(v) = self.push_from(u) else {
                    continue;
                };
                if self.excess[v] > 0 && !queued[v] {
                    queued[v] = true;
                    queue.push_back(v);
                }
            }
        }
        true
    }

    /// One step of discharging `u`: a push along its current arc (the node
    /// pushed to), or a relabel, or a move to the next arc (`None`).
    fn push_from(&mut self, u: usize) -> Option<usize> {
        let (start, end) = (self.arcs.first[u], self.arcs.first[u + 1]);
        let k = start + self.current[u];
        if k == end {
            // Relabel: the smallest drop in price that makes an arc admissible.
            let best = (start..end)
                .filter(|&k| self.arcs.cap[k] > 0)
                .map(|k| self.price[self.arcs.head[k] as usize] - self.arcs.cost[k])
                .max();
            // In a feasible network an excess always has a residual arc out.
            self.price[u] = best.unwrap_or(self.price[u]) - self.eps;
            self.current[u] = 0;
            self.relabels += 1;
            return None;
        }
        if self.arcs.cap[k] > 0 && self.reduced(k, u) < 0 {
            self.push(k, u, self.excess[u].min(self.arcs.cap[k]));
            return Some(self.arcs.head[k] as usize);
        }
        self.current[u] += 1;
        None
    }

    /// The global price update (see the module comment): Dial's buckets of
    /// distance from the deficits backwards over residual arcs, stopped once
    /// every excess is reached. Nodes not settled by then (or farther than
    /// `n` steps, which no bucket holds) are as far as the last one settled:
    /// an arc into a settled node is no longer than that, so the prices stay
    /// ε-optimal.
    fn update_prices(&mut self) {
        let n = self.nodes();
        let mut dist: Vec<usize> = (self.excess.iter())
            .map(|&x| if x < 0 { 0 } else { usize::MAX })
            .collect();
        let mut done = vec![false; n];
        let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); n + 1];
        buckets[0] = (0..n).filter(|&u| self.excess[u] < 0).collect();
        let mut excesses = self.excess.iter().filter(|&&x| x > 0).count();
        let mut level = 0;
        'search: while level <= n {
            while let Some(w) = buckets[level].pop() {
                if done[w] || dist[w] != level {
                    continue;
                }
                done[w] = true;
                if self.excess[w] > 0 {
                    excesses -= 1;
                    if excesses == 0 {
                        break 'search;
                    }
                }
                self.relax_into(w, level, &mut dist, &done, &mut buckets);
            }
            level += 1;
        }
        let level = level.min(n);
        for u in 0..n {
            let d = if done[u] { dist[u] } else { level };
            self.price[u] -= d as i128 * self.eps;
        }
        self.current.iter_mut().for_each(|c| *c = 0);
        self.relabels = 0;
    }

    /// Distances through `w` (settled at `level`) for the nodes with a
    /// residual arc into it.
    fn relax_into(
        &self,
        w: usize,
        level: usize,
        dist: &mut [usize],
        done: &[bool],
        buckets: &mut [Vec<usize>],
    ) {
        for b in self.arcs.first[w]..self.arcs.first[w + 1] {
            // The arc into w is b's reverse, from u = head[b]: its residual
            // capacity and reduced cost read from b's own place.
            let u = self.arcs.head[b] as usize;
            if self.arcs.both[b] - self.arcs.cap[b] <= 0 || done[u] {
                continue;
            }
            let reduced = -self.reduced(b, w);
            let length = match (i64::try_from(reduced), i64::try_from(self.eps)) {
                _ if reduced < 0 => 0,
                // 64-bit division where it fits: 128-bit is a library call.
                (Ok(r), Ok(e)) => (r / e) as usize + 1,
                _ => usize::try_from(reduced / self.eps + 1).unwrap_or(usize::MAX),
            };
            let nd = level.saturating_add(length);
            if nd < dist[u] && nd < buckets.len() {
                dist[u] = nd;
                buckets[nd].push(u);
            }
        }
    }
}
