//! What the benchmark examples share: the exit, `--runs`, medians and the
//! file names their tables print.

use std::path::Path;
use std::process::ExitCode;

/// Run an example's body: an error is printed with the example's name and
/// exits 2, as palim does for bad input.
pub fn exit(name: &str, result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("{name}: {why}");
            ExitCode::from(2)
        }
    }
}

/// The value after `--runs`.
pub fn runs(value: Option<&String>) -> Result<usize, String> {
    value
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| "--runs needs a whole number of runs".to_string())
}

/// The median of at least one sample.
pub fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// A scenario's file name, for a table row.
pub fn file_name(file: &str) -> String {
    Path::new(file)
        .file_name()
        .map_or(file.to_string(), |n| n.to_string_lossy().into_owned())
}
