//! Sharing a session (issue #7): the whole state — the paste, the recorded inputs, seed, feature
//! gates, the chosen StatefulSet and the moment shown — as a scenario file ([`file`]) and as a
//! compressed URL fragment ([`link`]), and back to a [`crate::scene::Session`] by replaying
//! ([`state`]). Nothing here touches the network or the DOM: a link is reproduced entirely by the
//! deterministic engine, so the receiver sees exactly what the sender saw.

#![deny(missing_docs)]

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
    /// The fragment is not a share link at all (another page anchor, or empty).
    #[error("this is not a StatefulSet Lab link (expected a fragment like #v1=...)")]
    NotALink,
    /// A link of a later format (`v2=`), made by a newer version of the app.
    #[error("this link was made by a newer StatefulSet Lab (format {0}); this version reads v1 links")]
    UnknownVersion(String),
    /// Not base64url, not deflate, or not UTF-8: usually a link cut off when copied.
    #[error("the link is damaged ({0}); was it cut off when it was copied?")]
    Damaged(String),
    /// Inflating would exceed [`MAX_UNPACKED_BYTES`] (a zip bomb, or not our link).
    #[error("the link unpacks to more than {limit} bytes; refusing it")]
    TooLarge {
        /// The limit that was hit.
        limit: usize,
    },
    /// The unpacked text is not a valid scenario file (with its line and column).
    #[error("the shared scenario is not valid: {0}")]
    Scenario(ScenarioError),
    /// More recorded inputs than [`MAX_INPUTS`].
    #[error("the scenario records more than {limit} inputs; refusing it")]
    TooManyInputs {
        /// The limit that was hit.
        limit: usize,
    },
    /// Replaying would do more work than one session may ([`crate::limits::MAX_EVENTS`]).
    #[error("replaying it stopped: {0}")]
    TooMuchWork(String),
    /// The moment shown lies beyond the recorded inputs.
    #[error("the link shows the moment after input {position}, but it records only {len} inputs")]
    PositionOutOfRange {
        /// The recorded moment.
        position: usize,
        /// How many inputs there are.
        len: usize,
    },
    /// The inputs handed to [`SharedState::capture`] are not the session's.
    #[error("the session has {session} recorded inputs but {given} were given")]
    InputsMismatch {
        /// Inputs the session recorded.
        session: usize,
        /// Inputs given.
        given: usize,
    },
    /// The input cannot be simulated (no StatefulSet, or the chosen one is missing).
    #[error("the simulation cannot be built from the shared input: {0}")]
    Simulation(String),
    /// An action this version cannot write as a scenario step.
    #[error("this action cannot be written as a scenario step yet: {0}")]
    Unrepresentable(String),
    /// A `kubectl` step in a file that should hold inputs only.
    #[error("line {line}: `{step}` only observes the cluster; a shared session records inputs only")]
    Observation {
        /// Its line in the file.
        line: usize,
        /// The step as written.
        step: String,
    },
}
