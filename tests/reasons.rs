//! The reasons of a trainee eligible nowhere, counted from the vacancy index,
//! are exactly those of testing every rule at every vacancy (same counts, same
//! vacancies listed, same messages), and those of a vacancy nobody is eligible
//! for, counted from the trainee index, are those of testing every rule for
//! every trainee: on random scenarios rich in the cases the indexes count
//! differently (permits without documents, runs of blackouts,
//! birthdays between two start days, floors by age, missing salaries, forbids,
//! pair scores only).

mod common;

use palim::analysis::match_set::nobody;
use palim::analysis::match_set::nowhere::{by_scan, VacancyIndex};
use proptest::prelude::*;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

fn day(r: &mut ChaCha8Rng, from: &str, span: i64) -> String {
    (from.parse::<chrono::NaiveDate>().unwrap() + chrono::Duration::days(r.gen_range(0..=span)))
        .to_string()
}

/// Up to 4 blackouts in Q2 2020, often touching or overlapping.
fn blackouts(r: &mut ChaCha8Rng) -> Value {
    let list: Vec<Value> = (0..r.gen_range(0..=4))
        .map(|_| {
            let from = day(r, "2020-04-01", 80);
            let length = r.gen_range(0..=12);
            let to = (from.parse::<chrono::NaiveDate>().unwrap() + chrono::Duration::days(length))
                .to_string();
            json!({ "from": from, "to": to })
        })
        .collect();
    json!(list)
}

fn random_scenario(seed: u64) -> Value {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    let destinations = json!({
        "A": {
            "label": "Aland", "permit_days": *[0, 30, 90].choose(&mut r).unwrap(), "currency": "EUR",
            "salary_floor": [ { "under_age": 26, "annual": 30000 }, { "under_age": 30, "annual": 34000 }, { "annual": 40000 } ],
            "start_window": { "earliest": "2020-04-01", "latest": "2020-07-31" },
            "blackouts": blackouts(&mut r)
        },
        "B": { "label": "Bland", "blackouts": blackouts(&mut r) },
        "C": {
            "label": "Cland", "permit_days": 45,
            "salary_floor": [ { "under_age": 28, "annual": 20000 } ],
            "blackouts": blackouts(&mut r)
        }
    });
    let n_t = r.gen_range(1..=40);
    let n_v = r.gen_range(0..=70);
    let trainees: Vec<Value> = (0..n_t)
        .map(|i| {
            let mut accepts: Vec<&str> = vec!["A", "B", "C"]
                .into_iter()
                .filter(|_| r.gen_bool(0.5))
                .collect();
            accepts.shuffle(&mut r);
            let mut t = json!({
                "id": format!("T{i}"),
                "skills": { "java": r.gen_range(0..=4), "sql": r.gen_range(0..=4), "english": r.gen_range(0..=6) },
                "destinations": accepts,
                "available_from": day(&mut r, "2020-03-01", 150),
            });
            if r.gen_bool(0.8) {
                // Birthdays in the spring of 2020 for ages 25 to 30.
                t["birth_date"] = json!(day(&mut r, "1990-01-01", 365 * 5));
            }
            if r.gen_bool(0.8) {
                t["documents_ready"] = json!(day(&mut r, "2019-12-01", 150));
            }
            t
        })
        .collect();
    let vacancies: Vec<Value> = (0..n_v)
        .map(|i| {
            let dest = *["A", "B", "C"].choose(&mut r).unwrap();
            let mut v = json!({
                "id": format!("V{i:02}"),
                "destination": dest,
                "positions": 1,
                "requires": { "java": r.gen_range(0..=3), "english": r.gen_range(0..=4) },
                "values": { "java": 1.0 },
            });
            if r.gen_bool(0.8) {
                v["salary"] = json!(r.gen_range(15..=45) * 1000);
            }
            if r.gen_bool(0.7) {
                let earliest = day(&mut r, "2020-04-01", 100);
                let mut w = json!({ "latest": day(&mut r, &earliest, 40) });
                if r.gen_bool(0.7) {
                    w["earliest"] = json!(earliest);
                }
                v["start_window"] = w;
            }
            v
        })
        .collect();
    let mut s = common::with(
        json!({ "format": "palim/1", "name": format!("reasons {seed}"), "model": "junior-java-developer", "destinations": destinations }),
        trainees,
        vacancies,
    );
    if n_v > 0 && r.gen_bool(0.4) {
        let forbids: Vec<Value> = (0..r.gen_range(1..=25))
            .map(|_| json!({ "trainee": format!("T{}", r.gen_range(0..n_t)), "vacancy": format!("V{:02}", r.gen_range(0..n_v)) }))
            .collect();
        let mut seen = std::collections::HashSet::new();
        s["forbids"] = json!(forbids
            .into_iter()
            .filter(|f| seen.insert(f.to_string()))
            .collect::<Vec<_>>());
    }
    if n_v > 0 && r.gen_bool(0.3) {
        let scores: Vec<Value> = (0..n_t)
            .flat_map(|t| (0..n_v).map(move |v| (t, v)))
            .filter(|_| r.gen_bool(0.2))
            .map(|(t, v)| json!({ "trainee": format!("T{t}"), "vacancy": format!("V{v:02}"), "score": 0.5 }))
            .collect();
        s["pair_scores"] = json!(scores);
        s["pair_scores_only"] = json!(true);
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_index_summarises_every_trainee_as_testing_every_vacancy_does(seed in any::<u64>()) {
        let p = common::problem(&random_scenario(seed));
        // 0: every listing by scan; 3: some each way; the default: all from the index.
        for limit in [0, 3, palim::analysis::match_set::nowhere::ENUMERATE_UP_TO] {
            let index = VacancyIndex::with_enumeration_limit(&p, limit)
                .expect("a validated scenario can be indexed");
            for t in 0..p.trainees.len() {
                prop_assert_eq!(index.failures(&p, t), by_scan(&p, t), "trainee {} with limit {}", &p.trainees[t].id, limit);
            }
        }
    }

    #[test]
    fn the_index_summarises_every_vacancy_as_testing_every_trainee_does(seed in any::<u64>()) {
        let p = common::problem(&random_scenario(seed));
        let all: Vec<usize> = (0..p.vacancies.len()).collect();
        for limit in [0, 3, palim::analysis::match_set::nowhere::ENUMERATE_UP_TO] {
            let excluded = nobody::excluded_with_enumeration_limit(&p, &all, limit)
                .expect("a validated scenario can be indexed");
            for (v, got) in excluded.into_iter().enumerate() {
                prop_assert_eq!(got, nobody::by_scan(&p, v), "vacancy {} with limit {}", &p.vacancies[v].id, limit);
            }
        }
    }
}

/// A scenario where the rules fail on many vacancies, with the same message or
/// not: the summary says "at N vacancies" only when the messages differ.
#[test]
fn a_permit_without_documents_is_one_message_for_every_vacancy_of_the_destination() {
    let mut t = common::trainee("T1");
    t["documents_ready"] = Value::Null;
    t["destinations"] = json!(["BE"]);
    let vacancies: Vec<Value> = (0..30)
        .map(|i| common::vacancy(&format!("BE-{i:02}"), "BE"))
        .collect();
    let p = common::problem(&common::with(
        common::two_destinations(),
        vec![t],
        vacancies,
    ));
    let index = VacancyIndex::build(&p).unwrap();
    let failures = index.failures(&p, 0);
    assert_eq!(failures, by_scan(&p, 0));
    let window = failures
        .iter()
        .find(|f| f.code.as_str() == "start_window_missed")
        .unwrap();
    assert_eq!(window.count, 30);
    assert_eq!(
        window.listed.len(),
        palim::documents::match_set::VACANCIES_LISTED
    );
    assert!(window.all_same, "{window:?}");
    assert_eq!(
        window.message,
        "Flanders, Belgium needs a permit (100 days from complete documents) and T1's documents have no date yet"
    );
}

/// T1 is ready on 2 May, inside a blackout, turns 30 on 5 May and so starts,
/// on 11 May, under the general floor: the trainee index must judge the floor
/// on the day after the blackout, not on the day T1 is ready.
#[test]
fn a_trainee_ready_in_a_blackout_faces_the_floor_of_the_day_after_it() {
    let mut s = common::two_destinations();
    s["destinations"]["BE"]["blackouts"] = json!([{ "from": "2020-05-01", "to": "2020-05-10" }]);
    let mut t = common::trainee("T1");
    t["birth_date"] = json!("1990-05-05");
    t["documents_ready"] = json!("2020-01-23"); // + 100 days = 2 May
    let v = common::vacancy("BE-01", "BE"); // pays 36,000: above the under-30 floor only
    let p = common::problem(&common::with(s, vec![t], vec![v]));
    let got = nobody::excluded(&p, &[0]).unwrap().remove(0);
    assert_eq!(got, nobody::by_scan(&p, 0));
    let salary = got
        .iter()
        .find(|x| x.code.as_str() == "salary_below_floor")
        .expect("T1 is below the floor");
    assert_eq!(salary.count, 1);
    assert!(salary.message.contains("for age 30"), "{}", salary.message);
}
