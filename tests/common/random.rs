//! Pieces of the random scenarios the property tests draw. Each takes the
//! test's generator and draws in a fixed order, so a seed keeps naming the
//! same scenario.

use palim::eligibility::Eligibility;
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

/// Destinations A, B and C: a minimum of 1–3 with probability `p_min`, a
/// maximum drawn from `max` half the time.
pub fn destinations(
    r: &mut ChaCha8Rng,
    p_min: f64,
    max: std::ops::RangeInclusive<u32>,
) -> serde_json::Map<String, Value> {
    let mut dests = serde_json::Map::new();
    for code in ["A", "B", "C"] {
        let mut d = json!({ "label": code });
        if r.gen_bool(p_min) {
            d["min"] = json!(r.gen_range(1..=3));
        }
        if r.gen_bool(0.5) {
            d["max"] = json!(r.gen_range(max.clone()));
        }
        dests.insert(code.into(), d);
    }
    dests
}

/// Trainees T00… accepting some of A, B, C (at least A), a woman with
/// probability `p_woman`, random skills and a ranking of up to four of the
/// `n_v` vacancies V00….
pub fn trainees(r: &mut ChaCha8Rng, n_t: usize, n_v: usize, p_woman: f64) -> Vec<Value> {
    (0..n_t)
        .map(|i| {
            let mut accepted: Vec<&str> = ["A", "B", "C"]
                .into_iter()
                .filter(|_| r.gen_bool(0.6))
                .collect();
            if accepted.is_empty() {
                accepted.push("A");
            }
            let mut ranking: Vec<String> = (0..n_v).map(|v| format!("V{v:02}")).collect();
            ranking.shuffle(r);
            ranking.truncate(r.gen_range(0..=4));
            json!({
                "id": format!("T{i:02}"), "gender": if r.gen_bool(p_woman) { "F" } else { "M" },
                "birth_date": "1994-05-01",
                "skills": { "java": r.gen_range(0..=4), "sql": r.gen_range(0..=4), "english": r.gen_range(0..=6) },
                "destinations": accepted, "available_from": "2020-04-01", "ranking": ranking
            })
        })
        .collect()
}

/// A continuous score for every trainee × vacancy, to be used alone: the
/// optimum is then unique (with probability one).
pub fn continuous_scores(s: &mut Value, r: &mut ChaCha8Rng, n_t: usize, n_v: usize) {
    let scores: Vec<Value> = (0..n_t)
        .flat_map(|t| (0..n_v).map(move |v| (t, v)))
        .map(|(t, v)| json!({ "trainee": format!("T{t:02}"), "vacancy": format!("V{v:02}"), "score": (r.gen_range(0.0..1.0f64) * 1e6).round() / 1e6 }))
        .collect();
    s["pair_scores"] = json!(scores);
    s["pair_scores_only"] = json!(true);
}

/// A lock on one eligible pair (validation rejects the others), if any.
pub fn lock_one(s: &mut Value, r: &mut ChaCha8Rng) {
    let p = super::problem(s);
    let e = Eligibility::build(&p);
    if let Some(pair) = e.pairs.choose(r) {
        s["locks"] =
            json!([{ "trainee": p.trainees[pair.t].id, "vacancy": p.vacancies[pair.v].id }]);
    }
}

/// Vacancy `V{i}` of employer `E{employer}` in `dest`: 1 to `positions`
/// positions, Java 0 to `java` required, Java and SQL valued in half steps.
pub fn vacancy(
    r: &mut ChaCha8Rng,
    i: usize,
    employer: impl std::fmt::Display,
    dest: &str,
    positions: i32,
    java: i32,
) -> Value {
    json!({
        "id": format!("V{i:02}"), "employer": format!("E{employer}"), "destination": dest,
        "positions": r.gen_range(1..=positions), "requires": { "java": r.gen_range(0..=java) },
        "values": { "java": r.gen_range(0..=4) as f64 * 0.5, "sql": r.gen_range(0..=4) as f64 * 0.5, "english": 0.5 }
    })
}
