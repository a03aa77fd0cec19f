//! One self-contained HTML file for people who have never seen an integer
//! program: inline CSS and SVG, no script, no external request, and a print
//! style so that "print to PDF" gives a report a steering committee can read:
//! the match set's (here), a comparison's, and the interview shortlists'
//! (`shortlist`).

mod shortlist;

pub use shortlist::shortlist_report;

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::documents::comparison::Comparison;
use crate::documents::match_set::MatchSet;
use crate::lang::{arg, Lang};
use crate::model::problem::Problem;
use crate::render::people;

const STYLE: &str = r#"
:root { --ink:#1d2733; --muted:#5b6b7c; --line:#d5dde6; --placed:#2f6db3; --quota:#c2410c; --ok:#2e7d32; --bg:#f6f8fa; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
.sub { color: var(--muted); margin: 0 0 16px; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 16px 0; }
.card { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 160px; }
.card b { display: block; font-size: 26px; }
.proof { background: #eef6ee; border-left: 4px solid var(--ok); padding: 8px 12px; margin: 8px 0; }
.warn { background: #fdf0e7; border-left: 4px solid var(--quota); padding: 8px 12px; margin: 8px 0; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: var(--bg); }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.d { white-space: nowrap; }
ul.reasons { margin: 0; padding-left: 18px; }
.code { color: var(--muted); font-size: 11px; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; }
figure { margin: 0; } figcaption { color: var(--muted); font-size: 13px; }
svg text { font: 12px system-ui, sans-serif; fill: var(--ink); }
@media print { body { padding: 0; max-width: none; font-size: 11px; } h2 { break-after: avoid; } tr, .card, figure { break-inside: avoid; } @page { size: A4; margin: 14mm; } }
"#;

pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub(crate) fn page(lang: Lang, title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        lang.code(),
        esc(title)
    )
}

/// The match set as a report.
pub fn report(p: &Problem, m: &MatchSet, lang: Lang) -> String {
    let mut b = String::new();
    let _ = writeln!(b, "<h1>{}</h1>", esc(&m.scenario));
    let _ = writeln!(
        b,
        "<p class=\"sub\">{}</p>",
        esc(&lang.text("report-subtitle"))
    );
    summary(&mut b, p, m, lang);
    charts(&mut b, p, m, lang);
    matches(&mut b, m, lang);
    unmatched(&mut b, m, lang);
    open_positions(&mut b, p, m, lang);
    stability(&mut b, m, lang);
    let _ = writeln!(
        b,
        "<p class=\"sub\">{}</p>",
        esc(&lang.text_with(
            "report-footer",
            &[arg(
                "input",
                m.input_sha256.chars().take(12).collect::<String>()
            )]
        ))
    );
    page(lang, &m.scenario, &b)
}

fn summary(b: &mut String, p: &Problem, m: &MatchSet, lang: Lang) {
    let positions: u64 = p.vacancies.iter().map(|v| u64::from(v.positions)).sum();
    let open: u64 = m.unfilled_positions.iter().map(|u| u64::from(u.open)).sum();
    let _ = writeln!(b, "<div class=\"cards\">");
    let cards = [
        (
            m.objective.placements.to_string(),
            lang.text_with("report-card-placed", &[arg("trainees", p.trainees.len())]),
        ),
        (
            m.unmatched_trainees.len().to_string(),
            lang.text("out-unmatched-count"),
        ),
        (
            open.to_string(),
            lang.text_with("report-card-open", &[arg("positions", positions)]),
        ),
    ];
    for (big, label) in cards {
        let _ = writeln!(
            b,
            "<div class=\"card\"><b>{}</b>{}</div>",
            esc(&big),
            esc(&label)
        );
    }
    let _ = writeln!(b, "</div>");
    let class = if m.status == crate::documents::match_set::ResultStatus::Optimal {
        "proof"
    } else {
        "warn"
    };
    let status = people::status(lang, m.status);
    let _ = writeln!(
        b,
        "<p class=\"{class}\"><b>{}</b> {}</p>",
        esc(&status),
        esc(&lang.text(&format!("report-status-{}", status_key(m))))
    );
    let _ = writeln!(
        b,
        "<p class=\"sub\">{}: {}</p>",
        esc(&lang.text("out-proof")),
        esc(&people::proof(lang, &m.solver))
    );
    if let Some(inf) = &m.infeasibility {
        let _ = writeln!(b, "<p class=\"warn\">{}</p><ul>", esc(&inf.summary));
        for f in &inf.facts {
            let _ = writeln!(b, "<li>{}</li>", esc(f));
        }
        let _ = writeln!(b, "</ul>");
    }
}

fn status_key(m: &MatchSet) -> &'static str {
    m.status.code()
}

/// Horizontal bars: one row per item, a bar for the value, a tick for the
/// target; `max` scales the axis.
fn bars(rows: &[(String, f64, Option<f64>, String)], max: f64, legend: (&str, &str)) -> String {
    // Labels get the width their longest needs (about 7 px a character).
    let longest = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0) as f64;
    let label_w = (longest * 7.0 + 10.0).clamp(90.0, 330.0);
    let (w, row_h) = (label_w + 380.0, 26.0);
    let h = row_h * rows.len() as f64 + 30.0;
    let scale = |x: f64| label_w + (w - label_w - 60.0) * (x / max.max(1e-9)).min(1.0);
    let mut s = format!("<svg role=\"img\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\">");
    for (i, (label, value, target, shown)) in rows.iter().enumerate() {
        let y = i as f64 * row_h + 4.0;
        let _ = write!(
            s,
            "<text x=\"0\" y=\"{:.1}\">{}</text>",
            y + 15.0,
            esc(label)
        );
        let _ = write!(
            s,
            "<rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"18\" fill=\"#2f6db3\"/>",
            scale(*value) - label_w
        );
        if let Some(t) = target {
            let x = scale(*t);
            let _ = write!(s, "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#c2410c\" stroke-width=\"3\"/>", y - 2.0, y + 20.0);
        }
        let end = scale(value.max(target.unwrap_or(0.0)));
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            end + 6.0,
            y + 15.0,
            esc(shown)
        );
    }
    let ly = h - 8.0;
    let _ = write!(s, "<rect x=\"{label_w}\" y=\"{:.1}\" width=\"12\" height=\"10\" fill=\"#2f6db3\"/><text x=\"{:.1}\" y=\"{ly:.1}\">{}</text>", ly - 9.0, label_w + 16.0, esc(legend.0));
    if !legend.1.is_empty() {
        let _ = write!(s, "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"3\" height=\"12\" fill=\"#c2410c\"/><text x=\"{:.1}\" y=\"{ly:.1}\">{}</text>", label_w + 150.0, ly - 10.0, label_w + 158.0, esc(legend.1));
    }
    s.push_str("</svg>");
    s
}

fn charts(b: &mut String, p: &Problem, m: &MatchSet, lang: Lang) {
    let _ = writeln!(
        b,
        "<h2>{}</h2><div class=\"charts\">",
        esc(&lang.text("report-charts"))
    );
    let rows: Vec<_> = m
        .destinations
        .iter()
        .map(|(code, d)| {
            let target = d.max.map(f64::from);
            let shown = match d.max {
                Some(max) => format!("{} / {max}", d.placed),
                None => d.placed.to_string(),
            };
            (
                people::destination_name(p, code),
                d.placed as f64,
                target,
                shown,
            )
        })
        .collect();
    let max = rows
        .iter()
        .map(|r| r.1.max(r.2.unwrap_or(0.0)))
        .fold(1.0, f64::max);
    let _ = writeln!(
        b,
        "<figure>{}<figcaption>{}</figcaption></figure>",
        bars(
            &rows,
            max,
            (&lang.text("out-placed"), &lang.text("out-max"))
        ),
        esc(&lang.text("out-chart-destinations"))
    );
    if !m.group_shares.is_empty() {
        let rows: Vec<_> = m
            .group_shares
            .iter()
            .map(|s| {
                let label = format!(
                    "{} {} = {}",
                    s.destination.as_deref().unwrap_or("*"),
                    s.attribute,
                    people::plain_value(&s.value)
                );
                (
                    label,
                    s.share * 100.0,
                    Some(s.min_share * 100.0),
                    format!("{}%", crate::words::num((s.share * 1000.0).round() / 10.0)),
                )
            })
            .collect();
        let _ = writeln!(
            b,
            "<figure>{}<figcaption>{}</figcaption></figure>",
            bars(
                &rows,
                100.0,
                (&lang.text("out-share"), &lang.text("out-required"))
            ),
            esc(&lang.text("report-chart-shares"))
        );
    }
    for (dest, counts) in obstacles(p, m) {
        let mut top: Vec<_> = counts.into_iter().collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        top.truncate(5);
        let max = top.first().map_or(1.0, |t| t.1 as f64);
        let rows: Vec<_> = top
            .iter()
            .map(|(code, n)| {
                (
                    people::reason_label(lang, code),
                    *n as f64,
                    None,
                    n.to_string(),
                )
            })
            .collect();
        let caption = lang.text_with(
            "report-chart-obstacles",
            &[arg("destination", people::destination_name(p, &dest))],
        );
        let _ = writeln!(
            b,
            "<figure>{}<figcaption>{}</figcaption></figure>",
            bars(&rows, max, (&lang.text("report-trainees"), "")),
            esc(&caption)
        );
    }
    let _ = writeln!(b, "</div>");
}

/// Per destination: how many unmatched trainees each reason keeps from its vacancies.
fn obstacles(p: &Problem, m: &MatchSet) -> BTreeMap<String, BTreeMap<String, usize>> {
    let dest_of: BTreeMap<&str, &str> = p
        .vacancies
        .iter()
        .map(|v| (v.id.as_str(), p.destinations[v.dest].code.as_str()))
        .collect();
    let mut out: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for u in &m.unmatched_trainees {
        for r in &u.reasons {
            let dests: std::collections::BTreeSet<&str> = r
                .vacancy
                .iter()
                .chain(&r.vacancies)
                .filter_map(|v| dest_of.get(v.as_str()).copied())
                .collect();
            for d in dests {
                *out.entry(d.to_string())
                    .or_default()
                    .entry(r.code.clone())
                    .or_default() += 1;
            }
        }
    }
    out
}

fn matches(b: &mut String, m: &MatchSet, lang: Lang) {
    let _ = writeln!(
        b,
        "<h2>{} ({})</h2>",
        esc(&lang.text("out-sheet-matches")),
        m.matches.len()
    );
    let heads = [
        "trainee",
        "vacancy",
        "employer",
        "destination",
        "start-date",
        "score",
    ];
    let _ = write!(b, "<table><thead><tr>");
    for h in heads {
        let _ = write!(b, "<th>{}</th>", esc(&lang.text(&format!("out-{h}"))));
    }
    let _ = writeln!(b, "</tr></thead><tbody>");
    for x in &m.matches {
        let _ = writeln!(
            b,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
            esc(&x.trainee), esc(&x.vacancy), esc(&x.employer), esc(&x.destination), x.start_date, lang.decimal(x.score, 4)
        );
    }
    let _ = writeln!(b, "</tbody></table>");
}

fn unmatched(b: &mut String, m: &MatchSet, lang: Lang) {
    let _ = writeln!(
        b,
        "<h2>{} ({})</h2>",
        esc(&lang.text("out-sheet-unmatched")),
        m.unmatched_trainees.len()
    );
    if m.unmatched_trainees.is_empty() {
        let _ = writeln!(b, "<p>{}</p>", esc(&lang.text("report-none-unmatched")));
        return;
    }
    let _ = writeln!(
        b,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(&lang.text("out-trainee")),
        esc(&lang.text("out-reason")),
        esc(&lang.text("out-nearest-change"))
    );
    for u in &m.unmatched_trainees {
        let reasons = reason_list(lang, &u.reasons);
        let nearest = people::nearest_change(m, &u.trainee, lang)
            .unwrap_or_else(|| lang.text("report-no-nearest"));
        let _ = writeln!(
            b,
            "<tr><td>{}</td><td>{reasons}</td><td>{}</td></tr>",
            esc(&u.trainee),
            esc(&nearest)
        );
    }
    let _ = writeln!(b, "</tbody></table>");
}

/// Reasons as a list: each label in words, its case, its code.
pub(crate) fn reason_list(lang: Lang, reasons: &[crate::documents::parts::Reason]) -> String {
    let mut out = String::from("<ul class=\"reasons\">");
    for r in reasons {
        let _ = write!(
            out,
            "<li><b>{}</b>: {} <span class=\"code\">[{}]</span></li>",
            esc(&people::reason_label(lang, &r.code)),
            esc(&r.message),
            esc(&r.code)
        );
    }
    out.push_str("</ul>");
    out
}

fn open_positions(b: &mut String, p: &Problem, m: &MatchSet, lang: Lang) {
    let open: u64 = m.unfilled_positions.iter().map(|u| u64::from(u.open)).sum();
    let _ = writeln!(b, "<h2>{} ({open})</h2>", esc(&lang.text("out-sheet-open")));
    if m.unfilled_positions.is_empty() {
        return;
    }
    let _ = writeln!(b, "<table><thead><tr><th>{}</th><th>{}</th><th class=\"n\">{}</th><th>{}</th></tr></thead><tbody>", esc(&lang.text("out-vacancy")), esc(&lang.text("out-employer")), esc(&lang.text("out-open")), esc(&lang.text("out-reason")));
    for u in &m.unfilled_positions {
        let (employer, _) = people::vacancy_employer(p, &u.vacancy);
        let mut reasons = String::from("<ul class=\"reasons\">");
        for r in &u.reasons {
            let _ = write!(
                reasons,
                "<li><b>{}</b>: {}</li>",
                esc(&people::reason_label(lang, &r.code)),
                esc(&r.message)
            );
        }
        reasons.push_str("</ul>");
        let _ = writeln!(
            b,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{reasons}</td></tr>",
            esc(&u.vacancy),
            esc(&employer),
            u.open
        );
    }
    let _ = writeln!(b, "</tbody></table>");
}

/// When both sides rank (or `stable` is asked): the pairs who would both
/// rather have each other, and why no match set avoids them all.
fn stability(b: &mut String, m: &MatchSet, lang: Lang) {
    if let Some(pairs) = m.blocking_pairs.as_deref() {
        let _ = writeln!(
            b,
            "<h2>{} ({})</h2>\n<p class=\"sub\">{}</p>",
            esc(&lang.text("report-blocking")),
            pairs.len(),
            esc(&lang.text("report-blocking-help"))
        );
        if !pairs.is_empty() {
            let _ = writeln!(
                b,
                "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
                esc(&lang.text("out-trainee")),
                esc(&lang.text("out-vacancy")),
                esc(&lang.text("out-why"))
            );
            for x in pairs {
                let _ = writeln!(
                    b,
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&x.trainee),
                    esc(&x.vacancy),
                    esc(&x.why)
                );
            }
            let _ = writeln!(b, "</tbody></table>");
        }
    }
    if let Some(c) = &m.stability_conflict {
        let _ = writeln!(
            b,
            "<h2>{}</h2>\n<p class=\"warn\">{}</p>",
            esc(&lang.text("report-unstable")),
            esc(&c.summary)
        );
        if !c.facts.is_empty() {
            let _ = writeln!(b, "<ul>");
            for f in &c.facts {
                let _ = writeln!(b, "<li>{}</li>", esc(f));
            }
            let _ = writeln!(b, "</ul>");
        }
    }
}

/// A base and its what-ifs side by side, then every person whose outcome changes.
pub fn comparison_report(c: &Comparison, lang: Lang) -> String {
    let mut b = String::new();
    let _ = writeln!(b, "<h1>{}</h1>", esc(&lang.text("report-whatif-title")));
    let _ = writeln!(
        b,
        "<p class=\"sub\">{}</p>",
        esc(&lang.text("report-whatif-subtitle"))
    );
    let (columns, rows) = people::comparison_rows(c, lang, |x| lang.decimal(x, 4));
    let _ = write!(b, "<table><thead><tr><th></th>");
    for col in &columns {
        let _ = write!(b, "<th>{}</th>", esc(&col.scenario));
    }
    let _ = writeln!(b, "</tr></thead><tbody>");
    // The report names scenarios, not files.
    for (label, values) in rows.into_iter().skip(1) {
        let _ = write!(b, "<tr><th>{}</th>", esc(&label));
        for v in values {
            let _ = write!(b, "<td class=\"n\">{}</td>", esc(&v));
        }
        let _ = writeln!(b, "</tr>");
    }
    let _ = writeln!(b, "</tbody></table>");
    for v in &c.variants {
        let _ = writeln!(
            b,
            "<h2>{} ({})</h2>",
            esc(&v.column.scenario),
            v.people.len()
        );
        if v.people.is_empty() {
            let _ = writeln!(b, "<p>{}</p>", esc(&lang.text("report-nobody-changes")));
            continue;
        }
        let _ = writeln!(b, "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>", esc(&lang.text("out-trainee")), esc(&lang.text("out-change")), esc(&lang.text("out-from")), esc(&lang.text("out-to")), esc(&lang.text("out-reason")));
        for person in &v.people {
            let change = lang
                .lookup(&format!("change-{}", person.change))
                .unwrap_or_else(|| person.change.clone());
            let reason = person.reasons.first().map_or(String::new(), |r| {
                format!("{}: {}", people::reason_label(lang, &r.code), r.message)
            });
            let _ = writeln!(
                b,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&person.trainee),
                esc(&change),
                esc(person.from.as_deref().unwrap_or("–")),
                esc(person.to.as_deref().unwrap_or("–")),
                esc(&reason)
            );
        }
        let _ = writeln!(b, "</tbody></table>");
    }
    page(lang, &lang.text("report-whatif-title"), &b)
}
