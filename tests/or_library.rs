//! The public OR-Library assignment instance solves to its published optimum.
//!
//! `assign100` (J. E. Beasley) is a 100 × 100 cost matrix with a published
//! minimum total cost of 305. As a palim scenario every pair is allowed with a
//! supplied score of `top - cost`, so the best total score is `100 * top - 305`.

use std::path::Path;

use palim::input::validate::{load_str, LoadOptions};
use palim::SolveOptions;
use serde_json::json;

#[test]
fn assign100_reaches_its_published_optimum_of_305() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/or-library/assign100.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (shared/ must sit beside the checkout)",
            path.display()
        )
    });
    let numbers: Vec<i64> = text
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    let n = numbers[0] as usize;
    let costs = &numbers[1..];
    assert_eq!(costs.len(), n * n);
    let top = *costs.iter().max().unwrap();

    let trainees: Vec<_> = (0..n).map(|i| json!({ "id": format!("A{i:03}"), "destinations": ["X"], "available_from": "2020-04-01" })).collect();
    let vacancies: Vec<_> = (0..n).map(|j| json!({ "id": format!("J{j:03}"), "employer": format!("E{j:03}"), "destination": "X" })).collect();
    let scores: Vec<_> = (0..n * n)
        .map(|k| json!({ "trainee": format!("A{:03}", k / n), "vacancy": format!("J{:03}", k % n), "score": top - costs[k] }))
        .collect();
    let scenario = json!({
        "format": "palim/1", "name": "OR-Library assign100",
        "model": "junior-java-developer",
        "destinations": { "X": { "label": "assignment" } },
        "objective": { "weights": { "fit": 1, "trainee_preference": 0, "employer_preference": 0 } },
        "pair_scores": scores, "pair_scores_only": true,
        "trainees": trainees, "vacancies": vacancies
    });
    let p = load_str(&scenario.to_string(), "assign100", &LoadOptions::default()).unwrap();
    let m = palim::solve(&p, &SolveOptions::default()).unwrap();
    assert_eq!(m.objective.placements, n);
    let cost = (n as i64 * top) as f64 - m.objective.score;
    assert!(
        (cost - 305.0).abs() < 1e-6,
        "total cost {cost}, published optimum 305"
    );
}
