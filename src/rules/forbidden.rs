//! The matching officer has not forbidden the pair.

use super::{Detail, Fix, PairContext, PairRule, ReasonCode, Violation};

pub struct NotForbidden;
impl PairRule for NotForbidden {
    fn code(&self) -> ReasonCode {
        ReasonCode::Forbidden
    }
    fn summary(&self) -> &'static str {
        "the matching officer has not forbidden the pair"
    }
    fn excludes(&self) -> &'static str {
        "trainees are forbidden there by the matching officer"
    }
    fn for_employer(&self, _n: &str) -> String {
        "forbidden".to_string()
    }
    fn check(&self, cx: &PairContext) -> Option<Violation> {
        let why = cx.p.forbids.get(&(cx.t, cx.v))?;
        let because = why.as_ref().map_or(String::new(), |w| format!(": {w}"));
        Some(Violation {
            code: self.code(),
            message: format!(
                "the matching officer forbade {} at {}{because}",
                cx.tid(),
                cx.vid()
            ),
            detail: Detail::Forbidden { why: why.clone() },
        })
    }
    fn fixes(&self, cx: &PairContext, _found: &Violation) -> Vec<Fix> {
        vec![Fix::LiftForbid {
            trainee: cx.tid().to_string(),
            vacancy: cx.vid().to_string(),
        }]
    }
}
