//! Competency models: which skills exist, on which scale, and how fit is computed.
//!
//! A scenario names a model (a file in `models/`, bundled into the binary so the
//! tool works from any directory) or inlines one. Skills carry ESCO identifiers
//! where ESCO has one, so that public employment services, which speak ESCO, can
//! exchange data with palim.

use std::collections::BTreeMap;
use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The models shipped in `models/`, compiled in.
const BUNDLED: &[(&str, &str)] = &[(
    "junior-java-developer",
    include_str!("../../models/junior-java-developer.json"),
)];

/// Names of the bundled models, for error messages and `--help`.
pub fn bundled_names() -> Vec<&'static str> {
    BUNDLED.iter().map(|(name, _)| *name).collect()
}

/// The text of a model by name: a `NAME.json` in `extra_dir` first (so an
/// officer can try a new model without rebuilding), then the bundled ones.
pub fn model_source(name: &str, extra_dir: Option<&Path>) -> Option<(String, String)> {
    if let Some(dir) = extra_dir {
        let path = dir.join(format!("{name}.json"));
        if let Ok(text) = std::fs::read_to_string(&path) {
            return Some((path.display().to_string(), text));
        }
    }
    BUNDLED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, text)| (format!("models/{n}.json"), (*text).to_string()))
}

/// A competency model.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(deny_unknown_fields)]
pub struct CompetencyModel {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The occupation the model describes (ESCO / ISCO).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occupation: Option<Occupation>,
    /// How fit is computed; only `"weighted_mean"` exists today.
    #[serde(default)]
    pub fit: FitMethod,
    /// The fit rule in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fit_note: Option<String>,
    pub skills: BTreeMap<String, Skill>,
}

/// The occupation a model describes.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(deny_unknown_fields)]
pub struct Occupation {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub esco: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isco: Option<String>,
}

/// How a pair's fit in [0, 1] is computed from the trainee's levels and the
/// vacancy's `values`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(rename_all = "snake_case")]
pub enum FitMethod {
    /// `sum(value_s * min(level_s, max_s) / max_s) / sum(value_s)`; 0 when the
    /// vacancy values nothing.
    #[default]
    WeightedMean,
}

/// One skill of a model.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(deny_unknown_fields)]
pub struct Skill {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub scale: Scale,
    /// The ESCO skill URI, where ESCO has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub esco: Option<String>,
}

/// A skill's scale: levels `min..=max`, optionally named (`"CEFR"`) and labelled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    #[serde(default)]
    pub min: f64,
    pub max: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A label per level from `min` up, e.g. `["none", "A1", "A2", ...]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<String>,
}

/// CEFR labels by level: 0 none, 1 A1 ... 6 C2.
pub const CEFR: [&str; 7] = ["none", "A1", "A2", "B1", "B2", "C1", "C2"];

impl Scale {
    pub fn is_cefr(&self) -> bool {
        self.name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case("cefr"))
    }

    /// The numeric level of a label: the scale's own labels, then CEFR for CEFR
    /// scales.
    pub fn level_of_label(&self, label: &str) -> Option<f64> {
        let label = label.trim();
        if let Some(i) = self
            .levels
            .iter()
            .position(|l| l.eq_ignore_ascii_case(label))
        {
            return Some(self.min + i as f64);
        }
        if self.is_cefr() {
            return CEFR
                .iter()
                .position(|l| l.eq_ignore_ascii_case(label))
                .map(|i| i as f64);
        }
        None
    }

    /// A level for people: `"B2 (4)"` on CEFR, `"2"` elsewhere.
    pub fn describe(&self, level: f64) -> String {
        let n = crate::words::num(level);
        if level.fract() == 0.0 && level >= self.min {
            let i = (level - self.min) as usize;
            if let Some(l) = self.levels.get(i) {
                return format!("{l} ({n})");
            }
            if self.is_cefr() {
                if let Some(l) = CEFR.get(level as usize) {
                    return format!("{l} ({n})");
                }
            }
        }
        n
    }
}
