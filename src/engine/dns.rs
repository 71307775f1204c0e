//! Stable network identity (spec §1; kubernetes.io "StatefulSets — Stable Network ID" and "DNS for
//! Services and Pods"): each pod of a StatefulSet is reachable as
//! `<pod>.<serviceName>.<namespace>.svc.cluster.local` — from a pod of the same namespace simply
//! `<pod>.<serviceName>` (`web-1.nginx`), thanks to the resolver's search path — and the name
//! resolves to that pod's own IP.
//!
//! The name is only a promise; the A record exists while every link of this chain holds, and
//! [`Cluster::dns_record`] checks them in this order, naming the first that breaks ([`NoRecord`]):
//!
//! 1. the set names a governing Service (`spec.serviceName`), and a Service of that name exists in
//!    the set's namespace — the StatefulSet does not create it (spec §1);
//! 2. that Service is headless (`clusterIP: None`): the docs' "DNS for Services and Pods" publish
//!    `<hostname>.<subdomain>` records only for a headless Service named like the pod's subdomain;
//! 3. its selector selects the pod: the EndpointSlice controller lists only the pods a Service
//!    selects (`getServicesForPod`, k8s.io/endpointslice/util/controller_utils.go);
//! 4. the pod is in the EndpointSlice at all: `ShouldPodBeInEndpoints(pod, true)` drops terminal pods
//!    (phase Failed or Succeeded: here an evicted pod) and pods without an IP (not yet scheduled);
//! 5. the endpoint is ready: `podToEndpoint` (k8s.io/endpointslice/utils.go) sets
//!    `ready = service.Spec.PublishNotReadyAddresses || (podReady && !terminating)`, and CoreDNS
//!    publishes only ready endpoints (`EndpointSliceToEndpoints`, coredns plugin/kubernetes/object).
//!
//! The endpoint also needs its hostname (`ShouldSetHostname`: `spec.hostname` set and
//! `spec.subdomain` equal to the Service's name); the controller gives every pod
//! `hostname = <pod name>` and `subdomain = serviceName` at creation (spec §1), so for the pods of the
//! set that link always holds once 1 does.
//!
//! Docs vs code: link 2 is the Kubernetes DNS specification's and the docs' rule, and this module
//! follows it. CoreDNS goes further: its `findServices` (plugin/kubernetes/kubernetes.go) answers
//! an endpoint query (`svc.Headless() || r.endpoint != ""`) for a Service with a cluster IP too, so
//! on a CoreDNS cluster `web-1.web` can resolve even when `web` is not headless. No student should
//! rely on that: the documented contract is the headless governing Service.

use std::collections::BTreeMap;

use serde::Serialize;

use super::cluster::{pod_name, Cluster, ServiceState};
use super::pod::PodPhase;

/// The cluster's DNS domain (kubelet's `--cluster-domain`, `cluster.local` by default).
pub const CLUSTER_DOMAIN: &str = "cluster.local";

/// A pod's stable DNS name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DnsName {
    /// What a client in the same namespace types: `web-1.nginx`.
    pub short: String,
    /// `web-1.nginx.default.svc.cluster.local`.
    pub fqdn: String,
}

/// A published A record: the name and the pod IP it resolves to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DnsRecord {
    pub name: DnsName,
    pub ip: String,
}

/// Why a pod has no A record right now: the first broken link of the chain in the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoRecord {
    /// The StatefulSet is gone (deleted), so there is no serviceName to read.
    NoStatefulSet,
    /// `spec.serviceName` is empty or absent.
    NoServiceName,
    /// No Service of that name in the set's namespace.
    NoSuchService(String),
    /// The governing Service has a cluster IP.
    NotHeadless(String),
    /// The governing Service's selector does not select the pods (or this pod).
    NotSelected { service: String, pod: String },
    /// The pod does not exist (never created, scaled away, or deleted and not yet recreated).
    NoPod(String),
    /// The pod has no IP yet (not scheduled): it is not in the EndpointSlice.
    NoAddress(String),
    /// The pod's phase is Failed (evicted): terminal pods leave the EndpointSlice.
    Terminal(String),
    /// The endpoint is not ready: the pod is not Ready, or is terminating, and the Service does not
    /// set `publishNotReadyAddresses`.
    NotReady { pod: String, service: String, terminating: bool },
}

impl NoRecord {
    /// Whether the reason is the governing Service's (the same for every pod): the scene says it
    /// once, beside the Service, instead of on every pod.
    pub fn is_about_the_service(&self) -> bool {
        matches!(
            self,
            NoRecord::NoStatefulSet | NoRecord::NoServiceName | NoRecord::NoSuchService(_) | NoRecord::NotHeadless(_)
        )
    }

    /// One sentence for a student, naming the rule.
    pub fn explain(&self) -> String {
        match self {
            NoRecord::NoStatefulSet => "the StatefulSet is deleted: this simulation no longer knows its serviceName".into(),
            NoRecord::NoServiceName => "spec.serviceName is empty: the pods get no stable DNS names (spec §1)".into(),
            NoRecord::NoSuchService(s) => {
                format!("serviceName {s:?} names no Service in the input: no per-pod DNS (spec §1)")
            }
            NoRecord::NotHeadless(s) => {
                format!("Service {s:?} is not headless (clusterIP: None): no per-pod DNS records (spec §1)")
            }
            NoRecord::NotSelected { service, pod } => format!(
                "Service {service:?} does not select {pod} (its selector misses the pod's labels): no DNS record (spec §1)"
            ),
            NoRecord::NoPod(p) => format!("{p} does not exist: no DNS record"),
            NoRecord::NoAddress(p) => format!("{p} is not scheduled yet and has no IP: no DNS record"),
            NoRecord::Terminal(p) => format!("{p} is Failed (evicted): it left the EndpointSlice, no DNS record"),
            NoRecord::NotReady { pod, service, terminating: true } => format!(
                "{pod} is terminating: its endpoint is not ready, so its DNS record is withdrawn \
                 (Service {service:?} does not set publishNotReadyAddresses)"
            ),
            NoRecord::NotReady { pod, service, terminating: false } => format!(
                "{pod} is not Ready: only Ready pods get a DNS record \
                 (Service {service:?} does not set publishNotReadyAddresses)"
            ),
        }
    }
}

impl Cluster {
    /// The labels the set's pods are created with (the template's), which a Service selector is
    /// matched against; from the newest revision once the set itself is gone.
    pub(crate) fn template_labels(&self) -> BTreeMap<String, String> {
        let template = match &self.set {
            Some(set) => Some(&set.spec.template),
            None => self.revisions.iter().max_by_key(|r| r.revision).map(|r| &*r.template),
        };
        template.and_then(|t| t.metadata.as_ref()).and_then(|m| m.labels.clone()).unwrap_or_default()
    }

    /// Whether a Service's selector picks the set's pods (spec §10: its endpoints are the pods).
    pub fn service_selects_pods(&self, service: &ServiceState) -> bool {
        crate::model::selectors::service_selects(&service.object, &self.template_labels())
    }

    /// The Service named by `spec.serviceName` in the set's namespace, whatever its kind.
    pub fn governing_service(&self) -> Option<&ServiceState> {
        let name = &self.set.as_ref()?.spec.service_name;
        self.services.iter().find(|s| !name.is_empty() && &s.name == name && self.in_namespace(s))
    }

    /// The namespace the set's pods live in: the one written in the StatefulSet, else the
    /// release's (`kubectl apply` puts an object without one in the current namespace).
    pub fn pods_namespace(&self) -> &str {
        self.set.as_ref().and_then(|s| s.object.metadata.namespace.as_deref()).unwrap_or(&self.namespace)
    }

    /// Whether a Service lives in the pods' namespace (a selector and a subdomain only reach there).
    pub(crate) fn in_namespace(&self, service: &ServiceState) -> bool {
        service.object.metadata.namespace.as_deref().unwrap_or(&self.namespace) == self.pods_namespace()
    }

    /// Links 1 and 2 of the chain: the governing Service exists and is headless.
    pub fn headless_governing_service(&self) -> Result<&ServiceState, NoRecord> {
        let set = self.set.as_ref().ok_or(NoRecord::NoStatefulSet)?;
        let name = &set.spec.service_name;
        if name.is_empty() {
            return Err(NoRecord::NoServiceName);
        }
        let service = self.governing_service().ok_or_else(|| NoRecord::NoSuchService(name.clone()))?;
        if service.cluster_ip.is_some() {
            return Err(NoRecord::NotHeadless(name.clone()));
        }
        Ok(service)
    }

    /// The host a client in the set's namespace types to reach pod `ordinal`: `web-1.nginx`, or
    /// the bare pod name when the set names no Service (which resolves to nothing).
    pub fn pod_host(&self, ordinal: i32) -> String {
        let pod = pod_name(&self.set_name, ordinal);
        match self.set.as_ref().map(|s| s.spec.service_name.as_str()).filter(|s| !s.is_empty()) {
            Some(service) => format!("{pod}.{service}"),
            None => pod,
        }
    }

    /// Pod `ordinal`'s stable DNS name (links 1-3: a headless governing Service selecting it),
    /// whether or not the record is published right now.
    pub fn dns_name(&self, ordinal: i32) -> Result<DnsName, NoRecord> {
        let service = self.headless_governing_service()?;
        let pod = pod_name(&self.set_name, ordinal);
        let labels = match self.pods.get(&ordinal) {
            Some(p) => self.pod_labels(p),
            None => self.template_labels(),
        };
        if !crate::model::selectors::service_selects(&service.object, &labels) {
            return Err(NoRecord::NotSelected { service: service.name.clone(), pod });
        }
        let short = format!("{pod}.{}", service.name);
        let fqdn = format!("{short}.{}.svc.{CLUSTER_DOMAIN}", self.pods_namespace());
        Ok(DnsName { short, fqdn })
    }

    /// spec §1: the A record of pod `ordinal` as cluster DNS serves it now, or the first link of
    /// the chain (module docs) that is broken. The one place that decides whether a pod's DNS name
    /// resolves.
    pub fn dns_record(&self, ordinal: i32) -> Result<DnsRecord, NoRecord> {
        let name = self.dns_name(ordinal)?;
        let service = self.headless_governing_service()?;
        let pod_name = pod_name(&self.set_name, ordinal);
        let pod = self.pods.get(&ordinal).ok_or_else(|| NoRecord::NoPod(pod_name.clone()))?;
        // ShouldPodBeInEndpoints(pod, includeTerminating=true): terminal pods and pods without an IP are left out.
        if pod.phase == PodPhase::Failed {
            return Err(NoRecord::Terminal(pod_name));
        }
        let ip = pod.ip.clone().ok_or_else(|| NoRecord::NoAddress(pod_name.clone()))?;
        // podToEndpoint: ready = publishNotReadyAddresses || (serving && !terminating).
        let serving = pod.ready && !pod.containers_stopped;
        let publish_not_ready =
            service.object.spec.as_ref().and_then(|s| s.publish_not_ready_addresses).unwrap_or(false);
        if !(publish_not_ready || (serving && !pod.is_terminating())) {
            return Err(NoRecord::NotReady {
                pod: pod_name,
                service: service.name.clone(),
                terminating: pod.is_terminating(),
            });
        }
        Ok(DnsRecord { name, ip })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Action, FeatureGates};

    const WEB: &str = include_str!("../../tests/scenarios/inputs/web.yaml");

    fn cluster(text: &str) -> Cluster {
        let release = crate::input::parse(text);
        let mut c = Cluster::from_release(&release, None, 3, FeatureGates::default()).unwrap();
        c.settle();
        c
    }

    #[test]
    fn a_ready_pod_of_a_headless_governing_service_resolves_to_its_own_ip_spec_1() {
        let c = cluster(WEB);
        let r = c.dns_record(1).unwrap();
        assert_eq!(r.name.short, "web-1.nginx");
        assert_eq!(r.name.fqdn, "web-1.nginx.default.svc.cluster.local");
        assert_eq!(Some(&r.ip), c.pods.get(&1).unwrap().ip.as_ref());
        assert_ne!(c.dns_record(0).unwrap().ip, r.ip, "each name resolves to its own pod");
    }

    #[test]
    fn the_namespace_is_part_of_the_fqdn_spec_1() {
        let release = crate::input::parse(WEB);
        let mut c = Cluster::new(crate::engine::ClusterConfig {
            statefulset: release.statefulsets[0].object.clone(),
            services: release.services.clone(),
            namespace: "shop".into(),
            seed: 3,
            version: crate::engine::KubeVersion::LATEST,
            gates: FeatureGates::default(),
            config_maps: Vec::new(),
            secrets: Vec::new(),
            assume_missing_references: true,
        });
        c.settle();
        assert_eq!(c.dns_record(0).unwrap().name.fqdn, "web-0.nginx.shop.svc.cluster.local");
        assert_eq!(c.dns_record(0).unwrap().name.short, "web-0.nginx");
    }

    #[test]
    fn the_governing_service_must_be_in_the_pods_namespace_should_set_hostname() {
        // Both written with namespace argocd (the redis-ha chart's rendered output): found.
        let both =
            WEB.replace("metadata:\n  name: nginx\n", "metadata:\n  name: nginx\n  namespace: argocd\n").replace(
                "metadata:\n  name: web\nspec:\n  serviceName",
                "metadata:\n  name: web\n  namespace: argocd\nspec:\n  serviceName",
            );
        let c = cluster(&both);
        assert_eq!(c.dns_record(1).unwrap().name.fqdn, "web-1.nginx.argocd.svc.cluster.local");
        // Only the Service in another namespace: it cannot be the pods' subdomain.
        let apart = WEB.replace("metadata:\n  name: nginx\n", "metadata:\n  name: nginx\n  namespace: other\n");
        assert_eq!(cluster(&apart).dns_record(1), Err(NoRecord::NoSuchService("nginx".into())));
    }

    #[test]
    fn no_service_name_no_service_or_a_cluster_ip_means_no_record_spec_1() {
        let empty = WEB.replace("serviceName: \"nginx\"", "serviceName: \"\"");
        assert_eq!(cluster(&empty).dns_record(0), Err(NoRecord::NoServiceName));
        let missing = WEB.replace("serviceName: \"nginx\"", "serviceName: \"db\"");
        assert_eq!(cluster(&missing).dns_record(0), Err(NoRecord::NoSuchService("db".into())));
        let cluster_ip = WEB.replace("serviceName: \"nginx\"", "serviceName: \"web\"");
        let c = cluster(&cluster_ip);
        assert_eq!(c.dns_record(0), Err(NoRecord::NotHeadless("web".into())));
        assert_eq!(c.pod_host(0), "web-0.web");
    }

    #[test]
    fn a_headless_service_that_does_not_select_the_pods_gives_no_record_get_services_for_pod() {
        let text = WEB.replacen("  selector:\n    app: nginx\n---", "  selector:\n    app: other\n---", 1);
        let c = cluster(&text);
        assert_eq!(c.dns_record(2), Err(NoRecord::NotSelected { service: "nginx".into(), pod: "web-2".into() }));
    }

    #[test]
    fn a_pod_that_is_not_ready_or_terminating_has_no_record_pod_to_endpoint() {
        let mut c = cluster(WEB);
        c.apply(Action::BreakReadiness(1)).unwrap();
        c.advance(crate::engine::SimDuration::from_secs(60));
        assert!(matches!(c.dns_record(1), Err(NoRecord::NotReady { terminating: false, .. })));
        assert!(c.dns_record(0).is_ok());
        c.apply(Action::DeletePod(2)).unwrap();
        // Still Ready while it shuts down, but terminating: the endpoint is not ready any more.
        assert!(c.pods[&2].ready);
        assert!(matches!(c.dns_record(2), Err(NoRecord::NotReady { terminating: true, .. })));
    }

    #[test]
    fn publish_not_ready_addresses_publishes_unready_and_terminating_pods_pod_to_endpoint() {
        let text = WEB.replacen("  clusterIP: None\n", "  clusterIP: None\n  publishNotReadyAddresses: true\n", 1);
        let mut c = cluster(&text);
        c.apply(Action::BreakReadiness(1)).unwrap();
        c.advance(crate::engine::SimDuration::from_secs(60));
        assert!(!c.pods[&1].ready);
        assert!(c.dns_record(1).is_ok());
        c.apply(Action::DeletePod(2)).unwrap();
        assert!(c.dns_record(2).is_ok());
    }

    #[test]
    fn an_evicted_pod_leaves_the_endpoint_slice_should_pod_be_in_endpoints() {
        let text = WEB.replacen("  clusterIP: None\n", "  clusterIP: None\n  publishNotReadyAddresses: true\n", 1);
        let mut c = cluster(&text);
        c.apply(Action::EvictPod(1)).unwrap();
        assert_eq!(c.dns_record(1), Err(NoRecord::Terminal("web-1".into())));
    }

    #[test]
    fn a_pod_without_an_ip_or_not_created_has_no_record_should_pod_be_in_endpoints() {
        let text = WEB.replacen("  clusterIP: None\n", "  clusterIP: None\n  publishNotReadyAddresses: true\n", 1);
        let release = crate::input::parse(&text);
        let mut c = Cluster::from_release(&release, None, 3, FeatureGates::default()).unwrap();
        c.sync_pending();
        assert!(c.pods.contains_key(&0) && c.pods[&0].ip.is_none());
        assert_eq!(c.dns_record(0), Err(NoRecord::NoAddress("web-0".into())));
        assert_eq!(c.dns_record(1), Err(NoRecord::NoPod("web-1".into())));
        // The name itself is stable before the pod exists.
        assert_eq!(c.dns_name(1).unwrap().short, "web-1.nginx");
    }
}
