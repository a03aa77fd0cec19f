//! The trainee accepts the vacancy's destination.

use super::{Detail, Fix, PairContext, PairRule, ReasonCode, Violation};

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
    fn check(&self, cx: &PairContext) -> Option<Violation> {
        let vac = &cx.p.vacancies[cx.v];
        if cx.p.trainees[cx.t].accepts.contains(&vac.dest) {
            return None;
        }
        let dest = &cx.p.destinations[vac.dest];
        Some(Violation {
            code: self.code(),
            message: format!(
                "{} does not accept {} ({})",
                cx.tid(),
                dest.label,
                dest.code
            ),
            detail: Detail::Destination {
                destination: dest.code.clone(),
            },
        })
    }
    fn fixes(&self, cx: &PairContext, found: &Violation) -> Vec<Fix> {
        let Detail::Destination { destination } = &found.detail else {
            return Vec::new();
        };
        vec![Fix::AcceptDestination {
            trainee: cx.tid().to_string(),
            destination: destination.clone(),
        }]
    }
}
