//! Stability, described once: when an eligible pair blocks a match set, as
//! the data the integer program's rows, the `stable` phase's count and the
//! diagnosis of why no stable match set exists are derived from. The match
//! set's list of blocking pairs (`analysis::match_set::stability`) words
//! the same definition pair by pair without building these rows (they grow
//! with the square of the degrees); `tests/stability.rs` holds both to a
//! count made straight from the definition.
//!
//! A pair (t, v) blocks when t strictly prefers v to what t got, and v has
//! an open position or strictly prefers t to one of its holders
//! ([`Problem::trainee_wants`], [`Problem::vacancy_wants`]). Put the other
//! way round, it does not block when t holds a place t wants at least as
//! much as v (v itself included), or v's positions are all held by trainees
//! v wants at least as much as t. With `x` the pairs chosen and `c` the
//! vacancy's positions, that is one linear row per pair:
//!
//! ```text
//! c · Σ x[as_good] + Σ x[kept_by] + c · b ≥ c
//! ```
//!
//! where `b` is 1 only when the pair blocks. The priority `stable` makes the
//! fewest blocking pairs (`Σ b`) a goal: 0 when a stable match set exists
//! under the hard rules, and otherwise a proof that none does.

use crate::eligibility::Eligibility;
use crate::model::problem::Problem;

/// Why one eligible pair does not block, as sets of pairs.
#[derive(Debug, Clone)]
pub struct Condition {
    /// The pair (t, v).
    pub pair: usize,
    /// v's positions.
    pub positions: u32,
    /// t's pairs at vacancies t wants at least as much as v (this pair among them).
    pub as_good: Vec<usize>,
    /// v's pairs with other trainees v wants at least as much as t.
    pub kept_by: Vec<usize>,
}

impl Condition {
    /// Whether the pair blocks the match set whose pairs are marked in `chosen`.
    pub fn blocks(&self, chosen: &[bool]) -> bool {
        !self.as_good.iter().any(|&j| chosen[j])
            && self.kept_by.iter().filter(|&&j| chosen[j]).count() < self.positions as usize
    }

    /// How many terms its row has.
    fn terms(&self) -> usize {
        self.as_good.len() + self.kept_by.len() + 1
    }
}

/// The no-blocking condition of every eligible pair at a vacancy with positions.
#[derive(Debug, Clone)]
pub struct Stability {
    pub conditions: Vec<Condition>,
}

/// The most terms the stability rows may have together: a pilot's pairs
/// give tens of thousands; a national scenario's would give billions, and
/// a stable match set at that size is the deferred-acceptance algorithm's
/// question, not a single integer program's.
pub const MAX_TERMS: usize = 20_000_000;

impl Stability {
    /// The conditions of `e`'s pairs under `p`'s preferences, or the
    /// number of terms they would need when that is above [`MAX_TERMS`].
    pub fn new(p: &Problem, e: &Eligibility) -> Result<Self, usize> {
        let mut of_vacancy: Vec<Vec<usize>> = vec![Vec::new(); p.vacancies.len()];
        for (i, pair) in e.pairs.iter().enumerate() {
            of_vacancy[pair.v].push(i);
        }
        let mut conditions = Vec::with_capacity(e.pairs.len());
        let mut terms = 0usize;
        for (i, pair) in e.pairs.iter().enumerate() {
            let (t, v) = (pair.t, pair.v);
            let positions = p.vacancies[v].positions;
            if positions == 0 {
                continue;
            }
            let wants_v = p.trainee_wants(t, Some(v));
            let as_good: Vec<usize> = e
                .of_trainee(t)
                .filter(|&j| p.trainee_wants(t, Some(e.pairs[j].v)) >= wants_v)
                .collect();
            let wants_t = p.vacancy_wants(v, Some(t));
            let kept_by: Vec<usize> = of_vacancy[v]
                .iter()
                .copied()
                .filter(|&j| j != i && p.vacancy_wants(v, Some(e.pairs[j].t)) >= wants_t)
                .collect();
            let c = Condition {
                pair: i,
                positions,
                as_good,
                kept_by,
            };
            terms = terms.saturating_add(c.terms());
            if terms > MAX_TERMS {
                return Err(e.pairs.len().saturating_mul(terms / (i + 1)));
            }
            conditions.push(c);
        }
        Ok(Stability { conditions })
    }

    /// The pairs that block the match set `chosen` (pair indices), ascending.
    pub fn blocking(&self, n_pairs: usize, chosen: &[usize]) -> Vec<usize> {
        let mut marked = vec![false; n_pairs];
        for &i in chosen {
            marked[i] = true;
        }
        self.conditions
            .iter()
            .filter(|c| c.blocks(&marked))
            .map(|c| c.pair)
            .collect()
    }
}

impl Stability {
    /// Only the conditions of these pairs (ascending), as a diagnosis asks
    /// them to hold.
    pub fn of_pairs(&self, pairs: &[usize]) -> Stability {
        Stability {
            conditions: self
                .conditions
                .iter()
                .filter(|c| pairs.binary_search(&c.pair).is_ok())
                .cloned()
                .collect(),
        }
    }

    /// The condition of one pair.
    pub fn of_pair(&self, pair: usize) -> Option<&Condition> {
        self.conditions
            .binary_search_by_key(&pair, |c| c.pair)
            .ok()
            .map(|k| &self.conditions[k])
    }
}
