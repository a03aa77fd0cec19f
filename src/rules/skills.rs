//! The trainee meets every level the vacancy requires.

use super::{Detail, Fix, PairContext, PairRule, ReasonCode, SkillGap, Violation};
use crate::model::problem::SkillIx;

/// Whether a trainee with these `levels` falls short of one of the
/// `requires` (skill, level) pairs: the rule's test, which the eligibility
/// graph and the rules' counts also ask once for every vacancy requiring
/// the same levels.
pub fn falls_short(levels: &[f64], requires: &[(SkillIx, f64)]) -> bool {
    requires.iter().any(|&(s, need)| levels[s] < need)
}

pub struct SkillRequirements;
impl PairRule for SkillRequirements {
    fn code(&self) -> ReasonCode {
        ReasonCode::SkillBelowRequirement
    }
    fn summary(&self) -> &'static str {
        "the trainee meets every required skill level"
    }
    fn excludes(&self) -> &'static str {
        "trainees fall below a required skill level"
    }
    fn for_employer(&self, n: &str) -> String {
        format!("{n}candidates fall below a required skill level")
    }
    fn fails(&self, cx: &PairContext) -> bool {
        falls_short(&cx.p.trainees[cx.t].levels, &cx.p.vacancies[cx.v].requires)
    }
    fn check(&self, cx: &PairContext) -> Option<Violation> {
        let levels = &cx.p.trainees[cx.t].levels;
        let short: Vec<(usize, f64)> = cx.p.vacancies[cx.v]
            .requires
            .iter()
            .copied()
            .filter(|&(s, need)| levels[s] < need)
            .collect();
        if short.is_empty() {
            return None;
        }
        let parts: Vec<String> = short
            .iter()
            .map(|&(s, need)| {
                let info = &cx.p.skills[s];
                format!(
                    "{} requires {}, {} has {}",
                    cx.vid(),
                    info.level_text(need),
                    cx.tid(),
                    info.scale.describe(levels[s])
                )
            })
            .collect();
        let gaps = short
            .iter()
            .map(|&(s, need)| SkillGap {
                skill: cx.p.skills[s].name.clone(),
                required: need,
                has: levels[s],
            })
            .collect();
        Some(Violation {
            code: self.code(),
            message: parts.join("; "),
            detail: Detail::Skills { gaps },
        })
    }
    /// A training module per gap: every required level reached.
    fn fixes(&self, cx: &PairContext, found: &Violation) -> Vec<Fix> {
        let Detail::Skills { gaps } = &found.detail else {
            return Vec::new();
        };
        gaps.iter()
            .map(|g| Fix::RaiseSkill {
                trainee: cx.tid().to_string(),
                skill: g.skill.clone(),
                from: g.has,
                to: g.required,
            })
            .collect()
    }
}
