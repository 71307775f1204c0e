//! The kubectl commands the lab runs, each as kubectl's `Complete`/`Validate`/`Run` would,
//! with the texts of their sources.

use crate::engine::Cluster;

use super::cli::{error, namespace, not_found, usage_error, Outcome};
use super::flags::{optional, switch, val, Flag, Parsed};
use super::objects::{self, Item};
use super::output;
use super::resource::{Res, ALL};
use super::selector::Selector;
use super::tabwriter;

const GET: &[Flag] = &[
    val("output", Some('o')),
    val("selector", Some('l')),
    switch("watch", Some('w')),
    switch("watch-only", None),
    switch("all-namespaces", Some('A')),
    switch("show-labels", None),
    switch("no-headers", None),
    switch("ignore-not-found", None),
    val("label-columns", Some('L')),
    val("field-selector", None),
    val("sort-by", None),
    val("chunk-size", None),
    val("filename", Some('f')),
];
const DESCRIBE: &[Flag] =
    &[val("selector", Some('l')), switch("show-events", None), switch("all-namespaces", Some('A'))];
const ROLLOUT: &[Flag] = &[
    switch("watch", Some('w')),
    val("timeout", None),
    val("revision", None),
    val("to-revision", None),
    val("output", Some('o')),
    optional("dry-run", None, "unchanged"),
    val("selector", Some('l')),
    val("field-manager", None),
];
const SCALE: &[Flag] = &[
    val("replicas", None),
    val("current-replicas", None),
    val("resource-version", None),
    val("timeout", None),
    val("output", Some('o')),
    optional("dry-run", None, "unchanged"),
    val("selector", Some('l')),
];
const PATCH: &[Flag] = &[
    val("patch", Some('p')),
    val("type", None),
    val("patch-file", None),
    val("output", Some('o')),
    optional("dry-run", None, "unchanged"),
    switch("local", None),
    val("field-manager", None),
    val("subresource", None),
];
const SET_IMAGE: &[Flag] =
    &[val("output", Some('o')), optional("dry-run", None, "unchanged"), switch("local", None), switch("all", None)];
const DELETE: &[Flag] = &[
    val("cascade", None),
    val("grace-period", None),
    switch("now", None),
    switch("force", None),
    switch("wait", None),
    switch("ignore-not-found", None),
    val("selector", Some('l')),
    switch("all", None),
    val("output", Some('o')),
    optional("dry-run", None, "unchanged"),
    val("timeout", None),
];
const APPLY: &[Flag] = &[
    val("filename", Some('f')),
    val("output", Some('o')),
    optional("dry-run", None, "unchanged"),
    switch("server-side", None),
    switch("force-conflicts", None),
    val("field-manager", None),
];
const LABEL: &[Flag] = &[
    switch("overwrite", None),
    switch("list", None),
    val("output", Some('o')),
    optional("dry-run", None, "unchanged"),
    val("selector", Some('l')),
    switch("all", None),
];
const EXEC: &[Flag] =
    &[val("container", Some('c')), switch("stdin", Some('i')), switch("tty", Some('t')), switch("quiet", Some('q'))];
const LOGS: &[Flag] = &[
    val("container", Some('c')),
    switch("follow", Some('f')),
    switch("previous", Some('p')),
    val("tail", None),
    switch("timestamps", None),
    val("since", None),
    switch("all-containers", None),
    val("selector", Some('l')),
];
const CORDON: &[Flag] = &[optional("dry-run", None, "unchanged"), val("selector", Some('l'))];
const DRAIN: &[Flag] = &[
    switch("force", None),
    val("grace-period", None),
    switch("ignore-daemonsets", None),
    switch("delete-emptydir-data", None),
    switch("disable-eviction", None),
    val("timeout", None),
    val("pod-selector", None),
    val("selector", Some('l')),
    optional("dry-run", None, "unchanged"),
];
const TAINT: &[Flag] = &[
    switch("overwrite", None),
    switch("all", None),
    val("selector", Some('l')),
    val("output", Some('o')),
    optional("dry-run", None, "unchanged"),
];
const API_RESOURCES: &[Flag] = &[
    switch("namespaced", None),
    val("api-group", None),
    val("output", Some('o')),
    switch("no-headers", None),
    val("verbs", None),
    switch("cached", None),
    val("sort-by", None),
];

const VERSION: &[Flag] = &[switch("client", None), val("output", Some('o'))];
const CREATE: &[Flag] = &[
    val("from-literal", None),
    val("from-file", None),
    val("from-env-file", None),
    val("type", None),
    switch("append-hash", None),
    val("output", Some('o')),
    optional("dry-run", None, "unchanged"),
    switch("save-config", None),
    optional("validate", None, "strict"),
    val("field-manager", None),
];

/// The flags of a command path.
pub fn flags_of(path: &[String]) -> &'static [Flag] {
    match path.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["get", ..] => GET,
        ["describe", ..] => DESCRIBE,
        ["rollout", ..] => ROLLOUT,
        ["scale", ..] => SCALE,
        ["patch", ..] => PATCH,
        ["set", ..] => SET_IMAGE,
        ["delete", ..] => DELETE,
        ["apply", ..] => APPLY,
        ["label", ..] | ["annotate", ..] => LABEL,
        ["exec", ..] => EXEC,
        ["drain", ..] => DRAIN,
        ["cordon", ..] | ["uncordon", ..] => CORDON,
        ["taint", ..] => TAINT,
        ["logs", ..] => LOGS,
        ["api-resources", ..] => API_RESOURCES,
        ["version", ..] => VERSION,
        ["create", ..] => CREATE,
        _ => &[],
    }
}

/// Runs a parsed command.
pub fn dispatch(
    cluster: &Cluster,
    path: &[String],
    p: &mut Parsed,
    cmd: &str,
    files: &dyn Fn(&str) -> Option<String>,
) -> Outcome {
    let dry_run = match dry_run_strategy(p) {
        Ok(d) => d,
        Err(e) => return error(e),
    };
    let outcome = run_command(cluster, path, p, cmd, files);
    match (outcome, dry_run) {
        (Outcome::Act(action), Some(suffix)) => {
            // The request is made against a copy (client: never sent; server: not persisted):
            // kubectl prints the usual line with the strategy's suffix.
            let mut copy = cluster.clone();
            match copy.apply(action) {
                Ok(text) => Outcome::out(text.lines().map(|l| format!("{l}{suffix}")).collect::<Vec<_>>().join("\n")),
                Err(e) => Outcome::err(e.to_string()),
            }
        }
        (outcome, _) => outcome,
    }
}

/// cmdutil.GetDryRunStrategy and PrintFlagsWithDryRunStrategy: `None` sends the request; otherwise
/// the suffix kubectl adds to what it prints. A bare `--dry-run` (NoOptDefVal `unchanged`) and
/// `--dry-run=true` mean client.
fn dry_run_strategy(p: &Parsed) -> Result<Option<&'static str>, String> {
    let Some(v) = p.get("dry-run") else {
        return Ok(None);
    };
    match v {
        "unchanged" | "client" | "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(Some(" (dry run)")),
        "server" => Ok(Some(" (server dry run)")),
        "none" | "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(None),
        other => Err(format!("Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\".")),
    }
}

fn run_command(
    cluster: &Cluster,
    path: &[String],
    p: &mut Parsed,
    cmd: &str,
    files: &dyn Fn(&str) -> Option<String>,
) -> Outcome {
    let parts: Vec<&str> = path.iter().map(String::as_str).collect();
    match parts.as_slice() {
        ["get"] => get(cluster, p, cmd),
        ["describe"] => super::describe::run(cluster, p),
        ["rollout", sub] => super::rollout::run(cluster, sub, p, cmd),
        ["rollout"] => Outcome::out(
            "Manage the rollout of one or many resources.\n\n(The lab's terminal runs: kubectl rollout history|pause|restart|resume|status|undo)",
        ),
        ["scale"] => super::mutate::scale(cluster, p, cmd),
        ["patch"] => super::mutate::patch(cluster, p, cmd),
        ["set", "image"] => super::mutate::set_image(cluster, p, cmd),
        ["set", other] => Outcome::err(format!(
            "error: the lab's terminal runs `kubectl set image`, not `kubectl set {other}`"
        )),
        ["set"] => Outcome::out("Configure application resources.\n\n(The lab's terminal runs: kubectl set image)"),
        ["delete"] => super::mutate::delete(cluster, p, cmd),
        ["apply"] => super::mutate::apply(cluster, p, cmd, files),
        ["label"] => super::mutate::label(cluster, p, cmd, "labels"),
        ["annotate"] => super::mutate::label(cluster, p, cmd, "annotations"),
        ["exec"] => super::pods::exec(cluster, p, cmd),
        ["cordon"] => super::mutate::cordon(cluster, p, cmd, true),
        ["uncordon"] => super::mutate::cordon(cluster, p, cmd, false),
        ["drain"] => super::mutate::drain(cluster, p, cmd),
        ["taint"] => super::mutate::taint(cluster, p, cmd),
        ["logs"] => super::pods::logs(cluster, p, cmd),
        ["api-resources"] => api_resources(),
        ["create", "secret"] => super::mutate::create_secret(cluster, p, cmd),
        ["create", "configmap" | "cm"] => super::mutate::create_configmap(cluster, p, cmd),
        ["create", other] => Outcome::err(format!(
            "error: the lab's terminal runs `kubectl create secret generic` and `kubectl create configmap`, not \
             `kubectl create {other}`"
        )),
        ["create"] => Outcome::out(
            "Create a resource from a file or from stdin.\n\n(The lab's terminal runs: kubectl create secret generic|configmap NAME --from-literal=KEY=VALUE)",
        ),
        ["version"] => version(cluster, p),
        [verb, ..] => Outcome::err(format!(
            "error: the lab's terminal does not simulate `kubectl {verb}` (it runs: {})",
            super::cli::LAB_COMMANDS.join(", ")
        )),
        [] => Outcome::out(""),
    }
}

/// The targets of `get`/`describe` and their `-l` selector; `Err` is kubectl's message.
pub fn targets_and_selector(p: &Parsed) -> Result<(Targets, Option<Selector>), String> {
    let t = targets(&p.args)?;
    let selector = p.get("selector").map(Selector::parse).transpose()?;
    Ok((t, selector))
}

/// What the arguments name: types with optional names (resource.Builder ResourceTypeOrNameArgs).
pub struct Targets {
    /// (type, names); empty names = every object of the type.
    pub groups: Vec<(Res, Vec<String>)>,
}

/// Resolves `TYPE[,TYPE] [NAME...]` or `TYPE/NAME...`; `Err` is kubectl's message.
pub fn targets(args: &[String]) -> Result<Targets, String> {
    if args.iter().any(|a| a.contains('/')) {
        let mut groups: Vec<(Res, Vec<String>)> = Vec::new();
        for a in args {
            let Some((t, n)) = a.split_once('/') else {
                // resource.Builder: a plain type next to TYPE/NAME arguments.
                return Err("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".into());
            };
            let res = resolve(t)?;
            if n.is_empty() {
                return Err("arguments in resource/name form must have a single resource and name".to_string());
            }
            match groups.iter_mut().find(|(r, _)| *r == res) {
                Some((_, names)) => names.push(n.to_string()),
                None => groups.push((res, vec![n.to_string()])),
            }
        }
        return Ok(Targets { groups });
    }
    let Some(types) = args.first() else {
        return Ok(Targets { groups: Vec::new() });
    };
    let names: Vec<String> = args[1..].to_vec();
    let mut groups = Vec::new();
    for t in types.split(',') {
        if t == "all" {
            for r in ALL {
                groups.push((*r, names.clone()));
            }
            continue;
        }
        groups.push((resolve(t)?, names.clone()));
    }
    Ok(Targets { groups })
}

/// A type name, or the API server's unknown-type error.
pub fn resolve(t: &str) -> Result<Res, String> {
    Res::parse(t).ok_or_else(|| format!("error: the server doesn't have a resource type \"{t}\""))
}

/// `kubectl get`.
fn get(cluster: &Cluster, p: &Parsed, cmd: &str) -> Outcome {
    let ns = namespace(cluster, p);
    if p.args.is_empty() {
        // get.go Validate: the hint, then UsageErrorf.
        return Outcome::err(format!(
            "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\n{}",
            match usage_error(cmd, "Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).") {
                Outcome::Print { stderr, .. } => stderr,
                Outcome::Act(_) => unreachable!(),
            }
        ));
    }
    let (t, selector) = match targets_and_selector(p) {
        Ok(x) => x,
        Err(e) => return error(e),
    };
    if selector.is_some() && t.groups.iter().any(|(_, n)| !n.is_empty()) {
        return error("selectors and the all flag cannot be used when passing resource/name arguments");
    }
    if p.on("all-namespaces") {
        return Outcome::err(
            "error: the lab's cluster has one namespace; `--all-namespaces` is not simulated (use -n)",
        );
    }
    let output = p.get("output").unwrap_or("");
    let wide = output == "wide";
    let watch = p.on("watch") || p.on("watch-only");
    let mut errors = Vec::new();
    // Collect (res, items) in request order.
    let mut found: Vec<(Res, Vec<Item>)> = Vec::new();
    for (res, names) in &t.groups {
        // Nodes are cluster-scoped: `-n` does not change what is listed.
        let all = if ns.here || *res == Res::Node { objects::list(cluster, *res, wide) } else { Vec::new() };
        let items: Vec<Item> = if names.is_empty() {
            all.into_iter().filter(|i| selector.as_ref().is_none_or(|s| s.matches(&i.labels))).collect()
        } else {
            let mut picked = Vec::new();
            let mut all = all;
            for n in names {
                match all.iter().position(|i| &i.name == n) {
                    Some(ix) => picked.push(all.remove(ix)),
                    None if p.on("ignore-not-found") => {}
                    None => errors.push(not_found(*res, n)),
                }
            }
            picked
        };
        found.push((*res, items));
    }
    let stderr_tail = errors.join("\n");
    let total: usize = found.iter().map(|(_, i)| i.len()).sum();
    if !output.is_empty() && !wide {
        let stdout =
            match output::print(cluster, output, &found, total == 1 && t.groups.iter().all(|(_, n)| n.len() == 1)) {
                Ok(s) => s,
                Err(e) => return error(e),
            };
        // The generic printers write exactly their text (jsonpath adds no newline).
        return Outcome::Print { stdout, stderr: super::cli::nl(stderr_tail) };
    }
    let with_kind = found.len() > 1;
    // -L KEY[,KEY]: a column per label, headed by the key's last segment in upper case
    // (printers formatLabelHeaders), before LABELS.
    let label_columns: Vec<String> = p
        .get("label-columns")
        .map(|l| l.split(',').filter(|k| !k.is_empty()).map(String::from).collect())
        .unwrap_or_default();
    let mut tables = Vec::new();
    for (res, items) in &found {
        if items.is_empty() {
            continue;
        }
        let mut rows = Vec::new();
        if !p.on("no-headers") {
            let mut h = objects::header(*res, wide);
            h.extend(label_columns.iter().map(|k| k.rsplit('/').next().unwrap_or(k).to_uppercase()));
            if p.on("show-labels") {
                h.push("LABELS".into());
            }
            rows.push(h);
        }
        for it in items {
            let mut row = it.row.clone();
            if with_kind && *res != Res::Event {
                row[0] = format!("{}{}", res.prefix(), row[0]);
            }
            row.extend(label_columns.iter().map(|k| it.labels.get(k).cloned().unwrap_or_default()));
            if p.on("show-labels") {
                row.push(if it.labels.is_empty() {
                    "<none>".into()
                } else {
                    it.labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
                });
            }
            rows.push(row);
        }
        tables.push(tabwriter::render(&rows));
    }
    let mut stderr = String::new();
    if tables.is_empty() && errors.is_empty() {
        // get.go Run: nothing written and no error.
        stderr = format!("No resources found in {} namespace.\n", ns.name);
    }
    if !stderr_tail.is_empty() {
        stderr.push_str(&stderr_tail);
    }
    let mut stdout = tables.join("\n");
    let streamed = watch && found_pods_only(&t, p);
    if watch && !streamed {
        // Only `get pods -w` streams in the lab's terminal (`cli::pod_watch`); other watches print once.
        stderr.push_str(if stderr.is_empty() || stderr.ends_with('\n') { "" } else { "\n" });
        stderr.push_str("# (the lab's terminal streams `kubectl get pods -w`; this watch prints the list once, where kubectl would go on printing each change until Ctrl-C)");
        if stdout.is_empty() {
            stdout = String::new();
        }
    }
    Outcome::both(stdout, stderr)
}

/// `get pods -w` with the default columns: the watch the terminal streams (`cli::pod_watch`).
fn found_pods_only(t: &Targets, p: &Parsed) -> bool {
    matches!(t.groups.as_slice(), [(Res::Pod, names)] if names.is_empty())
        && p.get("output").is_none()
        && !p.has("selector")
        && p.on("watch")
}

/// `kubectl version` (kubectl pkg/cmd/version/version.go `Run`), with a kubectl of the cluster's
/// release: `Client Version` and `Server Version` are that release's git version, `Kustomize
/// Version` the kustomize module that release's kubectl is built with (its go.mod).
fn version(cluster: &Cluster, p: &Parsed) -> Outcome {
    if !p.args.is_empty() {
        // version.go `Validate`.
        return Outcome::err(format!("error: extra arguments: [{}]\n", p.args.join(" ")));
    }
    if p.has("output") {
        return Outcome::err(
            "error: the lab's terminal prints `kubectl version` in its default form only (the yaml and json forms carry build commits and dates the lab does not have)\n",
        );
    }
    let v = cluster.version();
    let mut out = format!("Client Version: v{v}\nKustomize Version: {}\n", kustomize_version(v));
    if !p.on("client") {
        out.push_str(&format!("Server Version: v{v}\n"));
    }
    Outcome::out(out)
}

/// `sigs.k8s.io/kustomize/kustomize/v5` in kubernetes/kubectl's go.mod at each release tag:
/// v5.6.0 for 1.33, v5.7.1 for 1.34 and 1.35, v5.8.1 for 1.36 and the 1.37 betas.
fn kustomize_version(v: crate::engine::KubeVersion) -> &'static str {
    match v.minor {
        ..=33 => "v5.6.0",
        34 | 35 => "v5.7.1",
        _ => "v5.8.1",
    }
}

/// `kubectl api-resources` for the types the lab's cluster serves (apiresources.go's columns).
fn api_resources() -> Outcome {
    let rows: Vec<Vec<String>> = [
        ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"],
        ["configmaps", "cm", "v1", "true", "ConfigMap"],
        ["events", "ev", "v1", "true", "Event"],
        ["nodes", "no", "v1", "false", "Node"],
        ["persistentvolumeclaims", "pvc", "v1", "true", "PersistentVolumeClaim"],
        ["pods", "po", "v1", "true", "Pod"],
        ["secrets", "", "v1", "true", "Secret"],
        ["services", "svc", "v1", "true", "Service"],
        ["controllerrevisions", "", "apps/v1", "true", "ControllerRevision"],
        ["statefulsets", "sts", "apps/v1", "true", "StatefulSet"],
    ]
    .iter()
    .map(|r| r.iter().map(|s| s.to_string()).collect())
    .collect();
    Outcome::both(
        tabwriter::render(&rows),
        "# (only the resource types the lab's cluster simulates; a real cluster lists many more)",
    )
}
