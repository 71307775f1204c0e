//! Requests through the Service and the lab's per-replica counters (spec §10, issue #4).
//!
//! kube-proxy (iptables mode) sends each new connection to one ready endpoint chosen uniformly at
//! random; the chosen pod's app increments `{"count": N}` in a file on its own volume. The counter
//! therefore lives with the claim: it survives pod deletion, updates and scale down/up while the
//! claim is kept, and starts from zero on a new claim.

use std::collections::BTreeMap;

use serde::Serialize;

use super::cluster::{claim_name, Cluster};
use super::event::EventKind;

/// What one batch of requests did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrafficReport {
    pub requests: u64,
    /// Requests refused because no endpoint was ready.
    pub refused: u64,
    /// Requests served per pod name.
    pub per_pod: BTreeMap<String, u64>,
    /// Requests served per revision name.
    pub per_revision: BTreeMap<String, u64>,
}

/// The share of new connections a revision gets right now: its ready endpoints over all ready
/// endpoints (a canary among N ready pods gets 1/N).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RevisionShare {
    pub revision: String,
    pub endpoints: usize,
    pub share: f64,
}

impl Cluster {
    /// Expected traffic share per revision, from the current endpoints.
    pub fn traffic_share(&self) -> Vec<RevisionShare> {
        let endpoints = self.endpoints();
        let mut by_rev: BTreeMap<String, usize> = BTreeMap::new();
        for e in &endpoints {
            *by_rev.entry(e.revision.clone()).or_default() += 1;
        }
        let total = endpoints.len().max(1) as f64;
        by_rev
            .into_iter()
            .map(|(revision, n)| RevisionShare { revision, endpoints: n, share: n as f64 / total })
            .collect()
    }

    /// The last batch of requests, if any.
    pub fn last_traffic(&self) -> Option<&TrafficReport> {
        self.last_traffic.as_ref()
    }

    /// Sends `n` requests through the Service at the current moment: at most
    /// [`crate::limits::MAX_REQUESTS_PER_ACTION`] (`apply` refuses more with a message).
    pub fn send_requests(&mut self, n: u64) -> TrafficReport {
        let n = n.min(crate::limits::MAX_REQUESTS_PER_ACTION);
        let endpoints: Vec<(i32, String, String)> =
            self.endpoints().into_iter().map(|e| (e.ordinal, e.pod, e.revision)).collect();
        let mut hits = vec![0u64; endpoints.len()];
        let mut refused = 0;
        if endpoints.is_empty() {
            refused = n;
        } else {
            let k = endpoints.len() as u32;
            for _ in 0..n {
                hits[self.rng.below(k) as usize] += 1;
            }
        }
        let template = self.counter_template();
        let mut report =
            TrafficReport { requests: n, refused, per_pod: BTreeMap::new(), per_revision: BTreeMap::new() };
        for ((ordinal, pod, rev), count) in endpoints.iter().zip(&hits) {
            report.per_pod.insert(pod.clone(), *count);
            let per_revision = report.per_revision.entry(rev.clone()).or_default();
            *per_revision = per_revision.saturating_add(*count);
            if *count == 0 {
                continue;
            }
            match &template {
                Some(tpl) => {
                    let name = claim_name(tpl, &self.set_name, *ordinal);
                    if let Some(claim) = self.claims.get_mut(&name) {
                        claim.visits = Some(claim.visits.unwrap_or(0).saturating_add(*count));
                    }
                }
                None => {
                    if let Some(p) = self.pods.get_mut(ordinal) {
                        p.local_visits = Some(p.local_visits.unwrap_or(0).saturating_add(*count));
                    }
                }
            }
        }
        let service = self.front_service_name();
        let text = if endpoints.is_empty() {
            format!("{n} requests to Service {service}: no Ready endpoint, every connection is refused.")
        } else {
            let parts: Vec<String> = report.per_pod.iter().map(|(p, c)| format!("{p} {c}")).collect();
            format!(
                "{n} requests to Service {service}, each sent to one of {} Ready endpoints at random: {}.",
                endpoints.len(),
                parts.join(", ")
            )
        };
        self.log(EventKind::Request, service, None, "10", text);
        self.last_traffic = Some(report.clone());
        report
    }

    /// The Service clients use: a ClusterIP Service (kube-proxy balances it), else the governing one.
    pub fn front_service_name(&self) -> String {
        self.services
            .iter()
            .find(|s| s.cluster_ip.is_some())
            .or_else(|| self.services.first())
            .map(|s| s.name.clone())
            .unwrap_or_else(|| self.set_name.clone())
    }
}
