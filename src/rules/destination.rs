//! The trainee accepts the vacancy's destination.

use super::{Detail, Fix, PairContext, PairRule, ReasonCode};

pub struct DestinationAccepted;
impl PairRule for DestinationAccepted {
    fn code(&self) -> ReasonCode {
        ReasonCode::DestinationNotAccepted
    }
    fn summary(&self) -> &'static str {
        "the trainee accepts the vacancy's destination"
    }
    fn excludes(&self) -> &'static str {
        "trainees do not accept its destination"
    }
    fn for_employer(&self, n: &str) -> String {
        format!("{n}candidates do not accept this destination")
    }
    fn fails(&self, cx: &PairContext) -> bool {
        !cx.p.trainees[cx.t]
            .accepts
            .contains(&cx.p.vacancies[cx.v].dest)
    }
    fn detail(&self, cx: &PairContext) -> Option<Detail> {
        let vac = &cx.p.vacancies[cx.v];
        if cx.p.trainees[cx.t].accepts.contains(&vac.dest) {
            return None;
        }
        Some(Detail::Destination {
            destination: cx.p.destinations[vac.dest].code.clone(),
        })
    }
    fn message(&self, cx: &PairContext, _found: &Detail) -> String {
        let dest = &cx.p.destinations[cx.p.vacancies[cx.v].dest];
        format!(
            "{} does not accept {} ({})",
            cx.tid(),
            dest.label,
            dest.code
        )
    }
    fn fixes(&self, cx: &PairContext, found: &Detail) -> Vec<Fix> {
        let Detail::Destination { destination } = found else {
            return Vec::new();
        };
        vec![Fix::AcceptDestination {
            trainee: cx.tid().to_string(),
            destination: destination.clone(),
        }]
    }
}
