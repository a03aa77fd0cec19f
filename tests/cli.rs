//! The command line end to end: the bundled PALIM baseline through the real
//! binary, exit codes, byte-identical output, schemas and the generator.

mod common;

use std::path::Path;
use std::process::Output;

use common::{palim, tmp};
use serde_json::Value;

fn baseline() -> &'static str {
    "scenarios/palim-2020/baseline.json"
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn the_palim_baseline_solves_to_a_proven_optimum_within_every_rule() {
    let out = palim(&["solve", baseline(), "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m = json_of(&out);
    assert_eq!(m["format"], "palim-result/1");
    assert_eq!(m["status"], "optimal");
    assert!(m["infeasibility"].is_null());
    let be = m["destinations"]["BE"]["placed"].as_u64().unwrap();
    let ma = m["destinations"]["MA"]["placed"].as_u64().unwrap();
    assert!(be <= 30 && ma <= 90, "BE {be}, MA {ma}");
    assert!(
        be >= 20,
        "the baseline should place a realistic number in Flanders, got {be}"
    );
    assert_eq!(m["objective"]["placements"].as_u64().unwrap(), be + ma);
    assert_eq!(m["matches"].as_array().unwrap().len() as u64, be + ma);

    let women_be = m["matches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["destination"] == "BE")
        .filter(|x| {
            // gender comes from the scenario, not the result
            let scenario: Value = serde_json::from_str(
                &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(baseline()))
                    .unwrap(),
            )
            .unwrap();
            scenario["trainees"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["id"] == x["trainee"] && t["gender"] == "F")
        })
        .count() as f64;
    assert!(
        women_be / be as f64 >= 0.18,
        "women share in BE {}",
        women_be / be as f64
    );
    let share = &m["group_shares"][0];
    assert!(share["share"].as_f64().unwrap() >= 0.18);

    let unmatched = m["unmatched_trainees"].as_array().unwrap();
    assert_eq!(unmatched.len() as u64, 120 - be - ma);
    for u in unmatched {
        let reasons = u["reasons"].as_array().unwrap();
        assert!(!reasons.is_empty(), "{} has no reason", u["trainee"]);
        for r in reasons {
            assert!(
                r["code"].as_str().is_some_and(|c| !c.is_empty())
                    && r["message"].as_str().is_some_and(|c| !c.is_empty())
            );
        }
    }
    for f in m["unfilled_positions"].as_array().unwrap() {
        assert!(
            !f["reasons"].as_array().unwrap().is_empty(),
            "{} has no reason",
            f["vacancy"]
        );
    }
    for x in m["matches"].as_array().unwrap() {
        let b = &x["breakdown"];
        let sum = b["fit"].as_f64().unwrap()
            + b["trainee_preference"].as_f64().unwrap()
            + b["employer_preference"].as_f64().unwrap();
        assert!((sum - x["score"].as_f64().unwrap()).abs() < 5e-4, "{x}");
        assert!(x["why"].as_array().unwrap().len() >= 3);
    }
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let a = palim(&["solve", baseline(), "--format", "json"]);
    let b = palim(&["solve", baseline(), "--format", "json"]);
    assert!(a.stdout == b.stdout && !a.stdout.is_empty());
    let t1 = palim(&["solve", baseline(), "--format", "table"]);
    let t2 = palim(&["solve", baseline(), "--format", "table"]);
    assert!(t1.stdout == t2.stdout && !t1.stdout.is_empty());
}

#[test]
fn the_table_names_every_section() {
    let out = palim(&["solve", baseline(), "--format", "table"]);
    let text = String::from_utf8(out.stdout).unwrap();
    for heading in [
        "optimal (proven)",
        "Destinations",
        "Group shares",
        "Matches (",
        "Unmatched trainees (",
        "Unfilled positions (",
        "Method:",
    ] {
        assert!(text.contains(heading), "missing {heading}");
    }
}

#[test]
fn out_writes_the_json_match_set_to_a_file() {
    let path = tmp("baseline-result.json");
    let out = palim(&["solve", baseline(), "--out", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let m: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(m["status"], "optimal");
}

#[test]
fn invalid_input_exits_2_and_names_file_line_and_problem() {
    let path = tmp("broken.json");
    std::fs::write(&path, "{\n  \"format\": \"palim/1\",\n  \"model\": \"junior-java-developer\",\n  \"destinations\": {\"MA\": {}},\n  \"trainees\": [{\"id\": \"T1\", \"skills\": {\"jav\": 2}, \"available_from\": \"2020-04-01\"}],\n  \"vacancies\": []\n}\n").unwrap();
    let out = palim(&["solve", path.to_str().unwrap(), "--format", "table"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("broken.json:5:"), "{err}");
    assert!(
        err.contains(
            "trainees[0].skills.jav: the model junior-java-developer has no skill \"jav\""
        ),
        "{err}"
    );
    assert!(err.contains("did you mean \"java\"?"), "{err}");

    let json = palim(&["validate", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(json.status.code(), Some(2));
    let doc = json_of(&json);
    assert_eq!(doc["format"], "palim-errors/1");
    assert_eq!(doc["errors"][0]["pointer"], "/trainees/0/skills/jav");
    assert_eq!(doc["errors"][0]["line"], 5);
}

#[test]
fn a_missing_file_is_a_usage_error_not_a_panic() {
    let out = palim(&["solve", "no/such/file.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("palim: cannot read no/such/file.json"),
        "{err}"
    );
}

/// `explain` reads its match set while the scenario loads; what is wrong
/// with the match set is still told first, and alone, as when it was read
/// first.
#[test]
fn explain_tells_a_bad_match_set_before_a_bad_scenario() {
    let base = baseline();
    let both = palim(&["explain", "no/such/file.json", "--rules", "--result", base]);
    assert_eq!(both.status.code(), Some(2));
    let err = String::from_utf8(both.stderr).unwrap();
    assert!(err.contains("not a palim-result/1 match set"), "{err}");
    assert!(!err.contains("no/such/file.json"), "{err}");

    let result = tmp("explain-order-result.json");
    let solved = palim(&["solve", base, "-o", result.to_str().unwrap()]);
    assert_eq!(solved.status.code(), Some(0));
    let scenario = palim(&[
        "explain",
        "no/such/file.json",
        "--rules",
        "--result",
        result.to_str().unwrap(),
    ]);
    assert_eq!(scenario.status.code(), Some(2));
    let err = String::from_utf8(scenario.stderr).unwrap();
    assert!(err.contains("no/such/file.json"), "{err}");
}

#[test]
fn an_infeasible_scenario_exits_1_with_the_conflict_in_words() {
    let mut s: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(baseline())).unwrap(),
    )
    .unwrap();
    s["destinations"]["BE"]["min"] = serde_json::json!(30);
    s["group_shares"][0]["min_share"] = serde_json::json!(0.5);
    let path = tmp("infeasible.json");
    std::fs::write(&path, serde_json::to_string(&s).unwrap()).unwrap();
    let out = palim(&["solve", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let m = json_of(&out);
    assert_eq!(m["status"], "infeasible");
    assert!(m["matches"].as_array().unwrap().is_empty());
    let rules: Vec<&str> = m["infeasibility"]["conflicting_rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, vec!["destination_min", "group_share"]);
    let summary = m["infeasibility"]["summary"].as_str().unwrap();
    assert!(
        summary.contains("Flanders, Belgium needs at least 30 placements"),
        "{summary}"
    );
    assert!(
        summary.contains("At least 50% of placements in Flanders, Belgium must be women"),
        "{summary}"
    );
}

#[test]
fn schemas_are_generated_from_the_types() {
    for (kind, title) in [
        ("scenario", "palim scenario (palim/1)"),
        ("result", "palim match set (palim-result/1)"),
    ] {
        let out = palim(&["schema", kind]);
        assert_eq!(out.status.code(), Some(0));
        let schema = json_of(&out);
        assert_eq!(schema["title"], title);
        assert!(schema["properties"].is_object());
    }
    let schema = json_of(&palim(&["schema", "scenario"]));
    for field in [
        "format",
        "model",
        "destinations",
        "group_shares",
        "locks",
        "forbids",
        "objective",
        "pair_scores",
        "trainees",
        "vacancies",
    ] {
        assert!(
            schema["properties"].get(field).is_some(),
            "schema lacks {field}"
        );
    }
}

/// `palim generate --preset PRESET --seed SEED` into a file: its path, and
/// the finished command (which succeeded).
fn generated(preset: &str, seed: &str) -> (std::path::PathBuf, Output) {
    let path = tmp(&format!("generated-{preset}-{seed}.json"));
    let out = palim(&[
        "generate",
        "--preset",
        preset,
        "--seed",
        seed,
        "--out",
        path.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (path, out)
}

#[test]
fn the_bundled_baseline_is_exactly_what_the_generator_makes() {
    let (path, _) = generated("palim", "2020");
    let regenerated = std::fs::read(&path).unwrap();
    let bundled = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(baseline())).unwrap();
    assert!(
        regenerated == bundled,
        "scenarios/palim-2020/baseline.json differs from `palim generate --seed 2020`"
    );
}

#[test]
fn the_baseline_has_the_shape_of_the_pilot() {
    let s: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(baseline())).unwrap(),
    )
    .unwrap();
    let trainees = s["trainees"].as_array().unwrap();
    assert_eq!(trainees.len(), 120);
    assert_eq!(trainees.iter().filter(|t| t["gender"] == "F").count(), 22);
    let regions: std::collections::BTreeSet<&str> = trainees
        .iter()
        .map(|t| t["region"].as_str().unwrap())
        .collect();
    assert_eq!(regions.len(), 12, "all of Morocco's regions: {regions:?}");
    let be: Vec<&Value> = s["vacancies"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["destination"] == "BE")
        .collect();
    assert_eq!(be.len(), 20);
    let positions: i64 = be.iter().map(|v| v["positions"].as_i64().unwrap()).sum();
    assert!(
        (28..=40).contains(&positions),
        "{positions} Flemish positions"
    );
    assert_eq!(s["destinations"]["BE"]["max"], 30);
    assert_eq!(s["destinations"]["MA"]["max"], 90);
    assert_eq!(s["destinations"]["BE"]["permit_days"], 100);
}

#[test]
fn help_speaks_to_a_matching_officer() {
    let out = palim(&["solve", "--help"]);
    let text = String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Every hard rule holds in the answer"),
        "{text}"
    );
    assert!(text.contains("--time-limit"));
    let out = palim(&["--help"]);
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("Exit codes"));
}

#[test]
fn a_time_limit_still_returns_a_valid_answer() {
    let out = palim(&[
        "solve",
        baseline(),
        "--format",
        "json",
        "--time-limit",
        "30",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json_of(&out)["status"], "optimal");
    let bad = palim(&["solve", baseline(), "--time-limit", "-1"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn the_large_preset_is_national_in_shape_and_sparse() {
    let (path, out) = generated("large", "1");
    // "wrote …: 10000 trainees, 8000 vacancies, N eligible pairs"
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    let pairs: usize = said
        .split(", ")
        .find_map(|part| part.strip_suffix(" eligible pairs\n"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no pair count in {said:?}"));
    // About 500,000 of the 80 million trainee × vacancy pairs.
    assert!((300_000..=700_000).contains(&pairs), "{pairs} pairs");
    let s: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let dests = s["destinations"].as_object().unwrap();
    assert_eq!(dests.len(), 17, "5 provinces and 12 regions");
    assert!(
        dests.values().all(|d| d["max"].as_u64().is_some()),
        "every destination has a quota"
    );
    assert_eq!(s["group_shares"].as_array().unwrap().len(), 5);
    // Employers hire in several destinations, so their caps are not capacities.
    let mut regions_of: std::collections::HashMap<&str, std::collections::BTreeSet<&str>> =
        std::collections::HashMap::new();
    for v in s["vacancies"].as_array().unwrap() {
        regions_of
            .entry(v["employer"].as_str().unwrap())
            .or_default()
            .insert(v["destination"].as_str().unwrap());
    }
    assert!(regions_of.values().filter(|d| d.len() > 1).count() > regions_of.len() / 2);
}

/// `explain --result` answers against the match set `solve` wrote, without
/// solving again: the same report as the explanation that solves first. A
/// match set of another scenario is refused, saying why.
#[test]
fn explain_against_a_solved_match_set_gives_the_same_report() {
    let result = tmp("explain-result.json");
    let out = palim(&[
        "solve",
        baseline(),
        "--format",
        "json",
        "--out",
        result.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let set: Value = serde_json::from_str(&std::fs::read_to_string(&result).unwrap()).unwrap();
    let unmatched = set["unmatched_trainees"][0]["trainee"].as_str().unwrap();
    for subject in [
        ["--trainee", unmatched],
        ["--vacancy", "BE-01"],
        ["--rules", ""],
    ] {
        let mut args = vec!["explain", baseline(), "--format", "json"];
        args.extend(subject.iter().filter(|a| !a.is_empty()));
        let fresh = palim(&args);
        args.extend(["--result", result.to_str().unwrap()]);
        let against = palim(&args);
        assert!(
            against.status.success(),
            "{}",
            String::from_utf8_lossy(&against.stderr)
        );
        assert_eq!(fresh.stdout, against.stdout, "{subject:?}");
        // `--out` writes the very report to a file, and nothing to the screen.
        let file = tmp("explain-out.json");
        args.extend(["--out", file.to_str().unwrap()]);
        let written = palim(&args);
        assert!(written.status.success());
        assert!(written.stdout.is_empty(), "{subject:?}");
        assert_eq!(std::fs::read(&file).unwrap(), against.stdout, "{subject:?}");
    }
    let other =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/palim-2020/women-30-percent.json");
    let refused = palim(&[
        "explain",
        other.to_str().unwrap(),
        "--rules",
        "--result",
        result.to_str().unwrap(),
    ]);
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("solved from another scenario"), "{err}");
}

/// `explain --trainee TRAINEE --result RESULT` on `scenario`, which must
/// succeed: its report and what it said on stderr.
fn ask_about(scenario: &str, trainee: &str, result: &str) -> (Vec<u8>, String) {
    let out = palim(&[
        "explain",
        scenario,
        "--trainee",
        trainee,
        "--format",
        "json",
        "--result",
        result,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.stdout, String::from_utf8(out.stderr).unwrap())
}

/// `solve --out R.json` keeps its score's LP beside the result
/// (`R.json.start`), where `explain --result R.json` starts its what-ifs
/// from it: the same report as from nothing, and the start left as the
/// solve wrote it. A result in another form gets none, and a solve no LP
/// made (the flow's) takes away the start an earlier result of that name
/// left.
#[test]
fn solve_keeps_its_lp_start_beside_a_json_result_for_the_questions_after() {
    let scenario = "scenarios/palim-2020/women-30-percent.json";
    let result = tmp("solve-start-result.json");
    let result = result.to_str().unwrap();
    let table = tmp("solve-start-result.txt");
    let start = format!("{result}.start");
    let _ = std::fs::remove_file(&start);
    let solved = palim(&[
        "solve",
        scenario,
        "-o",
        result,
        "-o",
        table.to_str().unwrap(),
    ]);
    assert!(
        solved.status.success(),
        "{}",
        String::from_utf8_lossy(&solved.stderr)
    );
    let set: Value = serde_json::from_str(&std::fs::read_to_string(result).unwrap()).unwrap();
    let kept = std::fs::read(&start).expect("the solve keeps its start beside a .json result");
    let read: Value = serde_json::from_slice(&kept).unwrap();
    assert_eq!(read["format"], "palim-start/1");
    assert_eq!(read["input_sha256"], set["input_sha256"]);
    assert!(!read["start"]["core"].as_array().unwrap().is_empty());
    assert!(!Path::new(&format!("{}.start", table.display())).exists());

    let unmatched = set["unmatched_trainees"][0]["trainee"].as_str().unwrap();
    let ask = || ask_about(scenario, unmatched, result);
    let (from_solve, said) = ask();
    assert_eq!(said, "");
    assert_eq!(std::fs::read(&start).unwrap(), kept, "read, not replaced");
    std::fs::remove_file(&start).unwrap();
    assert_eq!(
        ask(),
        (from_solve, String::new()),
        "the same as from nothing"
    );

    // The flow solves the baseline: no LP, so no start beside its result.
    let baseline = "scenarios/palim-2020/baseline.json";
    std::fs::write(&start, &kept).unwrap();
    assert!(palim(&["solve", baseline, "-o", result]).status.success());
    assert!(
        !Path::new(&start).exists(),
        "the other scenario's start is gone"
    );
}

/// `explain --result` keeps the start of its what-ifs beside the result
/// (`RESULT.start`), and the next question starts from it: the same report.
/// A file there that is not a start for this scenario is said, replaced,
/// and changes nothing either, whatever is wrong with it.
#[test]
fn explain_keeps_its_start_beside_the_result_and_a_wrong_one_changes_nothing() {
    let scenario = "scenarios/palim-2020/women-30-percent.json";
    let result = tmp("kept-start-result.json");
    let result = result.to_str().unwrap();
    assert!(
        palim(&["solve", scenario, "--format", "json", "-o", result])
            .status
            .success()
    );
    let set: Value = serde_json::from_str(&std::fs::read_to_string(result).unwrap()).unwrap();
    let sha = set["input_sha256"].as_str().unwrap().to_string();
    let unmatched = set["unmatched_trainees"][0]["trainee"].as_str().unwrap();
    let start = format!("{result}.start");
    let _ = std::fs::remove_file(&start);
    let ask = || ask_about(scenario, unmatched, result);
    let (report, said) = ask();
    assert_eq!(said, "");
    let kept = std::fs::read(&start).expect("the first question keeps its start");
    let read: Value = serde_json::from_slice(&kept).unwrap();
    assert_eq!(read["format"], "palim-start/1");
    assert_eq!(read["input_sha256"], sha.as_str());
    assert_eq!(ask(), (report.clone(), String::new()));
    assert_eq!(
        std::fs::read(&start).unwrap(),
        kept,
        "a start read is not written again"
    );
    // Another start that is one (holding no cuts) is read, not replaced.
    let mut cutless = read.clone();
    cutless["start"]["cuts"] = serde_json::json!([]);
    std::fs::write(&start, cutless.to_string()).unwrap();
    assert_eq!(ask(), (report.clone(), String::new()));
    assert_eq!(
        std::fs::read(&start).unwrap(),
        cutless.to_string().as_bytes()
    );

    let misfit = serde_json::json!({"format": "palim-start/1", "input_sha256": sha,
        "start": {"core": [0], "cols": [0], "rows": [0], "cuts": []}});
    let out_of_range = serde_json::json!({"format": "palim-start/1", "input_sha256": sha,
        "start": {"core": [99_999_999], "cols": [1], "rows": [], "cuts": []}});
    let other = serde_json::json!({"format": "palim-start/1", "input_sha256": "0".repeat(64),
        "start": read["start"]});
    for (file, says) in [
        ("not a start".to_string(), Some("not a palim-start/1 file")),
        (other.to_string(), Some("kept for another scenario")),
        (
            out_of_range.to_string(),
            Some("not a start for this scenario's pairs"),
        ),
        // A start whose counts do not fit the LP starts nothing: unsaid.
        (misfit.to_string(), None),
    ] {
        std::fs::write(&start, &file).unwrap();
        let (again, said) = ask();
        assert_eq!(again, report, "{file}");
        match says {
            Some(says) => {
                assert!(said.contains(says) && said.contains(&start), "{said}");
                assert_eq!(std::fs::read(&start).unwrap(), kept, "kept anew");
            }
            None => assert_eq!(said, "", "{file}"),
        }
    }
}
