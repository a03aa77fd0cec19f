//! Every kind of bad input gets a clear error: which place, what is wrong, what
//! to do — and all of them in one run.

mod common;

use common::*;
use palim::input::validate::{load_str, LoadOptions};
use serde_json::json;

fn ok_scenario() -> serde_json::Value {
    with(
        two_destinations(),
        vec![trainee("T1"), trainee("T2")],
        vec![vacancy("BE-01", "BE"), vacancy("MA-01", "MA")],
    )
}

#[test]
fn malformed_json_names_line_and_column() {
    let text = "{\n  \"format\": \"palim/1\",\n  \"trainees\": [\n    { \"id\": \"T1\" }\n    { \"id\": \"T2\" }\n  ]\n}";
    let issues = issues_of_text(text);
    let i = only(&issues, "malformed_json");
    assert_eq!((i.line, i.column), (Some(5), Some(5)));
    assert_eq!(i.message, "expected `,` or `]`");
    assert!(i.hint.as_deref().unwrap().contains("missing comma"));
}

/// A scenario file is parsed once, to tell a variant from a scenario, and
/// validation reads that parse: its issues, places and fingerprint are
/// those of the text itself, malformed or not.
#[test]
fn a_file_reads_as_its_text() {
    let load = |name: &str, text: &str| {
        let path = tmp(name);
        std::fs::write(&path, text).unwrap();
        palim::input::load::load_file(&path, &LoadOptions::default())
    };
    let malformed = "{\n  \"format\": \"palim/1\",\n  \"trainees\": [\n    { \"id\": \"T1\" }\n    { \"id\": \"T2\" }\n  ]\n}";
    let mut wrong = ok_scenario();
    wrong["vacancies"][0]["positions"] = json!("two");
    let wrong = serde_json::to_string_pretty(&wrong).unwrap();
    for (name, text) in [
        ("as-text-malformed.json", malformed),
        ("as-text-wrong-type.json", &wrong),
    ] {
        match load(name, text) {
            Err(palim::PalimError::Invalid(e)) => {
                let places = |issues: &[palim::InputIssue]| -> Vec<_> {
                    (issues.iter())
                        .map(|i| (i.code.clone(), i.path.clone(), i.line, i.column))
                        .collect()
                };
                assert_eq!(places(&e.issues), places(&issues_of_text(text)), "{name}");
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    let valid = serde_json::to_string_pretty(&ok_scenario()).unwrap();
    let from_file = load("as-text-valid.json", &valid).unwrap();
    let from_text = load_str(&valid, "as-text-valid.json", &LoadOptions::default()).unwrap();
    assert_eq!(from_file.input_sha256, from_text.input_sha256);
    // A variant reads as the scenario it makes, written out (`flatten`).
    let variant = |name: &str, set: serde_json::Value| {
        let text = json!({ "format": "palim-variant/1", "base": "as-text-valid.json", "set": set });
        load(name, &serde_json::to_string_pretty(&text).unwrap())
    };
    let made = |name: &str| {
        let path = tmp(name);
        palim::input::load::flatten(&palim::input::variant::FileSystem, &path)
    };
    let good = variant("as-text-variant.json", json!({ "max_per_employer": 2 })).unwrap();
    let flat = made("as-text-variant.json").unwrap();
    let from_flat = load_str(&flat, "flat.json", &LoadOptions::default()).unwrap();
    assert_eq!(good.input_sha256, from_flat.input_sha256);
    assert_eq!(good.max_per_employer, Some(2));
    match variant(
        "as-text-variant-wrong.json",
        json!({ "max_per_employer": "two" }),
    ) {
        Err(palim::PalimError::Invalid(e)) => {
            let Err(palim::PalimError::Invalid(flat)) = made("as-text-variant-wrong.json") else {
                panic!("the scenario the variant makes is invalid");
            };
            let places = |issues: &[palim::InputIssue]| -> Vec<_> {
                (issues.iter())
                    .map(|i| (i.code.clone(), i.path.clone(), i.line, i.column))
                    .collect()
            };
            assert_eq!(places(&e.issues), places(&flat.issues));
            assert!(!e.issues.is_empty());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn wrong_types_point_at_the_field() {
    let mut s = ok_scenario();
    s["vacancies"][0]["positions"] = json!("two");
    s["trainees"][1]["available_from"] = json!(20200401);
    let issues = issues(&s);
    let i = issues
        .iter()
        .find(|i| i.path == "vacancies[0].positions")
        .expect("positions error");
    assert_eq!(i.code, "wrong_type");
    assert_eq!(i.message, "invalid type: string \"two\", expected i64");
    assert_eq!(i.pointer, "/vacancies/0/positions");
    assert!(i.line.is_some() && i.column.is_some());
    assert!(
        issues
            .iter()
            .any(|i| i.path == "trainees[1].available_from"),
        "{issues:#?}"
    );
}

/// Trainees and vacancies are read side by side, and each element without
/// its path first: what fails is read again for its place. Every bad
/// element is still reported, at its place, in the file's order (trainees
/// before vacancies), and the good ones around them are read as they are.
#[test]
fn bad_elements_of_both_lists_are_each_reported_in_order() {
    let mut s = with(
        two_destinations(),
        (1..=6).map(|k| trainee(&format!("T{k}"))).collect(),
        vec![
            vacancy("BE-01", "BE"),
            vacancy("MA-01", "MA"),
            vacancy("BE-02", "BE"),
        ],
    );
    s["trainees"][1]["available_from"] = json!(20200401);
    s["trainees"][4]["gender"] = json!(7);
    s["trainees"][5]["colour"] = json!("blue");
    s["vacancies"][2]["positions"] = json!("two");
    let paths: Vec<String> = issues(&s).into_iter().map(|i| i.path).collect();
    assert_eq!(
        paths,
        [
            "trainees[1].available_from",
            "trainees[4].gender",
            "trainees[5].colour",
            "vacancies[2].positions"
        ],
    );
    s["trainees"][1]["available_from"] = json!("2020-02-01");
    s["trainees"][4]["gender"] = json!("F");
    s["trainees"][5].as_object_mut().unwrap().remove("colour");
    s["vacancies"][2]["positions"] = json!(2);
    let p = problem(&s);
    assert_eq!((p.trainees.len(), p.vacancies.len()), (6, 3));
    assert_eq!(p.vacancies[2].positions, 2);
}

#[test]
fn a_bad_calendar_date_is_named() {
    let mut s = ok_scenario();
    s["trainees"][0]["birth_date"] = json!("1995-02-30");
    let issues = issues(&s);
    let i = only(&issues, "bad_date");
    assert_eq!(i.path, "trainees[0].birth_date");
    assert!(i.hint.as_deref().unwrap().contains("YYYY-MM-DD"));
}

#[test]
fn an_unknown_format_version_stops_early_with_the_expected_one() {
    let mut s = ok_scenario();
    s["format"] = json!("palim/2");
    let issues = issues(&s);
    let i = only(&issues, "unknown_format_version");
    assert_eq!(i.message, "unknown format version \"palim/2\"");
    assert_eq!(i.hint.as_deref(), Some("this palim reads \"palim/1\""));
    assert_eq!(issues.len(), 1);
}

#[test]
fn duplicate_ids_name_the_first_occurrence() {
    let s = with(
        two_destinations(),
        vec![trainee("T1"), trainee("T1")],
        vec![vacancy("BE-01", "BE"), vacancy("BE-01", "BE")],
    );
    let issues = issues(&s);
    let dups: Vec<&str> = issues
        .iter()
        .filter(|i| i.code == "duplicate_id")
        .map(|i| i.message.as_str())
        .collect();
    assert_eq!(
        dups,
        vec![
            "trainee id \"T1\" is used twice (first at trainees[0])",
            "vacancy id \"BE-01\" is used twice (first at vacancies[0])"
        ]
    );
}

#[test]
fn an_unknown_skill_suggests_the_nearest_one() {
    let mut s = ok_scenario();
    s["trainees"][0]["skills"] = json!({ "jav": 3 });
    let issues = issues(&s);
    let i = only(&issues, "unknown_skill");
    assert_eq!(i.path, "trainees[0].skills.jav");
    assert_eq!(
        i.message,
        "the model junior-java-developer has no skill \"jav\""
    );
    assert_eq!(i.hint.as_deref(), Some("did you mean \"java\"?"));
}

#[test]
fn a_level_off_its_scale_is_rejected() {
    let mut s = ok_scenario();
    s["vacancies"][0]["requires"] = json!({ "java": 5, "english": "B9" });
    let issues = issues(&s);
    assert_eq!(
        only(&issues, "level_off_scale").message,
        "level 5 of java is outside its scale 0-4"
    );
    assert_eq!(
        only(&issues, "bad_level").message,
        "\"B9\" is not a level of english"
    );
}

#[test]
fn references_to_unknown_ids_are_errors_everywhere() {
    let mut s = ok_scenario();
    s["trainees"][0]["ranking"] = json!(["BE-99"]);
    s["vacancies"][0]["ranking"] = json!(["T9"]);
    s["locks"] = json!([{ "trainee": "T7", "vacancy": "BE-01" }]);
    s["forbids"] = json!([{ "trainee": "T1", "vacancy": "MA-07" }]);
    s["pair_scores"] = json!([{ "trainee": "T8", "vacancy": "MA-01", "score": 0.5 }]);
    let issues = issues(&s);
    let got: Vec<(&str, &str)> = issues
        .iter()
        .map(|i| (i.code.as_str(), i.path.as_str()))
        .collect();
    for want in [
        ("unknown_vacancy", "trainees[0].ranking[0]"),
        ("unknown_trainee", "vacancies[0].ranking[0]"),
        ("unknown_trainee", "locks[0].trainee"),
        ("unknown_vacancy", "forbids[0].vacancy"),
        ("unknown_trainee", "pair_scores[0].trainee"),
    ] {
        assert!(got.contains(&want), "missing {want:?} in {got:?}");
    }
    let lock = issues
        .iter()
        .find(|i| i.path == "locks[0].trainee")
        .unwrap();
    assert_eq!(lock.message, "there is no trainee \"T7\"");
    assert_eq!(lock.hint.as_deref(), Some("did you mean \"T1\"?"));
}

#[test]
fn a_lock_on_an_ineligible_pair_says_why() {
    let mut s = ok_scenario();
    s["trainees"][0]["documents_ready"] = json!("2020-06-01");
    s["locks"] = json!([{ "trainee": "T1", "vacancy": "BE-01" }]);
    let issues = issues(&s);
    let i = only(&issues, "lock_ineligible");
    assert_eq!(
        i.message,
        "T1 is locked to BE-01 but cannot be matched there: the permit would be ready on 2020-09-09 (documents 2020-06-01 + 100 days), 71 days after BE-01's latest start (2020-06-30)"
    );
}

#[test]
fn a_window_whose_latest_is_before_its_earliest() {
    let mut s = ok_scenario();
    s["vacancies"][1]["start_window"] = json!({ "earliest": "2020-06-01", "latest": "2020-05-01" });
    let issues = issues(&s);
    let i = only(&issues, "window_reversed");
    assert_eq!(i.path, "vacancies[1].start_window.latest");
    assert_eq!(
        i.message,
        "the window's latest day 2020-05-01 is before its earliest day 2020-06-01"
    );
}

#[test]
fn positions_below_one() {
    let mut s = ok_scenario();
    s["vacancies"][0]["positions"] = json!(0);
    let issues = issues(&s);
    assert_eq!(
        only(&issues, "positions_below_one").message,
        "a vacancy needs at least 1 position, found 0"
    );
}

#[test]
fn shares_outside_zero_one_suggest_the_fraction() {
    let mut s = ok_scenario();
    s["group_shares"] =
        json!([{ "destination": "BE", "attribute": "gender", "value": "F", "min_share": 18 }]);
    let issues = issues(&s);
    let i = only(&issues, "share_out_of_range");
    assert_eq!(
        i.message,
        "min_share is 18; shares are fractions from 0 to 1"
    );
    assert_eq!(i.hint.as_deref(), Some("write 0.18 for 18%"));
}

#[test]
fn min_above_max_for_destinations_and_shares() {
    let mut s = ok_scenario();
    s["destinations"]["BE"]["min"] = json!(31);
    s["group_shares"] =
        json!([{ "attribute": "gender", "value": "F", "min_share": 0.5, "max_share": 0.4 }]);
    let issues = issues(&s);
    let msgs: Vec<&str> = issues
        .iter()
        .filter(|i| i.code == "min_above_max")
        .map(|i| i.message.as_str())
        .collect();
    assert_eq!(
        msgs,
        vec![
            "destination BE needs at least 31 placements but allows at most 30",
            "min_share 0.5 is above max_share 0.4"
        ]
    );
}

#[test]
fn a_lock_and_a_forbid_on_the_same_pair() {
    let mut s = ok_scenario();
    s["locks"] = json!([{ "trainee": "T1", "vacancy": "MA-01" }]);
    s["forbids"] = json!([{ "trainee": "T1", "vacancy": "MA-01" }]);
    let issues = issues(&s);
    assert_eq!(
        only(&issues, "lock_and_forbid").message,
        "T1 / MA-01 is both locked and forbidden (forbids[0])"
    );
}

#[test]
fn a_misspelt_field_is_not_silently_ignored() {
    let mut s = ok_scenario();
    s["vacancies"][0]["postions"] = json!(2);
    s["max_per_employr"] = json!(3);
    let issues = issues(&s);
    let fields: Vec<(&str, Option<&str>)> = issues
        .iter()
        .filter(|i| i.code == "unknown_field")
        .map(|i| (i.path.as_str(), i.hint.as_deref()))
        .collect();
    // Fields added to the fixture land at the end of the file, after the vacancies.
    assert_eq!(fields[0].0, "vacancies[0].postions");
    assert!(fields[0]
        .1
        .unwrap()
        .starts_with("did you mean \"positions\"?"));
    assert_eq!(
        fields[1],
        (
            "max_per_employr",
            Some("did you mean \"max_per_employer\"?")
        )
    );
}

#[test]
fn an_unknown_model_lists_the_bundled_ones() {
    let mut s = ok_scenario();
    s["model"] = json!("junior-java-develloper");
    let issues = issues(&s);
    let i = only(&issues, "unknown_model");
    assert_eq!(
        i.hint.as_deref(),
        Some("did you mean \"junior-java-developer\"?")
    );
}

#[test]
fn every_problem_is_reported_in_one_run_in_file_order() {
    let mut s = ok_scenario();
    s["destinations"]["BE"]["min"] = json!(40);
    s["trainees"][0]["skills"] = json!({ "jav": 3 });
    s["trainees"][1]["destinations"] = json!(["FR"]);
    s["vacancies"][0]["positions"] = json!(0);
    s["vacancies"][1]["requires"] = json!({ "java": 7 });
    s["group_shares"] = json!([{ "attribute": "gender", "value": "F", "min_share": 1.5 }]);
    let issues = issues(&s);
    let codes: Vec<&str> = issues.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(
        codes,
        // group_shares is added to the fixture last, so it stands last in the file
        vec![
            "min_above_max",
            "unknown_skill",
            "unknown_destination",
            "positions_below_one",
            "level_off_scale",
            "share_out_of_range"
        ]
    );
    let lines: Vec<usize> = issues.iter().map(|i| i.line.unwrap()).collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
}

#[test]
fn an_inline_model_works_like_a_named_one() {
    let mut s = ok_scenario();
    s["model"] = json!({
        "id": "tiny", "skills": {
            "java": { "label": "Java", "scale": { "min": 0, "max": 4 } },
            "sql": { "label": "SQL", "scale": { "min": 0, "max": 4 } },
            "english": { "label": "English", "scale": { "min": 0, "max": 6, "name": "CEFR" } }
        }
    });
    let p = problem(&s);
    assert_eq!(p.skills.len(), 3);
    assert_eq!(p.model.id, "tiny");
}
