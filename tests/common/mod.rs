//! Small named fixtures shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use palim::input::validate::{load_str, LoadOptions};
use palim::model::problem::Problem;
use palim::InputIssue;
use serde_json::{json, Value};

pub mod random;

/// Flanders with the 2020 rules (100-day permit, age-dependent floor, Q2 window)
/// and Morocco without permit or floor; no trainees or vacancies yet.
pub fn two_destinations() -> Value {
    json!({
        "format": "palim/1",
        "name": "fixture",
        "model": "junior-java-developer",
        "destinations": {
            "BE": {
                "label": "Flanders, Belgium", "max": 30, "permit_days": 100, "currency": "EUR",
                "salary_floor": [ { "under_age": 30, "annual": 34156.80 }, { "annual": 42696 } ],
                "start_window": { "earliest": "2020-04-01", "latest": "2020-06-30" }
            },
            "MA": { "label": "Morocco", "max": 90, "currency": "MAD" }
        },
        "trainees": [],
        "vacancies": []
    })
}

/// A trainee who accepts both destinations, strong enough for any fixture vacancy.
pub fn trainee(id: &str) -> Value {
    json!({
        "id": id, "gender": "M", "birth_date": "1995-06-02", "region": "Fès-Meknès",
        "skills": { "java": 3, "sql": 2, "english": 4 },
        "destinations": ["BE", "MA"],
        "available_from": "2020-04-01",
        "documents_ready": "2020-01-02"
    })
}

pub fn vacancy(id: &str, dest: &str) -> Value {
    json!({
        "id": id, "employer": format!("Employer of {id}"), "destination": dest,
        "positions": 1, "requires": { "java": 2 }, "values": { "java": 1.0, "sql": 1.0 },
        "salary": if dest == "BE" { 36000.0 } else { 90000.0 }
    })
}

pub fn with(mut scenario: Value, trainees: Vec<Value>, vacancies: Vec<Value>) -> Value {
    scenario["trainees"] = Value::Array(trainees);
    scenario["vacancies"] = Value::Array(vacancies);
    scenario
}

pub fn problem(scenario: &Value) -> Problem {
    let text = serde_json::to_string_pretty(scenario).unwrap();
    match load_str(&text, "fixture.json", &LoadOptions::default()) {
        Ok(p) => p,
        Err(e) => panic!("fixture should be valid:\n{}", e.plain()),
    }
}

/// The issues of an invalid scenario (panics if it is valid).
pub fn issues_of_text(text: &str) -> Vec<InputIssue> {
    match load_str(text, "fixture.json", &LoadOptions::default()) {
        Ok(_) => panic!("fixture should be invalid"),
        Err(e) => e.issues,
    }
}

pub fn issues(scenario: &Value) -> Vec<InputIssue> {
    issues_of_text(&serde_json::to_string_pretty(scenario).unwrap())
}

/// The single issue with this code; panics with all issues when not exactly one.
pub fn only<'a>(issues: &'a [InputIssue], code: &str) -> &'a InputIssue {
    let hits: Vec<&InputIssue> = issues.iter().filter(|i| i.code == code).collect();
    assert_eq!(hits.len(), 1, "expected one {code}, got {issues:#?}");
    hits[0]
}

/// A match set's value on each of the scenario's priorities, in order.
/// Whether two match sets reach the same value on every priority (to 10⁻⁶);
/// `Err` holds both values for the failure message.
pub fn same_objective(
    p: &Problem,
    e: &palim::eligibility::Eligibility,
    a: &[usize],
    b: &[usize],
) -> Result<(), (Vec<f64>, Vec<f64>)> {
    let (oa, ob) = (objective(p, e, a), objective(p, e, b));
    if oa.iter().zip(&ob).all(|(x, y)| (x - y).abs() < 1e-6) {
        Ok(())
    } else {
        Err((oa, ob))
    }
}

pub fn objective(p: &Problem, e: &palim::eligibility::Eligibility, chosen: &[usize]) -> Vec<f64> {
    p.priorities
        .iter()
        .map(|pr| match pr {
            palim::model::scenario::Priority::Placements => chosen.len() as f64,
            palim::model::scenario::Priority::Score => {
                chosen.iter().map(|&i| e.pairs[i].score).sum()
            }
            // The fewest blocking pairs, as a value to maximise.
            palim::model::scenario::Priority::Stable => {
                let s = palim::solve::stability::Stability::new(p, e).expect("a small scenario");
                -(s.blocking(e.pairs.len(), chosen).len() as f64)
            }
        })
        .collect()
}

/// Run the real binary from the project root.
pub fn palim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_palim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("palim runs")
}

/// A path in the test's scratch folder.
pub fn tmp(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

/// The bundled PALIM baseline as a document.
pub fn baseline() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/palim-2020/baseline.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A scenario of the generator's `preset`, written to a test file `name`.
pub fn generated(preset: &str, name: &str) -> PathBuf {
    let path = tmp(name);
    let out = palim(&["generate", "--preset", preset, "-o", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    path
}

/// Every match set (each trainee at most once, over eligible pairs).
pub fn all_match_sets(
    e: &palim::eligibility::Eligibility,
    n_trainees: usize,
    mut visit: impl FnMut(&[usize]),
) {
    fn rec(
        e: &palim::eligibility::Eligibility,
        t: usize,
        n: usize,
        chosen: &mut Vec<usize>,
        visit: &mut dyn FnMut(&[usize]),
    ) {
        if t == n {
            visit(chosen);
            return;
        }
        rec(e, t + 1, n, chosen, visit);
        for i in e.of_trainee(t) {
            chosen.push(i);
            rec(e, t + 1, n, chosen, visit);
            chosen.pop();
        }
    }
    rec(e, 0, n_trainees, &mut Vec::new(), &mut visit);
}

/// Pairs as (trainee id, vacancy id), in the order given.
pub fn id_pairs<'a>(
    p: &'a Problem,
    e: &palim::eligibility::Eligibility,
    chosen: &[usize],
) -> Vec<(&'a str, &'a str)> {
    chosen
        .iter()
        .map(|&i| {
            let pair = &e.pairs[i];
            (
                p.trainees[pair.t].id.as_str(),
                p.vacancies[pair.v].id.as_str(),
            )
        })
        .collect()
}

/// Run the real binary and read its standard output as JSON, once it
/// succeeded.
pub fn palim_json(args: &[&str]) -> Value {
    let out = palim(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
