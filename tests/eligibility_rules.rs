//! Each eligibility rule at its exact edges: dates, ages and amounts one day or
//! one euro either side of the line.

mod common;

use chrono::NaiveDate;
use common::*;
use palim::rules::{self, Detail, ReasonCode};
use serde_json::json;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// T1 (born 1990-05-04) at BE-01 (pays EUR 35,000), with documents on `docs`.
fn thirtieth_birthday_case(docs: &str) -> palim::model::problem::Problem {
    let mut t = trainee("T1");
    t["birth_date"] = json!("1990-05-04");
    t["documents_ready"] = json!(docs);
    let mut v = vacancy("BE-01", "BE");
    v["salary"] = json!(35000);
    problem(&with(two_destinations(), vec![t], vec![v]))
}

#[test]
fn age_29_on_the_start_date_gets_the_under_30_floor() {
    // documents 2020-01-24 + 100 days = 2020-05-03, the day before the 30th birthday
    let p = thirtieth_birthday_case("2020-01-24");
    let verdict = rules::evaluate(&p, 0, 0);
    assert!(verdict.eligible(), "{:?}", verdict.violations);
    assert_eq!(verdict.timing.start, Some(d("2020-05-03")));
    let floor = rules::salary_floor(&p, 0, 0, d("2020-05-03")).unwrap();
    assert_eq!((floor.age, floor.annual), (Some(29), 34156.80));
}

#[test]
fn age_30_on_the_start_date_gets_the_general_floor() {
    // one day later: the start is the 30th birthday itself
    let p = thirtieth_birthday_case("2020-01-25");
    let verdict = rules::evaluate(&p, 0, 0);
    assert_eq!(verdict.codes(), vec![ReasonCode::SalaryBelowFloor]);
    assert_eq!(
        verdict.violations[0].message,
        "BE-01 pays EUR 35,000, 7,696 below the floor of EUR 42,696 for age 30 on 2020-05-04"
    );
    assert!(
        matches!(verdict.violations[0].detail, Detail::Salary { shortfall, .. } if (shortfall - 7696.0).abs() < 1e-9)
    );
}

#[test]
fn a_salary_exactly_at_the_floor_meets_it() {
    let mut t = trainee("T1");
    t["documents_ready"] = json!("2020-01-02");
    let mut v = vacancy("BE-01", "BE");
    v["salary"] = json!(34156.80);
    let p = problem(&with(two_destinations(), vec![t.clone()], vec![v.clone()]));
    assert!(rules::evaluate(&p, 0, 0).eligible());
    v["salary"] = json!(34156.79);
    let p = problem(&with(two_destinations(), vec![t], vec![v]));
    assert_eq!(
        rules::evaluate(&p, 0, 0).codes(),
        vec![ReasonCode::SalaryBelowFloor]
    );
}

#[test]
fn a_start_on_the_window_s_last_day_is_in_time() {
    // 2020-03-22 + 100 days = 2020-06-30, the latest start
    let mut t = trainee("T1");
    t["documents_ready"] = json!("2020-03-22");
    let p = problem(&with(
        two_destinations(),
        vec![t],
        vec![vacancy("BE-01", "BE")],
    ));
    let verdict = rules::evaluate(&p, 0, 0);
    assert!(verdict.eligible(), "{:?}", verdict.violations);
    assert_eq!(verdict.timing.start, Some(d("2020-06-30")));
}

#[test]
fn one_day_after_the_window_is_too_late_and_says_by_how_much() {
    let mut t = trainee("T1");
    t["documents_ready"] = json!("2020-03-23");
    let p = problem(&with(
        two_destinations(),
        vec![t],
        vec![vacancy("BE-01", "BE")],
    ));
    let verdict = rules::evaluate(&p, 0, 0);
    assert_eq!(verdict.codes(), vec![ReasonCode::StartWindowMissed]);
    assert_eq!(
        verdict.violations[0].message,
        "the permit would be ready on 2020-07-01 (documents 2020-03-23 + 100 days), 1 day after BE-01's latest start (2020-06-30)"
    );
    assert!(matches!(
        verdict.violations[0].detail,
        Detail::Late { days_late: 1, .. }
    ));
}

fn with_blackout(from: &str, to: &str) -> palim::model::problem::Problem {
    let mut s = two_destinations();
    s["destinations"]["BE"]["blackouts"] =
        json!([{ "from": from, "to": to, "why": "flights suspended" }]);
    let mut t = trainee("T1");
    t["documents_ready"] = json!("2020-01-24"); // permit ready 2020-05-03
    problem(&with(s, vec![t], vec![vacancy("BE-01", "BE")]))
}

#[test]
fn a_blackout_ending_the_day_before_does_not_move_the_start() {
    let p = with_blackout("2020-03-15", "2020-05-02");
    assert_eq!(
        rules::evaluate(&p, 0, 0).timing.start,
        Some(d("2020-05-03"))
    );
}

#[test]
fn a_blackout_ending_on_the_earliest_day_moves_the_start_to_the_day_after() {
    let p = with_blackout("2020-03-15", "2020-05-03");
    let verdict = rules::evaluate(&p, 0, 0);
    assert!(verdict.eligible());
    assert_eq!(verdict.timing.start, Some(d("2020-05-04")));
}

#[test]
fn a_blackout_that_lasts_past_the_window_blocks_the_pair() {
    let p = with_blackout("2020-03-15", "2020-06-30");
    let verdict = rules::evaluate(&p, 0, 0);
    assert_eq!(verdict.codes(), vec![ReasonCode::Blackout]);
    assert_eq!(
        verdict.violations[0].message,
        "every day from 2020-05-03 to BE-01's latest start (2020-06-30) falls in a blackout: 2020-03-15 to 2020-06-30 (flights suspended)"
    );
}

#[test]
fn a_blackout_can_push_the_start_past_the_30th_birthday() {
    // permit ready 2020-05-03 (age 29), blackout that day: start 2020-05-04, age 30
    let mut s = two_destinations();
    s["destinations"]["BE"]["blackouts"] = json!([{ "from": "2020-05-03", "to": "2020-05-03" }]);
    let mut t = trainee("T1");
    t["birth_date"] = json!("1990-05-04");
    t["documents_ready"] = json!("2020-01-24");
    let mut v = vacancy("BE-01", "BE");
    v["salary"] = json!(35000);
    let p = problem(&with(s, vec![t], vec![v]));
    assert_eq!(
        rules::evaluate(&p, 0, 0).codes(),
        vec![ReasonCode::SalaryBelowFloor]
    );
}

#[test]
fn documents_without_a_date_mean_no_permit_destination_is_possible() {
    let mut t = trainee("T1");
    t.as_object_mut().unwrap().remove("documents_ready");
    let p = problem(&with(
        two_destinations(),
        vec![t],
        vec![vacancy("BE-01", "BE"), vacancy("MA-01", "MA")],
    ));
    let be = rules::evaluate(&p, 0, 0);
    assert_eq!(be.codes(), vec![ReasonCode::StartWindowMissed]);
    assert!(matches!(
        be.violations[0].detail,
        Detail::DocumentsMissing { permit_days: 100 }
    ));
    // Morocco needs no permit, so the missing date does not matter there.
    assert!(rules::evaluate(&p, 0, 1).eligible());
}

#[test]
fn the_vacancy_window_narrows_the_destination_window() {
    let mut v = vacancy("BE-01", "BE");
    v["start_window"] = json!({ "earliest": "2020-05-15", "latest": "2020-07-31" });
    let p = problem(&with(two_destinations(), vec![trainee("T1")], vec![v]));
    let vac = &p.vacancies[0];
    assert_eq!(
        (vac.earliest, vac.latest),
        (Some(d("2020-05-15")), Some(d("2020-06-30")))
    );
    assert_eq!(
        rules::evaluate(&p, 0, 0).timing.start,
        Some(d("2020-05-15"))
    );
}

#[test]
fn availability_decides_when_it_is_the_latest_bound() {
    let mut t = trainee("T1");
    t["available_from"] = json!("2020-06-12");
    let p = problem(&with(
        two_destinations(),
        vec![t],
        vec![vacancy("MA-01", "MA")],
    ));
    assert_eq!(
        rules::evaluate(&p, 0, 0).timing.start,
        Some(d("2020-06-12"))
    );
}

#[test]
fn no_birth_date_means_only_the_general_floor_applies() {
    let mut t = trainee("T1");
    t.as_object_mut().unwrap().remove("birth_date");
    let p = problem(&with(
        two_destinations(),
        vec![t],
        vec![vacancy("BE-01", "BE")],
    ));
    let verdict = rules::evaluate(&p, 0, 0);
    assert_eq!(verdict.codes(), vec![ReasonCode::SalaryBelowFloor]);
    assert!(verdict.violations[0]
        .message
        .contains("no birth date, so the general floor"));
}

#[test]
fn a_destination_the_trainee_does_not_accept() {
    let mut t = trainee("T1");
    t["destinations"] = json!(["MA"]);
    let p = problem(&with(
        two_destinations(),
        vec![t],
        vec![vacancy("BE-01", "BE")],
    ));
    let verdict = rules::evaluate(&p, 0, 0);
    assert_eq!(verdict.codes(), vec![ReasonCode::DestinationNotAccepted]);
    assert_eq!(
        verdict.violations[0].message,
        "T1 does not accept Flanders, Belgium (BE)"
    );
}

#[test]
fn a_skill_one_level_short_is_named_with_both_levels() {
    let mut v = vacancy("BE-01", "BE");
    v["requires"] = json!({ "java": 2, "spring": 2, "english": "B2" });
    let mut t = trainee("T1");
    t["skills"] = json!({ "java": 2, "spring": 1, "english": 4 });
    let p = problem(&with(two_destinations(), vec![t], vec![v]));
    let verdict = rules::evaluate(&p, 0, 0);
    assert_eq!(verdict.codes(), vec![ReasonCode::SkillBelowRequirement]);
    assert_eq!(
        verdict.violations[0].message,
        "BE-01 requires spring level 2, T1 has basic (1)"
    );
}

#[test]
fn forbidden_and_unscored_pairs_are_ineligible_with_their_own_codes() {
    let mut s = with(
        two_destinations(),
        vec![trainee("T1")],
        vec![vacancy("MA-01", "MA"), vacancy("MA-02", "MA")],
    );
    s["forbids"] = json!([{ "trainee": "T1", "vacancy": "MA-01", "why": "family in Rabat" }]);
    s["pair_scores"] = json!([{ "trainee": "T1", "vacancy": "MA-01", "score": 0.9 }]);
    s["pair_scores_only"] = json!(true);
    let p = problem(&s);
    let first = rules::evaluate(&p, 0, 0);
    assert_eq!(first.codes(), vec![ReasonCode::Forbidden]);
    assert_eq!(
        first.violations[0].message,
        "the matching officer forbade T1 at MA-01: family in Rabat"
    );
    assert_eq!(
        rules::evaluate(&p, 0, 1).codes(),
        vec![ReasonCode::NotInPairScores]
    );
}

#[test]
fn every_failing_rule_is_reported_not_just_the_first() {
    let mut t = trainee("T1");
    t["destinations"] = json!(["MA"]);
    t["skills"] = json!({ "java": 1 });
    t["documents_ready"] = json!("2020-06-01");
    let p = problem(&with(
        two_destinations(),
        vec![t],
        vec![vacancy("BE-01", "BE")],
    ));
    assert_eq!(
        rules::evaluate(&p, 0, 0).codes(),
        vec![
            ReasonCode::DestinationNotAccepted,
            ReasonCode::SkillBelowRequirement,
            ReasonCode::StartWindowMissed
        ]
    );
}

#[test]
fn the_graph_holds_exactly_the_eligible_pairs() {
    let mut late = trainee("T2");
    late["documents_ready"] = json!("2020-06-01");
    let p = problem(&with(
        two_destinations(),
        vec![trainee("T1"), late],
        vec![vacancy("BE-01", "BE"), vacancy("MA-01", "MA")],
    ));
    let e = palim::eligibility::Eligibility::build(&p);
    let pairs: Vec<(usize, usize)> = e.pairs.iter().map(|x| (x.t, x.v)).collect();
    assert_eq!(pairs, vec![(0, 0), (0, 1), (1, 1)]);
    assert_eq!(e.graph.edge_count(), 3);
    assert_eq!(e.eligible_for_destination(&p, 0).len(), 1);
}

#[test]
fn max_placements_is_a_maximum_matching_not_a_count_of_neighbours() {
    // T1 is eligible for V1 and V2, T2 only for V1: a greedy T1->V1 would leave
    // T2 out; the matching moves T1 to V2 and places both.
    let mut t2 = trainee("T2");
    t2["skills"] = json!({ "java": 2, "english": 4 });
    let mut v2 = vacancy("MA-02", "MA");
    v2["requires"] = json!({ "java": 3 });
    let p = problem(&with(
        two_destinations(),
        vec![trainee("T1"), t2, trainee("T3")],
        vec![vacancy("MA-01", "MA"), v2],
    ));
    let e = palim::eligibility::Eligibility::build(&p);
    assert_eq!(e.max_placements(&p, &[0, 1]), 2);
    assert_eq!(e.max_placements(&p, &[0]), 1);
    assert_eq!(e.max_placements(&p, &[]), 0);
}

/// A rule's fast `fails` (used to build national-size graphs without writing
/// messages) says exactly what its `check` says, and the facts alone
/// (`rules::findings`, which nearest misses read) are the check's, on every
/// pair of the bundled baseline and of a denser generated cohort.
#[test]
fn every_rules_fast_test_agrees_with_its_check() {
    use palim::input::generate::{generate, Preset};
    let bundled = |name: &str| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/palim-2020")
            .join(name);
        palim::input::load::load_file(&path, &Default::default()).unwrap()
    };
    let baseline = bundled("baseline.json");
    let covid = bundled("covid-flight-suspension.json");
    let mut params = Preset::Medium.params();
    params.trainees = 150;
    params.vacancies = 80;
    let medium = problem(&serde_json::to_value(generate(&params, 7)).unwrap());
    let mut checked = [0usize; 2];
    let mut failures = std::collections::BTreeMap::new();
    for p in [&baseline, &covid, &medium] {
        for t in 0..p.trainees.len() {
            for v in 0..p.vacancies.len() {
                let checked_facts: Vec<_> = (rules::evaluate(p, t, v).violations.into_iter())
                    .map(|x| (x.code, x.detail))
                    .collect();
                let facts: Vec<_> = (rules::findings(p, t, v).into_iter())
                    .map(|f| (f.code, f.detail))
                    .collect();
                assert_eq!(facts, checked_facts, "at ({t}, {v})");
                let cx = rules::context(p, t, v);
                for rule in rules::RULES {
                    let fails = rule.fails(&cx);
                    assert_eq!(
                        fails,
                        rule.check(&cx).is_some(),
                        "{:?} at ({t}, {v})",
                        rule.code()
                    );
                    checked[usize::from(fails)] += 1;
                    *failures.entry(rule.code().as_str()).or_insert(0usize) += usize::from(fails);
                }
            }
        }
    }
    // Every rule with a fast test is seen failing, not only passing.
    for code in [
        "destination_not_accepted",
        "skill_below_requirement",
        "start_window_missed",
        "blackout",
        "salary_below_floor",
    ] {
        assert!(
            failures.get(code).copied().unwrap_or(0) > 0,
            "{code} never fails here: {failures:?}"
        );
    }
    assert!(checked[0] > 1000 && checked[1] > 1000, "{checked:?}");
}

#[test]
fn every_reason_code_is_one_rule_with_its_words() {
    // The codes as the schema lists them, so a new code without a rule fails here.
    let schema = serde_json::to_value(schemars::schema_for!(palim::rules::ReasonCode)).unwrap();
    let names: Vec<String> = schema["enum"]
        .as_array()
        .or_else(|| schema["oneOf"].as_array())
        .expect("ReasonCode's schema lists its values")
        .iter()
        .map(|v| {
            v.as_str()
                .or_else(|| v["const"].as_str())
                .or_else(|| v["enum"][0].as_str())
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(names.len(), palim::rules::RULES.len(), "{names:?}");
    for name in &names {
        let code: palim::rules::ReasonCode =
            serde_json::from_value(serde_json::json!(name)).unwrap();
        let rule = palim::rules::rule(code).unwrap_or_else(|| panic!("{name} has no rule"));
        assert_eq!(rule.code(), code);
        assert_eq!(code.as_str(), name, "as_str and serde agree");
        assert!(palim::rules::rule_named(name).is_some_and(|r| r.code() == code));
        assert!(
            rule.excludes().starts_with("trainees "),
            "{}",
            rule.excludes()
        );
        assert!(!rule.for_employer("3 ").is_empty());
    }
}

/// A what-if's fixes change one trainee's data, one vacancy's, or one pair's
/// forbid: the eligibility checked again for only those rows and columns
/// (`Eligibility::rebuilt`) is the one built from nothing, pair for pair.
#[test]
fn eligibility_rebuilt_for_the_changed_rows_equals_one_built_from_nothing() {
    use palim::eligibility::Eligibility;
    use rand::{Rng, SeedableRng};
    let p = problem(&baseline());
    let e = Eligibility::build(&p);
    let mut r = rand_chacha::ChaCha8Rng::seed_from_u64(17);
    let (nt, nv) = (p.trainees.len(), p.vacancies.len());
    for case in 0..300 {
        let mut q = p.clone();
        let (t, v) = (r.gen_range(0..nt), r.gen_range(0..nv));
        let (mut trainees, mut vacancies) = (Vec::new(), Vec::new());
        match case % 5 {
            0 => {
                let all = (0..q.destinations.len()).collect();
                q.trainee_mut(t).accepts = all;
                trainees.push(t);
            }
            1 => {
                for level in &mut q.trainee_mut(t).levels {
                    *level += f64::from(r.gen_range(0..3u8));
                }
                trainees.push(t);
            }
            2 => {
                let days = chrono::Days::new(r.gen_range(1..120));
                let trainee = q.trainee_mut(t);
                trainee.available_from = trainee.available_from - days;
                trainee.documents_ready = None;
                trainees.push(t);
            }
            3 => {
                q.vacancies[v].salary = Some(r.gen_range(5_000.0..60_000.0));
                vacancies.push(v);
            }
            _ => {
                if q.forbids.remove(&(t, v)).is_none() {
                    q.forbids.insert((t, v), None);
                }
                trainees.push(t);
                vacancies.push(v);
            }
        }
        let (rebuilt, fresh) = (e.rebuilt(&q, &trainees, &vacancies), Eligibility::build(&q));
        assert_eq!(rebuilt.pairs, fresh.pairs, "case {case}");
        for t in 0..nt {
            assert_eq!(rebuilt.of_trainee(t), fresh.of_trainee(t), "case {case}");
        }
        for v in 0..nv {
            assert_eq!(rebuilt.of_vacancy(v), fresh.of_vacancy(v), "case {case}");
        }
    }
}

/// `failing_bits`, which the rules report's counts over every pair read,
/// names the very rules `failing` and `evaluate` name, on every pair of the
/// PALIM baseline (forbids and all), and has a bit for every rule.
#[test]
fn the_bits_of_the_failing_rules_name_the_rules_that_fail() {
    assert!(rules::RULES.len() <= u32::BITS as usize);
    let p = problem(&baseline());
    let mut failing_somewhere = 0u32;
    for t in 0..p.trainees.len() {
        for v in 0..p.vacancies.len() {
            let bits = rules::failing_bits(&p, t, v);
            let named: Vec<ReasonCode> = (rules::RULES.iter().enumerate())
                .filter(|&(k, _)| bits & 1 << k != 0)
                .map(|(_, r)| r.code())
                .collect();
            assert_eq!(named, rules::failing(&p, t, v), "pair ({t}, {v})");
            assert_eq!(named, rules::evaluate(&p, t, v).codes(), "pair ({t}, {v})");
            failing_somewhere |= bits;
        }
    }
    // The baseline fails at least three different rules somewhere, so the
    // comparison is not only of empty lists.
    assert!(failing_somewhere.count_ones() >= 3, "{failing_somewhere:b}");
}

/// A cohort large enough for its pairs to be found on every core at once
/// (over a million trainee–vacancy combinations) has exactly the pairs one
/// core finds: every combination the rules allow, by trainee then vacancy,
/// each trainee's pairs where `of_trainee` says.
#[test]
fn pairs_found_on_every_core_are_those_one_core_finds_in_order() {
    use palim::input::generate::{generate, Preset};
    let mut params = Preset::Medium.params();
    params.trainees = 1_100;
    params.vacancies = 1_000;
    let p = problem(&serde_json::to_value(generate(&params, 11)).unwrap());
    let e = palim::eligibility::Eligibility::build(&p);
    let mut expected = Vec::new();
    for t in 0..p.trainees.len() {
        for v in 0..p.vacancies.len() {
            if let Some(start) = rules::eligible_start(&p, t, v) {
                expected.push((t, v, start));
            }
        }
    }
    let found: Vec<_> = e.pairs.iter().map(|x| (x.t, x.v, x.start)).collect();
    assert!(expected.len() > 1_000, "{} pairs", expected.len());
    assert_eq!(found, expected);
    for t in 0..p.trainees.len() {
        assert!(e.of_trainee(t).all(|i| e.pairs[i].t == t), "trainee {t}");
    }
    let counted: usize = (0..p.trainees.len()).map(|t| e.of_trainee(t).len()).sum();
    assert_eq!(counted, e.pairs.len());
}
