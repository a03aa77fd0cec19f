//! Blocking pairs of a match set, when both sides rank, against a count made
//! straight from the definition on small random scenarios.

mod common;

use std::collections::{BTreeSet, HashMap};

use palim::analysis;
use palim::documents::match_set::Infeasibility;
use palim::eligibility::Eligibility;
use palim::model::problem::Problem;
use palim::model::scenario::Priority;
use palim::solve::audit;
use palim::solve::optimize::SolveOptions;
use palim::solve::optimize::{self, Outcome};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

fn random_scenario(seed: u64) -> Value {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    let (n_t, n_v) = (r.gen_range(2..=7), r.gen_range(2..=5));
    let trainees = common::random::trainees(&mut r, n_t, n_v, 0.4);
    let vacancies: Vec<Value> = (0..n_v)
        .map(|v| {
            let mut vac = common::random::vacancy(&mut r, v, v % 3, "A", 2, 2);
            let mut ranking: Vec<String> = (0..n_t).map(|t| format!("T{t:02}")).collect();
            ranking.shuffle(&mut r);
            ranking.truncate(r.gen_range(0..=3));
            vac["ranking"] = json!(ranking);
            vac
        })
        .collect();
    json!({
        "format": "palim/1", "name": format!("stability {seed}"), "model": "junior-java-developer",
        "destinations": { "A": { "label": "A" }, "B": { "label": "B" }, "C": { "label": "C" } },
        "max_per_employer": r.gen_range(1..=3),
        "trainees": trainees, "vacancies": vacancies,
    })
}

/// Higher is better: ranked partners by rank (1 best), then unranked
/// eligible ones, then nobody.
fn want(ranking: &[String], partner: Option<&str>) -> (u8, i64) {
    match partner {
        None => (0, 0),
        Some(x) => match ranking.iter().position(|r| r == x) {
            Some(k) => (2, -(k as i64)),
            None => (1, 0),
        },
    }
}

/// A side's ranking, as the scenario writes it.
fn ranking(s: &Value, list: &str, id: &str) -> Vec<String> {
    s[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id)
        .map(|x| {
            x["ranking"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap().to_string())
                .collect()
        })
        .unwrap()
}

/// The blocking pairs of the match set `at` (trainee id to vacancy id),
/// straight from the definition and the scenario's own rankings.
fn by_definition(s: &Value, p: &Problem, at: &HashMap<&str, &str>) -> BTreeSet<(String, String)> {
    let e = Eligibility::build(p);
    let mut expected = BTreeSet::new();
    for pair in &e.pairs {
        let (t, v) = (&p.trainees[pair.t].id, &p.vacancies[pair.v].id);
        if at.get(t.as_str()) == Some(&v.as_str()) {
            continue;
        }
        let t_rank = ranking(s, "trainees", t);
        if want(&t_rank, Some(v)) <= want(&t_rank, at.get(t.as_str()).copied()) {
            continue;
        }
        let holders: Vec<&str> = at
            .iter()
            .filter(|(_, &w)| w == v)
            .map(|(&h, _)| h)
            .collect();
        let v_rank = ranking(s, "vacancies", v);
        let open = (holders.len() as u32) < p.vacancies[pair.v].positions;
        if open
            || holders
                .iter()
                .any(|h| want(&v_rank, Some(t)) > want(&v_rank, Some(h)))
        {
            expected.insert((t.clone(), v.clone()));
        }
    }
    expected
}

#[test]
fn blocking_pairs_are_exactly_those_of_the_definition() {
    let mut blocking_seen = 0;
    let mut checked = 0;
    for seed in 0..300 {
        let s = random_scenario(seed);
        let p = common::problem(&s);
        let set = analysis::solve(&p, &SolveOptions::default()).unwrap();
        let both_rank = s["trainees"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| !t["ranking"].as_array().unwrap().is_empty())
            && s["vacancies"]
                .as_array()
                .unwrap()
                .iter()
                .any(|v| !v["ranking"].as_array().unwrap().is_empty());
        let Some(reported) = &set.blocking_pairs else {
            assert!(
                !both_rank,
                "seed {seed}: both sides rank, and no blocking pairs reported"
            );
            continue;
        };
        assert!(both_rank, "seed {seed}");
        checked += 1;
        let at: HashMap<&str, &str> = set
            .matches
            .iter()
            .map(|m| (m.trainee.as_str(), m.vacancy.as_str()))
            .collect();
        let expected = by_definition(&s, &p, &at);
        let got: BTreeSet<(String, String)> = reported
            .iter()
            .map(|b| (b.trainee.clone(), b.vacancy.clone()))
            .collect();
        assert_eq!(got, expected, "seed {seed}");
        blocking_seen += got.len();
        for b in reported {
            assert!(
                b.why.contains(&b.trainee) && b.why.contains(&b.vacancy),
                "{}",
                b.why
            );
        }
    }
    assert!(checked >= 200, "{checked} match sets checked");
    assert!(blocking_seen >= 50, "{blocking_seen} blocking pairs found");
}

/// Every match set over the eligible pairs (each trainee at most once) that
/// keeps the hard rules.
fn every_match_set(p: &Problem, e: &Eligibility) -> Vec<Vec<usize>> {
    let mut out = every_assignment(p, e);
    out.retain(|chosen| audit::violations(p, e, chosen).is_empty());
    out
}

/// A match set's values on the priorities, blocking pairs counted by the
/// definition (negated: every value is maximised).
fn values(s: &Value, p: &Problem, e: &Eligibility, chosen: &[usize]) -> Vec<f64> {
    let at: HashMap<&str, &str> = common::id_pairs(p, e, chosen).into_iter().collect();
    p.priorities
        .iter()
        .map(|pr| match pr {
            Priority::Stable => -(by_definition(s, p, &at).len() as f64),
            Priority::Placements => chosen.len() as f64,
            Priority::Score => chosen.iter().map(|&i| e.pairs[i].score).sum(),
        })
        .collect()
}

/// Lexicographic comparison with a tolerance for float scores.
fn compare(a: &[f64], b: &[f64]) -> std::cmp::Ordering {
    for (x, y) in a.iter().zip(b) {
        if (x - y).abs() > 1e-6 {
            return x.partial_cmp(y).unwrap();
        }
    }
    std::cmp::Ordering::Equal
}

/// `stable` against exhaustive search: the fewest blocking pairs (zero
/// exactly when a stable match set exists under the hard rules), then the
/// other priorities, every rule kept; and the method says which.
#[test]
fn stable_is_the_best_match_set_with_the_fewest_blocking_pairs() {
    let (mut stable_exists, mut none_stable, mut checked, mut conflicts) = (0, 0, 0, 0);
    for seed in 0..200 {
        let mut s = random_scenario(seed);
        let orders = [
            json!(["stable", "placements", "score"]),
            json!(["placements", "stable", "score"]),
            json!(["stable", "score"]),
        ];
        s["objective"] = json!({ "priorities": orders[seed as usize % 3] });
        let p = common::problem(&s);
        let e = Eligibility::build(&p);
        let product: f64 = (0..p.trainees.len())
            .map(|t| (e.of_trainee(t).len() + 1) as f64)
            .product();
        if product > 60_000.0 {
            continue;
        }
        let all = every_match_set(&p, &e);
        let best = all
            .iter()
            .map(|c| values(&s, &p, &e, c))
            .max_by(|a, b| compare(a, b));
        let outcome = optimize::solve(&p, &e, &SolveOptions::default()).unwrap();
        let (Some(best), Outcome::Solved(sol)) = (&best, &outcome) else {
            assert!(
                best.is_none(),
                "seed {seed}: a match set exists, the solver said {outcome:?}"
            );
            continue;
        };
        checked += 1;
        assert!(
            audit::violations(&p, &e, &sol.chosen).is_empty(),
            "seed {seed}"
        );
        let got = values(&s, &p, &e, &sol.chosen);
        assert_eq!(
            compare(&got, best),
            std::cmp::Ordering::Equal,
            "seed {seed}: {got:?} against {best:?}"
        );
        let stable_phase = sol
            .phases
            .iter()
            .find(|ph| ph.priority == Priority::Stable)
            .unwrap();
        let fewest = all
            .iter()
            .map(|c| {
                values(&s, &p, &e, c)[p
                    .priorities
                    .iter()
                    .position(|&x| x == Priority::Stable)
                    .unwrap()]
            })
            .fold(f64::NEG_INFINITY, f64::max);
        if p.priorities[0] == Priority::Stable {
            assert_eq!(stable_phase.value, -fewest, "seed {seed}");
            let set = analysis::solve(&p, &SolveOptions::default()).unwrap();
            if fewest == 0.0 {
                stable_exists += 1;
                assert!(
                    set.solver.method.contains("The match set is stable"),
                    "{}",
                    set.solver.method
                );
                assert_eq!(set.blocking_pairs.as_deref().map(<[_]>::len), Some(0));
            } else {
                none_stable += 1;
                assert!(
                    set.solver.method.contains(&format!("No stable match set exists under the hard rules: every match set that keeps them has at least {}", -fewest)),
                    "{}",
                    set.solver.method
                );
                assert_eq!(
                    set.blocking_pairs.as_deref().map(<[_]>::len),
                    Some(-fewest as usize)
                );
                let conflict = set
                    .stability_conflict
                    .as_ref()
                    .expect("a conflict when none is stable");
                assert!(conflict.unfinished.is_none());
                conflict_is_minimal(seed, &s, &p, &e, conflict);
                conflicts += 1;
            }
        }
    }
    assert!(checked >= 150, "{checked} scenarios checked");
    assert!(
        stable_exists >= 20 && none_stable >= 10,
        "{stable_exists} stable, {none_stable} not"
    );
    assert_eq!(conflicts, none_stable);
}

/// The conflict reported when no stable match set exists, checked by
/// exhaustive search: with only its employer caps, no match set keeps all
/// its pairs from blocking; letting any one pair block, or dropping any
/// one cap, makes one possible. (These scenarios have no other rule.)
fn conflict_is_minimal(
    seed: u64,
    s: &Value,
    p: &Problem,
    e: &Eligibility,
    conflict: &Infeasibility,
) {
    let pairs: Vec<(String, String)> = conflict
        .conflicting_rules
        .iter()
        .filter(|r| r.rule == "stability")
        .map(|r| {
            let (t, v) = r.subject.split_once(" -> ").unwrap();
            (t.to_string(), v.to_string())
        })
        .collect();
    let caps: Vec<String> = conflict
        .conflicting_rules
        .iter()
        .filter(|r| r.rule == "max_per_employer")
        .map(|r| r.subject.clone())
        .collect();
    assert_eq!(
        pairs.len() + caps.len(),
        conflict.conflicting_rules.len(),
        "seed {seed}"
    );
    assert!(!pairs.is_empty(), "seed {seed}");
    let cap = p.employer_caps.iter().flatten().next().copied().unwrap() as usize;
    let sets = every_assignment(p, e);
    // Whether a match set keeps the given caps and none of `unblocked` blocks it.
    let possible = |unblocked: &[(String, String)], capped: &[String]| {
        sets.iter().any(|chosen| {
            let mut per_employer: HashMap<&str, usize> = HashMap::new();
            for &i in chosen {
                *per_employer
                    .entry(p.employers[p.vacancies[e.pairs[i].v].employer].as_str())
                    .or_default() += 1;
            }
            if capped
                .iter()
                .any(|c| per_employer.get(c.as_str()).copied().unwrap_or(0) > cap)
            {
                return false;
            }
            let at: HashMap<&str, &str> = common::id_pairs(p, e, chosen).into_iter().collect();
            let blocking = by_definition(s, p, &at);
            unblocked.iter().all(|x| !blocking.contains(x))
        })
    };
    assert!(
        !possible(&pairs, &caps),
        "seed {seed}: {}",
        conflict.summary
    );
    for k in 0..pairs.len() {
        let mut fewer = pairs.clone();
        fewer.remove(k);
        assert!(
            possible(&fewer, &caps),
            "seed {seed}: {:?} is not needed",
            pairs[k]
        );
    }
    for k in 0..caps.len() {
        let mut fewer = caps.clone();
        fewer.remove(k);
        assert!(
            possible(&pairs, &fewer),
            "seed {seed}: the cap of {} is not needed",
            caps[k]
        );
    }
}

/// Every match set over the eligible pairs that gives each vacancy at most
/// its positions, whatever the other rules.
fn every_assignment(p: &Problem, e: &Eligibility) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    common::all_match_sets(e, p.trainees.len(), |chosen| {
        let mut taken = vec![0u32; p.vacancies.len()];
        for &i in chosen {
            taken[e.pairs[i].v] += 1;
        }
        if taken
            .iter()
            .zip(&p.vacancies)
            .all(|(&n, v)| n <= v.positions)
        {
            out.push(chosen.to_vec());
        }
    });
    out
}

/// X and V1 want each other first; T can only work at V1, and X could
/// also take V2. The most placements put T at V1 and X at V2, where X and
/// V1 would walk away together; the stable match set gives V1 to X and
/// leaves T out, and says so, naming where T would be without `stable`.
#[test]
fn an_unmatched_trainee_who_lost_out_to_stability_is_told_so() {
    let mut t = common::trainee("T");
    t["destinations"] = json!(["MA"]);
    let mut x = common::trainee("X");
    x["ranking"] = json!(["V1"]);
    let mut v1 = common::vacancy("V1", "MA");
    v1["ranking"] = json!(["X"]);
    let v2 = common::vacancy("V2", "BE");
    let mut s = common::with(common::two_destinations(), vec![t, x], vec![v1, v2]);
    s["objective"] = json!({ "priorities": ["stable", "placements", "score"] });
    let p = common::problem(&s);
    let set = analysis::solve(&p, &SolveOptions::default()).unwrap();
    let pairs: Vec<(&str, &str)> = set
        .matches
        .iter()
        .map(|m| (m.trainee.as_str(), m.vacancy.as_str()))
        .collect();
    assert_eq!(pairs, [("X", "V1")]);
    assert_eq!(set.blocking_pairs.as_deref().map(<[_]>::len), Some(0));
    let unmatched = &set.unmatched_trainees[0];
    assert_eq!(unmatched.trainee, "T");
    let reason = &unmatched.reasons[0];
    assert_eq!(reason.code, "lost_to_stability");
    assert_eq!(
        reason.message,
        "without the priority `stable`, the best match set (placements then score: 2 placements) places T at V1; with the fewest blocking pairs first, T's places go to others"
    );
    // `explain --trainee` says so too, in the same words.
    let cx = palim::analysis::explain::Context::new(&p).unwrap();
    let report = palim::analysis::explain::trainee(&cx, p.trainee_ix("T").unwrap()).unwrap();
    assert_eq!(
        report.summary,
        format!(
            "T is eligible for 1 vacancy but lost out to stability: {}.",
            reason.message
        )
    );
    // The claim, re-solved: without `stable`, T is placed at V1.
    s["objective"] = json!({ "priorities": ["placements", "score"] });
    let without = analysis::solve(&common::problem(&s), &SolveOptions::default()).unwrap();
    assert!(without
        .matches
        .iter()
        .any(|m| m.trainee == "T" && m.vacancy == "V1"));
    assert_eq!(without.matches.len(), 2);
    assert_eq!(without.blocking_pairs.as_deref().map(<[_]>::len), Some(1));
}

/// The README's stability walkthrough, claim by claim: the bundled
/// `stable.json` places as many as the baseline, leaves 2 blocking pairs
/// (proven the fewest), and the conflict it prints is Cedre Tech SARL's
/// cap against five trainees who want its two vacancies most.
#[test]
fn the_readme_s_stable_baseline_is_what_palim_says() {
    let set = common::palim_json(&[
        "solve",
        "scenarios/palim-2020/stable.json",
        "--format",
        "json",
    ]);
    assert_eq!(set["status"], "optimal");
    assert_eq!(set["objective"]["placements"], 113);
    assert_eq!(set["objective"]["score"], 91.3017);
    let stable = &set["solver"]["phases"][0];
    assert_eq!(
        (stable["priority"].as_str(), stable["value"].as_f64()),
        (Some("stable"), Some(2.0))
    );
    assert_eq!(stable["proven_optimal"], true);
    assert_eq!(set["blocking_pairs"].as_array().unwrap().len(), 2);
    let conflict = &set["stability_conflict"];
    let readme = std::fs::read_to_string("README.md").unwrap();
    let summary = conflict["summary"].as_str().unwrap();
    for part in [
        "No stable match set exists under the hard rules. These cannot all hold: (1) For T020 and MA-29 not to block, T020 must get MA-29, or MA-29's 3 positions must all be filled; ",
        "(5) For T112 and MA-28 not to block, T112 must get MA-28, or MA-28's 3 positions must all be filled; (6) Cedre Tech SARL may receive at most 4 placements. Letting any one of these pairs block, or relaxing any one of the rules, makes the rest possible.",
    ] {
        assert!(summary.contains(part), "{summary}");
        assert!(readme.contains(part), "the README lacks: {part}");
    }
    let rules = conflict["conflicting_rules"].as_array().unwrap();
    assert_eq!(rules.len(), 6);
    // The arithmetic behind it, from the scenario: six positions, a cap of four.
    let base = common::baseline();
    let cedre: Vec<&Value> = base["vacancies"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["employer"] == "Cedre Tech SARL")
        .collect();
    let ids: Vec<&str> = cedre.iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["MA-28", "MA-29"]);
    assert_eq!(
        cedre
            .iter()
            .map(|v| v["positions"].as_u64().unwrap())
            .sum::<u64>(),
        6
    );
    assert_eq!(base["max_per_employer"], 4);
    // Without `stable`: the same placements, a better score, 11 blocking pairs.
    let plain = common::palim_json(&[
        "solve",
        "scenarios/palim-2020/baseline.json",
        "--format",
        "json",
    ]);
    assert_eq!(plain["objective"]["placements"], 113);
    assert_eq!(plain["objective"]["score"], 92.9341);
    assert_eq!(plain["blocking_pairs"].as_array().unwrap().len(), 11);
    assert!(
        readme.contains("It still places 113 (the score drops from 92.93 to 91.30) and leaves 2")
    );
    assert!(readme.contains("why each blocks. The baseline has 11."));
}
