//! `kubectl get` tables (spec §8): pods, statefulsets, services, claims, alone or together, with
//! `-o wide`, as pure functions of the cluster state.

use crate::engine::Cluster;

use super::duration::human_duration;
use super::tabwriter;

/// A resource type kubectl knows by several names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pod,
    StatefulSet,
    Service,
    Claim,
}

impl Kind {
    /// `po`, `pods`, `sts`, `statefulset.apps`, `svc`, `pvc`, ...
    pub fn parse(s: &str) -> Option<Kind> {
        match s.trim() {
            "po" | "pod" | "pods" => Some(Kind::Pod),
            "sts" | "statefulset" | "statefulsets" | "statefulset.apps" | "statefulsets.apps" => {
                Some(Kind::StatefulSet)
            }
            "svc" | "service" | "services" => Some(Kind::Service),
            "pvc" | "persistentvolumeclaim" | "persistentvolumeclaims" => Some(Kind::Claim),
            _ => None,
        }
    }

    /// The prefix kubectl puts before names when several types are listed.
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Pod => "pod/",
            Kind::StatefulSet => "statefulset.apps/",
            Kind::Service => "service/",
            Kind::Claim => "persistentvolumeclaim/",
        }
    }
}

/// `kubectl get TYPES [-o wide]`. `Ok` is stdout; `Err` is what kubectl prints on stderr (unknown
/// type, or `No resources found in <ns> namespace.`).
pub fn get(cluster: &Cluster, types: &str, wide: bool) -> Result<String, String> {
    let mut kinds = Vec::new();
    for t in types.split(',') {
        match Kind::parse(t) {
            Some(k) => kinds.push(k),
            None => return Err(format!("error: the server doesn't have a resource type \"{}\"", t.trim())),
        }
    }
    let prefixed = kinds.len() > 1;
    let tables: Vec<String> =
        kinds.iter().map(|k| table(cluster, *k, wide, prefixed)).filter(|t| !t.is_empty()).collect();
    if tables.is_empty() {
        return Err(format!("No resources found in {} namespace.", cluster.namespace()));
    }
    Ok(tables.join("\n"))
}

/// One type's table (empty when there is no object of that type).
pub fn table(cluster: &Cluster, kind: Kind, wide: bool, prefixed: bool) -> String {
    let rows = rows(cluster, kind, wide);
    if rows.is_empty() {
        return String::new();
    }
    let mut all = vec![header(kind, wide)];
    for mut row in rows {
        if prefixed {
            row[0] = format!("{}{}", kind.prefix(), row[0]);
        }
        all.push(row);
    }
    tabwriter::render(&all)
}

/// One type's rows (names unprefixed), in the API server's list order.
pub fn rows(cluster: &Cluster, kind: Kind, wide: bool) -> Vec<Vec<String>> {
    match kind {
        Kind::Pod => pod_rows(cluster, wide),
        Kind::StatefulSet => sts_rows(cluster, wide),
        Kind::Service => svc_rows(cluster, wide),
        Kind::Claim => pvc_rows(cluster, wide),
    }
}

pub fn header(kind: Kind, wide: bool) -> Vec<String> {
    let cols: &[&str] = match (kind, wide) {
        (Kind::Pod, false) => &["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
        (Kind::Pod, true) => {
            &["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"]
        }
        (Kind::StatefulSet, false) => &["NAME", "READY", "AGE"],
        (Kind::StatefulSet, true) => &["NAME", "READY", "AGE", "CONTAINERS", "IMAGES"],
        (Kind::Service, false) => &["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
        (Kind::Service, true) => &["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"],
        (Kind::Claim, false) => {
            &["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"]
        }
        (Kind::Claim, true) => &[
            "NAME",
            "STATUS",
            "VOLUME",
            "CAPACITY",
            "ACCESS MODES",
            "STORAGECLASS",
            "VOLUMEATTRIBUTESCLASS",
            "AGE",
            "VOLUMEMODE",
        ],
    };
    cols.iter().map(|s| s.to_string()).collect()
}

/// The node every pod runs on (a one-node minikube, as in the lab).
pub const NODE_NAME: &str = "minikube";

/// The node's InternalIP (`status.hostIP` of its pods): minikube's docker driver gives the node
/// container the first address of its network, 192.168.49.0/24.
pub const NODE_IP: &str = "192.168.49.2";

/// One pod's row (name unprefixed), in kubectl's order of columns.
pub fn pod_row(view: &crate::engine::PodView, wide: bool) -> Vec<String> {
    let mut row = vec![
        view.name.clone(),
        view.ready_text.clone(),
        view.status.clone(),
        view.restarts_text.clone(),
        view.age_text.clone(),
    ];
    if wide {
        row.push(view.ip.clone().unwrap_or_else(|| "<none>".into()));
        row.push(view.node.clone().unwrap_or_else(|| "<none>".into()));
        row.push("<none>".into());
        row.push("<none>".into());
    }
    row
}

fn pod_rows(cluster: &Cluster, wide: bool) -> Vec<Vec<String>> {
    let mut views = cluster.pod_views();
    // The API server lists by name (etcd key order): web-10 before web-2.
    crate::sorting::sort_by(&mut views, |a, b| a.name.cmp(&b.name));
    views.iter().map(|v| pod_row(v, wide)).collect()
}

fn sts_rows(cluster: &Cluster, wide: bool) -> Vec<Vec<String>> {
    let Some(set) = cluster.statefulset() else {
        return Vec::new();
    };
    let mut row = vec![
        set.spec.name.clone(),
        format!("{}/{}", set.status.ready_replicas, set.spec.replicas),
        human_duration(cluster.now().since(set.created_at)),
    ];
    if wide {
        row.push(set.spec.containers.iter().map(|c| c.0.clone()).collect::<Vec<_>>().join(","));
        row.push(set.spec.containers.iter().map(|c| c.1.clone()).collect::<Vec<_>>().join(","));
    }
    vec![row]
}

fn svc_rows(cluster: &Cluster, wide: bool) -> Vec<Vec<String>> {
    let now = cluster.now();
    let mut rows: Vec<Vec<String>> = Vec::new();
    if cluster.namespace() == "default" {
        // Every cluster has the API server's Service in `default`.
        let mut row: Vec<String> =
            ["kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP"].iter().map(|s| s.to_string()).collect();
        row.push(human_duration(now.since(crate::engine::SimTime::ZERO)));
        if wide {
            row.push("<none>".into());
        }
        rows.push(row);
    }
    for svc in cluster.services() {
        let spec = svc.object.spec.clone().unwrap_or_default();
        let ty = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
        let ports: Vec<String> = spec
            .ports
            .unwrap_or_default()
            .iter()
            .map(|p| {
                let proto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
                match p.node_port {
                    Some(np) => format!("{}:{np}/{proto}", p.port),
                    None => format!("{}/{proto}", p.port),
                }
            })
            .collect();
        let external = match ty.as_str() {
            "LoadBalancer" => "<pending>".to_string(),
            "ExternalName" => spec.external_name.clone().unwrap_or_default(),
            _ => "<none>".to_string(),
        };
        let mut row = vec![
            svc.name.clone(),
            ty,
            svc.cluster_ip.clone().unwrap_or_else(|| "None".into()),
            external,
            if ports.is_empty() { "<none>".into() } else { ports.join(",") },
            human_duration(now.since(svc.created_at)),
        ];
        if wide {
            let sel = spec.selector.unwrap_or_default();
            row.push(if sel.is_empty() {
                "<none>".into()
            } else {
                sel.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
            });
        }
        rows.push(row);
    }
    crate::sorting::sort_by(&mut rows, |a, b| a[0].cmp(&b[0]));
    rows
}

fn pvc_rows(cluster: &Cluster, wide: bool) -> Vec<Vec<String>> {
    let now = cluster.now();
    cluster
        .claims()
        .map(|c| {
            let bound = c.bound;
            let mut row = vec![
                c.name.clone(),
                c.status.as_str().to_string(),
                if bound { c.volume.clone().unwrap_or_default() } else { String::new() },
                if bound { c.capacity.clone() } else { String::new() },
                if bound { c.access_modes.join(",") } else { String::new() },
                c.storage_class.clone(),
                "<unset>".to_string(),
                human_duration(now.since(c.created_at)),
            ];
            if wide {
                row.push("Filesystem".into());
            }
            row
        })
        .collect()
}
