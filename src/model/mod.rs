//! The vocabulary of every step: a scenario and its competency model as the
//! contract writes them (serde and JSON Schema, nothing derived), and
//! `problem::Problem`, the validated and indexed scenario every later step
//! reads. Only `input::validate` makes a `Problem`.

pub mod competency;
pub mod problem;
pub mod scenario;
