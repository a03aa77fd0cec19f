//! A sweep's points as a CSV table and an SVG chart.

use std::path::Path;

use crate::analysis::sweep::{Axis, Point, Row, Sweep};
use crate::PalimError;

/// The points as CSV: one column per parameter, then status, placements per
/// destination, total placements and score. Written by the `csv` crate, so a
/// destination code or a path with a comma or a quote stays one field.
pub fn csv(axes: &[Axis], sweep: &Sweep) -> String {
    let dests: Vec<String> = (sweep.points.first())
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
    for row in sweep.rows() {
        let mut record: Vec<String> = (row.values().iter())
            .map(|v| crate::words::num(*v))
            .collect();
        match row {
            Row::Solved(p) => {
                record.push(p.status.code().to_string());
                record.push(p.placements.to_string());
                record.extend(
                    (dests.iter())
                        .map(|d| p.by_destination.get(d).copied().unwrap_or(0).to_string()),
                );
                record.push(crate::words::num(p.score));
            }
            // No match set by the deadline: no numbers to show.
            Row::Unsolved(_) => {
                record.push(NOT_SOLVED.to_string());
                record.resize(header.len(), String::new());
            }
        }
        let _ = out.write_record(&record);
    }
    out.into_inner()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

/// The status column of a point the deadline left without a match set.
pub const NOT_SOLVED: &str = "not_solved";

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
                series.push((format!("{} = {}", axes[1].path, crate::words::num(v)), line));
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
    use crate::documents::match_set::ResultStatus;

    #[test]
    fn a_comma_or_a_quote_in_a_path_or_code_stays_one_field() {
        let axes = [Axis {
            path: "destinations.B,E.permit_days".into(),
            values: vec![30.0],
        }];
        let sweep = Sweep {
            points: vec![Point {
                values: vec![30.0],
                status: ResultStatus::Optimal,
                placements: 3,
                by_destination: [("B\"E".to_string(), 3)].into_iter().collect(),
                score: 1.5,
            }],
            unsolved: Vec::new(),
        };
        assert_eq!(
            csv(&axes, &sweep),
            "\"destinations.B,E.permit_days\",status,placements,\"placements_B\"\"E\",score\n\
             30,optimal,3,3,1.5\n"
        );
    }
}
