//! Keeping an earlier answer (a re-plan, a what-if's tie-break) in the fast
//! engines — on the flow's costs, as a phase of the core method — against the
//! integer program on every pair, on random re-plans: the same status, the
//! same placements and score, the same number of kept pairs, every rule kept.
//! Both orders: kept pairs right after the placements (a re-plan) and after
//! the score (a what-if).
//!
//! And what-ifs solved from the answer before (`flow::solve_from`: the
//! earlier pairs as a flow, negative cycles cancelled) against the integer
//! program solving the changed scenario from nothing, on random unit
//! changes of every kind.

mod common;

use palim::eligibility::Eligibility;
use palim::model::problem::{Override, Problem};
use palim::solve::flow;
use palim::solve::optimize::{self, Engine, Outcome, Proof, Solution, SolveOptions};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

/// A random scenario: sometimes a network (each employer in one
/// destination, no share), sometimes not (employers across destinations,
/// a women share), with quotas, caps, locks and forbids.
fn random_scenario(seed: u64) -> Value {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    let n_t = r.gen_range(5..=36);
    let n_v = r.gen_range(2..=14);
    let network = r.gen_bool(0.5);
    let dests = common::random::destinations(&mut r, 0.3, 3..=12);
    let trainees = common::random::trainees(&mut r, n_t, n_v, 0.35);
    let vacancies: Vec<Value> = (0..n_v)
        .map(|i| {
            let employer = r.gen_range(0..6);
            let dest = if network {
                ["A", "B", "C"][employer % 3]
            } else {
                ["A", "B", "C"][r.gen_range(0..3)]
            };
            common::random::vacancy(&mut r, i, employer, dest, 3, 3)
        })
        .collect();
    let mut s = json!({
        "format": "palim/1", "name": format!("re-plan {seed}"), "model": "junior-java-developer",
        "destinations": dests, "trainees": trainees, "vacancies": vacancies
    });
    if r.gen_bool(0.4) {
        s["max_per_employer"] = json!(r.gen_range(1..=4));
    }
    if !network && r.gen_bool(0.8) {
        s["group_shares"] = json!([{ "destination": "A", "attribute": "gender", "value": "F",
                                     "min_share": r.gen_range(1..=5) as f64 / 10.0 }]);
    }
    if r.gen_bool(0.5) {
        common::random::continuous_scores(&mut s, &mut r, n_t, n_v);
    }
    if r.gen_bool(0.2) {
        s["objective"] = json!({ "priorities": ["placements"] });
    }
    if r.gen_bool(0.3) {
        s["forbids"] = json!([{ "trainee": format!("T{:02}", r.gen_range(0..n_t)), "vacancy": format!("V{:02}", r.gen_range(0..n_v)) }]);
    }
    if r.gen_bool(0.2) {
        common::random::lock_one(&mut s, &mut r);
    }
    s
}

/// An earlier answer to keep: for most trainees one of their eligible
/// pairs, at random, so that keeping them all is rarely possible (and a
/// vacancy is often asked for by more of them than it has positions).
fn earlier_answer(e: &Eligibility, trainees: usize, r: &mut ChaCha8Rng) -> Vec<usize> {
    let mut keep: Vec<usize> = (0..trainees)
        .filter_map(|t| {
            let mine: Vec<usize> = e.of_trainee(t).collect();
            (!mine.is_empty() && r.gen_bool(0.7)).then(|| mine[r.gen_range(0..mine.len())])
        })
        .collect();
    keep.sort_unstable();
    keep
}

fn solve(p: &Problem, e: &Eligibility, engine: Engine, keep: &[usize], before: bool) -> Outcome {
    optimize::solve(
        p,
        e,
        &SolveOptions {
            engine,
            keep: Some(keep.to_vec()),
            keep_before_score: before,
            ..SolveOptions::default()
        },
    )
    .expect("solves")
}

/// Placements, kept pairs and score of a match set.
fn measure(e: &Eligibility, keep: &[usize], s: &Solution) -> (usize, usize, f64) {
    let kept = s
        .chosen
        .iter()
        .filter(|i| keep.binary_search(i).is_ok())
        .count();
    let score = s.chosen.iter().map(|&i| e.pairs[i].score).sum();
    (s.chosen.len(), kept, score)
}

/// Whether the fast engines answered (not the integer program they fall back to).
fn fast(s: &Solution) -> bool {
    matches!(
        s.phases.first().map(|ph| ph.proof),
        Some(Proof::MinCostFlow | Proof::FlowRelaxation | Proof::FlowBound | Proof::LpBound)
    )
}

/// `answer` against the integer program's `reference`: the same status;
/// when solved, every rule kept, the same placements and number of `keep`
/// kept, and the same score within 10⁻⁶ (when the score is a priority).
fn same_answer(
    case: &str,
    p: &Problem,
    e: &Eligibility,
    keep: &[usize],
    answer: &Outcome,
    reference: &Outcome,
) -> Result<(), TestCaseError> {
    match (answer, reference) {
        (Outcome::Solved(a), Outcome::Solved(h)) => {
            let broken = palim::solve::audit::violations(p, e, &a.chosen);
            prop_assert!(broken.is_empty(), "{case}: breaks {broken:?}");
            let (ma, mh) = (measure(e, keep, a), measure(e, keep, h));
            prop_assert_eq!(
                (ma.0, ma.1),
                (mh.0, mh.1),
                "{}: placements and kept {:?} vs HiGHS {:?}",
                case,
                ma,
                mh
            );
            if p.priorities.len() > 1 {
                prop_assert!(
                    (ma.2 - mh.2).abs() <= 1e-6 * mh.2.abs().max(1.0),
                    "{case}: score {ma:?} vs HiGHS {mh:?}"
                );
            }
            Ok(())
        }
        (Outcome::Infeasible, Outcome::Infeasible) => Ok(()),
        _ => Err(TestCaseError::fail(format!(
            "{case}: {answer:?} but HiGHS {reference:?}"
        ))),
    }
}

/// Whether the fast engines answered on this seed.
fn agree(seed: u64) -> Result<bool, TestCaseError> {
    let s = random_scenario(seed);
    let p = common::problem(&s);
    let e = Eligibility::build(&p);
    let mut r = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
    let keep = earlier_answer(&e, p.trainees.len(), &mut r);
    let mut answered_fast = true;
    for before in [false, true] {
        let auto = solve(&p, &e, Engine::Auto, &keep, before);
        let highs = solve(&p, &e, Engine::Highs, &keep, before);
        let case = format!("seed {seed} (kept before score: {before})");
        same_answer(&case, &p, &e, &keep, &auto, &highs)?;
        if let Outcome::Solved(a) = &auto {
            prop_assert_eq!(a.status, optimize::Status::Optimal);
            answered_fast &= fast(a);
        }
    }
    Ok(answered_fast)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn keeping_an_earlier_answer_in_the_fast_engines_agrees_with_the_integer_program(seed in any::<u64>()) {
        agree(seed)?;
    }
}

/// The point of the fast engines: re-plans do not fall back to the integer
/// program on every pair. Nearly every seed is answered by the flow or the
/// core method (a fall-back is allowed when the core method gives up).
#[test]
fn re_plans_are_answered_by_the_flow_or_the_core_method() {
    let seeds = 200u64;
    let fast = (0..seeds).filter(|&seed| agree(seed).unwrap()).count();
    assert!(fast * 10 >= seeds as usize * 9, "{fast} of {seeds}");
}

/// A random unit change of `p`, as a what-if makes: a position, a quota's
/// maximum or minimum, the employer cap (each one up or down), a lock of an
/// eligible pair, a trainee's data (as a nearest miss's fix: the pairs are
/// built again), a forbid of a chosen one.
fn changed(p: &Problem, e: &Eligibility, chosen: &[usize], r: &mut ChaCha8Rng) -> Problem {
    let mut q = p.clone();
    let up = r.gen_bool(0.5);
    let step = |x: u32| {
        if up {
            x.saturating_add(1)
        } else {
            x.saturating_sub(1)
        }
    };
    match r.gen_range(0..7) {
        0 => {
            let v = r.gen_range(0..q.vacancies.len());
            q.vacancies[v].positions = step(q.vacancies[v].positions);
        }
        1 => {
            let d = r.gen_range(0..q.destinations.len());
            q.destinations[d].max = Some(step(q.destinations[d].max.unwrap_or(4)));
        }
        2 => {
            let d = r.gen_range(0..q.destinations.len());
            q.destinations[d].min = step(q.destinations[d].min);
        }
        3 => {
            q.max_per_employer = Some(step(q.max_per_employer.unwrap_or(2)));
            q.employer_caps = vec![q.max_per_employer; q.employers.len()];
        }
        4 if !e.pairs.is_empty() => {
            let pair = &e.pairs[r.gen_range(0..e.pairs.len())];
            q.locks.push(Override {
                trainee: pair.t,
                vacancy: pair.v,
                why: Some("what-if".into()),
            });
        }
        5 => {
            let t = r.gen_range(0..q.trainees.len());
            let all = (0..q.destinations.len()).collect();
            let trainee = q.trainee_mut(t);
            trainee.accepts = all;
            trainee.available_from = trainee.available_from - chrono::Days::new(30);
        }
        _ if !chosen.is_empty() => {
            let pair = &e.pairs[chosen[r.gen_range(0..chosen.len())]];
            q.forbids.insert((pair.t, pair.v), Some("what-if".into()));
        }
        _ => {}
    }
    q
}

/// Whether a what-if from the answer before was answered on this seed (and
/// agreed with the integer program from scratch).
fn from_base_agrees(seed: u64) -> Result<bool, TestCaseError> {
    let p = common::problem(&random_scenario(seed));
    let e = Eligibility::build(&p);
    let Outcome::Solved(base) = optimize::solve(&p, &e, &SolveOptions::default()).expect("solves")
    else {
        return Ok(false);
    };
    let mut r = ChaCha8Rng::seed_from_u64(seed ^ 0xc4a96e);
    let q = changed(&p, &e, &base.chosen, &mut r);
    let eq = Eligibility::build(&q);
    let keep = kept_in(&e, &eq, &base.chosen);
    let warm = flow::Warm::new(&p, &e, &base.chosen, None);
    let pairs = pairs_of(&e, &eq);
    let Ok(from_base) = flow::solve_from(&q, &eq, pairs, &keep, warm.as_ref(), None) else {
        return Ok(false);
    };
    let scratch = solve(&q, &eq, Engine::Highs, &keep, false);
    let case = format!("seed {seed} (from the answer before)");
    same_answer(&case, &q, &eq, &keep, &from_base, &scratch)?;
    Ok(true)
}

/// Whether a what-if of a scenario whose flow is only a relaxation (a
/// share or an employer across destinations) was answered from the
/// relaxation before (`Warm::relaxation`: the changed relaxation repaired,
/// then the core method from it) and agreed with the integer program from
/// scratch.
fn from_relaxation_agrees(seed: u64) -> Result<bool, TestCaseError> {
    Ok(from_relaxation_checked(seed)?.is_some())
}

/// [`from_relaxation_agrees`], saying whether the pairs were built again.
fn from_relaxation_checked(seed: u64) -> Result<Option<bool>, TestCaseError> {
    let Some(c) = from_relaxation(seed) else {
        return Ok(None);
    };
    let case = format!("seed {seed} (from the relaxation before)");
    if refutes(&c.q, &c.eq, &c.answer, &c.scratch) {
        eprintln!("{case}: the integer program's optimum is below a match set that keeps every rule (HiGHS, not palim's engines; see `refuted_reference`)");
        return Ok(None);
    }
    same_answer(&case, &c.q, &c.eq, &c.keep, &c.answer, &c.scratch)?;
    Ok(Some(c.rebuilt))
}

/// A random what-if of a scenario with a share, answered from the
/// relaxation before and by the integer program from scratch.
struct RelaxedCase {
    q: Problem,
    eq: Eligibility,
    keep: Vec<usize>,
    answer: Outcome,
    scratch: Outcome,
    /// A trainee's data changed: the relaxation before was renumbered to
    /// the pairs built again.
    rebuilt: bool,
}

/// Seed `seed`'s what-if ([`RelaxedCase`]), or `None` when the scenario is
/// a network, has no answer, or the change is not answered that way.
fn from_relaxation(seed: u64) -> Option<RelaxedCase> {
    let p = common::problem(&random_scenario(seed));
    if !flow::needs_relaxation(&p) {
        return None;
    }
    let e = Eligibility::build(&p);
    let Outcome::Solved(base) = optimize::solve(&p, &e, &SolveOptions::default()).expect("solves")
    else {
        return None;
    };
    let warm = flow::Warm::relaxation(&p, &e, &base.chosen, None)?;
    let mut r = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
    let q = changed(&p, &e, &base.chosen, &mut r);
    let eq = Eligibility::build(&q);
    let keep = kept_in(&e, &eq, &base.chosen);
    let pairs = pairs_of(&e, &eq);
    let answer = match flow::solve_or_relax_from(&q, &eq, pairs, &keep, Some(&warm), None) {
        Ok(flow::FromBefore::Answer(outcome)) => outcome,
        Ok(flow::FromBefore::Relaxed(relaxation)) => optimize::solve(
            &q,
            &eq,
            &SolveOptions {
                keep: Some(keep.clone()),
                relaxation: Some(relaxation),
                ..SolveOptions::default()
            },
        )
        .expect("solves"),
        Err(_) => return None,
    };
    let scratch = solve(&q, &eq, Engine::Highs, &keep, false);
    Some(RelaxedCase {
        rebuilt: matches!(pairs, flow::Pairs::Rebuilt { .. }),
        q,
        eq,
        keep,
        answer,
        scratch,
    })
}

/// Whether `answer` refutes the integer program's `reference`: it keeps
/// every rule and beats it on placements, then score (the order when kept
/// pairs come after the score, when the score is a priority). HiGHS's
/// branch-and-bound has proven optima below a known match set before, with
/// presolve and without (`optimize::run_model` re-solves without presolve
/// when its start says so, and checks a small phase without presolve by one
/// with it); such a case says nothing of palim's engines, and is skipped,
/// loudly.
fn refutes(p: &Problem, e: &Eligibility, answer: &Outcome, reference: &Outcome) -> bool {
    let (Outcome::Solved(a), Outcome::Solved(h)) = (answer, reference) else {
        return false;
    };
    if !palim::solve::audit::violations(p, e, &a.chosen).is_empty() {
        return false;
    }
    let ((pa, _, sa), (ph, _, sh)) = (measure(e, &[], a), measure(e, &[], h));
    let score = p.priorities.len() > 1;
    pa > ph || (pa == ph && score && sa > sh + 1e-6 * sh.abs().max(1.0))
}

/// The seed on which CI (2026-12-04) found `refutes` true: HiGHS's
/// branch-and-bound (no presolve, 7 placements held) proved a score of
/// 6.9974 optimal, where the core method from the relaxation before finds
/// 7.1825 with 7 placements, every rule kept. It was HiGHS 1.15 without
/// presolve (the case of core_method's
/// `a_wrong_proof_of_highs_without_presolve_is_caught`); the integer
/// program now checks such a phase with presolve on, and finds 7.1825 too.
#[test]
fn refuted_reference() {
    let c = from_relaxation(3_883_906_226_056_055_252).expect("a what-if from the relaxation");
    assert!(!refutes(&c.q, &c.eq, &c.answer, &c.scratch));
    for answer in [&c.answer, &c.scratch] {
        let Outcome::Solved(a) = answer else {
            panic!("solved: {answer:?}")
        };
        let (placed, _, score) = measure(&c.eq, &c.keep, a);
        assert_eq!(placed, 7);
        assert!((score - 7.182_539_682_539_684).abs() < 1e-9, "{score}");
    }
}

/// `chosen` (pairs of `e`) as pairs of `eq`, sorted.
fn kept_in(e: &Eligibility, eq: &Eligibility, chosen: &[usize]) -> Vec<usize> {
    let mut keep: Vec<usize> = chosen.iter().filter_map(|&i| eq.same_pair(e, i)).collect();
    keep.sort_unstable();
    keep
}

/// Whether `eq` has the very pairs of `e` (a rule change; a forbid takes
/// one out, a trainee's data builds them again): the costs of the solve
/// before are then reused.
fn pairs_of<'a>(e: &'a Eligibility, eq: &Eligibility) -> flow::Pairs<'a> {
    let same = e.pairs.len() == eq.pairs.len()
        && e.pairs
            .iter()
            .zip(&eq.pairs)
            .all(|(a, b)| (a.t, a.v) == (b.t, b.v));
    match same {
        true => flow::Pairs::Same,
        false => flow::Pairs::Rebuilt { before: e },
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_what_if_solved_from_the_answer_before_equals_one_solved_from_scratch(seed in any::<u64>()) {
        from_base_agrees(seed)?;
    }

    #[test]
    fn a_what_if_solved_from_the_relaxation_before_equals_one_solved_from_scratch(seed in any::<u64>()) {
        from_relaxation_agrees(seed)?;
    }
}

/// The random what-ifs of scenarios with shares are mostly answered from
/// the relaxation before.
#[test]
fn relaxed_what_ifs_are_answered_from_the_relaxation_before() {
    let seeds = 300u64;
    let checked: Vec<Option<bool>> = (0..seeds)
        .map(|seed| from_relaxation_checked(seed).unwrap())
        .collect();
    let answered = checked.iter().flatten().count();
    // A trainee's data changed too: the relaxation before, renumbered.
    let rebuilt = checked.iter().flatten().filter(|&&r| r).count();
    assert!(rebuilt >= 10, "{rebuilt} of {answered}");
    let relaxed = (0..seeds)
        .filter(|&seed| flow::needs_relaxation(&common::problem(&random_scenario(seed))))
        .count();
    assert!(answered * 2 >= relaxed, "{answered} of {relaxed}");
}

/// The random what-ifs above are mostly answered from the answer before
/// (the rest are not networks, or their relaxation breaks a share).
#[test]
fn network_what_ifs_are_answered_from_the_answer_before() {
    let seeds = 300u64;
    let answered = (0..seeds)
        .filter(|&seed| from_base_agrees(seed).unwrap())
        .count();
    assert!(answered * 2 >= seeds as usize, "{answered} of {seeds}");
}
