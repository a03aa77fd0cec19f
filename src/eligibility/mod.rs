//! The eligibility graph: every (trainee, vacancy) pair that may be matched,
//! with its start date and score.
//!
//! Only eligible pairs become edges, and only edges become variables in the
//! model, so the integer program stays as sparse as the rules make it. The graph
//! is a `petgraph` bipartite graph — trainee `t` is node `t`, vacancy `v` is node
//! `T + v` — which explanations use to reason about neighbourhoods ("only 22
//! trainees are eligible for any Flemish vacancy").

use std::collections::{BTreeSet, HashMap};
use std::ops::ControlFlow;

use chrono::NaiveDate;
use petgraph::graph::{DiGraph, NodeIndex, UnGraph};

use crate::model::problem::{DestIx, Problem, TraineeIx, VacancyIx};
use crate::rules;

/// An eligible pair and what matching it is worth.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub t: TraineeIx,
    pub v: VacancyIx,
    pub start: NaiveDate,
    pub fit: f64,
    pub trainee_preference: f64,
    pub employer_preference: f64,
    pub score: f64,
}

/// Vacancies that require the same levels.
#[derive(Debug, Clone)]
pub(crate) struct RequirementGroup {
    pub requires: Vec<(crate::model::problem::SkillIx, f64)>,
    /// In the order given (the scenario's, where callers pass it).
    pub vacancies: Vec<VacancyIx>,
}

impl RequirementGroup {
    /// Whether a trainee with these levels falls short of one requirement.
    pub fn excludes(&self, levels: &[f64]) -> bool {
        rules::falls_short(levels, &self.requires)
    }
}

/// `vacancies` grouped by their required levels, groups in order of first
/// appearance: one comparison of levels then stands for every vacancy of a group.
pub(crate) fn requirement_groups(
    p: &Problem,
    vacancies: impl IntoIterator<Item = VacancyIx>,
) -> Vec<RequirementGroup> {
    let mut groups: Vec<RequirementGroup> = Vec::new();
    let mut index: HashMap<Vec<(usize, u64)>, usize> = HashMap::new();
    for v in vacancies {
        let requires = &p.vacancies[v].requires;
        let key = requires
            .iter()
            .map(|&(s, need)| (s, need.to_bits()))
            .collect();
        let g = *index.entry(key).or_insert_with(|| {
            groups.push(RequirementGroup {
                requires: requires.clone(),
                vacancies: Vec::new(),
            });
            groups.len() - 1
        });
        groups[g].vacancies.push(v);
    }
    groups
}

/// A node of the eligibility graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Trainee(TraineeIx),
    Vacancy(VacancyIx),
}

/// All eligible pairs, sorted by (trainee, vacancy), and the graph they form.
#[derive(Debug, Clone)]
pub struct Eligibility {
    pub pairs: Vec<Pair>,
    /// Edge weights are indices into `pairs`.
    pub graph: UnGraph<Side, usize>,
    n_trainees: usize,
    /// `pairs[first_pair[t]..first_pair[t + 1]]` are trainee t's pairs.
    first_pair: Vec<usize>,
}

impl Eligibility {
    /// Every eligible pair of `p`, by trainee then vacancy. Trainees are
    /// independent, so at national size (80 million pairs to consider)
    /// they are split into runs, one per core, whose pairs are put together
    /// in trainee order: the same pairs, numbered the same, however many
    /// cores.
    pub fn build(p: &Problem) -> Self {
        let (nt, nv) = (p.trainees.len(), p.vacancies.len());
        let groups = vacancy_groups(p);
        let pairs_of = |trainees: std::ops::Range<TraineeIx>| {
            let mut pairs = Vec::new();
            for_each_pair_among(p, &groups, trainees, |t, v, start| {
                pairs.push(score_pair(p, t, v, start));
                ControlFlow::Continue(())
            });
            pairs
        };
        let runs = match nt.saturating_mul(nv) >= PARALLEL_FROM {
            true => crate::limits::threads().min(nt),
            false => 1,
        };
        let pairs: Vec<Pair> = match runs {
            1 => pairs_of(0..nt),
            _ => std::thread::scope(|s| {
                let each = nt.div_ceil(runs);
                let handles: Vec<_> = (0..runs)
                    .map(|k| {
                        let trainees = (k * each).min(nt)..((k + 1) * each).min(nt);
                        s.spawn(move || pairs_of(trainees))
                    })
                    .collect();
                (handles.into_iter())
                    .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect()
            }),
        };
        let mut first_pair = Vec::with_capacity(nt + 1);
        for (i, pair) in pairs.iter().enumerate() {
            while first_pair.len() <= pair.t {
                first_pair.push(i);
            }
        }
        while first_pair.len() <= nt {
            first_pair.push(pairs.len());
        }
        Self::with_pairs(pairs, first_pair, nt, nv)
    }

    /// The graph over `pairs` (by trainee, then vacancy).
    fn with_pairs(pairs: Vec<Pair>, first_pair: Vec<usize>, nt: usize, nv: usize) -> Self {
        let mut graph = UnGraph::with_capacity(nt + nv, pairs.len());
        for t in 0..nt {
            graph.add_node(Side::Trainee(t));
        }
        for v in 0..nv {
            graph.add_node(Side::Vacancy(v));
        }
        for (i, pair) in pairs.iter().enumerate() {
            graph.add_edge(NodeIndex::new(pair.t), NodeIndex::new(nt + pair.v), i);
        }
        Eligibility {
            pairs,
            graph,
            n_trainees: nt,
            first_pair,
        }
    }

    /// The pairs of `q`, a copy of the problem `self` was built from whose
    /// data differ only for `trainees`, `vacancies` and pairs between them
    /// (a what-if's fixes): every other pair is the same pair with the same
    /// score (a pair's verdict and score read only its trainee, its vacancy
    /// and that pair's forbid and score), so only those rows and columns
    /// are checked again.
    pub fn rebuilt(&self, q: &Problem, trainees: &[TraineeIx], vacancies: &[VacancyIx]) -> Self {
        let (nt, nv) = (q.trainees.len(), q.vacancies.len());
        let mut pairs = Vec::with_capacity(self.pairs.len() + trainees.len() * 16);
        let mut first_pair = Vec::with_capacity(nt + 1);
        let again = |t: TraineeIx, v: VacancyIx, pairs: &mut Vec<Pair>| {
            if let Some(start) = rules::eligible_start(q, t, v) {
                pairs.push(score_pair(q, t, v, start));
            }
        };
        let columns: BTreeSet<VacancyIx> = vacancies.iter().copied().collect();
        for t in 0..nt {
            first_pair.push(pairs.len());
            if trainees.contains(&t) {
                (0..nv).for_each(|v| again(t, v, &mut pairs));
                continue;
            }
            let mut old = self.pairs[self.of_trainee(t)].iter().peekable();
            for &v in &columns {
                while let Some(pair) = old.next_if(|pair| pair.v < v) {
                    pairs.push(pair.clone());
                }
                old.next_if(|pair| pair.v == v);
                again(t, v, &mut pairs);
            }
            pairs.extend(old.cloned());
        }
        first_pair.push(pairs.len());
        Self::with_pairs(pairs, first_pair, nt, nv)
    }

    pub fn trainee_node(&self, t: TraineeIx) -> NodeIndex {
        NodeIndex::new(t)
    }
    pub fn vacancy_node(&self, v: VacancyIx) -> NodeIndex {
        NodeIndex::new(self.n_trainees + v)
    }

    /// Trainee t's eligible pairs, by vacancy index.
    pub fn of_trainee(&self, t: TraineeIx) -> std::ops::Range<usize> {
        self.first_pair[t]..self.first_pair[t + 1]
    }

    /// Vacancy v's eligible pairs, by trainee index.
    pub fn of_vacancy(&self, v: VacancyIx) -> Vec<usize> {
        let mut ids: Vec<usize> = self
            .graph
            .edges(self.vacancy_node(v))
            .map(|e| *e.weight())
            .collect();
        ids.sort_unstable();
        ids
    }

    pub fn pair_index(&self, t: TraineeIx, v: VacancyIx) -> Option<usize> {
        let range = self.of_trainee(t);
        let slice = &self.pairs[range.clone()];
        slice
            .binary_search_by_key(&v, |p| p.v)
            .ok()
            .map(|i| range.start + i)
    }

    /// Pair `i` of `before` (a graph of the same trainees and vacancies,
    /// before a data change built this one), as numbered here; `None` when
    /// it is no longer eligible.
    pub fn same_pair(&self, before: &Eligibility, i: usize) -> Option<usize> {
        let pair = before.pairs.get(i)?;
        self.pair_index(pair.t, pair.v)
    }

    /// Trainees eligible for at least one of the given vacancies (their
    /// neighbourhood in the graph).
    pub fn neighbours_of_vacancies(
        &self,
        vs: impl IntoIterator<Item = VacancyIx>,
    ) -> BTreeSet<TraineeIx> {
        let mut out = BTreeSet::new();
        for v in vs {
            for n in self.graph.neighbors(self.vacancy_node(v)) {
                if let Side::Trainee(t) = self.graph[n] {
                    out.insert(t);
                }
            }
        }
        out
    }

    /// Trainees eligible for some vacancy in destination `d`.
    pub fn eligible_for_destination(&self, p: &Problem, d: DestIx) -> BTreeSet<TraineeIx> {
        self.neighbours_of_vacancies((0..p.vacancies.len()).filter(|&v| p.vacancies[v].dest == d))
    }
}

/// Trainees × vacancies from which [`Eligibility::build`] splits the
/// trainees over the cores: below, a thread costs more than it saves.
const PARALLEL_FROM: usize = 1 << 20;

/// Calls `f` with every eligible pair and its start day, in (trainee,
/// vacancy) order, until `f` breaks: the one enumeration [`Eligibility::build`]
/// and [`count_pairs`] share.
fn for_each_pair(p: &Problem, f: impl FnMut(TraineeIx, VacancyIx, NaiveDate) -> ControlFlow<()>) {
    for_each_pair_among(p, &vacancy_groups(p), 0..p.trainees.len(), f);
}

/// Vacancies grouped by destination and by their required levels, so a
/// trainee is only tested against vacancies in destinations they accept
/// and, per group, one comparison of levels rules out every vacancy asking
/// for more (at national size: ~10⁸ pairs never looked at).
fn vacancy_groups(p: &Problem) -> Vec<Vec<RequirementGroup>> {
    p.vacancies_by_destination()
        .into_iter()
        .map(|vacancies| requirement_groups(p, vacancies))
        .collect()
}

/// [`for_each_pair`] over the pairs of `trainees`, given the
/// [`vacancy_groups`].
fn for_each_pair_among(
    p: &Problem,
    groups: &[Vec<RequirementGroup>],
    trainees: std::ops::Range<TraineeIx>,
    mut f: impl FnMut(TraineeIx, VacancyIx, NaiveDate) -> ControlFlow<()>,
) {
    let mut candidates: Vec<VacancyIx> = Vec::new();
    for t in trainees {
        let trainee = &p.trainees[t];
        candidates.clear();
        for &d in &trainee.accepts {
            for g in groups.get(d).into_iter().flatten() {
                if !g.excludes(&trainee.levels) {
                    candidates.extend_from_slice(&g.vacancies);
                }
            }
        }
        candidates.sort_unstable();
        for &v in &candidates {
            if let Some(start) = rules::eligible_start(p, t, v) {
                if f(t, v, start).is_break() {
                    return;
                }
            }
        }
    }
}

/// How many pairs are eligible, counting no further than `cap`: what a
/// server checks before it builds anything the size of the pairs.
pub fn count_pairs(p: &Problem, cap: usize) -> usize {
    let mut n = 0;
    for_each_pair(p, |_, _, _| {
        n += 1;
        if n >= cap {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    n
}

/// Fit from the competency model, unless another tool supplied one.
pub fn fit(p: &Problem, t: TraineeIx, v: VacancyIx) -> f64 {
    if let Some(&s) = p.pair_scores.get(&(t, v)) {
        return s;
    }
    let values = &p.vacancies[v].values;
    let total: f64 = values.iter().map(|&(_, w)| w).sum();
    if total <= 0.0 {
        return 0.0;
    }
    let levels = &p.trainees[t].levels;
    let got: f64 = values
        .iter()
        .map(|&(s, w)| {
            let scale = &p.skills[s].scale;
            let span = scale.max - scale.min;
            w * ((levels[s].min(scale.max) - scale.min).max(0.0) / span)
        })
        .sum();
    got / total
}

/// 1 for a first choice down to 1/n for the n-th of n; 0 when unranked.
pub fn preference(rank: Option<usize>, n: usize) -> f64 {
    match rank {
        Some(r) if n > 0 => (n - r + 1) as f64 / n as f64,
        _ => 0.0,
    }
}

pub fn score_pair(p: &Problem, t: TraineeIx, v: VacancyIx, start: NaiveDate) -> Pair {
    let fit = fit(p, t, v);
    let tp = preference(
        p.trainee_rank[t].get(&v).copied(),
        p.trainees[t].ranking.len(),
    );
    let ep = preference(
        p.vacancy_rank[v].get(&t).copied(),
        p.vacancies[v].ranking.len(),
    );
    let w = p.weights;
    Pair {
        t,
        v,
        start,
        fit,
        trainee_preference: tp,
        employer_preference: ep,
        score: w.fit * fit + w.trainee_preference * tp + w.employer_preference * ep,
    }
}

impl Eligibility {
    /// The most placements the given vacancies can take at once, counting only
    /// "each trainee once" and "each vacancy its positions": a maximum
    /// b-matching in the eligibility graph, as a maximum flow (petgraph's
    /// Dinic, whose searches keep their own stack: a path as long as there
    /// are vacancies cannot overflow a server thread's).
    ///
    /// This is the capacity certificate of a Hall-type argument: when a
    /// destination needs more placements than this, no other rule matters.
    pub fn max_placements(&self, p: &Problem, vacancies: &[VacancyIx]) -> usize {
        let in_scope: BTreeSet<VacancyIx> = vacancies.iter().copied().collect();
        let mut net: DiGraph<(), u64> = DiGraph::new();
        let (source, sink) = (net.add_node(()), net.add_node(()));
        let mut vacancy_node = HashMap::new();
        for &v in &in_scope {
            let node = net.add_node(());
            net.add_edge(node, sink, u64::from(p.vacancies[v].positions));
            vacancy_node.insert(v, node);
        }
        for t in self.neighbours_of_vacancies(in_scope.iter().copied()) {
            let node = net.add_node(());
            net.add_edge(source, node, 1);
            for i in self.of_trainee(t) {
                if let Some(&to) = vacancy_node.get(&self.pairs[i].v) {
                    net.add_edge(node, to, 1);
                }
            }
        }
        let (placements, _) = petgraph::algo::dinics(&net, source, sink);
        usize::try_from(placements).unwrap_or(usize::MAX)
    }
}
