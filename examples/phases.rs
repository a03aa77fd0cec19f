//! Time each phase of a solve, in one process, for the benchmark table.
//!
//! ```text
//! cargo run --release --example phases -- [--runs N] [--engine auto|highs|flow] SCENARIO...
//! ```
//!
//! For each scenario: read, parse, validate, eligibility, solve (model build
//! and solver), audit, explain (the match set's reasons), write — the median
//! wall time of N runs per phase — then the eligible pairs, the engine and
//! proof, and the process's peak memory (VmHWM) after the scenario. Printed as
//! a Markdown table. Scenarios are measured in the order given, so the peak
//! memory of a later row includes earlier ones only when they were larger.

use std::time::Instant;

use palim::eligibility::Eligibility;
use palim::input::validate::{self, LoadOptions};
use palim::solve::optimize::{self, Engine, Outcome, SolveOptions};

const PHASES: [&str; 8] = [
    "read",
    "parse",
    "validate",
    "eligibility",
    "solve",
    "audit",
    "explain",
    "write",
];

mod support;

fn main() -> std::process::ExitCode {
    support::exit("phases", run())
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut runs = 3;
    let mut engine = Engine::Auto;
    let mut files = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => runs = support::runs(it.next())?,
            "--engine" => {
                engine = match it.next().map(String::as_str) {
                    Some("highs") => Engine::Highs,
                    Some("flow") => Engine::Flow,
                    _ => Engine::Auto,
                }
            }
            f => files.push(f.to_string()),
        }
    }
    println!(
        "| scenario | pairs | {} | total ms | engine / proof | peak MiB | input MiB |",
        PHASES.map(|p| format!("{p} ms")).join(" | ")
    );
    println!(
        "|---|---:|{}---:|---|---:|---:|",
        "---:|".repeat(PHASES.len())
    );
    for file in &files {
        let mut samples: Vec<[f64; PHASES.len()]> = Vec::new();
        let mut last = (0usize, String::new());
        for _ in 0..runs.max(1) {
            let mut t = [0.0; PHASES.len()];
            let mut clock = Instant::now();
            let mut lap = |i: usize, t: &mut [f64; PHASES.len()]| {
                t[i] = clock.elapsed().as_secs_f64() * 1000.0;
                clock = Instant::now();
            };
            let text = std::fs::read_to_string(file)
                .map_err(|e| format!("cannot read the scenario {file}: {e}"))?;
            lap(0, &mut t);
            let value: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| format!("{file} is not JSON: {e}"))?;
            drop(value);
            lap(1, &mut t);
            let problem =
                validate::load_str(&text, file, &LoadOptions::default()).map_err(|e| e.plain())?;
            // Validation parses the text again; its own share is the rest.
            lap(2, &mut t);
            t[2] = (t[2] - t[1]).max(0.0);
            let elig = Eligibility::build(&problem);
            lap(3, &mut t);
            let opts = SolveOptions {
                engine,
                ..SolveOptions::default()
            };
            let outcome =
                optimize::solve(&problem, &elig, &opts).map_err(|e| format!("{file}: {e}"))?;
            lap(4, &mut t);
            if let Outcome::Solved(sol) = &outcome {
                let broken = palim::solve::audit::violations(&problem, &elig, &sol.chosen);
                if !broken.is_empty() {
                    return Err(format!("{file}: the answer breaks {broken:?}"));
                }
            }
            lap(5, &mut t);
            let infeasibility = match &outcome {
                Outcome::Infeasible => Some(
                    palim::solve::diagnose::explain_infeasibility(&problem, &elig, None)
                        .map_err(|e| format!("{file}: {e}"))?,
                ),
                _ => None,
            };
            let set = palim::analysis::match_set::build(&problem, &elig, &outcome, infeasibility);
            lap(6, &mut t);
            let json = palim::app::service::to_json(&set);
            lap(7, &mut t);
            last = (
                elig.pairs.len(),
                format!(
                    "{} / {}",
                    set.solver.engine.split(' ').next().unwrap_or(""),
                    set.solver
                        .phases
                        .iter()
                        .map(|p| p.proof.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            drop(json);
            samples.push(t);
        }
        let medians: Vec<f64> = (0..PHASES.len())
            .map(|i| support::median(samples.iter().map(|s| s[i]).collect()))
            .collect();
        let total: f64 = medians.iter().sum();
        let input = std::fs::metadata(file).map_or(0, |m| m.len()) as f64 / 1048576.0;
        println!(
            "| {} | {} | {} | {:.1} | {} | {:.0} | {:.1} |",
            support::file_name(file),
            last.0,
            medians
                .iter()
                .map(|m| format!("{m:.1}"))
                .collect::<Vec<_>>()
                .join(" | "),
            total,
            last.1,
            peak_mib(),
            input
        );
    }
    Ok(())
}

/// The process's peak resident memory so far, in MiB (Linux; 0 elsewhere).
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|kb| kb.parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
