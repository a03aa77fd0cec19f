//! Explanations as text for a terminal: every sentence comes from the report
//! documents, which the JSON carries too.

use crate::documents::explanation::{RulesReport, SkillsReport, TraineeReport, VacancyReport};
use crate::words;

/// A trainee's report: where they are and why, or why nowhere, and what would change it.
pub fn trainee(r: &TraineeReport) -> String {
    let mut out = format!("{}\n", r.summary);
    if let Some(m) = &r.matched {
        out.push_str("\nWhy this match:\n");
        for w in &m.why {
            out.push_str(&format!("  • {w}\n"));
        }
        out.push_str("\nRoom to spare:\n");
        for s in &m.slack {
            out.push_str(&format!("  • {s}\n"));
        }
        if !m.higher_choices.is_empty() {
            out.push_str(&format!("\n{}'s higher-ranked choices:\n", r.trainee));
            for c in &m.higher_choices {
                out.push_str(&format!(
                    "  • {} ({} choice): {}\n",
                    c.vacancy,
                    words::ordinal(c.rank),
                    c.reason
                ));
                if let Some(s) = &c.swap {
                    out.push_str(&format!(
                        "      placing {} there instead: {}\n",
                        r.trainee,
                        s.summary(Some(&r.trainee))
                    ));
                }
            }
        }
    }
    if !r.competition.is_empty() && r.matched.is_none() {
        out.push_str("\nVacancies within reach, and who holds them:\n");
        for c in &r.competition {
            out.push_str(&format!(
                "  • {} (would score {}): {} [{}]\n",
                c.vacancy,
                words::num(c.score),
                c.message,
                c.code
            ));
        }
    }
    if !r.changes.is_empty() {
        out.push_str("\nWhat would give them a place (each checked by solving again):\n");
        for e in &r.changes {
            out.push_str(&format!(
                "  • With {}: {}\n",
                e.description,
                e.summary(Some(&r.trainee))
            ));
        }
    }
    if let Some(e) = &r.if_nearest_fixed {
        out.push_str(&format!(
            "\nIf the nearest miss were fixed ({}): {}\n",
            e.description,
            e.summary(Some(&r.trainee))
        ));
    }
    if r.matched.is_none() && r.competition.is_empty() && !r.nearest_misses.is_empty() {
        out.push_str(
            "\nNearest misses (smallest changes first; each checked against the rules):\n",
        );
        for g in &r.nearest_misses {
            let vs = words::list(&g.vacancies, 4);
            if g.fixable {
                out.push_str(&format!("  • {vs}: {}\n", g.needs.join("; ")));
            } else {
                out.push_str(&format!(
                    "  • {vs}: out of reach (a blackout covers the rest of the window)\n"
                ));
            }
        }
    }
    out + &super::unfinished(r.unfinished.as_deref())
}

/// A vacancy's report: who holds it, why positions are open, and what would fill them.
pub fn vacancy(r: &VacancyReport) -> String {
    let mut out = format!("{}\n", r.summary);
    if !r.holders.is_empty() {
        out.push_str("\nFilled by:\n");
        for h in &r.holders {
            out.push_str(&format!(
                "  • {} from {} (score {})\n",
                h.trainee,
                h.start_date,
                words::num(h.score)
            ));
        }
    }
    if !r.reasons.is_empty() {
        out.push_str("\nWhy positions stay open:\n");
        for x in &r.reasons {
            out.push_str(&format!("  • {} [{}]\n", x.message, x.code));
        }
    }
    if !r.changes.is_empty() {
        out.push_str("\nWhat would fill a position (each checked by solving again):\n");
        for e in &r.changes {
            out.push_str(&format!(
                "  • With {}: {}\n",
                e.description,
                e.summary(None)
            ));
        }
    }
    if !r.nearest_trainees.is_empty() {
        out.push_str("\nClosest trainees (what each would need):\n");
        for m in &r.nearest_trainees {
            out.push_str(&format!("  • {}: {}\n", m.trainee, m.needs.join("; ")));
        }
    }
    if !r.ranked_candidates.is_empty() {
        out.push_str("\nThe vacancy's ranked candidates:\n");
        for c in &r.ranked_candidates {
            out.push_str(&format!("  {}. {}\n", c.rank, c.note));
        }
    }
    out + &super::unfinished(r.unfinished.as_deref())
}

/// The rules report: what each eligibility rule excludes, each hard rule's state and what loosening it would do.
pub fn rules(r: &RulesReport) -> String {
    let mut out =
        String::from("Eligibility rules (pairs each rules out; alone = no other rule would):\n");
    for c in &r.eligibility {
        out.push_str(&format!(
            "  • {}: {} pairs, {} alone [{}]\n",
            c.rule,
            c.pairs,
            c.only_reason,
            c.code.as_str()
        ));
    }
    if r.eligibility.is_empty() && r.unfinished.is_some() {
        out.push_str("  (not counted by the time limit)\n");
    }
    out.push_str("\nRules of the match set (relaxing one by one unit, solved again):\n");
    for h in &r.hard_rules {
        // A relaxation not solved by the time limit is no evidence either
        // way: the row must not say it changes nothing.
        let verdict = match (&h.relaxed, h.binding, h.unsolved) {
            (_, true, true) => "at its bound; relaxing it was not solved by the time limit",
            (_, false, true) => "relaxing it was not solved by the time limit",
            (Some(e), _, _) if e.changes_anything() => "limits the result",
            (_, true, _) => "at its bound, but relaxing it changes nothing",
            (_, false, _) => "not binding",
        };
        out.push_str(&format!(
            "  • {} [{}: {}] — {verdict}\n",
            h.state, h.rule, h.subject
        ));
        if let Some(e) = h.relaxed.as_ref().filter(|e| e.changes_anything()) {
            out.push_str(&format!(
                "      with {}: {}\n",
                e.description,
                e.summary(None)
            ));
        }
    }
    out + &super::unfinished(r.unfinished.as_deref())
}

/// The skills report: what each requirement excludes, and the bridging modules worth running.
pub fn skills(r: &SkillsReport) -> String {
    let mut out = String::from(
        "Missing skill levels (pairs they rule out; alone = the only thing missing):\n",
    );
    for x in &r.exclusions {
        out.push_str(&format!(
            "  • {}: {} pairs, {} alone\n",
            x.skill, x.pairs, x.only_reason
        ));
    }
    out.push_str("\nTraining modules that would open vacancies (solved again for placements):\n");
    match (r.modules.is_empty(), &r.unfinished) {
        (true, None) => {
            out.push_str("  • none: no single one-level module makes anyone newly eligible\n")
        }
        // Modules not solved by the time limit may open some.
        (true, Some(_)) => out.push_str("  • none found by the time limit\n"),
        (false, _) => {}
    }
    for m in &r.modules {
        out.push_str(&format!("  • {}\n", m.summary));
    }
    out + &super::unfinished(r.unfinished.as_deref())
}
