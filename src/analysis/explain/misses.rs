//! Nearest misses: for a pair that is not eligible, the smallest changes to the
//! data that would make it eligible, in domain terms.
//!
//! Fixes are found by applying them and checking the rules again, in rounds,
//! because rules interact: documents ready earlier move the start date, and a
//! new start date can change the trainee's age and so the salary floor. A
//! reported fix set is always verified: with it, [`rules::evaluate`] finds the
//! pair eligible.

pub use crate::documents::explanation::{Fix, Miss, MissGroup};
use crate::fmt;
use crate::limits;
use crate::model::problem::{Problem, TraineeIx, VacancyIx};
use crate::rules::{self, Detail, StartBound};

impl Fix {
    /// Whether two fixes change the same thing (a later round replaces the earlier).
    fn same_target(&self, other: &Fix) -> bool {
        match (self, other) {
            (Fix::RaiseSkill { skill: a, .. }, Fix::RaiseSkill { skill: b, .. }) => a == b,
            _ => std::mem::discriminant(self) == std::mem::discriminant(other),
        }
    }

    /// How big a change this is, for ranking misses: one skill level, one
    /// month of dates, EUR 1,000 of salary or one changed preference each count 1.
    pub fn effort(&self) -> f64 {
        match self {
            Fix::AcceptDestination { .. } => 1.0,
            Fix::RaiseSkill { from, to, .. } => to - from,
            Fix::DocumentsBy { days_earlier, .. } => days_earlier.map_or(2.0, |d| d as f64 / 30.0),
            Fix::AvailableBy { days_earlier, .. } => *days_earlier as f64 / 30.0,
            Fix::RaiseSalary { by, .. } => by / 1000.0,
            Fix::LiftForbid { .. } => 2.0,
            Fix::SupplyPairScore { .. } => 1.0,
        }
    }

    /// The fix in words.
    pub fn describe(&self, p: &Problem) -> String {
        match self {
            Fix::AcceptDestination {
                trainee,
                destination,
            } => {
                let label = p
                    .destinations
                    .iter()
                    .find(|d| d.code == *destination)
                    .map_or(destination.as_str(), |d| d.label.as_str());
                format!("{trainee} would have to accept {label}")
            }
            Fix::RaiseSkill {
                trainee,
                skill,
                from,
                to,
            } => {
                let info = p.skills.iter().find(|s| s.name == *skill);
                let lvl = |x: f64| info.map_or(fmt::num(x), |i| i.scale.describe(x));
                format!(
                    "{trainee} would need {skill} {} (has {})",
                    lvl(*to),
                    lvl(*from)
                )
            }
            Fix::DocumentsBy {
                trainee,
                date,
                days_earlier,
            } => match days_earlier {
                Some(d) => format!(
                    "{trainee}'s documents would have to be complete by {date}, {} earlier",
                    fmt::days(*d)
                ),
                None => format!("{trainee}'s documents would have to be complete by {date}"),
            },
            Fix::AvailableBy {
                trainee,
                date,
                days_earlier,
            } => {
                format!(
                    "{trainee} would have to be available by {date}, {} earlier",
                    fmt::days(*days_earlier)
                )
            }
            Fix::RaiseSalary { vacancy, to, by } => {
                let v = p.vacancy_ix(vacancy);
                let d = v.map(|v| &p.destinations[p.vacancies[v].dest]);
                let money = |x: f64| d.map_or(fmt::money(x, None), |d| d.money(x));
                format!(
                    "{vacancy} would have to pay {} ({} more)",
                    money(*to),
                    money(*by)
                )
            }
            Fix::LiftForbid { trainee, vacancy } => {
                format!("the officer would have to lift the forbid on {trainee} at {vacancy}")
            }
            Fix::SupplyPairScore { trainee, vacancy } => {
                format!("the scoring tool would have to score {trainee} at {vacancy}")
            }
        }
    }

    /// The problem with this fix made.
    pub fn apply(&self, p: &mut Problem) {
        let t_of = |p: &Problem, id: &str| p.trainee_ix(id);
        match self {
            Fix::AcceptDestination {
                trainee,
                destination,
            } => {
                if let (Some(t), Some(d)) = (
                    t_of(p, trainee),
                    p.destinations.iter().position(|d| d.code == *destination),
                ) {
                    p.trainees[t].accepts.push(d);
                }
            }
            Fix::RaiseSkill {
                trainee, skill, to, ..
            } => {
                if let (Some(t), Some(s)) = (
                    t_of(p, trainee),
                    p.skills.iter().position(|x| x.name == *skill),
                ) {
                    p.trainees[t].levels[s] = *to;
                }
            }
            Fix::DocumentsBy { trainee, date, .. } => {
                if let Some(t) = t_of(p, trainee) {
                    p.trainees[t].documents_ready = Some(*date);
                }
            }
            Fix::AvailableBy { trainee, date, .. } => {
                if let Some(t) = t_of(p, trainee) {
                    p.trainees[t].available_from = *date;
                }
            }
            Fix::RaiseSalary { vacancy, to, .. } => {
                if let Some(v) = p.vacancy_ix(vacancy) {
                    p.vacancies[v].salary = Some(*to);
                }
            }
            Fix::LiftForbid { trainee, vacancy } => {
                if let (Some(t), Some(v)) = (t_of(p, trainee), p.vacancy_ix(vacancy)) {
                    p.forbids.remove(&(t, v));
                }
            }
            Fix::SupplyPairScore { trainee, vacancy } => {
                if let (Some(t), Some(v)) = (t_of(p, trainee), p.vacancy_ix(vacancy)) {
                    p.pair_scores.insert((t, v), 0.0);
                }
            }
        }
    }
}

/// The nearest miss of trainee `t` at vacancy `v`, or `None` when the pair is eligible.
pub fn miss(p: &Problem, t: TraineeIx, v: VacancyIx) -> Option<Miss> {
    let first = rules::evaluate(p, t, v);
    if first.eligible() {
        return None;
    }
    let mut q = p.clone();
    let mut fixes: Vec<Fix> = Vec::new();
    let mut fixable = true;
    for _round in 0..4 {
        let verdict = rules::evaluate(&q, t, v);
        if verdict.eligible() {
            break;
        }
        let new: Vec<Fix> = verdict
            .violations
            .iter()
            .flat_map(|viol| fix_for(&q, t, v, &viol.detail))
            .collect();
        if new.is_empty() {
            fixable = false;
            break;
        }
        for f in new {
            f.apply(&mut q);
            // A later round may tighten an earlier fix of the same kind.
            fixes.retain(|old| !old.same_target(&f));
            fixes.push(f);
        }
    }
    fixable = fixable && rules::evaluate(&q, t, v).eligible();
    let effort = fixes.iter().map(Fix::effort).sum();
    Some(Miss {
        trainee: p.trainees[t].id.clone(),
        vacancy: p.vacancies[v].id.clone(),
        codes: first.codes(),
        needs: fixes.iter().map(|f| f.describe(p)).collect(),
        fixes,
        fixable,
        effort,
    })
}

fn fix_for(p: &Problem, t: TraineeIx, v: VacancyIx, detail: &Detail) -> Vec<Fix> {
    fix_one(p, t, v, detail)
        .into_iter()
        .chain(more_skills(p, t, detail))
        .collect()
}

/// Every skill gap after the first (the first comes from [`fix_one`]).
fn more_skills(p: &Problem, t: TraineeIx, detail: &Detail) -> Vec<Fix> {
    match detail {
        Detail::Skills { gaps } => gaps
            .iter()
            .skip(1)
            .map(|g| Fix::RaiseSkill {
                trainee: p.trainees[t].id.clone(),
                skill: g.skill.clone(),
                from: g.has,
                to: g.required,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn fix_one(p: &Problem, t: TraineeIx, v: VacancyIx, detail: &Detail) -> Option<Fix> {
    let tid = p.trainees[t].id.clone();
    let vac = &p.vacancies[v];
    Some(match detail {
        Detail::Destination { destination } => Fix::AcceptDestination {
            trainee: tid,
            destination: destination.clone(),
        },
        Detail::Skills { gaps } => {
            let g = gaps.first()?;
            Fix::RaiseSkill {
                trainee: tid,
                skill: g.skill.clone(),
                from: g.has,
                to: g.required,
            }
        }
        Detail::DocumentsMissing { permit_days } => {
            let latest = vac.latest?;
            Fix::DocumentsBy {
                trainee: tid,
                date: limits::days_before(latest, u64::from(*permit_days))?,
                days_earlier: None,
            }
        }
        Detail::Late {
            days_late, bound, ..
        } => match bound {
            StartBound::Permit => {
                let docs = p.trainees[t].documents_ready?;
                Fix::DocumentsBy {
                    trainee: tid,
                    date: limits::days_before(docs, days_late.unsigned_abs())?,
                    days_earlier: Some(*days_late),
                }
            }
            StartBound::Available => Fix::AvailableBy {
                trainee: tid,
                date: limits::days_before(p.trainees[t].available_from, days_late.unsigned_abs())?,
                days_earlier: *days_late,
            },
            StartBound::Window => return None,
        },
        Detail::Blackout { .. } => return None,
        Detail::Salary { salary, floor, .. } => Fix::RaiseSalary {
            vacancy: vac.id.clone(),
            to: *floor,
            by: floor - salary.unwrap_or(0.0),
        },
        Detail::Forbidden { .. } => Fix::LiftForbid {
            trainee: tid,
            vacancy: vac.id.clone(),
        },
        Detail::NotScored => Fix::SupplyPairScore {
            trainee: tid,
            vacancy: vac.id.clone(),
        },
    })
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

/// Trainee `t`'s nearest misses over every vacancy it is not eligible for,
/// identical fixes grouped, smallest first.
pub fn nearest_misses(p: &Problem, t: TraineeIx) -> Vec<MissGroup> {
    let mut groups: Vec<MissGroup> = Vec::new();
    for v in 0..p.vacancies.len() {
        let Some(m) = miss(p, t, v) else { continue };
        let needs: Vec<String> = m.fixes.iter().map(|f| f.describe(p)).collect();
        let key: Vec<String> = m.fixes.iter().map(|f| group_key(p, f)).collect();
        match groups.iter_mut().find(|g| {
            g.fixable == m.fixable
                && g.fixes.iter().map(|f| group_key(p, f)).collect::<Vec<_>>() == key
        }) {
            Some(g) => g.vacancies.push(m.vacancy),
            None => groups.push(MissGroup {
                vacancies: vec![m.vacancy],
                fixes: m.fixes,
                needs,
                fixable: m.fixable,
                effort: m.effort,
            }),
        }
    }
    groups.sort_by(|a, b| {
        (!a.fixable, a.fixes.len(), a.effort)
            .partial_cmp(&(!b.fixable, b.fixes.len(), b.effort))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.vacancies.cmp(&b.vacancies))
    });
    groups
}
