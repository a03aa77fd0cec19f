//! Workbooks against JSON, side by side in one process, for the benchmark
//! table: reading a scenario as JSON and as the same scenario's `.xlsx`,
//! writing that workbook, and writing the results workbook and the HTML
//! report of its match set.
//!
//! ```text
//! cargo run --release --example workbooks -- [--runs N] SCENARIO.json...
//! ```
//!
//! Each number is the median wall time of N runs. The issue's targets: a
//! workbook reads in at most 2× the JSON's time, and the results workbook of a
//! 10,000 × 8,000 scenario writes in under 5 s.

use std::path::{Path, PathBuf};
use std::time::Instant;

use palim::app::files;
use palim::input::load;
use palim::input::validate::LoadOptions;
use palim::lang::Lang;

mod support;

fn main() -> std::process::ExitCode {
    support::exit("workbooks", run())
}

fn time<T>(runs: usize, mut f: impl FnMut() -> Result<T, String>) -> Result<(f64, T), String> {
    let mut samples = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        last = Some(f()?);
        samples.push(start.elapsed().as_secs_f64());
    }
    Ok((support::median(samples), last.ok_or("no run")?))
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut runs = 3;
    let mut scenarios = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => runs = support::runs(it.next())?,
            f => scenarios.push(PathBuf::from(f)),
        }
    }
    let out = Path::new("target/bench");
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    let opts = LoadOptions::default();
    let err = |e: palim::PalimError| e.to_string();
    println!("| scenario | JSON read s | workbook write s | workbook read s | read ratio | results workbook s | report s | workbook MiB |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for json in &scenarios {
        let stem = json
            .file_stem()
            .map_or("scenario".into(), |s| s.to_string_lossy().to_string());
        let xlsx = out.join(format!("{stem}.xlsx"));
        let (json_read, problem) = time(runs, || load::load_file(json, &opts).map_err(err))?;
        let scenario = files::read_scenario(json, &opts).map_err(err)?;
        let model = files::model_of(&scenario, &opts);
        let (write, ()) = time(runs, || {
            files::write_scenario(&xlsx, &scenario, model.as_ref(), Lang::En).map_err(err)
        })?;
        let (book_read, from_book) = time(runs, || load::load_file(&xlsx, &opts).map_err(err))?;
        if from_book.trainees.len() != problem.trainees.len()
            || from_book.vacancies.len() != problem.vacancies.len()
        {
            return Err(format!(
                "{}: the workbook does not read as the JSON",
                xlsx.display()
            ));
        }
        let m = palim::solve(&problem, &palim::SolveOptions::default()).map_err(err)?;
        let result = out.join(format!("{stem}.result.xlsx"));
        let (result_write, ()) = time(runs, || {
            let bytes = palim::render::workbook::result_workbook(&problem, &m, Lang::Nl)
                .map_err(|e| e.to_string())?;
            std::fs::write(&result, bytes).map_err(|e| e.to_string())
        })?;
        let report = out.join(format!("{stem}.report.html"));
        let (report_write, ()) = time(runs, || {
            std::fs::write(&report, palim::render::html::report(&problem, &m, Lang::Nl))
                .map_err(|e| e.to_string())
        })?;
        let mib = std::fs::metadata(&xlsx).map_or(0.0, |m| m.len() as f64 / 1_048_576.0);
        println!(
            "| {} | {json_read:.3} | {write:.3} | {book_read:.3} | {:.2}× | {result_write:.3} | {report_write:.3} | {mib:.1} |",
            support::file_name(&json.to_string_lossy()),
            book_read / json_read
        );
    }
    Ok(())
}
