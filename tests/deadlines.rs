//! Every operation that can re-solve honours one deadline: when it passes,
//! the answer says what was finished and what was not, and nothing is
//! reported that was not proven.

mod common;

use std::time::{Duration, Instant};

use palim::analysis::explain::{self, Context};
use palim::app::service;
use palim::eligibility::Eligibility;
use palim::input::validate::{load_str, LoadOptions};
use palim::solve::diagnose;
use palim::PalimError;
use serde_json::{json, Value};

use common::baseline;

/// The baseline with five fewer Flemish places: eligible trainees lose out,
/// and what-ifs can give them a place.
fn tight_flanders() -> Value {
    let mut s = baseline();
    s["destinations"]["BE"]["max"] = json!(25);
    s
}

#[test]
fn a_what_if_whose_deadline_has_passed_is_left_out_and_counted() {
    let p = common::problem(&tight_flanders());
    let cx = Context::new(&p).unwrap();
    let t = cx
        .set
        .unmatched_trainees
        .iter()
        .filter(|u| u.eligible_somewhere)
        .filter_map(|u| p.trainee_ix(&u.trainee))
        .find(|&t| !explain::trainee(&cx, t).unwrap().changes.is_empty())
        .expect("an unmatched trainee with a change that places them");
    let cx = Context::new(&p).unwrap().until(Some(Instant::now()));
    let r = explain::trainee(&cx, t).unwrap();
    assert!(
        r.changes.is_empty(),
        "nothing can be proven after the deadline"
    );
    assert!(cx.skipped() > 0);
    let note = explain::unfinished_note(cx.skipped()).unwrap();
    assert!(note.contains("not computed"), "{note}");
    assert_eq!(explain::unfinished_note(0), None);
}

#[test]
fn a_report_with_time_to_spare_says_nothing_is_unfinished() {
    let p = common::problem(&tight_flanders());
    let far = Some(Instant::now() + Duration::from_secs(600));
    let t = service::Subject::Trainee(p.trainees[0].id.clone());
    match service::explain(&p, &t, Default::default(), far).unwrap() {
        service::Explained::Report(r) => {
            let text = service::to_json(&r);
            assert!(!text.contains("\"unfinished\""), "{text}");
        }
        service::Explained::Infeasible(_) => panic!("feasible"),
    }
}

/// A rules report cut short says which rows it could not solve and that it
/// did not count the pairs; on the screen too, where a row whose relaxation
/// was not solved must not read "relaxing it changes nothing".
#[test]
fn the_rules_past_their_deadline_say_what_they_did_not_solve_or_count() {
    let p = common::problem(&tight_flanders());
    let in_time = Context::new(&p).unwrap();
    let whole = explain::rules(&in_time).unwrap();
    assert!(!whole.eligibility.is_empty());
    assert!(whole.hard_rules.iter().all(|h| !h.unsolved));
    assert!(
        (whole.hard_rules.iter()).any(|h| h.binding && h.relaxed.is_some()),
        "the tight baseline has a binding rule whose relaxation is solved"
    );
    assert_eq!(in_time.unfinished(), None);

    let cx = Context::new(&p).unwrap().until(Some(Instant::now()));
    let mut cut = explain::rules(&cx).unwrap();
    assert!(cut.eligibility.is_empty(), "no count of only some pairs");
    for (h, w) in cut.hard_rules.iter().zip(&whole.hard_rules) {
        assert_eq!(h.unsolved, w.relaxed.is_some(), "{}", h.state);
        assert!(h.relaxed.is_none(), "{}", h.state);
    }
    cut.unfinished = cx.unfinished();
    let note = cut.unfinished.clone().expect("an unfinished note");
    assert!(note.contains("not computed"), "{note}");
    assert!(note.contains("not counted"), "{note}");
    let text = palim::render::explanation::rules(&cut);
    assert!(!text.contains("changes nothing"), "{text}");
    assert!(text.contains("not solved by the time limit"), "{text}");
    assert!(text.contains("(not counted by the time limit)"), "{text}");
    assert!(text.trim_end().ends_with("not counted."), "{text}");
}

/// The skills report past its deadline counts nothing rather than some
/// pairs, and does not say that no module would open anything.
#[test]
fn the_skills_past_their_deadline_say_they_were_not_counted() {
    let p = common::problem(&tight_flanders());
    let cx = Context::new(&p).unwrap().until(Some(Instant::now()));
    let mut r = explain::skills(&cx).unwrap();
    assert!(r.exclusions.is_empty() && r.modules.is_empty());
    r.unfinished = cx.unfinished();
    let note = r.unfinished.clone().expect("an unfinished note");
    assert!(note.contains("were not counted"), "{note}");
    let text = palim::render::explanation::skills(&r);
    assert!(!text.contains("no single one-level module"), "{text}");
    assert!(text.contains("none found by the time limit"), "{text}");
    let in_time = Context::new(&p).unwrap();
    let whole = explain::skills(&in_time).unwrap();
    assert!(!whole.exclusions.is_empty() && !whole.modules.is_empty());
    assert_eq!(in_time.unfinished(), None);
}

#[test]
fn a_diagnosis_stopped_by_its_deadline_still_names_a_conflict() {
    let mut s = baseline();
    // 33 trainees are eligible in Flanders: 34 cannot be placed there.
    s["destinations"]["BE"]["max"] = json!(40);
    s["destinations"]["BE"]["min"] = json!(34);
    let p = common::problem(&s);
    let e = Eligibility::build(&p);
    let (conflict, minimal) =
        diagnose::minimal_conflict_until(&p, &e, Some(Instant::now())).unwrap();
    assert!(!minimal);
    assert!(!conflict.is_empty());
    let inf = diagnose::explain_infeasibility(&p, &e, Some(Instant::now())).unwrap();
    assert!(inf.unfinished.is_some());
    let (conflict, minimal) = diagnose::minimal_conflict_until(&p, &e, None).unwrap();
    assert!(minimal);
    assert!(!conflict.is_empty());
}

#[test]
fn risk_and_compare_past_their_deadline_say_how_far_they_got() {
    let mut s = baseline();
    s["destinations"]["BE"]["permit_days_distribution"] =
        json!({ "triangular": { "min": 60, "mode": 100, "max": 200 } });
    let p = common::problem(&s);
    let req = service::RiskRequest {
        min_on_time: Some(0.5),
        deadline: Some(Instant::now()),
        ..Default::default()
    };
    match service::risk(p.clone(), &req) {
        Err(PalimError::TimeLimit(what)) => assert!(what.contains("0 of"), "{what}"),
        other => panic!("{other:?}"),
    }
    let scenarios = vec![("base".to_string(), p.clone()), ("same".to_string(), p)];
    match service::compare(&scenarios, Some(Instant::now()), false) {
        Err(PalimError::TimeLimit(what)) => assert!(what.contains("0 of 2"), "{what}"),
        Ok(c) => assert_eq!(
            c.base.status,
            palim::documents::match_set::ResultStatus::TimeLimit
        ),
        Err(other) => panic!("{other}"),
    }
}

#[test]
fn the_obstacles_of_a_comparison_are_counted_within_its_deadline() {
    let p = common::problem(&baseline());
    assert_eq!(
        palim::analysis::obstacles(&[&p, &p], Some(Instant::now())),
        [None, None],
        "no destination is counted once the deadline has passed"
    );
    let counted = palim::analysis::obstacles(&[&p], None)[0].clone().unwrap();
    assert!(!counted.is_empty());
    let far = Some(Instant::now() + Duration::from_secs(600));
    assert_eq!(palim::analysis::obstacles(&[&p], far), [Some(counted)]);
}

/// 1,000 trainees × 400 vacancies with shares: `solve --explain` takes
/// about 2 s without a limit here (some 1,000 what-ifs; the solve is
/// 0.3 s of it).
fn medium() -> std::path::PathBuf {
    common::generated("medium", "deadline-medium.json")
}

#[test]
fn explanations_stop_at_their_time_limit_and_say_what_they_left_out() {
    let path = medium();
    let started = Instant::now();
    let out = common::palim(&[
        "solve",
        path.to_str().unwrap(),
        "--explain",
        "--format",
        "json",
        "--time-limit",
        "1",
    ]);
    let took = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let set: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(set["status"], "optimal", "the solve itself fits in 1 s");
    let note = set["explanations"]["unfinished"]
        .as_str()
        .expect("an unfinished note");
    assert!(note.contains("not computed"), "{note}");
    // Reports are written in order as their what-ifs come in, so those
    // finished by the deadline are the first ones.
    let ids = |list: &Value| -> Vec<String> {
        let reports = list.as_array().expect("a list");
        reports.iter().map(|r| r["trainee"].to_string()).collect()
    };
    let explained = ids(&set["explanations"]["unmatched_trainees"]);
    let unmatched = ids(&set["unmatched_trainees"]);
    assert_eq!(explained, unmatched[..explained.len()], "{note}");
    // 1 s asked (the whole takes about 2 s): the solve and some of the
    // what-ifs; the margin is for a loaded machine.
    assert!(took < Duration::from_secs(30), "took {took:?}");
}

#[test]
fn the_text_of_a_scenario_is_refused_or_answered_by_the_service_with_a_deadline() {
    let text = serde_json::to_string(&tight_flanders()).unwrap();
    let p = load_str(&text, "x.json", &LoadOptions::default()).unwrap();
    let req = service::SolveRequest {
        explain: true,
        deadline: Some(Instant::now() + Duration::from_secs(600)),
        ..Default::default()
    };
    let set = service::solve(&p, &req).unwrap();
    let ex = set.explanations.expect("explanations");
    assert_eq!(ex.unfinished, None);
}

/// The baseline's Flemish places from 20 to 30 in steps of 5.
fn flemish_places() -> palim::analysis::sweep::Grid {
    palim::analysis::sweep::Grid::parse(&["destinations.BE.max=20..30:5".to_string()]).unwrap()
}

#[test]
fn a_sweep_past_its_deadline_keeps_every_point_and_says_which_were_not_solved() {
    use palim::analysis::sweep;
    let text = baseline().to_string();
    let grid = flemish_places();
    let run = |deadline| {
        sweep::run(
            &text,
            "baseline.json",
            &grid.axes,
            2,
            &LoadOptions::default(),
            deadline,
            &|| {},
        )
        .unwrap()
    };
    let past = run(Some(Instant::now()));
    assert!(past.points.is_empty());
    assert_eq!(past.unsolved, vec![vec![20.0], vec![25.0], vec![30.0]]);
    assert_eq!(
        palim::render::sweep::csv(&grid.axes, &past),
        "destinations.BE.max,status,placements,score\n\
         20,not_solved,,\n25,not_solved,,\n30,not_solved,,\n"
    );
    let done = run(Some(Instant::now() + Duration::from_secs(600)));
    assert!(done.unsolved.is_empty());
    let flemish: Vec<usize> = done.points.iter().map(|p| p.by_destination["BE"]).collect();
    assert_eq!(
        flemish,
        [20, 25, 30],
        "each point solved, in the grid's order"
    );
}

#[test]
fn a_sweep_s_table_puts_the_points_not_solved_where_they_belong() {
    use palim::analysis::sweep::{self, Point, Sweep};
    let text = baseline().to_string();
    let grid = flemish_places();
    let far = Some(Instant::now() + Duration::from_secs(600));
    let mut all = sweep::run(
        &text,
        "b.json",
        &grid.axes,
        1,
        &LoadOptions::default(),
        far,
        &|| {},
    )
    .unwrap()
    .points;
    // The middle point as if its solve had run out of time.
    let middle: Point = all.remove(1);
    let cut = Sweep {
        points: all,
        unsolved: vec![middle.values.clone()],
    };
    let csv = palim::render::sweep::csv(&grid.axes, &cut);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "destinations.BE.max,status,placements,placements_BE,placements_MA,score"
    );
    assert!(rows[1].starts_with("20,optimal,103,20,"), "{csv}");
    assert_eq!(rows[2], "25,not_solved,,,,", "empty cells, not zeros");
    assert!(rows[3].starts_with("30,optimal,113,30,"), "{csv}");
    // Two axes: the first outermost, each ascending, as the grid is solved.
    let two = Sweep {
        points: Vec::new(),
        unsolved: vec![vec![2.0, 1.0], vec![1.0, 3.0], vec![1.0, 2.0]],
    };
    let order: Vec<Vec<f64>> = (two.rows().iter())
        .map(|row| row.values().to_vec())
        .collect();
    assert_eq!(order, [vec![1.0, 2.0], vec![1.0, 3.0], vec![2.0, 1.0]]);
}

#[test]
fn the_sweep_command_takes_a_time_limit_and_exits_3_with_points_left_unsolved() {
    let out = common::palim(&[
        "sweep",
        "scenarios/palim-2020/baseline.json",
        "--vary",
        "destinations.BE.max=20..30:5",
        "--time-limit",
        "0",
    ]);
    assert_eq!(out.status.code(), Some(3));
    let table = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        table.lines().filter(|l| l.contains(",not_solved,")).count(),
        3,
        "{table}"
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("3 of 3 points not solved"), "{said}");
    assert!(said.contains("--time-limit"), "{said}");
}

#[test]
fn a_comparison_whose_obstacles_were_not_counted_in_time_is_shown_and_says_so() {
    use palim::analysis::compare::{compare, with_obstacles};
    let p = common::problem(&baseline());
    let m = palim::solve(&p, &Default::default()).unwrap();
    let mut c = compare(("base.json", &m), &[("late.json".to_string(), m.clone())]);
    let counted = palim::analysis::obstacles(&[&p], None)[0].clone().unwrap();
    with_obstacles(&mut c, vec![Some(counted.clone()), None]);
    assert_eq!(c.base.obstacles, counted);
    assert!(c.variants[0].column.obstacles.is_empty());
    let note = c.unfinished.clone().expect("a note");
    assert!(
        note.contains("not counted by the time limit in late.json"),
        "{note}"
    );
    assert!(!note.contains("base.json"), "{note}");
    for text in [
        palim::render::comparison::table(&c),
        palim::render::comparison::markdown(&c),
    ] {
        assert!(
            text.trim_end()
                .ends_with("allow more time with --time-limit."),
            "{text}"
        );
    }
    let json = service::to_json(&c);
    assert!(json.contains("\"unfinished\""), "{json}");
    // Everything counted: no note, in the JSON or on the screen.
    let mut whole = compare(("base.json", &m), &[("same.json".to_string(), m.clone())]);
    with_obstacles(&mut whole, vec![Some(counted.clone()), Some(counted)]);
    assert_eq!(whole.unfinished, None);
    assert!(!service::to_json(&whole).contains("\"unfinished\""));
    assert!(!palim::render::comparison::table(&whole).contains("time limit"));
}
