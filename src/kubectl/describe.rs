//! `kubectl describe` as describe.go writes it: lines through a PrefixWriter (two spaces per level)
//! into Go's tabwriter (`Init(buf, 0, 8, 2, ' ', 0)`, [`super::gotab`]). StatefulSets
//! (StatefulSetDescriber, with DescribePodTemplate and describeVolumeClaimTemplates) and claims
//! (PersistentVolumeClaimDescriber); the Events section (DescribeEvents) from `Cluster::recorded`.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, PodTemplateSpec, Probe, Volume};

use crate::engine::{Cluster, Recorded};

use super::cli::{error, namespace, not_found, Outcome};
use super::commands::{resolve, targets};
use super::duration::human_duration;
use super::flags::Parsed;
use super::gotab;
use super::resource::Res;
use super::selector::Selector;

/// describe.go's PrefixWriter: `Write(level, ...)` indents by two spaces per level.
#[derive(Default)]
pub struct W(String);

impl W {
    pub fn w(&mut self, level: usize, s: &str) {
        self.0.push_str(&"  ".repeat(level));
        self.0.push_str(s);
    }
    /// `WriteLine(a...)`: fmt.Sprintln.
    pub fn line(&mut self, s: &str) {
        self.0.push_str(s);
        self.0.push('\n');
    }
    /// tabbedString: the tabwriter's layout of everything written.
    pub fn finish(self) -> String {
        gotab::format(&self.0, 0, 2)
    }
}

/// `time.RFC1123Z` of a simulated time (the lab's clock starts at 2025-06-03T10:00:00Z).
pub fn rfc1123z(t: crate::engine::SimTime) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    let c = crate::civil::Civil::from_unix(1_748_944_800 + (t.0 / 1000) as i64);
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} +0000",
        DAYS[c.weekday],
        c.day,
        MONTHS[(c.month - 1) as usize],
        c.year,
        c.hour,
        c.minute,
        c.second
    )
}

/// `kubectl describe TYPE [NAME_PREFIX]`, `describe TYPE/NAME`.
pub fn run(cluster: &Cluster, p: &Parsed) -> Outcome {
    if p.args.is_empty() {
        // describe.go Complete
        return Outcome::err("error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n");
    }
    let t = match targets(&p.args) {
        Ok(t) => t,
        Err(e) => return error(e),
    };
    let selector = match p.get("selector").map(Selector::parse).transpose() {
        Ok(s) => s,
        Err(e) => return error(e),
    };
    let ns = namespace(cluster, p);
    let mut found: Vec<(Res, String)> = Vec::new();
    let mut errors = Vec::new();
    for (res, names) in &t.groups {
        let all = if ns.here { super::objects::list(cluster, *res, false) } else { Vec::new() };
        if names.is_empty() {
            for i in all.iter().filter(|i| selector.as_ref().is_none_or(|s| s.matches(&i.labels))) {
                found.push((*res, i.name.clone()));
            }
            continue;
        }
        for n in names {
            if all.iter().any(|i| &i.name == n) {
                found.push((*res, n.clone()));
            } else if names.len() == 1 && t.groups.len() == 1 && !p.args[0].contains('/') {
                // describe.go DescribeMatchingResources: a name that is not found is a prefix.
                let matching: Vec<_> = all.iter().filter(|i| i.name.starts_with(n.as_str())).collect();
                if matching.is_empty() {
                    errors.push(not_found(*res, n));
                }
                found.extend(matching.into_iter().map(|i| (*res, i.name.clone())));
            } else {
                errors.push(not_found(*res, n));
            }
        }
    }
    // describe.go Run: several objects print without events unless --show-events was given.
    let show_events = if p.has("show-events") { p.on("show-events") } else { found.len() <= 1 };
    let mut out = String::new();
    for (i, (res, name)) in found.iter().enumerate() {
        let text = match describe_one(cluster, *res, name, show_events) {
            Ok(t) => t,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if i > 0 {
            out.push_str("\n\n");
        }
        out.push_str(&text);
    }
    if found.is_empty() && errors.is_empty() {
        return Outcome::err(format!("No resources found in {} namespace.", ns.name));
    }
    Outcome::Print { stdout: out, stderr: errors.iter().map(|e| format!("{e}\n")).collect() }
}

fn describe_one(cluster: &Cluster, res: Res, name: &str, events: bool) -> Result<String, String> {
    match res {
        Res::StatefulSet => Ok(statefulset(cluster, events)),
        Res::Claim => Ok(claim(cluster, name, events)),
        other => Err(format!(
            "# the lab's terminal describes statefulsets and persistentvolumeclaims; `describe {}` is not simulated yet",
            resolve(other.qualified()).map(|r| r.qualified()).unwrap_or("that type")
        )),
    }
}

/// The Events of one object, as searchEvents finds them (involvedObject kind and name).
fn events_of<'a>(cluster: &'a Cluster, kind: &str, name: &str) -> Vec<&'a Recorded> {
    cluster.recorded().iter().filter(|e| e.kind == kind && e.name == name).collect()
}

/// describe.go DescribeEvents: sorted by time (event.SortableEvents, by lastTimestamp).
pub fn describe_events(cluster: &Cluster, evs: &[&Recorded], w: &mut W) {
    if evs.is_empty() {
        w.w(0, "Events:\t<none>\n");
        return;
    }
    let mut evs = evs.to_vec();
    evs.sort_by_key(|e| e.last);
    let now = cluster.now();
    w.w(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.w(1, "----\t------\t----\t----\t-------\n");
    for e in evs {
        let first = human_duration(now.since(e.first));
        let interval = if e.count > 1 {
            format!("{} (x{} over {first})", human_duration(now.since(e.last)), e.count)
        } else {
            first
        };
        let mut message = e.message.trim().to_string();
        if let Some(f) = &e.field_path {
            message = format!("{f}: {message}");
        }
        w.w(1, &format!("{}\t{}\t{interval}\t{}\t{message}\n", e.type_.as_str(), e.reason, e.source));
    }
}

/// describe.go printLabelsMultilineWithIndent.
fn labels(w: &mut W, indent: &str, title: &str, inner: &str, l: &BTreeMap<String, String>) {
    w.w(0, &format!("{indent}{title}:{inner}"));
    if l.is_empty() {
        w.line("<none>");
        return;
    }
    for (i, (k, v)) in l.iter().enumerate() {
        if i != 0 {
            w.w(0, indent);
            w.w(0, inner);
        }
        w.w(0, &format!("{k}={v}\n"));
    }
}

/// describe.go printAnnotationsMultiline (skipping kubectl.kubernetes.io/last-applied-configuration).
fn annotations(w: &mut W, title: &str, a: &BTreeMap<String, String>) {
    const MAX: usize = 140; // maxAnnotationLen
    w.w(0, &format!("{title}:\t"));
    let keys: Vec<&String> = a.keys().filter(|k| *k != "kubectl.kubernetes.io/last-applied-configuration").collect();
    if keys.is_empty() {
        w.line("<none>");
        return;
    }
    for (i, k) in keys.iter().enumerate() {
        if i != 0 {
            w.w(0, "\t");
        }
        let value = a[*k].trim_end_matches('\n');
        if value.len() + k.len() + 2 > MAX || value.contains('\n') {
            w.w(0, &format!("{k}:\n"));
            for s in value.split('\n') {
                let s = if s.len() > MAX - 2 { format!("{}...", &s[..MAX - 2]) } else { s.to_string() };
                w.w(0, &format!("\t  {s}\n"));
            }
        } else {
            w.w(0, &format!("{k}: {value}\n"));
        }
    }
}

/// StatefulSetDescriber / describeStatefulSet.
fn statefulset(cluster: &Cluster, show_events: bool) -> String {
    let o = cluster.statefulset_object().expect("listed");
    let state = cluster.statefulset().expect("listed");
    let spec = o.spec.clone().unwrap_or_default();
    let status = o.status.clone().unwrap_or_default();
    let meta = &o.metadata;
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", meta.name.clone().unwrap_or_default()));
    w.w(0, &format!("Namespace:\t{}\n", cluster.namespace()));
    w.w(0, &format!("CreationTimestamp:\t{}\n", rfc1123z(state.created_at)));
    // labels.Selector String(): requirements sorted by key, joined by commas.
    let sel = state.spec.selector.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",");
    w.w(0, &format!("Selector:\t{sel}\n"));
    labels(&mut w, "", "Labels", "\t", &meta.labels.clone().unwrap_or_default());
    annotations(&mut w, "Annotations", &meta.annotations.clone().unwrap_or_default());
    if !state.spec.service_name.is_empty() {
        w.w(0, &format!("Service Name:\t{}\n", state.spec.service_name));
    }
    w.w(0, &format!("Pod Management Policy:\t{}\n", state.spec.policy.as_str()));
    w.w(0, &format!("Replicas:\t{} desired | {} total\n", state.spec.replicas, status.replicas));
    w.w(0, &format!("Update Strategy:\t{}\n", state.spec.strategy.as_str()));
    if let Some(ru) = spec.update_strategy.as_ref().and_then(|u| u.rolling_update.as_ref()) {
        if let Some(part) = ru.partition {
            w.w(1, &format!("Partition:\t{part}\n"));
            if let Some(m) = &ru.max_unavailable {
                let m = match m {
                    k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(i) => i.to_string(),
                    k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(s) => s.clone(),
                };
                w.w(1, &format!("MaxUnavailable:\t{m}\n"));
            }
        }
    }
    if let Some(r) = &spec.persistent_volume_claim_retention_policy {
        w.w(0, "Persistent Volume Claim Retention Policy:\n");
        w.w(1, &format!("WhenDeleted:\t{}\n", r.when_deleted.clone().unwrap_or_default()));
        w.w(1, &format!("WhenScaled:\t{}\n", r.when_scaled.clone().unwrap_or_default()));
    }
    // getPodStatusForController: the set's pods by phase.
    let (mut running, mut waiting, mut failed) = (0, 0, 0);
    for pod in cluster.pods().filter(|p| p.owned) {
        match cluster.pod_object(pod).status.and_then(|s| s.phase).as_deref() {
            Some("Running") => running += 1,
            Some("Pending") => waiting += 1,
            Some("Failed") => failed += 1,
            _ => {}
        }
    }
    w.w(0, &format!("Pods Status:\t{running} Running / {waiting} Waiting / 0 Succeeded / {failed} Failed\n"));
    pod_template(&spec.template, &mut w);
    claim_templates(&spec.volume_claim_templates.unwrap_or_default(), &mut w);
    if show_events {
        let name = meta.name.clone().unwrap_or_default();
        describe_events(cluster, &events_of(cluster, "StatefulSet", &name), &mut w);
    }
    w.finish()
}

/// describe.go DescribePodTemplate (also what `rollout history --revision=N` prints).
pub fn pod_template(t: &PodTemplateSpec, w: &mut W) {
    w.w(0, "Pod Template:\n");
    let meta = t.metadata.clone().unwrap_or_default();
    let spec = t.spec.clone().unwrap_or_default();
    labels(w, "", "  Labels", "\t", &meta.labels.unwrap_or_default());
    let ann = meta.annotations.unwrap_or_default();
    if !ann.is_empty() {
        annotations(w, "  Annotations", &ann);
    }
    if let Some(sa) = spec.service_account_name.as_ref().filter(|s| !s.is_empty()) {
        w.w(1, &format!("Service Account:\t{sa}\n"));
    }
    if let Some(init) = spec.init_containers.as_ref().filter(|c| !c.is_empty()) {
        containers("Init Containers", init, w, "  ");
    }
    containers("Containers", &spec.containers, w, "  ");
    volumes(&spec.volumes.unwrap_or_default(), w, "  ");
    if let Some(pc) = spec.priority_class_name.as_ref().filter(|s| !s.is_empty()) {
        w.w(1, &format!("Priority Class Name:\t{pc}\n"));
    }
    labels(w, "", "  Node-Selectors", "\t", &spec.node_selector.unwrap_or_default());
    let tol = spec.tolerations.unwrap_or_default();
    w.w(0, "  Tolerations:\t");
    if tol.is_empty() {
        w.line("<none>");
    } else {
        // printTolerationsMultilineWithIndent, the common cases.
        let mut tol = tol;
        tol.sort_by(|a, b| a.key.cmp(&b.key));
        for (i, t) in tol.iter().enumerate() {
            if i != 0 {
                w.w(0, "\t");
            }
            let mut s = t.key.clone().unwrap_or_default();
            if let Some(v) = t.value.as_ref().filter(|v| !v.is_empty()) {
                s += &format!("={v}");
            }
            if let Some(e) = t.effect.as_ref().filter(|e| !e.is_empty()) {
                s += &format!(":{e}");
            }
            if t.operator.as_deref() == Some("Exists") && t.value.as_deref().unwrap_or("").is_empty() {
                s += if s.is_empty() { "op=Exists" } else { " op=Exists" };
            }
            if let Some(secs) = t.toleration_seconds {
                s += &format!(" for {secs}s");
            }
            w.w(0, &format!("{s}\n"));
        }
    }
}

/// describe.go describeContainers for a template (no statuses).
fn containers(label: &str, cs: &[Container], w: &mut W, space: &str) {
    let none = if cs.is_empty() { " <none>" } else { "" };
    w.w(0, &format!("{space}{label}:{none}\n"));
    for c in cs {
        let ni = if space.is_empty() { "" } else { " " };
        w.w(1, &format!("{ni}{}:\n", c.name));
        w.w(2, &format!("Image:\t{}\n", c.image.clone().unwrap_or_default()));
        let ports = c.ports.clone().unwrap_or_default();
        let fmt_ports = |host: bool| {
            ports
                .iter()
                .map(|p| {
                    let n = if host { p.host_port.unwrap_or(0) } else { p.container_port };
                    let proto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
                    match &p.name {
                        Some(name) if !name.is_empty() => format!("{n}/{proto} ({name})"),
                        _ => format!("{n}/{proto}"),
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (cp, hp) = (fmt_ports(false), fmt_ports(true));
        let or_none = |s: String| if s.is_empty() { "<none>".to_string() } else { s };
        if cp.contains(',') {
            w.w(2, &format!("Ports:\t{cp}\n"));
        } else {
            w.w(2, &format!("Port:\t{}\n", or_none(cp)));
        }
        if hp.contains(',') {
            w.w(2, &format!("Host Ports:\t{hp}\n"));
        } else {
            w.w(2, &format!("Host Port:\t{}\n", or_none(hp)));
        }
        if let Some(cmd) = c.command.as_ref().filter(|v| !v.is_empty()) {
            w.w(2, "Command:\n");
            for s in cmd.iter().flat_map(|c| c.split('\n')) {
                w.w(3, &format!("{s}\n"));
            }
        }
        if let Some(args) = c.args.as_ref().filter(|v| !v.is_empty()) {
            w.w(2, "Args:\n");
            for s in args.iter().flat_map(|c| c.split('\n')) {
                w.w(3, &format!("{s}\n"));
            }
        }
        if let Some(r) = &c.resources {
            for (title, m) in [("Limits", &r.limits), ("Requests", &r.requests)] {
                if let Some(m) = m.as_ref().filter(|m| !m.is_empty()) {
                    w.w(2, &format!("{title}:\n"));
                    for (k, q) in m {
                        w.w(3, &format!("{k}:\t{}\n", q.0));
                    }
                }
            }
        }
        for (title, p) in
            [("Liveness", &c.liveness_probe), ("Readiness", &c.readiness_probe), ("Startup", &c.startup_probe)]
        {
            if let Some(p) = p {
                w.w(2, &format!("{title}:\t{}\n", probe(p)));
            }
        }
        let env = c.env.clone().unwrap_or_default();
        w.w(2, &format!("Environment:{}\n", if env.is_empty() { "\t<none>" } else { "" }));
        for e in &env {
            match &e.value_from {
                None => {
                    for (i, s) in e.value.clone().unwrap_or_default().split('\n').enumerate() {
                        if i == 0 {
                            w.w(3, &format!("{}:\t{s}\n", e.name));
                        } else {
                            w.w(3, &format!("\t{s}\n"));
                        }
                    }
                }
                Some(vf) => {
                    if let Some(f) = &vf.field_ref {
                        w.w(
                            3,
                            &format!(
                                "{}:\t ({}:{})\n",
                                e.name,
                                f.api_version.clone().unwrap_or_else(|| "v1".into()),
                                f.field_path
                            ),
                        );
                    } else if let Some(s) = &vf.secret_key_ref {
                        w.w(
                            3,
                            &format!(
                                "{}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                                e.name,
                                s.key,
                                s.name,
                                s.optional.unwrap_or(false)
                            ),
                        );
                    } else if let Some(s) = &vf.config_map_key_ref {
                        w.w(
                            3,
                            &format!(
                                "{}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                                e.name,
                                s.key,
                                s.name,
                                s.optional.unwrap_or(false)
                            ),
                        );
                    } else if let Some(r) = &vf.resource_field_ref {
                        w.w(3, &format!("{}:\t ({})\n", e.name, r.resource));
                    }
                }
            }
        }
        let mut mounts = c.volume_mounts.clone().unwrap_or_default();
        w.w(2, &format!("Mounts:{}\n", if mounts.is_empty() { "\t<none>" } else { "" }));
        // SortableVolumeMounts: by mountPath.
        mounts.sort_by(|a, b| a.mount_path.cmp(&b.mount_path));
        for m in &mounts {
            let mut flags = vec![if m.read_only == Some(true) { "ro".to_string() } else { "rw".to_string() }];
            if let Some(sp) = m.sub_path.as_ref().filter(|s| !s.is_empty()) {
                flags.push(format!("path={sp:?}"));
            }
            w.w(3, &format!("{} from {} ({})\n", m.mount_path, m.name, flags.join(",")));
        }
    }
}

/// describe.go DescribeProbe, with the API server's probe defaults (timeout 1, period 10, success 1, failure 3).
fn probe(p: &Probe) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s successThreshold={} failureThreshold={}",
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(1),
        p.period_seconds.unwrap_or(10),
        p.success_threshold.unwrap_or(1),
        p.failure_threshold.unwrap_or(3)
    );
    let port = |p: &k8s_openapi::apimachinery::pkg::util::intstr::IntOrString| match p {
        k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(i) => i.to_string(),
        k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(s) => s.clone(),
    };
    if let Some(e) = &p.exec {
        return format!("exec [{}] {attrs}", e.command.clone().unwrap_or_default().join(" "));
    }
    if let Some(h) = &p.http_get {
        let scheme = h.scheme.clone().unwrap_or_else(|| "HTTP".into()).to_lowercase();
        let host = h.host.clone().unwrap_or_default();
        return format!("http-get {scheme}://{host}:{}{} {attrs}", port(&h.port), h.path.clone().unwrap_or_default());
    }
    if let Some(t) = &p.tcp_socket {
        return format!("tcp-socket {}:{} {attrs}", t.host.clone().unwrap_or_default(), port(&t.port));
    }
    if let Some(g) = &p.grpc {
        return format!("grpc <pod>:{} {} {attrs}", g.port, g.service.clone().unwrap_or_default());
    }
    format!("unknown {attrs}")
}

/// describe.go describeVolumes (the sources a StatefulSet template usually has).
fn volumes(vs: &[Volume], w: &mut W, space: &str) {
    if vs.is_empty() {
        w.w(0, &format!("{space}Volumes:\t<none>\n"));
        return;
    }
    w.w(0, &format!("{space}Volumes:\n"));
    for v in vs {
        let ni = if space.is_empty() { "" } else { " " };
        w.w(1, &format!("{ni}{}:\n", v.name));
        if let Some(e) = &v.empty_dir {
            let size = e.size_limit.as_ref().map(|q| q.0.clone()).unwrap_or_else(|| "<unset>".into());
            w.w(2, &format!("Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{size}\n", e.medium.clone().unwrap_or_default()));
        } else if let Some(c) = &v.config_map {
            w.w(
                2,
                &format!(
                    "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                    c.name,
                    c.optional.unwrap_or(false)
                ),
            );
        } else if let Some(s) = &v.secret {
            w.w(
                2,
                &format!(
                    "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                    s.secret_name.clone().unwrap_or_default(),
                    s.optional.unwrap_or(false)
                ),
            );
        } else if let Some(c) = &v.persistent_volume_claim {
            w.w(2, &format!("Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n", c.claim_name, c.read_only.unwrap_or(false)));
        } else {
            w.w(2, "<unknown>\n");
        }
    }
}

/// describe.go describeVolumeClaimTemplates.
fn claim_templates(ts: &[k8s_openapi::api::core::v1::PersistentVolumeClaim], w: &mut W) {
    if ts.is_empty() {
        w.w(0, "Volume Claims:\t<none>\n");
        return;
    }
    w.w(0, "Volume Claims:\n");
    for t in ts {
        let spec = t.spec.clone().unwrap_or_default();
        w.w(1, &format!("Name:\t{}\n", t.metadata.name.clone().unwrap_or_default()));
        w.w(1, &format!("StorageClass:\t{}\n", spec.storage_class_name.clone().unwrap_or_default()));
        labels(w, "  ", "Labels", "\t", &t.metadata.labels.clone().unwrap_or_default());
        labels(w, "  ", "Annotations", "\t", &t.metadata.annotations.clone().unwrap_or_default());
        match spec.resources.as_ref().and_then(|r| r.requests.as_ref()).and_then(|r| r.get("storage")) {
            Some(q) => w.w(1, &format!("Capacity:\t{}\n", q.0)),
            None => w.w(1, "Capacity:\t<default>\n"),
        }
        // `%s` of a []PersistentVolumeAccessMode: `[ReadWriteOnce]`.
        w.w(1, &format!("Access Modes:\t[{}]\n", spec.access_modes.unwrap_or_default().join(" ")));
    }
}

/// PersistentVolumeClaimDescriber / describePersistentVolumeClaim.
fn claim(cluster: &Cluster, name: &str, show_events: bool) -> String {
    let c = cluster.claims().find(|c| c.name == name).expect("listed");
    let o = cluster.claim_object(c);
    let spec = o.spec.clone().unwrap_or_default();
    let status = o.status.clone().unwrap_or_default();
    let mut w = W::default();
    w.w(0, &format!("Name:\t{name}\n"));
    w.w(0, &format!("Namespace:\t{}\n", cluster.namespace()));
    w.w(0, &format!("StorageClass:\t{}\n", spec.storage_class_name.clone().unwrap_or_default()));
    if c.is_terminating() {
        // The lab does not keep the deletion time of a claim; kubectl shows how long it has lasted.
        w.w(0, "Status:\tTerminating (lasts <unknown>)\n");
    } else {
        w.w(0, &format!("Status:\t{}\n", status.phase.clone().unwrap_or_default()));
    }
    let volume = spec.volume_name.clone().unwrap_or_default();
    w.w(0, &format!("Volume:\t{volume}\n"));
    labels(&mut w, "", "Labels", "\t", &o.metadata.labels.clone().unwrap_or_default());
    annotations(&mut w, "Annotations", &o.metadata.annotations.clone().unwrap_or_default());
    w.w(0, &format!("Finalizers:\t[{}]\n", o.metadata.finalizers.clone().unwrap_or_default().join(" ")));
    let (capacity, modes) =
        if volume.is_empty() { (String::new(), String::new()) } else { (c.capacity.clone(), c.access_modes.join(",")) };
    w.w(0, &format!("Capacity:\t{capacity}\n"));
    w.w(0, &format!("Access Modes:\t{modes}\n"));
    w.w(0, "VolumeMode:\tFilesystem\n");
    // printPodsMultiline: the pods that mount it.
    let users: Vec<String> = cluster
        .pods()
        .filter(|p| p.ordinal == c.ordinal && cluster.counter_claim_of(p).is_some_and(|cc| cc.name == c.name))
        .map(|p| p.name.clone())
        .collect();
    w.w(0, "Used By:\t");
    if users.is_empty() {
        w.line("<none>");
    } else {
        for (i, u) in users.iter().enumerate() {
            if i != 0 {
                w.w(0, "\t");
            }
            w.w(0, &format!("{u}\n"));
        }
    }
    if show_events {
        describe_events(cluster, &events_of(cluster, "PersistentVolumeClaim", name), &mut w);
    }
    w.finish()
}
