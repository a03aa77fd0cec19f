//! A comparison of scenarios as a terminal table and as Markdown.

use std::collections::BTreeMap;

use comfy_table::{presets, Cell, CellAlignment, ContentArrangement, Table};

use crate::documents::comparison::{Column, Comparison, Round};
use crate::words;

/// The comparison as text: the headline table, then each variant's changes.
pub fn table(c: &Comparison) -> String {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(110);
    let mut header = vec![
        Cell::new(""),
        Cell::new(format!("base: {}", c.base.scenario)),
    ];
    header.extend(c.variants.iter().map(|v| Cell::new(&v.column.scenario)));
    t.set_header(header);
    let cols: Vec<&Column> = std::iter::once(&c.base)
        .chain(c.variants.iter().map(|v| &v.column))
        .collect();
    let row = |label: &str, f: &dyn Fn(&Column) -> String| {
        let mut r = vec![Cell::new(label)];
        r.extend(
            cols.iter()
                .map(|col| Cell::new(f(col)).set_alignment(CellAlignment::Right)),
        );
        r
    };
    t.add_row(row("status", &|col| {
        format!("{:?}", col.status).to_lowercase()
    }));
    t.add_row(row("placements", &|col| col.placements.to_string()));
    let dests = union_keys(&cols, |c| &c.destinations);
    for d in &dests {
        t.add_row(row(&format!("  in {d}"), &|col| {
            col.destinations
                .get(d)
                .map_or("—".into(), |n| n.to_string())
        }));
    }
    t.add_row(row("total score", &|col| words::num(col.score)));
    let shares = union_keys(&cols, |c| &c.group_shares);
    for s in &shares {
        t.add_row(row(&format!("share {s}"), &|col| {
            col.group_shares
                .get(s)
                .map_or("—".into(), |x| format!("{}%", words::num(x * 100.0)))
        }));
    }
    t.add_row(row("unfilled positions", &|col| {
        col.unfilled_positions.to_string()
    }));
    t.add_row(row("at its bound", &|col| {
        if col.binding.is_empty() {
            "—".into()
        } else {
            col.binding.join(", ")
        }
    }));
    for d in &dests {
        t.add_row(row(&format!("main obstacle in {d}"), &|col| {
            col.obstacles.get(d).cloned().unwrap_or_else(|| "—".into())
        }));
    }
    let mut out = format!("{t}\n");
    for v in &c.variants {
        out.push_str(&format!(
            "\n{} compared with {}:\n",
            v.column.scenario, c.base.scenario
        ));
        if let Some(r) = &v.round {
            out.push_str(&round(r));
        }
        if v.people.is_empty() && v.vacancies.is_empty() {
            out.push_str("  no change\n");
            continue;
        }
        for p in &v.people {
            let line = match p.change.as_str() {
                "moved" => format!(
                    "{} moved: {} → {}",
                    p.trainee,
                    p.from.as_deref().unwrap_or("-"),
                    p.to.as_deref().unwrap_or("-")
                ),
                "newly_matched" => format!(
                    "{} newly matched: {} from {}",
                    p.trainee,
                    p.to.as_deref().unwrap_or("-"),
                    p.start_after.map_or(String::new(), |d| d.to_string())
                ),
                "newly_unmatched" => format!(
                    "{} newly unmatched (was at {}): {}",
                    p.trainee,
                    p.from.as_deref().unwrap_or("-"),
                    p.reasons
                        .iter()
                        .map(|r| format!("{} [{}]", r.message, r.code))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                "start_changed" => format!(
                    "{} starts at {} on {} instead of {}",
                    p.trainee,
                    p.to.as_deref().unwrap_or("-"),
                    p.start_after.map_or(String::new(), |d| d.to_string()),
                    p.start_before.map_or(String::new(), |d| d.to_string())
                ),
                other => format!("{} {other}", p.trainee),
            };
            out.push_str(&format!("  • {line}\n"));
        }
        for x in &v.vacancies {
            out.push_str(&format!(
                "  • {} {}: {} → {} filled\n",
                x.vacancy, x.change, x.before, x.after
            ));
        }
    }
    out + &super::unfinished(c.unfinished.as_deref())
}

/// An interview round in a few lines: who was interviewed, offered and
/// hired, and who and what needs another round.
fn round(r: &Round) -> String {
    let list = |items: &[String]| -> String {
        let shown: Vec<&str> = items.iter().take(8).map(String::as_str).collect();
        match items.len() - shown.len() {
            0 => shown.join(", "),
            more => format!("{} and {more} more", shown.join(", ")),
        }
    };
    let mut out = format!(
        "  interview round: {}\n",
        words::count(r.interviewed.len(), "interview", "interviews")
    );
    for (label, items) in [("offered", &r.offered), ("hired", &r.hired)] {
        if !items.is_empty() {
            out.push_str(&format!("    {label} ({}): {}\n", items.len(), list(items)));
        }
    }
    if !r.trainees_for_another_round.is_empty() {
        out.push_str(&format!(
            "    another round for {}: {}\n",
            words::count(r.trainees_for_another_round.len(), "trainee", "trainees"),
            list(&r.trainees_for_another_round)
        ));
    }
    if !r.vacancies_for_another_round.is_empty() {
        let open: Vec<String> = r
            .vacancies_for_another_round
            .iter()
            .map(|x| format!("{} ({} open)", x.vacancy, x.open))
            .collect();
        out.push_str(&format!(
            "    another round for {}: {}\n",
            words::count(open.len(), "vacancy", "vacancies"),
            list(&open)
        ));
    }
    out
}

/// The headline comparison as a Markdown table (for reports and READMEs).
pub fn markdown(c: &Comparison) -> String {
    let cols: Vec<&Column> = std::iter::once(&c.base)
        .chain(c.variants.iter().map(|v| &v.column))
        .collect();
    let dests = union_keys(&cols, |c| &c.destinations);
    let mut out = String::from("| scenario | status | placements |");
    for d in &dests {
        out.push_str(&format!(" {d} |"));
    }
    out.push_str(" score | open positions | at its bound |");
    for d in &dests {
        out.push_str(&format!(" main obstacle in {d} |"));
    }
    out.push('\n');
    out.push_str(&"|---".repeat(6 + 2 * dests.len()));
    out.push_str("|\n");
    for col in cols {
        let file = col.file.rsplit('/').next().unwrap_or(&col.file);
        let status = format!("{:?}", col.status).to_lowercase();
        out.push_str(&format!(
            "| {} (`{file}`) | {status} | {} |",
            col.scenario, col.placements
        ));
        for d in &dests {
            out.push_str(&format!(
                " {} |",
                col.destinations
                    .get(d)
                    .map_or("—".into(), |n| n.to_string())
            ));
        }
        let binding = if col.binding.is_empty() {
            "—".to_string()
        } else {
            col.binding.join(", ")
        };
        out.push_str(&format!(
            " {} | {} | {binding} |",
            words::num(col.score),
            col.unfilled_positions
        ));
        for d in &dests {
            out.push_str(&format!(
                " {} |",
                col.obstacles.get(d).cloned().unwrap_or_else(|| "—".into())
            ));
        }
        out.push('\n');
    }
    out + &super::unfinished(c.unfinished.as_deref())
}

/// Every key any column has in one of its maps, sorted.
fn union_keys<V>(cols: &[&Column], map: impl Fn(&Column) -> &BTreeMap<String, V>) -> Vec<String> {
    let keys: std::collections::BTreeSet<&String> =
        cols.iter().flat_map(|c| map(c).keys()).collect();
    keys.into_iter().cloned().collect()
}
