//! The kubectl commands that change the cluster: each resolves to an [`crate::engine::Action`].

use crate::engine::Cluster;

use super::cli::Outcome;
use super::flags::Parsed;

pub fn scale(_c: &Cluster, _p: &Parsed, _cmd: &str) -> Outcome {
    Outcome::err("# not yet")
}
pub fn patch(_c: &Cluster, _p: &Parsed, _cmd: &str) -> Outcome {
    Outcome::err("# not yet")
}
pub fn set_image(_c: &Cluster, _p: &Parsed, _cmd: &str) -> Outcome {
    Outcome::err("# not yet")
}
pub fn delete(_c: &Cluster, _p: &Parsed, _cmd: &str) -> Outcome {
    Outcome::err("# not yet")
}
pub fn apply(_c: &Cluster, _p: &Parsed, _cmd: &str, _files: &dyn Fn(&str) -> Option<String>) -> Outcome {
    Outcome::err("# not yet")
}
pub fn label(_c: &Cluster, _p: &Parsed, _cmd: &str, _field: &str) -> Outcome {
    Outcome::err("# not yet")
}
