//! What was pasted: detection, helm log sections, manifests, positions and diagnostics.
//!
//! PROVISIONAL: a minimal multi-document reader so the engine and UI have input to work with;
//! issue #3 replaces it with the full detector (helm logs, List, JSON, values, templates).

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::Service;

use crate::model::{Diagnostic, InputKind, Release, StatefulSetInfo};

/// Understands a paste. Never panics; problems end up in `Release::diagnostics`.
pub fn parse(text: &str) -> Release {
    let mut release = Release { input: InputKind::Manifests, ..Release::default() };
    // A helm log: keep only the MANIFEST section (provisional).
    let (body, offset) = match text.find("\nMANIFEST:\n") {
        Some(at) => {
            let start = at + "\nMANIFEST:\n".len();
            let end = text[start..].find("\nNOTES:").map(|e| start + e).unwrap_or(text.len());
            release.input = InputKind::HelmDebug;
            release.name = header(text, "NAME: ");
            release.namespace = header(text, "NAMESPACE: ");
            (&text[start..end], text[..start].lines().count())
        }
        None => (text, 0),
    };
    let mut line = 1 + offset;
    for doc in body.split("\n---") {
        let doc_line = line;
        line += doc.lines().count().max(1);
        let value: yaml_serde::Value = match yaml_serde::from_str(doc) {
            Ok(v) => v,
            Err(e) => {
                let (l, c) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
                release.diagnostics.push(Diagnostic::error(doc_line + l - 1, c, e.to_string()));
                continue;
            }
        };
        match value.get("kind").and_then(|k| k.as_str()) {
            Some("StatefulSet") => match yaml_serde::from_value::<StatefulSet>(value) {
                Ok(object) => release.statefulsets.push(StatefulSetInfo {
                    object,
                    governing_service: None,
                    source: None,
                    line: doc_line,
                }),
                Err(e) => release.diagnostics.push(Diagnostic::error(doc_line, 1, e.to_string())),
            },
            Some("Service") => {
                if let Ok(svc) = yaml_serde::from_value::<Service>(value) {
                    release.services.push(svc);
                }
            }
            _ => {}
        }
    }
    for sts in &mut release.statefulsets {
        let name = sts.object.spec.as_ref().and_then(|s| s.service_name.clone());
        sts.governing_service = release
            .services
            .iter()
            .find(|s| s.metadata.name.is_some() && s.metadata.name == name)
            .cloned();
    }
    release
}

fn header(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|l| l.strip_prefix(key)).map(|v| v.trim().to_string())
}
