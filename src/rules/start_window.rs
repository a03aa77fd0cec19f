//! The trainee can start before the vacancy's window closes: available, and
//! (where a permit is needed) with complete documents early enough.

use super::{Detail, Fix, PairContext, PairRule, ReasonCode, StartBound};
use crate::limits;
use crate::words;

pub struct StartWindow;
impl PairRule for StartWindow {
    fn code(&self) -> ReasonCode {
        ReasonCode::StartWindowMissed
    }
    fn summary(&self) -> &'static str {
        "the trainee can start before the window closes (availability, permit lead time)"
    }
    fn excludes(&self) -> &'static str {
        "trainees could not start before its window closes"
    }
    fn for_employer(&self, n: &str) -> String {
        format!("{n}candidates could not start before the window closes")
    }
    fn fails(&self, cx: &PairContext) -> bool {
        cx.timing.documents_missing
            || matches!((cx.timing.earliest, cx.p.vacancies[cx.v].latest), (Some(e), Some(l)) if e > l)
    }
    fn detail(&self, cx: &PairContext) -> Option<Detail> {
        let vac = &cx.p.vacancies[cx.v];
        if cx.timing.documents_missing {
            return Some(Detail::DocumentsMissing {
                permit_days: cx.p.destinations[vac.dest].permit_days,
            });
        }
        let (earliest, latest) = (cx.timing.earliest?, vac.latest?);
        if earliest <= latest {
            return None;
        }
        Some(Detail::Late {
            earliest_start: earliest,
            latest,
            days_late: (earliest - latest).num_days(),
            bound: cx.timing.bound,
        })
    }
    fn message(&self, cx: &PairContext, found: &Detail) -> String {
        let dest = &cx.p.destinations[cx.p.vacancies[cx.v].dest];
        let &Detail::Late {
            earliest_start: earliest,
            latest,
            days_late: late,
            bound,
        } = found
        else {
            return format!(
                "{} needs a permit ({} days from complete documents) and {}'s documents have no date yet",
                dest.label,
                dest.permit_days,
                cx.tid()
            );
        };
        let cause = match bound {
            StartBound::Permit => format!(
                "the permit would be ready on {earliest} (documents {} + {} days)",
                cx.p.trainees[cx.t]
                    .documents_ready
                    .map_or(String::new(), |d| d.to_string()),
                dest.permit_days
            ),
            StartBound::Available => format!("{} is available from {earliest}", cx.tid()),
            StartBound::Window => format!("the window opens on {earliest}"),
        };
        format!(
            "{cause}, {} after {}'s latest start ({latest})",
            words::days(late),
            cx.vid()
        )
    }
    /// Documents complete, or availability, that many days earlier; nothing
    /// when the window itself opens too late.
    fn fixes(&self, cx: &PairContext, found: &Detail) -> Vec<Fix> {
        let (p, t) = (cx.p, cx.t);
        let trainee = cx.tid().to_string();
        let fix = match found {
            Detail::DocumentsMissing { permit_days } => p.vacancies[cx.v]
                .latest
                .and_then(|latest| limits::days_before(latest, u64::from(*permit_days)))
                .map(|date| Fix::DocumentsBy {
                    trainee,
                    date,
                    days_earlier: None,
                }),
            Detail::Late {
                days_late,
                bound: StartBound::Permit,
                ..
            } => p.trainees[t]
                .documents_ready
                .and_then(|docs| limits::days_before(docs, days_late.unsigned_abs()))
                .map(|date| Fix::DocumentsBy {
                    trainee,
                    date,
                    days_earlier: Some(*days_late),
                }),
            Detail::Late {
                days_late,
                bound: StartBound::Available,
                ..
            } => limits::days_before(p.trainees[t].available_from, days_late.unsigned_abs()).map(
                |date| Fix::AvailableBy {
                    trainee,
                    date,
                    days_earlier: *days_late,
                },
            ),
            _ => None,
        };
        fix.into_iter().collect()
    }
}
