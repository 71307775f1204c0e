//! `helm install`, `upgrade`, `rollback` and `uninstall` on the lab's cluster, as helm v3's
//! `pkg/action` does them: values merged as `values.Options.MergeValues` (`-f` files, then `--set`),
//! upgrade's value reuse (`Upgrade.reuseValues`), the chart rendered, the objects sent as helm's
//! kube client sends them (a create, or the three-way strategic merge patch between the previous
//! revision's manifest, the new one and the live object: `kube.Client.Update`/`createPatch`), and
//! the revisions recorded with their statuses and descriptions.

use std::sync::Arc;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::Service;

use super::command::{self, Invocation, Refusal, Verb};
use super::print::{self, StatusOptions};
use super::release::{Content, Release, Status};
use crate::chart::values::Map;
use crate::chart::{self, Chart, RenderOptions};
use crate::engine::{ActionError, Cluster};

/// A helm command that writes a release, as typed (the words after `helm`), with the text of each
/// `-f` file it names as read when it was typed: everything a replay needs.
#[derive(Debug, Clone, PartialEq)]
pub struct HelmCommand {
    pub line: String,
    pub files: Vec<(String, String)>,
}

impl HelmCommand {
    pub fn parse(&self) -> Result<Invocation, String> {
        let words = crate::kubectl::shell::split(&self.line).map_err(|e| e.to_string())?;
        let words: Vec<String> = words.into_iter().map(|w| w.text).collect();
        command::parse(&words).map_err(|r| match r {
            Refusal::Helm(text) => text,
            Refusal::NotSimulated(v) => format!("the lab's terminal does not simulate `helm {v}`"),
            Refusal::Help => "helm: no command".into(),
        })
    }
}

/// What a writing command does to the objects of the release.
#[derive(Debug, Clone, Default)]
pub struct Objects {
    /// The StatefulSet of the previous revision's manifest (helm's "original") and of the new one.
    pub original: Option<StatefulSet>,
    pub target: Option<StatefulSet>,
    pub services: Vec<Service>,
    /// Services of the previous revision the new one no longer has: deleted.
    pub stale_services: Vec<String>,
    /// The release is uninstalled: its StatefulSet and Services are deleted.
    pub delete: bool,
}

/// A command worked out on the cluster as it is, before anything is written.
#[derive(Debug, Clone)]
pub struct Plan {
    pub stdout: String,
    /// Every release revision once the command has succeeded.
    pub releases: Vec<Release>,
    /// When sending the objects fails: the revisions helm records instead (the new one `failed`)
    /// and the words it puts before the error (`UPGRADE FAILED`).
    pub failed: Option<(Vec<Release>, &'static str)>,
    pub objects: Objects,
}

/// The terminal's working directory holds the built-in charts as `./helm-python` and
/// `./done-right` (and the editor's text as `paste.yaml`). helm's `ChartPathOptions.LocateChart`
/// then `loader.Load`, with their errors.
pub fn locate_chart(name: &str) -> Result<Chart, String> {
    let mut n = name.trim();
    while let Some(rest) = n.strip_prefix("./") {
        n = rest;
    }
    let n = n.trim_end_matches('/');
    if let Some(chart) = Chart::builtin(n) {
        return Ok(chart);
    }
    if n.is_empty() || n == "." {
        // The directory exists but holds no chart.
        return Err("Chart.yaml file is missing".into());
    }
    if name.starts_with('.') || name.starts_with('/') {
        return Err(format!("path {name:?} not found"));
    }
    if name.starts_with("oci://") || name.contains("://") {
        return Err(format!(
            "the lab's terminal has no network: it cannot fetch {name} (its charts: ./helm-python, ./done-right)"
        ));
    }
    match name.split_once('/') {
        // downloader.ChartDownloader.ResolveChartVersion with no repositories added.
        Some((repo, _)) => Err(format!("repo {repo} not found")),
        None => Err(format!("non-absolute URLs should be in form of repo_name/path_to_chart, got: {name}")),
    }
}

/// values.Options.MergeValues: the `-f` files merged left to right, then each `--set`.
pub fn merge_values(inv: &Invocation, files: &[(String, String)]) -> Result<Map, String> {
    let mut base = Map::new();
    for name in inv.slice("values") {
        let text = files
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| t.clone())
            .or_else(|| chart_file(&name))
            .ok_or_else(|| format!("open {name}: no such file or directory"))?;
        let map = chart::values::parse_values(&text).map_err(|e| format!("failed to parse {name}: {e}"))?;
        chart::values::merge_user_values(&mut base, &map);
    }
    for s in inv.array("set") {
        chart::strvals::parse_into(&s, &mut base).map_err(|e| format!("failed parsing --set data: {e}"))?;
    }
    for flag in ["set-string", "set-file", "set-json", "set-literal"] {
        if inv.flags.has(flag) {
            return Err(format!("the lab's terminal does not simulate --{flag} (use --set or -f)"));
        }
    }
    Ok(base)
}

/// A file of a built-in chart by its path from the working directory (`helm-python/values.yaml`).
fn chart_file(path: &str) -> Option<String> {
    let path = path.strip_prefix("./").unwrap_or(path);
    let (chart, file) = path.split_once('/')?;
    Chart::builtin_files(chart)?.iter().find(|(p, _)| *p == file).map(|(_, t)| t.to_string())
}

fn to_yaml(map: &Map) -> String {
    chart::functions::yaml::to_yaml(&gotmpl::Value::Map(Arc::new(map.clone())))
}

/// chartutil.CoalesceTables(dst, src): `dst` wins, maps merge, missing keys come from `src`.
fn coalesce_tables(dst: &Map, src: &Map) -> Map {
    let mut out = dst.clone();
    for (k, sv) in src {
        match (out.get(k), sv) {
            (None, _) => {
                out.insert(k.clone(), sv.clone());
            }
            (Some(gotmpl::Value::Map(d)), gotmpl::Value::Map(s)) => {
                let merged = coalesce_tables(d, s);
                out.insert(k.clone(), gotmpl::Value::Map(Arc::new(merged)));
            }
            _ => {}
        }
    }
    out
}

/// Renders `chart` for a release and reads the objects the lab simulates out of it.
fn render(
    cluster: &Cluster,
    chart: &Chart,
    name: &str,
    namespace: &str,
    user: &Map,
    revision: i64,
    is_upgrade: bool,
) -> Result<Content, String> {
    let options = RenderOptions {
        release_name: name.to_string(),
        namespace: namespace.to_string(),
        user_values: vec![to_yaml(user)],
        revision,
        is_upgrade,
        ..RenderOptions::default()
    };
    let rendered = chart::render(chart, &options).map_err(|e| e.message)?;
    let read = crate::input::parse(&rendered.helm_debug_output());
    if let Some(e) = read.errors().next() {
        return Err(e.message.clone());
    }
    // The StatefulSet the cluster simulates, else the chart's first.
    let set = read
        .statefulsets
        .iter()
        .find(|s| s.object.metadata.name.as_deref() == Some(cluster.set_name()))
        .or(read.statefulsets.first())
        .map(|s| s.object.clone());
    let app_version = chart.app_version();
    Ok(Content {
        chart: chart.name.clone(),
        chart_version: chart.version.clone(),
        app_version,
        config: rendered.user_values.clone(),
        computed: rendered.computed_values.clone(),
        manifest: rendered.manifest(),
        hooks: rendered.hooks_text(),
        has_test_hooks: rendered.hooks.iter().any(|h| h.events.iter().any(|e| e == "test" || e == "test-success")),
        notes: rendered.notes.clone(),
        statefulset: set,
        services: read.services.clone(),
    })
}

/// Works out a writing command (`install`, `upgrade`, `rollback`, `uninstall`) on `cluster`.
/// `Err` is what helm prints on stderr.
pub fn plan(cluster: &Cluster, inv: &Invocation, files: &[(String, String)]) -> Result<Plan, String> {
    let namespace = inv.namespace().unwrap_or(cluster.namespace()).to_string();
    let revisions = |name: &str| -> Vec<&Release> {
        cluster.releases().iter().filter(|r| r.name == name && r.namespace == namespace).collect()
    };
    let now = cluster.now();
    match inv.verb {
        Verb::Install => {
            let (name, chart_ref) = install_args(inv)?;
            let wrap = |e: String| format!("Error: INSTALLATION FAILED: {e}");
            validate_release_name(&name).map_err(|e| wrap(format!("release name {name:?}: {e}")))?;
            let dry = inv.dry_run();
            if !dry && !revisions(&name).is_empty() && !inv.flags.on("replace") {
                return Err(wrap("cannot re-use a name that is still in use".into()));
            }
            let chart = locate_chart(&chart_ref).map_err(wrap)?;
            let user = merge_values(inv, files).map_err(wrap)?;
            let content = render(cluster, &chart, &name, &namespace, &user, 1, false).map_err(wrap)?;
            if !dry {
                check_ownership(cluster, &content, &name, &namespace)
                    .map_err(|e| wrap(format!("Unable to continue with install: {e}")))?;
            }
            install(cluster, inv, name, namespace, content, String::new(), dry)
        }
        Verb::Upgrade => {
            let name = inv.args[0].clone();
            validate_release_name(&name)
                .map_err(|_| format!("Error: UPGRADE FAILED: release name is invalid: {name}"))?;
            let history = revisions(&name);
            let last = history.iter().max_by_key(|r| r.version).copied();
            if inv.flags.on("install") && last.is_none_or(|l| l.status == Status::Uninstalled) {
                let chart = locate_chart(&inv.args[1]).map_err(|e| format!("Error: {e}"))?;
                let user = merge_values(inv, files).map_err(|e| format!("Error: {e}"))?;
                let content = render(cluster, &chart, &name, &namespace, &user, 1, false)
                    .map_err(|e| format!("Error: INSTALLATION FAILED: {e}"))?;
                let said = format!("Release {name:?} does not exist. Installing it now.\n");
                return install(cluster, inv, name, namespace, content, said, inv.dry_run());
            }
            let chart = locate_chart(&inv.args[1]).map_err(|e| format!("Error: {e}"))?;
            let new_values = merge_values(inv, files).map_err(|e| format!("Error: {e}"))?;
            let wrap = |e: String| format!("Error: UPGRADE FAILED: {e}");
            // pkg/action/upgrade.go prepareUpgrade: the last revision, then the deployed one.
            let Some(last) = last else {
                return Err(wrap(format!("{name:?} has no deployed releases")));
            };
            let current = if last.status == Status::Deployed {
                last
            } else {
                match history.iter().find(|r| r.status == Status::Deployed) {
                    Some(d) => d,
                    None if matches!(last.status, Status::Failed | Status::Superseded) => last,
                    None => return Err(wrap(format!("{name:?} has no deployed releases"))),
                }
            };
            let old_config = chart::values::parse_values(&current.content.config).unwrap_or_default();
            let user = if inv.flags.on("reset-values") {
                new_values
            } else if inv.flags.on("reuse-values") || inv.flags.on("reset-then-reuse-values") {
                coalesce_tables(&new_values, &old_config)
            } else if new_values.is_empty() && !old_config.is_empty() {
                // Upgrade.reuseValues: no values given, the previous ones are kept.
                old_config
            } else {
                new_values
            };
            let version = last.version + 1;
            let content = render(cluster, &chart, &name, &namespace, &user, version, true).map_err(wrap)?;
            let mut new = Release {
                name: name.clone(),
                namespace: namespace.clone(),
                version,
                status: Status::Deployed,
                description: "Upgrade complete".into(),
                deployed_at: now,
                content: Arc::new(content),
            };
            let options = status_options(inv);
            if inv.dry_run() {
                new.status = Status::PendingUpgrade;
                new.description = "Dry run complete".into();
                let stdout =
                    format!("Release {name:?} has been upgraded. Happy Helming!\n{}", print::status(&new, options));
                return Ok(unchanged(cluster, stdout));
            }
            let objects = update_objects(&current.content, &new.content);
            let stdout =
                format!("Release {name:?} has been upgraded. Happy Helming!\n{}", print::status(&new, options));
            let failed = with_failed(cluster, &new, format!("Upgrade {name:?} failed"));
            Ok(Plan { stdout, releases: superseding(cluster, new), failed: Some((failed, "UPGRADE FAILED")), objects })
        }
        Verb::Rollback => {
            let name = inv.args[0].clone();
            let history = revisions(&name);
            let Some(current) = history.iter().max_by_key(|r| r.version).copied() else {
                return Err("Error: release: not found".into());
            };
            let asked: i64 = match inv.args.get(1) {
                None => 0,
                Some(r) => r.parse().map_err(|_| {
                    format!(
                        "Error: could not convert revision to a number: strconv.Atoi: parsing {r:?}: invalid syntax"
                    )
                })?,
            };
            if asked < 0 {
                return Err("Error: invalid release revision".into());
            }
            let target_version = if asked == 0 { current.version - 1 } else { asked };
            let Some(previous) = history.iter().find(|r| r.version == target_version) else {
                return Err(format!("Error: release has no {target_version} version"));
            };
            let new = Release {
                name: name.clone(),
                namespace: namespace.clone(),
                version: current.version + 1,
                status: Status::Deployed,
                description: format!("Rollback to {target_version}"),
                deployed_at: now,
                content: previous.content.clone(),
            };
            let stdout = "Rollback was a success! Happy Helming!\n".to_string();
            if inv.dry_run() {
                return Ok(unchanged(cluster, stdout));
            }
            let objects = update_objects(&current.content, &new.content);
            let failed = with_failed(cluster, &new, format!("Rollback {name:?} failed"));
            Ok(Plan { stdout, releases: superseding(cluster, new), failed: Some((failed, "")), objects })
        }
        Verb::Uninstall => {
            let mut releases: Vec<Release> = cluster.releases().to_vec();
            let mut stdout = String::new();
            let mut objects = Objects::default();
            for name in &inv.args {
                let history = revisions(name);
                let Some(last) = history.iter().max_by_key(|r| r.version) else {
                    if inv.flags.on("ignore-not-found") {
                        continue;
                    }
                    return Err(format!("Error: uninstall: Release not loaded: {name}: release: not found"));
                };
                if last.status == Status::Uninstalled {
                    return Err(format!("Error: the release named {name:?} is already deleted"));
                }
                objects.delete = true;
                objects.services.extend(last.content.services.iter().cloned());
                objects.original = last.content.statefulset.clone();
                let keep = inv.flags.on("keep-history");
                let version = last.version;
                releases.retain(|r| !(r.name == *name && r.namespace == namespace) || keep);
                if keep {
                    for r in releases.iter_mut().filter(|r| r.name == *name && r.namespace == namespace) {
                        if r.version == version {
                            r.status = Status::Uninstalled;
                            r.description = "Uninstallation complete".into();
                        }
                    }
                }
                stdout.push_str(&format!("release {name:?} uninstalled\n"));
            }
            if inv.dry_run() {
                return Ok(unchanged(cluster, stdout));
            }
            Ok(Plan { stdout, releases, failed: None, objects })
        }
        _ => Err(format!("Error: `helm {}` does not write a release", inv.verb.use_line())),
    }
}

fn status_options(inv: &Invocation) -> StatusOptions {
    StatusOptions { debug: inv.flags.on("debug"), show_description: false, hide_notes: inv.flags.on("hide-notes") }
}

fn unchanged(cluster: &Cluster, stdout: String) -> Plan {
    Plan { stdout, releases: cluster.releases().to_vec(), failed: None, objects: Objects::default() }
}

/// `helm install [NAME] CHART` or `helm install CHART --generate-name`.
fn install_args(inv: &Invocation) -> Result<(String, String), String> {
    let wrap = |e: &str| format!("Error: INSTALLATION FAILED: {e}");
    match inv.args.as_slice() {
        [chart] if inv.flags.on("generate-name") => {
            // install.go NameAndChart: `<chart base>-<unix seconds>`.
            let base = chart.trim_end_matches('/').rsplit('/').next().unwrap_or(chart).to_string();
            Ok((format!("{base}-{}", 1_748_944_800), chart.clone()))
        }
        [_] => Err(wrap("must either provide a name or specify --generate-name")),
        [_, _] if inv.flags.on("generate-name") => Err(wrap("cannot set --generate-name and also specify a name")),
        [name, chart] => Ok((name.clone(), chart.clone())),
        [_, _, more @ ..] => {
            Err(wrap(&format!("expected at most two arguments, unexpected arguments: {}", more.join(", "))))
        }
        [] => Err(wrap("must either provide a name or specify --generate-name")),
    }
}

fn install(
    cluster: &Cluster,
    inv: &Invocation,
    name: String,
    namespace: String,
    content: Content,
    said: String,
    dry: bool,
) -> Result<Plan, String> {
    let mut new = Release {
        name: name.clone(),
        namespace,
        version: 1,
        status: Status::Deployed,
        description: "Install complete".into(),
        deployed_at: cluster.now(),
        content: Arc::new(content),
    };
    if dry {
        new.status = Status::PendingInstall;
        new.description = "Dry run complete".into();
        return Ok(unchanged(cluster, format!("{said}{}", print::status(&new, status_options(inv)))));
    }
    let objects = Objects {
        original: None,
        target: new.content.statefulset.clone(),
        services: new.content.services.clone(),
        stale_services: Vec::new(),
        delete: false,
    };
    let stdout = format!("{said}{}", print::status(&new, status_options(inv)));
    let mut releases: Vec<Release> =
        cluster.releases().iter().filter(|r| !(r.name == name && r.namespace == new.namespace)).cloned().collect();
    let failed = {
        let mut f = new.clone();
        f.status = Status::Failed;
        f.description = format!("Release {name:?} failed");
        let mut all = releases.clone();
        all.push(f);
        all
    };
    releases.push(new);
    Ok(Plan { stdout, releases, failed: Some((failed, "INSTALLATION FAILED")), objects })
}

/// The revisions once `new` is deployed: the release's deployed ones become superseded.
fn superseding(cluster: &Cluster, new: Release) -> Vec<Release> {
    let mut all: Vec<Release> = cluster.releases().to_vec();
    for r in all.iter_mut().filter(|r| r.name == new.name && r.namespace == new.namespace) {
        if r.status == Status::Deployed {
            r.status = Status::Superseded;
        }
    }
    all.push(new);
    all
}

/// The revisions when sending `new`'s objects failed: it is recorded `failed`, the deployed one stays.
fn with_failed(cluster: &Cluster, new: &Release, what: String) -> Vec<Release> {
    let mut all: Vec<Release> = cluster.releases().to_vec();
    let mut f = new.clone();
    f.status = Status::Failed;
    f.description = what;
    all.push(f);
    all
}

fn update_objects(old: &Content, new: &Content) -> Objects {
    let names = |c: &Content| c.services.iter().filter_map(|s| s.metadata.name.clone()).collect::<Vec<_>>();
    let keep = names(new);
    Objects {
        original: old.statefulset.clone(),
        target: new.statefulset.clone(),
        services: new.services.clone(),
        stale_services: names(old).into_iter().filter(|n| !keep.contains(n)).collect(),
        delete: false,
    }
}

/// chartutil.ValidateReleaseName.
fn validate_release_name(name: &str) -> Result<(), String> {
    let label = |s: &str| {
        !s.is_empty()
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-')
    };
    if name.is_empty() {
        return Err("no name provided".into());
    }
    if name.len() > 53 || !name.split('.').all(label) {
        return Err("invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53".into());
    }
    Ok(())
}

/// pkg/action/validate.go existingResourceConflict: a StatefulSet already in the cluster must carry
/// helm's ownership metadata for this release to be adopted.
fn check_ownership(cluster: &Cluster, content: &Content, name: &str, namespace: &str) -> Result<(), String> {
    let Some(target) = &content.statefulset else {
        return Ok(());
    };
    let Some(live) = cluster.statefulset_object().filter(|s| s.metadata.name == target.metadata.name) else {
        return Ok(());
    };
    let labels = live.metadata.labels.clone().unwrap_or_default();
    let annotations = live.metadata.annotations.clone().unwrap_or_default();
    let require = |m: &std::collections::BTreeMap<String, String>, k: &str, v: &str| match m.get(k) {
        None => Some(format!("missing key {k:?}: must be set to {v:?}")),
        Some(a) if a != v => Some(format!("key {k:?} must equal {v:?}: current value is {a:?}")),
        Some(_) => None,
    };
    let mut errs = Vec::new();
    if let Some(e) = require(&labels, MANAGED_BY, "Helm") {
        errs.push(format!("label validation error: {e}"));
    }
    if let Some(e) = require(&annotations, RELEASE_NAME, name) {
        errs.push(format!("annotation validation error: {e}"));
    }
    if let Some(e) = require(&annotations, RELEASE_NAMESPACE, namespace) {
        errs.push(format!("annotation validation error: {e}"));
    }
    if errs.is_empty() {
        return Ok(());
    }
    Err(format!(
        "StatefulSet {:?} in namespace {namespace:?} exists and cannot be imported into the current release: invalid ownership metadata; {}",
        target.metadata.name.clone().unwrap_or_default(),
        errs.join("; ")
    ))
}

const MANAGED_BY: &str = "app.kubernetes.io/managed-by";
const RELEASE_NAME: &str = "meta.helm.sh/release-name";
const RELEASE_NAMESPACE: &str = "meta.helm.sh/release-namespace";

/// setMetadataVisitor: what helm writes on every object it creates or updates.
fn set_metadata(meta: &mut k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta, name: &str, namespace: &str) {
    meta.labels.get_or_insert_with(Default::default).insert(MANAGED_BY.into(), "Helm".into());
    let a = meta.annotations.get_or_insert_with(Default::default);
    a.insert(RELEASE_NAME.into(), name.into());
    a.insert(RELEASE_NAMESPACE.into(), namespace.into());
}

impl Cluster {
    /// Runs a helm command that writes a release. `Ok` is what helm prints on stdout; a failure to
    /// send the objects still records the failed revision, as helm does.
    pub(crate) fn helm(&mut self, cmd: &HelmCommand) -> Result<String, ActionError> {
        let inv = cmd.parse().map_err(ActionError::Refused)?;
        if !inv.verb.writes() {
            return Err(ActionError::Refused(format!("`helm {}` does not change the cluster", cmd.line)));
        }
        let plan = plan(self, &inv, &cmd.files).map_err(ActionError::Refused)?;
        let release_name = inv.args.first().cloned().unwrap_or_default();
        let namespace = inv.namespace().unwrap_or(self.namespace()).to_string();
        match self.send_objects(plan.objects, &release_name, &namespace) {
            Ok(()) => {
                self.releases = plan.releases;
                Ok(plan.stdout)
            }
            Err(e) => {
                // The API server's own words (`StatefulSet.apps "web" is invalid: ...`), as helm's client gets them.
                let api = e.to_string().replacen("The StatefulSet \"", "StatefulSet.apps \"", 1);
                let (mut failed, prefix) = plan.failed.unwrap_or_default();
                // failRelease: the new revision's description ends with the error.
                if let Some(f) = failed.last_mut() {
                    f.description = format!("{}: {api}", f.description);
                }
                self.releases = failed;
                let sep = if prefix.is_empty() { "" } else { ": " };
                Err(ActionError::Rejected(format!("Error: {prefix}{sep}{api}")))
            }
        }
    }

    fn send_objects(&mut self, objects: Objects, release: &str, namespace: &str) -> Result<(), String> {
        if objects.delete {
            if self.statefulset().is_some() {
                self.delete_set(crate::engine::garbagecollector::Cascade::Background).map_err(|e| e.to_string())?;
            }
            for s in &objects.services {
                if let Some(n) = &s.metadata.name {
                    self.remove_service(n);
                }
            }
            return Ok(());
        }
        if let Some(mut target) = objects.target {
            set_metadata(&mut target.metadata, release, namespace);
            let name = target.metadata.name.clone().unwrap_or_default();
            self.helm_update(objects.original, target).map_err(|e| {
                let text = e.to_string();
                if self.statefulset().is_some_and(|s| s.spec.name == name) {
                    format!("cannot patch {name:?} with kind StatefulSet: {text}")
                } else {
                    format!("failed to create resource: {text}")
                }
            })?;
        }
        for mut s in objects.services {
            set_metadata(&mut s.metadata, release, namespace);
            self.add_service(s);
        }
        for n in &objects.stale_services {
            self.remove_service(n);
        }
        Ok(())
    }
}
