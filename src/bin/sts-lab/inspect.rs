//! `sts-lab inspect FILE [--json]`: what the input layer understood from a paste (issue #3).
//! The JSON shape is documented in docs/inspect.md; Kubernetes' defaults are filled in where a
//! field is absent, so a reader sees what the controller will do, not what was typed.
//! Exit 0 without errors, 2 with errors (the output is printed either way).

use serde_json::{json, Value};
use sts_lab::model::{Diagnostic, Release, StatefulSetInfo, UpdateStrategyType};

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

/// The `--json` object, exactly the shape issue #3 specifies.
pub fn to_json(release: &Release) -> Value {
    let objects: Vec<Value> = release
        .objects
        .iter()
        .map(|o| {
            json!({
                "kind": o.kind,
                "name": o.name,
                "namespace": o.namespace.as_deref().unwrap_or(release.namespace()),
                "source": o.source,
            })
        })
        .collect();
    let statefulsets: Vec<Value> = release.statefulsets.iter().map(|s| statefulset_json(release, s)).collect();
    let diagnostics = |errors: bool| -> Vec<Value> {
        release
            .diagnostics
            .iter()
            .filter(|d| d.is_error() == errors)
            .map(|d: &Diagnostic| json!({"line": d.line, "column": d.column, "message": d.message}))
            .collect()
    };
    json!({
        "input": release.input.as_str(),
        "objects": objects,
        "statefulsets": statefulsets,
        "warnings": diagnostics(false),
        "errors": diagnostics(true),
    })
}

fn statefulset_json(release: &Release, sts: &StatefulSetInfo) -> Value {
    let e = sts.effective();
    let rolling = e.update_strategy == UpdateStrategyType::RollingUpdate;
    let claims: Vec<Value> = sts
        .claims()
        .iter()
        .map(|c| {
            json!({
                "name": c.name,
                "storage": c.storage,
                "accessModes": c.access_modes,
                "storageClassName": c.storage_class_name,
            })
        })
        .collect();
    json!({
        "name": sts.name(),
        "namespace": sts.object.metadata.namespace.as_deref().unwrap_or(release.namespace()),
        "replicas": e.replicas,
        "podManagementPolicy": e.pod_management_policy.as_str(),
        "updateStrategy": {
            "type": e.update_strategy.as_str(),
            "partition": if rolling { json!(e.partition) } else { Value::Null },
            "maxUnavailable": if rolling { serde_json::to_value(&e.max_unavailable).unwrap_or(Value::Null) } else { Value::Null },
        },
        "minReadySeconds": e.min_ready_seconds,
        "ordinalsStart": e.ordinals_start,
        "retention": {
            "whenDeleted": e.when_deleted.as_str(),
            "whenScaled": e.when_scaled.as_str(),
        },
        "serviceName": e.service_name,
        "service": {
            "found": sts.governing_service.is_some(),
            "headless": sts.governing_service_headless().unwrap_or(false),
        },
        "claims": claims,
        "pvcNames": sts.pvc_names(),
        "images": sts.images(),
    })
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
        let partition = if e.update_strategy == UpdateStrategyType::RollingUpdate { format!(" partition {}", e.partition) } else { String::new() };
        println!(
            "StatefulSet {}: replicas {}, {}, {}{partition}, retention {}/{}, ordinals from {}",
            sts.name(),
            e.replicas,
            e.pod_management_policy.as_str(),
            e.update_strategy.as_str(),
            e.when_deleted.as_str(),
            e.when_scaled.as_str(),
            e.ordinals_start,
        );
        match (&e.service_name, sts.governing_service_headless()) {
            (None, _) => println!("  serviceName: none"),
            (Some(n), None) => println!("  serviceName: {n} (not in the paste)"),
            (Some(n), Some(h)) => println!("  serviceName: {n} ({})", if h { "headless" } else { "not headless" }),
        }
        for c in sts.claims() {
            println!("  claim {}: {} {:?}", c.name, c.storage.as_deref().unwrap_or("?"), c.access_modes);
        }
        let pvcs = sts.pvc_names();
        if !pvcs.is_empty() {
            println!("  PVCs: {}", pvcs.join(", "));
        }
        for r in sts.dangling_references() {
            println!("  dangling {} {} ({})", r.kind.as_str(), r.name, r.used_by);
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
