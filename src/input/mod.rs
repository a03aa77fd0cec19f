//! What the officer wrote, read and checked.
//!
//! Scenario text (or a variant and its bases) becomes a validated, indexed
//! [`crate::model::problem::Problem`], or every problem with the input at
//! once, each with its place. Nothing after this step reads text. Locks are
//! checked against the eligibility rules themselves, so this folder comes
//! after `rules/` in import order although it is first in the data flow.

pub mod generate;
pub mod load;
pub mod validate;
pub mod variant;
pub mod workbook;
