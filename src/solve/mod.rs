//! Step 4: the best pairs, proven optimal, and audited.
//!
//! [`optimize`] picks the engine (the flow network, the core method or the
//! integer program) and holds their common outcome; [`audit`] re-checks any
//! answer against every hard rule; [`diagnose`] says why a scenario has no
//! match set.

pub mod audit;
mod basis;
pub mod core_method;
pub mod diagnose;
pub mod flow;
pub mod hard_rules;
pub mod optimize;
pub(crate) mod outcome;
mod propagate;
pub mod shortlist;
pub mod stability;
