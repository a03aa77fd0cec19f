//! Explanations are claims; these tests check them. Every change an
//! explanation offers is applied to the scenario *file* (not to palim's
//! internal problem), solved from scratch, and the claimed answer is checked to
//! be a feasible, optimal answer of the changed scenario. Every nearest-miss fix
//! is checked to be exact: it makes the pair eligible, and one unit less does not.

use std::collections::BTreeMap;
use std::path::Path;

use palim::analysis::explain::{self, Audience, Change, Context, Effect, Fix};
use palim::eligibility::Eligibility;
use palim::input::validate::{load_str, LoadOptions};
use palim::model::problem::Problem;
use palim::solve::audit;
use palim::{rules, SolveOptions};
use serde_json::{json, Value};

fn baseline() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/palim-2020/baseline.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The baseline with five fewer Flemish places: eligible trainees lose out.
fn tight_flanders() -> Value {
    let mut s = baseline();
    s["destinations"]["BE"]["max"] = json!(25);
    s
}

/// The baseline with 30% women among Flanders' placements (the bundled
/// `women-30-percent` what-if): the share costs a placement, so the match
/// set is the core method's (`lp_bound`), not the flow's.
fn women_30_percent() -> Value {
    let mut s = baseline();
    s["group_shares"][0]["min_share"] = json!(0.30);
    s
}

fn load(s: &Value) -> Problem {
    load_str(&s.to_string(), "scenario.json", &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{}", e.plain()))
}

fn index_of(list: &Value, id: &str) -> usize {
    list.as_array()
        .unwrap()
        .iter()
        .position(|x| x["id"] == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

/// The change, written into the scenario document the way an officer would.
fn apply_to_document(s: &Value, change: &Change) -> Value {
    let mut s = s.clone();
    match change {
        Change::AddPosition { vacancy } => {
            let i = index_of(&s["vacancies"], vacancy);
            let n = s["vacancies"][i]["positions"].as_i64().unwrap_or(1);
            s["vacancies"][i]["positions"] = json!(n + 1);
        }
        Change::RaiseDestinationMax { destination } => {
            let n = s["destinations"][destination]["max"].as_u64().unwrap();
            s["destinations"][destination]["max"] = json!(n + 1);
        }
        Change::LowerDestinationMin { destination } => {
            let n = s["destinations"][destination]["min"].as_u64().unwrap();
            s["destinations"][destination]["min"] = json!(n - 1);
        }
        Change::RaiseEmployerCap => {
            let n = s["max_per_employer"].as_u64().unwrap();
            s["max_per_employer"] = json!(n + 1);
        }
        Change::RelaxShare {
            index,
            min_share,
            max_share,
        } => {
            s["group_shares"][*index]["min_share"] = json!(min_share);
            if let Some(m) = max_share {
                s["group_shares"][*index]["max_share"] = json!(m);
            }
        }
        Change::Lock { trainee, vacancy } => {
            if s.get("locks").is_none() {
                s["locks"] = json!([]);
            }
            s["locks"]
                .as_array_mut()
                .unwrap()
                .push(json!({ "trainee": trainee, "vacancy": vacancy }));
        }
        Change::DropLock { trainee, vacancy } => {
            s["locks"]
                .as_array_mut()
                .unwrap()
                .retain(|l| !(l["trainee"] == *trainee && l["vacancy"] == *vacancy));
        }
        Change::Data { fixes } => {
            for f in fixes {
                apply_fix(&mut s, f);
            }
        }
    }
    s
}

fn apply_fix(s: &mut Value, f: &Fix) {
    match f {
        Fix::AcceptDestination {
            trainee,
            destination,
        } => {
            let i = index_of(&s["trainees"], trainee);
            s["trainees"][i]["destinations"]
                .as_array_mut()
                .unwrap()
                .push(json!(destination));
        }
        Fix::RaiseSkill {
            trainee, skill, to, ..
        } => {
            let i = index_of(&s["trainees"], trainee);
            s["trainees"][i]["skills"][skill] = json!(to);
        }
        Fix::DocumentsBy { trainee, date, .. } => {
            let i = index_of(&s["trainees"], trainee);
            s["trainees"][i]["documents_ready"] = json!(date);
        }
        Fix::AvailableBy { trainee, date, .. } => {
            let i = index_of(&s["trainees"], trainee);
            s["trainees"][i]["available_from"] = json!(date);
        }
        Fix::RaiseSalary { vacancy, to, .. } => {
            let i = index_of(&s["vacancies"], vacancy);
            s["vacancies"][i]["salary"] = json!(to);
        }
        Fix::LiftForbid { trainee, vacancy } => {
            s["forbids"]
                .as_array_mut()
                .unwrap()
                .retain(|x| !(x["trainee"] == *trainee && x["vacancy"] == *vacancy));
        }
        Fix::SupplyPairScore { trainee, vacancy } => {
            s["pair_scores"]
                .as_array_mut()
                .unwrap()
                .push(json!({ "trainee": trainee, "vacancy": vacancy, "score": 0 }));
        }
    }
}

/// The fix made one unit smaller: one level, one day, one cent less; or undone.
fn weaken(f: &Fix) -> Option<Fix> {
    let day = chrono::Duration::days(1);
    Some(match f.clone() {
        Fix::RaiseSkill {
            trainee,
            skill,
            from,
            to,
        } if to - 1.0 >= from => Fix::RaiseSkill {
            trainee,
            skill,
            from,
            to: to - 1.0,
        },
        Fix::DocumentsBy {
            trainee,
            date,
            days_earlier,
        } => Fix::DocumentsBy {
            trainee,
            date: date + day,
            days_earlier,
        },
        Fix::AvailableBy {
            trainee,
            date,
            days_earlier,
        } => Fix::AvailableBy {
            trainee,
            date: date + day,
            days_earlier,
        },
        Fix::RaiseSalary { vacancy, to, by } => Fix::RaiseSalary {
            vacancy,
            to: to - 0.01,
            by,
        },
        _ => return None,
    })
}

/// Check that what `effect` claims is an optimal answer of the changed scenario.
fn verify_claim(base_doc: &Value, cx: &Context, effect: &Effect) {
    let changed_doc = apply_to_document(base_doc, &effect.change);
    let q = load(&changed_doc);
    let truth = palim::solve(&q, &SolveOptions::default()).unwrap();
    assert_eq!(
        effect.feasible,
        truth.status != palim::documents::match_set::ResultStatus::Infeasible,
        "{}",
        effect.description
    );
    if !effect.feasible {
        return;
    }
    // The claimed answer: the current one with the reported moves.
    let mut assignment: BTreeMap<String, String> = cx
        .set
        .matches
        .iter()
        .map(|m| (m.trainee.clone(), m.vacancy.clone()))
        .collect();
    for m in &effect.moves {
        match &m.to {
            Some(v) => assignment.insert(m.trainee.clone(), v.clone()),
            None => assignment.remove(&m.trainee),
        };
    }
    let eq = Eligibility::build(&q);
    let chosen: Vec<usize> = assignment
        .iter()
        .map(|(t, v)| {
            eq.pair_index(q.trainee_ix(t).unwrap(), q.vacancy_ix(v).unwrap())
                .unwrap_or_else(|| {
                    panic!(
                        "{}: claimed pair {t} -> {v} is not eligible",
                        effect.description
                    )
                })
        })
        .collect();
    let broken = audit::violations(&q, &eq, &chosen);
    assert!(
        broken.is_empty(),
        "{}: the claimed answer breaks {broken:?}",
        effect.description
    );
    let score: f64 = chosen.iter().map(|&i| eq.pairs[i].score).sum();
    assert_eq!(
        chosen.len(),
        truth.objective.placements,
        "{}: placements",
        effect.description
    );
    assert!(
        (score - truth.objective.score).abs() < 1e-3,
        "{}: score {score} vs optimum {}",
        effect.description,
        truth.objective.score
    );
    assert_eq!(
        chosen.len() as i64 - cx.set.objective.placements as i64,
        effect.placements_delta,
        "{}",
        effect.description
    );
    for m in &effect.moves {
        if let (Some(v), Some(start)) = (&m.to, m.start_date) {
            let i = eq
                .pair_index(q.trainee_ix(&m.trainee).unwrap(), q.vacancy_ix(v).unwrap())
                .unwrap();
            assert_eq!(
                eq.pairs[i].start, start,
                "{}: start date of {}",
                effect.description, m.trainee
            );
        }
    }
}

/// The unmatched trainees eligible for some vacancy: those a report offers
/// changes to.
fn unmatched_eligible<'c>(cx: &'c Context) -> impl Iterator<Item = &'c str> {
    cx.set
        .unmatched_trainees
        .iter()
        .filter(|u| u.eligible_somewhere)
        .map(|u| u.trainee.as_str())
}

/// Each rule's what-if one unit looser in the rules report, re-solved from
/// the changed document ([`verify_claim`]); how many there were.
fn verify_relaxed_rules(doc: &Value, cx: &Context) -> usize {
    let report = explain::rules(cx).unwrap();
    let relaxed: Vec<&Effect> = report
        .hard_rules
        .iter()
        .filter_map(|h| h.relaxed.as_ref())
        .collect();
    for effect in &relaxed {
        verify_claim(doc, cx, effect);
    }
    relaxed.len()
}

#[test]
fn every_change_offered_to_an_unmatched_trainee_is_an_optimal_answer_where_they_get_a_place() {
    let doc = tight_flanders();
    let p = load(&doc);
    let cx = Context::new(&p).unwrap();
    let mut checked = 0;
    for tid in unmatched_eligible(&cx) {
        let report = explain::trainee(&cx, p.trainee_ix(tid).unwrap()).unwrap();
        assert!(
            !report.competition.is_empty(),
            "{tid}: eligible somewhere but no vacancy listed"
        );
        assert!(
            !report.changes.is_empty(),
            "{tid}: no change gives them a place"
        );
        for effect in &report.changes {
            let m = effect.destination_of(tid).expect("the trainee moves");
            assert!(
                m.to.is_some(),
                "{}: the change must give {tid} a place",
                effect.description
            );
            verify_claim(&doc, &cx, effect);
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} claims checked");
}

#[test]
fn the_cost_of_a_higher_ranked_choice_is_a_real_optimum_with_the_lock() {
    let doc = baseline();
    let p = load(&doc);
    let cx = Context::new(&p).unwrap();
    let mut checked = 0;
    for m in cx.set.matches.iter().take(60) {
        let report = explain::trainee(&cx, p.trainee_ix(&m.trainee).unwrap()).unwrap();
        for choice in &report.matched.unwrap().higher_choices {
            if let Some(swap) = &choice.swap {
                assert_eq!(
                    swap.destination_of(&m.trainee).and_then(|x| x.to.clone()),
                    Some(choice.vacancy.clone())
                );
                verify_claim(&doc, &cx, swap);
                checked += 1;
            }
        }
    }
    assert!(checked >= 5, "only {checked} swaps checked");
}

/// Where a share binds, what-ifs go to the core method, each started from
/// the LP of the match set before (`core_method::what_if_start`): every
/// change offered to an unmatched trainee, and every rule relaxed, is still
/// the optimum of the changed scenario solved from scratch.
#[test]
fn what_ifs_where_a_share_binds_are_optima_of_the_changed_scenario() {
    let doc = women_30_percent();
    let p = load(&doc);
    let cx = Context::new(&p).unwrap();
    assert!(
        cx.set.solver.phases.iter().any(|ph| ph.proof == "lp_bound"),
        "{:?}",
        cx.set.solver.phases
    );
    let mut checked = 0;
    for tid in unmatched_eligible(&cx).take(6) {
        let report = explain::trainee(&cx, p.trainee_ix(tid).unwrap()).unwrap();
        for effect in &report.changes {
            verify_claim(&doc, &cx, effect);
            checked += 1;
        }
    }
    checked += verify_relaxed_rules(&doc, &cx);
    eprintln!("{checked} claims checked");
    assert!(checked >= 5, "only {checked} claims checked");
}

/// Where a share binds, a data what-if (a trainee eligible nowhere, with
/// their nearest miss fixed) builds its pairs again and starts from the LP
/// before, renumbered to them. Each answer is the optimum of the changed
/// document solved from scratch.
#[test]
fn data_what_ifs_where_a_share_binds_are_optima_of_the_changed_scenario() {
    let doc = women_30_percent();
    let p = load(&doc);
    let cx = Context::new(&p).unwrap();
    let mut checked = 0;
    for u in (cx.set.unmatched_trainees.iter()).filter(|u| !u.eligible_somewhere) {
        let report = explain::trainee(&cx, p.trainee_ix(&u.trainee).unwrap()).unwrap();
        if let Some(effect) = &report.if_nearest_fixed {
            verify_claim(&doc, &cx, effect);
            checked += 1;
        }
    }
    assert!(checked >= 3, "only {checked} data what-ifs");
}

#[test]
fn relaxing_each_rule_by_one_unit_does_what_the_report_says() {
    for doc in [baseline(), tight_flanders()] {
        let p = load(&doc);
        let cx = Context::new(&p).unwrap();
        assert!(verify_relaxed_rules(&doc, &cx) >= 2);
    }
}

#[test]
fn nearest_misses_are_exact_each_fix_needed_and_enough() {
    let doc = baseline();
    let p = load(&doc);
    let cx = Context::new(&p).unwrap();
    let mut checked = 0;
    for u in &cx.set.unmatched_trainees {
        let report = explain::trainee(&cx, p.trainee_ix(&u.trainee).unwrap()).unwrap();
        assert!(
            !report.nearest_misses.is_empty(),
            "{} has no nearest miss",
            u.trainee
        );
        for group in report.nearest_misses.iter().filter(|g| g.fixable) {
            let v = &group.vacancies[0];
            let eligible_with = |fixes: &[Fix]| {
                let mut s = doc.clone();
                for f in fixes {
                    apply_fix(&mut s, f);
                }
                let q = load(&s);
                rules::evaluate(
                    &q,
                    q.trainee_ix(&u.trainee).unwrap(),
                    q.vacancy_ix(v).unwrap(),
                )
                .eligible()
            };
            assert!(
                eligible_with(&group.fixes),
                "{} at {v}: {:?} is not enough",
                u.trainee,
                group.needs
            );
            for (k, f) in group.fixes.iter().enumerate() {
                let mut fewer = group.fixes.clone();
                match weaken(f) {
                    Some(w) => fewer[k] = w,
                    None => {
                        fewer.remove(k);
                    }
                }
                assert!(
                    !eligible_with(&fewer),
                    "{} at {v}: {:?} is more than needed ({f:?})",
                    u.trainee,
                    group.needs
                );
            }
            checked += 1;
        }
        if let Some(effect) = &report.if_nearest_fixed {
            verify_claim(&doc, &cx, effect);
        }
    }
    assert!(checked >= 10, "only {checked} misses checked");
}

#[test]
fn every_person_and_vacancy_of_the_baseline_gets_an_explanation() {
    let p = load(&baseline());
    let cx = Context::new(&p).unwrap();
    for t in 0..p.trainees.len() {
        let r = explain::trainee(&cx, t).unwrap();
        assert!(!r.summary.is_empty());
        assert!(
            r.matched.is_some() || !r.competition.is_empty() || !r.nearest_misses.is_empty(),
            "{}",
            r.trainee
        );
    }
    for v in 0..p.vacancies.len() {
        let r = explain::vacancy(&cx, v, Audience::Officer).unwrap();
        assert!(
            r.open == 0 || !r.reasons.is_empty(),
            "{} is open without reason",
            r.vacancy
        );
    }
}

#[test]
fn the_employer_view_names_no_other_trainee_and_no_age() {
    let p = load(&tight_flanders());
    let cx = Context::new(&p).unwrap();
    let all_ids: Vec<&str> = p.trainees.iter().map(|t| t.id.as_str()).collect();
    let mut checked = 0;
    for v in (0..p.vacancies.len()).filter(|&v| !p.vacancies[v].ranking.is_empty()) {
        let report = explain::vacancy(&cx, v, Audience::Employer).unwrap();
        let text =
            serde_json::to_string(&report).unwrap() + &palim::render::explanation::vacancy(&report);
        let allowed: Vec<&str> = p.vacancies[v]
            .ranking
            .iter()
            .map(|&t| p.trainees[t].id.as_str())
            .collect();
        for id in &all_ids {
            if !allowed.contains(id) {
                assert!(
                    !text.contains(&format!("\"{id}\"")) && !text.contains(&format!("{id} ")),
                    "{} names {id}:\n{text}",
                    p.vacancies[v].id
                );
            }
        }
        assert!(
            !text.contains("age "),
            "{} shows an age:\n{text}",
            p.vacancies[v].id
        );
        checked += 1;
    }
    assert!(checked >= 10);
}

#[test]
fn training_modules_report_placements_that_a_fresh_solve_confirms() {
    let doc = baseline();
    let p = load(&doc);
    let cx = Context::new(&p).unwrap();
    let report = explain::skills(&cx).unwrap();
    assert!(!report.modules.is_empty());
    for m in &report.modules {
        let mut s = doc.clone();
        for t in s["trainees"].as_array_mut().unwrap() {
            let level = t["skills"]
                .get(&m.skill)
                .and_then(Value::as_f64)
                .unwrap_or(0.0);
            if level == m.from {
                t["skills"][&m.skill] = json!(m.to);
            }
        }
        let truth = palim::solve(&load(&s), &SolveOptions::default()).unwrap();
        assert_eq!(
            truth.objective.placements, m.placements_after,
            "{}",
            m.summary
        );
    }
}

/// A generated cohort of 150 trainees and 80 vacancies, whose vacancies ask
/// for many different sets of skill levels.
fn many_level_sets() -> Value {
    use palim::input::generate::{generate, Preset};
    let mut params = Preset::Medium.params();
    params.trainees = 150;
    params.vacancies = 80;
    serde_json::to_value(generate(&params, 7)).unwrap()
}

/// The rules report's counts (each eligibility rule's pairs, and the pairs
/// it alone rules out) are every pair's verdict counted one by one, though
/// the report asks the skills once per set of required levels and goes
/// vacancy by vacancy: on the baseline and on a generated cohort whose
/// vacancies ask for many different sets of levels.
#[test]
fn the_rules_counts_are_every_pairs_verdict_counted() {
    let generated = many_level_sets();
    let sets: std::collections::BTreeSet<String> = (generated["vacancies"].as_array().unwrap())
        .iter()
        .map(|v| v["requires"].to_string())
        .collect();
    assert!(sets.len() >= 10, "{} sets of levels", sets.len());
    for doc in [baseline(), generated] {
        let p = load(&doc);
        let mut expected: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for t in 0..p.trainees.len() {
            for v in 0..p.vacancies.len() {
                let codes = rules::evaluate(&p, t, v).codes();
                for code in &codes {
                    let e = expected.entry(code.as_str()).or_default();
                    e.0 += 1;
                    e.1 += usize::from(codes.len() == 1);
                }
            }
        }
        let cx = Context::new(&p).unwrap();
        let counted = explain::rules(&cx).unwrap().eligibility;
        assert_eq!(counted.len(), rules::RULES.len());
        for c in &counted {
            let e = expected.get(c.code.as_str()).copied().unwrap_or_default();
            assert_eq!((c.pairs, c.only_reason), e, "{}", c.code.as_str());
        }
        assert!(expected["skill_below_requirement"].1 > 0, "{expected:?}");
    }
}

/// The skills report counts every pair in one pass and never builds the
/// eligibility of a module it does not solve: its counts are still every
/// pair's verdict, and each module's reach (whom it makes newly eligible
/// where, which vacancies gain) is what its scenario's eligibility, built
/// anew, says; the modules are still the eight that reach the most, in
/// order. On the baseline and on a generated cohort with many sets of
/// required levels.
#[test]
fn the_skills_report_is_every_pairs_verdict_and_each_modules_eligibility() {
    use std::collections::BTreeSet;
    let generated = many_level_sets();
    for doc in [baseline(), generated] {
        let p = load(&doc);
        let e = Eligibility::build(&p);
        let mut excluded: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for t in 0..p.trainees.len() {
            for v in 0..p.vacancies.len() {
                let verdict = rules::evaluate(&p, t, v);
                for x in &verdict.violations {
                    if let rules::Detail::Skills { gaps } = &x.detail {
                        for g in gaps {
                            let c = excluded.entry(g.skill.clone()).or_default();
                            c.0 += 1;
                            c.1 += usize::from(verdict.violations.len() == 1 && gaps.len() == 1);
                        }
                    }
                }
            }
        }
        // Every module a skill's requirements allow, its scenario built anew.
        let code = |d: usize| p.destinations[d].code.clone();
        let mut modules = Vec::new();
        for s in 0..p.skills.len() {
            let needs = (p.vacancies.iter()).flat_map(|v| v.requires.iter());
            let Some(top) = needs.filter(|r| r.0 == s).map(|r| r.1 as i64).max() else {
                continue;
            };
            for from in (p.skills[s].scale.min as i64)..top {
                let takers: Vec<usize> = (0..p.trainees.len())
                    .filter(|&t| p.trainees[t].levels[s] as i64 == from)
                    .collect();
                let mut q = p.clone();
                for &t in &takers {
                    q.trainee_mut(t).levels[s] = (from + 1) as f64;
                }
                let after = Eligibility::build(&q);
                let (mut newly, mut gaining) = (BTreeMap::new(), BTreeMap::new());
                for d in 0..p.destinations.len() {
                    let was: BTreeSet<usize> = e.eligible_for_destination(&p, d);
                    let n = after
                        .eligible_for_destination(&q, d)
                        .difference(&was)
                        .count();
                    let gained = (0..p.vacancies.len())
                        .filter(|&v| p.vacancies[v].dest == d)
                        .filter(|&v| after.of_vacancy(v).len() > e.of_vacancy(v).len())
                        .count();
                    if n > 0 {
                        newly.insert(code(d), n);
                        gaining.insert(code(d), gained);
                    }
                }
                if !newly.is_empty() {
                    let reach: usize = newly.values().sum();
                    modules.push((reach, s, from, takers.len(), newly, gaining));
                }
            }
        }
        modules.sort_by(|a, b| b.0.cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
        modules.truncate(8);
        assert!(modules.len() >= 2, "{} modules", modules.len());

        let cx = Context::new(&p).unwrap();
        let report = explain::skills(&cx).unwrap();
        let counted: BTreeMap<String, (usize, usize)> = (report.exclusions.iter())
            .map(|x| (x.skill.clone(), (x.pairs, x.only_reason)))
            .collect();
        assert_eq!(counted, excluded);
        let found: Vec<_> = (report.modules.iter())
            .map(|m| {
                let s = p.skills.iter().position(|k| k.name == m.skill).unwrap();
                let reach: usize = m.newly_eligible.values().sum();
                let (newly, gaining) = (m.newly_eligible.clone(), m.vacancies.clone());
                (reach, s, m.from as i64, m.trainees, newly, gaining)
            })
            .collect();
        assert_eq!(found, modules);
    }
}

mod snapshots {
    use super::*;

    fn cx_text(doc: &Value, f: impl Fn(&Context, &Problem) -> String) -> String {
        let p = load(doc);
        let cx = Context::new(&p).unwrap();
        f(&cx, &p)
    }

    #[test]
    fn a_trainee_eligible_nowhere() {
        insta::assert_snapshot!(cx_text(&baseline(), |cx, p| {
            palim::render::explanation::trainee(
                &explain::trainee(cx, p.trainee_ix("T025").unwrap()).unwrap(),
            )
        }));
    }

    #[test]
    fn a_matched_trainee_and_their_higher_choices() {
        insta::assert_snapshot!(cx_text(&baseline(), |cx, p| {
            palim::render::explanation::trainee(
                &explain::trainee(cx, p.trainee_ix("T012").unwrap()).unwrap(),
            )
        }));
    }

    #[test]
    fn the_rules_of_the_baseline() {
        insta::assert_snapshot!(cx_text(&baseline(), |cx, _| {
            palim::render::explanation::rules(&explain::rules(cx).unwrap())
        }));
    }

    #[test]
    fn an_employer_s_view_of_its_vacancy() {
        insta::assert_snapshot!(cx_text(&baseline(), |cx, p| {
            palim::render::explanation::vacancy(
                &explain::vacancy(cx, p.vacancy_ix("BE-13").unwrap(), Audience::Employer).unwrap(),
            )
        }));
    }
}

#[test]
fn every_change_offered_to_fill_a_position_is_an_optimal_answer_that_fills_it() {
    let doc = tight_flanders();
    let p = load(&doc);
    let cx = Context::new(&p).unwrap();
    let mut checked = 0;
    for u in &cx.set.unfilled_positions {
        let report =
            explain::vacancy(&cx, p.vacancy_ix(&u.vacancy).unwrap(), Audience::Officer).unwrap();
        for effect in &report.changes {
            let gained = effect
                .moves
                .iter()
                .filter(|m| m.to.as_deref() == Some(u.vacancy.as_str()))
                .count();
            let lost = effect
                .moves
                .iter()
                .filter(|m| m.from.as_deref() == Some(u.vacancy.as_str()))
                .count();
            assert!(
                gained > lost,
                "{}: does not fill {}",
                effect.description,
                u.vacancy
            );
            verify_claim(&doc, &cx, effect);
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} claims checked");
}
