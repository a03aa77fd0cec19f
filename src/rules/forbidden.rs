//! The matching officer has not forbidden the pair.

use super::{Detail, Fix, PairContext, PairRule, ReasonCode};

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
    fn detail(&self, cx: &PairContext) -> Option<Detail> {
        let why = cx.p.forbids.get(&(cx.t, cx.v))?;
        Some(Detail::Forbidden { why: why.clone() })
    }
    fn message(&self, cx: &PairContext, found: &Detail) -> String {
        let because = match found {
            Detail::Forbidden { why: Some(w) } => format!(": {w}"),
            _ => String::new(),
        };
        format!(
            "the matching officer forbade {} at {}{because}",
            cx.tid(),
            cx.vid()
        )
    }
    fn fixes(&self, cx: &PairContext, _found: &Detail) -> Vec<Fix> {
        vec![Fix::LiftForbid {
            trainee: cx.tid().to_string(),
            vacancy: cx.vid().to_string(),
        }]
    }
}
