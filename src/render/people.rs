//! The words and groupings that the workbooks and the HTML report share:
//! a status, a proof and a reason in the officer's language, an employer's
//! vacancies, and the nearest change that would place a trainee.

use std::collections::BTreeMap;

use crate::documents::comparison::{Column, Comparison};
use crate::documents::match_set::{Match, MatchSet, ResultStatus, SolverReport};
use crate::documents::shortlist::{Shortlist, ShortlistSet};
use crate::lang::{arg, Lang};
use crate::model::problem::Problem;

/// Every reason code a match set, comparison or explanation can carry: the
/// eligibility rules' codes and those of the match set's reasons. A test
/// holds each to a `reason-<code>` message in every language.
pub const REASON_CODES: &[&str] = &[
    "destination_not_accepted",
    "skill_below_requirement",
    "start_window_missed",
    "blackout",
    "salary_below_floor",
    "forbidden",
    "not_in_pair_scores",
    "positions_filled",
    "destination_quota_reached",
    "employer_cap_reached",
    "group_share_limit",
    "not_chosen_for_score",
    "no_vacancies",
    "no_eligible_trainee",
    "candidates_placed_elsewhere",
    "no_other_eligible_trainee",
];

/// Every proof a phase can name (`solve::outcome::Proof`).
pub const PROOFS: &[&str] = &[
    "trivial",
    "integral_lp_relaxation",
    "branch_and_bound",
    "min_cost_flow",
    "min_cost_flow_relaxation",
    "flow_bound",
    "lp_bound",
    "reduced_cost_fixing",
    "group_split",
];

/// A reason code in words; the code itself when the catalogue lacks it.
pub fn reason_label(lang: Lang, code: &str) -> String {
    if code.is_empty() {
        return String::new();
    }
    lang.lookup(&format!("reason-{code}"))
        .unwrap_or_else(|| code.replace('_', " "))
}

pub fn yes_no(lang: Lang, b: bool) -> String {
    lang.text(if b { "out-yes" } else { "out-no" })
}

pub fn status(lang: Lang, s: ResultStatus) -> String {
    lang.text(match s {
        ResultStatus::Optimal => "status-optimal",
        ResultStatus::TimeLimit => "status-time_limit",
        ResultStatus::Infeasible => "status-infeasible",
    })
}

/// How optimality was proven, phase by phase, in words (a match set's or
/// the shortlists' `solver`).
pub fn proof(lang: Lang, solver: &SolverReport) -> String {
    let phases: Vec<String> = solver
        .phases
        .iter()
        .map(|ph| {
            let priority = lang
                .lookup(&format!("priority-{}", ph.priority))
                .unwrap_or_else(|| ph.priority.clone());
            let how = lang
                .lookup(&format!("proof-{}", ph.proof))
                .unwrap_or_else(|| ph.proof.replace('_', " "));
            let proven = if ph.proven_optimal {
                lang.text("out-proven")
            } else {
                lang.text("out-not-proven")
            };
            format!("{priority}: {proven} ({how})")
        })
        .collect();
    phases.join("; ")
}

/// The summary lines: label and value.
pub fn summary_facts(p: &Problem, m: &MatchSet, lang: Lang) -> Vec<(String, String)> {
    let positions: u64 = p.vacancies.iter().map(|v| u64::from(v.positions)).sum();
    let mut facts = vec![
        (lang.text("out-status"), status(lang, m.status)),
        (lang.text("out-proof"), proof(lang, &m.solver)),
        (
            lang.text("out-placed"),
            lang.text_with(
                "placed-count",
                &[
                    arg("count", m.objective.placements),
                    arg("trainees", p.trainees.len()),
                    arg("positions", positions),
                ],
            ),
        ),
        (lang.text("out-score"), lang.decimal(m.objective.score, 4)),
        (
            lang.text("out-unmatched-count"),
            m.unmatched_trainees.len().to_string(),
        ),
        (
            lang.text("out-open-count"),
            m.unfilled_positions
                .iter()
                .map(|u| u64::from(u.open))
                .sum::<u64>()
                .to_string(),
        ),
        (
            lang.text("out-eligible-pairs"),
            m.solver.eligible_pairs.to_string(),
        ),
        (
            lang.text("out-input"),
            m.input_sha256.chars().take(12).collect(),
        ),
    ];
    if let Some(gap) = m.gap {
        facts.insert(
            1,
            (
                lang.text("out-gap"),
                format!("{}%", lang.decimal(gap * 100.0, 2)),
            ),
        );
    }
    if let Some(inf) = &m.infeasibility {
        facts.insert(1, (lang.text("out-infeasible-why"), inf.summary.clone()));
    }
    facts
}

/// The shortlists employer by employer (by name), each employer's in the
/// document's order: what the workbook's employer sheets and the report's
/// sections show.
pub fn shortlists_by_employer(s: &ShortlistSet) -> BTreeMap<&str, Vec<&Shortlist>> {
    let mut out: BTreeMap<&str, Vec<&Shortlist>> = BTreeMap::new();
    for list in &s.shortlists {
        out.entry(&list.employer).or_default().push(list);
    }
    out
}

/// The shortlists' summary lines: label and value.
pub fn shortlist_facts(s: &ShortlistSet, lang: Lang) -> Vec<(String, String)> {
    let o = &s.objective;
    let of = |n: String, of: String| lang.text_with("sl-of", &[arg("count", n), arg("of", of)]);
    vec![
        (lang.text("out-status"), status(lang, s.status)),
        (lang.text("out-proof"), proof(lang, &s.solver)),
        (
            lang.text("sl-fact-per-position"),
            s.per_position.to_string(),
        ),
        (lang.text("sl-fact-per-trainee"), s.per_trainee.to_string()),
        (
            lang.text("sl-fact-covered"),
            of(
                o.positions_covered.to_string(),
                o.open_positions.to_string(),
            ),
        ),
        (
            lang.text("sl-fact-used"),
            of(o.places_used.to_string(), o.places_wanted.to_string()),
        ),
        (lang.text("out-score"), lang.decimal(o.score, 4)),
        (
            lang.text("sl-fact-none"),
            s.not_shortlisted.len().to_string(),
        ),
        (
            lang.text("out-input"),
            s.input_sha256.chars().take(12).collect(),
        ),
    ]
}

/// `Flanders, Belgium (BE)`, or the code alone when it has no label.
pub fn destination_name(p: &Problem, code: &str) -> String {
    match p.destinations.iter().find(|d| d.code == code) {
        Some(d) if d.label != d.code => format!("{} ({})", d.label, d.code),
        _ => code.to_string(),
    }
}

/// A JSON value as people read it: text without quotes.
pub fn plain_value(v: &serde_json::Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), String::from)
}

/// `≥ 18%`, `18%–40%`.
pub fn share_bounds(min: f64, max: Option<f64>) -> String {
    let pct = |x: f64| format!("{}%", crate::words::num(x * 100.0));
    match max {
        Some(max) if min > 0.0 => format!("{}–{}", pct(min), pct(max)),
        Some(max) => format!("≤ {}", pct(max)),
        None => format!("≥ {}", pct(min)),
    }
}

/// The employer and destination of a vacancy, by id.
pub fn vacancy_employer(p: &Problem, id: &str) -> (String, String) {
    p.vacancies
        .iter()
        .find(|v| v.id == id)
        .map(|v| {
            (
                p.employers[v.employer].clone(),
                p.destinations[v.dest].code.clone(),
            )
        })
        .unwrap_or_default()
}

/// Each employer's vacancies (indexes), employers and vacancies by name and id.
pub fn by_employer(p: &Problem) -> BTreeMap<String, Vec<usize>> {
    let mut out: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, v) in p.vacancies.iter().enumerate() {
        out.entry(p.employers[v.employer].clone())
            .or_default()
            .push(i);
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| p.vacancies[*a].id.cmp(&p.vacancies[*b].id));
    }
    out
}

/// One line of an employer's sheet: a placement, or an open position.
pub struct EmployerLine<'m> {
    pub vacancy: String,
    pub title: String,
    pub destination: String,
    pub positions: u32,
    pub matched: Option<&'m Match>,
    pub status: String,
}

/// An employer's vacancies: who starts, and why a position stays open,
/// by reason code and counts only.
pub fn employer_lines<'m>(
    p: &Problem,
    m: &'m MatchSet,
    vacancies: &[usize],
    lang: Lang,
) -> Vec<EmployerLine<'m>> {
    let mut lines = Vec::new();
    for &vi in vacancies {
        let v = &p.vacancies[vi];
        let line = |matched: Option<&'m Match>, status: String| EmployerLine {
            vacancy: v.id.clone(),
            title: v.title.clone().unwrap_or_default(),
            destination: p.destinations[v.dest].code.clone(),
            positions: v.positions,
            matched,
            status,
        };
        for x in m.matches.iter().filter(|x| x.vacancy == v.id) {
            lines.push(line(Some(x), lang.text("out-status-placed")));
        }
        if let Some(u) = m.unfilled_positions.iter().find(|u| u.vacancy == v.id) {
            let why: Vec<String> = u
                .reasons
                .iter()
                .map(|r| reason_label(lang, &r.code))
                .collect();
            let status = lang.text_with(
                "out-status-open",
                &[arg("count", u.open), arg("why", why.join("; "))],
            );
            lines.push(line(None, status));
        }
    }
    lines
}

/// The nearest change that would place an unmatched trainee, from the
/// explanations when the match set carries them: a verified what-if that
/// places them, else the nearest data change and what solving again with it
/// showed.
pub fn nearest_change(m: &MatchSet, trainee: &str, lang: Lang) -> Option<String> {
    let report = m
        .explanations
        .as_ref()?
        .unmatched_trainees
        .iter()
        .find(|r| r.trainee == trainee)?;
    let placed_at = |e: &crate::documents::explanation::Effect| {
        e.moves
            .iter()
            .find(|mv| mv.trainee == trainee)
            .and_then(|mv| mv.to.clone())
            .filter(|_| e.feasible)
    };
    if let Some((e, v)) = report
        .changes
        .iter()
        .find_map(|e| placed_at(e).map(|v| (e, v)))
    {
        return Some(format!(
            "{} → {}",
            e.description,
            lang.text_with("nearest-placed", &[arg("vacancy", v)])
        ));
    }
    let miss = report.nearest_misses.iter().find(|g| g.fixable)?;
    let shown: Vec<&str> = miss.vacancies.iter().take(5).map(String::as_str).collect();
    let more = if miss.vacancies.len() > shown.len() {
        ", …"
    } else {
        ""
    };
    let mut text = format!("{} ({}{more})", miss.needs.join("; "), shown.join(", "));
    if let Some(e) = &report.if_nearest_fixed {
        let then = match placed_at(e) {
            Some(v) => lang.text_with("nearest-placed", &[arg("vacancy", v)]),
            None => lang.text("nearest-still-unplaced"),
        };
        text.push_str(&format!(" → {then}"));
    }
    Some(text)
}

/// A comparison's columns (the base, then each variant) and its side-by-side
/// rows: label, then one value per column. `score` writes a score.
pub fn comparison_rows(
    c: &Comparison,
    lang: Lang,
    score: impl Fn(f64) -> String,
) -> (Vec<&Column>, Vec<(String, Vec<String>)>) {
    let columns: Vec<&Column> = std::iter::once(&c.base)
        .chain(c.variants.iter().map(|v| &v.column))
        .collect();
    let row = |key: &str, value: &dyn Fn(&Column) -> String| {
        (lang.text(key), columns.iter().map(|c| value(c)).collect())
    };
    let mut rows = vec![
        row("out-file", &|c| c.file.clone()),
        row("out-status", &|c| status(lang, c.status)),
        row("out-placed", &|c| c.placements.to_string()),
        row("out-score", &|c| score(c.score)),
        row("out-open", &|c| c.unfilled_positions.to_string()),
    ];
    let dests: std::collections::BTreeSet<&String> =
        columns.iter().flat_map(|c| c.destinations.keys()).collect();
    for d in dests {
        rows.push((
            format!("{}: {d}", lang.text("out-placed")),
            columns
                .iter()
                .map(|c| c.destinations.get(d).map_or("–".into(), |n| n.to_string()))
                .collect(),
        ));
    }
    (columns, rows)
}
