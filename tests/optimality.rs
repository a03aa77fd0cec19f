//! Optimality and soundness, checked against exhaustive search on many small
//! random scenarios: the solver's lexicographic objective equals the best the
//! brute force finds, every hard rule holds in every answer, infeasibility is
//! reported exactly when no match set exists, and the reported conflict is
//! minimal.

mod common;

use std::collections::HashSet;

use palim::eligibility::Eligibility;
use palim::model::problem::Problem;
use palim::model::scenario::Priority;
use palim::solve::hard_rules::HardRule;
use palim::solve::optimize::{self, Outcome, SolveOptions};
use palim::solve::{audit, diagnose};
use proptest::prelude::*;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

/// A random scenario with every rule switched on at random.
fn random_scenario(seed: u64) -> Value {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    let n_t = r.gen_range(2..=6);
    let n_v = r.gen_range(1..=4);
    let date = |r: &mut ChaCha8Rng, from: &str, span: i64| {
        (from.parse::<chrono::NaiveDate>().unwrap() + chrono::Duration::days(r.gen_range(0..=span)))
            .to_string()
    };
    let mut a = json!({
        "label": "Aland", "permit_days": *[0, 30, 60].choose(&mut r).unwrap(),
        "salary_floor": [ { "under_age": 30, "annual": 30000 }, { "annual": 40000 } ],
        "start_window": { "earliest": "2020-04-01", "latest": "2020-06-30" }
    });
    if r.gen_bool(0.3) {
        a["blackouts"] = json!([{ "from": date(&mut r, "2020-04-01", 60), "to": date(&mut r, "2020-05-15", 40) }]);
        let b = &a["blackouts"][0];
        if b["to"].as_str() < b["from"].as_str() {
            a["blackouts"] = json!([]);
        }
    }
    let mut b = json!({ "label": "Bland" });
    for d in [&mut a, &mut b] {
        if r.gen_bool(0.3) {
            d["min"] = json!(r.gen_range(1..=2));
        }
        if r.gen_bool(0.4) {
            d["max"] = json!(r.gen_range(2..=3));
        }
    }
    let trainees: Vec<Value> = (0..n_t)
        .map(|i| {
            let dests = match r.gen_range(0..4) {
                0 => json!(["A"]),
                1 => json!(["B"]),
                _ => json!(["A", "B"]),
            };
            let mut t = json!({
                "id": format!("T{i}"),
                "gender": if r.gen_bool(0.4) { "F" } else { "M" },
                "birth_date": date(&mut r, "1989-12-01", 1000),
                "skills": { "java": r.gen_range(0..=4), "english": r.gen_range(0..=6) },
                "destinations": dests,
                "available_from": date(&mut r, "2020-03-20", 90),
                "documents_ready": date(&mut r, "2020-02-01", 120)
            });
            let mut ranked: Vec<String> = (0..n_v).map(|v| format!("V{v}")).collect();
            ranked.shuffle(&mut r);
            ranked.truncate(r.gen_range(0..=n_v));
            t["ranking"] = json!(ranked);
            t
        })
        .collect();
    let vacancies: Vec<Value> = (0..n_v)
        .map(|i| {
            let mut ranked: Vec<String> = (0..n_t).map(|t| format!("T{t}")).collect();
            ranked.shuffle(&mut r);
            ranked.truncate(r.gen_range(0..=3.min(n_t)));
            json!({
                "id": format!("V{i}"),
                "employer": format!("E{}", r.gen_range(0..3)),
                "destination": if r.gen_bool(0.5) { "A" } else { "B" },
                "positions": r.gen_range(1..=2),
                "requires": { "java": r.gen_range(0..=3) },
                "values": { "java": r.gen_range(0..=3) as f64 * 0.5, "english": r.gen_range(0..=3) as f64 * 0.5 },
                "salary": r.gen_range(28..=42) * 1000,
                "ranking": ranked
            })
        })
        .collect();
    let mut s = json!({
        "format": "palim/1", "name": format!("random {seed}"), "model": "junior-java-developer",
        "destinations": { "A": a, "B": b }, "trainees": trainees, "vacancies": vacancies
    });
    if r.gen_bool(0.4) {
        let mut g = json!({ "attribute": "gender", "value": "F", "min_share": r.gen_range(1..=6) as f64 * 0.1 });
        if r.gen_bool(0.5) {
            g["destination"] = json!("A");
        }
        if r.gen_bool(0.3) {
            g["max_share"] = json!(0.8);
        }
        s["group_shares"] = json!([g]);
    }
    if r.gen_bool(0.3) {
        s["max_per_employer"] = json!(r.gen_range(1..=2));
    }
    if r.gen_bool(0.3) {
        s["forbids"] = json!([{ "trainee": format!("T{}", r.gen_range(0..n_t)), "vacancy": format!("V{}", r.gen_range(0..n_v)) }]);
    }
    if r.gen_bool(0.3) {
        let scores: Vec<Value> = (0..n_t)
            .flat_map(|t| (0..n_v).map(move |v| (t, v)))
            .filter(|_| r.gen_bool(0.5))
            .map(|(t, v)| json!({ "trainee": format!("T{t}"), "vacancy": format!("V{v}"), "score": (t * 7 + v * 3) % 10 }))
            .collect();
        s["pair_scores"] = json!(scores);
        s["pair_scores_only"] = json!(r.gen_bool(0.3));
    }
    s["objective"] = match r.gen_range(0..4) {
        0 => json!({ "priorities": ["score", "placements"] }),
        1 => {
            json!({ "priorities": ["score"], "weights": { "fit": 1, "trainee_preference": 0.3, "employer_preference": 0.2 } })
        }
        _ => json!({}),
    };
    // A lock, on a pair that is eligible (validation rejects the others).
    if r.gen_bool(0.3) {
        common::random::lock_one(&mut s, &mut r);
    }
    s
}

/// The hard rules, written again independently of the model, with some rule
/// groups switched off.
fn holds(p: &Problem, e: &Eligibility, chosen: &[usize], off: &HashSet<HardRule>) -> bool {
    let pairs: Vec<_> = chosen.iter().map(|&i| &e.pairs[i]).collect();
    for (v, vac) in p.vacancies.iter().enumerate() {
        if pairs.iter().filter(|x| x.v == v).count() > vac.positions as usize {
            return false;
        }
    }
    for (d, dest) in p.destinations.iter().enumerate() {
        let n = pairs.iter().filter(|x| p.vacancies[x.v].dest == d).count() as u32;
        if !off.contains(&HardRule::DestinationMin(d)) && n < dest.min {
            return false;
        }
        if !off.contains(&HardRule::DestinationMax(d)) && dest.max.is_some_and(|m| n > m) {
            return false;
        }
    }
    for emp in 0..p.employers.len() {
        let n = pairs
            .iter()
            .filter(|x| p.vacancies[x.v].employer == emp)
            .count() as u32;
        if !off.contains(&HardRule::EmployerCap(emp))
            && p.employer_caps[emp].is_some_and(|cap| n > cap)
        {
            return false;
        }
    }
    for (s, share) in p.shares.iter().enumerate() {
        if off.contains(&HardRule::GroupShare(s)) {
            continue;
        }
        let scope: Vec<_> = pairs
            .iter()
            .filter(|x| share.dest.is_none_or(|d| p.vacancies[x.v].dest == d))
            .collect();
        // The contract's words, not the solver's `in_group`: a member's attribute equals the value.
        let member = |t| p.attribute(t, &share.attribute).as_ref() == Some(&share.value);
        let members = scope.iter().filter(|x| member(x.t)).count() as f64;
        let n = scope.len() as f64;
        if members < share.min_share * n - 1e-9
            || share.max_share.is_some_and(|m| members > m * n + 1e-9)
        {
            return false;
        }
    }
    for (l, lock) in p.locks.iter().enumerate() {
        if !off.contains(&HardRule::Lock(l))
            && !pairs
                .iter()
                .any(|x| x.t == lock.trainee && x.v == lock.vacancy)
        {
            return false;
        }
    }
    true
}

/// Lexicographic "a is better than b", with a tolerance for float scores.
fn better(a: &[f64], b: &[f64]) -> bool {
    for (x, y) in a.iter().zip(b) {
        if x > &(y + 1e-9) {
            return true;
        }
        if x < &(y - 1e-9) {
            return false;
        }
    }
    false
}

fn brute_best(p: &Problem, e: &Eligibility) -> Option<Vec<f64>> {
    let mut best: Option<Vec<f64>> = None;
    common::all_match_sets(e, p.trainees.len(), |chosen| {
        if holds(p, e, chosen, &HashSet::new()) {
            let value = common::objective(p, e, chosen);
            if best.as_ref().is_none_or(|b| better(&value, b)) {
                best = Some(value);
            }
        }
    });
    best
}

fn brute_feasible(p: &Problem, e: &Eligibility, off: &HashSet<HardRule>) -> bool {
    let mut found = false;
    common::all_match_sets(e, p.trainees.len(), |chosen| {
        found = found || holds(p, e, chosen, off)
    });
    found
}

fn check(seed: u64) -> Result<(), TestCaseError> {
    let scenario = random_scenario(seed);
    let p = common::problem(&scenario);
    let e = Eligibility::build(&p);
    let outcome = optimize::solve(&p, &e, &SolveOptions::default()).expect("solver runs");
    match (brute_best(&p, &e), outcome) {
        (Some(best), Outcome::Solved(sol)) => {
            let broken = audit::violations(&p, &e, &sol.chosen);
            prop_assert!(broken.is_empty(), "seed {seed}: {broken:?}");
            prop_assert!(
                holds(&p, &e, &sol.chosen, &HashSet::new()),
                "seed {seed}: rules broken"
            );
            let got = common::objective(&p, &e, &sol.chosen);
            prop_assert!(
                !better(&best, &got),
                "seed {seed}: solver {got:?} worse than exhaustive {best:?}"
            );
            prop_assert!(
                !better(&got, &best),
                "seed {seed}: solver {got:?} better than exhaustive {best:?}?"
            );
        }
        (None, Outcome::Infeasible) => {
            let conflict: HashSet<HardRule> = diagnose::minimal_conflict(&p, &e)
                .expect("diagnosis runs")
                .into_iter()
                .collect();
            prop_assert!(
                !conflict.is_empty(),
                "seed {seed}: an infeasible scenario needs a conflict"
            );
            let all: HashSet<HardRule> = HardRule::all_relaxable(&p).into_iter().collect();
            let outside: HashSet<HardRule> = all.difference(&conflict).copied().collect();
            prop_assert!(
                !brute_feasible(&p, &e, &outside),
                "seed {seed}: the conflict {conflict:?} alone is feasible"
            );
            for r in &conflict {
                let mut off = outside.clone();
                off.insert(*r);
                prop_assert!(
                    brute_feasible(&p, &e, &off),
                    "seed {seed}: {conflict:?} is not minimal: without {r:?} still infeasible"
                );
            }
        }
        (best, outcome) => {
            return Err(TestCaseError::fail(format!(
                "seed {seed}: exhaustive {best:?} but solver {outcome:?}"
            )));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_solver_matches_exhaustive_search(seed in any::<u64>()) {
        check(seed)?;
    }
}

#[test]
fn a_fixed_range_of_seeds_covers_infeasible_and_locked_cases() {
    let (mut infeasible, mut locked, mut shares) = (0, 0, 0);
    for seed in 0..200 {
        check(seed).unwrap();
        let s = random_scenario(seed);
        let p = common::problem(&s);
        let e = Eligibility::build(&p);
        infeasible += usize::from(matches!(
            optimize::solve(&p, &e, &SolveOptions::default()).unwrap(),
            Outcome::Infeasible
        ));
        locked += usize::from(!p.locks.is_empty());
        shares += usize::from(!p.shares.is_empty());
    }
    // The generator must actually exercise the interesting cases.
    assert!(infeasible >= 10, "only {infeasible} infeasible cases");
    assert!(
        locked >= 20 && shares >= 40,
        "locks {locked}, shares {shares}"
    );
}

/// Re-planning after an officer forbids one of the announced matches: the new
/// plan has the most placements, then keeps as many announced matches as any
/// plan with that many placements can, then the best score — checked by
/// exhaustive search.
fn check_replan(seed: u64) -> Result<(), TestCaseError> {
    let mut scenario = random_scenario(seed);
    if scenario.get("locks").is_some() {
        return Ok(());
    }
    let p = common::problem(&scenario);
    let before = palim::solve(&p, &SolveOptions::default()).unwrap();
    let Some(cut) = before.matches.first() else {
        return Ok(());
    };
    let mut forbids = scenario.get("forbids").cloned().unwrap_or(json!([]));
    forbids
        .as_array_mut()
        .unwrap()
        .push(json!({ "trainee": cut.trainee, "vacancy": cut.vacancy }));
    scenario["forbids"] = forbids;
    let q = common::problem(&scenario);
    let after =
        palim::analysis::replan::solve(&q, &before, "before.json", &SolveOptions::default())
            .unwrap();
    let e = Eligibility::build(&q);
    let announced = palim::analysis::replan::pairs_of(&q, &e, &before);
    // Exhaustive: the best (placements, kept, score...) over every feasible match set.
    let mut best: Option<Vec<f64>> = None;
    common::all_match_sets(&e, q.trainees.len(), |chosen| {
        if holds(&q, &e, chosen, &HashSet::new()) {
            let kept = chosen.iter().filter(|i| announced.contains(i)).count() as f64;
            let score: f64 = chosen.iter().map(|&i| e.pairs[i].score).sum();
            let value = vec![chosen.len() as f64, kept, score];
            if best.as_ref().is_none_or(|b| better(&value, b)) {
                best = Some(value);
            }
        }
    });
    let Some(best) = best else {
        prop_assert_eq!(
            after.status,
            palim::documents::match_set::ResultStatus::Infeasible
        );
        return Ok(());
    };
    if q.priorities.first() != Some(&Priority::Placements) || q.priorities.len() != 2 {
        return Ok(()); // the order is placements, kept, then the scenario's other priority
    }
    let kept = after.replan.as_ref().unwrap().kept as f64;
    let got = vec![
        after.objective.placements as f64,
        kept,
        after.objective.score,
    ];
    prop_assert!(
        (got[0] - best[0]).abs() < 1e-9 && (got[1] - best[1]).abs() < 1e-9,
        "seed {seed}: replan {got:?}, exhaustive {best:?}"
    );
    prop_assert!(
        (got[2] - best[2]).abs() < 1e-3,
        "seed {seed}: replan score {got:?}, exhaustive {best:?}"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn replanning_keeps_as_many_announced_matches_as_possible(seed in any::<u64>()) {
        check_replan(seed)?;
    }
}

/// The contract's promise on reasons, for any answer: every unmatched
/// trainee and every unfilled position comes with at least one reason, each
/// with a snake_case code and a message.
fn check_reasons(seed: u64) -> Result<(), TestCaseError> {
    let p = common::problem(&random_scenario(seed));
    let set = palim::solve(&p, &SolveOptions::default()).expect("solver runs");
    let ok = |r: &palim::documents::match_set::Reason| {
        !r.message.trim().is_empty()
            && !r.code.is_empty()
            && r.code.chars().all(|c| c.is_ascii_lowercase() || c == '_')
    };
    for u in &set.unmatched_trainees {
        prop_assert!(
            !u.reasons.is_empty(),
            "seed {seed}: {} has no reason",
            u.trainee
        );
        prop_assert!(u.reasons.iter().all(ok), "seed {seed}: {u:?}");
    }
    for u in &set.unfilled_positions {
        prop_assert!(
            !u.reasons.is_empty(),
            "seed {seed}: {} has {} open positions and no reason",
            u.vacancy,
            u.open
        );
        prop_assert!(u.reasons.iter().all(ok), "seed {seed}: {u:?}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_unmatched_trainee_and_unfilled_position_has_a_reason(seed in any::<u64>()) {
        check_reasons(seed)?;
    }
}

/// A share's group is the trainees whose attribute equals its value: gender
/// and region are attributes like any other, a number matches only a
/// number, and a trainee without the attribute is in no group.
#[test]
fn a_share_group_is_the_trainees_whose_attribute_equals_its_value() {
    let mut woman = common::trainee("T1");
    woman["gender"] = json!("F");
    woman["attributes"] = json!({ "cohort": "A", "year": 2019 });
    let mut man = common::trainee("T2");
    man["attributes"] = json!({ "cohort": "2019", "year": "2019" });
    let bare = common::trainee("T3");
    let mut s = common::with(
        common::two_destinations(),
        vec![woman, man, bare],
        vec![common::vacancy("BE-01", "BE")],
    );
    let share = |attribute: &str, value: Value| json!({ "attribute": attribute, "value": value, "min_share": 0.1 });
    s["group_shares"] = json!([
        share("gender", json!("F")),
        share("region", json!("Fès-Meknès")),
        share("cohort", json!("A")),
        share("year", json!(2019)),
        share("year", json!("2019")),
        share("gender", json!(1)),
    ]);
    let p = common::problem(&s);
    let groups: Vec<Vec<usize>> = p
        .shares
        .iter()
        .map(|share| (0..3).filter(|&t| p.in_group(t, share)).collect())
        .collect();
    let expected: Vec<Vec<usize>> = vec![vec![0], vec![0, 1, 2], vec![0], vec![0], vec![1], vec![]];
    assert_eq!(groups, expected);
}
