//! Blocking pairs, when both sides rank: an eligible pair (t, v), not
//! matched, where t strictly prefers v to what t got, and v has an open
//! position or strictly prefers t to one of its holders. Preferences are
//! the rankings in rank order, then every unranked eligible partner (tied
//! with each other), then nothing (being unmatched, or an open position).
//! A match set with none is stable: nobody would walk away from it together.

use crate::documents::match_set::BlockingPair;
use crate::eligibility::Eligibility;
use crate::model::problem::{Problem, TraineeIx, VacancyIx, Want};

/// A side's want in words.
fn words(want: Want) -> String {
    match want {
        Want::Nobody => "nothing".to_string(),
        Want::Unranked => "unranked".to_string(),
        Want::Ranked(std::cmp::Reverse(r)) => format!("ranked {}", crate::words::ordinal(r)),
    }
}

/// Whether stability means anything here: some trainee and some vacancy rank.
pub fn both_sides_rank(p: &Problem) -> bool {
    p.trainees.iter().any(|t| !t.ranking.is_empty())
        && p.vacancies.iter().any(|v| !v.ranking.is_empty())
}

/// Every blocking pair of the match set `chosen` (pair indices), by trainee
/// then vacancy, each with why in the officer's words.
pub fn blocking_pairs(p: &Problem, e: &Eligibility, chosen: &[usize]) -> Vec<BlockingPair> {
    let mut at: Vec<Option<VacancyIx>> = vec![None; p.trainees.len()];
    let mut holders: Vec<Vec<TraineeIx>> = vec![Vec::new(); p.vacancies.len()];
    for &i in chosen {
        at[e.pairs[i].t] = Some(e.pairs[i].v);
        holders[e.pairs[i].v].push(e.pairs[i].t);
    }
    let mut per_employer = vec![0u32; p.employers.len()];
    let mut per_dest = vec![0u32; p.destinations.len()];
    for &i in chosen {
        let vac = &p.vacancies[e.pairs[i].v];
        per_employer[vac.employer] += 1;
        per_dest[vac.dest] += 1;
    }
    // A hard rule that stands in the way of one more placement at `v`,
    // said beside an open position: the pair blocks, but no match set
    // that keeps the rules could give it the place.
    let full = |v: VacancyIx| -> Option<String> {
        let vac = &p.vacancies[v];
        if let Some(cap) =
            p.employer_caps[vac.employer].filter(|&c| per_employer[vac.employer] >= c)
        {
            return Some(format!(
                " (though {} is at its cap of {})",
                p.employers[vac.employer],
                crate::words::count(cap as usize, "placement", "placements")
            ));
        }
        let dest = &p.destinations[vac.dest];
        dest.max
            .filter(|&m| per_dest[vac.dest] >= m)
            .map(|m| format!(" (though {} is at its maximum of {m})", dest.label))
    };
    let mut out = Vec::new();
    for pair in &e.pairs {
        let (t, v) = (pair.t, pair.v);
        if at[t] == Some(v) {
            continue;
        }
        let now = p.trainee_wants(t, at[t]);
        let there = p.trainee_wants(t, Some(v));
        if there <= now {
            continue;
        }
        let (tid, vid) = (&p.trainees[t].id, &p.vacancies[v].id);
        let trainee_side = match at[t] {
            None => match there {
                Want::Ranked(std::cmp::Reverse(r)) => format!(
                    "{tid} is unmatched and ranks {vid} {}",
                    crate::words::ordinal(r)
                ),
                _ => format!("{tid} is unmatched and eligible for {vid}"),
            },
            Some(w) => format!(
                "{tid} prefers {vid} ({}) to their match {} ({})",
                words(there),
                p.vacancies[w].id,
                words(now)
            ),
        };
        let open = (holders[v].len() as u32) < p.vacancies[v].positions;
        let vacancy_side = if open {
            Some(format!(
                "{vid} has an open position{}",
                full(v).unwrap_or_default()
            ))
        } else {
            let wants_t = p.vacancy_wants(v, Some(t));
            holders[v]
                .iter()
                .map(|&h| (p.vacancy_wants(v, Some(h)), h))
                .filter(|&(w, _)| wants_t > w)
                .min()
                .map(|(w, h)| {
                    format!(
                        "{vid} prefers {tid} ({}) to its holder {} ({})",
                        words(wants_t),
                        p.trainees[h].id,
                        words(w)
                    )
                })
        };
        if let Some(vacancy_side) = vacancy_side {
            out.push(BlockingPair {
                trainee: tid.clone(),
                vacancy: vid.clone(),
                why: format!("{trainee_side}, and {vacancy_side}"),
            });
        }
    }
    out.sort_by(|a, b| (&a.trainee, &a.vacancy).cmp(&(&b.trainee, &b.vacancy)));
    out
}
