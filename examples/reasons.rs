//! The reasons of trainees eligible nowhere and of vacancies nobody is
//! eligible for: every rule for every pair (`by_scan`, the definition) against
//! the indexes, side by side.
//!
//! ```text
//! cargo run --release --example reasons -- [--runs N] SCENARIO...
//! ```
//!
//! For each scenario: its size and eligible pairs, then for the trainees with
//! no eligible pair and for the vacancies with none, how many there are and the
//! median wall time of N runs of each way (the index's includes building it),
//! and whether the two ways agree. Printed as a Markdown table; no solve is
//! needed, so national sizes take seconds.

use std::path::Path;
use std::time::Instant;

use palim::analysis::match_set::nobody;
use palim::analysis::match_set::nowhere::{by_scan, VacancyIndex};
use palim::eligibility::Eligibility;
use palim::input::validate::LoadOptions;

mod support;

fn main() -> std::process::ExitCode {
    support::exit("reasons", run())
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut runs = 3;
    let mut files = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => runs = support::runs(it.next())?.max(1),
            file => files.push(file.to_string()),
        }
    }
    if files.is_empty() {
        return Err("usage: reasons [--runs N] SCENARIO...".to_string());
    }
    println!("| scenario | trainees × vacancies | eligible pairs | trainees eligible nowhere | scan ms | index ms | vacancies nobody is eligible for | scan ms | index ms | same reasons |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
    for file in &files {
        let p = palim::input::load::load_file(Path::new(file), &LoadOptions::default())
            .map_err(|e| format!("{file}: {e}"))?;
        let e = Eligibility::build(&p);
        let nowhere: Vec<usize> = (0..p.trainees.len())
            .filter(|&t| e.of_trainee(t).is_empty())
            .collect();
        let nobody: Vec<usize> = (0..p.vacancies.len())
            .filter(|&v| e.of_vacancy(v).is_empty())
            .collect();
        let mut ms = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
        let mut same = true;
        for _ in 0..runs {
            let clock = Instant::now();
            let scanned: Vec<_> = nowhere.iter().map(|&t| by_scan(&p, t)).collect();
            ms[0].push(clock.elapsed().as_secs_f64() * 1e3);
            let clock = Instant::now();
            let index = VacancyIndex::build(&p).ok_or(format!("{file}: cannot be indexed"))?;
            let indexed: Vec<_> = nowhere.iter().map(|&t| index.failures(&p, t)).collect();
            ms[1].push(clock.elapsed().as_secs_f64() * 1e3);
            same &= scanned == indexed;

            let clock = Instant::now();
            let scanned: Vec<_> = nobody.iter().map(|&v| nobody::by_scan(&p, v)).collect();
            ms[2].push(clock.elapsed().as_secs_f64() * 1e3);
            let clock = Instant::now();
            let indexed =
                nobody::excluded(&p, &nobody).ok_or(format!("{file}: cannot be indexed"))?;
            ms[3].push(clock.elapsed().as_secs_f64() * 1e3);
            same &= scanned == indexed;
        }
        let [a, b, c, d] = ms.map(support::median);
        let name = support::file_name(file);
        println!(
            "| {name} | {} × {} | {} | {} | {a:.1} | {b:.1} | {} | {c:.1} | {d:.1} | {} |",
            p.trainees.len(),
            p.vacancies.len(),
            e.pairs.len(),
            nowhere.len(),
            nobody.len(),
            if same { "yes" } else { "NO" }
        );
    }
    Ok(())
}
