//! A simplex basis carried from one linear program to the next.
//!
//! A what-if's LP is the LP of the scenario before with one bound or one
//! row changed. From that LP's optimal basis the simplex needs a handful of
//! pivots; from slacks it needs tens of thousands (at national size, 0.9 s
//! of each what-if). The `highs` crate does not expose bases (nor a row's
//! bounds changed in place, which a cut joining an LP needs:
//! [`Basis::bound_row`]), so this is the one place palim calls HiGHS's C API
//! itself, and the only `unsafe` in it.

use highs::{Model, SolvedModel};
use highs_sys::{HighsInt, STATUS_OK};

/// HiGHS's status of every column and row (its `HighsBasisStatus` codes),
/// in the model's own order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Basis {
    pub(crate) cols: Vec<HighsInt>,
    pub(crate) rows: Vec<HighsInt>,
}

/// An LP's optimal core (pairs, in column order after the slacks) and
/// basis, for a changed LP to start from
/// ([`crate::solve::core_method::what_if_start`]), and how far the integer
/// optimum lies below that LP's value.
#[derive(Debug)]
pub struct LpStart {
    pub(crate) core: Vec<usize>,
    pub(crate) basis: Basis,
    pub(crate) gap: f64,
    /// Which cuts the LP held ([`crate::solve::hard_rules::Rows::with_cuts`],
    /// in order): a changed LP holds the same, so that the basis fits it.
    pub(crate) cuts: Vec<bool>,
    /// The placements' LP's duals, when that LP bounded the placements
    /// ([`crate::solve::core_method::what_if_start`]).
    pub(crate) placements: Option<crate::solve::hard_rules::Duals>,
    /// The score's LP's duals, its placements held at their optimum by a
    /// floor ([`crate::solve::core_method::LpStart::proves_unchanged`]).
    pub(crate) score: Option<crate::solve::hard_rules::Duals>,
    /// The fewest and the most of each share's group that a match set with
    /// the start's placements can hold in the share's scope, by the LP
    /// ([`crate::solve::core_method::what_if_start`]).
    pub(crate) groups: Option<crate::solve::core_method::GroupCounts>,
}

/// `HighsBasisStatus::kLower`: nonbasic at the lower bound. A column added
/// to a model after its basis was taken starts there.
pub(crate) const AT_LOWER: HighsInt = 0;
/// `HighsBasisStatus::kBasic`.
const BASIC: HighsInt = 1;

/// HiGHS's `simplex_dual_edge_weight_strategy` for a small LP started from
/// a basis a few pivots from its optimum: Dantzig's rule. The default, dual
/// steepest edge, first computes every row's exact weight from the given
/// basis (a BTRAN per row), which was most of such a solve's own work and
/// 3% of the generator's 1,000 × 400 `solve --explain`. On national LPs
/// (43k columns, more pivots after a change) those weights pay for
/// themselves: Dantzig's rule, and Devex, made `explain --rules` at `large`
/// 19.6 → 22.7 and 22.2 s. Measured side by side (BENCHMARKS.md,
/// fourteenth round).
const PRICING_FROM_A_BASIS: i32 = 0;
/// LPs with fewer columns than this price by [`PRICING_FROM_A_BASIS`].
const SMALL_LP: usize = 10_000;
/// HiGHS's default for that option: it chooses.
const DEFAULT_PRICING: i32 = -1;

/// An LP start as kept between processes ([`LpStart::kept`]): the core's
/// pairs, HiGHS's basis, the cuts held. Only a start, never a proof: column
/// generation prices every pair from it, so a stale or wrong one costs
/// time, not an answer; the LP's duals are found again from it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KeptStart {
    pub core: Vec<usize>,
    pub cols: Vec<HighsInt>,
    pub rows: Vec<HighsInt>,
    pub cuts: Vec<bool>,
}

/// HiGHS's basis statuses (`HighsBasisStatus`: lower, basic, upper, zero,
/// nonbasic); anything else is not one.
const STATUSES: std::ops::RangeInclusive<HighsInt> = 0..=4;

impl KeptStart {
    /// The start of an LP whose optimal `basis` has the core `core`, holding
    /// the cuts `cuts`.
    pub(crate) fn of(core: &[usize], basis: &Basis, cuts: Vec<bool>) -> KeptStart {
        KeptStart {
            core: core.to_vec(),
            cols: basis.cols.clone(),
            rows: basis.rows.clone(),
            cuts,
        }
    }
}

impl LpStart {
    /// What a later process can start from ([`LpStart::from_kept`]).
    pub fn kept(&self) -> KeptStart {
        KeptStart::of(&self.core, &self.basis, self.cuts.clone())
    }

    /// A start from `kept`, for a graph of `pairs` pairs; `None` when it
    /// cannot be one: a pair out of range or twice, a status HiGHS does not
    /// have, or fewer statuses than the core's columns. Whether its counts
    /// fit the LP is checked when it starts one (`Basis::start`).
    pub fn from_kept(kept: KeptStart, pairs: usize) -> Option<LpStart> {
        let mut seen = vec![false; pairs];
        for &k in &kept.core {
            if !std::mem::replace(seen.get_mut(k)?, true) {
                continue;
            }
            return None;
        }
        let statuses = kept.cols.iter().chain(&kept.rows);
        if kept.cols.len() < kept.core.len() || !statuses.into_iter().all(|s| STATUSES.contains(s))
        {
            return None;
        }
        Some(LpStart {
            core: kept.core,
            basis: Basis {
                cols: kept.cols,
                rows: kept.rows,
            },
            gap: 0.0,
            cuts: kept.cuts,
            placements: None,
            score: None,
            groups: None,
        })
    }

    /// The same start for a graph whose pairs were renumbered: `index` maps
    /// a pair of this start's graph to the other's, `None` where the pair is
    /// gone. A data what-if's graph differs only in the pairs of the
    /// trainees and vacancies it changes; every row stays, so the basis
    /// stays a basis once the pairs that left were nonbasic. `None` when a
    /// basic pair left (the LP then starts from slacks, as before).
    pub fn renumbered(&self, index: impl Fn(usize) -> Option<usize>) -> Option<LpStart> {
        let lead = self.basis.cols.len().checked_sub(self.core.len())?;
        let mut core = Vec::with_capacity(self.core.len());
        let mut cols = self.basis.cols[..lead].to_vec();
        for (&k, &status) in self.core.iter().zip(&self.basis.cols[lead..]) {
            match index(k) {
                Some(to) => {
                    core.push(to);
                    cols.push(status);
                }
                None if status == BASIC => return None,
                None => {}
            }
        }
        Some(LpStart {
            core,
            basis: Basis {
                cols,
                rows: self.basis.rows.clone(),
            },
            gap: self.gap,
            cuts: self.cuts.clone(),
            // Rule rows, not pairs: a renumbering leaves them as they are.
            placements: self.placements.clone(),
            score: self.score.clone(),
            // Only a lock's what-if holds the group counts, and a lock
            // builds no pair again.
            groups: None,
        })
    }
}

impl Basis {
    /// The basis `solved` ended with; `None` when HiGHS holds no valid one.
    pub(crate) fn of(solved: &SolvedModel) -> Option<Basis> {
        let highs = solved.as_ptr();
        let mut validity: HighsInt = 0;
        // SAFETY: `highs` is the live HiGHS instance `solved` owns, the
        // name is NUL-terminated and HiGHS writes one integer.
        let status = unsafe {
            highs_sys::Highs_getIntInfoValue(highs, c"basis_validity".as_ptr(), &mut validity)
        };
        // `kBasisValidityValid`: a valid basis has a status per column and row.
        if status != STATUS_OK || validity != 1 {
            return None;
        }
        // SAFETY: as above; these only read the model's sizes.
        let (cols, rows) = unsafe {
            (
                highs_sys::Highs_getNumCol(highs),
                highs_sys::Highs_getNumRow(highs),
            )
        };
        let mut basis = Basis {
            cols: vec![AT_LOWER; usize::try_from(cols).ok()?],
            rows: vec![AT_LOWER; usize::try_from(rows).ok()?],
        };
        // SAFETY: a valid basis holds exactly one status per column and per
        // row, and the buffers hold that many.
        let status = unsafe {
            highs_sys::Highs_getBasis(highs, basis.cols.as_mut_ptr(), basis.rows.as_mut_ptr())
        };
        (status == STATUS_OK).then_some(basis)
    }

    /// This basis on a program made of some of its columns and rows: each
    /// program column's column here (`None`: not in this LP, at its lower
    /// bound), each program row's row here. It stays a basis when what is
    /// left out is nonbasic columns and basic rows, as with the columns
    /// reduced-cost fixing holds and most rows no free column is in; `None`
    /// when it does not (as many basic statuses as rows). HiGHS takes a
    /// basis with the wrong count too, so this is checked here.
    pub(crate) fn restricted(
        &self,
        cols: impl Iterator<Item = Option<usize>>,
        rows: impl Iterator<Item = usize>,
    ) -> Option<Basis> {
        let basis = Basis {
            cols: cols.map(|c| c.map_or(AT_LOWER, |c| self.cols[c])).collect(),
            rows: rows.map(|r| self.rows[r]).collect(),
        };
        let basic = basis
            .cols
            .iter()
            .chain(&basis.rows)
            .filter(|&&s| s == BASIC);
        (basic.count() == basis.rows.len()).then_some(basis)
    }

    /// Start `model`'s simplex from this basis. False, and `model` as it
    /// was, when the sizes differ or HiGHS refuses it (the wrong number of
    /// basic variables): the LP is then solved from slacks, as before.
    ///
    /// A small started LP prices by Dantzig's rule
    /// ([`PRICING_FROM_A_BASIS`]); [`Basis::stop_pricing`] gives a model the
    /// default back.
    pub(crate) fn start(&self, model: &mut Model) -> bool {
        if model.num_cols() != self.cols.len() || model.num_rows() != self.rows.len() {
            return false;
        }
        // SAFETY: HiGHS reads one status per column and per row of the
        // model, and the buffers hold exactly that many (checked above).
        let status = unsafe {
            highs_sys::Highs_setBasis(model.as_mut_ptr(), self.cols.as_ptr(), self.rows.as_ptr())
        };
        if status != STATUS_OK {
            return false;
        }
        if self.cols.len() < SMALL_LP {
            model.set_option("simplex_dual_edge_weight_strategy", PRICING_FROM_A_BASIS);
        }
        true
    }

    /// Row `row` of `model` bounded by `lower` and `upper` from now on, in
    /// place, so that the simplex goes on from the basis it has (the
    /// `highs` crate has no call for it): a cut the LP's optimum broke.
    pub(crate) fn bound_row(model: &mut Model, row: usize, lower: f64, upper: f64) -> bool {
        let Ok(row) = HighsInt::try_from(row) else {
            return false;
        };
        if row >= HighsInt::try_from(model.num_rows()).unwrap_or(HighsInt::MAX) {
            return false;
        }
        // SAFETY: `model` is a live HiGHS instance and `row` one of its rows
        // (checked above); HiGHS reads two numbers.
        let status =
            unsafe { highs_sys::Highs_changeRowBounds(model.as_mut_ptr(), row, lower, upper) };
        status == STATUS_OK
    }

    /// The default pricing back on a model [`Basis::start`] started, for
    /// what comes after its LP (branch-and-bound runs many LPs of its own).
    pub(crate) fn stop_pricing(model: &mut Model) {
        model.set_option("simplex_dual_edge_weight_strategy", DEFAULT_PRICING);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use highs::{ColProblem, HighsModelStatus, Sense};

    /// Maximise x + y with x + 2y ≤ 4 and 3x + y ≤ 6: the optimum, 2.8 at
    /// (1.6, 1.2), is the vertex where both rows bind, some pivots from
    /// slacks.
    fn two_rows(columns: usize) -> Model {
        let mut pb = ColProblem::default();
        let first = pb.add_row(..=4.0);
        let second = pb.add_row(..=6.0);
        for &(a, b) in [(1.0, 3.0), (2.0, 1.0)].iter().take(columns) {
            pb.add_column(1.0, 0.0..=10.0, [(first, a), (second, b)]);
        }
        let mut model = pb.optimise(Sense::Maximise);
        model.make_quiet();
        model.set_option("presolve", "off");
        model
    }

    #[test]
    fn an_optimal_basis_given_back_needs_no_pivot() {
        let solved = two_rows(2).solve();
        assert_eq!(solved.status(), HighsModelStatus::Optimal);
        assert!(solved.simplex_iteration_count() > 0);
        let basis = Basis::of(&solved).expect("HiGHS holds a valid basis");
        let mut again = two_rows(2);
        assert!(basis.start(&mut again));
        let resolved = again.solve();
        assert_eq!(resolved.status(), HighsModelStatus::Optimal);
        assert_eq!(resolved.simplex_iteration_count(), 0);
        assert!((resolved.objective_value() - 2.8).abs() < 1e-9);
    }

    /// Two slacks, then pairs 3 (basic), 5 (at its lower bound) and 7 (at
    /// its upper bound).
    fn three_pairs() -> LpStart {
        LpStart {
            core: vec![3, 5, 7],
            basis: Basis {
                cols: vec![BASIC, AT_LOWER, BASIC, AT_LOWER, 2],
                rows: vec![BASIC, AT_LOWER],
            },
            gap: 0.25,
            cuts: vec![true],
            placements: None,
            score: None,
            groups: None,
        }
    }

    #[test]
    fn renumbered_pairs_keep_their_statuses_and_a_nonbasic_pair_may_leave() {
        let moved = three_pairs()
            .renumbered(|k| (k != 5).then_some(k + 1))
            .expect("only a nonbasic pair left");
        assert_eq!(moved.core, [4, 8]);
        assert_eq!(moved.basis.cols, [BASIC, AT_LOWER, BASIC, 2]);
        assert_eq!(moved.basis.rows, [BASIC, AT_LOWER]);
        assert_eq!(moved.gap, 0.25);
        assert_eq!(moved.cuts, [true]);
    }

    /// A start kept and read back is the start, less what is found again
    /// from it (the gap, the duals); one that cannot be a start for the
    /// pairs at hand is refused, whatever is wrong with it.
    #[test]
    fn a_kept_start_reads_back_and_a_wrong_one_is_refused() {
        let kept = three_pairs().kept();
        let back = LpStart::from_kept(kept.clone(), 8).expect("pairs 3, 5 and 7 of 8");
        assert_eq!(
            (back.core, back.basis),
            (three_pairs().core, three_pairs().basis)
        );
        assert_eq!((back.gap, back.cuts), (0.0, vec![true]));
        assert!(LpStart::from_kept(kept.clone(), 7).is_none(), "pair 7 of 7");
        let twice = KeptStart {
            core: vec![3, 5, 3],
            ..kept.clone()
        };
        assert!(LpStart::from_kept(twice, 8).is_none(), "pair 3 twice");
        let mut status = kept.clone();
        status.rows[1] = 5;
        assert!(LpStart::from_kept(status, 8).is_none(), "no status 5");
        let negative = KeptStart {
            cols: vec![BASIC, -1, BASIC, AT_LOWER, 2],
            ..kept.clone()
        };
        assert!(LpStart::from_kept(negative, 8).is_none(), "no status -1");
        let short = KeptStart {
            cols: vec![BASIC, AT_LOWER],
            ..kept
        };
        assert!(LpStart::from_kept(short, 8).is_none(), "a status per pair");
    }

    #[test]
    fn a_basic_pair_that_leaves_leaves_no_start() {
        assert!(three_pairs()
            .renumbered(|k| (k != 3).then_some(k))
            .is_none());
    }

    #[test]
    fn a_restricted_basis_takes_its_columns_and_rows_statuses() {
        let basis = three_pairs().basis;
        // The program: the LP's columns 2 and 4, a column the LP did not
        // have, and the LP's second row (the first, basic, left out).
        let program = basis
            .restricted([Some(2), None, Some(4)].into_iter(), [1].into_iter())
            .expect("one basic column for one row");
        assert_eq!(program.cols, [BASIC, AT_LOWER, 2]);
        assert_eq!(program.rows, [AT_LOWER]);
    }

    #[test]
    fn a_program_without_a_row_that_was_tight_has_no_basis_from_it() {
        // Both rows bind at the optimum: without the second, two basic
        // columns for one row.
        let basis = Basis::of(&two_rows(2).solve()).expect("a valid basis");
        assert!(basis
            .restricted([Some(0), Some(1)].into_iter(), [0].into_iter())
            .is_none());
    }

    #[test]
    fn a_basis_of_another_model_size_is_refused() {
        let basis = Basis::of(&two_rows(2).solve()).expect("a valid basis");
        let mut smaller = two_rows(1);
        assert!(!basis.start(&mut smaller));
        // The model is as it was: solved from slacks, to its own optimum.
        let solved = smaller.solve();
        assert!((solved.objective_value() - 2.0).abs() < 1e-9);
    }
}
