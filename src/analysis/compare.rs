//! Scenario variants side by side, person by person.
//!
//! A comparison is computed from match sets only, so it compares exactly what
//! each scenario's own solve produced; ids, not positions in lists, tie people
//! and vacancies together. An interview round is read from the scenarios'
//! interviews: what a variant records beyond its base.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

pub use crate::documents::comparison::{
    Column, Comparison, OpenAfterRound, PersonChange, Round, RoundInterview, VacancyChange,
    VariantDiff,
};
use crate::documents::match_set::MatchSet;
use crate::model::problem::{InterviewData, Problem};
use crate::model::scenario::InterviewOutcome;
use crate::rules::{failing_bits, RULES};
use crate::solve::outcome::{in_parallel, past};
use crate::words;

pub fn column(file: &str, m: &MatchSet) -> Column {
    Column {
        file: file.to_string(),
        scenario: m.scenario.clone(),
        status: m.status,
        placements: m.objective.placements,
        score: m.objective.score,
        destinations: m
            .destinations
            .iter()
            .map(|(k, d)| (k.clone(), d.placed))
            .collect(),
        group_shares: m
            .group_shares
            .iter()
            .map(|s| (share_key(s), s.share))
            .collect(),
        unfilled_positions: m.unfilled_positions.iter().map(|u| u64::from(u.open)).sum(),
        obstacles: BTreeMap::new(),
        binding: m
            .destinations
            .iter()
            .filter(|(_, d)| d.binding)
            .map(|(code, d)| {
                if d.max == Some(d.placed as u32) {
                    format!("{code} max")
                } else {
                    format!("{code} min")
                }
            })
            .chain(
                m.group_shares
                    .iter()
                    .filter(|s| s.binding)
                    .map(|s| format!("share {}", share_key(s))),
            )
            .collect(),
    }
}

/// A share rule in a few characters: `gender=F in BE`.
fn share_key(s: &crate::documents::match_set::ShareUsage) -> String {
    let value = s.value.as_str().map_or(s.value.to_string(), str::to_string);
    let scope = s
        .destination
        .as_ref()
        .map_or(String::new(), |d| format!(" in {d}"));
    format!("{}={value}{scope}", s.attribute)
}

/// Per destination, the pairs each rule alone rules out among the trainees
/// who accept it (by the rule's index in [`RULES`]): what a column's main
/// obstacles are read from ([`Obstacles::words`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Obstacles {
    alone: Vec<Vec<usize>>,
}

/// The rule that alone rules out a pair failing `bits` (bit k for
/// `RULES[k]`), if only one does.
fn alone(bits: u32) -> Option<usize> {
    (bits.count_ones() == 1).then(|| bits.trailing_zeros() as usize)
}

impl Obstacles {
    /// Every rule on every pair of a trainee and a vacancy at a destination
    /// the trainee accepts (at national size, tens of millions; one
    /// destination alone can be a second), the destinations on up to
    /// `threads` threads. It looks at `deadline` before each trainee's
    /// pairs: `None` when it came.
    pub fn count(p: &Problem, deadline: Option<Instant>, threads: usize) -> Option<Obstacles> {
        let destinations: Vec<usize> = (0..p.destinations.len()).collect();
        let alone = in_parallel(&destinations, threads, |&d| Self::at(p, d, deadline));
        let alone = alone.into_iter().collect::<Option<_>>()?;
        Some(Obstacles { alone })
    }

    /// The counts at destination `d`.
    fn at(p: &Problem, d: usize, deadline: Option<Instant>) -> Option<Vec<usize>> {
        let vacancies: Vec<usize> = (0..p.vacancies.len())
            .filter(|&v| p.vacancies[v].dest == d)
            .collect();
        let mut counts = vec![0usize; RULES.len()];
        for t in (0..p.trainees.len()).filter(|&t| p.trainees[t].accepts.contains(&d)) {
            if past(deadline) {
                return None;
            }
            for &v in &vacancies {
                if let Some(k) = alone(failing_bits(p, t, v)) {
                    counts[k] += 1;
                }
            }
        }
        Some(counts)
    }

    /// The counts of `q` from these of `p`, when `q` is `p` with other
    /// forbids ([`crate::rules::same_verdicts_but_forbids`]): only the
    /// pairs forbidden in one and not the other are counted again (a
    /// comparison of forbids counted 80 million pairs per variant at
    /// national size). `None` when `q` differs in more (or these are not
    /// `p`'s counts, as far as they show).
    pub fn after_forbids(&self, p: &Problem, q: &Problem) -> Option<Obstacles> {
        if !crate::rules::same_verdicts_but_forbids(p, q) {
            return None;
        }
        let mut counts = self.alone.clone();
        let lifted = (p.forbids.keys()).filter(|pair| !q.forbids.contains_key(pair));
        let added = (q.forbids.keys()).filter(|pair| !p.forbids.contains_key(pair));
        for &(t, v) in lifted.chain(added) {
            let d = p.vacancies[v].dest;
            if !p.trainees[t].accepts.contains(&d) {
                continue;
            }
            if let Some(k) = alone(failing_bits(p, t, v)) {
                // Counted in `p` if these are its counts; if not, count `q`.
                counts[d][k] = counts[d][k].checked_sub(1)?;
            }
            if let Some(k) = alone(failing_bits(q, t, v)) {
                counts[d][k] += 1;
            }
        }
        Some(Obstacles { alone: counts })
    }

    /// Per destination of `p` (the scenario counted), the rule that alone
    /// rules out the most pairs: `"blackout (1,974 pairs alone)"`.
    pub fn words(&self, p: &Problem) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (dest, alone) in p.destinations.iter().zip(&self.alone) {
            let most = (alone.iter().enumerate())
                .filter(|&(_, &n)| n > 0)
                .map(|(k, &n)| (RULES[k].code(), n))
                .max_by_key(|&(code, n)| (n, std::cmp::Reverse(code)));
            if let Some((code, n)) = most {
                out.insert(
                    dest.code.clone(),
                    format!(
                        "{} ({} pairs alone)",
                        code.as_str(),
                        words::money(n as f64, None)
                    ),
                );
            }
        }
        out
    }
}

/// Each scenario's main obstacles ([`Obstacles::words`]), the first's
/// counted on every core, and each other's from the first's where it only
/// forbids other pairs ([`Obstacles::after_forbids`]), else counted on its
/// own, side by side. `None` where `deadline` came first.
pub fn obstacles(
    scenarios: &[&Problem],
    deadline: Option<Instant>,
) -> Vec<Option<BTreeMap<String, String>>> {
    let Some((&base, variants)) = scenarios.split_first() else {
        return Vec::new();
    };
    let threads = crate::solve::outcome::threads();
    let first = Obstacles::count(base, deadline, threads);
    let rest = in_parallel(variants, threads, |&q| {
        (first.as_ref())
            .and_then(|counted| counted.after_forbids(base, q))
            .or_else(|| Obstacles::count(q, deadline, 1))
    });
    std::iter::once(first)
        .chain(rest)
        .zip(scenarios)
        .map(|(counted, p)| counted.map(|c| c.words(p)))
        .collect()
}

/// Everything that differs between two match sets, person by person.
pub fn diff(base: &MatchSet, variant: &MatchSet) -> (Vec<PersonChange>, Vec<VacancyChange>) {
    let at = |m: &MatchSet| {
        m.matches
            .iter()
            .map(|x| (x.trainee.clone(), (x.vacancy.clone(), x.start_date)))
            .collect::<BTreeMap<_, _>>()
    };
    let known = |m: &MatchSet| -> BTreeSet<String> {
        m.matches
            .iter()
            .map(|x| x.trainee.clone())
            .chain(m.unmatched_trainees.iter().map(|u| u.trainee.clone()))
            .collect()
    };
    let (a, b) = (at(base), at(variant));
    let (ka, kb) = (known(base), known(variant));
    let everyone: BTreeSet<String> = ka.union(&kb).cloned().collect();
    let mut people = Vec::new();
    for t in everyone {
        let (before, after) = (a.get(&t), b.get(&t));
        let change = |kind: &str| PersonChange {
            trainee: t.clone(),
            change: kind.to_string(),
            from: before.map(|x| x.0.clone()),
            to: after.map(|x| x.0.clone()),
            start_before: before.map(|x| x.1),
            start_after: after.map(|x| x.1),
            reasons: Vec::new(),
        };
        let entry = if !ka.contains(&t) {
            Some(change("added"))
        } else if !kb.contains(&t) {
            Some(change("removed"))
        } else {
            match (before, after) {
                (None, Some(_)) => Some(change("newly_matched")),
                (Some(_), None) => {
                    let mut c = change("newly_unmatched");
                    c.reasons = variant
                        .unmatched_trainees
                        .iter()
                        .find(|u| u.trainee == t)
                        .map(|u| u.reasons.clone())
                        .unwrap_or_default();
                    Some(c)
                }
                (Some(x), Some(y)) if x.0 != y.0 => Some(change("moved")),
                (Some(x), Some(y)) if x.1 != y.1 => Some(change("start_changed")),
                _ => None,
            }
        };
        people.extend(entry);
    }
    let filled = |m: &MatchSet| {
        let mut f: BTreeMap<String, usize> = BTreeMap::new();
        for x in &m.matches {
            *f.entry(x.vacancy.clone()).or_default() += 1;
        }
        f
    };
    let (fa, fb) = (filled(base), filled(variant));
    let mut ids: Vec<&String> = fa.keys().chain(fb.keys()).collect();
    ids.sort();
    ids.dedup();
    let vacancies = ids
        .into_iter()
        .filter_map(|v| {
            let (x, y) = (
                fa.get(v).copied().unwrap_or(0),
                fb.get(v).copied().unwrap_or(0),
            );
            (x != y).then(|| VacancyChange {
                vacancy: v.clone(),
                change: if y > x { "filled" } else { "emptied" }.into(),
                before: x,
                after: y,
            })
        })
        .collect();
    (people, vacancies)
}

pub fn compare(base: (&str, &MatchSet), variants: &[(String, MatchSet)]) -> Comparison {
    Comparison {
        format: "palim-compare/1".into(),
        base: column(base.0, base.1),
        variants: variants
            .iter()
            .map(|(file, m)| {
                let (people, vacancies) = diff(base.1, m);
                VariantDiff {
                    column: column(file, m),
                    people,
                    vacancies,
                    round: None,
                }
            })
            .collect(),
        unfinished: None,
    }
}

/// Each column's obstacles ([`obstacles`]), the base's first: those the
/// deadline left uncounted (`None`) stay empty, and the comparison says
/// which they are rather than being refused (every scenario was solved;
/// only this context is missing).
pub fn with_obstacles(c: &mut Comparison, counted: Vec<Option<BTreeMap<String, String>>>) {
    let mut uncounted = Vec::new();
    let columns = std::iter::once(&mut c.base).chain(c.variants.iter_mut().map(|v| &mut v.column));
    for (column, counted) in columns.zip(counted) {
        match counted {
            Some(obstacles) => column.obstacles = obstacles,
            None => uncounted.push(column.file.clone()),
        }
    }
    if !uncounted.is_empty() {
        c.unfinished = Some(format!(
            "the rules that rule out most pairs were not counted by the time limit in {}; \
             allow more time with --time-limit",
            words::list(&uncounted, 10)
        ));
    }
}

/// The interview round a variant records beyond its base, if any.
pub fn round(base: &Problem, variant: &Problem) -> Option<Round> {
    let id = |i: &InterviewData| {
        (
            variant.trainees[i.trainee].id.as_str(),
            variant.vacancies[i.vacancy].id.as_str(),
        )
    };
    let before: BTreeMap<(&str, &str), InterviewOutcome> = base
        .interviews
        .iter()
        .map(|i| {
            (
                (
                    base.trainees[i.trainee].id.as_str(),
                    base.vacancies[i.vacancy].id.as_str(),
                ),
                i.outcome,
            )
        })
        .collect();
    let mut this_round: Vec<&InterviewData> = variant
        .interviews
        .iter()
        .filter(|i| before.get(&id(i)) != Some(&i.outcome))
        .collect();
    if this_round.is_empty() {
        return None;
    }
    this_round.sort_by_key(|i| id(i));
    let pair = |i: &InterviewData| format!("{} -> {}", id(i).0, id(i).1);
    let with = |o: InterviewOutcome| -> Vec<String> {
        this_round
            .iter()
            .filter(|i| i.outcome == o)
            .map(|i| pair(i))
            .collect()
    };
    // What holds a trainee or a position after the round, from every
    // interview on record (earlier rounds' too).
    let holds = |i: &&InterviewData| {
        matches!(
            i.outcome,
            InterviewOutcome::Accepted | InterviewOutcome::Offer
        )
    };
    let mut held: BTreeMap<usize, u32> = BTreeMap::new();
    let mut holding: std::collections::BTreeSet<usize> = Default::default();
    for i in variant.interviews.iter().filter(holds) {
        *held.entry(i.vacancy).or_default() += 1;
        holding.insert(i.trainee);
    }
    let mut trainees: Vec<String> = this_round
        .iter()
        .filter(|i| !holding.contains(&i.trainee))
        .map(|i| variant.trainees[i.trainee].id.clone())
        .collect();
    trainees.dedup();
    let mut vacancies: Vec<usize> = this_round.iter().map(|i| i.vacancy).collect();
    vacancies.sort_by_key(|&v| &variant.vacancies[v].id);
    vacancies.dedup();
    Some(Round {
        interviewed: this_round
            .iter()
            .map(|i| RoundInterview {
                trainee: id(i).0.to_string(),
                vacancy: id(i).1.to_string(),
                outcome: i.outcome.as_str().to_string(),
                date: i.date,
            })
            .collect(),
        offered: with(InterviewOutcome::Offer),
        hired: with(InterviewOutcome::Accepted),
        trainees_for_another_round: trainees,
        vacancies_for_another_round: vacancies
            .into_iter()
            .filter_map(|v| {
                let open = variant.vacancies[v]
                    .positions
                    .saturating_sub(held.get(&v).copied().unwrap_or(0));
                (open > 0).then(|| OpenAfterRound {
                    vacancy: variant.vacancies[v].id.clone(),
                    open,
                })
            })
            .collect(),
    })
}
