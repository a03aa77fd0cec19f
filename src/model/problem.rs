//! The validated, indexed form of a scenario that every later step works on.
//!
//! A [`Problem`] can only be made by [`crate::input::validate`], so code downstream never
//! re-checks ids, dates or scales: a vacancy's destination is an index that
//! exists, a window's latest day is not before its earliest, every skill level is
//! on its scale. Ids stay available for output; indices are what the algorithms
//! use.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use crate::model::competency::{CompetencyModel, Scale};
pub use crate::model::scenario::InterviewOutcome;
use crate::model::scenario::{Priority, Weights};

pub type TraineeIx = usize;
pub type VacancyIx = usize;
pub type DestIx = usize;
pub type SkillIx = usize;
pub type EmployerIx = usize;

#[derive(Debug, Clone, PartialEq)]
pub struct SkillInfo {
    pub name: String,
    pub label: String,
    pub scale: Scale,
}

impl SkillInfo {
    /// `"Spring level 2"`, `"English B2 (4)"`.
    pub fn level_text(&self, level: f64) -> String {
        if self.scale.is_cefr() {
            format!("{} {}", self.name, self.scale.describe(level))
        } else {
            format!("{} level {}", self.name, crate::words::num(level))
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FloorRow {
    pub under_age: Option<u32>,
    pub annual: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BlackoutPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub why: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dest {
    pub code: String,
    pub label: String,
    pub min: u32,
    pub max: Option<u32>,
    pub permit_days: u32,
    pub permit_distribution: Option<crate::model::scenario::PermitDistribution>,
    pub floors: Vec<FloorRow>,
    pub earliest: Option<NaiveDate>,
    pub latest: Option<NaiveDate>,
    /// Sorted by `from`.
    pub blackouts: Vec<BlackoutPeriod>,
    pub currency: Option<String>,
}

impl Dest {
    pub fn money(&self, amount: f64) -> String {
        crate::words::money(amount, self.currency.as_deref())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TraineeData {
    pub id: String,
    pub gender: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub region: Option<String>,
    /// Level per skill index; unlisted skills are 0.
    pub levels: Vec<f64>,
    /// Accepted destinations, by index.
    pub accepts: Vec<DestIx>,
    pub available_from: NaiveDate,
    pub documents_ready: Option<NaiveDate>,
    /// Vacancies in the trainee's order of preference.
    pub ranking: Vec<VacancyIx>,
    pub attributes: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VacancyData {
    pub id: String,
    pub employer: EmployerIx,
    pub title: Option<String>,
    pub dest: DestIx,
    pub region: Option<String>,
    pub positions: u32,
    pub requires: Vec<(SkillIx, f64)>,
    pub values: Vec<(SkillIx, f64)>,
    /// The effective window: the destination's, narrowed by the vacancy's own.
    pub earliest: Option<NaiveDate>,
    pub latest: Option<NaiveDate>,
    pub salary: Option<f64>,
    /// Trainees in the employer's order of preference.
    pub ranking: Vec<TraineeIx>,
}

#[derive(Debug, Clone)]
pub struct Share {
    pub dest: Option<DestIx>,
    pub attribute: String,
    pub value: serde_json::Value,
    pub min_share: f64,
    pub max_share: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Override {
    pub trainee: TraineeIx,
    pub vacancy: VacancyIx,
    pub why: Option<String>,
}

/// An interview on record (the scenario's `interviews`).
#[derive(Debug, Clone)]
pub struct InterviewData {
    pub trainee: TraineeIx,
    pub vacancy: VacancyIx,
    pub outcome: InterviewOutcome,
    pub date: Option<NaiveDate>,
    pub note: Option<String>,
}

/// A scenario that passed validation.
#[derive(Debug, Clone)]
pub struct Problem {
    pub name: String,
    pub model: CompetencyModel,
    pub skills: Vec<SkillInfo>,
    pub destinations: Vec<Dest>,
    /// Shared by every copy until one is changed ([`Problem::trainee_mut`]),
    /// and then only that trainee is copied: a what-if copies the problem,
    /// and a nearest miss changes one trainee, where copying everyone's data
    /// was 7% of the generator's 1,000 × 400 `solve --explain`.
    pub trainees: Arc<Vec<Arc<TraineeData>>>,
    pub vacancies: Vec<VacancyData>,
    /// Display names; a vacancy without employer is its own (named after its id).
    pub employers: Vec<String>,
    pub shares: Vec<Share>,
    pub max_per_employer: Option<u32>,
    /// The cap of each employer: `max_per_employer`, unless a what-if changed one.
    pub employer_caps: Vec<Option<u32>>,
    pub locks: Vec<Override>,
    pub forbids: HashMap<(TraineeIx, VacancyIx), Option<String>>,
    /// Every interview on record. Acceptances are in `locks` too, and
    /// rejections and refusals in `forbids`, with the outcome as the reason.
    pub interviews: Vec<InterviewData>,
    pub priorities: Vec<Priority>,
    pub weights: Weights,
    pub pair_scores: HashMap<(TraineeIx, VacancyIx), f64>,
    pub pair_scores_only: bool,
    /// Rank (1-based) of each vacancy in each trainee's ranking. Shared by
    /// every copy (a what-if copies the problem; nothing changes a rank).
    pub trainee_rank: Arc<Vec<HashMap<VacancyIx, usize>>>,
    /// Rank (1-based) of each trainee in each vacancy's ranking (shared).
    pub vacancy_rank: Arc<Vec<HashMap<TraineeIx, usize>>>,
    /// SHA-256 of the input bytes, hex.
    pub input_sha256: String,
    /// Ids to indices, shared by every copy (what-ifs change data and rules,
    /// never who is in the scenario).
    pub(crate) ids: Arc<Ids>,
}

/// Trainee and vacancy ids to their indices. What-ifs, fixes and match sets
/// name people by id; at national size a scan per lookup was most of the
/// time a report took.
#[derive(Debug, Default)]
pub(crate) struct Ids {
    trainees: HashMap<String, TraineeIx>,
    vacancies: HashMap<String, VacancyIx>,
}

impl Ids {
    /// The first of each id (validation refuses a repeated one).
    pub(crate) fn of(trainees: &[Arc<TraineeData>], vacancies: &[VacancyData]) -> Arc<Ids> {
        let mut ids = Ids::default();
        for (t, tr) in trainees.iter().enumerate() {
            ids.trainees.entry(tr.id.clone()).or_insert(t);
        }
        for (v, vac) in vacancies.iter().enumerate() {
            ids.vacancies.entry(vac.id.clone()).or_insert(v);
        }
        Arc::new(ids)
    }
}

/// How much one side wants a partner, the order stability is judged by:
/// ranked partners by rank, then every unranked eligible one (tied with each
/// other), then nobody (being unmatched, or an open position). Higher is
/// better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Want {
    Nobody,
    Unranked,
    /// `Ranked(Reverse(rank))`: rank 1 is the most wanted.
    Ranked(std::cmp::Reverse<usize>),
}

impl Want {
    fn of(ranks: &HashMap<usize, usize>, partner: Option<usize>) -> Want {
        match partner {
            None => Want::Nobody,
            Some(x) => ranks
                .get(&x)
                .map_or(Want::Unranked, |&r| Want::Ranked(std::cmp::Reverse(r))),
        }
    }
}

impl Problem {
    /// How much trainee `t` wants vacancy `v` (or being unmatched).
    pub fn trainee_wants(&self, t: TraineeIx, v: Option<VacancyIx>) -> Want {
        Want::of(&self.trainee_rank[t], v)
    }

    /// How much vacancy `v` wants trainee `t` (or an open position).
    pub fn vacancy_wants(&self, v: VacancyIx, t: Option<TraineeIx>) -> Want {
        Want::of(&self.vacancy_rank[v], t)
    }

    pub fn trainee_ix(&self, id: &str) -> Option<TraineeIx> {
        let t = self.ids.trainees.get(id).copied();
        debug_assert_eq!(t, self.trainees.iter().position(|x| x.id == id));
        t
    }
    pub fn vacancy_ix(&self, id: &str) -> Option<VacancyIx> {
        let v = self.ids.vacancies.get(id).copied();
        debug_assert_eq!(v, self.vacancies.iter().position(|x| x.id == id));
        v
    }

    /// The value of a group attribute for a trainee: `gender`, `region`, or a key
    /// of `attributes`.
    pub fn attribute(&self, t: TraineeIx, name: &str) -> Option<serde_json::Value> {
        let tr = &self.trainees[t];
        match name {
            "gender" => tr.gender.clone().map(serde_json::Value::String),
            "region" => tr.region.clone().map(serde_json::Value::String),
            _ => tr.attributes.get(name).cloned(),
        }
    }

    /// Trainee `t`'s data to change, copied out of what other copies of the
    /// problem share (that trainee alone).
    pub fn trainee_mut(&mut self, t: TraineeIx) -> &mut TraineeData {
        Arc::make_mut(&mut Arc::make_mut(&mut self.trainees)[t])
    }

    /// [`Problem::attribute`] compared in place: the hard rules' rows ask it
    /// of every trainee for every share, on every what-if, and copying each
    /// value out to compare it was 8% of the generator's 1,000 × 400
    /// `solve --explain`.
    pub fn in_group(&self, t: TraineeIx, share: &Share) -> bool {
        let tr = &self.trainees[t];
        let text = |field: &Option<String>| {
            field
                .as_deref()
                .is_some_and(|s| share.value.as_str() == Some(s))
        };
        match share.attribute.as_str() {
            "gender" => text(&tr.gender),
            "region" => text(&tr.region),
            name => tr.attributes.get(name) == Some(&share.value),
        }
    }

    /// Whether a share rule counts a placement at this vacancy.
    pub fn share_scope(&self, share: &Share, v: VacancyIx) -> bool {
        share.dest.is_none_or(|d| d == self.vacancies[v].dest)
    }

    /// The group a share rule counts: `"women"`, `"trainees with cohort = A"`.
    pub fn share_group(&self, share: &Share) -> String {
        match (&share.attribute[..], share.value.as_str()) {
            ("gender", Some("F")) => "women".to_string(),
            ("gender", Some("M")) => "men".to_string(),
            (attr, Some(s)) => format!("trainees with {attr} = {s}"),
            (attr, None) => format!("trainees with {attr} = {}", share.value),
        }
    }

    /// The placements a share rule is about: `"placements in Flanders, Belgium"`.
    pub fn share_scope_label(&self, share: &Share) -> String {
        match share.dest {
            Some(d) => format!("placements in {}", self.destinations[d].label),
            None => "all placements".to_string(),
        }
    }

    /// `"women among placements in Flanders, Belgium"`.
    pub fn share_label(&self, share: &Share) -> String {
        format!(
            "{} among {}",
            self.share_group(share),
            self.share_scope_label(share)
        )
    }

    /// Each destination's vacancies, in the scenario's order.
    pub fn vacancies_by_destination(&self) -> Vec<Vec<VacancyIx>> {
        let mut of_dest = vec![Vec::new(); self.destinations.len()];
        for (v, vac) in self.vacancies.iter().enumerate() {
            of_dest[vac.dest].push(v);
        }
        of_dest
    }

    pub fn is_forbidden(&self, t: TraineeIx, v: VacancyIx) -> bool {
        self.forbids.contains_key(&(t, v))
    }
}

/// Completed years of age on `day`. Someone born on 29 February becomes a year
/// older on 1 March in common years (the day after 28 February).
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> i32 {
    let had_birthday = (day.month(), day.day()) >= (birth.month(), birth.day());
    day.year() - birth.year() - if had_birthday { 0 } else { 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn age_changes_on_the_birthday_itself() {
        assert_eq!(age_on(d("1990-05-04"), d("2020-05-03")), 29);
        assert_eq!(age_on(d("1990-05-04"), d("2020-05-04")), 30);
    }

    #[test]
    fn leap_day_birthdays_count_from_first_of_march() {
        assert_eq!(age_on(d("1992-02-29"), d("2021-02-28")), 28);
        assert_eq!(age_on(d("1992-02-29"), d("2021-03-01")), 29);
        assert_eq!(age_on(d("1992-02-29"), d("2020-02-29")), 28);
    }
}
