//! Turning a solution into a match set a matching officer can defend: every
//! match with the facts that allow it, every unmatched trainee and unfilled
//! position with reasons, and the quotas and shares as they ended up.
//!
//! Reasons are read back from the rules ([`crate::rules`]) and from the solution
//! itself (who holds the places), never made up from the model.

mod blocker;
mod merge_sort_tree;
pub mod nobody;
pub mod nowhere;
pub mod stability;

use std::collections::{BTreeMap, HashMap};

use crate::documents::match_set::*;
use crate::eligibility::{Eligibility, Pair};
use crate::model::problem::{Problem, TraineeIx, VacancyIx};
use crate::model::scenario::Priority;
use crate::rules::{self, StartBound};
use crate::solve::hard_rules::{HardRule, Rows};
use crate::solve::optimize::{Outcome, Proof, Solution, Status};
use crate::words;
pub(crate) use blocker::{Blocked, Blocker};
use nowhere::VacancyIndex;

/// The match set for a solved (or infeasible) scenario.
pub fn build(
    p: &Problem,
    e: &Eligibility,
    outcome: &Outcome,
    infeasibility: Option<Infeasibility>,
) -> MatchSet {
    let empty = Solution {
        chosen: Vec::new(),
        status: Status::Optimal,
        gap: None,
        phases: Vec::new(),
        start: None,
    };
    let (sol, status) = match outcome {
        Outcome::Solved(s) => (
            s,
            match s.status {
                Status::Optimal => ResultStatus::Optimal,
                Status::TimeLimit => ResultStatus::TimeLimit,
            },
        ),
        Outcome::Infeasible | Outcome::NoSolutionInTime => (&empty, ResultStatus::Infeasible),
    };
    let state = State::new(p, e, &sol.chosen);
    // The people's reasons and the vacancies' are independent: at national
    // size each half is a sixth of a second on one core, so the two run side
    // by side (each list is sorted, so the bytes are the same).
    let blocking = status != ResultStatus::Infeasible
        && (stability::both_sides_rank(p) || p.priorities.contains(&Priority::Stable));
    let ((matches, unmatched), (unfilled, destinations, blocking_pairs)) =
        crate::limits::side_by_side(
            || people(p, e, &state, &sol.chosen),
            || {
                (
                    vacancies(p, e, &state),
                    destination_usage(p, e, &state),
                    blocking.then(|| stability::blocking_pairs(p, e, &sol.chosen)),
                )
            },
        );

    let score: f64 = sol.chosen.iter().map(|&i| e.pairs[i].score).sum();
    MatchSet {
        format: RESULT_FORMAT.to_string(),
        scenario: p.name.clone(),
        input_sha256: p.input_sha256.clone(),
        status,
        gap: sol.gap.map(words::round4),
        objective: ObjectiveValue {
            placements: sol.chosen.len(),
            score: words::round4(score),
        },
        solver: SolverReport {
            engine: engine_name(&sol.phases).to_string(),
            method: method_text(p, status, &sol.phases),
            eligible_pairs: e.pairs.len(),
            phases: sol
                .phases
                .iter()
                .map(|ph| PhaseReport {
                    priority: ph.priority.as_str().to_string(),
                    value: words::round4(ph.value),
                    bound: words::round4(ph.bound),
                    proven_optimal: ph.status == Status::Optimal,
                    proof: ph.proof.as_str().to_string(),
                })
                .collect(),
        },
        matches,
        unmatched_trainees: unmatched,
        unfilled_positions: unfilled,
        destinations,
        group_shares: share_usage(p, e, &sol.chosen),
        blocking_pairs,
        stability_conflict: None,
        infeasibility,
        explanations: None,
        replan: None,
    }
}

/// Each match in words, and why each unmatched trainee is not placed, each
/// list sorted by id.
fn people(
    p: &Problem,
    e: &Eligibility,
    state: &State,
    chosen: &[usize],
) -> (Vec<Match>, Vec<Unmatched>) {
    let mut matches: Vec<Match> = (chosen.iter())
        .map(|&i| describe_match(p, &e.pairs[i]))
        .collect();
    matches.sort_by(|a, b| (&a.trainee, &a.vacancy).cmp(&(&b.trainee, &b.vacancy)));

    let unmatched_ix: Vec<TraineeIx> = (0..p.trainees.len())
        .filter(|&t| state.trainee_at[t].is_none())
        .collect();
    // Reasons for trainees eligible nowhere are counted from an index of the
    // vacancies, built only when someone needs it.
    let index = unmatched_ix
        .iter()
        .any(|&t| e.of_trainee(t).is_empty())
        .then(|| VacancyIndex::build(p))
        .flatten();
    let mut unmatched: Vec<Unmatched> = unmatched_ix
        .into_iter()
        .map(|t| unmatched_trainee(p, e, state, index.as_ref(), t))
        .collect();
    unmatched.sort_by(|a, b| a.trainee.cmp(&b.trainee));
    (matches, unmatched)
}

/// Why each vacancy with an open position has one, sorted by id.
fn vacancies(p: &Problem, e: &Eligibility, state: &State) -> Vec<Unfilled> {
    let unfilled_ix: Vec<VacancyIx> = (0..p.vacancies.len())
        .filter(|&v| state.filled[v] < p.vacancies[v].positions)
        .collect();
    // Reasons for vacancies no one is left for (nobody is eligible, or every
    // eligible trainee is placed), counted from indexes of the trainees, for
    // all of them at once.
    let nobody: Vec<VacancyIx> = unfilled_ix
        .iter()
        .copied()
        .filter(|&v| needs_ineligibility_counts(p, e, state, v))
        .collect();
    let mut excluded: HashMap<VacancyIx, Vec<nobody::Excluded>> = nobody
        .iter()
        .copied()
        .zip(
            nobody::excluded(p, &nobody)
                .unwrap_or_else(|| nobody.iter().map(|&v| nobody::by_scan(p, v)).collect()),
        )
        .collect();
    let mut unfilled: Vec<Unfilled> = unfilled_ix
        .into_iter()
        .map(|v| unfilled_vacancy(p, e, state, excluded.remove(&v), v))
        .collect();
    unfilled.sort_by(|a, b| a.vacancy.cmp(&b.vacancy));
    unfilled
}

/// The engine that found the answer, named by how its phases were proven
/// (the flow's algorithm is left out: which one ran depends on the graph's
/// size and on whether the flow was a relaxation).
fn engine_name(phases: &[crate::solve::optimize::Phase]) -> &'static str {
    if phases
        .iter()
        .any(|ph| matches!(ph.proof, Proof::MinCostFlow | Proof::FlowRelaxation))
    {
        "palim min-cost flow"
    } else if is_core(phases) {
        "palim min-cost flow bound + HiGHS LP column generation (via highs)"
    } else {
        "HiGHS (via good_lp)"
    }
}

/// Whether the core method (`solve::core_method`) answered: its proofs are its own.
fn is_core(phases: &[crate::solve::optimize::Phase]) -> bool {
    phases.iter().any(|ph| {
        matches!(
            ph.proof,
            Proof::FlowBound | Proof::LpBound | Proof::ReducedCostFixing
        )
    })
}

fn method_text(
    p: &Problem,
    status: ResultStatus,
    phases: &[crate::solve::optimize::Phase],
) -> String {
    let order: Vec<&str> = p.priorities.iter().map(|x| x.as_str()).collect();
    let flow = phases
        .iter()
        .any(|ph| matches!(ph.proof, Proof::MinCostFlow | Proof::FlowRelaxation));
    let base = if flow {
        format!(
            "minimum-cost maximum flow on the assignment graph (source → trainees → vacancies → employers → destinations → sink); priorities ({}) encoded exactly in the flow's value and integer costs",
            order.join(" then ")
        )
    } else if is_core(phases) {
        format!(
            "integer program with one binary variable per eligible pair, solved on a core: the flow without the rules outside the network bounds the placements, the LP over every pair by column generation (pairs join while their reduced cost is positive) bounds the score; priorities lexicographic ({})",
            order.join(" then ")
        )
    } else {
        format!(
            "integer program with one binary variable per eligible pair; priorities solved lexicographically ({}), each held at its optimum while the next is optimised{}",
            order.join(" then "),
            if p.priorities.contains(&Priority::Stable) {
                "; stability is one row per eligible pair (it does not block when its trainee holds a place they want at least as much, or its vacancy's positions are all held by trainees it wants at least as much) with a variable that counts it as blocking otherwise, and `stable` is the fewest blocking pairs"
            } else {
                ""
            }
        )
    };
    match status {
        ResultStatus::Optimal if flow => {
            let relaxed = phases.iter().any(|ph| ph.proof == Proof::FlowRelaxation);
            format!(
                "{base}; proven optimal: {}",
                if relaxed {
                    "the optimal flow without the group shares already satisfies them, so no match set that keeps them can do better"
                } else {
                    "no augmenting path or negative-cost cycle is left in the residual graph"
                }
            )
        }
        ResultStatus::Optimal => {
            let how: Vec<String> = phases
                .iter()
                .map(|ph| {
                    let proof = match ph.proof {
                        Proof::IntegralLp => "its LP relaxation already had an integral optimum",
                        Proof::BranchAndBound => "branch-and-bound closed the gap to zero",
                        Proof::Trivial => "nothing could be matched",
                        Proof::MinCostFlow => {
                            "the flow is optimal (no augmenting path or negative cycle is left)"
                        }
                        Proof::FlowRelaxation => {
                            "the optimal flow without the group shares already satisfies them"
                        }
                        Proof::FlowBound => {
                            "no match set has more than the maximum flow without the rules outside the network, and this one reaches it"
                        }
                        Proof::LpBound => {
                            "the LP over every eligible pair bounds it, and this match set reaches the bound"
                        }
                        Proof::ReducedCostFixing => {
                            "pairs whose LP reduced cost rules them out were fixed, and branch-and-bound on the rest reached the LP bound"
                        }
                        Proof::GroupSplit => {
                            "the LP over every eligible pair, split where a group's count was fractional, bounds each part, and this match set reaches the higher bound"
                        }
                    };
                    format!("{}: {proof}", ph.priority.as_str())
                })
                .collect();
            format!(
                "{base}; proven optimal ({}){}",
                how.join("; "),
                stability_words(phases)
            )
        }
        ResultStatus::TimeLimit => {
            format!("{base}; stopped at the time limit before optimality was proven")
        }
        ResultStatus::Infeasible => format!("{base}; the hard rules admit no match set"),
    }
}

/// Who holds what in a solution. Built once per solution: the reasons of a
/// match set and every report of an explanation read the same one.
pub(crate) struct State {
    /// The pair each trainee holds.
    pub(crate) trainee_at: Vec<Option<usize>>,
    /// The pairs holding each vacancy's positions.
    pub(crate) holders: Vec<Vec<usize>>,
    pub(crate) filled: Vec<u32>,
    pub(crate) per_dest: Vec<u32>,
    pub(crate) per_employer: Vec<u32>,
    /// The hard rules' rows, and each row's value on the solution: what
    /// stops one more placement is read off them.
    rows: Rows,
    activity: Vec<f64>,
}

impl State {
    pub(crate) fn new(p: &Problem, e: &Eligibility, chosen: &[usize]) -> Self {
        let rows = Rows::new(p);
        let activity = rows.activity(p, e, chosen);
        let mut s = State {
            trainee_at: vec![None; p.trainees.len()],
            holders: vec![Vec::new(); p.vacancies.len()],
            filled: vec![0; p.vacancies.len()],
            per_dest: vec![0; p.destinations.len()],
            per_employer: vec![0; p.employers.len()],
            rows,
            activity,
        };
        for &i in chosen {
            let pair = &e.pairs[i];
            s.trainee_at[pair.t] = Some(i);
            s.holders[pair.v].push(i);
            s.filled[pair.v] += 1;
            s.per_dest[p.vacancies[pair.v].dest] += 1;
            s.per_employer[p.vacancies[pair.v].employer] += 1;
        }
        s
    }

    /// The quota and cap that stop vacancy `v` from taking anyone more: the
    /// rows every pair at `v` counts in that are at their bound (its own
    /// positions aside: the caller knows whether they are filled).
    pub(crate) fn limits(&self, p: &Problem, e: &Eligibility, v: VacancyIx) -> Vec<Blocker> {
        let mut rules = Vec::new();
        self.rows.entries_of_vacancy(p, v, |r, a| {
            rules.extend(self.rows.broken_by(r, self.activity[r], a));
        });
        rules
            .into_iter()
            .filter(|rule| !matches!(rule, HardRule::Positions(_)))
            .filter_map(|rule| self.words(p, e, None, v, rule))
            .collect()
    }

    /// Why an eligible, unmatched trainee is not at vacancy `v`: the first
    /// hard rule (in row order: positions, quota, cap, shares) that one more
    /// placement, theirs, would break; with room everywhere, the objective.
    pub(crate) fn blocker(
        &self,
        p: &Problem,
        e: &Eligibility,
        t: TraineeIx,
        v: VacancyIx,
    ) -> Blocker {
        let mut first = None;
        self.rows.entries(p, t, v, |r, a| {
            if first.is_none() {
                first = self.rows.broken_by(r, self.activity[r], a);
            }
        });
        first
            .and_then(|rule| self.words(p, e, Some(t), v, rule))
            .unwrap_or_else(|| Blocker {
                kind: Blocked::Objective,
                rule: None,
                message: format!(
                    "{} has room, but placing {} there would lower the higher-priority objective",
                    p.vacancies[v].id, p.trainees[t].id
                ),
            })
    }

    /// `rule`, at its bound, as what stops trainee `t` (or anyone) at `v`.
    /// `None` for the rules one more placement of an unmatched trainee can
    /// never break (a trainee's own, a minimum, a lock).
    fn words(
        &self,
        p: &Problem,
        e: &Eligibility,
        t: Option<TraineeIx>,
        v: VacancyIx,
        rule: HardRule,
    ) -> Option<Blocker> {
        let vac = &p.vacancies[v];
        let (kind, message) = match rule {
            HardRule::OnePlacement(_) | HardRule::DestinationMin(_) | HardRule::Lock(_) => {
                return None
            }
            HardRule::Positions(_) => (Blocked::PositionsFilled, self.filled_message(p, e, t?, v)),
            HardRule::DestinationMax(d) => {
                let dest = &p.destinations[d];
                let max = dest.max.unwrap_or(0);
                (
                    Blocked::QuotaReached,
                    format!(
                        "{} ({}) has reached its maximum of {max} placements",
                        dest.label, dest.code
                    ),
                )
            }
            HardRule::EmployerCap(emp) => (
                Blocked::CapReached,
                format!(
                    "{} already receives {}, its cap",
                    p.employers[emp],
                    words::count(
                        p.employer_caps[emp].unwrap_or(0) as usize,
                        "placement",
                        "placements"
                    )
                ),
            ),
            HardRule::GroupShare(index) => {
                let s = &p.shares[index];
                let bound = if s.min_share > 0.0 {
                    format!("at least {}%", words::num(s.min_share * 100.0))
                } else {
                    format!(
                        "at most {}%",
                        words::num(s.max_share.unwrap_or(1.0) * 100.0)
                    )
                };
                (
                    Blocked::ShareLimit,
                    format!(
                        "placing {} at {} would break the rule of {bound} {}",
                        p.trainees[t?].id,
                        vac.id,
                        p.share_label(s)
                    ),
                )
            }
        };
        Some(Blocker {
            kind,
            rule: Some(rule),
            message,
        })
    }

    /// Who holds `v`'s positions, and what `t` would score there.
    fn filled_message(&self, p: &Problem, e: &Eligibility, t: TraineeIx, v: VacancyIx) -> String {
        let vac = &p.vacancies[v];
        let me = e.pair_index(t, v).map(|i| e.pairs[i].score).unwrap_or(0.0);
        let held: Vec<String> = self.holders[v]
            .iter()
            .map(|&i| {
                let h = &e.pairs[i];
                format!("{} (score {})", p.trainees[h.t].id, words::num(h.score))
            })
            .collect();
        format!(
            "{}'s {} went to {}; {} would score {} there",
            vac.id,
            words::count(vac.positions as usize, "position", "positions"),
            words::list(&held, 4),
            p.trainees[t].id,
            words::num(me)
        )
    }
}

pub(crate) fn describe_match(p: &Problem, pair: &Pair) -> Match {
    let tr = &p.trainees[pair.t];
    let vac = &p.vacancies[pair.v];
    let dest = &p.destinations[vac.dest];
    let w = p.weights;
    let mut why = Vec::new();
    let lock = p
        .locks
        .iter()
        .find(|l| l.trainee == pair.t && l.vacancy == pair.v);
    if let Some(l) = lock {
        why.push(match &l.why {
            Some(reason) => format!("Locked by the matching officer: {reason}."),
            None => "Locked by the matching officer.".to_string(),
        });
    }
    // Requirements.
    if vac.requires.is_empty() {
        why.push(format!("{} sets no minimum skill levels.", vac.id));
    } else {
        let met: Vec<String> = vac
            .requires
            .iter()
            .map(|&(s, need)| {
                let info = &p.skills[s];
                format!(
                    "{} {} ≥ {}",
                    info.name,
                    info.scale.describe(tr.levels[s]),
                    info.scale.describe(need)
                )
            })
            .collect();
        why.push(format!(
            "Meets every requirement of {}: {}.",
            vac.id,
            met.join(", ")
        ));
    }
    // Start date.
    let timing = rules::timing(p, pair.t, pair.v);
    let mut start = format!("Starts {}, the earliest possible day: ", pair.start);
    start.push_str(&match timing.bound {
        StartBound::Permit => format!(
            "the permit is ready then ({} + {} days)",
            tr.documents_ready.map_or(String::new(), |d| d.to_string()),
            dest.permit_days
        ),
        StartBound::Available => format!("{} is available from {}", tr.id, tr.available_from),
        StartBound::Window => "the start window opens then".to_string(),
    });
    if timing.earliest != timing.start {
        if let Some(e0) = timing.earliest {
            start = format!("Starts {}: the earliest day {e0} falls in a blackout, so the start moves to the day after it", pair.start);
        }
    }
    match vac.latest {
        Some(latest) => start.push_str(&format!(
            "; {} to spare before the window closes on {latest}.",
            words::days((latest - pair.start).num_days())
        )),
        None => start.push('.'),
    }
    why.push(start);
    // Salary.
    if let Some(floor) = rules::salary_floor(p, pair.t, pair.v, pair.start) {
        let salary = vac.salary.unwrap_or(0.0);
        let age = floor.age.map_or(String::new(), |a| format!(" for age {a}"));
        why.push(format!(
            "Salary {} meets the floor of {}{age} on the start date ({} above).",
            dest.money(salary),
            dest.money(floor.annual),
            dest.money(salary - floor.annual)
        ));
    }
    // Score.
    let rank_text = |rank: Option<&usize>, n: usize, whose: &str| match rank {
        Some(r) => format!("{whose} {} of {n}", words::ordinal(*r)),
        None => format!("not in {whose} ranking"),
    };
    let fit_source = if p.pair_scores.contains_key(&(pair.t, pair.v)) {
        ", supplied pair score"
    } else {
        ""
    };
    why.push(format!(
        "Score {} = {} × fit {} ({}{fit_source}) + {} × trainee preference {} ({}) + {} × employer preference {} ({}).",
        words::num(pair.score),
        words::num(w.fit),
        words::num(pair.fit),
        p.model.id,
        words::num(w.trainee_preference),
        words::num(pair.trainee_preference),
        rank_text(p.trainee_rank[pair.t].get(&pair.v), tr.ranking.len(), &format!("{}'s", tr.id)),
        words::num(w.employer_preference),
        words::num(pair.employer_preference),
        rank_text(p.vacancy_rank[pair.v].get(&pair.t), vac.ranking.len(), &format!("{}'s", vac.id)),
    ));
    Match {
        trainee: tr.id.clone(),
        vacancy: vac.id.clone(),
        employer: p.employers[vac.employer].clone(),
        destination: dest.code.clone(),
        start_date: pair.start,
        score: words::round4(pair.score),
        breakdown: Breakdown {
            fit: words::round4(w.fit * pair.fit),
            trainee_preference: words::round4(w.trainee_preference * pair.trainee_preference),
            employer_preference: words::round4(w.employer_preference * pair.employer_preference),
        },
        locked: lock.is_some(),
        why,
    }
}

fn unmatched_trainee(
    p: &Problem,
    e: &Eligibility,
    state: &State,
    index: Option<&VacancyIndex>,
    t: TraineeIx,
) -> Unmatched {
    let eligible: Vec<VacancyIx> = e.of_trainee(t).map(|i| e.pairs[i].v).collect();
    let reasons = if eligible.is_empty() {
        ineligible_everywhere(p, index, t)
    } else {
        let mut by_code: BTreeMap<&'static str, Vec<(VacancyIx, String)>> = BTreeMap::new();
        for &v in &eligible {
            let b = state.blocker(p, e, t, v);
            by_code.entry(b.code()).or_default().push((v, b.message));
        }
        by_code
            .into_iter()
            .map(|(code, items)| grouped_reason(p, code, Group::of(items)))
            .collect()
    };
    Unmatched {
        trainee: p.trainees[t].id.clone(),
        eligible_somewhere: !eligible.is_empty(),
        reasons,
    }
}

/// One reason per rule, summarised across every vacancy (and per destination for
/// destinations the trainee does not accept).
pub(crate) fn ineligible_everywhere(
    p: &Problem,
    index: Option<&VacancyIndex>,
    t: TraineeIx,
) -> Vec<Reason> {
    if p.vacancies.is_empty() {
        return vec![simple_reason(
            "no_vacancies",
            "the scenario has no vacancies".to_string(),
        )];
    }
    let failures = match index {
        Some(index) => index.failures(p, t),
        None => nowhere::by_scan(p, t),
    };
    failures
        .into_iter()
        .map(|f| {
            let group = Group {
                count: f.count,
                listed: f.listed,
                first: f.message,
                all_same: f.all_same,
            };
            grouped_reason(p, f.code.as_str(), group)
        })
        .collect()
}

/// Vacancies one reason covers: how many, the first few, the first message,
/// and whether every other vacancy's message is the same.
struct Group {
    count: usize,
    /// At least the first [`crate::documents::match_set::VACANCIES_LISTED`].
    listed: Vec<VacancyIx>,
    first: String,
    all_same: bool,
}

impl Group {
    fn of(items: Vec<(VacancyIx, String)>) -> Group {
        let all_same = items.windows(2).all(|w| w[0].1 == w[1].1);
        let first = items.first().map(|(_, m)| m.clone()).unwrap_or_default();
        Group {
            count: items.len(),
            listed: items.into_iter().map(|(v, _)| v).collect(),
            first,
            all_same,
        }
    }
}

/// One reason covering several vacancies: the first message, and how many more.
fn grouped_reason(p: &Problem, code: &str, g: Group) -> Reason {
    let vacancies: Vec<String> = g
        .listed
        .iter()
        .take(crate::documents::match_set::VACANCIES_LISTED)
        .map(|v| p.vacancies[*v].id.clone())
        .collect();
    let vacancies_total =
        (g.count > crate::documents::match_set::VACANCIES_LISTED).then_some(g.count);
    let message = if code == "destination_not_accepted" {
        format!(
            "{}, which rules out {}",
            g.first,
            words::count(g.count, "vacancy", "vacancies")
        )
    } else if g.count == 1 || g.all_same {
        g.first
    } else {
        format!("at {} vacancies; for example, {}", g.count, g.first)
    };
    Reason {
        code: code.to_string(),
        message,
        vacancy: vacancies.first().cloned(),
        vacancies,
        vacancies_total,
        trainees: None,
    }
}

fn unfilled_vacancy(
    p: &Problem,
    e: &Eligibility,
    state: &State,
    excluded: Option<Vec<nobody::Excluded>>,
    v: VacancyIx,
) -> Unfilled {
    let vac = &p.vacancies[v];
    let open = vac.positions - state.filled[v];
    let eligible: Vec<TraineeIx> = e.of_vacancy(v).iter().map(|&i| e.pairs[i].t).collect();
    let mut reasons = Vec::new();
    for b in state.limits(p, e, v) {
        reasons.push(simple_reason(b.code(), b.message));
    }
    if eligible.is_empty() {
        reasons.push(Reason {
            trainees: Some(0),
            ..simple_reason(
                "no_eligible_trainee",
                format!("no trainee is eligible for {}", vac.id),
            )
        });
        let excluded = excluded.unwrap_or_else(|| nobody::by_scan(p, v));
        reasons.extend(ineligibility_reasons(p, excluded));
    } else if reasons.is_empty() {
        let elsewhere: Vec<String> = eligible
            .iter()
            .filter_map(|&t| state.trainee_at[t].map(|i| (t, i)))
            .filter(|&(_, i)| e.pairs[i].v != v)
            .map(|(t, i)| format!("{} at {}", p.trainees[t].id, p.vacancies[e.pairs[i].v].id))
            .collect();
        if !elsewhere.is_empty() {
            reasons.push(Reason {
                trainees: Some(elsewhere.len()),
                ..simple_reason(
                    "candidates_placed_elsewhere",
                    format!(
                        "{} of the {} eligible trainees {} placed at other vacancies, where they count as much or more: {}",
                        elsewhere.len(),
                        eligible.len(),
                        if elsewhere.len() == 1 { "is" } else { "are" },
                        words::list(&elsewhere, 5)
                    ),
                )
            });
        }
        let free: Vec<TraineeIx> = eligible
            .iter()
            .copied()
            .filter(|&t| state.trainee_at[t].is_none())
            .collect();
        if free.is_empty() {
            // Room, no quota or cap in the way, and every eligible trainee
            // placed: the positions stay open for want of anyone else, so say
            // who that is and why the rest are not eligible.
            let here = state.filled[v] as usize;
            reasons.push(Reason {
                trainees: Some(0),
                ..simple_reason(
                    "no_other_eligible_trainee",
                    format!(
                        "all {} eligible for {} {} placed ({here} here, {} elsewhere); no other trainee is eligible",
                        words::count(eligible.len(), "trainee", "trainees"),
                        vac.id,
                        if eligible.len() == 1 { "is" } else { "are" },
                        eligible.len() - here
                    ),
                )
            });
            let excluded = excluded.unwrap_or_else(|| nobody::by_scan(p, v));
            reasons.extend(ineligibility_reasons(p, excluded));
        }
        let mut by_code: BTreeMap<&'static str, (usize, String)> = BTreeMap::new();
        for &t in &free {
            let b = state.blocker(p, e, t, v);
            let entry = by_code.entry(b.code()).or_insert((0, b.message));
            entry.0 += 1;
        }
        for (code, (n, msg)) in by_code {
            reasons.push(Reason {
                trainees: Some(n),
                ..simple_reason(
                    code,
                    format!(
                        "{} eligible and unplaced: {msg}",
                        words::count(n, "trainee is", "trainees are")
                    ),
                )
            });
        }
    }
    Unfilled {
        vacancy: vac.id.clone(),
        open,
        reasons,
    }
}

/// True when the reasons of unfilled vacancy `v` count, rule by rule, why
/// trainees are not eligible: nobody is eligible, or (with no quota or cap in
/// the way, which would be the reason instead) every eligible trainee is
/// placed. `unfilled_vacancy` gives those counts exactly in these cases.
fn needs_ineligibility_counts(p: &Problem, e: &Eligibility, state: &State, v: VacancyIx) -> bool {
    let eligible = e.of_vacancy(v);
    eligible.is_empty()
        || (state.limits(p, e, v).is_empty()
            && eligible
                .iter()
                .all(|&i| state.trainee_at[e.pairs[i].t].is_some()))
}

/// One reason per eligibility rule that excludes trainees from a vacancy.
pub(crate) fn ineligibility_reasons(p: &Problem, excluded: Vec<nobody::Excluded>) -> Vec<Reason> {
    excluded
        .into_iter()
        .map(|x| Reason {
            trainees: Some(x.count),
            ..simple_reason(
                x.code.as_str(),
                format!(
                    "{} of {} {}; for example, {}",
                    x.count,
                    p.trainees.len(),
                    rules::rule(x.code).map_or("", |r| r.excludes()),
                    x.message
                ),
            )
        })
        .collect()
}

pub(crate) fn simple_reason(code: &str, message: String) -> Reason {
    Reason {
        code: code.to_string(),
        message,
        vacancy: None,
        vacancies: Vec::new(),
        vacancies_total: None,
        trainees: None,
    }
}

fn destination_usage(
    p: &Problem,
    e: &Eligibility,
    state: &State,
) -> BTreeMap<String, DestinationUsage> {
    p.destinations
        .iter()
        .enumerate()
        .map(|(d, dest)| {
            let placed = state.per_dest[d];
            let positions = p
                .vacancies
                .iter()
                .filter(|v| v.dest == d)
                .map(|v| u64::from(v.positions))
                .sum();
            (
                dest.code.clone(),
                DestinationUsage {
                    placed: placed as usize,
                    min: dest.min,
                    max: dest.max,
                    binding: dest.max == Some(placed) || (dest.min > 0 && placed == dest.min),
                    positions,
                    eligible_trainees: e.eligible_for_destination(p, d).len(),
                },
            )
        })
        .collect()
}

fn share_usage(p: &Problem, e: &Eligibility, chosen: &[usize]) -> Vec<ShareUsage> {
    p.shares
        .iter()
        .map(|s| {
            let scope: Vec<usize> = chosen
                .iter()
                .copied()
                .filter(|&i| p.share_scope(s, e.pairs[i].v))
                .collect();
            let members = scope
                .iter()
                .filter(|&&i| p.in_group(e.pairs[i].t, s))
                .count();
            let placed = scope.len();
            let share = if placed == 0 {
                0.0
            } else {
                members as f64 / placed as f64
            };
            let (m, n) = (members as f64, placed as f64);
            let binding = placed > 0
                && ((s.min_share > 0.0 && m - 1.0 < s.min_share * n - 1e-9)
                    || s.max_share.is_some_and(|mx| m + 1.0 > mx * n + 1e-9));
            ShareUsage {
                destination: s.dest.map(|d| p.destinations[d].code.clone()),
                attribute: s.attribute.clone(),
                value: s.value.clone(),
                share: words::round4(share),
                members,
                placed,
                min_share: s.min_share,
                max_share: s.max_share,
                binding,
            }
        })
        .collect()
}

/// What the `stable` phase proved, in words: a stable match set, or that
/// none exists under the hard rules.
fn stability_words(phases: &[crate::solve::optimize::Phase]) -> String {
    match phases.iter().find(|ph| ph.priority == Priority::Stable) {
        Some(ph) if ph.value == 0.0 => {
            ". The match set is stable: no trainee and vacancy would both rather have each other".to_string()
        }
        Some(ph) if phases.first().is_some_and(|first| first.priority == Priority::Stable) => format!(
            ". No stable match set exists under the hard rules: every match set that keeps them has at least {}, and this one has no more",
            words::count(ph.value as usize, "blocking pair", "blocking pairs")
        ),
        Some(ph) => {
            let before: Vec<&str> = phases
                .iter()
                .take_while(|x| x.priority != Priority::Stable)
                .map(|x| x.priority.as_str())
                .collect();
            format!(
                ". Every match set at the optimum of {} has at least {}, and this one has no more",
                before.join(" then "),
                words::count(ph.value as usize, "blocking pair", "blocking pairs")
            )
        }
        None => String::new(),
    }
}
