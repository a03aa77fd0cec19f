//! The start does not fall in a blackout (a run of them) that lasts past the
//! vacancy's latest start.

use super::{Detail, Fix, PairContext, PairRule, ReasonCode};

pub struct NoBlackout;
impl PairRule for NoBlackout {
    fn code(&self) -> ReasonCode {
        ReasonCode::Blackout
    }
    fn summary(&self) -> &'static str {
        "the start does not fall in a blackout before the window closes"
    }
    fn excludes(&self) -> &'static str {
        "trainees would start in a blackout"
    }
    fn for_employer(&self, n: &str) -> String {
        format!("{n}candidates would start during a blackout")
    }
    fn fails(&self, cx: &PairContext) -> bool {
        match (
            cx.timing.earliest,
            cx.timing.start,
            cx.p.vacancies[cx.v].latest,
        ) {
            (Some(earliest), Some(start), Some(latest)) => earliest <= latest && start > latest,
            _ => false,
        }
    }
    fn detail(&self, cx: &PairContext) -> Option<Detail> {
        let vac = &cx.p.vacancies[cx.v];
        let (earliest, start, latest) = (cx.timing.earliest?, cx.timing.start?, vac.latest?);
        if earliest > latest || start <= latest {
            return None;
        }
        Some(Detail::Blackout {
            earliest_start: earliest,
            pushed_to: start,
            latest,
        })
    }
    fn message(&self, cx: &PairContext, found: &Detail) -> String {
        let &Detail::Blackout {
            earliest_start: earliest,
            latest,
            ..
        } = found
        else {
            return String::new();
        };
        let dest = &cx.p.destinations[cx.p.vacancies[cx.v].dest];
        let why: Vec<String> = dest
            .blackouts
            .iter()
            .filter(|b| b.to >= earliest && b.from <= latest)
            .map(|b| match &b.why {
                Some(w) => format!("{} to {} ({w})", b.from, b.to),
                None => format!("{} to {}", b.from, b.to),
            })
            .collect();
        format!(
            "every day from {earliest} to {}'s latest start ({latest}) falls in a blackout: {}",
            cx.vid(),
            why.join(", ")
        )
    }
    /// A blackout is the destination's: no change to the pair's data helps.
    fn fixes(&self, _cx: &PairContext, _found: &Detail) -> Vec<Fix> {
        Vec::new()
    }
}
