//! The reasons of trainees eligible nowhere: every rule at every vacancy
//! (`by_scan`, the definition) against the vacancy index, side by side.
//!
//! ```text
//! cargo run --release --example reasons -- [--runs N] SCENARIO...
//! ```
//!
//! For each scenario: the trainees with no eligible pair, the vacancies, the
//! eligible pairs, then the median wall time of N runs of each way for all of
//! those trainees (the index's time includes building it), and whether the two
//! agree. Printed as a Markdown table; no solve is needed, so national sizes
//! take seconds.

use std::path::Path;
use std::time::Instant;

use palim::eligibility::Eligibility;
use palim::match_set::ineligible::{by_scan, VacancyIndex};
use palim::validate::{self, LoadOptions};

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("reasons: {why}");
            std::process::ExitCode::from(2)
        }
    }
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut runs = 3;
    let mut files = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => {
                runs = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .filter(|&n: &usize| n > 0)
                    .ok_or("--runs needs a whole number of runs, at least 1")?
            }
            file => files.push(file.to_string()),
        }
    }
    if files.is_empty() {
        return Err("usage: reasons [--runs N] SCENARIO...".to_string());
    }
    println!("| scenario | trainees eligible nowhere | vacancies | eligible pairs | every rule at every vacancy ms | index ms | ratio | same reasons |");
    println!("|---|---:|---:|---:|---:|---:|---:|---|");
    for file in &files {
        let path = Path::new(file);
        let p = validate::load_file(path, &LoadOptions::default())
            .map_err(|e| format!("{file}: {e}"))?;
        let e = Eligibility::build(&p);
        let nowhere: Vec<usize> = (0..p.trainees.len())
            .filter(|&t| e.of_trainee(t).is_empty())
            .collect();
        let (mut scan_ms, mut index_ms) = (Vec::new(), Vec::new());
        let (mut scanned, mut indexed) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            let clock = Instant::now();
            scanned = nowhere.iter().map(|&t| by_scan(&p, t)).collect();
            scan_ms.push(clock.elapsed().as_secs_f64() * 1e3);
            let clock = Instant::now();
            let index = VacancyIndex::build(&p).ok_or(format!("{file}: cannot be indexed"))?;
            indexed = nowhere.iter().map(|&t| index.failures(&p, t)).collect();
            index_ms.push(clock.elapsed().as_secs_f64() * 1e3);
        }
        let (scan, index) = (median(scan_ms), median(index_ms));
        let name = path
            .file_name()
            .map_or(file.clone(), |n| n.to_string_lossy().into_owned());
        println!(
            "| {name} | {} | {} | {} | {scan:.1} | {index:.1} | {:.0}× | {} |",
            nowhere.len(),
            p.vacancies.len(),
            e.pairs.len(),
            scan / index.max(1e-9),
            if scanned == indexed { "yes" } else { "NO" }
        );
    }
    Ok(())
}
