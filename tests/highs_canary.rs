//! The HiGHS palim builds proves the true optimum of a program that
//! HiGHS 1.16.0 got wrong.
//!
//! The program is a shortlists' branch-and-bound (136 columns, 27 rows),
//! written out from seed 0 of `tests/shortlist.rs`'s
//! `the_core_method_and_the_integer_program_on_every_pair_agree`, with the
//! start palim gives it (worth 13.41678). Its optimum is 13.71844: with
//! palim's options, HiGHS 1.15 finds it with and without presolve, 1.16.0
//! with presolve. Without presolve HiGHS 1.16.0 declares the program
//! infeasible, and given the start proves the start optimal (highspy
//! 1.16.0 does the same). palim turns presolve off on programs like
//! this one (it cost more than it saved, and HiGHS 1.15's presolve had lost
//! feasible match sets), so `highs-sys` stays at 1.15 (Cargo.toml) and
//! small programs get a second run with presolve (`SECOND_OPINION_UP_TO`).
//! Before moving to another HiGHS, run this test.

use std::ffi::{c_void, CString};
use std::path::PathBuf;

use highs_sys::{
    Highs_create, Highs_destroy, Highs_getModelStatus, Highs_getObjectiveValue, Highs_readModel,
    Highs_run, Highs_setBoolOptionValue, Highs_setDoubleOptionValue, Highs_setSolution,
    Highs_setStringOptionValue, MODEL_STATUS_OPTIMAL, STATUS_ERROR,
};

const OPTIMUM: f64 = 13.718_440_333_333_334;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The model status and objective of one run of the bundled HiGHS.
fn solve(presolve: &str, start: Option<&[f64]>) -> (i32, f64) {
    let path = fixture("highs-1.16-presolve-off.mps");
    let path = CString::new(path.to_string_lossy().as_bytes()).expect("no NUL in a path");
    let presolve = CString::new(presolve).expect("no NUL in an option");
    // SAFETY: `highs` is a live instance from `Highs_create` until
    // `Highs_destroy`; every string is NUL-terminated and outlives the
    // call; the start has one value per column of the model read.
    unsafe {
        let highs: *mut c_void = Highs_create();
        Highs_setBoolOptionValue(highs, c"output_flag".as_ptr(), 0);
        assert_ne!(Highs_readModel(highs, path.as_ptr()), STATUS_ERROR);
        Highs_setStringOptionValue(highs, c"presolve".as_ptr(), presolve.as_ptr());
        // palim's options for such a program (`solve::shortlist::tune`).
        Highs_setDoubleOptionValue(highs, c"mip_rel_gap".as_ptr(), 0.0);
        Highs_setBoolOptionValue(highs, c"mip_heuristic_run_feasibility_jump".as_ptr(), 0);
        if let Some(start) = start {
            let none = std::ptr::null();
            Highs_setSolution(highs, start.as_ptr(), none, none, none);
        }
        Highs_run(highs);
        let answer = (Highs_getModelStatus(highs), Highs_getObjectiveValue(highs));
        Highs_destroy(highs);
        answer
    }
}

#[test]
fn the_bundled_highs_proves_the_optimum_that_highs_1_16_missed_without_presolve() {
    let start: Vec<f64> = std::fs::read_to_string(fixture("highs-1.16-presolve-off.start"))
        .expect("the start beside the model")
        .split_whitespace()
        .map(|x| x.parse().expect("a number per line"))
        .collect();
    assert_eq!(start.len(), 136);
    for presolve in ["off", "on"] {
        for start in [None, Some(start.as_slice())] {
            let (status, value) = solve(presolve, start);
            let case = format!("presolve {presolve}, start given: {}", start.is_some());
            assert_eq!(status, MODEL_STATUS_OPTIMAL, "{case}");
            assert!((value - OPTIMUM).abs() < 1e-6, "{case}: {value}");
        }
    }
}
