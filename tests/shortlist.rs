//! Interview shortlists are the lexicographic optimum (positions covered,
//! then places used, then score) among every set of pairs that keeps the
//! rules: checked against exhaustive search on small random scenarios, by the
//! flow (or its relaxation) and by the integer program alike.

mod common;

use palim::eligibility::Eligibility;
use palim::model::problem::{InterviewOutcome, Problem};
use palim::solve::shortlist::{self, Ask, Engine, Found, Goal, ShareRow};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

/// A small scenario: 3–6 trainees, 2–4 vacancies of 1–2 positions, a women
/// share half the time, interviews on some eligible pairs and a lock now and
/// then; continuous scores, so the optimum is unique.
fn random_scenario(seed: u64) -> Value {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    let (n_t, n_v) = (r.gen_range(3..=6), r.gen_range(2..=4));
    let mut s = json!({
        "format": "palim/1", "name": format!("shortlist {seed}"), "model": "junior-java-developer",
        "destinations": common::random::destinations(&mut r, 0.0, 1..=3),
        "trainees": common::random::trainees(&mut r, n_t, n_v, 0.4),
        "vacancies": (0..n_v).map(|v| {
            let dest = *["A", "B"].choose(&mut r).unwrap();
            common::random::vacancy(&mut r, v, v % 2, dest, 2, 1)
        }).collect::<Vec<_>>(),
    });
    if r.gen_bool(0.5) {
        let scope = if r.gen_bool(0.5) {
            json!("A")
        } else {
            Value::Null
        };
        let mut share = json!({ "attribute": "gender", "value": "F", "min_share": r.gen_range(1..=6) as f64 / 10.0 });
        if !scope.is_null() {
            share["destination"] = scope;
        }
        if r.gen_bool(0.3) {
            share["max_share"] = json!(0.8);
        }
        s["group_shares"] = json!([share]);
    }
    common::random::continuous_scores(&mut s, &mut r, n_t, n_v);
    let p = common::problem(&s);
    let e = Eligibility::build(&p);
    let mut interviews = Vec::new();
    let mut accepted = std::collections::HashSet::new();
    for pair in &e.pairs {
        if r.gen_bool(0.2) {
            let outcome = *InterviewOutcome::ALL.choose(&mut r).unwrap();
            let accept = outcome == InterviewOutcome::Accepted;
            if accept && !accepted.insert(pair.t) {
                continue;
            }
            interviews.push(json!({
                "trainee": p.trainees[pair.t].id, "vacancy": p.vacancies[pair.v].id,
                "outcome": outcome.as_str()
            }));
        }
    }
    s["interviews"] = json!(interviews);
    s
}

/// What may be proposed, from the rules as the issue writes them: not a
/// trainee locked or holding an offer, not a pair interviewed before, not a
/// vacancy whose positions are all held by locks and offers.
fn open_and_candidates(p: &Problem, e: &Eligibility) -> (Vec<u32>, Vec<usize>) {
    let mut held = vec![0u32; p.vacancies.len()];
    let mut busy = vec![false; p.trainees.len()];
    for l in &p.locks {
        held[l.vacancy] += 1;
        busy[l.trainee] = true;
    }
    for i in &p.interviews {
        if i.outcome == InterviewOutcome::Offer && !busy[i.trainee] {
            held[i.vacancy] += 1;
            busy[i.trainee] = true;
        }
    }
    let open: Vec<u32> = (0..p.vacancies.len())
        .map(|v| p.vacancies[v].positions.saturating_sub(held[v]))
        .collect();
    let cands = (0..e.pairs.len())
        .filter(|&i| {
            let pair = &e.pairs[i];
            !busy[pair.t]
                && open[pair.v] > 0
                && !p
                    .interviews
                    .iter()
                    .any(|x| (x.trainee, x.vacancy) == (pair.t, pair.v))
        })
        .collect();
    (open, cands)
}

fn goals(p: &Problem, e: &Eligibility, open: &[u32], chosen: &[usize]) -> (u32, usize, f64) {
    let mut load = vec![0u32; p.vacancies.len()];
    for &i in chosen {
        load[e.pairs[i].v] += 1;
    }
    let covered = load.iter().zip(open).map(|(&l, &o)| l.min(o)).sum();
    let score = chosen.iter().map(|&i| e.pairs[i].score).sum();
    (covered, chosen.len(), score)
}

fn keeps_rules(p: &Problem, e: &Eligibility, ask: Ask, open: &[u32], chosen: &[usize]) -> bool {
    let mut per_t = vec![0u32; p.trainees.len()];
    let mut per_v = vec![0u32; p.vacancies.len()];
    for &i in chosen {
        per_t[e.pairs[i].t] += 1;
        per_v[e.pairs[i].v] += 1;
    }
    let shares_hold = ShareRow::all(p).iter().all(|row| row.holds(p, e, chosen));
    per_t.iter().all(|&n| n <= ask.per_trainee)
        && per_v
            .iter()
            .zip(open)
            .all(|(&n, &o)| n <= ask.per_position * o)
        && shares_hold
}

/// The best (covered, places, score) over every subset of the candidates.
fn exhaustive(p: &Problem, e: &Eligibility, ask: Ask) -> (u32, usize, f64) {
    let (open, cands) = open_and_candidates(p, e);
    assert!(cands.len() <= 16, "{} candidates", cands.len());
    let mut best = (0, 0, f64::NEG_INFINITY);
    for mask in 0u32..(1 << cands.len()) {
        let chosen: Vec<usize> = (0..cands.len())
            .filter(|k| mask & (1 << k) != 0)
            .map(|k| cands[k])
            .collect();
        if !keeps_rules(p, e, ask, &open, &chosen) {
            continue;
        }
        let g = goals(p, e, &open, &chosen);
        let better = (g.0, g.1) > (best.0, best.1)
            || ((g.0, g.1) == (best.0, best.1) && g.2 > best.2 + 1e-9);
        if better {
            best = g;
        }
    }
    best
}

fn check(
    seed: u64,
    found: &Found,
    p: &Problem,
    e: &Eligibility,
    ask: Ask,
    best: (u32, usize, f64),
) {
    let (open, cands) = open_and_candidates(p, e);
    assert!(
        found.chosen.iter().all(|i| cands.contains(i)),
        "seed {seed}: a pair that may not be proposed"
    );
    assert!(
        keeps_rules(p, e, ask, &open, &found.chosen),
        "seed {seed}: breaks a rule"
    );
    let got = goals(p, e, &open, &found.chosen);
    assert_eq!(
        (got.0, got.1),
        (best.0, best.1),
        "seed {seed}: covered, places"
    );
    assert!(
        (got.2 - best.2).abs() < 1e-6,
        "seed {seed}: score {} vs {}",
        got.2,
        best.2
    );
    let reported: Vec<f64> = found.goals.iter().map(|g| g.value).collect();
    assert_eq!(reported[0], f64::from(got.0), "seed {seed}");
    assert_eq!(reported[1], got.1 as f64, "seed {seed}");
    assert!(
        found.goals.iter().all(|g| g.bound == g.value),
        "seed {seed}: proven"
    );
}

#[test]
fn shortlists_are_the_lexicographic_optimum_by_flow_and_by_integer_program() {
    let mut with_shares = 0;
    let mut relaxation_held = 0;
    let mut tried = 0;
    let mut flow_bound = 0;
    for seed in 0..400 {
        let s = random_scenario(seed);
        let p = common::problem(&s);
        let e = Eligibility::build(&p);
        let mut r = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
        let ask = Ask {
            per_position: r.gen_range(1..=3),
            per_trainee: r.gen_range(1..=3),
        };
        if open_and_candidates(&p, &e).1.len() > 16 {
            continue;
        }
        tried += 1;
        let best = exhaustive(&p, &e, ask);
        for engine in [Engine::Auto, Engine::IntegerProgram] {
            let found = shortlist::solve(&p, &e, ask, engine, None).unwrap();
            check(seed, &found, &p, &e, ask, best);
        }
        if !p.shares.is_empty() {
            with_shares += 1;
            let found = shortlist::solve(&p, &e, ask, Engine::Auto, None).unwrap();
            relaxation_held +=
                usize::from(found.goals[0].proof == shortlist::Proof::FlowRelaxation);
            flow_bound += usize::from(found.goals[0].proof == shortlist::Proof::FlowBound);
        }
    }
    assert!(tried >= 300, "{tried} scenarios searched");
    // The relaxation's answer with the shares restored reaches its bound
    // now and then, and those goals are proven without branch-and-bound.
    assert!(flow_bound >= 5, "{flow_bound} proven by the flow's bound");
    assert!(with_shares >= 100, "{with_shares} scenarios with shares");
    // Both ways of answering with shares are exercised.
    assert!(
        relaxation_held > 10 && relaxation_held < with_shares - 10,
        "{relaxation_held} of {with_shares}"
    );
}

/// Larger than exhaustive search can take: 15–40 trainees, 4–10 vacancies
/// of 1–3 positions, a women share that often binds (so the core method
/// answers), interviews now and then.
fn larger_scenario(seed: u64) -> Value {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    let (n_t, n_v) = (r.gen_range(15..=40), r.gen_range(4..=10));
    let mut s = json!({
        "format": "palim/1", "name": format!("larger shortlist {seed}"), "model": "junior-java-developer",
        "destinations": common::random::destinations(&mut r, 0.0, 5..=20),
        "trainees": common::random::trainees(&mut r, n_t, n_v, 0.3),
        "vacancies": (0..n_v).map(|v| {
            let dest = *["A", "B"].choose(&mut r).unwrap();
            common::random::vacancy(&mut r, v, v % 3, dest, 3, 2)
        }).collect::<Vec<_>>(),
    });
    let mut share = json!({ "attribute": "gender", "value": "F", "min_share": r.gen_range(3..=6) as f64 / 10.0 });
    if r.gen_bool(0.5) {
        share["destination"] = json!("A");
    }
    s["group_shares"] = json!([share]);
    common::random::continuous_scores(&mut s, &mut r, n_t, n_v);
    s
}

#[test]
fn the_core_method_and_the_integer_program_on_every_pair_agree() {
    use shortlist::Proof;
    let mut proofs: std::collections::BTreeMap<(usize, &str), usize> = Default::default();
    for seed in 0..150 {
        let s = larger_scenario(seed);
        let p = common::problem(&s);
        let e = Eligibility::build(&p);
        let mut r = ChaCha8Rng::seed_from_u64(seed ^ 0xc0de);
        let ask = Ask {
            per_position: r.gen_range(1..=3),
            per_trainee: r.gen_range(1..=3),
        };
        let core = shortlist::solve(&p, &e, ask, Engine::Auto, None).unwrap();
        let ip = shortlist::solve(&p, &e, ask, Engine::IntegerProgram, None).unwrap();
        assert!(
            shortlist::violations(&p, &e, ask, &core.chosen).is_empty(),
            "seed {seed}"
        );
        assert_eq!(
            core.status,
            palim::solve::optimize::Status::Optimal,
            "seed {seed}"
        );
        for (a, b) in core.goals.iter().zip(&ip.goals) {
            assert!(
                (a.value - b.value).abs() < 1e-6,
                "seed {seed}: {:?} {} against {}",
                a.goal,
                a.value,
                b.value
            );
            assert_eq!(a.bound, a.value, "seed {seed}: {:?} proven", a.goal);
        }
        for (k, g) in core.goals.iter().enumerate() {
            *proofs.entry((k, g.proof.as_str())).or_default() += 1;
        }
    }
    // Every way the core method proves a goal is exercised: the flow's
    // bound held through the score phase, the LP's bound, reduced-cost
    // fixing on the first goals and on the score.
    for (goal, proof) in [
        (0, Proof::FlowBound),
        (0, Proof::LpBound),
        (0, Proof::ReducedCostFixing),
        (1, Proof::LpBound),
        (2, Proof::ReducedCostFixing),
        (2, Proof::IntegralLp),
    ] {
        assert!(
            proofs.get(&(goal, proof.as_str())).copied().unwrap_or(0) > 0,
            "goal {goal} never proven by {proof:?}: {proofs:?}"
        );
    }
}

#[test]
fn each_goal_comes_before_the_next() {
    // One position at V00 and V01; T00 fits both and scores best at V00,
    // T01 only fits V00. With one shortlist per trainee, covering both
    // positions puts T00 at V01 (not its best), and T01 at V00.
    let mut s = common::two_destinations();
    s["trainees"] = json!([common::trainee("T00"), common::trainee("T01")]);
    s["vacancies"] = json!([common::vacancy("V00", "MA"), common::vacancy("V01", "MA")]);
    s["pair_scores"] = json!([
        { "trainee": "T00", "vacancy": "V00", "score": 0.9 },
        { "trainee": "T00", "vacancy": "V01", "score": 0.1 },
        { "trainee": "T01", "vacancy": "V00", "score": 0.5 },
    ]);
    s["pair_scores_only"] = json!(true);
    let p = common::problem(&s);
    let e = Eligibility::build(&p);
    let ask = Ask {
        per_position: 3,
        per_trainee: 1,
    };
    let found = shortlist::solve(&p, &e, ask, Engine::Auto, None).unwrap();
    let pairs = common::id_pairs(&p, &e, &found.chosen);
    assert_eq!(pairs, [("T00", "V01"), ("T01", "V00")]);
    assert_eq!(found.goals[0].goal, Goal::PositionsCovered);
    assert_eq!(found.goals[0].value, 2.0);
}

#[test]
fn the_command_gives_the_same_bytes_twice_and_honours_its_time_limit() {
    let args = [
        "shortlist",
        "scenarios/palim-2020/baseline.json",
        "--per-position",
        "3",
        "--per-trainee",
        "4",
        "--format",
        "json",
    ];
    let (a, b) = (common::palim(&args), common::palim(&args));
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert_eq!(a.stdout, b.stdout);
    let doc: Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_eq!(doc["format"], "palim-shortlist/1");
    assert_eq!(doc["status"], "optimal");
    assert!(doc["solver"]["phases"]
        .as_array()
        .unwrap()
        .iter()
        .all(|ph| ph["proven_optimal"] == true && ph["value"] == ph["bound"]));
    // Every candidate is one of the vacancy's eligible trainees, best first.
    for list in doc["shortlists"].as_array().unwrap() {
        let scores: Vec<f64> = list["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["score"].as_f64().unwrap())
            .collect();
        assert!(
            scores.windows(2).all(|w| w[0] >= w[1]),
            "{}",
            list["vacancy"]
        );
        assert!(scores.len() as u64 <= list["wanted"].as_u64().unwrap());
    }
    // Out of time before the flow ends: a valid document that proves nothing.
    let medium = common::generated("medium", "shortlist-medium.json");
    let doc = common::palim_json(&[
        "shortlist",
        medium.to_str().unwrap(),
        "--per-position",
        "3",
        "--per-trainee",
        "5",
        "--time-limit",
        "0.001",
        "--format",
        "json",
    ]);
    assert_eq!(doc["status"], "time_limit");
    assert!(doc["solver"]["phases"]
        .as_array()
        .unwrap()
        .iter()
        .all(|ph| ph["proven_optimal"] == false || ph["proof"] == "min_cost_flow_relaxation"));
}

/// The officer reads the shortlists in Dutch or French: the frame and each
/// reason's label in that language, the numbers those of the document.
#[test]
fn the_shortlist_table_speaks_dutch_and_french() {
    let args = |extra: &[&'static str]| -> Vec<&'static str> {
        let mut a = vec![
            "shortlist",
            "scenarios/palim-2020/round-2.json",
            "--per-position",
            "3",
            "--per-trainee",
            "4",
        ];
        a.extend_from_slice(extra);
        a
    };
    let doc = common::palim_json(&args(&["--format", "json"]));
    let o = &doc["objective"];
    let (covered, open) = (&o["positions_covered"], &o["open_positions"]);
    let none = doc["not_shortlisted"].as_array().unwrap().len();
    for (lang, summary, heading, label) in [
        (
            "nl",
            format!("bewezen optimaal: {covered} van {open} open plaatsen gedekt"),
            format!("Op geen enkele shortlist ({none} kandidaten):"),
            "heeft een aanbod: T013 holds an offer from BE-08",
        ),
        (
            "fr",
            format!("optimalité prouvée : {covered} postes ouverts couverts sur {open}"),
            format!("Sur aucune liste ({none} candidats) :"),
            "a une offre: T013 holds an offer from BE-08",
        ),
    ] {
        let out = common::palim(&args(&["--format", "table", "--lang", lang]));
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        for expected in [summary.as_str(), heading.as_str(), label] {
            assert!(
                text.contains(expected),
                "{lang} lacks {expected:?}:\n{text}"
            );
        }
        // The frame is translated (the method's account stays in English).
        assert!(!text.contains("Interview shortlists for"), "{lang}: {text}");
        assert!(!text.contains("On no shortlist"), "{lang}: {text}");
    }
}
