//! The kubectl commands that change the cluster: each checks its arguments as kubectl's
//! `Complete`/`Validate` do, checks that the object exists (NotFound is printed, nothing acts), and
//! resolves to one [`Action`] the caller applies (the engine prints kubectl's success line).

use serde_json::json;

use crate::engine::{Action, Cluster, ConfigKind, PatchType};

use super::cli::{error, namespace, not_found, usage_error, Outcome};
use super::commands::targets;
use super::flags::Parsed;
use super::resource::Res;

/// The one StatefulSet a command names (`sts web`, `sts/web`, `statefulset.apps/web`), or what to print.
fn the_set(cluster: &Cluster, p: &Parsed, cmd: &str, what: &str) -> Result<String, Outcome> {
    let args = &p.args;
    let t = targets(args).map_err(error)?;
    let mut named: Vec<(Res, String)> = Vec::new();
    for (res, names) in &t.groups {
        for n in names {
            named.push((*res, n.clone()));
        }
    }
    if t.groups.is_empty() || named.is_empty() {
        return Err(usage_error(cmd, what));
    }
    if named.len() > 1 {
        return Err(Outcome::err(format!(
            "# the lab's terminal changes one object per command; run `{cmd}` once per object"
        )));
    }
    let (res, name) = named.pop().expect("one");
    if res != Res::StatefulSet {
        return Err(Outcome::err(format!(
            "# the lab's terminal runs `{cmd}` on the StatefulSet (statefulset/{}), not on {}",
            cluster.set_name(),
            res.qualified()
        )));
    }
    let exists = namespace(cluster, p).here && cluster.statefulset().is_some_and(|s| s.spec.name == name);
    if !exists {
        return Err(Outcome::err(not_found(Res::StatefulSet, &name)));
    }
    Ok(name)
}

/// `kubectl scale statefulset NAME --replicas=N`.
pub fn scale(cluster: &Cluster, p: &Parsed, cmd: &str) -> Outcome {
    // scale.go Validate: --replicas defaults to -1.
    let replicas = match p.get("replicas").map(str::parse::<i32>) {
        None => -1,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            let v = p.get("replicas").unwrap_or_default();
            return Outcome::err(format!(
                "error: invalid argument \"{v}\" for \"--replicas\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax\nSee '{cmd} --help' for usage."
            ));
        }
    };
    if replicas < 0 {
        return error("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
    }
    if let Err(o) =
        the_set(cluster, p, cmd, "one or more resources must be specified as <resource> <name> or <resource>/<name>")
    {
        return o;
    }
    Outcome::Act(Action::Scale(replicas))
}

/// `kubectl patch statefulset NAME [--type=strategic|merge|json] -p PATCH`.
pub fn patch(cluster: &Cluster, p: &Parsed, cmd: &str) -> Outcome {
    let body = match (p.get("patch"), p.get("patch-file")) {
        (Some(_), Some(_)) => return error("cannot specify --patch and --patch-file together"),
        (None, None) => return error("must specify --patch or --patch-file containing the contents of the patch"),
        (None, Some(_)) => return Outcome::err("# the lab's terminal has no files; give the patch with -p '...'"),
        (Some(b), None) => b.to_string(),
    };
    let patch_type = match p.get("type").unwrap_or("strategic") {
        "strategic" => PatchType::Strategic,
        "merge" => PatchType::Merge,
        "json" => PatchType::Json,
        // patch.go Validate: sets.List(sets.KeySet(patchTypes)) is sorted.
        other => return error(format!("--type must be one of [apply json merge strategic], not \"{other}\"")),
    };
    // patch.go Run: yaml.ToJSON(patch) — YAML is accepted, JSON is what is sent.
    let json = match yaml_serde::from_str::<serde_json::Value>(&body) {
        Ok(v) => v.to_string(),
        Err(e) => return error(format!("unable to parse \"{}\": {e}", body.replace('"', "\\\""))),
    };
    if let Err(o) = the_set(cluster, p, cmd, "required resource not specified") {
        return o;
    }
    Outcome::Act(Action::Patch { patch_type, patch: json })
}

/// `kubectl set image statefulset/NAME CONTAINER=IMAGE`.
pub fn set_image(cluster: &Cluster, p: &Parsed, cmd: &str) -> Outcome {
    // set_image.go: resource args first, then NAME=IMAGE pairs.
    let (pairs, resources): (Vec<String>, Vec<String>) = p.args.iter().cloned().partition(|a| a.contains('='));
    let mut errs = Vec::new();
    if resources.is_empty() {
        errs.push("one or more resources must be specified as <resource> <name> or <resource>/<name>");
    }
    if pairs.is_empty() {
        errs.push("at least one image update is required");
    }
    if !errs.is_empty() {
        // utilerrors.NewAggregate: one error alone, several as a list.
        return if errs.len() == 1 { error(errs[0]) } else { error(format!("[{}]", errs.join(", "))) };
    }
    let sub = Parsed { args: resources, ..p.clone() };
    if let Err(o) =
        the_set(cluster, &sub, cmd, "one or more resources must be specified as <resource> <name> or <resource>/<name>")
    {
        return o;
    }
    let containers = cluster.statefulset().map(|s| s.spec.containers.clone()).unwrap_or_default();
    let mut changes: Vec<(String, String)> = Vec::new();
    for pair in &pairs {
        let (name, image) = pair.split_once('=').expect("partitioned on =");
        if name == "*" {
            changes.extend(containers.iter().map(|(n, _)| (n.clone(), image.to_string())));
        } else if containers.iter().any(|(n, _)| n == name) {
            changes.push((name.to_string(), image.to_string()));
        } else {
            return error(format!("unable to find container named \"{name}\""));
        }
    }
    match changes.as_slice() {
        [(name, image)] if containers.first().is_some_and(|(n, _)| n == name) => {
            Outcome::Act(Action::Image(image.clone()))
        }
        _ => {
            // Several containers, or not the first one: the strategic merge patch kubectl sends.
            let list: Vec<_> = changes.iter().map(|(n, i)| json!({"image": i, "name": n})).collect();
            Outcome::Act(Action::Patch {
                patch_type: PatchType::Strategic,
                patch: json!({"spec": {"template": {"spec": {"containers": list}}}}).to_string(),
            })
        }
    }
}

/// `kubectl delete pod NAME` / `kubectl delete statefulset NAME [--cascade=...]`.
pub fn delete(cluster: &Cluster, p: &Parsed, cmd: &str) -> Outcome {
    // delete_flags.go GetCascadingStrategy (--cascade alone means background).
    let mut warning = String::new();
    let cascade = match p.get("cascade") {
        None | Some("background") | Some("true") | Some("") => "background",
        Some("foreground") => "foreground",
        Some("orphan") | Some("false") => "orphan",
        Some(other) => {
            return error(format!(
                "invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""
            ))
        }
    };
    if let Some(b @ ("true" | "false")) = p.get("cascade") {
        warning = format!(
            "warning: --cascade={b} is deprecated (boolean value) and can be replaced with --cascade={}.\n",
            if b == "true" { "background" } else { "orphan" }
        );
    }
    let t = match targets(&p.args) {
        Ok(t) => t,
        Err(e) => return error(e),
    };
    let named: Vec<(Res, String)> =
        t.groups.iter().flat_map(|(r, ns)| ns.iter().map(move |n| (*r, n.clone()))).collect();
    if t.groups.is_empty() {
        // delete.go: no resource given.
        return Outcome::err(
            "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
        );
    }
    if named.is_empty() {
        return error("resource(s) were provided, but no name was specified");
    }
    if named.len() > 1 {
        return Outcome::err(format!(
            "# the lab's terminal deletes one object per command; run `{cmd}` once per object"
        ));
    }
    let (res, name) = &named[0];
    let here = namespace(cluster, p).here;
    let with_warning = |o: Outcome| -> Outcome {
        if warning.is_empty() {
            return o;
        }
        // The warning goes to stderr before the command acts; a Print keeps it, an Act cannot carry it.
        match o {
            Outcome::Print { stdout, stderr } => Outcome::Print { stdout, stderr: format!("{warning}{stderr}") },
            act => act,
        }
    };
    // delete.go Complete and Validate: --grace-period=0 needs --force (else it becomes 1), --force
    // alone means 0, and --force with a positive grace period is refused.
    let force = p.on("force");
    let grace: i64 = match p.get("grace-period").map(str::parse::<i64>) {
        None => -1,
        Some(Ok(g)) => g,
        Some(Err(_)) => {
            let v = p.get("grace-period").unwrap_or_default();
            return Outcome::err(format!(
                "error: invalid argument \"{v}\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax\nSee '{cmd} --help' for usage."
            ));
        }
    };
    if p.on("now") && grace != -1 {
        return error("--now and --grace-period cannot be specified together");
    }
    if force && grace > 0 {
        return error("--force and --grace-period greater than 0 cannot be specified together");
    }
    let immediate = force && grace <= 0;
    match res {
        Res::Pod if immediate => match cluster.pods().find(|x| &x.name == name).filter(|_| here) {
            // The warning goes to stderr before the request (Action::warning).
            Some(pod) => with_warning(Outcome::Act(Action::ForceDeletePod(pod.ordinal))),
            None => Outcome::err(format!("{}\n{}", crate::engine::FORCE_DELETE_WARNING, not_found(Res::Pod, name))),
        },
        Res::Pod => match cluster.pods().find(|x| &x.name == name).filter(|_| here) {
            Some(pod) => with_warning(Outcome::Act(Action::DeletePod(pod.ordinal))),
            None => with_warning(Outcome::err(not_found(Res::Pod, name))),
        },
        Res::StatefulSet => {
            if !(here && cluster.statefulset().is_some_and(|s| &s.spec.name == name)) {
                return with_warning(Outcome::err(not_found(Res::StatefulSet, name)));
            }
            with_warning(Outcome::Act(match cascade {
                "orphan" => Action::OrphanStatefulSet,
                "foreground" => Action::DeleteStatefulSetForeground,
                _ => Action::DeleteStatefulSet,
            }))
        }
        Res::Secret | Res::ConfigMap => {
            let kind = if *res == Res::Secret { ConfigKind::Secret } else { ConfigKind::ConfigMap };
            if here && cluster.configuration().get(kind, name).is_some() {
                return with_warning(Outcome::Act(Action::DeleteConfig { kind, name: name.clone() }));
            }
            let listed = here && super::objects::list(cluster, *res, false).iter().any(|i| &i.name == name);
            if listed {
                // kube-root-ca.crt (its publisher makes it again) and helm's release records.
                return Outcome::err(format!(
                    "# the lab's terminal does not delete {}/{name}: it belongs to the cluster or to helm (use helm uninstall)",
                    kind.manager_resource()
                ));
            }
            with_warning(Outcome::err(not_found(*res, name)))
        }
        other => {
            let exists = here && super::objects::list(cluster, *other, false).iter().any(|i| &i.name == name);
            if !exists {
                return Outcome::err(not_found(*other, name));
            }
            Outcome::err(format!(
                "# the lab's terminal deletes pods and the StatefulSet; deleting {} is not simulated",
                other.qualified()
            ))
        }
    }
}

/// `kubectl apply -f FILE`: the file the app names (the editor's text), read as the lab reads a paste.
pub fn apply(cluster: &Cluster, p: &Parsed, cmd: &str, files: &dyn Fn(&str) -> Option<String>) -> Outcome {
    let Some(name) = p.get("filename") else {
        // apply.go Validate (cmdutil.IsFilenameSliceEmpty)
        return usage_error(cmd, "must specify one of -f and -k");
    };
    let Some(text) = files(name) else {
        // resource.Builder on a missing path.
        return error(format!("the path \"{name}\" does not exist"));
    };
    let release = crate::input::parse(&text);
    let set = release
        .statefulsets
        .iter()
        .find(|s| s.object.metadata.name.as_deref() == Some(cluster.set_name()))
        .or_else(|| release.statefulsets.first());
    let Some(info) = set else {
        return Outcome::err(format!("# {name} has no StatefulSet the lab can apply"));
    };
    if info.object.metadata.name.as_deref() != Some(cluster.set_name()) {
        return Outcome::err(format!(
            "# the lab simulates one StatefulSet ({}); {name} describes {}",
            cluster.set_name(),
            info.object.metadata.name.as_deref().unwrap_or("a StatefulSet without a name")
        ));
    }
    Outcome::Act(Action::Apply { statefulset: Box::new(info.object.clone()), services: release.services.clone() })
}

/// `kubectl label|annotate statefulset NAME k=v [k2-] [--overwrite]`: a merge patch of the metadata.
pub fn label(cluster: &Cluster, p: &Parsed, cmd: &str, field: &str) -> Outcome {
    let (changes, resources): (Vec<String>, Vec<String>) =
        p.args.iter().cloned().partition(|a| a.contains('=') || (a.ends_with('-') && !a.contains('/')));
    if resources.is_empty() {
        return usage_error(cmd, "one or more resources must be specified as <resource> <name> or <resource>/<name>");
    }
    if changes.is_empty() {
        let what = if field == "labels" { "label" } else { "annotation" };
        return usage_error(cmd, &format!("at least one {what} update is required"));
    }
    let sub = Parsed { args: resources, ..p.clone() };
    if let Err(o) =
        the_set(cluster, &sub, cmd, "one or more resources must be specified as <resource> <name> or <resource>/<name>")
    {
        return o;
    }
    let current = cluster
        .statefulset_object()
        .and_then(|o| if field == "labels" { o.metadata.labels } else { o.metadata.annotations })
        .unwrap_or_default();
    let mut body = serde_json::Map::new();
    for c in &changes {
        if let Some((k, v)) = c.split_once('=') {
            if let Some(cur) = current.get(k) {
                if cur != v && !p.on("overwrite") {
                    // label.go labelFunc
                    return error(format!("'{k}' already has a value ({cur}), and --overwrite is false"));
                }
            }
            body.insert(k.to_string(), json!(v));
        } else {
            let k = c.trim_end_matches('-');
            body.insert(k.to_string(), serde_json::Value::Null);
        }
    }
    Outcome::Act(Action::Patch { patch_type: PatchType::Merge, patch: json!({"metadata": {field: body}}).to_string() })
}

/// The one node a node command names (`NODE`, `node/NODE`, `nodes NODE`), or what to print.
fn the_node(cluster: &Cluster, args: &[String], cmd: &str, usage: &str) -> Result<String, Outcome> {
    let names: Vec<String> = match args {
        [] => return Err(usage_error(cmd, usage)),
        [one] => vec![one.strip_prefix("node/").or_else(|| one.strip_prefix("nodes/")).unwrap_or(one).to_string()],
        [t, rest @ ..] if Res::parse(t) == Some(Res::Node) => rest.to_vec(),
        many => many.to_vec(),
    };
    if names.len() != 1 {
        return Err(Outcome::err(format!(
            "# the lab's terminal changes one node per command; run `{cmd}` once per node"
        )));
    }
    let name = names.into_iter().next().expect("one");
    if cluster.node(&name).is_none() {
        return Err(Outcome::err(not_found(Res::Node, &name)));
    }
    Ok(name)
}

/// `kubectl cordon NODE` / `kubectl uncordon NODE` (drain.go `RunCordonOrUncordon`).
pub fn cordon(cluster: &Cluster, p: &Parsed, cmd: &str, on: bool) -> Outcome {
    let verb = if on { "cordon" } else { "uncordon" };
    match the_node(cluster, &p.args, cmd, &format!("USAGE: {verb} NODE [flags]")) {
        Ok(node) => Outcome::Act(Action::Cordon { node, on }),
        Err(o) => o,
    }
}

/// `kubectl drain NODE`: cordon, then evict each pod (drain.go `RunDrain`).
pub fn drain(cluster: &Cluster, p: &Parsed, cmd: &str) -> Outcome {
    match the_node(cluster, &p.args, cmd, "USAGE: drain NODE [flags]") {
        Ok(node) => Outcome::Act(Action::Drain(node)),
        Err(o) => o,
    }
}

/// `kubectl taint nodes NODE KEY[=VALUE]:EFFECT` / `KEY[:EFFECT]-` (taint.go `Complete`, utils.go `parseTaint`).
pub fn taint(cluster: &Cluster, p: &Parsed, cmd: &str) -> Outcome {
    let mut resources = Vec::new();
    let mut specs = Vec::new();
    for s in &p.args {
        let is_taint = s.contains('=') || s.contains(':') || s.ends_with('-');
        match (is_taint, specs.is_empty()) {
            (true, _) => specs.push(s.clone()),
            (false, true) => resources.push(s.clone()),
            (false, false) => return error(format!("all resources must be specified before taint changes: {s}")),
        }
    }
    if resources.is_empty() {
        return error("one or more resources must be specified as <resource> <name>");
    }
    if specs.is_empty() {
        return error("at least one taint update is required");
    }
    if specs.len() > 1 {
        return Outcome::err(format!("# the lab's terminal changes one taint per command; run `{cmd}` once per taint"));
    }
    let spec = &specs[0];
    let (key, value, effect, remove) = match parse_taint_spec(spec) {
        Ok(t) => t,
        Err(e) => return usage_error(cmd, &e),
    };
    let node = match resources.as_slice() {
        [t, n] if Res::parse(t) == Some(Res::Node) => n.clone(),
        [tn] if tn.split_once('/').is_some_and(|(t, _)| Res::parse(t) == Some(Res::Node)) => {
            tn.split_once('/').map(|(_, n)| n.to_string()).unwrap_or_default()
        }
        [t, ..] if Res::parse(t).is_some_and(|r| r != Res::Node) => {
            return error(format!("invalid resource type {t}, only node types are supported"))
        }
        _ => {
            return Outcome::err(format!("# the lab's terminal taints one node per command: `{cmd} nodes NODE {spec}`"))
        }
    };
    if cluster.node(&node).is_none() {
        return Outcome::err(not_found(Res::Node, &node));
    }
    Outcome::Act(Action::Taint { node, key, value, effect, remove })
}

/// utils.go `parseTaints` for one spec: `KEY[=VALUE]:EFFECT` to add, `KEY[:EFFECT]-` to remove
/// (a removal keeps only key and effect). `Err` is the message kubectl's usage error carries.
pub fn parse_taint_spec(spec: &str) -> Result<(String, String, String, bool), String> {
    let remove = spec.ends_with('-');
    let body = spec.strip_suffix('-').unwrap_or(spec);
    let invalid = || format!("invalid taint spec: {spec}");
    let (kv, effect) = match body.split(':').collect::<Vec<_>>().as_slice() {
        [k] => (k.to_string(), String::new()),
        [kv, e] => {
            if !matches!(*e, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
                return Err(format!("invalid taint effect: {e}, unsupported taint effect"));
            }
            (kv.to_string(), e.to_string())
        }
        _ => return Err(invalid()),
    };
    let (key, value) = match kv.split('=').collect::<Vec<_>>().as_slice() {
        [k] => (k.to_string(), String::new()),
        [k, v] => (k.to_string(), v.to_string()),
        _ => return Err(invalid()),
    };
    if key.is_empty() || (effect.is_empty() && !remove) {
        return Err(invalid());
    }
    Ok((key, if remove { String::new() } else { value }, effect, remove))
}

/// `kubectl create secret generic NAME --from-literal=KEY=VALUE...` (create_secret.go: `Complete`,
/// `Validate`, then the literals as `handleSecretFromLiteralSources` reads them).
pub fn create_secret(cluster: &Cluster, p: &Parsed, cmd: &str) -> Outcome {
    match p.args.first().map(String::as_str) {
        Some("generic") => {}
        Some(t @ ("docker-registry" | "tls")) => {
            return Outcome::err(format!(
                "# the lab's terminal runs `kubectl create secret generic`; a {t} secret needs files it does not have"
            ))
        }
        Some(other) => {
            return Outcome::err(format!(
                "error: unknown command \"{other}\" for \"kubectl create secret\"\nSee 'kubectl create secret -h' for help and examples"
            ))
        }
        None => {
            return Outcome::out(
                "Create a secret with specified type.\n\n(The lab's terminal runs: kubectl create secret generic NAME --from-literal=KEY=VALUE)",
            )
        }
    }
    let sub = Parsed { args: p.args[1..].to_vec(), ..p.clone() };
    create_config(cluster, &sub, &format!("{cmd} generic"), ConfigKind::Secret)
}

/// `kubectl create configmap NAME --from-literal=KEY=VALUE...` (create_configmap.go).
pub fn create_configmap(cluster: &Cluster, p: &Parsed, cmd: &str) -> Outcome {
    create_config(cluster, p, cmd, ConfigKind::ConfigMap)
}

fn create_config(cluster: &Cluster, p: &Parsed, cmd: &str, kind: ConfigKind) -> Outcome {
    // create.go NameFromCommandArgs.
    let name = match p.args.as_slice() {
        [name] => name.clone(),
        args => return usage_error(cmd, &format!("exactly one NAME is required, got {}", args.len())),
    };
    if p.has("from-file") || p.has("from-env-file") {
        return Outcome::err("# the lab's terminal has no files; give each key with --from-literal=KEY=VALUE");
    }
    if p.has("output") || p.on("append-hash") || p.get("type").is_some_and(|t| t != "Opaque") {
        return Outcome::err(format!(
            "# the lab's terminal runs `{cmd} NAME --from-literal=KEY=VALUE` (an Opaque object, kubectl's usual line)"
        ));
    }
    let mut data: Vec<(String, String)> = Vec::new();
    for source in p.flags.get("from-literal").into_iter().flatten() {
        // util.go ParseLiteralSource.
        let Some((key, value)) = source.split_once('=').filter(|(k, _)| !k.is_empty()) else {
            return error(format!("invalid literal source {source}, expected key=value"));
        };
        let errs = crate::engine::configuration::config_key_errors(key);
        let taken = data.iter().any(|(k, _)| k == key);
        let refusal = match kind {
            // create_secret.go addKeyFromLiteralToSecret.
            ConfigKind::Secret if !errs.is_empty() => {
                Some(format!("{key:?} is not valid key name for a Secret {}", errs.join(";")))
            }
            ConfigKind::Secret if taken => {
                Some(format!("cannot add key {key}, another key by that name already exists"))
            }
            // create_configmap.go validateNewConfigMap.
            ConfigKind::ConfigMap if !errs.is_empty() => {
                Some(format!("{key:?} is not a valid key name for a ConfigMap: {}", errs.join(",")))
            }
            ConfigKind::ConfigMap if taken => Some(format!(
                "cannot add key {key:?}, another key by that name already exists in Data for ConfigMap {name:?}"
            )),
            _ => None,
        };
        if let Some(r) = refusal {
            return error(r);
        }
        data.push((key.to_string(), value.to_string()));
    }
    let ns = namespace(cluster, p);
    if !ns.here {
        let what = if kind == ConfigKind::Secret { "secret " } else { "configmap: " };
        return error(format!("failed to create {what}namespaces \"{}\" not found", ns.name));
    }
    Outcome::Act(Action::CreateConfig { kind, name, data })
}
