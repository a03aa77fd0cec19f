//! What every target checks: a scenario palim accepts can be solved and
//! explained without a panic and without "the solver failed".

use palim::app::service::{self, SolveRequest, Subject};
use palim::input::validate::{load_str, LoadOptions};
use palim::PalimError;

/// Fail the run on anything but an answer or a clear error about the input.
pub fn no_solver_failure<T>(what: &str, r: Result<T, PalimError>) -> Option<T> {
    match r {
        Ok(x) => Some(x),
        Err(PalimError::Solver(e)) => panic!("{what}: the solver failed: {e}"),
        Err(_) => None,
    }
}

fn deadline() -> Option<std::time::Instant> {
    Some(std::time::Instant::now() + std::time::Duration::from_secs(10))
}

/// Validate `text`; if it is a scenario, solve it and ask about its first
/// trainee and vacancy, as a user would.
pub fn exercise(text: &str) {
    let Ok(problem) = load_str(text, "fuzz.json", &LoadOptions::default()) else {
        return;
    };
    // Fuzz inputs are small; the limit keeps a pathological one from hanging the run.
    let req = SolveRequest {
        time_limit: Some(5.0),
        ..SolveRequest::default()
    };
    if no_solver_failure("solve", service::solve(&problem, &req)).is_none() {
        return;
    }
    if problem.trainees.len() * problem.vacancies.len() > 400 {
        return; // explanations re-solve many times: keep each run short
    }
    let subjects = [
        problem
            .trainees
            .first()
            .map(|t| Subject::Trainee(t.id.clone())),
        problem
            .vacancies
            .first()
            .map(|v| Subject::Vacancy(v.id.clone())),
    ];
    for subject in subjects.into_iter().flatten() {
        no_solver_failure(
            "explain",
            service::explain(&problem, &subject, Default::default(), deadline()),
        );
    }
}
