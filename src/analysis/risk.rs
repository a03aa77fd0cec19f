//! Permit-delay risk: how likely each match still starts inside its window
//! when the permit lead time is uncertain.
//!
//! A destination may declare `permit_days_distribution`; palim then samples
//! lead times (seeded, so the same seed gives the same numbers), recomputes
//! each pair's start date with the same rules as planning
//! ([`rules::timing_with_permit`], blackouts and the age-dependent salary
//! floor included), and counts how often the pair stays possible.

use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::eligibility::Eligibility;
use std::time::Instant;

pub use crate::documents::risk::{PairRisk, RiskReport};
use crate::limits;
use crate::model::problem::{Problem, TraineeIx, VacancyIx};
use crate::model::scenario::PermitDistribution;
use crate::rules;
use crate::PalimError;

/// Draw one lead time in whole days.
pub fn sample(d: &PermitDistribution, rng: &mut ChaCha8Rng) -> u32 {
    let x = match d {
        PermitDistribution::Triangular { min, mode, max } => {
            let u: f64 = rng.gen();
            let cut = (mode - min) / (max - min);
            if u < cut {
                min + ((max - min) * (mode - min) * u).sqrt()
            } else {
                max - ((max - min) * (max - mode) * (1.0 - u)).sqrt()
            }
        }
        PermitDistribution::Empirical(days) => days[rng.gen_range(0..days.len())],
    };
    x.round().max(0.0) as u32
}

/// Whether trainee `t` can still start at vacancy `v` with this lead time.
pub fn on_time(p: &Problem, t: TraineeIx, v: VacancyIx, permit_days: u32) -> Option<NaiveDate> {
    let timing = rules::timing_with_permit(p, t, v, permit_days);
    let start = timing.start?;
    if p.vacancies[v].latest.is_some_and(|l| start > l) {
        return None;
    }
    let floor = rules::salary_floor(p, t, v, start);
    let paid = p.vacancies[v].salary;
    floor
        .is_none_or(|f| paid.is_some_and(|s| s >= f.annual))
        .then_some(start)
}

/// Permit-delay risk of the pairs given, by seeded Monte Carlo, with each
/// pair's latest safe documents date for `confidence`.
pub fn pair_risks(
    p: &Problem,
    pairs: &[(TraineeIx, VacancyIx)],
    samples: usize,
    seed: u64,
    confidence: f64,
    deadline: Option<Instant>,
) -> Result<Vec<PairRisk>, PalimError> {
    risks(p, pairs, samples, seed, Some(confidence), deadline)
}

/// The risks; the safe date (which costs a second simulation per pair) only when asked.
fn risks(
    p: &Problem,
    pairs: &[(TraineeIx, VacancyIx)],
    samples: usize,
    seed: u64,
    confidence: Option<f64>,
    deadline: Option<Instant>,
) -> Result<Vec<PairRisk>, PalimError> {
    pairs
        .iter()
        .enumerate()
        .map(|(k, &(t, v))| {
            if crate::solve::optimize::past(deadline) {
                return Err(PalimError::TimeLimit(format!(
                    "{k} of {} pairs were simulated ({samples} samples each)",
                    pairs.len()
                )));
            }
            let dest = &p.destinations[p.vacancies[v].dest];
            let Some(dist) = dest.permit_distribution.as_ref() else {
                let ok = on_time(p, t, v, dest.permit_days).is_some();
                return Ok(PairRisk {
                    trainee: p.trainees[t].id.clone(),
                    vacancy: p.vacancies[v].id.clone(),
                    on_time: f64::from(u8::from(ok)),
                    documents_by: None,
                });
            };
            // One stream per pair: results do not depend on which pairs are asked about.
            let mut rng = ChaCha8Rng::seed_from_u64(seed ^ ((t as u64) << 32 | v as u64));
            let mut draws: Vec<u32> = (0..samples).map(|_| sample(dist, &mut rng)).collect();
            let on = draws
                .iter()
                .filter(|&&d| on_time(p, t, v, d).is_some())
                .count();
            draws.sort_unstable();
            let documents_by = confidence.and_then(|confidence| {
                let q =
                    draws[((confidence * samples as f64).ceil() as usize).clamp(1, samples) - 1];
                p.vacancies[v]
                    .latest
                    .and_then(|l| limits::days_before(l, u64::from(q)))
                    .filter(|&by| {
                        // Check the claim: with documents on that date, is the chance reached?
                        let mut q = p.clone();
                        q.trainee_mut(t).documents_ready = Some(by);
                        let mut rng =
                            ChaCha8Rng::seed_from_u64(seed ^ ((t as u64) << 32 | v as u64));
                        let hits = (0..samples)
                            .filter(|_| on_time(&q, t, v, sample(dist, &mut rng)).is_some())
                            .count();
                        hits as f64 >= confidence * samples as f64
                    })
            });
            Ok(PairRisk {
                trainee: p.trainees[t].id.clone(),
                vacancy: p.vacancies[v].id.clone(),
                on_time: crate::words::round4(on as f64 / samples as f64),
                documents_by,
            })
        })
        .collect()
}

/// Forbid every eligible pair whose on-time probability is below `min`, so
/// that a solve uses only safe pairs; returns how many were forbidden.
pub fn forbid_risky(
    p: &mut Problem,
    samples: usize,
    seed: u64,
    min: f64,
    deadline: Option<Instant>,
) -> Result<usize, PalimError> {
    let e = Eligibility::build(p);
    let pairs: Vec<(usize, usize)> = e
        .pairs
        .iter()
        .filter(|x| {
            p.destinations[p.vacancies[x.v].dest]
                .permit_distribution
                .is_some()
        })
        .map(|x| (x.t, x.v))
        .collect();
    let risks = risks(p, &pairs, samples, seed, None, deadline)?;
    let mut n = 0;
    for ((t, v), r) in pairs.into_iter().zip(risks) {
        if r.on_time < min {
            p.forbids.insert(
                (t, v),
                Some(format!(
                    "on-time probability {} is below the required {}",
                    crate::words::num(r.on_time),
                    crate::words::num(min)
                )),
            );
            n += 1;
        }
    }
    Ok(n)
}

/// Solve `p` (after `forbid_risky` when asked) and estimate each match's risk.
pub fn report(
    p: &Problem,
    set: &crate::MatchSet,
    samples: usize,
    seed: u64,
    confidence: f64,
    deadline: Option<Instant>,
) -> Result<RiskReport, PalimError> {
    let pairs: Vec<(usize, usize)> = set
        .matches
        .iter()
        .filter_map(|m| Some((p.trainee_ix(&m.trainee)?, p.vacancy_ix(&m.vacancy)?)))
        .collect();
    let matches = pair_risks(p, &pairs, samples, seed, confidence, deadline)?;
    let expected_on_time = crate::words::round4(matches.iter().map(|r| r.on_time).sum());
    Ok(RiskReport {
        samples,
        seed,
        confidence,
        placements: matches.len(),
        matches,
        expected_on_time,
    })
}
