//! With `pair_scores_only`, only pairs with a supplied score may be matched.

use super::{Detail, Fix, PairContext, PairRule, ReasonCode};

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
    fn detail(&self, cx: &PairContext) -> Option<Detail> {
        if !cx.p.pair_scores_only || cx.p.pair_scores.contains_key(&(cx.t, cx.v)) {
            return None;
        }
        Some(Detail::NotScored)
    }
    fn message(&self, cx: &PairContext, _found: &Detail) -> String {
        format!(
            "only pairs with a supplied score may be matched, and {} / {} has none",
            cx.tid(),
            cx.vid()
        )
    }
    fn fixes(&self, cx: &PairContext, _found: &Detail) -> Vec<Fix> {
        vec![Fix::SupplyPairScore {
            trainee: cx.tid().to_string(),
            vacancy: cx.vid().to_string(),
        }]
    }
}
