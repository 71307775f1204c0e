//! `kubectl describe` (describe.go).

use crate::engine::Cluster;

use super::cli::Outcome;
use super::flags::Parsed;

pub fn run(_cluster: &Cluster, _p: &Parsed) -> Outcome {
    Outcome::err("# describe: not yet")
}
