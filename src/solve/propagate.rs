//! Domain propagation on a 0–1 program, one row at a time: a column that
//! no values of the others in some row let be 1 is fixed at 0, and one they
//! do not let be 0 at 1.
//!
//! Why palim does what HiGHS's branch-and-bound also does first: on the
//! core method's what-if programs at 1,000 × 400 (binding shares over a few
//! employers), the LP optimum is fractional in two pairs, and the fixings of
//! small share rows alone cut it off: the LP over the propagated bounds is
//! then integral, at the integer optimum, in 149 of 151 programs measured
//! (BENCHMARKS.md, eleventh round). An LP is a fraction of the cost of
//! HiGHS's branch-and-bound set-up on such a program.
//!
//! Every fixing is implied by one row and the binary domains, so it holds in
//! every integer point of the program: an LP on the propagated bounds still
//! bounds the program, and an integral optimum of it is the program's.

/// A 0–1 column's domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Domain {
    Zero,
    One,
    Free,
}

impl Domain {
    fn lowest(self) -> f64 {
        if self == Domain::One {
            1.0
        } else {
            0.0
        }
    }

    fn highest(self) -> f64 {
        if self == Domain::Zero {
            0.0
        } else {
            1.0
        }
    }

    /// The bounds, for the solver.
    pub(crate) fn bounds(self) -> (f64, f64) {
        (self.lowest(), self.highest())
    }
}

/// A row no values of its columns can keep (within tolerance): the program
/// has no integer point.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Broken {
    pub(crate) row: usize,
}

/// How far a row may be kept only within the solver's feasibility
/// tolerance (10⁻⁶ in HiGHS's branch-and-bound), relative to its bound: a
/// value is ruled out only beyond it, so a fixing never removes a point
/// HiGHS would accept.
const TOLERANCE: f64 = 1e-6;

/// Fixes what the rows imply in `domains` (changed in place), until no row
/// implies more; returns how many columns it fixed. `rows[r]` are row `r`'s
/// bounds (infinite where it has none), `columns[j]` column `j`'s entries
/// (row, coefficient).
pub(crate) fn propagate(
    rows: &[(f64, f64)],
    columns: &[Vec<(usize, f64)>],
    domains: &mut [Domain],
) -> Result<usize, Broken> {
    let by_row = transpose(rows.len(), columns);
    let mut queued = vec![true; rows.len()];
    let mut queue: Vec<usize> = (0..rows.len()).rev().collect();
    let mut fixed = 0;
    while let Some(r) = queue.pop() {
        queued[r] = false;
        let (lower, upper) = rows[r];
        let (lower, upper) = (
            lower - TOLERANCE * lower.abs().max(1.0),
            upper + TOLERANCE * upper.abs().max(1.0),
        );
        // Recomputed from the domains each time the row is looked at, not
        // updated by differences, so rounding cannot build up.
        let (least, most) = activity(&by_row[r], domains);
        if least > upper || most < lower {
            return Err(Broken { row: r });
        }
        for &(j, a) in &by_row[r] {
            if domains[j] != Domain::Free {
                continue;
            }
            // The rest of the row, with column j out of it.
            let (rest_least, rest_most) = (least - a.min(0.0), most - a.max(0.0));
            let one = rest_least + a <= upper && rest_most + a >= lower;
            let zero = rest_least <= upper && rest_most >= lower;
            let to = match (zero, one) {
                (true, true) => continue,
                (true, false) => Domain::Zero,
                (false, true) => Domain::One,
                (false, false) => return Err(Broken { row: r }),
            };
            domains[j] = to;
            fixed += 1;
            for &(s, _) in &columns[j] {
                if !queued[s] {
                    queued[s] = true;
                    queue.push(s);
                }
            }
        }
    }
    Ok(fixed)
}

/// The least and the most row `entries` can add up to over `domains`.
fn activity(entries: &[(usize, f64)], domains: &[Domain]) -> (f64, f64) {
    entries.iter().fold((0.0, 0.0), |(least, most), &(j, a)| {
        let (x, y) = (a * domains[j].lowest(), a * domains[j].highest());
        (least + x.min(y), most + x.max(y))
    })
}

/// Each row's entries (column, coefficient).
fn transpose(rows: usize, columns: &[Vec<(usize, f64)>]) -> Vec<Vec<(usize, f64)>> {
    let mut by_row = vec![Vec::new(); rows];
    for (j, column) in columns.iter().enumerate() {
        for &(r, a) in column {
            by_row[r].push((j, a));
        }
    }
    by_row
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use Domain::{Free, One, Zero};

    #[test]
    fn a_share_row_with_little_room_fixes_the_men_out() {
        // 0.75·woman − 0.25·(man₁ + man₂) ≥ 0.5: with the woman in, one man
        // would leave 0.5 exactly, two would not.
        let rows = [(0.5, f64::INFINITY)];
        let columns = vec![vec![(0, 0.75)], vec![(0, -0.25)], vec![(0, -0.25)]];
        let mut domains = vec![Free, Free, Free];
        assert_eq!(propagate(&rows, &columns, &mut domains), Ok(1));
        // The woman is forced in; either man alone still fits.
        assert_eq!(domains, vec![One, Free, Free]);
    }

    #[test]
    fn fixings_travel_through_the_rows_they_touch() {
        // Row 0: a ≥ 1. Row 1: a + b ≤ 1. Row 2: b + c ≥ 1.
        let rows = [
            (1.0, f64::INFINITY),
            (f64::NEG_INFINITY, 1.0),
            (1.0, f64::INFINITY),
        ];
        let columns = vec![
            vec![(0, 1.0), (1, 1.0)],
            vec![(1, 1.0), (2, 1.0)],
            vec![(2, 1.0)],
        ];
        let mut domains = vec![Free, Free, Free];
        assert_eq!(propagate(&rows, &columns, &mut domains), Ok(3));
        assert_eq!(domains, vec![One, Zero, One]);
    }

    #[test]
    fn a_row_nothing_can_keep_is_broken() {
        let rows = [(f64::NEG_INFINITY, 1.0), (2.0, f64::INFINITY)];
        let columns = vec![vec![(0, 1.0), (1, 1.0)], vec![(0, 1.0), (1, 1.0)]];
        let mut domains = vec![Free, Free];
        assert!(propagate(&rows, &columns, &mut domains).is_err());
    }

    /// Rows' bounds and columns' entries, as [`propagate`] takes them.
    type Program = (Vec<(f64, f64)>, Vec<Vec<(usize, f64)>>);

    /// A random 0–1 program of up to 8 columns and 4 rows, with
    /// coefficients like the rules' (units, share weights) and others.
    fn program() -> impl Strategy<Value = Program> {
        let coefficient = prop_oneof![
            Just(1.0),
            Just(-1.0),
            Just(0.75),
            Just(-0.25),
            Just(0.7),
            Just(-0.3),
            -2.0..2.0f64,
        ];
        let bound = prop_oneof![
            Just(None),
            (-3i32..5).prop_map(|b| Some(f64::from(b) * 0.5))
        ];
        (1..=8usize, 1..=4usize).prop_flat_map(move |(n, m)| {
            let rows = proptest::collection::vec((bound.clone(), bound.clone()), m).prop_map(
                |rows: Vec<(Option<f64>, Option<f64>)>| {
                    (rows.into_iter())
                        .map(|(a, b)| (a.unwrap_or(f64::NEG_INFINITY), b.unwrap_or(f64::INFINITY)))
                        .collect::<Vec<_>>()
                },
            );
            let column = proptest::collection::vec(proptest::option::of(coefficient.clone()), m)
                .prop_map(|entries| {
                    (entries.into_iter().enumerate())
                        .filter_map(|(r, a)| a.map(|a| (r, a)))
                        .collect::<Vec<_>>()
                });
            (rows, proptest::collection::vec(column, n))
        })
    }

    proptest! {
        /// Every integer point the rows keep is still allowed after
        /// propagation (and a row called broken has none): a fixing cuts
        /// off only fractional points, which is what makes the LP on the
        /// fixed bounds a bound on the program.
        #[test]
        fn no_integer_point_the_rows_keep_is_fixed_away((rows, columns) in program()) {
            let n = columns.len();
            let mut domains = vec![Free; n];
            let result = propagate(&rows, &columns, &mut domains);
            for point in 0u32..(1 << n) {
                let x = |j: usize| f64::from((point >> j) & 1);
                let kept = rows.iter().enumerate().all(|(r, &(lower, upper))| {
                    let sum: f64 = (columns.iter().enumerate())
                        .flat_map(|(j, c)| c.iter().filter(|e| e.0 == r).map(move |e| e.1 * x(j)))
                        .sum();
                    sum >= lower - 1e-9 && sum <= upper + 1e-9
                });
                if !kept {
                    continue;
                }
                prop_assert!(result.is_ok(), "{result:?}, but {point:b} keeps every row");
                for (j, d) in domains.iter().enumerate() {
                    let (lower, upper) = d.bounds();
                    prop_assert!(
                        x(j) >= lower && x(j) <= upper,
                        "column {j} fixed to {d:?}, but {point:b} keeps every row"
                    );
                }
            }
        }
    }

    #[test]
    fn a_row_kept_within_tolerance_fixes_nothing() {
        // x + y ≤ 1 − 10⁻⁹: both at 1 break it, one at 1 keeps it within
        // HiGHS's tolerance, so neither is fixed.
        let rows = [(f64::NEG_INFINITY, 1.0 - 1e-9)];
        let columns = vec![vec![(0, 1.0)], vec![(0, 1.0)]];
        let mut domains = vec![Free, Free];
        assert_eq!(propagate(&rows, &columns, &mut domains), Ok(0));
    }
}
