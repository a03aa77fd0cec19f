//! An independent check of a match set against every hard rule.
//!
//! It reads the rules straight from the [`Problem`] and [`crate::rules`], not
//! from the model, so a modelling mistake cannot hide itself. Every solve runs
//! it before output; tests run it on every answer.

use std::collections::HashMap;

use crate::eligibility::Eligibility;
use crate::model::problem::Problem;
use crate::rules;

/// Every hard rule the chosen pairs break, in words; empty when all hold.
pub fn violations(p: &Problem, e: &Eligibility, chosen: &[usize]) -> Vec<String> {
    let mut out = Vec::new();
    let mut per_trainee = vec![0u32; p.trainees.len()];
    let mut per_vacancy = vec![0u32; p.vacancies.len()];
    let mut per_dest = vec![0u32; p.destinations.len()];
    let mut per_employer: HashMap<usize, u32> = HashMap::new();
    for &i in chosen {
        let pair = &e.pairs[i];
        if !rules::evaluate(p, pair.t, pair.v).eligible() {
            out.push(format!(
                "{} / {} is not eligible",
                p.trainees[pair.t].id, p.vacancies[pair.v].id
            ));
        }
        per_trainee[pair.t] += 1;
        per_vacancy[pair.v] += 1;
        per_dest[p.vacancies[pair.v].dest] += 1;
        *per_employer
            .entry(p.vacancies[pair.v].employer)
            .or_default() += 1;
    }
    for (t, &n) in per_trainee.iter().enumerate() {
        if n > 1 {
            out.push(format!("{} is matched {n} times", p.trainees[t].id));
        }
    }
    for (v, &n) in per_vacancy.iter().enumerate() {
        if n > p.vacancies[v].positions {
            out.push(format!(
                "{} has {n} matches for {} positions",
                p.vacancies[v].id, p.vacancies[v].positions
            ));
        }
    }
    for (d, dest) in p.destinations.iter().enumerate() {
        let n = per_dest[d];
        if n < dest.min || dest.max.is_some_and(|m| n > m) {
            out.push(format!(
                "{} has {n} placements outside [{}, {:?}]",
                dest.code, dest.min, dest.max
            ));
        }
    }
    {
        let mut over: Vec<_> = per_employer
            .iter()
            .filter(|(&emp, &n)| p.employer_caps[emp].is_some_and(|c| n > c))
            .collect();
        over.sort();
        for (&emp, n) in over {
            out.push(format!(
                "{} has {n} placements, above the cap of {}",
                p.employers[emp],
                p.employer_caps[emp].unwrap_or(0)
            ));
        }
    }
    for share in &p.shares {
        let scope: Vec<usize> = chosen
            .iter()
            .copied()
            .filter(|&i| p.share_scope(share, e.pairs[i].v))
            .collect();
        let members = scope
            .iter()
            .filter(|&&i| p.in_group(e.pairs[i].t, share))
            .count() as f64;
        let placed = scope.len() as f64;
        if members < share.min_share * placed - 1e-9
            || share.max_share.is_some_and(|m| members > m * placed + 1e-9)
        {
            out.push(format!(
                "share of {}: {members} of {placed}",
                p.share_label(share)
            ));
        }
    }
    for lock in &p.locks {
        let held = chosen
            .iter()
            .any(|&i| e.pairs[i].t == lock.trainee && e.pairs[i].v == lock.vacancy);
        if !held {
            out.push(format!(
                "lock {} / {} does not hold",
                p.trainees[lock.trainee].id, p.vacancies[lock.vacancy].id
            ));
        }
    }
    out
}
