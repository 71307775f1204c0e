//! Scenario files (issue #4): the YAML format ([`mod@format`]) and the runner that drives the engine and
//! records a transcript ([`runner`]). Pure: the CLI and the tests read files, this module does not.

pub mod format;
pub mod runner;

pub use format::{assume_yaml, parse, set_gate, version_and_gates_yaml, Scenario, ScenarioError, Step, StepKind};
pub use runner::{event_line, run, Entry, Transcript};
