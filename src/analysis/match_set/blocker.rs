//! Why an eligible trainee is not at a vacancy in an optimal match set: a hard
//! rule at its bound there, or — with room everywhere — the objective.
//!
//! Each kind is one unit: its stable code, the hard rule it points at (so an
//! explanation's what-if is that rule's [`HardRule::loosened`], never a string
//! match) and its wording for an employer, who must not see other candidates.

use crate::solve::hard_rules::HardRule;

/// The kinds of blocker, in the order of their codes (reasons group by code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Blocked {
    /// The destination's maximum is reached.
    QuotaReached,
    /// The employer receives its cap.
    CapReached,
    /// Placing the trainee would break a group share.
    ShareLimit,
    /// The vacancy has room, but the objective prefers the match set without it.
    Objective,
    /// Every position is held by someone.
    PositionsFilled,
}

impl Blocked {
    pub(crate) const ALL: [Blocked; 5] = [
        Blocked::QuotaReached,
        Blocked::CapReached,
        Blocked::ShareLimit,
        Blocked::Objective,
        Blocked::PositionsFilled,
    ];

    /// The stable code of the contract's reasons.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Blocked::QuotaReached => "destination_quota_reached",
            Blocked::CapReached => "employer_cap_reached",
            Blocked::ShareLimit => "group_share_limit",
            Blocked::Objective => "not_chosen_for_score",
            Blocked::PositionsFilled => "positions_filled",
        }
    }

    /// The kind whose code is `code`, if any.
    pub(crate) fn named(code: &str) -> Option<Blocked> {
        Blocked::ALL.into_iter().find(|b| b.code() == code)
    }

    /// The employer's wording about one eligible candidate, `who`.
    pub(crate) fn to_employer(self, who: &str) -> String {
        match self {
            Blocked::PositionsFilled => format!("{who} is eligible, but your positions went to candidates that give a better overall match set"),
            Blocked::QuotaReached => format!("{who} is eligible, but the destination's quota is reached"),
            Blocked::CapReached => format!("{who} is eligible, but you have reached the maximum placements per employer"),
            Blocked::ShareLimit => format!("{who} is eligible, but placing them would break a group-share rule of the programme"),
            Blocked::Objective => format!("{who} is eligible, but placing them would lower the programme's result"),
        }
    }

    /// The employer's wording of why open positions stay open, for `n` (a
    /// count and a space, or nothing) eligible candidates.
    pub(crate) fn open_position(self, n: &str) -> String {
        match self {
            Blocked::QuotaReached => "the destination's quota is reached".to_string(),
            Blocked::CapReached => {
                "you have reached the maximum placements per employer".to_string()
            }
            Blocked::ShareLimit => format!(
                "placing {n}eligible candidates would break a group-share rule of the programme"
            ),
            Blocked::Objective => {
                format!("placing {n}eligible candidates would lower the programme's result")
            }
            Blocked::PositionsFilled => "every position is filled".to_string(),
        }
    }
}

/// One blocker of a pair: its kind, the hard rule at its bound (none for the
/// objective) and the officer's sentence.
#[derive(Debug, Clone)]
pub(crate) struct Blocker {
    pub(crate) kind: Blocked,
    pub(crate) rule: Option<HardRule>,
    pub(crate) message: String,
}

impl Blocker {
    pub(crate) fn code(&self) -> &'static str {
        self.kind.code()
    }
}
