//! Nearest misses: for a pair that is not eligible, the smallest changes to the
//! data that would make it eligible, in domain terms.
//!
//! Fixes are found by applying them and checking the rules again, in rounds,
//! because rules interact: documents ready earlier move the start date, and a
//! new start date can change the trainee's age and so the salary floor. A
//! reported fix set is always verified: with it, [`rules::findings`] finds
//! the pair eligible.

use std::collections::hash_map::{Entry, HashMap};

use chrono::Datelike;

pub use crate::documents::explanation::{Fix, Miss, MissGroup};
use crate::model::problem::{Problem, TraineeIx, VacancyIx};
use crate::rules;

/// The nearest miss of trainee `t` at vacancy `v`, or `None` when the pair is eligible.
pub fn miss(p: &Problem, t: TraineeIx, v: VacancyIx) -> Option<Miss> {
    miss_in(&mut p.clone(), p, t, v)
}

/// [`miss`], trying the fixes on `q`, a copy of `p` that is left as it was
/// found: a pair's fixes change only its trainee, its vacancy, its forbid
/// and its pair score, which are put back. One copy then serves every pair
/// of a trainee or a vacancy (at national size, copying the scenario for
/// each of 8,000 vacancies was minutes).
pub fn miss_in(q: &mut Problem, p: &Problem, t: TraineeIx, v: VacancyIx) -> Option<Miss> {
    let found = found_in(q, p, t, v)?;
    Some(Miss {
        trainee: p.trainees[t].id.clone(),
        vacancy: p.vacancies[v].id.clone(),
        codes: found.codes,
        needs: found.fixes.iter().map(|f| f.describe(p)).collect(),
        fixes: found.fixes,
        fixable: found.fixable,
        effort: found.effort,
    })
}

/// A miss before it is put in words (a trainee's nearest misses describe
/// one miss per group, not each of thousands).
struct Found {
    codes: Vec<crate::rules::ReasonCode>,
    fixes: Vec<Fix>,
    fixable: bool,
    effort: f64,
}

/// [`miss_in`], the fixes without their words.
fn found_in(q: &mut Problem, p: &Problem, t: TraineeIx, v: VacancyIx) -> Option<Found> {
    let first = rules::findings(p, t, v);
    if first.is_empty() {
        return None;
    }
    let found = fix_until_eligible(q, p, t, v, first);
    // Put back what the fixes changed, without copying anyone to do it.
    if !std::sync::Arc::ptr_eq(&q.trainees[t], &p.trainees[t]) {
        std::sync::Arc::make_mut(&mut q.trainees)[t] = std::sync::Arc::clone(&p.trainees[t]);
    }
    q.vacancies[v] = p.vacancies[v].clone();
    match p.forbids.get(&(t, v)) {
        Some(why) => q.forbids.insert((t, v), why.clone()),
        None => q.forbids.remove(&(t, v)),
    };
    match p.pair_scores.get(&(t, v)) {
        Some(&score) => q.pair_scores.insert((t, v), score),
        None => q.pair_scores.remove(&(t, v)),
    };
    Some(found)
}

/// The fixes of the ineligible pair (t, v), found in rounds on `q`.
fn fix_until_eligible(
    q: &mut Problem,
    p: &Problem,
    t: TraineeIx,
    v: VacancyIx,
    first: Vec<rules::Finding>,
) -> Found {
    let mut fixes: Vec<Fix> = Vec::new();
    let mut fixable = true;
    let codes = first.iter().map(|f| f.code).collect();
    // `q` is `p` for this pair until a fix is made: the first findings hold.
    let mut found = first;
    for _round in 0..4 {
        if found.is_empty() {
            break;
        }
        let new = fixes_for(q, t, v, &found);
        if new.is_empty() {
            fixable = false;
            break;
        }
        for f in new {
            debug_assert!(f.apply_only_to(p, t, v), "{f:?} changes more than its pair");
            f.apply(q);
            // A later round may tighten an earlier fix of the same kind.
            fixes.retain(|old| !old.same_target(&f));
            fixes.push(f);
        }
        found = rules::findings(q, t, v);
    }
    fixable = fixable && found.is_empty();
    Found {
        codes,
        effort: fixes.iter().map(Fix::effort).sum(),
        fixes,
        fixable,
    }
}

/// What removes each rule the pair fails, as its rule says.
fn fixes_for(p: &Problem, t: TraineeIx, v: VacancyIx, found: &[rules::Finding]) -> Vec<Fix> {
    let cx = rules::context(p, t, v);
    found
        .iter()
        .filter_map(|f| rules::rule(f.code).map(|rule| rule.fixes(&cx, &f.detail)))
        .flatten()
        .collect()
}

/// What makes two misses "the same" for grouping: the fix in words, except
/// that fixes naming their own vacancy compare by kind (and salary by the
/// amount, to the next hundred).
fn group_key(p: &Problem, f: &Fix) -> String {
    match f {
        Fix::RaiseSalary { by, .. } => format!("salary +{}", (by / 100.0).ceil() * 100.0),
        Fix::LiftForbid { .. } => "lift forbid".to_string(),
        Fix::SupplyPairScore { .. } => "supply score".to_string(),
        other => other.describe(p),
    }
}

/// A fix exactly, hashable (its numbers by their bits): what a fix's words
/// are kept under while a trainee's misses are grouped. Writing out each
/// fix of each missed vacancy (its `Debug` text) to look its words up was
/// 4% of the generator's 1,000 × 400 `solve --explain`.
#[derive(PartialEq, Eq, Hash)]
struct Exact<'a> {
    kind: std::mem::Discriminant<Fix>,
    names: [&'a str; 2],
    numbers: [u64; 3],
}

fn exact(f: &Fix) -> Exact<'_> {
    let day = |d: &chrono::NaiveDate| d.num_days_from_ce() as u64;
    let (names, numbers): ([&str; 2], [u64; 3]) = match f {
        Fix::AcceptDestination {
            trainee,
            destination,
        } => ([trainee, destination], [0; 3]),
        Fix::RaiseSkill {
            trainee,
            skill,
            from,
            to,
        } => ([trainee, skill], [from.to_bits(), to.to_bits(), 0]),
        Fix::DocumentsBy {
            trainee,
            date,
            days_earlier,
        } => (
            [trainee, ""],
            [
                day(date),
                u64::from(days_earlier.is_some()),
                days_earlier.unwrap_or(0) as u64,
            ],
        ),
        Fix::AvailableBy {
            trainee,
            date,
            days_earlier,
        } => ([trainee, ""], [day(date), *days_earlier as u64, 0]),
        Fix::RaiseSalary { vacancy, to, by } => ([vacancy, ""], [to.to_bits(), by.to_bits(), 0]),
        Fix::LiftForbid { trainee, vacancy } | Fix::SupplyPairScore { trainee, vacancy } => {
            ([trainee, vacancy], [0; 3])
        }
    };
    Exact {
        kind: std::mem::discriminant(f),
        names,
        numbers,
    }
}

/// Trainee `t`'s `at_most` nearest misses over every vacancy it is not
/// eligible for, identical fixes grouped, smallest first.
pub fn nearest_misses(p: &Problem, t: TraineeIx, at_most: usize) -> Vec<MissGroup> {
    nearest_misses_in(&mut p.clone(), p, t, at_most)
}

/// [`nearest_misses`], trying the fixes on `scratch`, a copy of `p` that is
/// left as it was found (as in [`miss_in`]): one copy serves every trainee
/// a thread explains. Only the groups shown are put in words: a trainee
/// can miss hundreds of vacancies in as many ways.
pub fn nearest_misses_in(
    scratch: &mut Problem,
    p: &Problem,
    t: TraineeIx,
    at_most: usize,
) -> Vec<MissGroup> {
    let mut groups: Vec<MissGroup> = Vec::new();
    // Each group's key, once: at national size a trainee misses thousands
    // of vacancies in hundreds of ways. A key is its fixes' words, each
    // numbered once (equal fixes have equal words).
    let mut by_key: HashMap<(bool, Vec<usize>), usize> = HashMap::new();
    let mut numbered: HashMap<Exact<'_>, usize> = HashMap::new();
    let mut by_words: HashMap<String, usize> = HashMap::new();
    let mut found = Vec::new();
    for v in 0..p.vacancies.len() {
        let Some(m) = found_in(scratch, p, t, v) else {
            continue;
        };
        found.push((v, m));
    }
    for (v, m) in &found {
        let key: Vec<usize> = m
            .fixes
            .iter()
            .map(|f| {
                let next = by_words.len();
                *numbered
                    .entry(exact(f))
                    .or_insert_with(|| *by_words.entry(group_key(p, f)).or_insert(next))
            })
            .collect();
        match by_key.entry((m.fixable, key)) {
            Entry::Occupied(g) => groups[*g.get()].vacancies.push(p.vacancies[*v].id.clone()),
            Entry::Vacant(slot) => {
                slot.insert(groups.len());
                groups.push(MissGroup {
                    vacancies: vec![p.vacancies[*v].id.clone()],
                    needs: Vec::new(),
                    fixes: m.fixes.clone(),
                    fixable: m.fixable,
                    effort: m.effort,
                });
            }
        }
    }
    groups.sort_by(|a, b| {
        (!a.fixable, a.fixes.len(), a.effort)
            .partial_cmp(&(!b.fixable, b.fixes.len(), b.effort))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.vacancies.cmp(&b.vacancies))
    });
    groups.truncate(at_most);
    for g in &mut groups {
        g.needs = g.fixes.iter().map(|f| f.describe(p)).collect();
    }
    groups
}
