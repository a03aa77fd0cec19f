//! Sweeps: one or two parameters varied over a range, every point solved, in
//! parallel on all cores, written as a CSV table and an SVG chart.
//!
//! A parameter is a dotted path into the scenario, as in a variant's `set`
//! (`destinations.BE.permit_days`), so every sweep point is exactly the
//! scenario a one-line variant would make.

use std::collections::BTreeMap;

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
                crate::words::num(count)
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

/// What a sweep varies: one or two axes, every combination of their values
/// solved once.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub axes: Vec<Axis>,
}

impl Grid {
    /// The axes of `--vary` specs, or what is wrong with them (in the words
    /// a front end prints after its name).
    pub fn parse(specs: &[String]) -> Result<Grid, String> {
        if specs.len() > 2 {
            return Err(format!(
                "a sweep varies one or two parameters, got {}",
                specs.len()
            ));
        }
        let axes = specs
            .iter()
            .map(|spec| Axis::parse(spec).map_err(|m| format!("--vary {spec}: {m}")))
            .collect::<Result<_, _>>()?;
        Ok(Grid { axes })
    }

    /// How many points the sweep solves.
    pub fn points(&self) -> usize {
        self.axes.iter().map(|a| a.values.len()).product()
    }
}

/// One solved point.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Point {
    /// The value of each axis, in the order they were given.
    pub values: Vec<f64>,
    pub status: ResultStatus,
    pub placements: usize,
    /// Placements by destination code.
    pub by_destination: BTreeMap<String, usize>,
    pub score: f64,
}

/// A sweep's answer: the points solved, and those the deadline left
/// without a match set, so that a sweep cut short still shows what it
/// finished and says what it did not (each list in grid order: the first
/// axis outermost, each axis's values ascending).
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    pub points: Vec<Point>,
    /// The values of each point not solved by the deadline.
    pub unsolved: Vec<Vec<f64>>,
}

/// A row of a sweep's table: a point solved, or the values of one that was
/// not.
pub enum Row<'a> {
    Solved(&'a Point),
    Unsolved(&'a [f64]),
}

impl Row<'_> {
    /// The point's value of each axis.
    pub fn values(&self) -> &[f64] {
        match self {
            Row::Solved(point) => &point.values,
            Row::Unsolved(values) => values,
        }
    }
}

impl Sweep {
    /// Every point of the grid in its order, solved or not (a table shows
    /// the points the deadline left out where they belong, not a shorter
    /// table).
    pub fn rows(&self) -> Vec<Row<'_>> {
        let mut rows: Vec<(&[f64], Row)> = (self.points.iter())
            .map(|p| (p.values.as_slice(), Row::Solved(p)))
            .chain(
                self.unsolved
                    .iter()
                    .map(|v| (v.as_slice(), Row::Unsolved(v))),
            )
            .collect();
        // Grid order is the values' order, axis by axis.
        rows.sort_by(|(a, _), (b, _)| {
            a.iter()
                .zip(b.iter())
                .map(|(x, y)| x.total_cmp(y))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        rows.into_iter().map(|(_, row)| row).collect()
    }
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

/// Solve every point of the grid, on `jobs` threads, calling `progress` after
/// each; every solve ends by `deadline`: a point without proof by then has
/// status `time_limit`, one without a match set (or not started) is
/// [`Sweep::unsolved`].
pub fn run(
    scenario_text: &str,
    file: &str,
    axes: &[Axis],
    jobs: usize,
    opts: &LoadOptions,
    deadline: Option<std::time::Instant>,
    progress: &(dyn Fn() + Sync),
) -> Result<Sweep, PalimError> {
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
    let solved = crate::solve::optimize::in_parallel(&grid, jobs, |values| {
        let outcome = match crate::solve::outcome::past(deadline) {
            true => Ok(None),
            false => solve_point(&base, axes, values, file, opts, deadline).map(Some),
        };
        progress();
        late_is_unsolved(outcome)
    });
    let mut sweep = Sweep {
        points: Vec::with_capacity(grid.len()),
        unsolved: Vec::new(),
    };
    for (values, solved) in grid.into_iter().zip(solved) {
        match solved? {
            Some(point) => sweep.points.push(point),
            None => sweep.unsolved.push(values),
        }
    }
    Ok(sweep)
}

/// A point whose solve the deadline stopped before any match set is not
/// solved, not an error of the whole sweep; any other error still is.
fn late_is_unsolved(
    outcome: Result<Option<Point>, PalimError>,
) -> Result<Option<Point>, PalimError> {
    match outcome {
        Err(PalimError::NoSolutionInTime | PalimError::TimeLimit(_)) => Ok(None),
        other => other,
    }
}

fn solve_point(
    base: &Value,
    axes: &[Axis],
    values: &[f64],
    file: &str,
    opts: &LoadOptions,
    deadline: Option<std::time::Instant>,
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
    let options = SolveOptions {
        deadline,
        ..SolveOptions::default()
    };
    let m: MatchSet = crate::solve(&problem, &options)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_the_deadline_stopped_is_unsolved_and_any_other_error_stays_one() {
        assert!(matches!(
            late_is_unsolved(Err(PalimError::NoSolutionInTime)),
            Ok(None)
        ));
        let cut = PalimError::TimeLimit("half done".into());
        assert!(matches!(late_is_unsolved(Err(cut)), Ok(None)));
        let bad = PalimError::Solver("HiGHS could not run".into());
        assert!(matches!(
            late_is_unsolved(Err(bad)),
            Err(PalimError::Solver(_))
        ));
        assert!(matches!(late_is_unsolved(Ok(None)), Ok(None)));
    }
}
