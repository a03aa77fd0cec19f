//! What a re-plan kept and changed.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::documents::comparison::PersonChange;

/// What a re-plan kept and changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Replan {
    /// The previous match set's file.
    pub previous: String,
    pub previous_input_sha256: String,
    /// Previous matches kept as they were.
    pub kept: usize,
    /// Previous matches that could not be kept, or new ones.
    pub changed: Vec<PersonChange>,
}
