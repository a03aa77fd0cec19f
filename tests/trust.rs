//! Inputs nobody here wrote: numbers at their extremes, dates at the
//! calendar's edges, documents of the wrong shape, and structures that make
//! naive algorithms recurse deeply. Each is answered or refused with a clear
//! error; none panics, and none reaches the solver as "the solver failed".

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use palim::app::service;
use palim::eligibility::Eligibility;
use palim::input::validate::{load_str, LoadOptions};
use palim::input::variant::InMemory;
use palim::{PalimError, SolveOptions};
use proptest::prelude::*;
use serde_json::{json, Value};

fn baseline() -> Value {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/palim-2020/baseline.json"),
    )
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn codes(s: &Value) -> Vec<(String, String)> {
    common::issues(s)
        .into_iter()
        .map(|i| (i.path, i.code))
        .collect()
}

#[test]
fn a_permit_of_four_billion_days_is_refused_with_its_range() {
    let mut s = baseline();
    s["destinations"]["BE"]["permit_days"] = json!(4_000_000_000u64);
    let issues = common::issues(&s);
    let i = common::only(&issues, "out_of_range");
    assert_eq!(i.path, "destinations.BE.permit_days");
    assert!(
        i.message.contains("allowed: 0 to 3650 days"),
        "{}",
        i.message
    );
}

#[test]
fn objective_weights_of_1e308_are_refused_before_the_solver_sees_them() {
    let mut s = baseline();
    s["objective"] = json!({ "weights": { "fit": 1e308, "trainee_preference": 0.5 } });
    let issues = common::issues(&s);
    let i = common::only(&issues, "out_of_range");
    assert_eq!(i.path, "objective.weights.fit");
    assert!(i.message.contains("1e308"), "{}", i.message);
}

#[test]
fn dates_outside_1900_to_2199_are_refused_where_they_are_written() {
    let mut s = baseline();
    s["trainees"][0]["birth_date"] = json!("0001-01-01");
    s["trainees"][1]["available_from"] = json!("9999-12-31");
    s["destinations"]["BE"]["blackouts"] = json!([{ "from": "2199-12-30", "to": "2200-01-01" }]);
    s["vacancies"][0]["start_window"] = json!({ "latest": "1899-12-31" });
    let got = codes(&s);
    for path in [
        "trainees[0].birth_date",
        "trainees[1].available_from",
        "destinations.BE.blackouts[0].to",
        "vacancies[0].start_window.latest",
    ] {
        assert!(
            got.contains(&(path.to_string(), "date_out_of_range".to_string())),
            "{path} in {got:?}"
        );
    }
}

#[test]
fn counts_and_money_beyond_any_programme_are_refused() {
    let mut s = baseline();
    s["vacancies"][0]["positions"] = json!(1_000_000_000_000_000i64);
    s["vacancies"][1]["salary"] = json!(1e12);
    s["destinations"]["MA"]["max"] = json!(4_294_967_295u64);
    s["destinations"]["BE"]["salary_floor"][0]["under_age"] = json!(4_000_000_000u64);
    s["max_per_employer"] = json!(2_000_000);
    let got = codes(&s);
    for path in [
        "vacancies[0].positions",
        "vacancies[1].salary",
        "destinations.MA.max",
        "destinations.BE.salary_floor[0].under_age",
        "max_per_employer",
    ] {
        assert!(
            got.contains(&(path.to_string(), "out_of_range".to_string())),
            "{path} in {got:?}"
        );
    }
}

#[test]
fn the_largest_values_allowed_are_solved() {
    let mut s = baseline();
    s["destinations"]["BE"]["permit_days"] = json!(3650);
    s["destinations"]["MA"]["max"] = json!(1_000_000);
    s["vacancies"][0]["positions"] = json!(1_000_000);
    s["vacancies"][1]["salary"] = json!(1e9);
    s["trainees"][0]["documents_ready"] = json!("2199-12-31");
    s["trainees"][1]["birth_date"] = json!("1900-01-01");
    s["objective"] =
        json!({ "weights": { "fit": 1000, "trainee_preference": 0, "employer_preference": 1000 } });
    let p = common::problem(&s);
    let set = palim::solve(&p, &SolveOptions::default()).expect("solves");
    assert!(set.objective.placements > 0);
}

fn flatten(variant: &str, base: &str) -> Result<String, PalimError> {
    let docs: BTreeMap<String, String> = [
        ("v.json".to_string(), variant.to_string()),
        ("b.json".to_string(), base.to_string()),
    ]
    .into();
    service::flatten(&InMemory(&docs), Path::new("v.json"))
}

#[test]
fn a_variant_whose_base_is_not_an_object_is_refused() {
    let v = r#"{ "format": "palim-variant/1", "base": "b.json", "name": "x",
                 "locks": [ { "trainee": "T1", "vacancy": "V1" } ] }"#;
    for base in ["[]", "3", "\"palim/1\"", "null", "true"] {
        match flatten(v, base) {
            Err(PalimError::Invalid(e)) => assert_eq!(e.issues[0].code, "wrong_type", "{base}"),
            other => panic!("{base}: {other:?}"),
        }
    }
}

#[test]
fn flatten_refuses_a_base_that_is_an_object_but_no_scenario() {
    let v = r#"{ "format": "palim-variant/1", "base": "b.json", "set": { "name": "x" } }"#;
    assert!(matches!(flatten(v, "{}"), Err(PalimError::Invalid(_))));
    let v = r#"{ "format": "palim-variant/1", "base": "b.json", "locks": [ { "trainee": "T1", "vacancy": "V1" } ] }"#;
    assert!(matches!(
        flatten(v, r#"{ "locks": 5 }"#),
        Err(PalimError::Invalid(_))
    ));
}

#[test]
fn sweep_ranges_must_be_finite_and_small() {
    use palim::analysis::sweep::Axis;
    for spec in [
        "a=-inf..5",
        "a=0..inf",
        "a=NaN..5",
        "a=0..5:NaN",
        "a=0..1e300:1e-300",
        "a=0..1:0",
        "a=5..0",
        "a=0..20000",
    ] {
        assert!(Axis::parse(spec).is_err(), "{spec}");
    }
    assert_eq!(Axis::parse("a=0..9999").unwrap().values.len(), 10_000);
}

/// T0 … T(n-1) each eligible for V_i and V_(i+1), Tn only for V0: the last
/// trainee's augmenting path moves every other trainee, n steps deep.
fn chain(n: usize) -> Value {
    let trainees: Vec<Value> = (0..=n)
        .map(|i| {
            let mut t = common::trainee(&format!("T{i}"));
            t["destinations"] = json!(["MA"]);
            t
        })
        .collect();
    let vacancies: Vec<Value> = (0..=n)
        .map(|i| {
            let mut v = common::vacancy(&format!("V{i}"), "MA");
            v["employer"] = json!("one employer");
            v
        })
        .collect();
    let mut scores = Vec::new();
    for i in 0..n {
        scores
            .push(json!({ "trainee": format!("T{i}"), "vacancy": format!("V{i}"), "score": 0.5 }));
        scores.push(
            json!({ "trainee": format!("T{i}"), "vacancy": format!("V{}", i + 1), "score": 0.5 }),
        );
    }
    scores.push(json!({ "trainee": format!("T{n}"), "vacancy": "V0", "score": 0.5 }));
    let mut s = common::with(common::two_destinations(), trainees, vacancies);
    s["destinations"]["MA"]["max"] = json!(1_000_000);
    s["pair_scores"] = json!(scores);
    s["pair_scores_only"] = json!(true);
    s
}

#[test]
fn a_long_augmenting_path_does_not_overflow_a_small_stack() {
    let p = common::problem(&chain(5_000));
    let e = Eligibility::build(&p);
    let vacancies: Vec<usize> = (0..p.vacancies.len()).collect();
    // The server's blocking threads have small stacks; 128 KiB is smaller still
    // (5,000 frames of the recursive search it replaced took more).
    let got = std::thread::Builder::new()
        .stack_size(128 * 1024)
        .spawn(move || e.max_placements(&p, &vacancies))
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert_eq!(got, 5_001);
}

#[test]
fn the_generator_finishes_on_scenarios_smaller_than_a_ranking() {
    for (t, v) in [(1, 1), (3, 2), (8, 5), (2, 9)] {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let out = common::palim(&[
                "generate",
                "--trainees",
                &t.to_string(),
                "--vacancies",
                &v.to_string(),
            ]);
            let _ = tx.send(out.status.success());
        });
        let ok = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("generate {t} x {v} did not finish in 60 s"));
        assert!(ok, "generate {t} x {v} failed");
    }
}

/// A leaf of a structurally valid scenario, at an extreme.
fn extreme_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(0)),
        Just(json!(-1)),
        Just(json!(1)),
        Just(json!(3650)),
        Just(json!(3651)),
        Just(json!(1_000_000)),
        Just(json!(1_000_001)),
        Just(json!(4_294_967_295u64)),
        Just(json!(4_294_967_296u64)),
        Just(json!(i64::MAX)),
        Just(json!(u64::MAX)),
        Just(json!(1e-300)),
        Just(json!(0.5)),
        Just(json!(1e15)),
        Just(json!(1e308)),
        Just(json!(-1e308)),
    ]
}

fn extreme_date() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("0001-01-01")),
        Just(json!("1899-12-31")),
        Just(json!("1900-01-01")),
        Just(json!("2020-02-29")),
        Just(json!("2199-12-31")),
        Just(json!("2200-01-01")),
        Just(json!("9999-12-31")),
        Just(json!("+262142-12-31")),
    ]
}

/// The number fields of the fixture a mutation may set (path from the root).
const NUMBER_FIELDS: &[&str] = &[
    "/destinations/BE/permit_days",
    "/destinations/BE/max",
    "/destinations/BE/min",
    "/destinations/MA/max",
    "/destinations/BE/salary_floor/0/under_age",
    "/destinations/BE/salary_floor/0/annual",
    "/destinations/BE/salary_floor/1/annual",
    "/vacancies/0/positions",
    "/vacancies/1/positions",
    "/vacancies/0/salary",
    "/vacancies/1/values/java",
    "/trainees/0/skills/java",
    "/objective/weights/fit",
    "/objective/weights/employer_preference",
    "/max_per_employer",
    "/pair_scores/0/score",
    "/group_shares/0/min_share",
];

const DATE_FIELDS: &[&str] = &[
    "/trainees/0/birth_date",
    "/trainees/0/available_from",
    "/trainees/1/documents_ready",
    "/destinations/BE/start_window/earliest",
    "/destinations/BE/start_window/latest",
    "/destinations/BE/blackouts/0/from",
    "/destinations/BE/blackouts/0/to",
    "/vacancies/0/start_window/latest",
];

fn fixture() -> Value {
    let vacancies = vec![
        common::vacancy("BE-1", "BE"),
        json!({ "id": "MA-1", "employer": "E", "destination": "MA", "positions": 2,
                "values": { "java": 1.0 }, "salary": 90000,
                "start_window": { "earliest": "2020-04-01", "latest": "2020-09-30" } }),
    ];
    let trainees = (0..4).map(|i| common::trainee(&format!("T{i}"))).collect();
    let mut s = common::with(common::two_destinations(), trainees, vacancies);
    s["destinations"]["BE"]["blackouts"] = json!([{ "from": "2020-05-01", "to": "2020-05-10" }]);
    s["destinations"]["BE"]["min"] = json!(0);
    s["objective"] = json!({ "weights": { "fit": 1, "employer_preference": 0.5 } });
    s["max_per_employer"] = json!(3);
    s["pair_scores"] = json!([{ "trainee": "T0", "vacancy": "MA-1", "score": 0.7 }]);
    s["group_shares"] = json!([{ "attribute": "gender", "value": "F", "min_share": 0 }]);
    s
}

/// Every answer: a match set with reasons, or input errors; never a panic,
/// never "the solver failed", and what is refused is refused with a place.
fn answer(s: &Value) -> Result<(), TestCaseError> {
    let text = s.to_string();
    let p = match load_str(&text, "extreme.json", &LoadOptions::default()) {
        Ok(p) => p,
        Err(e) => {
            prop_assert!(!e.issues.is_empty());
            return Ok(());
        }
    };
    let req = service::SolveRequest {
        time_limit: Some(20.0),
        explain: true,
        ..Default::default()
    };
    match service::solve(&p, &req) {
        Ok(set) => {
            for u in &set.unfilled_positions {
                prop_assert!(!u.reasons.is_empty(), "{} has no reason", u.vacancy);
            }
            for u in &set.unmatched_trainees {
                prop_assert!(!u.reasons.is_empty(), "{} has no reason", u.trainee);
            }
        }
        Err(PalimError::Solver(e)) => {
            return Err(TestCaseError::fail(format!("the solver failed: {e}")))
        }
        Err(_) => {}
    }
    for subject in [
        service::Subject::Trainee("T0".into()),
        service::Subject::Rules,
    ] {
        if let Err(PalimError::Solver(e)) = service::explain(&p, &subject, Default::default(), None)
        {
            return Err(TestCaseError::fail(format!(
                "explain: the solver failed: {e}"
            )));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn extreme_but_well_formed_scenarios_are_answered_or_refused(
        numbers in proptest::collection::vec((0..NUMBER_FIELDS.len(), extreme_number()), 0..4),
        dates in proptest::collection::vec((0..DATE_FIELDS.len(), extreme_date()), 0..3),
    ) {
        let mut s = fixture();
        for (i, x) in numbers {
            set(&mut s, NUMBER_FIELDS[i], x);
        }
        for (i, d) in dates {
            set(&mut s, DATE_FIELDS[i], d);
        }
        answer(&s)?;
    }
}

/// Set the value at a JSON pointer, creating the last object field if needed.
fn set(doc: &mut Value, pointer: &str, x: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match doc.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.insert(key.to_string(), x);
        }
        Some(Value::Array(a)) => {
            if let Some(slot) = key.parse::<usize>().ok().and_then(|k| a.get_mut(k)) {
                *slot = x;
            }
        }
        _ => {}
    }
}

#[test]
fn the_fixture_of_the_extreme_values_is_itself_valid() {
    answer(&fixture()).unwrap();
    common::problem(&fixture());
}

// ------------------------------------------------------ what a request makes --

#[test]
fn an_id_longer_than_a_hundred_characters_is_refused_without_being_repeated() {
    let mut s = baseline();
    let long = "T".repeat(101);
    s["trainees"][3]["id"] = json!(long);
    let issues = common::issues(&s);
    let i = common::only(&issues, "too_long");
    assert_eq!(i.path, "trainees[3].id");
    assert!(
        i.message
            .contains("101 characters long; allowed: at most 100"),
        "{}",
        i.message
    );
    // Nothing else is read, so no other message can repeat the text.
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert!(!i.message.contains(&long) && !i.hint.as_deref().unwrap_or("").contains(&long));
}

#[test]
fn keys_and_map_values_are_identifiers_and_titles_are_free_text() {
    let mut s = baseline();
    let key = "k".repeat(101);
    s["trainees"][0]["skills"][&key] = json!(3);
    s["trainees"][1]["skills"]["java"] = json!("B".repeat(101));
    let issues = common::issues(&s);
    let paths: Vec<&str> = issues.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(
        paths,
        ["trainees[0].skills", "trainees[1].skills.java"],
        "{issues:?}"
    );
    assert!(issues.iter().all(|i| i.code == "too_long"));

    // A title of a thousand characters and a `why` of as many are fine.
    let mut s = baseline();
    s["vacancies"][0]["title"] = json!("t".repeat(1000));
    s["name"] = json!("n".repeat(1000));
    common::problem(&s);
    s["vacancies"][0]["title"] = json!("t".repeat(1001));
    let issues = common::issues(&s);
    assert_eq!(common::only(&issues, "too_long").path, "vacancies[0].title");
}

#[test]
fn the_schema_states_the_same_lengths() {
    let schema =
        serde_json::to_value(schemars::schema_for!(palim::model::scenario::Scenario)).unwrap();
    let defs = &schema["$defs"];
    assert_eq!(defs["Trainee"]["properties"]["id"]["maxLength"], 100);
    assert_eq!(defs["Vacancy"]["properties"]["title"]["maxLength"], 1000);
    assert_eq!(
        defs["Trainee"]["properties"]["skills"]["propertyNames"]["maxLength"],
        100
    );
    assert_eq!(schema["properties"]["name"]["maxLength"], 1000);
    // Dates keep their pattern and the format its constant, not a length.
    assert!(defs["Trainee"]["properties"]["birth_date"]
        .get("maxLength")
        .is_none());
    assert!(schema["properties"]["format"].get("maxLength").is_none());
}

#[test]
fn pairs_are_counted_as_they_are_built_and_the_count_stops_at_its_cap() {
    for s in [baseline(), fixture()] {
        let p = common::problem(&s);
        let built = Eligibility::build(&p).pairs.len();
        assert_eq!(palim::eligibility::count_pairs(&p, usize::MAX), built);
        assert_eq!(palim::eligibility::count_pairs(&p, 2), 2.min(built));
    }
}
