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
use crate::solve::optimize::feasible_until;
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
    let mut message = format!("{} may receive at most {cap} placements", p.employers[emp]);
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
