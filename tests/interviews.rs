//! Interview outcomes in a scenario: checked on input, and respected by the
//! solve, the shortlists and a re-plan.

mod common;

use palim::analysis;
use palim::eligibility::Eligibility;
use palim::solve::optimize::SolveOptions;
use palim::solve::shortlist::{self, Ask, Engine};
use serde_json::{json, Value};

/// Three trainees and three Moroccan vacancies of one position; every pair
/// eligible, scores chosen per pair.
fn round(interviews: Value) -> Value {
    let mut s = common::two_destinations();
    s["trainees"] = json!([
        common::trainee("T00"),
        common::trainee("T01"),
        common::trainee("T02")
    ]);
    s["vacancies"] = json!([
        common::vacancy("V00", "MA"),
        common::vacancy("V01", "MA"),
        common::vacancy("V02", "MA")
    ]);
    let mut scores = Vec::new();
    for (t, row) in [[0.9, 0.5, 0.8], [0.4, 0.3, 0.2], [0.6, 0.7, 0.1]]
        .iter()
        .enumerate()
    {
        for (v, score) in row.iter().enumerate() {
            scores.push(
                json!({ "trainee": format!("T0{t}"), "vacancy": format!("V0{v}"), "score": score }),
            );
        }
    }
    s["pair_scores"] = json!(scores);
    s["interviews"] = interviews;
    s
}

fn interview(t: &str, v: &str, outcome: &str) -> Value {
    json!({ "trainee": t, "vacancy": v, "outcome": outcome, "date": "2020-03-02", "note": "video call" })
}

fn matched(s: &Value) -> Vec<(String, String)> {
    let p = common::problem(s);
    let set = analysis::solve(&p, &SolveOptions::default()).unwrap();
    set.matches
        .iter()
        .map(|m| (m.trainee.clone(), m.vacancy.clone()))
        .collect()
}

fn pair(t: &str, v: &str) -> (String, String) {
    (t.to_string(), v.to_string())
}

#[test]
fn an_acceptance_is_a_lock_and_a_rejection_or_refusal_a_forbid() {
    // Without interviews the best total is T00 V02, T01 V00, T02 V01
    // (0.8 + 0.4 + 0.7 = 1.9).
    let free = matched(&round(json!([])));
    assert!(free.contains(&pair("T00", "V02")), "{free:?}");
    // T00 accepted V01: locked there, whatever it costs the score.
    let accepted = matched(&round(json!([interview("T00", "V01", "accepted")])));
    assert!(accepted.contains(&pair("T00", "V01")), "{accepted:?}");
    // T02 rejected at V01 and T00 declined V02: neither pair is matched.
    for (t, v, outcome) in [
        ("T02", "V01", "rejected_by_employer"),
        ("T00", "V02", "declined_by_trainee"),
    ] {
        let s = round(json!([interview(t, v, outcome)]));
        assert!(!matched(&s).contains(&pair(t, v)), "{outcome}");
        // The outcome is the reason wherever the pair's exclusion is shown.
        let p = common::problem(&s);
        let (ti, vi) = (p.trainee_ix(t).unwrap(), p.vacancy_ix(v).unwrap());
        let verdict = palim::rules::evaluate(&p, ti, vi);
        let words = outcome.replace('_', " ").replace("by ", "by the ");
        assert!(
            verdict.violations.iter().any(|x| x.message.contains(&words)
                && x.message.contains("2020-03-02")
                && x.message.contains("video call")),
            "{:?}",
            verdict.violations
        );
    }
}

#[test]
fn outcomes_that_cannot_hold_are_input_errors() {
    let cases = [
        (
            json!([
                interview("T00", "V00", "accepted"),
                interview("T00", "V01", "accepted")
            ]),
            "two_acceptances",
            "/interviews/1/outcome",
        ),
        (
            json!([
                interview("T00", "V00", "accepted"),
                interview("T01", "V00", "accepted")
            ]),
            "more_accepted_than_positions",
            "/interviews/1/outcome",
        ),
        (
            json!([
                interview("T00", "V00", "pending"),
                interview("T00", "V00", "offer")
            ]),
            "duplicate_interview",
            "/interviews/1",
        ),
        (
            json!([interview("T09", "V00", "pending")]),
            "unknown_trainee",
            "/interviews/0/trainee",
        ),
    ];
    for (interviews, code, pointer) in cases {
        let issues = common::issues(&round(interviews));
        let issue = common::only(&issues, code);
        assert_eq!(issue.pointer, pointer, "{code}");
        assert!(issue.hint.is_some(), "{code} says what to do");
    }
    // An outcome for a pair no rule allows: a vacancy that requires more
    // Java than the trainee has.
    let mut s = round(json!([interview("T01", "V00", "offer")]));
    s["vacancies"][0]["requires"] = json!({ "java": 4 });
    let issues = common::issues(&s);
    let issue = common::only(&issues, "interview_ineligible");
    assert_eq!(issue.pointer, "/interviews/0");
    assert!(issue.message.contains("java"), "{}", issue.message);
    // Unknown outcomes are named with the ones that exist.
    let s = round(json!([interview("T00", "V00", "hired")]));
    let issues = common::issues(&s);
    assert!(
        issues
            .iter()
            .any(|i| i.message.contains("declined_by_trainee")),
        "{issues:#?}"
    );
}

#[test]
fn the_next_shortlist_proposes_nobody_twice_and_holds_acceptances_and_offers() {
    let s = round(json!([
        interview("T00", "V00", "accepted"),
        interview("T01", "V01", "offer"),
        interview("T02", "V02", "rejected_by_employer"),
        interview("T02", "V01", "pending"),
    ]));
    let p = common::problem(&s);
    let e = Eligibility::build(&p);
    let ask = Ask {
        per_position: 3,
        per_trainee: 3,
    };
    let found = shortlist::solve(&p, &e, ask, Engine::Auto, None).unwrap();
    let lists: Vec<(String, String)> = found
        .chosen
        .iter()
        .map(|&i| {
            let x = &e.pairs[i];
            pair(&p.trainees[x.t].id, &p.vacancies[x.v].id)
        })
        .collect();
    // V00 and V01 are held (an acceptance, an offer); T00 and T01 are
    // spoken for; T02 was rejected at V02 and is pending at V01. Only
    // T02 at V00 would be new, but V00 is taken: nobody is proposed.
    assert!(lists.is_empty(), "{lists:?}");
    let doc = palim::app::service::shortlist(
        &p,
        &palim::app::service::ShortlistRequest {
            per_position: 3,
            per_trainee: 3,
            time_limit: None,
            deadline: None,
        },
    )
    .unwrap();
    let codes = |t: &str| -> Vec<String> {
        doc.not_shortlisted
            .iter()
            .find(|n| n.trainee == t)
            .map(|n| n.reasons.iter().map(|r| r.code.clone()).collect())
            .unwrap_or_default()
    };
    assert_eq!(codes("T00"), ["already_placed"]);
    assert_eq!(codes("T01"), ["holds_offer"]);
    assert_eq!(codes("T02"), ["interviewed_before", "no_open_position"]);
    let v02 = doc.shortlists.iter().find(|l| l.vacancy == "V02").unwrap();
    assert_eq!(v02.interviewed_before, ["T02"]);
}

#[test]
fn a_replan_keeps_an_offer_before_the_score() {
    // The previous match set: T00 V02, T01 V00, T02 V01. V02 has since
    // rejected T00, and V01 made T00 an offer. Keeping the offer (and T01
    // at V00) keeps two pairs, more than any other match set of three
    // placements, though T00 at V00 would score better.
    let before = round(json!([]));
    let p = common::problem(&before);
    let previous = analysis::solve(&p, &SolveOptions::default()).unwrap();
    assert!(previous
        .matches
        .iter()
        .any(|m| m.trainee == "T00" && m.vacancy == "V02"));
    let after = round(json!([
        interview("T00", "V02", "rejected_by_employer"),
        interview("T00", "V01", "offer"),
    ]));
    let p = common::problem(&after);
    let set =
        analysis::replan::solve(&p, &previous, "before.json", &SolveOptions::default()).unwrap();
    let got: Vec<(String, String)> = set
        .matches
        .iter()
        .map(|m| (m.trainee.clone(), m.vacancy.clone()))
        .collect();
    assert!(got.contains(&pair("T00", "V01")), "{got:?}");
    // Without the offer on record the same re-plan sends T00 to V00.
    let no_offer = round(json!([interview("T00", "V02", "rejected_by_employer")]));
    let p = common::problem(&no_offer);
    let set =
        analysis::replan::solve(&p, &previous, "before.json", &SolveOptions::default()).unwrap();
    assert!(set
        .matches
        .iter()
        .any(|m| m.trainee == "T00" && m.vacancy == "V00"));
}

/// The README's walkthrough of two rounds on the bundled files, claim by claim.
#[test]
fn the_bundled_rounds_do_what_the_readme_says() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/palim-2020");
    let load = |name: &str| {
        palim::input::load::load_file(&dir.join(name), &Default::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let ask = palim::app::service::ShortlistRequest {
        per_position: 3,
        per_trainee: 4,
        time_limit: None,
        deadline: None,
    };
    let round1 = load("baseline.json");
    let lists = palim::app::service::shortlist(&round1, &ask).unwrap();
    assert_eq!(
        (
            lists.objective.positions_covered,
            lists.objective.open_positions
        ),
        (134, 137)
    );
    assert_eq!(
        (lists.objective.places_used, lists.objective.places_wanted),
        (402, 411)
    );
    assert_eq!(lists.not_shortlisted.len(), 12);

    let round2 = load("round-2.json");
    assert_eq!(round2.interviews.len(), 99);
    let lists = palim::app::service::shortlist(&round2, &ask).unwrap();
    assert_eq!(lists.status, palim::documents::parts::ResultStatus::Optimal);
    assert_eq!(
        (
            lists.objective.positions_covered,
            lists.objective.open_positions
        ),
        (112, 119)
    );
    // Nobody twice, nobody spoken for.
    for list in &lists.shortlists {
        for c in &list.candidates {
            let (t, v) = (
                round2.trainee_ix(&c.trainee).unwrap(),
                round2.vacancy_ix(&list.vacancy).unwrap(),
            );
            assert!(
                !round2
                    .interviews
                    .iter()
                    .any(|i| (i.trainee, i.vacancy) == (t, v)
                        || (i.trainee == t
                            && matches!(
                                i.outcome,
                                palim::model::problem::InterviewOutcome::Accepted
                                    | palim::model::problem::InterviewOutcome::Offer
                            ))),
                "{} proposed again for {}",
                c.trainee,
                list.vacancy
            );
        }
    }
    // The re-plan: 112 placed, 101 earlier matches kept, 12 changes with reasons,
    // every acceptance matched.
    let previous = analysis::solve(&round1, &SolveOptions::default()).unwrap();
    let set = analysis::replan::solve(&round2, &previous, "round-1.json", &SolveOptions::default())
        .unwrap();
    let replan = set.replan.as_ref().unwrap();
    assert_eq!(
        (set.objective.placements, replan.kept, replan.changed.len()),
        (112, 101, 12)
    );
    assert!(replan.changed.iter().any(|c| c.trainee == "T030"
        && c.reasons.iter().any(|r| r.message
            == "the matching officer forbade T030 at BE-07: declined by the trainee after the interview on 2020-03-03 (prefers a position closer to family)")));
    for i in round2
        .interviews
        .iter()
        .filter(|i| i.outcome == palim::model::problem::InterviewOutcome::Accepted)
    {
        let (t, v) = (
            &round2.trainees[i.trainee].id,
            &round2.vacancies[i.vacancy].id,
        );
        assert!(
            set.matches
                .iter()
                .any(|m| &m.trainee == t && &m.vacancy == v),
            "{t} {v}"
        );
    }
    assert!(!load("round-3.json").interviews.is_empty());
}

/// `compare` of two rounds shows the round itself: who was interviewed,
/// offered and hired, and who and what needs another round, each list
/// recounted here from the round file (and the README says the same).
#[test]
fn comparing_two_rounds_shows_the_interview_round() {
    let c = common::palim_json(&[
        "compare",
        "scenarios/palim-2020/baseline.json",
        "scenarios/palim-2020/round-2.json",
        "--format",
        "json",
    ]);
    let round = &c["variants"][0]["round"];
    let file: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("scenarios/palim-2020/round-2.json").unwrap(),
    )
    .unwrap();
    let interviews = file["interviews"].as_array().unwrap();
    let pairs_with = |outcome: &str| -> Vec<String> {
        let mut v: Vec<String> = interviews
            .iter()
            .filter(|i| i["outcome"] == outcome)
            .map(|i| {
                format!(
                    "{} -> {}",
                    i["trainee"].as_str().unwrap(),
                    i["vacancy"].as_str().unwrap()
                )
            })
            .collect();
        v.sort();
        v
    };
    let listed = |key: &str| -> Vec<String> {
        round[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        round["interviewed"].as_array().unwrap().len(),
        interviews.len()
    );
    assert_eq!(listed("offered"), pairs_with("offer"));
    assert_eq!(listed("hired"), pairs_with("accepted"));
    let holding: std::collections::BTreeSet<&str> = interviews
        .iter()
        .filter(|i| i["outcome"] == "offer" || i["outcome"] == "accepted")
        .map(|i| i["trainee"].as_str().unwrap())
        .collect();
    let again: std::collections::BTreeSet<&str> = interviews
        .iter()
        .map(|i| i["trainee"].as_str().unwrap())
        .filter(|t| !holding.contains(t))
        .collect();
    assert_eq!(
        listed("trainees_for_another_round"),
        again.iter().map(|t| t.to_string()).collect::<Vec<_>>()
    );
    let base = common::baseline();
    let mut open = Vec::new();
    let vacancies: std::collections::BTreeSet<&str> = interviews
        .iter()
        .map(|i| i["vacancy"].as_str().unwrap())
        .collect();
    for v in vacancies {
        let positions = base["vacancies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == v)
            .unwrap()["positions"]
            .as_u64()
            .unwrap();
        let held = interviews
            .iter()
            .filter(|i| {
                i["vacancy"] == v && (i["outcome"] == "offer" || i["outcome"] == "accepted")
            })
            .count() as u64;
        if positions > held {
            open.push(serde_json::json!({ "vacancy": v, "open": positions - held }));
        }
    }
    assert_eq!(
        round["vacancies_for_another_round"],
        serde_json::Value::Array(open.clone())
    );
    let readme = std::fs::read_to_string("README.md").unwrap();
    let claim = format!(
        "shows the round itself: {} interviews, {} offers, {} hires, and {} trainees and {} vacancies for another round",
        interviews.len(),
        pairs_with("offer").len(),
        pairs_with("accepted").len(),
        again.len(),
        open.len()
    );
    assert!(readme.contains(&claim), "the README lacks: {claim}");
    // The table says it in a few lines.
    let table = common::palim(&[
        "compare",
        "scenarios/palim-2020/baseline.json",
        "scenarios/palim-2020/round-2.json",
        "--format",
        "table",
    ]);
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(
        table.contains(&format!(
            "  interview round: {} interviews\n",
            interviews.len()
        )),
        "{table}"
    );
    assert!(table.contains("    hired (11): T022 -> BE-03, "), "{table}");
}
