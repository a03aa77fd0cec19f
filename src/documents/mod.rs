//! The documents palim writes, as plain data: what `--format json` prints and
//! the server sends, with their JSON Schemas.
//!
//! Nothing here computes. The analyses fill these types and the renderers
//! read them, and a match set is also an input (to a re-plan and a
//! comparison), so the types sit below everything that makes or reads them:
//! they import only the reason codes of `rules` and each other.

pub mod comparison;
pub mod explanation;
pub mod match_set;
pub mod parts;
pub mod replan;
pub mod risk;
pub mod shortlist;
pub mod summary;
