//! `kubectl describe` as describe.go writes it: lines through a PrefixWriter (two spaces per level)
//! into Go's tabwriter (`Init(buf, 0, 8, 2, ' ', 0)`, [`super::gotab`]). StatefulSets
//! (StatefulSetDescriber, with DescribePodTemplate and describeVolumeClaimTemplates) and claims
//! (PersistentVolumeClaimDescriber), pods (PodDescriber: describePod with the container statuses
//! of [`Cluster::pod_object`]) and Services (ServiceDescriber, with the Service's EndpointSlice
//! from [`Cluster::endpoints`]); the Events section (DescribeEvents) from `Cluster::recorded`.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStatus, PodTemplateSpec, Probe, Service, Toleration, Volume,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::engine::{Cluster, Recorded};

use super::cli::{error, namespace, not_found, Outcome};
use super::commands::{resolve, targets_and_selector};
use super::duration::human_duration;
use super::flags::Parsed;
use super::gotab;
use super::resource::Res;

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
    rfc1123z_unix(crate::engine::objects::SIM_EPOCH_SECS + (t.0 / 1000) as i64)
}

/// `time.RFC1123Z` of a `metav1.Time`.
fn rfc1123z_time(t: &Time) -> String {
    rfc1123z_unix(t.0.as_second())
}

fn rfc1123z_unix(secs: i64) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    let c = crate::civil::Civil::from_unix(secs);
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
    let (t, selector) = match targets_and_selector(p) {
        Ok(x) => x,
        Err(e) => return error(e),
    };
    let ns = namespace(cluster, p);
    let mut found: Vec<(Res, String)> = Vec::new();
    let mut errors = Vec::new();
    for (res, names) in &t.groups {
        let all = if ns.here || *res == Res::Node { super::objects::list(cluster, *res, false) } else { Vec::new() };
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
        Res::Pod => Ok(pod(cluster, name, events)),
        Res::Service => Ok(service(cluster, name, events)),
        Res::Node => Ok(node(cluster, name, events)),
        Res::Pdb => Ok(pdb(cluster, name, events)),
        other => Err(format!(
            "# the lab's terminal describes statefulsets, pods, services, persistentvolumeclaims, nodes and poddisruptionbudgets; `describe {}` is not simulated yet",
            resolve(other.qualified()).map(|r| r.qualified()).unwrap_or("that type")
        )),
    }
}

/// describe.go describePodDisruptionBudgetV1.
fn pdb(cluster: &Cluster, name: &str, show_events: bool) -> String {
    let Some(b) = cluster.pdb(name) else { return String::new() };
    let status = cluster.pdb_status(b);
    let mut w = W::default();
    w.w(0, &format!("Name:\t{name}\n"));
    w.w(0, &format!("Namespace:\t{}\n", cluster.namespace()));
    if let Some(min) = b.min_available_text() {
        w.w(0, &format!("Min available:\t{min}\n"));
    } else if let Some(max) = b.max_unavailable_text() {
        w.w(0, &format!("Max unavailable:\t{max}\n"));
    }
    match b.spec.selector.as_ref() {
        Some(sel) => w.w(0, &format!("Selector:\t{}\n", format_label_selector(sel))),
        None => w.w(0, "Selector:\t<unset>\n"),
    }
    w.w(0, "Status:\n");
    w.w(2, &format!("Allowed disruptions:\t{}\n", status.disruptions_allowed));
    w.w(2, &format!("Current:\t{}\n", status.current_healthy));
    w.w(2, &format!("Desired:\t{}\n", status.desired_healthy));
    w.w(2, &format!("Total:\t{}\n", status.expected_pods));
    if show_events {
        describe_events(cluster, &events_of(cluster, "PodDisruptionBudget", name), &mut w);
    }
    w.finish()
}

/// metav1.FormatLabelSelector: the selector's String() (requirements sorted by key), `<none>` when empty.
fn format_label_selector(sel: &k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector) -> String {
    let mut reqs: Vec<(String, String)> =
        sel.match_labels.iter().flatten().map(|(k, v)| (k.clone(), format!("{k}={v}"))).collect();
    for e in sel.match_expressions.iter().flatten() {
        let mut values = e.values.clone().unwrap_or_default();
        crate::sorting::sort(&mut values);
        let text = match e.operator.as_str() {
            "In" => format!("{} in ({})", e.key, values.join(",")),
            "NotIn" => format!("{} notin ({})", e.key, values.join(",")),
            "Exists" => e.key.clone(),
            "DoesNotExist" => format!("!{}", e.key),
            _ => return "<error>".into(),
        };
        reqs.push((e.key.clone(), text));
    }
    crate::sorting::sort_by(&mut reqs, |a, b| a.0.cmp(&b.0));
    let l = reqs.into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(",");
    if l.is_empty() {
        "<none>".into()
    } else {
        l
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
    crate::sorting::sort_by_key(&mut evs, |e| e.last);
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
        containers("Init Containers", init, &[], None, w, "  ");
    }
    containers("Containers", &spec.containers, &[], None, w, "  ");
    volumes(&spec.volumes.unwrap_or_default(), w, "  ");
    if let Some(pc) = spec.priority_class_name.as_ref().filter(|s| !s.is_empty()) {
        w.w(1, &format!("Priority Class Name:\t{pc}\n"));
    }
    labels(w, "", "  Node-Selectors", "\t", &spec.node_selector.unwrap_or_default());
    tolerations(w, "  ", "Tolerations", "\t", spec.tolerations.unwrap_or_default());
}

/// describe.go printTolerationsMultilineWithIndent.
fn tolerations(w: &mut W, indent: &str, title: &str, inner: &str, mut tol: Vec<Toleration>) {
    w.w(0, &format!("{indent}{title}:{inner}"));
    if tol.is_empty() {
        w.line("<none>");
        return;
    }
    // sort.Slice by key (not stable; the keys the lab sees differ).
    crate::sorting::sort_by(&mut tol, |a, b| a.key.cmp(&b.key));
    for (i, t) in tol.iter().enumerate() {
        if i != 0 {
            w.w(0, indent);
            w.w(0, inner);
        }
        let key = t.key.clone().unwrap_or_default();
        let value = t.value.clone().unwrap_or_default();
        let effect = t.effect.clone().unwrap_or_default();
        let mut s = key.clone();
        if !value.is_empty() {
            s += &format!("={value}");
        }
        if !effect.is_empty() {
            s += &format!(":{effect}");
        }
        if t.operator.as_deref() == Some("Exists") && value.is_empty() {
            s += if !key.is_empty() || !effect.is_empty() { " op=Exists" } else { "op=Exists" };
        }
        if let Some(secs) = t.toleration_seconds {
            s += &format!(" for {secs}s");
        }
        w.w(0, &format!("{s}\n"));
    }
}

/// The env var resolver describeContainers is given: none for a template, EnvValueRetriever for a pod.
type Resolver<'a> = Option<&'a dyn Fn(&str) -> String>;

/// describe.go describeContainers: a template's (no statuses, no resolver) or a pod's.
fn containers(label: &str, cs: &[Container], statuses: &[ContainerStatus], resolve: Resolver, w: &mut W, space: &str) {
    let none = if cs.is_empty() { " <none>" } else { "" };
    w.w(0, &format!("{space}{label}:{none}\n"));
    for c in cs {
        let status = statuses.iter().find(|s| s.name == c.name);
        let ni = if space.is_empty() { "" } else { " " };
        w.w(1, &format!("{ni}{}:\n", c.name));
        if let Some(s) = status {
            w.w(2, &format!("Container ID:\t{}\n", s.container_id.clone().unwrap_or_default()));
        }
        w.w(2, &format!("Image:\t{}\n", c.image.clone().unwrap_or_default()));
        if let Some(s) = status {
            w.w(2, &format!("Image ID:\t{}\n", s.image_id));
        }
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
        if let Some(s) = status {
            // describeContainerState
            container_state(w, "State", &s.state.clone().unwrap_or_default());
            if let Some(last) = s.last_state.as_ref().filter(|l| l.terminated.is_some()) {
                container_state(w, "Last State", last);
            }
            w.w(2, &format!("Ready:\t{}\n", if s.ready { "True" } else { "False" }));
            w.w(2, &format!("Restart Count:\t{}\n", s.restart_count));
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
                                "{}:\t{} ({}:{})\n",
                                e.name,
                                resolve.map(|r| r(&f.field_path)).unwrap_or_default(),
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
        crate::sorting::sort_by(&mut mounts, |a, b| a.mount_path.cmp(&b.mount_path));
        for m in &mounts {
            let mut flags = vec![if m.read_only == Some(true) { "ro".to_string() } else { "rw".to_string() }];
            if let Some(sp) = m.sub_path.as_ref().filter(|s| !s.is_empty()) {
                flags.push(format!("path={sp:?}"));
            }
            w.w(3, &format!("{} from {} ({})\n", m.mount_path, m.name, flags.join(",")));
        }
    }
}

/// describe.go describeStatus.
fn container_state(w: &mut W, name: &str, s: &ContainerState) {
    if let Some(r) = &s.running {
        w.w(2, &format!("{name}:\tRunning\n"));
        w.w(3, &format!("Started:\t{}\n", r.started_at.as_ref().map(rfc1123z_time).unwrap_or_default()));
    } else if let Some(wt) = &s.waiting {
        w.w(2, &format!("{name}:\tWaiting\n"));
        if let Some(r) = wt.reason.as_ref().filter(|r| !r.is_empty()) {
            w.w(3, &format!("Reason:\t{r}\n"));
        }
    } else if let Some(t) = &s.terminated {
        w.w(2, &format!("{name}:\tTerminated\n"));
        if let Some(r) = t.reason.as_ref().filter(|r| !r.is_empty()) {
            w.w(3, &format!("Reason:\t{r}\n"));
        }
        if let Some(m) = t.message.as_ref().filter(|r| !r.is_empty()) {
            w.w(3, &format!("Message:\t{m}\n"));
        }
        w.w(3, &format!("Exit Code:\t{}\n", t.exit_code));
        if let Some(sig) = t.signal.filter(|s| *s > 0) {
            w.w(3, &format!("Signal:\t{sig}\n"));
        }
        // A zero metav1.Time formats as Go's zero time.
        let zero = "Mon, 01 Jan 0001 00:00:00 +0000".to_string();
        w.w(3, &format!("Started:\t{}\n", t.started_at.as_ref().map(rfc1123z_time).unwrap_or_else(|| zero.clone())));
        w.w(3, &format!("Finished:\t{}\n", t.finished_at.as_ref().map(rfc1123z_time).unwrap_or(zero)));
    } else {
        w.w(2, &format!("{name}:\tWaiting\n"));
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
        } else if let Some(h) = &v.host_path {
            w.w(
                2,
                &format!(
                    "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
                    h.path,
                    h.type_.clone().unwrap_or_else(|| "<none>".into())
                ),
            );
        } else if let Some(p) = &v.projected {
            w.w(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n");
            for src in p.sources.iter().flatten() {
                if let Some(s) = &src.secret {
                    w.w(2, &format!("SecretName:\t{}\n    Optional:\t{}\n", s.name, s.optional.unwrap_or(false)));
                } else if src.downward_api.is_some() {
                    w.w(2, "DownwardAPI:\ttrue\n");
                } else if let Some(c) = &src.config_map {
                    w.w(2, &format!("ConfigMapName:\t{}\n    Optional:\t{}\n", c.name, c.optional.unwrap_or(false)));
                } else if let Some(t) = &src.service_account_token {
                    w.w(2, &format!("TokenExpirationSeconds:\t{}\n", t.expiration_seconds.unwrap_or(0)));
                }
            }
        } else if let Some(c) = &v.persistent_volume_claim {
            w.w(2, &format!("Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n", c.claim_name, c.read_only.unwrap_or(false)));
        } else {
            w.w(1, "<unknown>\n");
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

/// PodDescriber / describePod. The pod's Events are those of its name recorded since it was created
/// (searchEvents also matches the uid; the lab's Events keep no uid, and an earlier pod of the same
/// name had its events before this one existed).
fn pod(cluster: &Cluster, name: &str, show_events: bool) -> String {
    let p = cluster.pods().find(|p| p.name == name).expect("listed");
    let o = cluster.pod_object(p);
    let spec = o.spec.clone().unwrap_or_default();
    let status = o.status.clone().unwrap_or_default();
    let meta = &o.metadata;
    let mut w = W::default();
    w.w(0, &format!("Name:\t{name}\n"));
    w.w(0, &format!("Namespace:\t{}\n", meta.namespace.clone().unwrap_or_default()));
    if let Some(pr) = spec.priority {
        w.w(0, &format!("Priority:\t{pr}\n"));
    }
    if let Some(pc) = spec.priority_class_name.as_ref().filter(|s| !s.is_empty()) {
        w.w(0, &format!("Priority Class Name:\t{pc}\n"));
    }
    if let Some(rc) = spec.runtime_class_name.as_ref().filter(|s| !s.is_empty()) {
        w.w(0, &format!("Runtime Class Name:\t{rc}\n"));
    }
    if let Some(sa) = spec.service_account_name.as_ref().filter(|s| !s.is_empty()) {
        w.w(0, &format!("Service Account:\t{sa}\n"));
    }
    match spec.node_name.as_ref().filter(|s| !s.is_empty()) {
        None => w.w(0, "Node:\t<none>\n"),
        Some(n) => w.w(0, &format!("Node:\t{n}/{}\n", status.host_ip.clone().unwrap_or_default())),
    }
    if let Some(t) = &status.start_time {
        w.w(0, &format!("Start Time:\t{}\n", rfc1123z_time(t)));
    }
    labels(&mut w, "", "Labels", "\t", &meta.labels.clone().unwrap_or_default());
    annotations(&mut w, "Annotations", &meta.annotations.clone().unwrap_or_default());
    let phase = status.phase.clone().unwrap_or_default();
    match &meta.deletion_timestamp {
        Some(d) if phase != "Failed" && phase != "Succeeded" => {
            // translateTimestampSince
            let since = cluster
                .now()
                .0
                .saturating_sub((d.0.as_millisecond() - crate::engine::objects::SIM_EPOCH_SECS * 1000) as u64);
            w.w(0, &format!("Status:\tTerminating (lasts {})\n", human_duration(crate::engine::SimDuration(since))));
            w.w(0, &format!("Termination Grace Period:\t{}s\n", meta.deletion_grace_period_seconds.unwrap_or(0)));
        }
        _ => w.w(0, &format!("Status:\t{phase}\n")),
    }
    if let Some(r) = status.reason.as_ref().filter(|s| !s.is_empty()) {
        w.w(0, &format!("Reason:\t{r}\n"));
    }
    if let Some(m) = status.message.as_ref().filter(|s| !s.is_empty()) {
        w.w(0, &format!("Message:\t{m}\n"));
    }
    if let Some(sp) = spec.security_context.as_ref().and_then(|s| s.seccomp_profile.as_ref()) {
        w.w(0, &format!("SeccompProfile:\t{}\n", sp.type_));
        if sp.type_ == "Localhost" {
            w.w(0, &format!("LocalhostProfile:\t{}\n", sp.localhost_profile.clone().unwrap_or_default()));
        }
    }
    w.w(0, &format!("IP:\t{}\n", status.pod_ip.clone().unwrap_or_default()));
    // describePodIPs
    match status.pod_ips.as_ref().filter(|ips| !ips.is_empty()) {
        None => w.w(0, "IPs:\t<none>\n"),
        Some(ips) => {
            w.w(0, "IPs:\n");
            for ip in ips {
                w.w(1, &format!("IP:\t{}\n", ip.ip));
            }
        }
    }
    // printController
    if let Some(c) = meta.owner_references.iter().flatten().find(|o| o.controller == Some(true)) {
        w.w(0, &format!("Controlled By:\t{}/{}\n", c.kind, c.name));
    }
    // EnvValueRetriever: the downward API fields a container's env can name.
    let resolve = |path: &str| -> String {
        let from_map = |m: &Option<BTreeMap<String, String>>, prefix: &str| {
            let key = path.strip_prefix(prefix)?.strip_suffix("']")?;
            m.as_ref()?.get(key).cloned()
        };
        match path {
            "metadata.name" => meta.name.clone(),
            "metadata.namespace" => meta.namespace.clone(),
            "metadata.uid" => meta.uid.clone(),
            "spec.nodeName" => spec.node_name.clone(),
            "spec.serviceAccountName" => spec.service_account_name.clone(),
            "status.hostIP" => status.host_ip.clone(),
            "status.podIP" => status.pod_ip.clone(),
            _ => from_map(&meta.labels, "metadata.labels['")
                .or_else(|| from_map(&meta.annotations, "metadata.annotations['")),
        }
        .unwrap_or_default()
    };
    if let Some(init) = spec.init_containers.as_ref().filter(|c| !c.is_empty()) {
        let st = status.init_container_statuses.clone().unwrap_or_default();
        containers("Init Containers", init, &st, Some(&resolve), &mut w, "");
    }
    let st = status.container_statuses.clone().unwrap_or_default();
    containers("Containers", &spec.containers, &st, Some(&resolve), &mut w, "");
    if let Some(gates) = spec.readiness_gates.as_ref().filter(|g| !g.is_empty()) {
        w.w(0, "Readiness Gates:\n  Type\tStatus\n");
        for g in gates {
            let s = status
                .conditions
                .iter()
                .flatten()
                .find(|c| c.type_ == g.condition_type)
                .map(|c| c.status.clone())
                .unwrap_or_else(|| "<none>".into());
            w.w(1, &format!("{} \t{s} \n", g.condition_type));
        }
    }
    if let Some(conds) = status.conditions.as_ref().filter(|c| !c.is_empty()) {
        w.w(0, "Conditions:\n  Type\tStatus\n");
        for c in conds {
            w.w(1, &format!("{} \t{} \n", c.type_, c.status));
        }
    }
    volumes(&spec.volumes.clone().unwrap_or_default(), &mut w, "");
    w.w(0, &format!("QoS Class:\t{}\n", crate::engine::objects::qos_class(&spec)));
    labels(&mut w, "", "Node-Selectors", "\t", &spec.node_selector.clone().unwrap_or_default());
    tolerations(&mut w, "", "Tolerations", "\t", spec.tolerations.clone().unwrap_or_default());
    if show_events {
        let evs: Vec<&Recorded> =
            events_of(cluster, "Pod", name).into_iter().filter(|e| e.first >= p.created_at).collect();
        describe_events(cluster, &evs, &mut w);
    }
    w.finish()
}

/// ServiceDescriber / describeService, with the Service's EndpointSlice as the endpointslice
/// controller keeps it: every pod the selector matches that has an IP, ready or not (formatEndpointSlices
/// skips the not-ready), at the container port the target port names.
fn service(cluster: &Cluster, name: &str, show_events: bool) -> String {
    let v = super::objects::object(cluster, Res::Service, name).expect("listed");
    let o: Service = crate::apiserver::codec::from_value(&v).unwrap_or_default();
    let spec = o.spec.clone().unwrap_or_default();
    let mut w = W::default();
    w.w(0, &format!("Name:\t{name}\n"));
    w.w(0, &format!("Namespace:\t{}\n", o.metadata.namespace.clone().unwrap_or_default()));
    labels(&mut w, "", "Labels", "\t", &o.metadata.labels.clone().unwrap_or_default());
    annotations(&mut w, "Annotations", &o.metadata.annotations.clone().unwrap_or_default());
    let selector = spec.selector.clone().unwrap_or_default();
    // labels.FormatLabels: sorted k=v joined by commas, "<none>" when empty.
    let sel = selector.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",");
    w.w(0, &format!("Selector:\t{}\n", if sel.is_empty() { "<none>" } else { &sel }));
    w.w(0, &format!("Type:\t{}\n", spec.type_.clone().unwrap_or_default()));
    if let Some(p) = &spec.ip_family_policy {
        w.w(0, &format!("IP Family Policy:\t{p}\n"));
    }
    match spec.ip_families.as_ref().filter(|f| !f.is_empty()) {
        Some(f) => w.w(0, &format!("IP Families:\t{}\n", f.join(","))),
        None => w.w(0, "IP Families:\t<none>\n"),
    }
    w.w(0, &format!("IP:\t{}\n", spec.cluster_ip.clone().unwrap_or_default()));
    match spec.cluster_ips.as_ref().filter(|f| !f.is_empty()) {
        Some(ips) => w.w(0, &format!("IPs:\t{}\n", ips.join(","))),
        None => w.w(0, "IPs:\t<none>\n"),
    }
    if let Some(ips) = spec.external_ips.as_ref().filter(|f| !f.is_empty()) {
        w.w(0, &format!("External IPs:\t{}\n", ips.join(",")));
    }
    if let Some(ip) = spec.load_balancer_ip.as_ref().filter(|s| !s.is_empty()) {
        w.w(0, &format!("Desired LoadBalancer IP:\t{ip}\n"));
    }
    if let Some(n) = spec.external_name.as_ref().filter(|s| !s.is_empty()) {
        w.w(0, &format!("External Name:\t{n}\n"));
    }
    // The EndpointSlice: the kubernetes Service's is the API server's address; the lab's Services
    // with a selector have one (maybe empty); without a selector none.
    let kubernetes = name == "kubernetes" && o.metadata.labels.as_ref().is_some_and(|l| l.contains_key("component"));
    let pods: Vec<_> = cluster
        .endpoints()
        .into_iter()
        .filter_map(|e| {
            let pod = cluster.pods().find(|p| p.name == e.pod)?;
            let l = cluster.pod_labels(pod);
            selector.iter().all(|(k, v)| l.get(k) == Some(v)).then(|| (e, cluster.pod_object(pod)))
        })
        .collect();
    let has_slice = kubernetes || !selector.is_empty();
    for sp in spec.ports.iter().flatten() {
        let pname = sp.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "<unset>".into());
        let proto = sp.protocol.clone().unwrap_or_default();
        w.w(0, &format!("Port:\t{pname}\t{}/{proto}\n", sp.port));
        match &sp.target_port {
            Some(IntOrString::String(s)) => w.w(0, &format!("TargetPort:\t{s}/{proto}\n")),
            Some(IntOrString::Int(i)) => w.w(0, &format!("TargetPort:\t{i}/{proto}\n")),
            None => w.w(0, &format!("TargetPort:\t0/{proto}\n")),
        }
        if let Some(a) = &sp.app_protocol {
            w.w(0, &format!("AppProtocol:\t{a}\n"));
        }
        if let Some(np) = sp.node_port.filter(|n| *n != 0) {
            w.w(0, &format!("NodePort:\t{pname}\t{np}/{proto}\n"));
        }
        let endpoints = if kubernetes {
            format!("{}:8443", super::get::NODE_IP)
        } else if !has_slice {
            "<none>".to_string()
        } else {
            // The endpointslice controller's port for each pod (FindPort): a named target port
            // is looked up in the pod's containers.
            let addrs: Vec<String> = pods
                .iter()
                .filter_map(|(e, obj)| {
                    let port = match &sp.target_port {
                        Some(IntOrString::String(n)) => obj
                            .spec
                            .iter()
                            .flat_map(|s| s.containers.iter())
                            .flat_map(|c| c.ports.iter().flatten())
                            .find(|p| p.name.as_deref() == Some(n.as_str()))
                            .map(|p| p.container_port)?,
                        Some(IntOrString::Int(i)) => *i,
                        None => sp.port,
                    };
                    Some(format!("{}:{port}", e.ip))
                })
                .collect();
            // formatEndpointSlices: at most three, then " + N more...".
            if addrs.len() > 3 {
                format!("{} + {} more...", addrs[..3].join(","), addrs.len() - 3)
            } else {
                addrs.join(",")
            }
        };
        w.w(0, &format!("Endpoints:\t{endpoints}\n"));
    }
    w.w(0, &format!("Session Affinity:\t{}\n", spec.session_affinity.clone().unwrap_or_default()));
    if let Some(p) = spec.external_traffic_policy.as_ref().filter(|s| !s.is_empty()) {
        w.w(0, &format!("External Traffic Policy:\t{p}\n"));
    }
    if let Some(p) = &spec.internal_traffic_policy {
        w.w(0, &format!("Internal Traffic Policy:\t{p}\n"));
    }
    if let Some(hc) = spec.health_check_node_port.filter(|n| *n != 0) {
        w.w(0, &format!("HealthCheck NodePort:\t{hc}\n"));
    }
    if let Some(r) = spec.load_balancer_source_ranges.as_ref().filter(|f| !f.is_empty()) {
        w.w(0, &format!("LoadBalancer Source Ranges:\t{}\n", r.join(",")));
    }
    if let Some(t) = &spec.traffic_distribution {
        w.w(0, &format!("Traffic Distribution:\t{t}\n"));
    }
    if show_events {
        describe_events(cluster, &events_of(cluster, "Service", name), &mut w);
    }
    w.finish()
}

/// NodeDescriber / describeNode (kubectl pkg/describe/describe.go), with describeNodeLease and
/// describeNodeResource. Capacity, System Info and the machine ids are the lab's stand-ins for a
/// minikube node; the pods listed are the lab's (a real node also runs kube-system pods).
fn node(cluster: &Cluster, name: &str, show_events: bool) -> String {
    let Some(n) = cluster.node(name) else { return String::new() };
    let now = cluster.now();
    let mut w = W::default();
    w.w(0, &format!("Name:\t{name}\n"));
    w.w(0, &format!("Roles:\t{}\n", n.roles_text()));
    labels(&mut w, "", "Labels", "\t", &n.labels);
    annotations(&mut w, "Annotations", &BTreeMap::new());
    w.w(0, &format!("CreationTimestamp:\t{}\n", rfc1123z(n.created_at)));
    // printNodeTaintsMultiline: sorted by effect, then key; Taint.ToString.
    let mut taints = n.taints.clone();
    crate::sorting::sort_by(&mut taints, |a, b| {
        (a.effect.as_str(), a.key.as_str()).cmp(&(b.effect.as_str(), b.key.as_str()))
    });
    w.w(0, "Taints:\t");
    if taints.is_empty() {
        w.line("<none>");
    }
    for (i, t) in taints.iter().enumerate() {
        if i != 0 {
            w.w(0, "\t");
        }
        w.w(0, &format!("{}\n", t.text()));
    }
    w.w(0, &format!("Unschedulable:\t{}\n", n.unschedulable));
    // The kubelet renews its Lease every 10s and posts its status every 5m when nothing changes
    // (nodeStatusReportFrequency); both stop when it stops reporting.
    let last = n.down_at.unwrap_or(now);
    let renew = crate::engine::SimTime(last.0 / 10_000 * 10_000);
    let heartbeat = crate::engine::SimTime(last.0 / 300_000 * 300_000);
    w.w(0, "Lease:\n");
    w.w(1, &format!("HolderIdentity:\t{name}\n"));
    w.w(1, &format!("AcquireTime:\t{}\n", "<unset>"));
    w.w(1, &format!("RenewTime:\t{}\n", rfc1123z(renew)));
    w.w(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
    w.w(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
    let rows: [(&str, &str, &str, &str); 4] = [
        ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ];
    for (t, status, reason, message) in rows {
        // node_lifecycle_controller.go monitorNodeHealth: every condition becomes Unknown.
        let (status, reason, message) = if n.ready {
            (status, reason, message)
        } else {
            ("Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.")
        };
        w.w(
            1,
            &format!(
                "{t} \t{status} \t{} \t{} \t{reason} \t{message}\n",
                rfc1123z(heartbeat),
                rfc1123z(n.conditions_changed)
            ),
        );
    }
    w.w(0, "Addresses:\n");
    w.w(1, &format!("InternalIP:\t{}\n", n.ip));
    w.w(1, &format!("Hostname:\t{name}\n"));
    for title in ["Capacity", "Allocatable"] {
        w.w(0, &format!("{title}:\n"));
        for (r, v) in NODE_CAPACITY {
            w.w(0, &format!("  {r}:\t{v}\n"));
        }
    }
    let id = |what: &str| {
        use sha2::Digest;
        let d = sha2::Sha256::digest(format!("{what}/{name}").as_bytes());
        d.iter().take(16).map(|b| format!("{b:02x}")).collect::<String>()
    };
    let uuid = |h: String| format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32]);
    w.w(0, "System Info:\n");
    w.w(0, &format!("  Machine ID:\t{}\n", id("machine")));
    w.w(0, &format!("  System UUID:\t{}\n", uuid(id("system"))));
    w.w(0, &format!("  Boot ID:\t{}\n", uuid(id("boot"))));
    w.w(0, &format!("  Kernel Version:\t{}\n", super::objects::NODE_KERNEL));
    w.w(0, &format!("  OS Image:\t{}\n", super::objects::NODE_OS_IMAGE));
    w.w(0, "  Operating System:\tlinux\n");
    w.w(0, "  Architecture:\tamd64\n");
    w.w(0, &format!("  Container Runtime Version:\t{}\n", super::objects::NODE_RUNTIME));
    w.w(0, &format!("  Kubelet Version:\tv{}\n", cluster.version()));
    w.w(0, &format!("PodCIDR:\t10.244.{}.0/24\n", n.index));
    w.w(0, &format!("PodCIDRs:\t10.244.{}.0/24\n", n.index));
    // describeNodeResource: the pods on the node that are not terminated (phase not Succeeded or Failed).
    let pods: Vec<_> = cluster
        .pods()
        .filter(|p| p.node.as_deref() == Some(name) && p.phase != crate::engine::pod::PodPhase::Failed)
        .collect();
    let sized = pods.iter().any(|p| {
        let spec = cluster.pod_object(p).spec.unwrap_or_default();
        spec.containers.iter().any(|c| c.resources.as_ref().is_some_and(|r| r.requests.is_some() || r.limits.is_some()))
    });
    w.w(0, &format!("Non-terminated Pods:\t({} in total)\n", pods.len()));
    if sized {
        w.w(1, "# (the lab does not add up resource requests and limits; its pods here set some)\n");
    } else {
        w.w(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
        w.w(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
        for p in &pods {
            w.w(
                1,
                &format!(
                    "{}\t{}\t\t0 (0%)\t0 (0%)\t0 (0%)\t0 (0%)\t{}\n",
                    cluster.namespace(),
                    p.name,
                    human_duration(now.since(p.created_at))
                ),
            );
        }
        w.w(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
        w.w(1, "Resource\tRequests\tLimits\n");
        w.w(1, "--------\t--------\t------\n");
        for r in ["cpu", "memory", "ephemeral-storage", "hugepages-1Gi", "hugepages-2Mi"] {
            w.w(1, &format!("{r}\t0 (0%)\t0 (0%)\n"));
        }
    }
    if show_events {
        describe_events(cluster, &events_of(cluster, "Node", name), &mut w);
    }
    w.finish()
}

/// `status.capacity` (= allocatable) of the lab's minikube nodes, in SortableResourceNames order;
/// stand-ins for a small machine.
const NODE_CAPACITY: [(&str, &str); 6] = [
    ("cpu", "2"),
    ("ephemeral-storage", "102626232Ki"),
    ("hugepages-1Gi", "0"),
    ("hugepages-2Mi", "0"),
    ("memory", "4010200Ki"),
    ("pods", "110"),
];
