//! Why a scenario has no match set: a minimal set of conflicting rules, in
//! plain words, with the counts from the eligibility graph that show it.
//!
//! The conflict is found by a deletion filter over rule groups (each
//! destination's minimum and maximum, each group share, each employer's cap,
//! each lock): drop a group; if the rest is still infeasible, it was not needed.
//! What remains is minimal — removing any one of its rules makes the scenario
//! feasible — which the tests check by re-solving.

use std::collections::HashSet;

use crate::eligibility::Eligibility;
use crate::words;
use std::time::Instant;

use crate::documents::match_set::{ConflictingRule, Infeasibility};
use crate::model::problem::{DestIx, EmployerIx, Problem};
use crate::solve::hard_rules::HardRule;
use crate::solve::optimize::{feasible_until, find_until, Feasibility};
use crate::solve::stability::{Condition, Stability};
use crate::PalimError;

/// A minimal set of rule groups that cannot all hold.
pub fn minimal_conflict(p: &Problem, e: &Eligibility) -> Result<Vec<HardRule>, PalimError> {
    minimal_conflict_until(p, e, None).map(|(conflict, _)| conflict)
}

/// [`minimal_conflict`] by `deadline`, and whether every rule was tried.
///
/// The set returned is always a conflict (the rules in it cannot all hold:
/// each one dropped was dropped only once the rest were proven infeasible);
/// when the deadline stops the filter early it may not be minimal.
pub fn minimal_conflict_until(
    p: &Problem,
    e: &Eligibility,
    deadline: Option<Instant>,
) -> Result<(Vec<HardRule>, bool), PalimError> {
    let all = HardRule::all_relaxable(p);
    let mut kept: Vec<HardRule> = all.clone();
    // Try dropping the rules officers most readily change last, so that what
    // remains names quotas and shares before individual locks.
    let mut order = all.clone();
    order.sort_by_key(|r| match r {
        HardRule::Lock(_) => 0,
        HardRule::EmployerCap(_) => 1,
        HardRule::GroupShare(_) => 2,
        HardRule::DestinationMax(_) => 3,
        HardRule::DestinationMin(_) => 4,
        // Never relaxable: a match set without them is not one.
        HardRule::OnePlacement(_) | HardRule::Positions(_) => 5,
    });
    for r in order {
        let trial: Vec<HardRule> = kept.iter().copied().filter(|&k| k != r).collect();
        let dropped: HashSet<HardRule> =
            all.iter().copied().filter(|x| !trial.contains(x)).collect();
        match feasible_until(p, e, &dropped, deadline)? {
            Some(false) => kept = trial,
            Some(true) => {}
            None => {
                kept.sort();
                return Ok((kept, false));
            }
        }
    }
    kept.sort();
    Ok((kept, true))
}

/// The infeasibility section of the match set.
pub fn explain_infeasibility(
    p: &Problem,
    e: &Eligibility,
    deadline: Option<Instant>,
) -> Result<Infeasibility, PalimError> {
    let (conflict, minimal) = minimal_conflict_until(p, e, deadline)?;
    let rules: Vec<ConflictingRule> = conflict.iter().map(|&r| describe(p, e, r)).collect();
    let facts = facts(p, e, &conflict);
    let summary = if !minimal {
        format!(
            "No match set satisfies the hard rules. These {} rules cannot all hold together; the time limit ended the search for a smaller set before every rule was tried.",
            rules.len()
        )
    } else if rules.len() == 1 {
        format!(
            "No match set satisfies the hard rules. {} {}",
            rules[0].message,
            facts.first().map_or(String::new(), |f| format!("{f}."))
        )
    } else {
        let parts: Vec<String> = rules
            .iter()
            .enumerate()
            .map(|(i, r)| format!("({}) {}", i + 1, r.message.trim_end_matches('.')))
            .collect();
        format!(
            "No match set satisfies the hard rules: these {} rules cannot all hold: {}. Relaxing any one of them makes the scenario solvable.",
            rules.len(),
            parts.join("; ")
        )
    };
    Ok(Infeasibility {
        summary,
        conflicting_rules: rules,
        facts,
        unfinished: (!minimal).then(|| {
            "the time limit was reached before every rule was tried: the conflict holds, but may not be minimal".to_string()
        }),
    })
}

/// The rule in words, with the counts that show why it conflicts.
fn describe(p: &Problem, e: &Eligibility, rule: HardRule) -> ConflictingRule {
    match rule {
        HardRule::DestinationMin(d) => describe_destination_min(p, e, d),
        HardRule::DestinationMax(d) => describe_destination_max(p, d),
        HardRule::GroupShare(s) => describe_group_share(p, e, s),
        HardRule::EmployerCap(emp) => describe_employer_cap(p, emp),
        HardRule::Lock(l) => describe_lock(p, l),
        // Not relaxable, so never in a conflict; named all the same.
        HardRule::OnePlacement(t) => ConflictingRule {
            rule: "one_placement".into(),
            subject: p.trainees[t].id.clone(),
            message: format!("{} takes at most one job.", p.trainees[t].id),
        },
        HardRule::Positions(v) => ConflictingRule {
            rule: "positions".into(),
            subject: p.vacancies[v].id.clone(),
            message: format!(
                "{} offers {}.",
                p.vacancies[v].id,
                words::count(p.vacancies[v].positions as usize, "position", "positions")
            ),
        },
    }
}

fn describe_destination_min(p: &Problem, e: &Eligibility, d: DestIx) -> ConflictingRule {
    let dest = &p.destinations[d];
    let c = Capacity::of(p, e, d);
    let mut message = format!("{} needs at least {} placements", dest.label, dest.min);
    if (c.eligible as u32) < dest.min {
        message.push_str(&format!(
            " but only {} eligible for any of its vacancies",
            words::count(c.eligible, "trainee is", "trainees are")
        ));
    } else if c.positions < u64::from(dest.min) {
        message.push_str(&format!(
            " but its vacancies offer only {} positions",
            c.positions
        ));
    } else if (c.usable as u32) < dest.min {
        message.push_str(&format!(
            " but only {} of its {} positions can be taken by anyone eligible",
            c.usable, c.positions
        ));
    } else if (c.max_placements as u32) < dest.min {
        message.push_str(&format!(
            " but at most {} can be placed there at once: its eligible trainees compete for the same positions",
            c.max_placements
        ));
    }
    message.push('.');
    ConflictingRule {
        rule: "destination_min".into(),
        subject: dest.code.clone(),
        message,
    }
}

fn describe_destination_max(p: &Problem, d: DestIx) -> ConflictingRule {
    let dest = &p.destinations[d];
    let locked = p
        .locks
        .iter()
        .filter(|l| p.vacancies[l.vacancy].dest == d)
        .count();
    let mut message = format!(
        "{} takes at most {} placements",
        dest.label,
        dest.max.unwrap_or(0)
    );
    if locked as u32 > dest.max.unwrap_or(0) {
        message.push_str(&format!(
            " but {locked} trainees are locked to its vacancies"
        ));
    }
    message.push('.');
    ConflictingRule {
        rule: "destination_max".into(),
        subject: dest.code.clone(),
        message,
    }
}

fn describe_group_share(p: &Problem, e: &Eligibility, s: usize) -> ConflictingRule {
    let share = &p.shares[s];
    let mut message = String::new();
    if share.min_share > 0.0 {
        let members = members_eligible(p, e, s);
        let most = (members as f64 / share.min_share).floor() as usize;
        message.push_str(&format!(
            "At least {}% of {} must be {}, and only {members} {} eligible for them, so at most {most} such placements can satisfy it",
            words::num(share.min_share * 100.0),
            p.share_scope_label(share),
            p.share_group(share),
            if members == 1 { "is" } else { "are" }
        ));
    }
    if let Some(max) = share.max_share {
        if !message.is_empty() {
            message.push_str("; and ");
        }
        message.push_str(&format!(
            "at most {}% of {} may be {}",
            words::num(max * 100.0),
            p.share_scope_label(share),
            p.share_group(share)
        ));
    }
    message.push('.');
    let subject = format!(
        "{}={}{}",
        share.attribute,
        share
            .value
            .as_str()
            .map_or(share.value.to_string(), str::to_string),
        share
            .dest
            .map_or(String::new(), |d| format!(" in {}", p.destinations[d].code))
    );
    ConflictingRule {
        rule: "group_share".into(),
        subject,
        message,
    }
}

fn describe_employer_cap(p: &Problem, emp: EmployerIx) -> ConflictingRule {
    let locked = p
        .locks
        .iter()
        .filter(|l| p.vacancies[l.vacancy].employer == emp)
        .count();
    let cap = p.employer_caps[emp].unwrap_or(0);
    let mut message = format!(
        "{} may receive at most {}",
        p.employers[emp],
        words::count(cap as usize, "placement", "placements")
    );
    if locked as u32 > cap {
        message.push_str(&format!(
            " but {locked} trainees are locked to its vacancies"
        ));
    }
    message.push('.');
    ConflictingRule {
        rule: "max_per_employer".into(),
        subject: p.employers[emp].clone(),
        message,
    }
}

fn describe_lock(p: &Problem, l: usize) -> ConflictingRule {
    let lock = &p.locks[l];
    let (tid, vid) = (&p.trainees[lock.trainee].id, &p.vacancies[lock.vacancy].id);
    let mut message = format!("{tid} is locked to {vid}");
    let same_trainee: Vec<String> = p
        .locks
        .iter()
        .filter(|o| o.trainee == lock.trainee && o.vacancy != lock.vacancy)
        .map(|o| p.vacancies[o.vacancy].id.clone())
        .collect();
    let same_vacancy = p.locks.iter().filter(|o| o.vacancy == lock.vacancy).count();
    if !same_trainee.is_empty() {
        message.push_str(&format!(
            " and also to {}, but a trainee takes one job",
            words::list(&same_trainee, 3)
        ));
    } else if same_vacancy as u32 > p.vacancies[lock.vacancy].positions {
        message.push_str(&format!(
            ", one of {same_vacancy} locks on its {}",
            words::count(
                p.vacancies[lock.vacancy].positions as usize,
                "position",
                "positions"
            )
        ));
    }
    message.push('.');
    ConflictingRule {
        rule: "lock".into(),
        subject: format!("{tid} -> {vid}"),
        message,
    }
}

/// Group members eligible for at least one vacancy the share rule counts.
fn members_eligible(p: &Problem, e: &Eligibility, s: usize) -> usize {
    let share = &p.shares[s];
    let scope = (0..p.vacancies.len()).filter(|&v| p.share_scope(share, v));
    e.neighbours_of_vacancies(scope)
        .into_iter()
        .filter(|&t| p.in_group(t, share))
        .count()
}

/// Counts that show a capacity conflict (Hall-type: demand vs. who can meet it).
fn facts(p: &Problem, e: &Eligibility, conflict: &[HardRule]) -> Vec<String> {
    let mut out = Vec::new();
    for &r in conflict {
        match r {
            HardRule::DestinationMin(d) => {
                let dest = &p.destinations[d];
                let c = Capacity::of(p, e, d);
                out.push(format!(
                    "{}: at least {} placements required; {} trainees eligible for its vacancies; {} positions offered, {} of them open to someone eligible; at most {} can be filled at once (maximum matching in the eligibility graph)",
                    dest.code, dest.min, c.eligible, c.positions, c.usable, c.max_placements
                ));
                if (c.eligible as u32) < dest.min {
                    // The Hall certificate: every placement there must come from this set.
                    let who: Vec<String> = e
                        .eligible_for_destination(p, d)
                        .iter()
                        .map(|&t| p.trainees[t].id.clone())
                        .collect();
                    out.push(format!(
                        "{}'s {} required places can only be filled by these {}: {}",
                        dest.code,
                        dest.min,
                        words::count(who.len(), "trainee", "trainees"),
                        words::list(&who, 40)
                    ));
                }
            }
            HardRule::GroupShare(s) => {
                let share = &p.shares[s];
                let n = members_eligible(p, e, s);
                out.push(format!(
                    "{}: {} eligible in that group",
                    p.share_label(share),
                    n
                ));
            }
            HardRule::Lock(l) => {
                let lock = &p.locks[l];
                out.push(format!(
                    "lock {} -> {} ({})",
                    p.trainees[lock.trainee].id,
                    p.vacancies[lock.vacancy].id,
                    p.destinations[p.vacancies[lock.vacancy].dest].code
                ));
            }
            HardRule::DestinationMax(d) => {
                let dest = &p.destinations[d];
                out.push(format!(
                    "{}: maximum {} placements",
                    dest.code,
                    dest.max.unwrap_or(0)
                ));
            }
            HardRule::EmployerCap(emp) => {
                out.push(format!(
                    "{}: at most {} placements",
                    p.employers[emp],
                    p.employer_caps[emp].unwrap_or(0)
                ));
            }
            HardRule::OnePlacement(_) | HardRule::Positions(_) => {}
        }
    }
    out
}

/// What a destination's vacancies can take, from the eligibility graph.
struct Capacity {
    eligible: usize,
    positions: u64,
    /// Positions that someone eligible could take: `min(positions, eligible)` per vacancy.
    usable: usize,
    max_placements: usize,
}

impl Capacity {
    fn of(p: &Problem, e: &Eligibility, d: usize) -> Self {
        let vacancies: Vec<usize> = (0..p.vacancies.len())
            .filter(|&v| p.vacancies[v].dest == d)
            .collect();
        Capacity {
            eligible: e.eligible_for_destination(p, d).len(),
            positions: vacancies
                .iter()
                .map(|&v| u64::from(p.vacancies[v].positions))
                .sum(),
            usable: vacancies
                .iter()
                .map(|&v| (p.vacancies[v].positions as usize).min(e.of_vacancy(v).len()))
                .sum(),
            max_placements: e.max_placements(p, &vacancies),
        }
    }
}

/// Why no stable match set exists: a set of pairs that cannot all be kept
/// from blocking, with the hard rules that make it so, each minimal
/// (letting any one of the pairs block, or dropping any one of the rules,
/// makes the rest possible), when the deadline allows.
///
/// Found by an additive filter (ask the pairs that block the answer,
/// `blocking`, and then those found blocking a good match set, not to
/// block, until no match set can), then deletion filters over those
/// pairs and over the relaxable rule groups. Every set tried has few
/// stability rows, so each step is quick where the full count is not.
pub fn stability_conflict(
    p: &Problem,
    e: &Eligibility,
    rows: &Stability,
    blocking: &[usize],
    deadline: Option<Instant>,
) -> Result<Option<Infeasibility>, PalimError> {
    let none = HashSet::new();
    let mut asked: Vec<usize> = blocking.to_vec();
    loop {
        match find_until(p, e, &none, Some(&rows.of_pairs(&asked)), true, deadline)? {
            Feasibility::Infeasible => break,
            Feasibility::OutOfTime => return Ok(None),
            Feasibility::Found(chosen) => {
                let blocking = rows.blocking(e.pairs.len(), &chosen);
                tracing::info!(
                    target: "palim::progress",
                    "stability conflict: {} pairs kept from blocking, {} more block",
                    asked.len(),
                    blocking.len()
                );
                if blocking.is_empty() {
                    // A stable match set exists: nothing to explain.
                    return Ok(None);
                }
                asked.extend(blocking);
                asked.sort_unstable();
                asked.dedup();
            }
        }
    }
    tracing::info!(
        target: "palim::progress",
        "stability conflict: {} pairs cannot all be kept from blocking; minimising",
        asked.len()
    );
    let mut minimal = true;
    let mut pairs = asked.clone();
    for &x in &asked {
        let trial: Vec<usize> = pairs.iter().copied().filter(|&y| y != x).collect();
        match find_until(p, e, &none, Some(&rows.of_pairs(&trial)), false, deadline)? {
            Feasibility::Infeasible => pairs = trial,
            Feasibility::Found(_) => {}
            Feasibility::OutOfTime => {
                minimal = false;
                break;
            }
        }
    }
    let unblocked = rows.of_pairs(&pairs);
    let mut dropped = HashSet::new();
    for r in HardRule::all_relaxable(p) {
        if !minimal {
            break;
        }
        dropped.insert(r);
        match find_until(p, e, &dropped, Some(&unblocked), false, deadline)? {
            Feasibility::Infeasible => {}
            Feasibility::Found(_) => {
                dropped.remove(&r);
            }
            Feasibility::OutOfTime => {
                dropped.remove(&r);
                minimal = false;
            }
        }
    }
    let rules: Vec<HardRule> = HardRule::all_relaxable(p)
        .into_iter()
        .filter(|r| !dropped.contains(r))
        .collect();
    Ok(Some(instability(p, e, &unblocked, &rules, minimal)))
}

/// The stability conflict in words.
fn instability(
    p: &Problem,
    e: &Eligibility,
    unblocked: &Stability,
    rules: &[HardRule],
    minimal: bool,
) -> Infeasibility {
    let mut conflicting: Vec<ConflictingRule> = unblocked
        .conditions
        .iter()
        .map(|c| condition_words(p, e, c))
        .collect();
    conflicting.extend(rules.iter().map(|&r| describe(p, e, r)));
    let parts: Vec<String> = conflicting
        .iter()
        .enumerate()
        .map(|(i, r)| format!("({}) {}", i + 1, r.message.trim_end_matches('.')))
        .collect();
    let summary = format!(
        "No stable match set exists under the hard rules. These cannot all hold: {}. {}",
        parts.join("; "),
        if minimal {
            "Letting any one of these pairs block, or relaxing any one of the rules, makes the rest possible."
        } else {
            "The time limit ended the search for a smaller set: these cannot all hold, but some may not be needed."
        }
    );
    Infeasibility {
        summary,
        conflicting_rules: conflicting,
        facts: Vec::new(),
        unfinished: (!minimal).then(|| {
            "the time limit was reached before every pair and rule was tried: the conflict holds, but may not be minimal".to_string()
        }),
    }
}

/// What keeps one pair from blocking, in words.
fn condition_words(p: &Problem, e: &Eligibility, c: &Condition) -> ConflictingRule {
    let pair = &e.pairs[c.pair];
    let (tid, vid) = (&p.trainees[pair.t].id, &p.vacancies[pair.v].id);
    let ids = |list: Vec<&String>| -> String {
        let shown: Vec<&str> = list.iter().take(5).map(|s| s.as_str()).collect();
        let more = list.len().saturating_sub(shown.len());
        let mut text = shown.join(", ");
        if more > 0 {
            text.push_str(&format!(" and {more} more"));
        }
        text
    };
    let others: Vec<&String> = c
        .as_good
        .iter()
        .filter(|&&j| j != c.pair)
        .map(|&j| &p.vacancies[e.pairs[j].v].id)
        .collect();
    let trainee_side = if others.is_empty() {
        format!("{tid} must get {vid}")
    } else {
        format!(
            "{tid} must get {vid} or a place {tid} wants as much ({})",
            ids(others)
        )
    };
    let rivals: Vec<&String> = c
        .kept_by
        .iter()
        .map(|&j| &p.trainees[e.pairs[j].t].id)
        .collect();
    let everyone_else = e.of_vacancy(pair.v).len().saturating_sub(1);
    let vacancy_side = match rivals.len() {
        0 => format!(" ({vid} wants no one else as much as {tid})"),
        n if n == everyone_else && n >= c.positions as usize => match c.positions {
            1 => format!(", or {vid}'s position must be filled"),
            k => format!(", or {vid}'s {k} positions must all be filled"),
        },
        n if n < c.positions as usize => format!(
            " ({vid} wants only {} as much as {tid}, too few for its {})",
            ids(rivals),
            words::count(c.positions as usize, "position", "positions")
        ),
        _ if c.positions == 1 => format!(
            ", or {vid}'s position must go to a trainee it wants at least as much as {tid} ({})",
            ids(rivals)
        ),
        _ => format!(
            ", or {vid}'s {} positions must all go to trainees it wants at least as much as {tid} ({})",
            c.positions,
            ids(rivals)
        ),
    };
    let message = format!("For {tid} and {vid} not to block, {trainee_side}{vacancy_side}");
    ConflictingRule {
        rule: "stability".into(),
        subject: format!("{tid} -> {vid}"),
        message,
    }
}
