//! `kubectl rollout history|pause|resume|restart|undo|status`.

use crate::engine::Cluster;

use super::cli::Outcome;
use super::flags::Parsed;

pub fn run(cluster: &Cluster, sub: &str, _p: &Parsed, _cmd: &str) -> Outcome {
    match sub {
        "status" => {
            let r = super::rollout_status(cluster);
            if r.error {
                Outcome::err(r.message)
            } else {
                Outcome::out(r.message)
            }
        }
        _ => Outcome::err("# not yet"),
    }
}
