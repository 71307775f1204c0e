//! Requests through the Service and the lab's per-replica counters (spec §10, issue #4), and one
//! request to one pod's own DNS name (spec §1, [`super::dns`]).
//!
//! kube-proxy (iptables mode) sends each new connection to one ready endpoint chosen uniformly at
//! random; the chosen pod's app increments `{"count": N}` in a file on its own volume. The counter
//! therefore lives with the claim: it survives pod deletion, updates and scale down/up while the
//! claim is kept, and starts from zero on a new claim.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::Serialize;

use super::action::ActionError;
use super::cluster::{claim_name, pod_name, Cluster, ServiceState};
use super::event::EventKind;

/// The image of the throw-away client pod in the `kubectl run` command of a request: pinned, as
/// a tag that exists on Docker Hub, so the command does the same thing tomorrow.
pub const CURL_IMAGE: &str = "curlimages/curl:8.11.1";

/// The `kubectl run` command that sends one request to `host` from a pod in `namespace`, as a
/// student would type it on a real cluster. `-i` without `-t`: no terminal is needed, the output
/// comes back and `--rm` deletes the pod; `--quiet` drops kubectl's own messages so only curl
/// speaks; `curl -sS` hides the progress meter but still prints errors (`-s` alone hides them).
/// The port is the container's, not the Service's: a per-pod name resolves to the pod's own IP,
/// where no Service translates ports. The namespace matters: the short name `web-1.nginx` is
/// found through the client pod's DNS search path, which starts with its own namespace.
pub fn curl_command(host: &str, port: Option<i32>, namespace: Option<&str>) -> String {
    let ns = namespace.filter(|n| *n != "default").map(|n| format!(" -n {n}")).unwrap_or_default();
    let url = match port {
        Some(p) => format!("http://{host}:{p}/"),
        None => format!("http://{host}/"),
    };
    format!("kubectl run curl{ns} --image={CURL_IMAGE} --rm -i --quiet --restart=Never -- curl -sS {url}")
}

/// The last request sent to one pod's DNS name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DirectRequest {
    /// What was requested, `web-1.nginx`.
    pub host: String,
    pub pod: String,
    pub ordinal: i32,
    /// The pod's app answered (and counted the visit); false when curl failed.
    pub answered: bool,
}

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
        let mut report =
            TrafficReport { requests: n, refused, per_pod: BTreeMap::new(), per_revision: BTreeMap::new() };
        for ((ordinal, pod, rev), count) in endpoints.iter().zip(&hits) {
            report.per_pod.insert(pod.clone(), *count);
            let per_revision = report.per_revision.entry(rev.clone()).or_default();
            *per_revision = per_revision.saturating_add(*count);
            if *count > 0 {
                self.count_visits(*ordinal, *count);
            }
        }
        let service = self.front_service_name();
        // spec §10: kube-proxy picks an endpoint for a cluster IP; a headless Service is not
        // load-balanced, its DNS name returns every Ready pod's IP and the client picks one.
        let to = match self.traffic_service() {
            Some(s) if s.cluster_ip.is_none() => {
                format!("to headless Service {service} (DNS returns every Ready pod's IP; each client picks one)")
            }
            Some(_) => format!("to Service {service}"),
            None => "to the pods (no Service of the input selects them)".to_string(),
        };
        let text = if endpoints.is_empty() {
            format!("{n} requests {to}: no Ready endpoint, every connection is refused.")
        } else {
            let parts: Vec<String> = report.per_pod.iter().map(|(p, c)| format!("{p} {c}")).collect();
            format!(
                "{n} requests {to}, each sent to one of {} Ready endpoints at random: {}.",
                endpoints.len(),
                parts.join(", ")
            )
        };
        self.log(EventKind::Request, service, None, "10", text);
        self.last_traffic = Some(report.clone());
        self.last_request = None;
        report
    }

    /// The app of pod `ordinal` counts `count` visits in its file: on the pod's claim of the first
    /// volumeClaimTemplate (it outlives the pod), else in the container (it dies with the pod).
    fn count_visits(&mut self, ordinal: i32, count: u64) {
        match self.counter_template() {
            Some(tpl) => {
                let name = claim_name(&tpl, &self.set_name, ordinal);
                if let Some(claim) = self.claims.get_mut(&name) {
                    claim.visits = Some(claim.visits.unwrap_or(0).saturating_add(count));
                }
            }
            None => {
                if let Some(p) = self.pods.get_mut(&ordinal) {
                    p.local_visits = Some(p.local_visits.unwrap_or(0).saturating_add(count));
                }
            }
        }
    }

    /// The Service clients send requests to (spec §10). Only a Service whose selector picks the
    /// set's pods has them as endpoints, so no other is ever chosen; among those, one with a cluster
    /// IP (kube-proxy balances it; the governing one first if it has one), else the headless
    /// governing Service (its DNS name returns every ready pod), else any that selects them.
    pub fn traffic_service(&self) -> Option<&ServiceState> {
        let selecting = |s: &&ServiceState| self.in_namespace(s) && self.service_selects_pods(s);
        let governing = self.governing_service().filter(selecting);
        governing
            .filter(|g| g.cluster_ip.is_some())
            .or_else(|| self.services.iter().filter(selecting).find(|s| s.cluster_ip.is_some()))
            .or(governing)
            .or_else(|| self.services.iter().find(selecting))
    }

    /// The name of [`Cluster::traffic_service`] for narration; the set's name when no Service of
    /// the input selects the pods.
    pub fn front_service_name(&self) -> String {
        self.traffic_service().map(|s| s.name.clone()).unwrap_or_else(|| self.set_name.clone())
    }

    /// The last request to one pod's DNS name, if it came after the last traffic batch.
    pub fn last_request(&self) -> Option<&DirectRequest> {
        self.last_request.as_ref()
    }

    /// The port the pods' app listens on, as a client of one pod must name it: the container port
    /// a Service of the pods targets (`FindPort`, k8s.io/endpointslice/utils.go: a number is used as
    /// it is, a name is looked up among the containers' ports; no targetPort means the Service's
    /// port), else the first container port. `None` when nothing says (curl then uses 80).
    pub fn app_port(&self) -> Option<i32> {
        let containers = self.set.as_ref().and_then(|s| s.spec.template.spec.as_ref()).map(|p| &p.containers);
        let named = |name: &str| {
            containers?.iter().flat_map(|c| c.ports.iter().flatten()).find(|p| p.name.as_deref() == Some(name))
        };
        let services = [self.traffic_service(), self.headless_governing_service().ok()];
        for svc in services.into_iter().flatten() {
            let Some(port) = svc.object.spec.as_ref().and_then(|s| s.ports.as_ref()).and_then(|p| p.first()) else {
                continue;
            };
            match &port.target_port {
                Some(IntOrString::Int(n)) => return Some(*n),
                Some(IntOrString::String(name)) => {
                    if let Some(p) = named(name) {
                        return Some(p.container_port);
                    }
                }
                None => return Some(port.port),
            }
        }
        containers?.iter().flat_map(|c| c.ports.iter().flatten()).next().map(|p| p.container_port)
    }

    /// The command for [`super::Action::Request`] on this cluster.
    pub fn request_command(&self, ordinal: i32) -> String {
        curl_command(&self.pod_host(ordinal), self.app_port(), Some(self.pods_namespace()))
    }

    /// One request to pod `ordinal`'s own DNS name (spec §1): DNS answers with the pod's IP, so the
    /// connection goes straight to that pod — no Service, no kube-proxy, no random choice — and the
    /// pod counts the visit on its own volume. Without a record curl fails as it does on a real
    /// cluster (`curl: (6) Could not resolve host`, curl's `Curl_resolver_error`); with a record
    /// but no running container (publishNotReadyAddresses) the connection is refused (`curl: (7)`).
    pub(crate) fn request_pod(&mut self, ordinal: i32) -> Result<String, ActionError> {
        let host = self.pod_host(ordinal);
        let pod = pod_name(&self.set_name, ordinal);
        let port = self.app_port();
        let record = match self.dns_record(ordinal) {
            Ok(r) => r,
            Err(why) => {
                self.log(
                    EventKind::Request,
                    pod.clone(),
                    None,
                    "1",
                    format!("A request to {host} fails: the name does not resolve, because {}.", why.explain()),
                );
                self.last_request = Some(DirectRequest { host: host.clone(), pod, ordinal, answered: false });
                return Err(ActionError::Refused(format!("curl: (6) Could not resolve host: {host}")));
            }
        };
        let now = self.now;
        let p = &self.pods[&ordinal];
        let revision = p.revision.clone();
        let running = p.started_at.is_some() && !p.containers_stopped && !p.crash_state(now).backing_off;
        let port_text = port.unwrap_or(80);
        if !running {
            self.log(
                EventKind::Request,
                pod.clone(),
                Some(&revision),
                "1",
                format!(
                    "{host} resolves to {} ({pod}'s IP; publishNotReadyAddresses publishes it early), \
                     but no container of {pod} listens on port {port_text}: the connection is refused.",
                    record.ip
                ),
            );
            self.last_request = Some(DirectRequest { host: host.clone(), pod, ordinal, answered: false });
            return Err(ActionError::Refused(format!(
                "curl: (7) Failed to connect to {host} port {port_text} after 0 ms: Couldn't connect to server"
            )));
        }
        self.count_visits(ordinal, 1);
        let visits = self.pods.get(&ordinal).and_then(|p| self.visits_of(p)).unwrap_or(0);
        let claim = self.pods.get(&ordinal).and_then(|p| self.counter_claim_of(p)).map(|c| c.name.clone());
        let kept = match &claim {
            Some(c) => format!("on its own volume ({c})"),
            None => "in its container (no volumeClaimTemplate: the count dies with the pod)".to_string(),
        };
        self.log(
            EventKind::Request,
            pod.clone(),
            Some(&revision),
            "1",
            format!(
                "A request to {host} resolves to {}, {pod}'s own IP, and goes straight to {pod} on port {port_text}: \
                 no Service, no kube-proxy, no random choice. {pod} counts it {kept}: count {visits}.",
                record.ip
            ),
        );
        self.last_request = Some(DirectRequest { host, pod: pod.clone(), ordinal, answered: true });
        Ok(format!("# {pod} answered from {}:{port_text}; its counter is now {{\"count\": {visits}}}", record.ip))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Action, ClusterConfig, FeatureGates, SimDuration};

    const WEB: &str = include_str!("../../tests/scenarios/inputs/web.yaml");
    const ARGOCD_LIKE: &str = include_str!("../../tests/fixtures/argocd-like-services.yaml");
    const LAB: &str = include_str!("../../tests/fixtures/helm-python-install-dry-run-debug.txt");

    fn cluster(text: &str, set: Option<&str>) -> Cluster {
        let release = crate::input::parse(text);
        let mut c = Cluster::from_release(&release, set, 4, FeatureGates::default()).unwrap();
        c.settle();
        c
    }

    #[test]
    fn a_request_to_a_pods_dns_name_reaches_that_pod_and_its_claim_spec_1() {
        let mut c = cluster(WEB, None);
        for _ in 0..3 {
            c.apply(Action::Request(1)).unwrap();
        }
        let out = c.apply(Action::Request(1)).unwrap();
        assert!(out.contains(r#"{"count": 4}"#), "{out}");
        let visits: Vec<Option<u64>> = c.claims.values().map(|cl| cl.visits).collect();
        assert_eq!(visits, [None, Some(4), None], "only web-1's claim counts");
        let e = c.events().last().unwrap();
        assert_eq!((e.kind, e.object.as_str(), e.rule), (EventKind::Request, "web-1", "1"));
        assert!(e.text.contains("web-1.nginx") && e.text.contains("no kube-proxy"), "{}", e.text);
        assert_eq!(
            c.last_request(),
            Some(&DirectRequest { host: "web-1.nginx".into(), pod: "web-1".into(), ordinal: 1, answered: true })
        );
        c.apply(Action::Traffic(5)).unwrap();
        assert_eq!(c.last_request(), None, "a traffic batch is the newest traffic");
    }

    #[test]
    fn the_count_survives_the_pod_because_it_lives_on_the_claim_spec_5() {
        let mut c = cluster(WEB, None);
        c.apply(Action::Request(2)).unwrap();
        c.apply(Action::DeletePod(2)).unwrap();
        c.settle();
        let out = c.apply(Action::Request(2)).unwrap();
        assert!(out.contains(r#"{"count": 2}"#), "{out}");
    }

    #[test]
    fn without_a_headless_governing_service_curl_cannot_resolve_the_name_spec_1() {
        let mut c = cluster(LAB, None);
        let before = c.claims.values().map(|cl| cl.visits).collect::<Vec<_>>();
        let err = c.apply(Action::Request(0)).unwrap_err();
        // curl's Curl_resolver_error: "Could not resolve host: <name>", printed as "curl: (6) ...".
        assert_eq!(err, ActionError::Refused("curl: (6) Could not resolve host: python-helm-python-0".into()));
        assert_eq!(c.claims.values().map(|cl| cl.visits).collect::<Vec<_>>(), before);
        assert!(c.events().last().unwrap().text.contains("spec.serviceName is empty"));
    }

    #[test]
    fn a_pod_that_is_not_ready_or_not_created_does_not_resolve_pod_to_endpoint() {
        let mut c = cluster(WEB, None);
        c.apply(Action::BreakReadiness(0)).unwrap();
        c.advance(SimDuration::from_secs(60));
        assert_eq!(
            c.apply(Action::Request(0)),
            Err(ActionError::Refused("curl: (6) Could not resolve host: web-0.nginx".into()))
        );
        assert_eq!(
            c.apply(Action::Request(7)),
            Err(ActionError::Refused("curl: (6) Could not resolve host: web-7.nginx".into()))
        );
        assert!(c.events().last().unwrap().text.contains("web-7 does not exist"));
    }

    #[test]
    fn a_published_but_not_started_pod_refuses_the_connection_publish_not_ready_addresses() {
        let text = WEB.replacen("  clusterIP: None\n", "  clusterIP: None\n  publishNotReadyAddresses: true\n", 1);
        let release = crate::input::parse(&text);
        let mut c = Cluster::from_release(&release, None, 4, FeatureGates::default()).unwrap();
        // Step until web-0 has an IP (scheduled) but its container has not started.
        while c.pods.get(&0).is_none_or(|p| p.ip.is_none()) {
            assert!(c.tick());
        }
        assert!(c.pods[&0].started_at.is_none());
        assert_eq!(
            c.apply(Action::Request(0)),
            Err(ActionError::Refused(
                "curl: (7) Failed to connect to web-0.nginx port 80 after 0 ms: Couldn't connect to server".into()
            ))
        );
    }

    #[test]
    fn the_command_names_the_pods_host_and_the_container_port_find_port() {
        let c = cluster(WEB, None);
        assert_eq!(
            c.command_for(&Action::Request(1)),
            "kubectl run curl --image=curlimages/curl:8.11.1 --rm -i --quiet --restart=Never -- curl -sS http://web-1.nginx:80/"
        );
        // The lab chart's Service targets the container's port 5000; no serviceName, so the bare pod name.
        let lab = cluster(LAB, None);
        assert_eq!(lab.app_port(), Some(5000));
        assert!(lab.command_for(&Action::Request(0)).ends_with("curl -sS http://python-helm-python-0:5000/"));
        // A named targetPort is looked up among the containers' ports.
        let redis = cluster(ARGOCD_LIKE, Some("redis-ha-server"));
        assert_eq!(redis.app_port(), Some(6379));
        // Another namespace: the client pod must run there for the short name to resolve.
        let release = crate::input::parse(WEB);
        let shop = Cluster::new(ClusterConfig {
            statefulset: release.statefulsets[0].object.clone(),
            services: release.services.clone(),
            namespace: "shop".into(),
            seed: 1,
            version: crate::engine::KubeVersion::LATEST,
            gates: FeatureGates::default(),
            config_maps: Vec::new(),
            secrets: Vec::new(),
            assume_missing_references: true,
        });
        assert!(shop.request_command(0).starts_with("kubectl run curl -n shop --image="));
    }

    #[test]
    fn a_service_whose_selector_misses_the_pods_never_carries_their_traffic_spec_10() {
        let controller = cluster(ARGOCD_LIKE, Some("app-controller"));
        assert_eq!(controller.front_service_name(), "app-metrics");
        let redis = cluster(ARGOCD_LIKE, Some("redis-ha-server"));
        // The per-pod announce Services select one pod each, haproxy other pods: only the headless one is left.
        assert_eq!(redis.front_service_name(), "redis-ha");
        let web = cluster(WEB, None);
        assert_eq!(web.front_service_name(), "web", "the ClusterIP Service, not the headless one");
    }

    #[test]
    fn requests_to_a_headless_service_are_not_balanced_by_kube_proxy_spec_10() {
        let mut redis = cluster(ARGOCD_LIKE, Some("redis-ha-server"));
        redis.apply(Action::Traffic(6)).unwrap();
        let text = &redis.events().last().unwrap().text;
        assert!(
            text.starts_with("6 requests to headless Service redis-ha (DNS returns every Ready pod's IP"),
            "{text}"
        );
        // No Service of the input selects the pods: the narration does not invent one.
        let alone = WEB.split("---").nth(2).unwrap().to_string();
        let mut c = cluster(&alone, None);
        c.apply(Action::Traffic(2)).unwrap();
        let text = &c.events().last().unwrap().text;
        assert!(text.starts_with("2 requests to the pods (no Service of the input selects them)"), "{text}");
    }
}
