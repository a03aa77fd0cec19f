//! Variants and comparisons: a what-if written as what changes means exactly
//! the scenario written out in full, and comparing a scenario with itself
//! changes nothing.

mod common;

use std::path::Path;

use common::{palim, tmp};

fn write(name: &str, text: &str) -> String {
    let path = tmp(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn baseline_abs() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/palim-2020/baseline.json")
        .display()
        .to_string()
}

#[test]
fn a_variant_solves_exactly_like_the_scenario_it_makes_written_out() {
    let variant = "scenarios/palim-2020/split-40-80.json";
    let flat = palim(&["flatten", variant]);
    assert_eq!(
        flat.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&flat.stderr)
    );
    let full = write("split-full.json", &String::from_utf8(flat.stdout).unwrap());
    let a = palim(&["solve", variant, "--format", "json"]);
    let b = palim(&["solve", &full, "--format", "json"]);
    assert_eq!(a.status.code(), Some(0));
    assert!(
        a.stdout == b.stdout,
        "the variant and its flattened scenario give different results"
    );
    let m: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_eq!(m["scenario"], "PALIM 2020: a 40/80 split");
    assert_eq!(m["destinations"]["BE"]["max"], 40);
}

#[test]
fn variants_chain_and_change_records_by_id() {
    let first = write(
        "chain-1.json",
        &format!(
            r#"{{"format": "palim-variant/1", "base": "{}", "set": {{"destinations.BE.permit_days": 160}}}}"#,
            baseline_abs()
        ),
    );
    let second = write(
        "chain-2.json",
        r#"{"format": "palim-variant/1", "name": "chained", "base": "chain-1.json",
            "trainees": {"change": {"T017": {"available_from": "2020-06-15"}}, "remove": ["T044"]}}"#,
    );
    let flat: serde_json::Value =
        serde_json::from_slice(&palim(&["flatten", &second]).stdout).unwrap();
    assert_eq!(flat["destinations"]["BE"]["permit_days"], 160);
    let trainees = flat["trainees"].as_array().unwrap();
    assert_eq!(trainees.len(), 119);
    assert!(trainees.iter().all(|t| t["id"] != "T044"));
    assert_eq!(
        trainees.iter().find(|t| t["id"] == "T017").unwrap()["available_from"],
        "2020-06-15"
    );
    let _ = first;
}

#[test]
fn bad_variants_get_clear_errors() {
    let unknown = write(
        "bad-ids.json",
        &format!(
            r#"{{"format": "palim-variant/1", "base": "{}", "set": {{"destinations.XX.max": 3}}, "vacancies": {{"remove": ["BE-99"]}}}}"#,
            baseline_abs()
        ),
    );
    let out = palim(&["validate", &unknown]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("the base has no object at \"XX\" in \"destinations.XX.max\" [unknown_path]"),
        "{err}"
    );
    assert!(
        err.contains("the base has no vacancy \"BE-99\" [unknown_vacancy]"),
        "{err}"
    );

    let missing = write(
        "missing-base.json",
        r#"{"format": "palim-variant/1", "base": "nowhere.json"}"#,
    );
    let err = String::from_utf8(palim(&["validate", &missing]).stderr).unwrap();
    assert!(err.contains("[missing_base]"), "{err}");

    write(
        "cycle-a.json",
        r#"{"format": "palim-variant/1", "base": "cycle-b.json"}"#,
    );
    let b = write(
        "cycle-b.json",
        r#"{"format": "palim-variant/1", "base": "cycle-a.json"}"#,
    );
    let out = palim(&["validate", &b]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("[variant_cycle]"));

    let typo = write(
        "typo.json",
        &format!(
            r#"{{"format": "palim-variant/1", "base": "{}", "sett": {{}}}}"#,
            baseline_abs()
        ),
    );
    let err = String::from_utf8(palim(&["validate", &typo]).stderr).unwrap();
    assert!(
        err.contains("[bad_variant]") && err.contains("sett"),
        "{err}"
    );
}

/// A comparison reads its files side by side, but reports the first that
/// fails in the order given, as it did reading them one by one.
#[test]
fn a_comparison_reports_the_first_file_that_fails_in_the_order_given() {
    let missing = write(
        "compare-missing-base.json",
        r#"{"format": "palim-variant/1", "base": "no-such-base.json"}"#,
    );
    let typo = write(
        "compare-typo.json",
        &format!(
            r#"{{"format": "palim-variant/1", "base": "{}", "sett": {{}}}}"#,
            baseline_abs()
        ),
    );
    for (first, second, code) in [
        (&missing, &typo, "[missing_base]"),
        (&typo, &missing, "[bad_variant]"),
    ] {
        let out = palim(&[
            "compare",
            &baseline_abs(),
            first,
            second,
            "--format",
            "table",
        ]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(first.as_str()) && err.contains(code), "{err}");
        assert!(!err.contains(second.as_str()), "{err}");
    }
}

#[test]
fn comparing_a_scenario_with_itself_reports_no_change() {
    let out = palim(&[
        "compare",
        "scenarios/palim-2020/baseline.json",
        "scenarios/palim-2020/baseline.json",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(c["variants"][0]["people"].as_array().unwrap().is_empty());
    assert!(c["variants"][0]["vacancies"].as_array().unwrap().is_empty());
    assert_eq!(c["base"], c["variants"][0]["column"]);
}

#[test]
fn a_comparison_names_who_gains_and_who_loses_and_why() {
    let out = palim(&[
        "compare",
        "scenarios/palim-2020/baseline.json",
        "scenarios/palim-2020/split-40-80.json",
        "--format",
        "json",
    ]);
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let v = &c["variants"][0];
    assert_eq!(v["column"]["destinations"]["MA"], 80);
    let lost: Vec<&serde_json::Value> = v["people"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["change"] == "newly_unmatched")
        .collect();
    assert!(!lost.is_empty());
    for p in lost {
        assert!(!p["reasons"].as_array().unwrap().is_empty(), "{p}");
    }
    // The placements add up: base + newly matched - newly unmatched = variant.
    let count = |kind: &str| {
        v["people"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["change"] == kind)
            .count() as i64
    };
    let base = c["base"]["placements"].as_i64().unwrap();
    assert_eq!(
        base + count("newly_matched") - count("newly_unmatched"),
        v["column"]["placements"].as_i64().unwrap()
    );
}

#[test]
fn a_replan_after_a_change_keeps_every_promise_it_can_and_says_why_it_broke_one() {
    let before = tmp("announced.json");
    assert_eq!(
        palim(&[
            "solve",
            "scenarios/palim-2020/baseline.json",
            "--out",
            before.to_str().unwrap()
        ])
        .status
        .code(),
        Some(0)
    );
    let announced: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&before).unwrap()).unwrap();
    let first = &announced["matches"][0];
    let variant = write(
        "forbid-one.json",
        &format!(
            r#"{{"format": "palim-variant/1", "base": "{}", "forbids": [{{"trainee": {}, "vacancy": {}, "why": "employer withdrew"}}]}}"#,
            baseline_abs(),
            first["trainee"],
            first["vacancy"]
        ),
    );
    let out = palim(&[
        "solve",
        &variant,
        "--keep",
        before.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let replan = &m["replan"];
    let placements = m["objective"]["placements"].as_u64().unwrap();
    let kept = replan["kept"].as_u64().unwrap();
    assert!(kept >= placements - 2, "kept {kept} of {placements}");
    let changed = replan["changed"].as_array().unwrap();
    let cut = changed
        .iter()
        .find(|c| c["trainee"] == first["trainee"])
        .expect("the forbidden match changed");
    assert_eq!(cut["reasons"][0]["code"], "forbidden");
    assert!(cut["reasons"][0]["message"]
        .as_str()
        .unwrap()
        .contains("employer withdrew"));

    let bad = palim(&[
        "solve",
        "scenarios/palim-2020/baseline.json",
        "--keep",
        "scenarios/palim-2020/baseline.json",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8(bad.stderr)
        .unwrap()
        .contains("not a palim-result/1 match set"));
}

#[test]
fn the_what_if_table_in_the_scenarios_readme_is_what_palim_says_today() {
    let dir = "scenarios/palim-2020";
    let mut args = vec!["compare".to_string(), format!("{dir}/baseline.json")];
    for v in [
        "seven-month-training",
        "covid-flight-suspension",
        "split-40-80",
        "ten-more-flemish-vacancies",
        "general-salary-floor",
        "women-30-percent",
    ] {
        args.push(format!("{dir}/{v}.json"));
    }
    args.extend(["--format".into(), "markdown".into()]);
    let out = palim(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8(out.stdout).unwrap();
    let readme = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(dir)
            .join("README.md"),
    )
    .unwrap();
    assert!(
        readme.contains(table.trim_end()),
        "scenarios/palim-2020/README.md is out of date: run scripts/whatifs.sh"
    );
    // The historical lesson the table must show: the flight suspension closes the Flemish route.
    let covid = table
        .lines()
        .find(|l| l.contains("covid-flight-suspension.json"))
        .unwrap();
    assert!(
        covid.contains("| 0 |") && covid.contains("blackout"),
        "{covid}"
    );
}

#[test]
fn sweep_points_equal_individual_solves() {
    let svg = tmp("sweep.svg");
    let out = palim(&[
        "sweep",
        "scenarios/palim-2020/baseline.json",
        "--vary",
        "destinations.BE.permit_days=100..160:30",
        "--vary",
        "destinations.BE.max=25..30:5",
        "--svg",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 6);
    for row in rows {
        let cells: Vec<&str> = row.split(',').collect();
        let variant = write(
            "sweep-point.json",
            &format!(
                r#"{{"format": "palim-variant/1", "base": "{}", "set": {{"destinations.BE.permit_days": {}, "destinations.BE.max": {}}}}}"#,
                baseline_abs(),
                cells[0],
                cells[1]
            ),
        );
        let m: serde_json::Value =
            serde_json::from_slice(&palim(&["solve", &variant, "--format", "json"]).stdout)
                .unwrap();
        assert_eq!(cells[3], m["objective"]["placements"].to_string(), "{row}");
        assert_eq!(
            cells[4],
            m["destinations"]["BE"]["placed"].to_string(),
            "{row}"
        );
        let score: f64 = cells[6].parse().unwrap();
        assert!(
            (score - m["objective"]["score"].as_f64().unwrap()).abs() < 1e-3,
            "{row}"
        );
    }
    let chart = std::fs::read_to_string(&svg).unwrap();
    assert!(
        chart.starts_with("<svg") && chart.contains("polyline"),
        "not a chart"
    );

    let bad = palim(&[
        "sweep",
        "scenarios/palim-2020/baseline.json",
        "--vary",
        "destinations.XX.max=1..3",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8(bad.stderr)
        .unwrap()
        .contains("no object at \"XX\""));
}

/// The baseline with forbids of its own, and a variant of it that forbids
/// others (some kept, some lifted, some new; eligible pairs, pairs other
/// rules rule out, pairs at destinations the trainee does not accept) and
/// now and then changes something a rule reads as well.
fn forbids_changed(
    seed: u64,
) -> (
    palim::model::problem::Problem,
    palim::model::problem::Problem,
) {
    use rand::{Rng, SeedableRng};
    let mut r = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let base = common::baseline();
    let (n_t, n_v) = (
        base["trainees"].as_array().unwrap().len(),
        base["vacancies"].as_array().unwrap().len(),
    );
    let pick = |r: &mut rand_chacha::ChaCha8Rng| {
        let t = &base["trainees"][r.gen_range(0..n_t)]["id"];
        let v = &base["vacancies"][r.gen_range(0..n_v)]["id"];
        serde_json::json!({ "trainee": t, "vacancy": v })
    };
    // A pair is forbidden once (validation refuses it twice).
    let once = |mut pairs: Vec<serde_json::Value>| {
        let mut seen = std::collections::BTreeSet::new();
        pairs.retain(|pair| seen.insert(pair.to_string()));
        pairs
    };
    let before = once((0..r.gen_range(0..30)).map(|_| pick(&mut r)).collect());
    let mut after: Vec<_> = before.iter().filter(|_| r.gen_bool(0.6)).cloned().collect();
    after.extend((0..r.gen_range(0..30)).map(|_| pick(&mut r)));
    let after = once(after);
    let (mut p, mut q) = (base.clone(), base.clone());
    p["forbids"] = serde_json::json!(before);
    q["forbids"] = serde_json::json!(after);
    if r.gen_bool(0.25) {
        let t = r.gen_range(0..n_t);
        q["trainees"][t]["available_from"] = serde_json::json!("2020-06-20");
    }
    (common::problem(&p), common::problem(&q))
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, failure_persistence: None, ..Default::default() })]

    /// A comparison of forbids counts its variants' obstacles from the
    /// base's: the counts must be the ones the variant gives on its own.
    #[test]
    fn a_variant_that_only_forbids_other_pairs_counts_its_obstacles_from_the_base(seed in proptest::prelude::any::<u64>()) {
        use palim::analysis::compare::Obstacles;
        let (p, q) = forbids_changed(seed);
        let base = Obstacles::count(&p, None, 1).unwrap();
        let own = Obstacles::count(&q, None, 2).unwrap();
        let from_base = base.after_forbids(&p, &q);
        // A trainee's data is the one other thing a variant here changes.
        proptest::prop_assert_eq!(from_base.is_some(), p.trainees == q.trainees);
        if let Some(from_base) = from_base {
            proptest::prop_assert_eq!(&from_base, &own);
        }
        let both = palim::analysis::obstacles(&[&p, &q], None);
        proptest::prop_assert_eq!(&both[1], &Some(own.words(&q)));
        proptest::prop_assert_eq!(&both[0], &Some(base.words(&p)));
    }
}
