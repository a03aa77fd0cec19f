//! Interview shortlists and their reasons: the optimum of
//! [`crate::solve::shortlist`], audited, then every short shortlist and
//! every trainee on none explained from what holds them back.

use std::collections::BTreeMap;
use std::time::Instant;

use crate::analysis::match_set::{self as ms, nobody, nowhere::VacancyIndex};
use crate::documents::match_set::{PhaseReport, SolverReport, VACANCIES_LISTED};
use crate::documents::parts::{Reason, ResultStatus};
use crate::documents::shortlist::*;
use crate::eligibility::Eligibility;
use crate::error::PalimError;
use crate::model::problem::{Problem, TraineeIx, VacancyIx};
use crate::solve::outcome::Status;
use crate::solve::shortlist::{self, Ask, Engine, Found, Hold, Proof, Taken};
use crate::words;

/// The shortlists of `p` for `ask`, by `deadline`.
pub fn shortlists(
    p: &Problem,
    ask: Ask,
    engine: Engine,
    deadline: Option<Instant>,
) -> Result<ShortlistSet, PalimError> {
    let e = Eligibility::build(p);
    let found = shortlist::solve(p, &e, ask, engine, deadline)?;
    tracing::info!(target: "palim::progress", "the shortlists found: their reasons");
    let broken = shortlist::violations(p, &e, ask, &found.chosen);
    if !broken.is_empty() {
        return Err(PalimError::Solver(format!(
            "the shortlists break a rule (a bug in palim): {}",
            broken.join("; ")
        )));
    }
    Ok(document(p, &e, ask, &found))
}

/// Who is where, once: each vacancy's candidates and each trainee's count.
struct Lists<'a> {
    p: &'a Problem,
    e: &'a Eligibility,
    ask: Ask,
    taken: Taken,
    on: Vec<Vec<usize>>,
    count: Vec<u32>,
    /// Each vacancy's holders and how they hold it (lock, acceptance or
    /// offer).
    held_by: Vec<Vec<(TraineeIx, Hold)>>,
    /// Each vacancy's trainees with an interview on record, in record order.
    interviewed: Vec<Vec<TraineeIx>>,
}

impl Lists<'_> {
    fn open(&self, v: VacancyIx) -> u32 {
        self.taken.open(self.p, v)
    }

    fn wanted(&self, v: VacancyIx) -> u32 {
        self.ask.per_position.saturating_mul(self.open(v))
    }

    fn trainee(&self, t: TraineeIx) -> &str {
        &self.p.trainees[t].id
    }

    fn vacancy(&self, v: VacancyIx) -> &str {
        &self.p.vacancies[v].id
    }
}

fn document(p: &Problem, e: &Eligibility, ask: Ask, found: &Found) -> ShortlistSet {
    let mut on = vec![Vec::new(); p.vacancies.len()];
    let mut count = vec![0u32; p.trainees.len()];
    for &i in &found.chosen {
        on[e.pairs[i].v].push(i);
        count[e.pairs[i].t] += 1;
    }
    let taken = Taken::of(p);
    // Once for all vacancies: a scan of every trainee per vacancy was a
    // fifth of the document's time at national size.
    let mut held_by = vec![Vec::new(); p.vacancies.len()];
    for (t, busy) in taken.busy.iter().enumerate() {
        if let Some((v, how)) = *busy {
            held_by[v].push((t, how));
        }
    }
    let mut interviewed = vec![Vec::new(); p.vacancies.len()];
    for i in &p.interviews {
        interviewed[i.vacancy].push(i.trainee);
    }
    let l = Lists {
        p,
        e,
        ask,
        taken,
        on,
        count,
        held_by,
        interviewed,
    };
    // The vacancies' lists and the trainees on none are independent: at
    // national size each is a fraction of a second on one core, so the two
    // run side by side (each list is sorted, so the bytes are the same).
    let (not_shortlisted, (shortlists, short)) =
        crate::limits::side_by_side(|| trainees_on_none(&l), || vacancies_lists(&l));
    let value = |k: usize| found.goals[k].value;
    ShortlistSet {
        format: SHORTLIST_FORMAT.to_string(),
        scenario: p.name.clone(),
        input_sha256: p.input_sha256.clone(),
        per_position: ask.per_position,
        per_trainee: ask.per_trainee,
        status: match found.status {
            Status::Optimal => ResultStatus::Optimal,
            Status::TimeLimit => ResultStatus::TimeLimit,
        },
        objective: ShortlistObjective {
            positions_covered: value(0) as u32,
            open_positions: (0..p.vacancies.len()).map(|v| l.open(v)).sum(),
            places_used: found.chosen.len(),
            places_wanted: (0..p.vacancies.len()).map(|v| u64::from(l.wanted(v))).sum(),
            score: words::round4(value(2)),
        },
        solver: solver_report(e, found),
        shortlists,
        short_shortlists: short,
        not_shortlisted,
    }
}

/// Each vacancy's shortlist, and why those short of what was asked are short,
/// each sorted by vacancy.
fn vacancies_lists(l: &Lists) -> (Vec<Shortlist>, Vec<ShortShortlist>) {
    let mut shortlists = Vec::new();
    let mut short = Vec::new();
    for v in 0..l.p.vacancies.len() {
        if l.open(v) == 0 {
            continue;
        }
        shortlists.push(shortlist_of(l, v));
        if (l.on[v].len() as u64) < u64::from(l.wanted(v)) {
            short.push(short_shortlist(l, v));
        }
    }
    shortlists.sort_by(|a, b| a.vacancy.cmp(&b.vacancy));
    short.sort_by(|a, b| a.vacancy.cmp(&b.vacancy));
    (shortlists, short)
}

/// Why each trainee on no shortlist is on none, sorted by trainee.
fn trainees_on_none(l: &Lists) -> Vec<NotShortlisted> {
    let (p, e) = (l.p, l.e);
    let index = (0..p.trainees.len())
        .any(|t| l.count[t] == 0 && e.of_trainee(t).is_empty())
        .then(|| VacancyIndex::build(p))
        .flatten();
    let mut not_shortlisted: Vec<NotShortlisted> = (0..p.trainees.len())
        .filter(|&t| l.count[t] == 0)
        .map(|t| not_shortlisted(l, index.as_ref(), t))
        .collect();
    not_shortlisted.sort_by(|a, b| a.trainee.cmp(&b.trainee));
    not_shortlisted
}

fn solver_report(e: &Eligibility, found: &Found) -> SolverReport {
    let proofs: Vec<Proof> = found.goals.iter().map(|g| g.proof).collect();
    let flow = proofs.iter().any(|p| {
        matches!(
            p,
            Proof::MinCostFlow | Proof::FlowRelaxation | Proof::FlowBound
        )
    });
    let highs = proofs.iter().any(|p| {
        matches!(
            p,
            Proof::BranchAndBound | Proof::IntegralLp | Proof::LpBound | Proof::ReducedCostFixing
        )
    });
    let engine = match (flow, highs) {
        (true, true) => "palim min-cost flow bound + HiGHS",
        (true, false) => "palim min-cost flow",
        (false, true) => "HiGHS",
        (false, false) => "none needed",
    };
    let network = "a minimum-cost maximum flow (source → trainees, at most per_trainee each → vacancies → sink: the open positions at a cost above any score, the other places free)";
    let how: Vec<String> = found
        .goals
        .iter()
        .filter(|g| g.bound.is_finite())
        .map(|g| {
            let why = match g.proof {
                Proof::MinCostFlow => "the flow is optimal (no augmenting path or negative-cost cycle is left; augmenting never lowers a vacancy's count, so the most places also cover the most positions)",
                Proof::FlowRelaxation => "the flow without the group shares already keeps them",
                Proof::FlowBound => "the flow without the group shares bounds it, and these shortlists (its answer, with the shares restored) reach the bound",
                Proof::BranchAndBound if found.status == Status::Optimal => "branch-and-bound on the integer program closed the gap, the goals before held at their optimum",
                Proof::BranchAndBound => "branch-and-bound on the integer program, stopped at the time limit",
                Proof::IntegralLp => "the linear program over every pair, with the group shares and the goals before held at their optimum, was already whole",
                Proof::LpBound => "the linear program over every pair with the group shares bounds it, and no shortlists lie between these and that bound",
                Proof::ReducedCostFixing if found.status == Status::Optimal => "branch-and-bound on the pairs whose reduced cost could still matter closed the gap (changing any other pair costs more than the linear program's gap), the goals before held at their optimum",
                Proof::ReducedCostFixing => "branch-and-bound on the pairs whose reduced cost could still matter, stopped at the time limit",
                Proof::Trivial => "nobody could be proposed",
            };
            format!("{}: {why}", g.goal.as_str())
        })
        .collect();
    let status = match found.status {
        Status::Optimal => "proven optimal",
        Status::TimeLimit => "stopped at the time limit before every goal was proven",
    };
    SolverReport {
        engine: engine.to_string(),
        method: format!(
            "the most positions covered, then the most shortlist places used, then the best total score, by {network}, and, when a group share breaks the flow's optimum, the linear program over every pair that may be proposed (priced by column generation) and branch-and-bound on the pairs whose reduced cost could still matter; {status} ({})",
            how.join("; ")
        ),
        eligible_pairs: e.pairs.len(),
        phases: found
            .goals
            .iter()
            .filter(|g| g.bound.is_finite())
            .map(|g| PhaseReport {
                priority: g.goal.as_str().to_string(),
                value: words::round4(g.value),
                bound: words::round4(g.bound),
                proven_optimal: g.bound <= g.value + 1e-6 * g.value.abs().max(1.0),
                proof: g.proof.as_str().to_string(),
            })
            .collect(),
    }
}

fn shortlist_of(l: &Lists, v: VacancyIx) -> Shortlist {
    let (p, e) = (l.p, l.e);
    let vac = &p.vacancies[v];
    let mut candidates: Vec<Candidate> = l.on[v]
        .iter()
        .map(|&i| {
            let pair = &e.pairs[i];
            Candidate {
                trainee: l.trainee(pair.t).to_string(),
                score: words::round4(pair.score),
                start_date: pair.start,
                why: ms::describe_match(p, pair).why,
            }
        })
        .collect();
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.trainee.cmp(&b.trainee)));
    let mut held_by: Vec<Holder> = (l.held_by[v].iter())
        .map(|&(t, how)| Holder {
            trainee: l.trainee(t).to_string(),
            how: how.as_str().to_string(),
        })
        .collect();
    held_by.sort_by(|a, b| a.trainee.cmp(&b.trainee));
    let mut interviewed_before: Vec<String> = (l.interviewed[v].iter())
        .map(|&t| l.trainee(t).to_string())
        .collect();
    interviewed_before.sort();
    Shortlist {
        vacancy: vac.id.clone(),
        employer: p.employers[vac.employer].clone(),
        destination: p.destinations[vac.dest].code.clone(),
        positions: vac.positions,
        open: l.open(v),
        wanted: l.wanted(v),
        candidates,
        held_by,
        interviewed_before,
    }
}

fn reason(code: &str, message: String) -> Reason {
    ms::simple_reason(code, message)
}

/// A reason over several vacancies, listing the first `VACANCIES_LISTED`.
fn over_vacancies(code: &str, message: String, vacancies: Vec<String>) -> Reason {
    let total = vacancies.len();
    Reason {
        vacancy: vacancies.first().cloned(),
        vacancies_total: (total > VACANCIES_LISTED).then_some(total),
        vacancies: vacancies.into_iter().take(VACANCIES_LISTED).collect(),
        ..reason(code, message)
    }
}

/// Why vacancy `v` has fewer candidates than wanted: every eligible
/// trainee not on it, by what holds them back.
fn short_shortlist(l: &Lists, v: VacancyIx) -> ShortShortlist {
    let (p, e) = (l.p, l.e);
    let id = l.vacancy(v);
    let mut placed = Vec::new();
    let mut before = Vec::new();
    let mut at_limit = Vec::new();
    let mut shares = Vec::new();
    let eligible = e.of_vacancy(v);
    for &i in &eligible {
        let t = e.pairs[i].t;
        if l.on[v].contains(&i) {
            continue;
        }
        let who = l.trainee(t).to_string();
        if l.taken.busy[t].is_some() {
            placed.push(who);
        } else if l.taken.interviewed.contains(&(t, v)) {
            before.push(who);
        } else if l.count[t] >= l.ask.per_trainee {
            at_limit.push(who);
        } else {
            shares.push(who);
        }
    }
    let eligible = eligible.len();
    let mut reasons = Vec::new();
    if eligible == 0 {
        reasons.push(Reason {
            trainees: Some(0),
            ..reason(
                "no_eligible_trainee",
                format!("no trainee is eligible for {id}"),
            )
        });
        reasons.extend(ms::ineligibility_reasons(p, nobody::by_scan(p, v)));
    } else if (eligible as u64) < u64::from(l.wanted(v)) {
        reasons.push(Reason {
            trainees: Some(eligible),
            ..reason(
                "few_eligible_trainees",
                format!(
                    "only {} eligible for {id}, and {} wanted",
                    words::count(eligible, "trainee is", "trainees are"),
                    l.wanted(v)
                ),
            )
        });
    }
    let mut group = |code: &str, who: Vec<String>, what: &str| {
        if !who.is_empty() {
            reasons.push(Reason {
                trainees: Some(who.len()),
                ..reason(code, format!("{} {what}", words::list(&who, 5)))
            });
        }
    };
    group(
        "candidates_placed",
        placed,
        "already placed (locked or accepted) or holding an offer",
    );
    group(
        "interviewed_before",
        before,
        &format!("interviewed for {id} before, and nobody is proposed twice"),
    );
    group(
        "candidates_at_their_limit",
        at_limit,
        &format!(
            "already on {} (the most per trainee), each where they cover a position or score higher",
            words::count(l.ask.per_trainee as usize, "shortlist", "shortlists")
        ),
    );
    group(
        "group_share_limit",
        shares,
        &format!("not added to {id}: a group share of its destination would go out of bounds"),
    );
    ShortShortlist {
        vacancy: id.to_string(),
        wanted: l.wanted(v),
        candidates: l.on[v].len() as u32,
        reasons,
    }
}

/// Why trainee `t` is on no shortlist.
fn not_shortlisted(l: &Lists, index: Option<&VacancyIndex>, t: TraineeIx) -> NotShortlisted {
    let (p, e) = (l.p, l.e);
    let eligible: Vec<VacancyIx> = e.of_trainee(t).map(|i| e.pairs[i].v).collect();
    let reasons = if let Some((v, how)) = l.taken.busy[t] {
        let (code, message) = match how {
            Hold::Offer => (
                "holds_offer",
                format!(
                    "{} holds an offer from {} and has not answered yet",
                    l.trainee(t),
                    l.vacancy(v)
                ),
            ),
            _ => (
                "already_placed",
                format!("{} is {} at {}", l.trainee(t), how.as_str(), l.vacancy(v)),
            ),
        };
        vec![Reason {
            vacancy: Some(l.vacancy(v).to_string()),
            ..reason(code, message)
        }]
    } else if eligible.is_empty() {
        ms::ineligible_everywhere(p, index, t)
    } else {
        let mut by_code: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for &v in &eligible {
            let code = if l.taken.interviewed.contains(&(t, v)) {
                "interviewed_before"
            } else if l.open(v) == 0 {
                "no_open_position"
            } else if (l.on[v].len() as u64) >= u64::from(l.wanted(v)) {
                "shortlist_full"
            } else {
                "group_share_limit"
            };
            by_code
                .entry(code)
                .or_default()
                .push(l.vacancy(v).to_string());
        }
        by_code
            .into_iter()
            .map(|(code, vs)| {
                let list = words::list(&vs, 5);
                let message = match code {
                    "interviewed_before" => {
                        format!("interviewed before for {list}, and nobody is proposed twice")
                    }
                    "no_open_position" => format!(
                        "every position of {list} is held (locked, accepted or offered)"
                    ),
                    "shortlist_full" => format!(
                        "the shortlist of {list} is full ({} per open position), with candidates who cover a position or score higher",
                        l.ask.per_position
                    ),
                    _ => format!(
                        "adding them to {list} would take a group share out of its bounds"
                    ),
                };
                over_vacancies(code, message, vs)
            })
            .collect()
    };
    NotShortlisted {
        trainee: l.trainee(t).to_string(),
        eligible_somewhere: !eligible.is_empty(),
        reasons,
    }
}
