//! The objects of one resource type in the lab's cluster, as `kubectl get` lists them: name,
//! labels (for `-l`), the table row (server-side columns) and the object itself (for `-o yaml|json`).

use crate::sorting::CollectMap;
use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::engine::{Cluster, ConfigKind, Recorded};

use super::duration::human_duration;
use super::get;
use super::resource::Res;

/// One object of a listing.
pub struct Item {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    /// Cells without the name prefix, in the columns of [`header`].
    pub row: Vec<String>,
}

/// The column headers of a type's table.
pub fn header(res: Res, wide: bool) -> Vec<String> {
    let cols: &[&str] = match (res, wide) {
        // printers.go eventColumnDefinitions (Priority 1 columns only with -o wide)
        (Res::Event, false) => &["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
        (Res::Event, true) => {
            &["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"]
        }
        // printers.go controllerRevisionColumnDefinitions
        (Res::ControllerRevision, _) => &["NAME", "CONTROLLER", "REVISION", "AGE"],
        // printers.go configMapColumnDefinitions
        (Res::ConfigMap, _) => &["NAME", "DATA", "AGE"],
        // printers.go secretColumnDefinitions
        (Res::Secret, _) => &["NAME", "TYPE", "DATA", "AGE"],
        // printers.go nodeColumnDefinitions
        (Res::Node, false) => &["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
        // printers.go podDisruptionBudgetColumnDefinitions
        (Res::Pdb, _) => &["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"],
        (Res::Node, true) => &[
            "NAME",
            "STATUS",
            "ROLES",
            "AGE",
            "VERSION",
            "INTERNAL-IP",
            "EXTERNAL-IP",
            "OS-IMAGE",
            "KERNEL-VERSION",
            "CONTAINER-RUNTIME",
        ],
        (other, wide) => return other.get_kind().map(|k| get::header(k, wide)).unwrap_or_default(),
    };
    cols.iter().map(|s| s.to_string()).collect()
}

/// Every object of `res` in the cluster's namespace, in the API server's list order (by name).
pub fn list(cluster: &Cluster, res: Res, wide: bool) -> Vec<Item> {
    let now = cluster.now();
    let plain = |name: String, row: Vec<String>| Item { name, labels: BTreeMap::new(), row };
    match res {
        Res::Pod | Res::StatefulSet | Res::Service | Res::Claim => {
            let kind = res.get_kind().expect("a table kind");
            let rows = get::rows(cluster, kind, wide);
            let labels = labels_of(cluster, res);
            rows.into_iter()
                .map(|row| Item { name: row[0].clone(), labels: labels.get(&row[0]).cloned().unwrap_or_default(), row })
                .collect()
        }
        Res::ControllerRevision => {
            let mut revs: Vec<_> = cluster.revisions().iter().collect();
            crate::sorting::sort_by(&mut revs, |a, b| a.name.cmp(&b.name));
            revs.into_iter()
                .map(|r| {
                    let obj = cluster.revision_object(r);
                    // printControllerRevision: the controller as formatResourceName(kind.group, name).
                    let controller = obj
                        .metadata
                        .owner_references
                        .as_ref()
                        .and_then(|o| o.iter().find(|o| o.controller == Some(true)))
                        .map(|o| {
                            let group = o.api_version.split_once('/').map(|(g, _)| g).unwrap_or("");
                            let gk = if group.is_empty() {
                                o.kind.to_lowercase()
                            } else {
                                format!("{}.{group}", o.kind.to_lowercase())
                            };
                            format!("{gk}/{}", o.name)
                        })
                        .unwrap_or_else(|| "<none>".into());
                    let labels = obj.metadata.labels.clone().unwrap_or_default();
                    Item {
                        name: r.name.clone(),
                        labels,
                        row: vec![
                            r.name.clone(),
                            controller,
                            r.revision.to_string(),
                            human_duration(now.since(r.created_at)),
                        ],
                    }
                })
                .collect()
        }
        Res::Event => {
            let mut evs: Vec<&Recorded> = cluster.recorded().iter().collect();
            sort_as_listed(&mut evs);
            evs.into_iter().map(|e| plain(event_name(e), event_row(cluster, e, wide))).collect()
        }
        Res::ConfigMap => {
            // Every namespace has the root CA bundle the API server publishes (one key, ca.crt).
            let mut items = vec![plain(
                "kube-root-ca.crt".into(),
                vec!["kube-root-ca.crt".into(), "1".into(), human_duration(now.since(crate::engine::SimTime::ZERO))],
            )];
            // printConfigMap: DATA is len(data) + len(binaryData). By name, as the API server lists.
            for o in cluster.configuration().of_kind(ConfigKind::ConfigMap) {
                let row = vec![o.name.clone(), o.data.len().to_string(), human_duration(now.since(o.created_at))];
                let at = items.partition_point(|i| i.name < o.name);
                items.insert(at, plain(o.name.clone(), row));
            }
            items
        }
        Res::Secret => {
            // printSecret: NAME, TYPE, DATA (len(data)), AGE; helm's storage driver keeps one Secret
            // per release revision (`sh.helm.release.v1.NAME.vN`, type helm.sh/release.v1, one key).
            let mut items: Vec<Item> = cluster
                .configuration()
                .of_kind(ConfigKind::Secret)
                .map(|o| {
                    let row = vec![
                        o.name.clone(),
                        o.type_.clone(),
                        o.data.len().to_string(),
                        human_duration(now.since(o.created_at)),
                    ];
                    plain(o.name.clone(), row)
                })
                .collect();
            for r in cluster.releases().iter().filter(|r| r.namespace == cluster.namespace()) {
                let name = helm_release_secret(r);
                let labels = BTreeMap::from([
                    ("name".to_string(), r.name.clone()),
                    ("owner".to_string(), "helm".to_string()),
                    ("status".to_string(), r.status.as_str().to_string()),
                    ("version".to_string(), r.version.to_string()),
                ]);
                let row = vec![
                    name.clone(),
                    "helm.sh/release.v1".into(),
                    "1".into(),
                    human_duration(now.since(r.deployed_at)),
                ];
                let at = items.partition_point(|i| i.name < name);
                items.insert(at, Item { name, labels, row });
            }
            items
        }
        Res::Node => cluster
            .nodes()
            .iter()
            .map(|n| {
                let mut row = vec![
                    n.name.clone(),
                    n.status_text(),
                    n.roles_text(),
                    human_duration(now.since(n.created_at)),
                    // The kubelets run the cluster's release.
                    format!("v{}", cluster.version()),
                ];
                if wide {
                    row.extend(
                        [n.ip.as_str(), "<none>", NODE_OS_IMAGE, NODE_KERNEL, NODE_RUNTIME]
                            .iter()
                            .map(|s| s.to_string()),
                    );
                }
                Item { name: n.name.clone(), labels: n.labels.clone(), row }
            })
            .collect(),
        Res::Pdb => cluster
            .pdbs()
            .iter()
            .map(|b| {
                // printPodDisruptionBudget: IntOrString.String(), or N/A.
                let row = vec![
                    b.name.clone(),
                    b.min_available_text().unwrap_or_else(|| "N/A".into()),
                    b.max_unavailable_text().unwrap_or_else(|| "N/A".into()),
                    cluster.pdb_status(b).disruptions_allowed.to_string(),
                    human_duration(now.since(b.created_at)),
                ];
                Item { name: b.name.clone(), labels: b.spec.labels.clone(), row }
            })
            .collect(),
        Res::Empty(_) => Vec::new(),
    }
}

/// The Secret helm's storage driver writes for a release revision (pkg/storage/driver/secrets.go
/// `makeKey`: `sh.helm.release.v1.NAME.vN`).
pub fn helm_release_secret(r: &crate::helm::Release) -> String {
    format!("sh.helm.release.v1.{}.v{}", r.name, r.version)
}

/// `status.nodeInfo` of the lab's nodes: minikube's kicbase image (Ubuntu), the host's kernel and
/// the docker runtime the pods' container IDs name; stand-ins, the lab has no machine to ask.
pub const NODE_OS_IMAGE: &str = "Ubuntu 22.04.5 LTS";
pub const NODE_KERNEL: &str = "6.8.0-45-generic";
pub const NODE_RUNTIME: &str = "docker://27.4.1";

fn labels_of(cluster: &Cluster, res: Res) -> BTreeMap<String, BTreeMap<String, String>> {
    match res {
        Res::Pod => cluster.pod_views().into_iter().map(|v| (v.name, v.labels)).collect_map(),
        Res::StatefulSet => cluster
            .statefulset_object()
            .map(|o| (o.metadata.name.clone().unwrap_or_default(), o.metadata.labels.clone().unwrap_or_default()))
            .into_iter()
            .collect_map(),
        Res::Service => cluster
            .services()
            .iter()
            .map(|s| (s.name.clone(), s.object.metadata.labels.clone().unwrap_or_default()))
            .chain(std::iter::once((
                "kubernetes".to_string(),
                BTreeMap::from([
                    ("component".to_string(), "apiserver".to_string()),
                    ("provider".to_string(), "kubernetes".to_string()),
                ]),
            )))
            .collect_map(),
        Res::Claim => cluster
            .claims()
            .map(|c| (c.name.clone(), cluster.claim_object(c).metadata.labels.unwrap_or_default()))
            .collect_map(),
        _ => BTreeMap::new(),
    }
}

/// The name the event recorder gives an Event: `<object>.<UnixNano in hex>` (client-go
/// tools/record/event.go makeEvent: `fmt.Sprintf("%v.%x", ref.Name, t.UnixNano())`); the lab's
/// clock starts at [`SIM_EPOCH_NANOS`].
pub fn event_name(e: &Recorded) -> String {
    format!("{}.{:x}", e.name, SIM_EPOCH_NANOS + e.first.0 * 1_000_000)
}

/// The wall-clock time the lab's simulated time 0 stands for, in Unix nanoseconds (2025-06-03T10:00:00Z),
/// only used to name Events.
pub const SIM_EPOCH_NANOS: u64 = 1_748_944_800_000_000_000;

/// Events in the order the API server lists them: by name (etcd key order), so by object, then by
/// first occurrence (same-length hex timestamps sort as numbers).
pub fn sort_as_listed(evs: &mut [&Recorded]) {
    // By the Event's own name (`<object>.<hex nanos>`, client-go makeEvent), as etcd keys sort:
    // `web-0.…` comes before `web.…` because '-' sorts before '.'.
    crate::sorting::sort_by_cached_key(evs, |e| event_name(e));
}

/// printers.go printEvent: `LAST SEEN  TYPE  REASON  OBJECT  MESSAGE` (+ wide columns).
pub fn event_row(cluster: &Cluster, e: &Recorded, wide: bool) -> Vec<String> {
    let now = cluster.now();
    let last = human_duration(now.since(e.last));
    let first = human_duration(now.since(e.first));
    let target = format!("{}/{}", e.kind.to_lowercase(), e.name);
    let message = e.message.trim().to_string();
    if wide {
        vec![
            last,
            e.type_.as_str().into(),
            e.reason.into(),
            target,
            e.field_path.clone().unwrap_or_default(),
            event_source(e),
            message,
            first,
            e.count.max(1).to_string(),
            event_name(e),
        ]
    } else {
        vec![last, e.type_.as_str().into(), e.reason.into(), target, message]
    }
}

/// printers.go formatEventSource: `component, host` (the kubelet's events carry the node).
pub fn event_source(e: &Recorded) -> String {
    if let Some(host) = &e.host {
        format!("{}, {host}", e.source)
    } else {
        e.source.to_string()
    }
}

/// The object as `-o yaml|json` prints it (`None` when it does not exist).
pub fn object(cluster: &Cluster, res: Res, name: &str) -> Option<Value> {
    let v = match res {
        Res::Pod => {
            crate::apiserver::codec::to_value(cluster.pod_object(cluster.pods().find(|p| p.name == name)?)).ok()?
        }
        Res::StatefulSet => crate::apiserver::codec::to_value(
            cluster.statefulset_object().filter(|o| o.metadata.name.as_deref() == Some(name))?,
        )
        .ok()?,
        Res::Service => {
            if name == "kubernetes" && cluster.namespace() == "default" {
                return Some(json!({
                    "apiVersion": "v1", "kind": "Service",
                    "metadata": {"labels": {"component": "apiserver", "provider": "kubernetes"}, "name": "kubernetes", "namespace": "default"},
                    "spec": {"clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"], "internalTrafficPolicy": "Cluster",
                        "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                        "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 8443}],
                        "sessionAffinity": "None", "type": "ClusterIP"},
                    "status": {"loadBalancer": {}}
                }));
            }
            let s = cluster.services().iter().find(|s| s.name == name)?;
            let mut o = s.object.clone();
            o.metadata.namespace = Some(cluster.namespace().to_string());
            let mut spec = o.spec.clone().unwrap_or_default();
            spec.cluster_ip = Some(s.cluster_ip.clone().unwrap_or_else(|| "None".into()));
            spec.cluster_ips = Some(vec![spec.cluster_ip.clone().unwrap_or_default()]);
            spec.type_ = Some(spec.type_.clone().unwrap_or_else(|| "ClusterIP".into()));
            // The service REST storage's IP family defaults on a single-stack IPv4 cluster
            // (minikube): SingleStack and [IPv4], headless Services with a selector included.
            if spec.type_.as_deref() != Some("ExternalName") {
                spec.ip_family_policy.get_or_insert_with(|| "SingleStack".into());
                spec.ip_families.get_or_insert_with(|| vec!["IPv4".into()]);
            }
            o.spec = Some(spec);
            let mut v = crate::apiserver::codec::to_value(o).ok()?;
            v["status"] = json!({"loadBalancer": {}});
            v
        }
        Res::Claim => {
            crate::apiserver::codec::to_value(cluster.claim_object(cluster.claims().find(|c| c.name == name)?)).ok()?
        }
        Res::ControllerRevision => crate::apiserver::codec::to_value(
            cluster.revision_object(cluster.revisions().iter().find(|r| r.name == name)?),
        )
        .ok()?,
        Res::Event => {
            let e = cluster.recorded().iter().find(|e| event_name(e) == name)?;
            event_object(cluster, e)
        }
        Res::Node => {
            let n = cluster.node(name)?;
            let taints: Vec<Value> = n
                .taints
                .iter()
                .map(|t| {
                    let mut v = json!({"effect": t.effect, "key": t.key});
                    if !t.value.is_empty() {
                        v["value"] = json!(t.value);
                    }
                    if let Some(at) = t.time_added {
                        v["timeAdded"] = serde_json::to_value(crate::engine::objects::sim_time(at)).unwrap_or_default();
                    }
                    v
                })
                .collect();
            let mut spec = json!({"podCIDR": format!("10.244.{}.0/24", n.index), "podCIDRs": [format!("10.244.{}.0/24", n.index)]});
            if !taints.is_empty() {
                spec["taints"] = json!(taints);
            }
            if n.unschedulable {
                spec["unschedulable"] = json!(true);
            }
            let (status, reason, message) = if n.ready {
                ("True", "KubeletReady", "kubelet is posting ready status")
            } else {
                ("Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.")
            };
            json!({
                "apiVersion": "v1", "kind": "Node",
                "metadata": {"labels": n.labels, "name": n.name},
                "spec": spec,
                "status": {
                    "addresses": [{"address": n.ip, "type": "InternalIP"}, {"address": n.name, "type": "Hostname"}],
                    "conditions": [{"message": message, "reason": reason, "status": status, "type": "Ready"}],
                    "nodeInfo": {"containerRuntimeVersion": NODE_RUNTIME, "kernelVersion": NODE_KERNEL,
                        "kubeletVersion": format!("v{}", cluster.version()), "osImage": NODE_OS_IMAGE,
                        "operatingSystem": "linux", "architecture": "amd64"}
                }
            })
        }
        Res::Pdb => cluster.pdb_object(cluster.pdb(name)?),
        Res::ConfigMap | Res::Secret => {
            let kind = if res == Res::Secret { ConfigKind::Secret } else { ConfigKind::ConfigMap };
            let Some(o) = cluster.configuration().get(kind, name) else {
                // kube-root-ca.crt and helm's release records: listed, their data not simulated.
                let item = list(cluster, res, false).into_iter().find(|i| i.name == name)?;
                let mut v = json!({"apiVersion": "v1", "kind": kind.as_str(),
                    "metadata": {"name": name, "namespace": cluster.namespace()}});
                if !item.labels.is_empty() {
                    v["metadata"]["labels"] = json!(item.labels);
                }
                if res == Res::Secret {
                    v["type"] = json!("helm.sh/release.v1");
                }
                return Some(v);
            };
            let mut v = json!({
                "apiVersion": "v1", "kind": kind.as_str(),
                "metadata": {"name": o.name, "namespace": cluster.namespace(),
                    "creationTimestamp": serde_json::to_value(crate::engine::objects::sim_time(o.created_at)).unwrap_or_default()},
            });
            let data: serde_json::Map<String, Value> = o
                .data
                .iter()
                .map(|(k, val)| {
                    let val = if kind == ConfigKind::Secret {
                        use base64::Engine;
                        base64::engine::general_purpose::STANDARD.encode(val.as_bytes())
                    } else {
                        val.clone()
                    };
                    (k.clone(), json!(val))
                })
                .collect_map();
            if !data.is_empty() {
                v["data"] = Value::Object(data);
            }
            if kind == ConfigKind::Secret {
                v["type"] = json!(o.type_);
            }
            v
        }
        Res::Empty(_) => return None,
    };
    Some(v)
}

/// A core/v1 Event as the recorder writes it.
pub fn event_object(cluster: &Cluster, e: &Recorded) -> Value {
    let mut involved = json!({"kind": e.kind, "name": e.name, "namespace": cluster.namespace()});
    involved["apiVersion"] = json!(if e.kind == "StatefulSet" { "apps/v1" } else { "v1" });
    if let Some(f) = &e.field_path {
        involved["fieldPath"] = json!(f);
    }
    let mut source = json!({"component": e.source});
    if let Some(host) = &e.host {
        source["host"] = json!(host);
    }
    json!({
        "apiVersion": "v1",
        "count": e.count.max(1),
        "involvedObject": involved,
        "kind": "Event",
        "message": e.message,
        "metadata": {"name": event_name(e), "namespace": cluster.namespace()},
        "reason": e.reason,
        "reportingComponent": e.source,
        "reportingInstance": e.host.as_deref().unwrap_or(""),
        "source": source,
        "type": e.type_.as_str(),
    })
}
