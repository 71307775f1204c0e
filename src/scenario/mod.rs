//! Scenario files (issue #4): the YAML format ([`mod@format`]) and the runner that drives the engine and
//! records a transcript ([`runner`]). Pure: the CLI and the tests read files, this module does not.

pub mod format;
pub mod runner;

pub use format::{parse, Scenario, ScenarioError, Step, StepKind};
pub use runner::{event_line, run, Entry, Transcript};
