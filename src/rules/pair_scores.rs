//! With `pair_scores_only`, only pairs with a supplied score may be matched.

use super::{Detail, Fix, PairContext, PairRule, ReasonCode, Violation};

pub struct InPairScores;
impl PairRule for InPairScores {
    fn code(&self) -> ReasonCode {
        ReasonCode::NotInPairScores
    }
    fn summary(&self) -> &'static str {
        "with pair_scores_only, the pair has a supplied score"
    }
    fn excludes(&self) -> &'static str {
        "trainees have no supplied pair score for it"
    }
    fn for_employer(&self, _n: &str) -> String {
        "not in pair scores".to_string()
    }
    fn check(&self, cx: &PairContext) -> Option<Violation> {
        if !cx.p.pair_scores_only || cx.p.pair_scores.contains_key(&(cx.t, cx.v)) {
            return None;
        }
        Some(Violation {
            code: self.code(),
            message: format!(
                "only pairs with a supplied score may be matched, and {} / {} has none",
                cx.tid(),
                cx.vid()
            ),
            detail: Detail::NotScored,
        })
    }
    fn fixes(&self, cx: &PairContext, _found: &Violation) -> Vec<Fix> {
        vec![Fix::SupplyPairScore {
            trainee: cx.tid().to_string(),
            vacancy: cx.vid().to_string(),
        }]
    }
}
