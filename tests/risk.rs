//! Permit-delay risk: seeded Monte Carlo that agrees with the closed form on a
//! one-pair case, reproduces with its seed, and `--min-on-time` really keeps
//! only pairs that safe.

mod common;

use common::*;
use palim::analysis::risk;
use palim::SolveOptions;
use serde_json::json;

/// One trainee, one Flemish vacancy: documents on 1 March, window until 30 June
/// (121 days later), permit lead time triangular(60, 100, 150).
fn one_pair() -> palim::model::problem::Problem {
    let mut s = two_destinations();
    s["destinations"]["BE"]["permit_days_distribution"] =
        json!({ "triangular": { "min": 60, "mode": 100, "max": 150 } });
    s["destinations"]["BE"]["salary_floor"] = json!([]);
    let mut t = trainee("T1");
    t["documents_ready"] = json!("2020-03-01");
    problem(&with(s, vec![t], vec![vacancy("BE-01", "BE")]))
}

#[test]
fn monte_carlo_agrees_with_the_closed_form_on_one_pair() {
    let p = one_pair();
    let r = risk::pair_risks(&p, &[(0, 0)], 20_000, 7, 0.9, None).unwrap();
    // On time when the rounded lead time is at most 121 days: P(D < 121.5).
    let (a, c, b) = (60.0_f64, 100.0_f64, 150.0_f64);
    let x = 121.5_f64;
    let exact = 1.0 - (b - x).powi(2) / ((b - a) * (b - c));
    assert!(
        (r[0].on_time - exact).abs() < 0.015,
        "simulated {} vs exact {exact}",
        r[0].on_time
    );
    // The safe date: the 90% quantile of the lead time before 30 June.
    let q90 = b - ((1.0 - 0.9) * (b - a) * (b - c)).sqrt();
    let by = r[0].documents_by.unwrap();
    let days_before = ("2020-06-30".parse::<chrono::NaiveDate>().unwrap() - by).num_days() as f64;
    assert!((days_before - q90).abs() <= 2.0, "{days_before} vs {q90}");
}

#[test]
fn the_same_seed_gives_the_same_numbers() {
    let p = one_pair();
    let a = risk::pair_risks(&p, &[(0, 0)], 500, 42, 0.9, None).unwrap();
    let b = risk::pair_risks(&p, &[(0, 0)], 500, 42, 0.9, None).unwrap();
    assert_eq!(a, b);
}

#[test]
fn min_on_time_solves_with_safe_pairs_only() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/palim-2020/baseline.json");
    let mut s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    s["destinations"]["BE"]["permit_days_distribution"] =
        json!({ "triangular": { "min": 70, "mode": 100, "max": 160 } });
    let p = problem(&s);
    let free = palim::solve(&p, &SolveOptions::default()).unwrap();
    let mut safe = p.clone();
    let forbidden = risk::forbid_risky(&mut safe, 400, 1, 0.9, None).unwrap();
    assert!(forbidden > 0);
    let careful = palim::solve(&safe, &SolveOptions::default()).unwrap();
    assert!(careful.destinations["BE"].placed < free.destinations["BE"].placed);
    let report = risk::report(&p, &careful, 400, 1, 0.9, None).unwrap();
    for m in &report.matches {
        assert!(
            m.on_time >= 0.9,
            "{} at {} is only {} safe",
            m.trainee,
            m.vacancy,
            m.on_time
        );
    }
    let all = risk::report(&p, &free, 400, 1, 0.9, None).unwrap();
    assert!(all.expected_on_time < all.placements as f64);
}

#[test]
fn a_bad_distribution_is_an_input_error() {
    let mut s = two_destinations();
    s["destinations"]["BE"]["permit_days_distribution"] =
        json!({ "triangular": { "min": 100, "mode": 60, "max": 150 } });
    let issues = issues(&with(s, vec![trainee("T1")], vec![vacancy("BE-01", "BE")]));
    assert_eq!(
        only(&issues, "bad_distribution").path,
        "destinations.BE.permit_days_distribution"
    );
}
