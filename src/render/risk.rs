//! The permit-delay risk report as text.

use crate::documents::risk::{PairRisk, RiskReport};

/// The report as text.
pub fn text(r: &RiskReport) -> String {
    let mut out = format!(
        "{} placements; expected on time: {} ({} samples per match, seed {})\n\n",
        r.placements,
        crate::words::num(r.expected_on_time),
        r.samples,
        r.seed
    );
    let mut rows: Vec<&PairRisk> = r.matches.iter().collect();
    rows.sort_by(|a, b| {
        a.on_time
            .total_cmp(&b.on_time)
            .then(a.trainee.cmp(&b.trainee))
    });
    for m in rows.iter().filter(|m| m.on_time < 1.0) {
        let by = m.documents_by.map_or(String::new(), |d| {
            format!(
                "; documents by {d} for a {}% chance",
                crate::words::num(r.confidence * 100.0)
            )
        });
        out.push_str(&format!(
            "  {} at {}: {}% on time{by}\n",
            m.trainee,
            m.vacancy,
            crate::words::num(m.on_time * 100.0)
        ));
    }
    let safe = rows.iter().filter(|m| m.on_time >= 1.0).count();
    out.push_str(&format!(
        "  ... and {safe} matches on time in every sample\n"
    ));
    out
}
