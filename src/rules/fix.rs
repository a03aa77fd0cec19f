//! What would make an ineligible pair eligible, one change to the data at a
//! time. Each rule says which fixes remove its own violation
//! ([`super::PairRule::fixes`]); a fix knows its size, its words and how to
//! make it on a copy of the problem, so explanations can check it.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::problem::Problem;
use crate::words;

/// One change to the data that removes one reason a pair is ineligible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "fix", rename_all = "snake_case")]
pub enum Fix {
    /// The trainee would have to accept the destination.
    AcceptDestination {
        trainee: String,
        destination: String,
    },
    /// The trainee would need this level (a training module).
    RaiseSkill {
        trainee: String,
        skill: String,
        from: f64,
        to: f64,
    },
    /// Documents complete by this date, so the permit is ready in time.
    DocumentsBy {
        trainee: String,
        date: NaiveDate,
        days_earlier: Option<i64>,
    },
    /// Available by this date.
    AvailableBy {
        trainee: String,
        date: NaiveDate,
        days_earlier: i64,
    },
    /// The employer would have to pay at least this much.
    RaiseSalary { vacancy: String, to: f64, by: f64 },
    /// The officer would have to lift the forbid.
    LiftForbid { trainee: String, vacancy: String },
    /// The scoring tool would have to score the pair.
    SupplyPairScore { trainee: String, vacancy: String },
}

impl Fix {
    /// Whether two fixes change the same thing (a later round replaces the earlier).
    pub fn same_target(&self, other: &Fix) -> bool {
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
                let lvl = |x: f64| info.map_or(words::num(x), |i| i.scale.describe(x));
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
                    words::days(*d)
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
                    words::days(*days_earlier)
                )
            }
            Fix::RaiseSalary { vacancy, to, by } => {
                let v = p.vacancy_ix(vacancy);
                let d = v.map(|v| &p.destinations[p.vacancies[v].dest]);
                let money = |x: f64| d.map_or(words::money(x, None), |d| d.money(x));
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

    /// Whose data this fix changes: a trainee's, a vacancy's, or their
    /// pair's (both ids).
    pub fn subject(&self) -> (Option<&str>, Option<&str>) {
        match self {
            Fix::AcceptDestination { trainee, .. }
            | Fix::RaiseSkill { trainee, .. }
            | Fix::DocumentsBy { trainee, .. }
            | Fix::AvailableBy { trainee, .. } => (Some(trainee), None),
            Fix::RaiseSalary { vacancy, .. } => (None, Some(vacancy)),
            Fix::LiftForbid { trainee, vacancy } | Fix::SupplyPairScore { trainee, vacancy } => {
                (Some(trainee), Some(vacancy))
            }
        }
    }

    /// Whether this fix changes only trainee `t`, vacancy `v` and their
    /// pair (what a nearest miss puts back after trying it).
    pub fn apply_only_to(&self, p: &Problem, t: usize, v: usize) -> bool {
        let (trainee, vacancy) = self.subject();
        trainee.is_none_or(|id| id == p.trainees[t].id)
            && vacancy.is_none_or(|id| id == p.vacancies[v].id)
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
                    p.trainee_mut(t).accepts.push(d);
                }
            }
            Fix::RaiseSkill {
                trainee, skill, to, ..
            } => {
                if let (Some(t), Some(s)) = (
                    t_of(p, trainee),
                    p.skills.iter().position(|x| x.name == *skill),
                ) {
                    p.trainee_mut(t).levels[s] = *to;
                }
            }
            Fix::DocumentsBy { trainee, date, .. } => {
                if let Some(t) = t_of(p, trainee) {
                    p.trainee_mut(t).documents_ready = Some(*date);
                }
            }
            Fix::AvailableBy { trainee, date, .. } => {
                if let Some(t) = t_of(p, trainee) {
                    p.trainee_mut(t).available_from = *date;
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
