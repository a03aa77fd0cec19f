//! The trainee meets every level the vacancy requires.

use super::{Detail, Fix, PairContext, PairRule, ReasonCode, SkillGap};
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
    fn detail(&self, cx: &PairContext) -> Option<Detail> {
        let levels = &cx.p.trainees[cx.t].levels;
        let gaps: Vec<SkillGap> = (cx.p.vacancies[cx.v].requires.iter())
            .filter(|&&(s, need)| levels[s] < need)
            .map(|&(s, need)| SkillGap {
                skill: cx.p.skills[s].name.clone(),
                required: need,
                has: levels[s],
            })
            .collect();
        (!gaps.is_empty()).then_some(Detail::Skills { gaps })
    }
    fn message(&self, cx: &PairContext, found: &Detail) -> String {
        let levels = &cx.p.trainees[cx.t].levels;
        // The vacancy's requirements, not the gaps' names: a skill's words
        // are its scale's, found by its index.
        let short = (cx.p.vacancies[cx.v].requires.iter()).filter(|&&(s, need)| levels[s] < need);
        let parts: Vec<String> = short
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
        debug_assert!(matches!(found, Detail::Skills { gaps } if gaps.len() == parts.len()));
        parts.join("; ")
    }
    /// A training module per gap: every required level reached.
    fn fixes(&self, cx: &PairContext, found: &Detail) -> Vec<Fix> {
        let Detail::Skills { gaps } = found else {
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
