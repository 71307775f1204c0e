//! Reading a `Scene` off the engine: what kubectl would say, arranged for the drawing.

use crate::engine::{ClaimStatus, Cluster, ServiceState};

use super::{ClaimCard, PodCard, PodDns, PodLook, Reference, RevisionChip, Scene, ServiceBox};

/// The ConfigMaps, Secrets and ServiceAccount the simulated set's pod template names (from the
/// paste's model), each as the cluster has it at this moment: present, assumed (not in the paste,
/// taken to be in the cluster already) or missing. A ServiceAccount is found when the paste has it.
pub fn references(cluster: &Cluster, release: &crate::model::Release) -> Vec<Reference> {
    use crate::engine::configuration::Origin;
    use crate::engine::ConfigKind;
    use crate::model::ReferenceKind;
    let Some(set) = release.statefulsets.iter().find(|s| s.name() == cluster.set_name()) else {
        return Vec::new();
    };
    let mut out: Vec<Reference> = Vec::new();
    for r in &set.references {
        let kind = match r.kind {
            ReferenceKind::ConfigMap => Some(ConfigKind::ConfigMap),
            ReferenceKind::Secret => Some(ConfigKind::Secret),
            ReferenceKind::ServiceAccount => None,
        };
        let found = kind.map(|k| cluster.configuration().get(k, &r.name));
        let (dangling, assumed) = match found {
            None => (r.is_dangling(), false),
            Some(None) => (true, false),
            Some(Some(o)) => (false, o.origin == Origin::Assumed),
        };
        match out.iter_mut().find(|x| x.kind == r.kind.as_str() && x.name == r.name) {
            Some(seen) => seen.optional &= r.optional,
            None => out.push(Reference {
                kind: r.kind.as_str().to_string(),
                name: r.name.clone(),
                dangling,
                assumed,
                optional: r.optional,
            }),
        }
    }
    out
}

impl Scene {
    /// The scene at the cluster's current moment. `references` are the ConfigMaps and Secrets the
    /// pod template uses (from the input model), drawn under the set.
    pub fn from_cluster(cluster: &Cluster, references: Vec<Reference>) -> Scene {
        let set = cluster.statefulset();
        let spec = set.map(|s| s.spec.clone());
        let status = cluster.status().cloned().unwrap_or_default();
        // Letters follow the order in which templates first appeared: a rollback reuses the old
        // ControllerRevision (spec §4.6), so it keeps its old letter while its number grows.
        let mut by_birth: Vec<_> = cluster.revisions().iter().collect();
        crate::sorting::sort_by_key(&mut by_birth, |r| (r.created_at, r.name.clone()));
        let chips: Vec<RevisionChip> = by_birth
            .iter()
            .enumerate()
            .map(|(i, r)| RevisionChip {
                letter: letter(i),
                color: i,
                name: r.name.clone(),
                number: r.revision,
                image: r.image.clone(),
            })
            .collect();
        let chip = |name: &str| chips.iter().find(|c| c.name == name).cloned();
        let last = cluster.last_traffic();
        let pods: Vec<PodCard> = cluster
            .pod_views()
            .into_iter()
            .map(|p| {
                let look = if p.terminating {
                    PodLook::Terminating
                } else if p.ready {
                    PodLook::Ready
                } else if p.status.contains("CrashLoop") || p.status.contains("Err") || p.status == "Error" {
                    PodLook::Failing
                } else if p.status == "Running" {
                    PodLook::NotReady
                } else {
                    PodLook::Pending
                };
                // spec §1: the name is the pod's for good; whether it resolves right now is dns_record's call.
                let dns = cluster.dns_name(p.ordinal).ok().map(|name| PodDns {
                    short: name.short,
                    fqdn: name.fqdn,
                    unpublished: cluster.dns_record(p.ordinal).err().map(|why| why.explain()),
                });
                PodCard {
                    dns,
                    node_lost: p.node.as_deref().and_then(|n| cluster.node(n)).is_some_and(|n| !n.reporting),
                    node: p.node,
                    recent_requests: last.map(|t| t.per_pod.get(&p.name).copied().unwrap_or(0) as u32).unwrap_or(0),
                    revision: chip(&p.revision),
                    name: p.name,
                    ordinal: p.ordinal,
                    status: p.status,
                    ready: p.ready_text,
                    look,
                    restarts: p.restarts,
                    visits: p.visits,
                }
            })
            .collect();
        let claims: Vec<ClaimCard> = cluster
            .claim_views()
            .into_iter()
            .filter(|c| {
                spec.as_ref()
                    .map(|s| s.claims.first().map(|t| c.name.starts_with(&format!("{}-", t.name))).unwrap_or(true))
                    .unwrap_or(true)
            })
            .map(|c| ClaimCard {
                name: c.name,
                ordinal: c.ordinal,
                status: c.status.as_str().to_string(),
                capacity: if c.status == ClaimStatus::Pending { String::new() } else { c.capacity },
                volume: c.volume.unwrap_or_default(),
                visits: c.visits,
                attached: c.in_use,
            })
            .collect();
        let (service, services) = service_boxes(cluster);
        // One sentence for all pods when the governing Service cannot give them names; a reason
        // that differs per pod (not Ready...) is on the pod's card instead.
        let service_warning = spec.as_ref().and_then(|_| match cluster.headless_governing_service() {
            Err(why) => Some(why.explain()),
            Ok(governing) if !cluster.service_selects_pods(governing) => Some(format!(
                "Service {:?} is headless but its selector does not select the pods: no per-pod DNS (spec §1)",
                governing.name
            )),
            Ok(_) => None,
        });
        let per_revision = last.map(|t| t.per_revision.clone()).unwrap_or_default();
        let total: u64 = per_revision.values().sum();
        let traffic_share = per_revision
            .iter()
            .map(|(rev, n)| {
                (chip(rev).map(|c| c.letter).unwrap_or_else(|| "?".into()), (n * 100 / total.max(1)) as u32)
            })
            .collect();
        Scene {
            name: cluster.set_name().to_string(),
            replicas: spec.as_ref().map(|s| s.replicas).unwrap_or(0),
            ready: format!("{}/{}", status.ready_replicas, spec.as_ref().map(|s| s.replicas).unwrap_or(0)),
            policy: spec.as_ref().map(|s| s.policy.as_str().to_string()).unwrap_or_default(),
            strategy: spec.as_ref().map(|s| s.strategy.as_str().to_string()).unwrap_or_default(),
            partition: spec.as_ref().filter(|s| s.rolling_update_present).map(|s| s.partition),
            ordinals_start: spec.as_ref().map(|s| s.start).unwrap_or(0),
            current_revision: chip(&status.current_revision),
            update_revision: chip(&status.update_revision),
            revisions: chips.clone(),
            service,
            services,
            service_warning,
            request: cluster.last_request().cloned(),
            pods,
            claims,
            references,
            traffic_share,
            nodes: cluster
                .nodes()
                .iter()
                .map(|n| {
                    let on: Vec<_> = cluster.pods().filter(|p| p.node.as_deref() == Some(&n.name)).collect();
                    super::NodeBox {
                        name: n.name.clone(),
                        status: n.status_text(),
                        lost: !n.reporting,
                        taints: n.taints.iter().map(|t| t.text()).collect(),
                        pods: on.iter().map(|p| p.name.clone()).collect(),
                        ordinals: on.iter().map(|p| p.ordinal).collect(),
                    }
                })
                .collect(),
        }
    }
}

/// The Services to draw (item 2 of issue #10): never one whose selector misses the pods. The single
/// box is the governing Service when it selects them, else the traffic Service; the list holds the
/// headless governing Service (the pods' names) and, when it is another one, the traffic Service.
fn service_boxes(cluster: &Cluster) -> (Option<ServiceBox>, Vec<ServiceBox>) {
    let governing = cluster.governing_service().filter(|g| cluster.service_selects_pods(g));
    let traffic = cluster.traffic_service();
    let identity = cluster.headless_governing_service().ok().filter(|g| cluster.service_selects_pods(g));
    let boxed = |s: &ServiceState| {
        let svc = s.object.spec.clone().unwrap_or_default();
        let headless = s.cluster_ip.is_none();
        let ports = svc
            .ports
            .unwrap_or_default()
            .iter()
            .map(|p| format!("{}/{}", p.port, p.protocol.clone().unwrap_or_else(|| "TCP".into())))
            .collect::<Vec<_>>()
            .join(",");
        ServiceBox {
            name: s.name.clone(),
            kind: svc.type_.unwrap_or_else(|| "ClusterIP".into()),
            cluster_ip: s.cluster_ip.clone().unwrap_or_else(|| "None".into()),
            ports,
            headless,
            governing: governing.is_some_and(|g| g.name == s.name),
            identity: identity.is_some_and(|i| i.name == s.name),
            traffic: traffic.is_some_and(|t| t.name == s.name),
        }
    };
    let single = governing.or(traffic).map(boxed);
    let mut list: Vec<ServiceBox> = identity.into_iter().chain(traffic).map(boxed).collect();
    list.dedup_by(|a, b| a.name == b.name);
    (single, list)
}

/// A, B, ..., Z, AA, AB...
fn letter(i: usize) -> String {
    let mut n = i;
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (n % 26) as u8) as char);
        if n < 26 {
            return s;
        }
        n = n / 26 - 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Action, FeatureGates};

    fn lab() -> Cluster {
        let release = crate::input::parse(include_str!("../../tests/fixtures/helm-python-install-dry-run-debug.txt"));
        let mut c = Cluster::from_release(&release, None, 7, FeatureGates::default()).unwrap();
        c.apply(Action::Scale(3)).unwrap();
        c.settle();
        c
    }

    #[test]
    fn letters_run_a_to_z_then_double() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
    }

    #[test]
    fn the_lab_scene_has_three_ready_pods_each_over_its_own_claim() {
        let s = Scene::from_cluster(&lab(), vec![]);
        assert_eq!(s.name, "python-helm-python");
        assert_eq!(s.ready, "3/3");
        assert_eq!(s.pods.len(), 3);
        assert!(s.pods.iter().all(|p| p.look == PodLook::Ready && p.revision.as_ref().unwrap().letter == "A"));
        let claims: Vec<&str> = s.claims.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            claims,
            [
                "python-stateful-volume-python-helm-python-0",
                "python-stateful-volume-python-helm-python-1",
                "python-stateful-volume-python-helm-python-2"
            ]
        );
    }

    #[test]
    fn a_clusterip_service_earns_the_no_headless_governing_service_warning() {
        let s = Scene::from_cluster(&lab(), vec![]);
        assert!(s.service.as_ref().is_some_and(|svc| !svc.headless && svc.traffic && !svc.identity));
        assert!(s.service_warning.is_some());
        assert!(s.pods.iter().all(|p| p.dns.is_none()), "no headless governing Service, no names (spec §1)");
    }

    fn settled(text: &str, set: Option<&str>) -> Cluster {
        let release = crate::input::parse(text);
        let mut c = Cluster::from_release(&release, set, 7, FeatureGates::default()).unwrap();
        c.settle();
        c
    }

    const WEB: &str = include_str!("../../tests/scenarios/inputs/web.yaml");
    const ARGOCD_LIKE: &str = include_str!("../../tests/fixtures/argocd-like-services.yaml");

    #[test]
    fn each_pod_shows_its_dns_name_from_the_headless_governing_service_spec_1() {
        let s = Scene::from_cluster(&settled(WEB, None), vec![]);
        assert_eq!(s.service_warning, None);
        let dns = s.pods[1].dns.as_ref().unwrap();
        assert_eq!(dns.short, "web-1.nginx");
        assert_eq!(dns.fqdn, "web-1.nginx.default.svc.cluster.local");
        assert_eq!(dns.unpublished, None);
    }

    #[test]
    fn a_pod_that_is_not_ready_keeps_its_name_but_it_does_not_resolve_pod_to_endpoint() {
        let mut c = settled(WEB, None);
        c.apply(Action::BreakReadiness(2)).unwrap();
        c.advance(crate::engine::SimDuration::from_secs(60));
        let s = Scene::from_cluster(&c, vec![]);
        let dns = s.pods[2].dns.as_ref().unwrap();
        assert_eq!(dns.short, "web-2.nginx");
        assert!(dns.unpublished.as_deref().is_some_and(|w| w.contains("not Ready")), "{dns:?}");
        assert_eq!(s.pods[1].dns.as_ref().unwrap().unpublished, None);
    }

    #[test]
    fn web_yaml_draws_the_headless_service_for_names_and_the_clusterip_one_for_traffic_spec_1_10() {
        let s = Scene::from_cluster(&settled(WEB, None), vec![]);
        let roles: Vec<(&str, bool, bool, bool)> =
            s.services.iter().map(|b| (b.name.as_str(), b.headless, b.identity, b.traffic)).collect();
        assert_eq!(roles, [("nginx", true, true, false), ("web", false, false, true)]);
        assert_eq!(s.services[0].cluster_ip, "None");
        assert_eq!(s.services[0].role(), "pod DNS names");
        // The single box is the governing Service, because it selects the pods.
        assert_eq!(s.service.as_ref().map(|b| b.name.as_str()), Some("nginx"));
    }

    #[test]
    fn the_drawn_service_always_selects_the_pods_argocd_shape() {
        // serviceName names no Service; the first Service of the input selects other pods.
        let s = Scene::from_cluster(&settled(ARGOCD_LIKE, Some("app-controller")), vec![]);
        assert_eq!(s.service.as_ref().map(|b| b.name.as_str()), Some("app-metrics"));
        assert_eq!(s.services.iter().map(|b| b.name.as_str()).collect::<Vec<_>>(), ["app-metrics"]);
        assert!(s.service_warning.as_deref().is_some_and(|w| w.contains("names no Service")));
        // The headless governing Service is the only one selecting every pod; per-pod Services are not drawn.
        let s = Scene::from_cluster(&settled(ARGOCD_LIKE, Some("redis-ha-server")), vec![]);
        let b = s.service.as_ref().unwrap();
        assert_eq!((b.name.as_str(), b.identity, b.traffic, b.governing), ("redis-ha", true, true, true));
        assert_eq!(s.services.len(), 1);
        assert_eq!(s.pods[2].dns.as_ref().unwrap().short, "redis-ha-server-2.redis-ha");
    }

    #[test]
    fn a_headless_service_whose_selector_misses_the_pods_is_not_drawn_and_is_said_get_services_for_pod() {
        let text = WEB.replacen("  selector:\n    app: nginx\n---", "  selector:\n    app: other\n---", 1);
        let s = Scene::from_cluster(&settled(&text, None), vec![]);
        assert_eq!(s.services.iter().map(|b| b.name.as_str()).collect::<Vec<_>>(), ["web"]);
        assert_eq!(s.service.as_ref().map(|b| b.name.as_str()), Some("web"));
        assert!(s.service_warning.as_deref().is_some_and(|w| w.contains("does not select the pods")));
        assert!(s.pods.iter().all(|p| p.dns.is_none()));
    }

    #[test]
    fn the_last_request_to_a_pod_name_is_in_the_scene_until_the_next_traffic() {
        let mut c = settled(WEB, None);
        c.apply(Action::Request(0)).unwrap();
        let s = Scene::from_cluster(&c, vec![]);
        assert!(s.request.as_ref().is_some_and(|r| r.pod == "web-0" && r.answered));
        c.apply(Action::Traffic(3)).unwrap();
        assert_eq!(Scene::from_cluster(&c, vec![]).request, None);
    }

    #[test]
    fn a_rollback_keeps_the_old_letter_spec_4_6() {
        let mut c = lab();
        c.apply(Action::Image("app:v2".into())).unwrap();
        c.settle();
        c.apply(Action::Rollback { to_revision: None }).unwrap();
        c.settle();
        let s = Scene::from_cluster(&c, vec![]);
        assert_eq!(s.update_revision.unwrap().letter, "A");
        assert_eq!(s.revisions.len(), 2);
    }

    #[test]
    fn claims_left_after_a_scale_down_are_drawn_detached_spec_5() {
        let mut c = lab();
        c.apply(Action::Scale(2)).unwrap();
        c.settle();
        let s = Scene::from_cluster(&c, vec![]);
        assert_eq!(s.pods.len(), 2);
        let last = s.claims.iter().find(|c| c.ordinal == 2).unwrap();
        assert!(!last.attached && last.status == "Bound");
    }
}
