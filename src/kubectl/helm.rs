//! `helm ...` in the lab's terminal: the read-only commands printed here (`history`, `list`,
//! `status`, `get values|manifest|notes`, `template`, dry runs), the writing ones
//! (`install`, `upgrade`, `rollback`, `uninstall`) checked on the cluster as it is and handed back
//! as an [`Action::Helm`] for the caller to record and apply (`crate::helm::action`).
//!
//! The terminal's working directory holds the built-in charts (`./helm-python`, `./done-right`)
//! and the editor's text as `paste.yaml`.

use crate::engine::{Action, Cluster};
use crate::helm::command::{self, Invocation, Refusal, Verb};
use crate::helm::print::{self, StatusOptions};
use crate::helm::{HelmCommand, Release};

use super::cli::Outcome;

/// What the lab's helm runs, for its help line and refusals.
const SIMULATED: &str =
    "install, upgrade, rollback, uninstall, history, list, status, get values|manifest|notes, template";

/// Runs `helm <rest>`: `rest` is the line after `helm` as typed, `words` the same split as a shell
/// splits it; `files` reads a `-f` file (the editor's text is `paste.yaml`).
pub fn run(cluster: &Cluster, rest: &str, words: &[String], files: &dyn Fn(&str) -> Option<String>) -> Outcome {
    let inv = match command::parse(words) {
        Ok(i) => i,
        Err(Refusal::Helm(text)) => return Outcome::err(text),
        Err(Refusal::NotSimulated(verb)) => {
            return Outcome::err(format!("# the lab's terminal does not simulate `helm {verb}` (it runs: {SIMULATED})"))
        }
        Err(Refusal::Help) => {
            return Outcome::out(format!(
                "The Kubernetes package manager\n\n(The lab's terminal runs: {SIMULATED}. Charts here: ./helm-python, \
                 ./done-right; the editor's text is paste.yaml.)"
            ))
        }
    };
    let namespace = inv.namespace().unwrap_or(cluster.namespace()).to_string();
    let revisions = |name: &str| -> Vec<&Release> {
        cluster.releases().iter().filter(|r| r.name == name && r.namespace == namespace).collect()
    };
    let not_found = || Outcome::err("Error: release: not found");
    // The output flag is checked as pflag parses it (output.Format's Set), before anything runs.
    let format = match print::Format::parse(inv.flags.get("output")) {
        Ok(f) => f,
        Err(e) => return Outcome::err(format!("Error: {e}")),
    };
    match inv.verb {
        Verb::History => {
            let history = revisions(&inv.args[0]);
            if history.is_empty() {
                return not_found();
            }
            let max = inv.flags.get("max").and_then(|m| m.parse().ok()).unwrap_or(256);
            Outcome::out(print::history_as(&history, max, format))
        }
        Verb::List => list(cluster, &inv, &namespace, format),
        Verb::Status | Verb::GetValues | Verb::GetManifest | Verb::GetNotes => {
            let history = revisions(&inv.args[0]);
            let wanted: Option<i64> = inv.flags.get("revision").and_then(|r| r.parse().ok()).filter(|r| *r > 0);
            let found = match wanted {
                Some(v) => history.iter().find(|r| r.version == v),
                None => history.iter().max_by_key(|r| r.version),
            };
            let Some(r) = found else {
                return not_found();
            };
            match inv.verb {
                Verb::Status if format != print::Format::Table => Outcome::err(
                    "# the lab's terminal prints `helm status` as a table only (its json and yaml carry the whole release record)",
                ),
                Verb::Status => {
                    let o = StatusOptions {
                        debug: inv.flags.on("debug"),
                        show_description: inv.flags.on("show-desc"),
                        hide_notes: false,
                    };
                    Outcome::out(print::status(r, o))
                }
                Verb::GetValues => get_values(r, &inv),
                Verb::GetManifest => Outcome::out(format!("{}\n", r.content.manifest)),
                _ if r.content.notes.is_empty() => Outcome::out(""),
                _ => Outcome::out(format!("NOTES:\n{}\n", r.content.notes)),
            }
        }
        Verb::Template => template(cluster, &inv, files),
        Verb::Install | Verb::Upgrade if format != print::Format::Table => Outcome::err(
            "# the lab's terminal prints what install and upgrade did as a table only (their json and yaml carry the whole release record)",
        ),
        Verb::Install | Verb::Upgrade | Verb::Rollback | Verb::Uninstall => {
            // The `-f` files are read now, as helm reads them when it runs.
            let read: Vec<(String, String)> =
                inv.slice("values").into_iter().filter_map(|n| files(&n).map(|t| (n, t))).collect();
            let cmd = HelmCommand { line: rest.trim().to_string(), files: read };
            match crate::helm::plan(cluster, &inv, &cmd.files) {
                Err(stderr) => Outcome::err(stderr),
                Ok(plan) if inv.dry_run() => Outcome::out(plan.stdout),
                Ok(_) => Outcome::Act(Action::Helm(Box::new(cmd))),
            }
        }
    }
}

/// `helm list` (pkg/action/list.go): the newest revision of each release, filtered by state
/// (deployed and failed unless asked otherwise), sorted by name.
fn list(cluster: &Cluster, inv: &Invocation, namespace: &str, format: print::Format) -> Outcome {
    use crate::helm::Status;
    let all_namespaces = inv.flags.on("all-namespaces");
    let mut latest: Vec<&Release> = Vec::new();
    for r in cluster.releases() {
        if !all_namespaces && r.namespace != namespace {
            continue;
        }
        match latest.iter_mut().find(|l| l.name == r.name && l.namespace == r.namespace) {
            Some(l) if l.version < r.version => *l = r,
            Some(_) => {}
            None => latest.push(r),
        }
    }
    let asked: Vec<Status> = [
        ("deployed", Status::Deployed),
        ("failed", Status::Failed),
        ("superseded", Status::Superseded),
        ("uninstalled", Status::Uninstalled),
    ]
    .into_iter()
    .filter(|(f, _)| inv.flags.on(f))
    .map(|(_, s)| s)
    .collect();
    latest.retain(|r| {
        inv.flags.on("all")
            || if asked.is_empty() {
                matches!(r.status, Status::Deployed | Status::Failed)
            } else {
                asked.contains(&r.status)
            }
    });
    crate::sorting::sort_by(&mut latest, |a, b| a.name.cmp(&b.name));
    if inv.flags.on("reverse") {
        latest.reverse();
    }
    if inv.flags.on("short") {
        return Outcome::out(latest.iter().map(|r| format!("{}\n", r.name)).collect::<String>());
    }
    Outcome::out(print::list_as(&latest, inv.flags.on("no-headers"), format))
}

/// `helm get values` (cmd/helm/get_values.go `valuesWriter`).
fn get_values(r: &Release, inv: &Invocation) -> Outcome {
    let all = inv.flags.on("all");
    let yaml = if all { &r.content.computed } else { &r.content.config };
    match inv.flags.get("output") {
        None | Some("table") => {
            Outcome::out(format!("{}\n{yaml}", if all { "COMPUTED VALUES:" } else { "USER-SUPPLIED VALUES:" }))
        }
        Some("yaml") => Outcome::out(yaml.clone()),
        Some("json") => {
            let v: serde_json::Value = yaml_serde::from_str(yaml).unwrap_or_default();
            Outcome::out(serde_json::to_string(&v).unwrap_or_default())
        }
        Some(other) => Outcome::err(format!("Error: invalid format type {other:?}")),
    }
}

/// `helm template [NAME] CHART` (cmd/helm/template.go): rendered, not installed.
fn template(cluster: &Cluster, inv: &Invocation, files: &dyn Fn(&str) -> Option<String>) -> Outcome {
    let (name, chart_ref) = match inv.args.as_slice() {
        [chart] => ("release-name".to_string(), chart.clone()),
        [name, chart, ..] => (name.clone(), chart.clone()),
        [] => return Outcome::err("Error: \"helm template\" requires at least 1 argument"),
    };
    let chart = match crate::helm::locate_chart(&chart_ref) {
        Ok(c) => c,
        Err(e) => return Outcome::err(format!("Error: {e}")),
    };
    let read: Vec<(String, String)> =
        inv.slice("values").into_iter().filter_map(|n| files(&n).map(|t| (n, t))).collect();
    let user = match crate::helm::action::merge_values(inv, &read) {
        Ok(u) => u,
        Err(e) => return Outcome::err(format!("Error: {e}")),
    };
    let options = crate::chart::RenderOptions {
        release_name: name,
        namespace: inv.namespace().unwrap_or(cluster.namespace()).to_string(),
        user_values: vec![crate::chart::functions::yaml::to_yaml(&gotmpl::Value::Map(std::sync::Arc::new(user)))],
        is_upgrade: inv.flags.on("is-upgrade"),
        ..crate::chart::RenderOptions::default()
    };
    let rendered = match crate::chart::render(&chart, &options) {
        Ok(r) => r,
        Err(e) => return Outcome::err(format!("Error: {}", e.message)),
    };
    let only = inv.slice("show-only");
    if only.is_empty() {
        return Outcome::out(rendered.helm_template_output());
    }
    // `--show-only templates/x.yaml`: the documents whose source, without the chart's name, is that path.
    let mut out = String::new();
    for f in &only {
        let docs: Vec<String> = rendered
            .manifests
            .iter()
            .map(|m| (&m.source, &m.text))
            .chain(rendered.hooks.iter().map(|h| (&h.source, &h.text)))
            .filter(|(source, _)| source.split_once('/').is_some_and(|(_, p)| p == f))
            .map(|(source, text)| format!("---\n# Source: {source}\n{text}\n"))
            .collect();
        if docs.is_empty() {
            return Outcome::err(format!("Error: could not find template {f} in chart"));
        }
        out.extend(docs);
    }
    Outcome::out(out)
}
