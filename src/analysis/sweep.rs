//! Sweeps: one or two parameters varied over a range, every point solved, in
//! parallel on all cores, written as a CSV table and an SVG chart.
//!
//! A parameter is a dotted path into the scenario, as in a variant's `set`
//! (`destinations.BE.permit_days`), so every sweep point is exactly the
//! scenario a one-line variant would make.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde_json::Value;

use crate::documents::match_set::{MatchSet, ResultStatus};
use crate::error::{InputIssue, InvalidInput};
use crate::input::validate::{load_str, LoadOptions};
use crate::locate::JsonPath;
use crate::{PalimError, SolveOptions};

/// The most points one axis may have.
pub const MAX_POINTS: usize = 10_000;

/// `PATH=FROM..TO[:STEP]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub path: String,
    pub values: Vec<f64>,
}

impl Axis {
    /// Parse `destinations.BE.permit_days=30..180:15` (step 1 when absent).
    pub fn parse(spec: &str) -> Result<Axis, String> {
        let (path, range) = spec
            .split_once('=')
            .ok_or_else(|| format!("expected PATH=FROM..TO[:STEP], got \"{spec}\""))?;
        let (range, step) = match range.split_once(':') {
            Some((r, s)) => (
                r,
                s.parse::<f64>()
                    .map_err(|_| format!("step \"{s}\" is not a number"))?,
            ),
            None => (range, 1.0),
        };
        let (from, to) = range
            .split_once("..")
            .ok_or_else(|| format!("expected FROM..TO in \"{range}\""))?;
        let from: f64 = from
            .parse()
            .map_err(|_| format!("\"{from}\" is not a number"))?;
        let to: f64 = to
            .parse()
            .map_err(|_| format!("\"{to}\" is not a number"))?;
        if let Some(x) = [from, to, step].into_iter().find(|x| !x.is_finite()) {
            return Err(format!(
                "{x} is not a finite number; a range has finite ends and step"
            ));
        }
        if step <= 0.0 || to < from {
            return Err(format!("the range {from}..{to} with step {step} is empty"));
        }
        // Counted in floating point first (a huge count, even an infinite one,
        // is refused before the cast, which would saturate).
        let count = ((to - from) / step + 1e-9).floor() + 1.0;
        if count > MAX_POINTS as f64 {
            return Err(format!(
                "{} points is too many for one axis (at most {MAX_POINTS})",
                crate::fmt::num(count)
            ));
        }
        let n = count as usize;
        let values = (0..n).map(|i| from + step * i as f64).collect();
        Ok(Axis {
            path: path.trim().to_string(),
            values,
        })
    }
}

/// One solved point.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub values: Vec<f64>,
    pub status: ResultStatus,
    pub placements: usize,
    pub by_destination: BTreeMap<String, usize>,
    pub score: f64,
}

fn number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        Value::from(x as i64)
    } else {
        Value::from(x)
    }
}

/// The scenario document with `path` set to `value`; an error when the path
/// does not lead to a field of an existing object.
pub fn set_path(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let segs: Vec<&str> = path.split('.').collect();
    let (last, parents) = segs.split_last().ok_or("empty path")?;
    let mut here = doc;
    for seg in parents {
        here = here
            .get_mut(*seg)
            .filter(|v| v.is_object())
            .ok_or_else(|| format!("the scenario has no object at \"{seg}\" in \"{path}\""))?;
    }
    here.as_object_mut()
        .ok_or("not an object")?
        .insert((*last).to_string(), value);
    Ok(())
}

/// Solve every point of the grid, on `jobs` threads, calling `progress` after each.
pub fn run(
    scenario_text: &str,
    file: &str,
    axes: &[Axis],
    jobs: usize,
    opts: &LoadOptions,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<Point>, PalimError> {
    let base: Value = serde_json::from_str(scenario_text).map_err(|e| {
        PalimError::from(InvalidInput::new(
            file,
            scenario_text,
            vec![
                InputIssue::new("malformed_json", &JsonPath::root(), e.to_string())
                    .at_line(e.line(), e.column().max(1)),
            ],
        ))
    })?;
    let mut grid: Vec<Vec<f64>> = vec![Vec::new()];
    for axis in axes {
        grid = grid
            .into_iter()
            .flat_map(|g| {
                axis.values
                    .iter()
                    .map(move |&v| [g.clone(), vec![v]].concat())
            })
            .collect();
    }
    // Fail early, once, on a path that does not exist.
    for axis in axes {
        set_path(&mut base.clone(), &axis.path, number(axis.values[0])).map_err(|m| {
            PalimError::from(InvalidInput::new(
                file,
                scenario_text,
                vec![InputIssue::new("unknown_path", &JsonPath::root(), m)
                    .hint("use a dotted path to a field, e.g. destinations.BE.permit_days")],
            ))
        })?;
    }
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<Result<Point, PalimError>>>> =
        grid.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1).min(grid.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(values) = grid.get(i) else { break };
                let outcome = solve_point(&base, axes, values, file, opts);
                *results[i].lock().expect("a solver thread panicked") = Some(outcome);
                progress();
            });
        }
    });
    results
        .into_iter()
        .map(|m| {
            m.into_inner()
                .expect("a solver thread panicked")
                .expect("every point is solved")
        })
        .collect()
}

fn solve_point(
    base: &Value,
    axes: &[Axis],
    values: &[f64],
    file: &str,
    opts: &LoadOptions,
) -> Result<Point, PalimError> {
    let mut doc = base.clone();
    for (axis, &v) in axes.iter().zip(values) {
        set_path(&mut doc, &axis.path, number(v)).map_err(PalimError::Solver)?;
    }
    let label = format!(
        "{file} with {}",
        axes.iter()
            .zip(values)
            .map(|(a, v)| format!("{}={v}", a.path))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let text = serde_json::to_string_pretty(&doc).expect("JSON values serialise") + "\n";
    let problem = load_str(&text, &label, opts)?;
    let m: MatchSet = crate::solve(&problem, &SolveOptions::default())?;
    Ok(Point {
        values: values.to_vec(),
        status: m.status,
        placements: m.objective.placements,
        by_destination: m
            .destinations
            .iter()
            .map(|(k, d)| (k.clone(), d.placed))
            .collect(),
        score: m.objective.score,
    })
}

/// The points as CSV: one column per parameter, then status, placements per
/// destination, total placements and score. Written by the `csv` crate, so a
/// destination code or a path with a comma or a quote stays one field.
pub fn csv(axes: &[Axis], points: &[Point]) -> String {
    let dests: Vec<String> = points
        .first()
        .map(|p| p.by_destination.keys().cloned().collect())
        .unwrap_or_default();
    let mut out = csv::Writer::from_writer(Vec::new());
    // Writing to memory has no I/O to fail, and every record has the
    // header's length, so no write is refused.
    let mut header: Vec<String> = axes.iter().map(|a| a.path.clone()).collect();
    header.extend(["status".to_string(), "placements".to_string()]);
    header.extend(dests.iter().map(|d| format!("placements_{d}")));
    header.push("score".to_string());
    let _ = out.write_record(&header);
    for p in points {
        let mut row: Vec<String> = p.values.iter().map(|v| crate::fmt::num(*v)).collect();
        row.push(format!("{:?}", p.status).to_lowercase());
        row.push(p.placements.to_string());
        row.extend(
            dests
                .iter()
                .map(|d| p.by_destination.get(d).copied().unwrap_or(0).to_string()),
        );
        row.push(crate::fmt::num(p.score));
        let _ = out.write_record(&row);
    }
    out.into_inner()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

/// An SVG line chart of placements (total and per destination) against the
/// first parameter; with a second parameter, one line of total placements per
/// value of it.
pub fn svg(axes: &[Axis], points: &[Point], path: &Path) -> Result<(), PalimError> {
    use plotters::prelude::*;
    let draw = || -> Result<(), Box<dyn std::error::Error>> {
        let root = SVGBackend::new(path, (900, 540)).into_drawing_area();
        root.fill(&WHITE)?;
        let xs = &axes[0].values;
        let (x0, x1) = (xs[0], *xs.last().unwrap_or(&xs[0]));
        let ymax = points
            .iter()
            .map(|p| p.placements)
            .max()
            .unwrap_or(1)
            .max(1) as f64
            * 1.1;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("Placements against {}", axes[0].path),
                ("sans-serif", 22),
            )
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(x0..x1.max(x0 + 1e-9), 0.0..ymax)?;
        chart
            .configure_mesh()
            .x_desc(axes[0].path.as_str())
            .y_desc("placements")
            .draw()?;
        let palette = [BLUE, RED, GREEN, MAGENTA, CYAN, BLACK];
        let mut series: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
        if axes.len() == 1 {
            series.push((
                "total".into(),
                points
                    .iter()
                    .map(|p| (p.values[0], p.placements as f64))
                    .collect(),
            ));
            let dests: Vec<String> = points
                .first()
                .map(|p| p.by_destination.keys().cloned().collect())
                .unwrap_or_default();
            for d in dests {
                series.push((
                    d.clone(),
                    points
                        .iter()
                        .map(|p| {
                            (
                                p.values[0],
                                p.by_destination.get(&d).copied().unwrap_or(0) as f64,
                            )
                        })
                        .collect(),
                ));
            }
        } else {
            for &v in &axes[1].values {
                let line = points
                    .iter()
                    .filter(|p| p.values[1] == v)
                    .map(|p| (p.values[0], p.placements as f64))
                    .collect();
                series.push((format!("{} = {}", axes[1].path, crate::fmt::num(v)), line));
            }
        }
        for (i, (name, line)) in series.into_iter().enumerate() {
            let color = palette[i % palette.len()];
            chart
                .draw_series(LineSeries::new(line.clone(), color.stroke_width(2)))?
                .label(name)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2))
                });
            chart.draw_series(
                line.into_iter()
                    .map(|(x, y)| Circle::new((x, y), 3, color.filled())),
            )?;
        }
        chart
            .configure_series_labels()
            .border_style(BLACK)
            .background_style(WHITE.mix(0.9))
            .draw()?;
        root.present()?;
        Ok(())
    };
    draw().map_err(|e| PalimError::Write {
        path: path.display().to_string(),
        source: std::io::Error::other(e.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comma_or_a_quote_in_a_path_or_code_stays_one_field() {
        let axes = [Axis {
            path: "destinations.B,E.permit_days".into(),
            values: vec![30.0],
        }];
        let points = [Point {
            values: vec![30.0],
            status: ResultStatus::Optimal,
            placements: 3,
            by_destination: [("B\"E".to_string(), 3)].into_iter().collect(),
            score: 1.5,
        }];
        assert_eq!(
            csv(&axes, &points),
            "\"destinations.B,E.permit_days\",status,placements,\"placements_B\"\"E\",score\n\
             30,optimal,3,3,1.5\n"
        );
    }
}
