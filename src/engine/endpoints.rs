//! Service endpoints (spec §10): only Ready, non-terminating pods receive traffic.

use serde::Serialize;

use super::cluster::Cluster;

/// One EndpointSlice entry with `ready=true`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    pub pod: String,
    pub ordinal: i32,
    pub ip: String,
    pub revision: String,
}

impl Cluster {
    /// The ready endpoints behind the set's Services, in ordinal order.
    pub fn endpoints(&self) -> Vec<Endpoint> {
        self.pods
            .values()
            .filter(|p| p.ready && !p.is_terminating() && !p.containers_stopped)
            .map(|p| Endpoint {
                pod: p.name.clone(),
                ordinal: p.ordinal,
                ip: p.ip.clone().unwrap_or_default(),
                revision: p.revision.clone(),
            })
            .collect()
    }
}
