//! `sts-lab inspect FILE [--json]`: what the input layer understood from a paste (issue #3).
//! The JSON shape is documented in docs/inspect.md; Kubernetes' defaults are filled in where a
//! field is absent, so a reader sees what the controller will do, not what was typed.
//! Exit 0 without errors, 2 with errors (the output is printed either way).

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::Serialize;
use sts_lab::model::{Claim, Release, StatefulSetInfo, UpdateStrategy};

pub fn main(args: &[String]) -> i32 {
    let json_out = args.iter().any(|a| a == "--json");
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: sts-lab inspect FILE [--json]");
        return 2;
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            return 2;
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    let release = sts_lab::input::parse(&text);
    if json_out {
        println!("{}", serde_json::to_string_pretty(&to_json(&release)).unwrap_or_default());
    } else {
        print_text(path, &release);
    }
    if release.has_errors() {
        2
    } else {
        0
    }
}

/// The `--json` object, exactly the shape issue #3 specifies (fields in that order).
#[derive(Serialize)]
struct Inspect<'r> {
    input: &'static str,
    objects: Vec<ObjectJson<'r>>,
    statefulsets: Vec<StatefulSetJson>,
    warnings: Vec<DiagnosticJson<'r>>,
    errors: Vec<DiagnosticJson<'r>>,
}

#[derive(Serialize)]
struct ObjectJson<'r> {
    kind: &'r str,
    name: Option<&'r str>,
    namespace: &'r str,
    source: Option<&'r str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StatefulSetJson {
    name: String,
    namespace: String,
    replicas: i32,
    pod_management_policy: &'static str,
    update_strategy: UpdateStrategyJson,
    min_ready_seconds: i32,
    ordinals_start: i32,
    retention: RetentionJson,
    service_name: Option<String>,
    service: ServiceJson,
    claims: Vec<Claim>,
    pvc_names: Vec<String>,
    images: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UpdateStrategyJson {
    #[serde(rename = "type")]
    type_: &'static str,
    /// Null for OnDelete, where no partition applies.
    partition: Option<i32>,
    max_unavailable: Option<IntOrString>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RetentionJson {
    when_deleted: &'static str,
    when_scaled: &'static str,
}

#[derive(Serialize)]
struct ServiceJson {
    found: bool,
    headless: bool,
}

#[derive(Serialize)]
struct DiagnosticJson<'r> {
    line: usize,
    column: usize,
    message: &'r str,
}

fn to_json(release: &Release) -> Inspect<'_> {
    let diagnostics = |errors: bool| {
        release
            .diagnostics
            .iter()
            .filter(|d| d.is_error() == errors)
            .map(|d| DiagnosticJson { line: d.line, column: d.column, message: &d.message })
            .collect()
    };
    Inspect {
        input: release.input.as_str(),
        objects: release
            .objects
            .iter()
            .map(|o| ObjectJson {
                kind: &o.kind,
                name: o.name.as_deref(),
                namespace: o.namespace.as_deref().unwrap_or(release.namespace()),
                source: o.source.as_deref(),
            })
            .collect(),
        statefulsets: release.statefulsets.iter().map(|s| statefulset_json(release, s)).collect(),
        warnings: diagnostics(false),
        errors: diagnostics(true),
    }
}

fn statefulset_json(release: &Release, sts: &StatefulSetInfo) -> StatefulSetJson {
    let e = sts.effective();
    let rolling = e.strategy == UpdateStrategy::RollingUpdate;
    StatefulSetJson {
        name: sts.name().to_string(),
        namespace: sts.object.metadata.namespace.clone().unwrap_or_else(|| release.namespace().to_string()),
        replicas: e.replicas,
        pod_management_policy: e.policy.as_str(),
        update_strategy: UpdateStrategyJson {
            type_: e.strategy.as_str(),
            partition: rolling.then_some(e.partition),
            max_unavailable: rolling.then(|| e.max_unavailable_or_default()),
        },
        min_ready_seconds: e.min_ready_seconds,
        ordinals_start: e.start,
        retention: RetentionJson { when_deleted: e.when_deleted.as_str(), when_scaled: e.when_scaled.as_str() },
        service: ServiceJson {
            found: sts.governing_service.is_some(),
            headless: sts.governing_service_headless().unwrap_or(false),
        },
        service_name: Some(e.service_name.clone()).filter(|s| !s.is_empty()),
        claims: sts.claims(),
        pvc_names: sts.pvc_names(),
        images: sts.images(),
    }
}

fn print_text(path: &str, release: &Release) {
    println!("input: {}", release.input.as_str());
    if let Some(name) = &release.name {
        println!("release: {name} (namespace {})", release.namespace());
    }
    println!("objects: {}", release.objects.len());
    for o in &release.objects {
        let source = o.source.as_deref().map(|s| format!("  # {s}")).unwrap_or_default();
        println!("  line {:>5}  {} {}{source}", o.line, o.kind, o.name.as_deref().unwrap_or("?"));
    }
    for sts in &release.statefulsets {
        let e = sts.effective();
        let partition = if e.strategy == UpdateStrategy::RollingUpdate {
            format!(" partition {}", e.partition)
        } else {
            String::new()
        };
        println!(
            "StatefulSet {}: replicas {}, {}, {}{partition}, retention {}/{}, ordinals from {}",
            sts.name(),
            e.replicas,
            e.policy.as_str(),
            e.strategy.as_str(),
            e.when_deleted.as_str(),
            e.when_scaled.as_str(),
            e.start,
        );
        match (Some(&e.service_name).filter(|s| !s.is_empty()), sts.governing_service_headless()) {
            (None, _) => println!("  serviceName: none"),
            (Some(n), None) => println!("  serviceName: {n} (not in the paste)"),
            (Some(n), Some(h)) => {
                println!("  serviceName: {n} ({})", if h { "headless" } else { "not headless" })
            }
        }
        for c in sts.claims() {
            println!("  claim {}: {} {:?}", c.name, c.storage.as_deref().unwrap_or("?"), c.access_modes);
        }
        let pvcs = sts.pvc_names();
        if !pvcs.is_empty() {
            println!("  PVCs: {}", pvcs.join(", "));
        }
        for r in sts.dangling_references() {
            let optional = if r.optional { ", optional" } else { "" };
            println!("  dangling {} {} ({}{optional})", r.kind.as_str(), r.name, r.used_by);
        }
    }
    for h in &release.hooks {
        let phases: Vec<&str> = h.phases.iter().map(|p| p.as_str()).collect();
        println!("hook {} {} [{}] weight {}", h.kind, h.name.as_deref().unwrap_or("?"), phases.join(","), h.weight);
    }
    for d in &release.diagnostics {
        let level = if d.is_error() { "error" } else { "warning" };
        println!("{path}:{}:{}: {level}: {}", d.line, d.column, d.message);
        if let Some(s) = &d.snippet {
            println!("    | {s}");
        }
    }
}
