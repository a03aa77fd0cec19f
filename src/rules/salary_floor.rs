//! The salary meets the floor for the trainee's age on the start date; the
//! floors themselves (rows by age, read in order).

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Detail, Fix, PairContext, PairRule, ReasonCode};
use crate::model::problem::{age_on, Dest, FloorRow, Problem, TraineeIx, VacancyIx};
use crate::words;

/// The first floor row that applies at `age` (the general row when the age is
/// unknown): rows are read in order, as the scenario lists them.
pub fn floor_row(dest: &Dest, age: Option<i32>) -> Option<&FloorRow> {
    dest.floors.iter().find(|row| match (row.under_age, age) {
        (None, _) => true,
        (Some(u), Some(a)) => a < u as i32,
        (Some(_), None) => false,
    })
}

/// The salary floor that applies to trainee `t` at vacancy `v` on `day`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AppliedFloor {
    pub annual: f64,
    /// The trainee's age on the start date, when the birth date is known.
    pub age: Option<i32>,
    /// The row's `under_age`, when the row has one.
    pub under_age: Option<u32>,
}

pub fn salary_floor(
    p: &Problem,
    t: TraineeIx,
    v: VacancyIx,
    day: NaiveDate,
) -> Option<AppliedFloor> {
    let age = p.trainees[t].birth_date.map(|b| age_on(b, day));
    floor_row(&p.destinations[p.vacancies[v].dest], age).map(|row| AppliedFloor {
        annual: row.annual,
        age,
        under_age: row.under_age,
    })
}

pub struct SalaryFloor;
impl PairRule for SalaryFloor {
    fn code(&self) -> ReasonCode {
        ReasonCode::SalaryBelowFloor
    }
    fn summary(&self) -> &'static str {
        "the salary meets the floor for the trainee's age on the start date"
    }
    fn excludes(&self) -> &'static str {
        "trainees would be paid below the salary floor for their age"
    }
    fn for_employer(&self, n: &str) -> String {
        format!("for {n}candidates the salary is below the legal floor")
    }
    fn fails(&self, cx: &PairContext) -> bool {
        let Some(floor) = cx
            .floor_day()
            .and_then(|day| salary_floor(cx.p, cx.t, cx.v, day))
        else {
            return false;
        };
        !cx.p.vacancies[cx.v]
            .salary
            .is_some_and(|s| s >= floor.annual)
    }
    fn detail(&self, cx: &PairContext) -> Option<Detail> {
        let day = cx.floor_day()?;
        let floor = salary_floor(cx.p, cx.t, cx.v, day)?;
        let salary = cx.p.vacancies[cx.v].salary;
        if salary.is_some_and(|s| s >= floor.annual) {
            return None;
        }
        Some(Detail::Salary {
            salary,
            floor: floor.annual,
            shortfall: floor.annual - salary.unwrap_or(0.0),
            age: floor.age,
            on: day,
        })
    }
    fn message(&self, cx: &PairContext, found: &Detail) -> String {
        let &Detail::Salary {
            salary,
            floor,
            shortfall,
            age,
            on: day,
        } = found
        else {
            return String::new();
        };
        // The floor's row once more, for the age it names: facts keep the
        // amount, not the row.
        let under_age = salary_floor(cx.p, cx.t, cx.v, day).and_then(|f| f.under_age);
        let for_whom = match (age, under_age) {
            (Some(a), Some(u)) => format!("for age {a} (under {u}) on {day}"),
            (Some(a), None) => format!("for age {a} on {day}"),
            (None, _) => format!("(no birth date, so the general floor) on {day}"),
        };
        let dest = &cx.p.destinations[cx.p.vacancies[cx.v].dest];
        match salary {
            Some(s) => format!(
                "{} pays {}, {} below the floor of {} {for_whom}",
                cx.vid(),
                dest.money(s),
                words::money(shortfall, None),
                dest.money(floor)
            ),
            None => format!(
                "{} states no salary, and the floor of {} applies {for_whom}",
                cx.vid(),
                dest.money(floor)
            ),
        }
    }
    fn fixes(&self, cx: &PairContext, found: &Detail) -> Vec<Fix> {
        let Detail::Salary { salary, floor, .. } = found else {
            return Vec::new();
        };
        vec![Fix::RaiseSalary {
            vacancy: cx.vid().to_string(),
            to: *floor,
            by: floor - salary.unwrap_or(0.0),
        }]
    }
    /// Without the candidate's age: the employer learns only that a floor applies.
    fn employer_message(&self, cx: &PairContext, found: &Detail) -> Option<String> {
        let Detail::Salary { salary, floor, .. } = found else {
            return None;
        };
        let vac = &cx.p.vacancies[cx.v];
        let dest = &cx.p.destinations[vac.dest];
        Some(format!(
            "your salary ({}) is {} below the legal floor that applies to this candidate on the start date",
            vac.salary.map_or("none".into(), |s| dest.money(s)),
            dest.money(*floor - salary.unwrap_or(0.0))
        ))
    }
}
