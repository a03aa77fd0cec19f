//! An independent check of a match set against every hard rule.
//!
//! It measures the rows of [`crate::solve::hard_rules`] directly on the
//! chosen pairs, never a solver's model or values, and checks each pair's
//! eligibility with [`crate::rules`] again, so neither a modelling mistake
//! nor an engine's shortcut can hide itself. Every solve runs it before
//! output; tests run it on every answer (and `check.py` of the shared bench,
//! written apart from palim, on the generator's scenarios).

use crate::eligibility::Eligibility;
use crate::model::problem::Problem;
use crate::rules;
use crate::solve::hard_rules::{HardRule, Rows};

/// Every hard rule the chosen pairs break, in words; empty when all hold.
pub fn violations(p: &Problem, e: &Eligibility, chosen: &[usize]) -> Vec<String> {
    let mut out = Vec::new();
    for &i in chosen {
        let pair = &e.pairs[i];
        // Whether any rule fails, not why: a what-if's answer is audited
        // pair by pair, and the reasons of a pair that passes are never
        // written anyway.
        if rules::failing_bits(p, pair.t, pair.v) != 0 {
            out.push(format!(
                "{} / {} is not eligible",
                p.trainees[pair.t].id, p.vacancies[pair.v].id
            ));
        }
    }
    let mut seen = vec![false; e.pairs.len()];
    for &i in chosen {
        if std::mem::replace(&mut seen[i], true) {
            out.push(format!(
                "{} / {} is chosen twice",
                p.trainees[e.pairs[i].t].id, p.vacancies[e.pairs[i].v].id
            ));
        }
    }
    let rows = Rows::new(p);
    let activity = rows.activity(p, e, chosen);
    for (row, &value) in rows.rows.iter().zip(&activity) {
        for bound in row.under(value).into_iter().chain(row.over(value)) {
            out.push(broken(p, e, chosen, bound.rule, value));
        }
    }
    out
}

/// What breaking `rule` looks like, with `value`, the row's value.
fn broken(p: &Problem, e: &Eligibility, chosen: &[usize], rule: HardRule, value: f64) -> String {
    let n = value.round();
    match rule {
        HardRule::OnePlacement(t) => format!("{} is matched {n} times", p.trainees[t].id),
        HardRule::Positions(v) => format!(
            "{} has {n} matches for {} positions",
            p.vacancies[v].id, p.vacancies[v].positions
        ),
        HardRule::DestinationMin(d) | HardRule::DestinationMax(d) => {
            let dest = &p.destinations[d];
            format!(
                "{} has {n} placements outside [{}, {:?}]",
                dest.code, dest.min, dest.max
            )
        }
        HardRule::EmployerCap(emp) => format!(
            "{} has {n} placements, above the cap of {}",
            p.employers[emp],
            p.employer_caps[emp].unwrap_or(0)
        ),
        HardRule::GroupShare(s) => {
            let share = &p.shares[s];
            let scope: Vec<usize> = chosen
                .iter()
                .copied()
                .filter(|&i| p.share_scope(share, e.pairs[i].v))
                .collect();
            let members = scope
                .iter()
                .filter(|&&i| p.in_group(e.pairs[i].t, share))
                .count();
            format!(
                "share of {}: {members} of {}",
                p.share_label(share),
                scope.len()
            )
        }
        HardRule::Lock(l) => {
            let lock = &p.locks[l];
            format!(
                "lock {} / {} does not hold",
                p.trainees[lock.trainee].id, p.vacancies[lock.vacancy].id
            )
        }
    }
}
