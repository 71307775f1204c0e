//! Sharing a session (issue #7): the whole state — the paste, the recorded inputs, seed, feature
//! gates, the chosen StatefulSet and the moment shown — as a scenario file ([`file`]) and as a
//! compressed URL fragment ([`link`]), and back to a [`crate::scene::Session`] by replaying
//! ([`state`]). Nothing here touches the network or the DOM: a link is reproduced entirely by the
//! deterministic engine, so the receiver sees exactly what the sender saw.

pub mod file;
pub mod link;
pub mod state;
pub mod steps;

pub use file::{import_scenario, Granularity, Imported};
pub use link::{decode, encode, MAX_UNPACKED_BYTES};
pub use state::{SharedState, MAX_INPUTS};

use crate::scenario::ScenarioError;

/// Why a link or a scenario file could not become a session. `PartialEq` so tests compare them;
/// every message is meant to be shown to the user as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShareError {
    #[error("this is not a StatefulSet Lab link (expected a fragment like #v1=...)")]
    NotALink,
    #[error("this link was made by a newer StatefulSet Lab (format {0}); this version reads v1 links")]
    UnknownVersion(String),
    #[error("the link is damaged ({0}); was it cut off when it was copied?")]
    Damaged(String),
    #[error("the link unpacks to more than {limit} bytes; refusing it")]
    TooLarge { limit: usize },
    #[error("the shared scenario is not valid: {0}")]
    Scenario(ScenarioError),
    #[error("the scenario records more than {limit} inputs; refusing it")]
    TooManyInputs { limit: usize },
    #[error("the link shows the moment after input {position}, but it records only {len} inputs")]
    PositionOutOfRange { position: usize, len: usize },
    #[error("the session has {session} recorded inputs but {given} were given")]
    InputsMismatch { session: usize, given: usize },
    #[error("the simulation cannot be built from the shared input: {0}")]
    Simulation(String),
    #[error("this action cannot be written as a scenario step yet: {0}")]
    Unrepresentable(String),
    #[error("line {line}: `{step}` only observes the cluster; a shared session records inputs only")]
    Observation { line: usize, step: String },
}
