//! Blocking pairs of a match set, when both sides rank, against a count made
//! straight from the definition on small random scenarios.

mod common;

use std::collections::{BTreeSet, HashMap};

use palim::analysis;
use palim::eligibility::Eligibility;
use palim::solve::optimize::SolveOptions;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

fn random_scenario(seed: u64) -> Value {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    let (n_t, n_v) = (r.gen_range(2..=7), r.gen_range(2..=5));
    let trainees = common::random::trainees(&mut r, n_t, n_v, 0.4);
    let vacancies: Vec<Value> = (0..n_v)
        .map(|v| {
            let mut vac = common::random::vacancy(&mut r, v, v % 3, "A", 2, 2);
            let mut ranking: Vec<String> = (0..n_t).map(|t| format!("T{t:02}")).collect();
            ranking.shuffle(&mut r);
            ranking.truncate(r.gen_range(0..=3));
            vac["ranking"] = json!(ranking);
            vac
        })
        .collect();
    json!({
        "format": "palim/1", "name": format!("stability {seed}"), "model": "junior-java-developer",
        "destinations": { "A": { "label": "A" }, "B": { "label": "B" }, "C": { "label": "C" } },
        "max_per_employer": r.gen_range(1..=3),
        "trainees": trainees, "vacancies": vacancies,
    })
}

/// Higher is better: ranked partners by rank (1 best), then unranked
/// eligible ones, then nobody.
fn want(ranking: &[String], partner: Option<&str>) -> (u8, i64) {
    match partner {
        None => (0, 0),
        Some(x) => match ranking.iter().position(|r| r == x) {
            Some(k) => (2, -(k as i64)),
            None => (1, 0),
        },
    }
}

#[test]
fn blocking_pairs_are_exactly_those_of_the_definition() {
    let mut blocking_seen = 0;
    let mut checked = 0;
    for seed in 0..300 {
        let s = random_scenario(seed);
        let p = common::problem(&s);
        let set = analysis::solve(&p, &SolveOptions::default()).unwrap();
        let both_rank = s["trainees"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| !t["ranking"].as_array().unwrap().is_empty())
            && s["vacancies"]
                .as_array()
                .unwrap()
                .iter()
                .any(|v| !v["ranking"].as_array().unwrap().is_empty());
        let Some(reported) = &set.blocking_pairs else {
            assert!(
                !both_rank,
                "seed {seed}: both sides rank, and no blocking pairs reported"
            );
            continue;
        };
        assert!(both_rank, "seed {seed}");
        checked += 1;
        let rank_of = |list: &str, id: &str| -> Vec<String> {
            s[list]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["id"] == id)
                .map(|x| {
                    x["ranking"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|r| r.as_str().unwrap().to_string())
                        .collect()
                })
                .unwrap()
        };
        let at: HashMap<&str, &str> = set
            .matches
            .iter()
            .map(|m| (m.trainee.as_str(), m.vacancy.as_str()))
            .collect();
        let e = Eligibility::build(&p);
        let mut expected = BTreeSet::new();
        for pair in &e.pairs {
            let (t, v) = (&p.trainees[pair.t].id, &p.vacancies[pair.v].id);
            if at.get(t.as_str()) == Some(&v.as_str()) {
                continue;
            }
            let t_rank = rank_of("trainees", t);
            if want(&t_rank, Some(v)) <= want(&t_rank, at.get(t.as_str()).copied()) {
                continue;
            }
            let holders: Vec<&str> = at
                .iter()
                .filter(|(_, &w)| w == v)
                .map(|(&h, _)| h)
                .collect();
            let v_rank = rank_of("vacancies", v);
            let open = (holders.len() as u32) < p.vacancies[pair.v].positions;
            if open
                || holders
                    .iter()
                    .any(|h| want(&v_rank, Some(t)) > want(&v_rank, Some(h)))
            {
                expected.insert((t.clone(), v.clone()));
            }
        }
        let got: BTreeSet<(String, String)> = reported
            .iter()
            .map(|b| (b.trainee.clone(), b.vacancy.clone()))
            .collect();
        assert_eq!(got, expected, "seed {seed}");
        blocking_seen += got.len();
        for b in reported {
            assert!(
                b.why.contains(&b.trainee) && b.why.contains(&b.vacancy),
                "{}",
                b.why
            );
        }
    }
    assert!(checked >= 200, "{checked} match sets checked");
    assert!(blocking_seen >= 50, "{blocking_seen} blocking pairs found");
}
