//! Snapshots of the human-facing output: what a matching officer reads.
//! Review changes with `cargo insta review` (or set INSTA_UPDATE=always once and
//! read the diff): a changed sentence is a changed product.

mod common;

use common::*;
use palim::render::report;
use palim::SolveOptions;
use serde_json::json;

/// Four trainees, three vacancies: one match in each destination, one trainee
/// too late for Flanders, one who lost the only Moroccan place, one position open.
fn small_pilot() -> serde_json::Value {
    let mut amina = trainee("T1");
    amina["gender"] = json!("F");
    amina["ranking"] = json!(["BE-01", "MA-01"]);
    let mut late = trainee("T2");
    late["destinations"] = json!(["BE"]);
    late["documents_ready"] = json!("2020-04-10");
    let mut weaker = trainee("T3");
    weaker["skills"] = json!({ "java": 2, "english": 3 });
    weaker["destinations"] = json!(["MA"]);
    let strong = trainee("T4");
    let mut be = vacancy("BE-01", "BE");
    be["employer"] = json!("Brugse Software NV");
    be["ranking"] = json!(["T1"]);
    let mut be2 = vacancy("BE-02", "BE");
    be2["employer"] = json!("Gentse Data NV");
    be2["requires"] = json!({ "java": 2, "dutch": "A2" });
    let mut ma = vacancy("MA-01", "MA");
    ma["employer"] = json!("Atlas Nearshore SARL");
    let mut s = with(
        two_destinations(),
        vec![amina, late, weaker, strong],
        vec![be, be2, ma],
    );
    s["name"] = json!("small pilot");
    s["group_shares"] =
        json!([{ "destination": "BE", "attribute": "gender", "value": "F", "min_share": 0.5 }]);
    s
}

#[test]
fn the_match_set_table_of_a_small_pilot() {
    let p = problem(&small_pilot());
    let m = palim::solve(&p, &SolveOptions::default()).unwrap();
    insta::assert_snapshot!(report::render(&m));
}

#[test]
fn the_why_of_each_match() {
    let p = problem(&small_pilot());
    let m = palim::solve(&p, &SolveOptions::default()).unwrap();
    let text: Vec<String> = m
        .matches
        .iter()
        .map(|x| format!("{} -> {}:\n  {}", x.trainee, x.vacancy, x.why.join("\n  ")))
        .collect();
    insta::assert_snapshot!(text.join("\n"));
}

#[test]
fn an_infeasible_scenario_explains_its_conflict() {
    let mut s = small_pilot();
    s["destinations"]["BE"]["min"] = json!(2);
    let p = problem(&s);
    let m = palim::solve(&p, &SolveOptions::default()).unwrap();
    insta::assert_snapshot!(report::render(&m));
}

#[test]
fn validation_errors_read_as_a_list_with_places() {
    let mut s = small_pilot();
    s["trainees"][0]["skills"] = json!({ "jav": 3 });
    s["vacancies"][1]["positions"] = json!(0);
    s["locks"] = json!([{ "trainee": "T2", "vacancy": "BE-01" }]);
    let text = serde_json::to_string_pretty(&s).unwrap();
    let err = palim::input::validate::load_str(&text, "small-pilot.json", &Default::default())
        .unwrap_err();
    insta::assert_snapshot!(err.plain());
}

#[test]
fn the_match_set_can_carry_the_explanations_and_reads_back() {
    let p = problem(&small_pilot());
    let e = palim::eligibility::Eligibility::build(&p);
    let (chosen, mut set) = palim::solve_detailed(&p, &e, &SolveOptions::default()).unwrap();
    let cx = palim::analysis::explain::Context::from_parts(&p, e, chosen, set.clone());
    let explained = palim::analysis::explain::explanations(&cx).unwrap();
    let unmatched: Vec<&str> = explained
        .unmatched_trainees
        .iter()
        .map(|r| r.trainee.as_str())
        .collect();
    assert_eq!(unmatched, vec!["T2", "T3"]);
    assert_eq!(explained.unfilled_vacancies.len(), 1);
    // T3 lost MA-01 to T4: one more position there gives T3 a place and moves no one else.
    let t3 = &explained.unmatched_trainees[1];
    let first = &t3.changes[0];
    assert_eq!(first.description, "one more position at MA-01");
    assert_eq!(first.moves.len(), 1);
    assert_eq!(first.placements_delta, 1);
    set.explanations = Some(explained);
    let text = serde_json::to_string(&set).unwrap();
    let back: palim::MatchSet = serde_json::from_str(&text).unwrap();
    assert_eq!(back, set);
}

#[test]
fn two_locks_on_one_trainee_are_named_as_the_conflict() {
    let mut s = small_pilot();
    s.as_object_mut().unwrap().remove("group_shares");
    s["locks"] =
        json!([{ "trainee": "T4", "vacancy": "BE-01" }, { "trainee": "T4", "vacancy": "MA-01" }]);
    let p = problem(&s);
    let m = palim::solve(&p, &SolveOptions::default()).unwrap();
    let inf = m
        .infeasibility
        .expect("two locks on one trainee cannot both hold");
    let rules: Vec<(&str, &str)> = inf
        .conflicting_rules
        .iter()
        .map(|r| (r.rule.as_str(), r.subject.as_str()))
        .collect();
    assert_eq!(
        rules,
        vec![("lock", "T4 -> BE-01"), ("lock", "T4 -> MA-01")]
    );
    assert_eq!(
        inf.conflicting_rules[0].message,
        "T4 is locked to BE-01 and also to MA-01, but a trainee takes one job."
    );
}
