//! The min-cost-flow fast path against the integer program on HiGHS, on
//! random network-shaped scenarios larger than exhaustive search can take
//! (exhaustive search checks both on small ones in tests/optimality.rs):
//! the same status, the same objective, every rule kept, and — where scores
//! are continuous, so the optimum is unique — the very same match set.

mod common;

use palim::eligibility::Eligibility;
use palim::model::problem::Problem;
use palim::solve::flow;
use palim::solve::optimize::{self, Engine, Outcome, SolveOptions};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

/// A random network-shaped scenario: quotas, minimums, employer caps (each
/// employer in one destination), forbids, locks, ranked preferences, and
/// sometimes continuous pair scores.
fn random_network(seed: u64) -> Value {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    let n_t = r.gen_range(5..=40);
    let n_v = r.gen_range(2..=18);
    let dests = common::random::destinations(&mut r, 0.3, 3..=12);
    let trainees = common::random::trainees(&mut r, n_t, n_v, 0.3);
    let vacancies: Vec<Value> = (0..n_v)
        .map(|i| {
            // Employer k lives in one destination, so a cap stays a capacity.
            let employer = r.gen_range(0..6);
            let dest = ["A", "B", "C"][employer % 3];
            common::random::vacancy(&mut r, i, employer, dest, 3, 3)
        })
        .collect();
    let mut s = json!({
        "format": "palim/1", "name": format!("network {seed}"), "model": "junior-java-developer",
        "destinations": dests, "trainees": trainees, "vacancies": vacancies
    });
    if r.gen_bool(0.4) {
        s["max_per_employer"] = json!(r.gen_range(1..=4));
    }
    if r.gen_bool(0.5) {
        // Continuous scores: the optimum is unique (with probability one).
        common::random::continuous_scores(&mut s, &mut r, n_t, n_v);
    }
    s["objective"] = match r.gen_range(0..6) {
        0 => json!({ "priorities": ["score", "placements"] }),
        1 => json!({ "priorities": ["score"] }),
        2 => json!({ "priorities": ["placements"] }),
        _ => json!({}),
    };
    if r.gen_bool(0.3) {
        s["forbids"] = json!([{ "trainee": format!("T{:02}", r.gen_range(0..n_t)), "vacancy": format!("V{:02}", r.gen_range(0..n_v)) }]);
    }
    if r.gen_bool(0.3) {
        common::random::lock_one(&mut s, &mut r);
    }
    s
}

fn solve(p: &Problem, e: &Eligibility, engine: Engine) -> Outcome {
    optimize::solve(
        p,
        e,
        &SolveOptions {
            engine,
            ..SolveOptions::default()
        },
    )
    .expect("solves")
}

/// Returns whether the two match sets were identical.
fn agree(seed: u64) -> Result<bool, TestCaseError> {
    let s = random_network(seed);
    let p = common::problem(&s);
    let e = Eligibility::build(&p);
    let flow = solve(&p, &e, Engine::Flow);
    let highs = solve(&p, &e, Engine::Highs);
    match (&flow, &highs) {
        (Outcome::Solved(f), Outcome::Solved(h)) => {
            let broken = palim::solve::audit::violations(&p, &e, &f.chosen);
            prop_assert!(broken.is_empty(), "seed {seed}: flow breaks {broken:?}");
            if let Err((of, oh)) = common::same_objective(&p, &e, &f.chosen, &h.chosen) {
                prop_assert!(false, "seed {seed}: flow {of:?} vs HiGHS {oh:?}");
            }
            prop_assert!(f
                .phases
                .iter()
                .all(|ph| ph.proof == optimize::Proof::MinCostFlow));
            Ok(f.chosen == h.chosen)
        }
        (Outcome::Infeasible, Outcome::Infeasible) => {
            let c = flow::solve_with(&p, &e, false, flow::Algorithm::CostScaling);
            prop_assert!(
                matches!(c, Ok(Outcome::Infeasible)),
                "seed {seed}: cost scaling {c:?}"
            );
            Ok(true)
        }
        _ => Err(TestCaseError::fail(format!(
            "seed {seed}: flow {flow:?} but HiGHS {highs:?}"
        ))),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_flow_and_the_integer_program_agree(seed in any::<u64>()) {
        agree(seed)?;
    }
}

/// Cost scaling (with its global price updates) and successive shortest
/// paths reach the same optimum: the same placements and score to the
/// 10⁻⁹ the costs are exact to, or both no answer.
fn scaling_agrees(seed: u64) -> Result<(), TestCaseError> {
    let s = random_network(seed);
    let p = common::problem(&s);
    let e = Eligibility::build(&p);
    let paths = flow::solve_with(&p, &e, true, flow::Algorithm::ShortestPaths);
    let scaling = flow::solve_with(&p, &e, true, flow::Algorithm::CostScaling);
    match (&paths, &scaling) {
        (Ok(Outcome::Solved(a)), Ok(Outcome::Solved(b))) => {
            if let Err((oa, ob)) = common::same_objective(&p, &e, &a.chosen, &b.chosen) {
                prop_assert!(
                    false,
                    "seed {seed}: shortest paths {oa:?}, cost scaling {ob:?}"
                );
            }
        }
        (Ok(a), Ok(b)) => prop_assert_eq!(
            std::mem::discriminant(a),
            std::mem::discriminant(b),
            "seed {}: {:?} vs {:?}",
            seed,
            a,
            b
        ),
        (Err(a), Err(b)) => prop_assert_eq!(a, b),
        _ => prop_assert!(false, "seed {seed}: {paths:?} vs {scaling:?}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn cost_scaling_and_shortest_paths_agree(seed in any::<u64>()) {
        scaling_agrees(seed)?;
    }
}

#[test]
fn with_continuous_scores_the_two_give_the_same_match_set() {
    let (mut unique, mut same) = (0, 0);
    for seed in 0..300u64 {
        let identical = agree(seed).unwrap();
        let s = random_network(seed);
        if s["pair_scores_only"] == json!(true) && s["objective"] == json!({}) {
            unique += 1;
            same += usize::from(identical);
            assert!(
                identical,
                "seed {seed}: same objective, different match sets"
            );
        }
    }
    assert!(unique >= 50 && same == unique, "{same} of {unique}");
}

#[test]
fn group_shares_take_the_flow_only_when_its_optimum_already_keeps_them() {
    // A share the unconstrained optimum keeps: the relaxation proves it.
    let mut s = random_network(7);
    s["group_shares"] = json!([{ "attribute": "gender", "value": "F", "min_share": 0.0 }]);
    let p = common::problem(&s);
    let e = Eligibility::build(&p);
    let Outcome::Solved(sol) = solve(&p, &e, Engine::Auto) else {
        panic!("solvable")
    };
    assert!(sol
        .phases
        .iter()
        .all(|ph| ph.proof == optimize::Proof::FlowRelaxation));
    // One it cannot keep: the integer program takes over, and the answer keeps it.
    s["group_shares"] = json!([{ "attribute": "gender", "value": "F", "min_share": 0.9 }]);
    let p = common::problem(&s);
    let e = Eligibility::build(&p);
    match solve(&p, &e, Engine::Auto) {
        Outcome::Solved(sol) => {
            assert!(sol
                .phases
                .iter()
                .all(|ph| ph.proof != optimize::Proof::FlowRelaxation));
            assert!(palim::solve::audit::violations(&p, &e, &sol.chosen).is_empty());
        }
        Outcome::Infeasible => {}
        other => panic!("{other:?}"),
    }
    let err = optimize::solve(
        &p,
        &e,
        &SolveOptions {
            engine: Engine::Flow,
            ..SolveOptions::default()
        },
    );
    assert!(err.is_err_and(|e| e.to_string().contains("group shares")));
}

#[test]
fn a_flow_past_its_deadline_is_no_answer_rather_than_a_partial_one() {
    let (p, e) = (0..50u64)
        .map(|seed| {
            let p = common::problem(&random_network(seed));
            let e = Eligibility::build(&p);
            (p, e)
        })
        .find(|(p, e)| {
            matches!(
                flow::solve_until(p, e, false, flow::Algorithm::ShortestPaths, None),
                Ok(Outcome::Solved(_))
            )
        })
        .expect("a solvable network among 50 seeds");
    let past = Some(std::time::Instant::now());
    let cut = flow::solve_until(&p, &e, false, flow::Algorithm::ShortestPaths, past);
    assert!(matches!(cut, Ok(Outcome::NoSolutionInTime)), "{cut:?}");
}

/// Found by the property test. With priorities (score, placements), two match
/// sets tie on score only in exact arithmetic (17/12 = 5/6 + 7/12, which
/// rounds to integer costs one unit apart): the flow must see the tie as the
/// integer program does and take the extra placement (23, not 22).
#[test]
fn a_score_tie_hidden_by_rounding_still_takes_the_extra_placement() {
    agree(10147272811773694134).expect("same objectives");
}

/// A random network for `flow::min_cost_max_flow`: source → a few middle
/// layers → sink, integer capacities and costs of either sign (large
/// ones too, as a shortlist's covered positions have).
fn random_arcs(seed: u64) -> (usize, Vec<(usize, usize, i64, i128)>) {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    let (left, right) = (r.gen_range(1..=12), r.gen_range(1..=8));
    let sink = 1 + left + right;
    let mut arcs = Vec::new();
    for t in 0..left {
        arcs.push((0, 1 + t, r.gen_range(0..=4), 0));
    }
    for t in 0..left {
        for v in 0..right {
            if r.gen_bool(0.5) {
                arcs.push((1 + t, 1 + left + v, 1, -r.gen_range(0..=1_000_000_000i128)));
            }
        }
    }
    for v in 0..right {
        arcs.push((
            1 + left + v,
            sink,
            r.gen_range(0..=3),
            -1_000_000_000_000_000,
        ));
        arcs.push((1 + left + v, sink, r.gen_range(0..=6), 0));
    }
    (sink + 1, arcs)
}

/// The reduced costs `min_cost_max_flow` returns certify its flow, as the
/// shortlists' core method reads them: no arc with room left is cheaper
/// than its reduced cost says (≥ 0), and no arc carrying flow would pay to
/// be emptied (≤ 0), each within the one part in the node count that cost
/// scaling's prices leave.
fn reduced_costs_certify(seed: u64) -> Result<(), TestCaseError> {
    let (nodes, arcs) = random_arcs(seed);
    let Some(answer) = flow::min_cost_max_flow(nodes, &arcs, None) else {
        return Err(TestCaseError::fail("no deadline, yet no answer"));
    };
    let Some(reduced) = answer.reduced_cost else {
        // No flow at all: nothing to certify.
        prop_assert!(answer.flow.iter().all(|&f| f == 0));
        return Ok(());
    };
    for (a, &(u, v, cap, _)) in arcs.iter().enumerate() {
        let (f, rc) = (answer.flow[a], reduced[a]);
        prop_assert!(
            (0..=cap).contains(&f),
            "seed {seed}: arc {a} carries {f} of {cap}"
        );
        if f < cap {
            prop_assert!(
                rc >= -1.0,
                "seed {seed}: {u}→{v} has room at reduced cost {rc}"
            );
        }
        if f > 0 {
            prop_assert!(
                rc <= 1.0,
                "seed {seed}: {u}→{v} carries flow at reduced cost {rc}"
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn the_flows_reduced_costs_certify_it(seed in any::<u64>()) {
        reduced_costs_certify(seed)?;
    }
}

/// The seed proptest shrank a failure to while the property was being
/// written (it was kept in proptest's regression file; the other property
/// tests here name their seeds instead).
#[test]
fn reduced_costs_beside_a_huge_cost_still_certify_the_flow() {
    reduced_costs_certify(16521656280666334).expect("certified");
}
