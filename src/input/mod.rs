//! What was pasted: detection, helm log sections, documents, positions and diagnostics.
//!
//! The data path: `Paste` (normalised lines) -> `detect` -> `helm_log` sections or the whole
//! paste -> `documents` (one at a time, duplicate keys tolerated) -> `objects` (k8s-openapi
//! types) -> `linking` (Services, claims, references) -> `model::Release`.

mod assemble;
pub mod detect;
mod documents;
mod duplicate_keys;
pub mod helm_log;
pub mod limits;
mod linking;
pub mod locate;
pub mod nesting;
mod objects;
pub mod position;
mod statefulset;
mod syntax_errors;

use crate::model::{Diagnostic, InputKind, Release, Section};

use assemble::Builder;
use helm_log::SectionKind;
use position::Paste;

/// Understands a paste, detecting what it is. Never panics; problems end up in
/// `Release::diagnostics`.
pub fn parse(text: &str) -> Release {
    parse_with(text, None)
}

/// Understands a paste as the kind the student chose by hand.
pub fn parse_as(text: &str, kind: InputKind) -> Release {
    parse_with(text, Some(kind))
}

fn parse_with(text: &str, forced: Option<InputKind>) -> Release {
    if text.len() > limits::MAX_PASTE_BYTES {
        let mut release = Release { input: forced.unwrap_or_default(), ..Release::default() };
        release.diagnostics.push(Diagnostic::error(
            1,
            1,
            format!(
                "the paste is {:.1} MB; the lab reads up to {} MB. Paste one release: the output of one `helm install --dry-run --debug`, or only its MANIFEST section",
                text.len() as f64 / 1_048_576.0,
                limits::MAX_PASTE_BYTES / 1_048_576
            ),
        ));
        return release;
    }
    let paste = Paste::new(text);
    let mut b = Builder::new(&paste);
    let kind = forced.unwrap_or_else(|| {
        if detect::is_helm_log(&paste) {
            InputKind::HelmDebug
        } else if detect::first_template_line(&paste).is_some() {
            InputKind::Template
        } else {
            InputKind::Manifests
        }
    });
    b.release.input = kind;
    match kind {
        InputKind::HelmDebug => read_helm_log(&mut b),
        InputKind::Template => report_template(&mut b),
        InputKind::Manifests if forced.is_none() && detect::kubectl_table_line(&paste).is_some() => {
            let line = detect::kubectl_table_line(&paste).unwrap_or(1);
            b.error(line, 1, "this is a `kubectl get` table, not YAML: paste `kubectl get statefulset NAME -o yaml`, rendered manifests or a helm --dry-run --debug log");
        }
        InputKind::Manifests | InputKind::Values => {
            read_stream(&mut b, 0, paste.len(), Section::Manifest);
            let only_plain = b.release.objects.is_empty() && !b.plain_documents.is_empty();
            if forced == Some(InputKind::Values) || (forced.is_none() && only_plain) {
                b.release.input = InputKind::Values;
                // Chosen by hand, even a document that looks like an object is taken as values.
                let first_plain = b.plain_documents.first().map(|(v, _)| v.clone());
                b.release.values.file = first_plain.or_else(|| b.release.objects.first().map(|o| o.raw.clone()));
            } else {
                warn_plain_documents(&mut b);
            }
        }
    }
    b.link();
    crate::sorting::sort_by_key(&mut b.release.diagnostics, |d| (d.line, d.column));
    b.release
}

fn read_stream(b: &mut Builder, from: usize, to: usize, section: Section) {
    for doc in documents::split(b.paste, from, to) {
        for value in b.read_document(&doc) {
            b.add_value(&doc, value, section);
        }
    }
}

/// A section holding one YAML value (USER-SUPPLIED / COMPUTED VALUES).
fn read_values(b: &mut Builder, from: usize, to: usize) -> Option<yaml_serde::Value> {
    let mut out = None;
    for doc in documents::split(b.paste, from, to) {
        if let Some(v) = b.read_document(&doc).into_iter().next() {
            out.get_or_insert(v);
        }
    }
    out
}

fn read_helm_log(b: &mut Builder) {
    let log = helm_log::split(b.paste);
    b.release.name = log.header.name.clone();
    b.release.namespace = log.header.namespace.clone();
    for section in &log.sections {
        match section.kind {
            SectionKind::UserSuppliedValues => {
                b.release.values.user_supplied = read_values(b, section.from, section.to)
            }
            SectionKind::ComputedValues => b.release.values.computed = read_values(b, section.from, section.to),
            SectionKind::Hooks => read_stream(b, section.from, section.to, Section::Hooks),
            SectionKind::Manifest => {
                if section.implicit {
                    b.warning(
                        section.from + 1,
                        1,
                        "manifests start here without a `MANIFEST:` line: the paste seems cut above",
                    );
                }
                read_stream(b, section.from, section.to, Section::Manifest)
            }
            SectionKind::Notes => {
                let notes = b.paste.lines[section.from..section.to.min(b.paste.len())].join("\n");
                b.release.notes = Some(notes.trim_end().to_string());
            }
        }
    }
    // Helm never prints `...`; a student does, to shorten a log.
    for (i, line) in b.paste.lines.iter().enumerate() {
        if line.trim() == "..." || line.trim() == "…" {
            b.warning(i + 1, 1, "`...` here: lines were left out of the paste, so what follows may be incomplete");
        }
    }
    if log.sections.iter().all(|s| s.kind != SectionKind::Manifest) && b.release.objects.is_empty() {
        let line = log.sections.last().map(|s| s.from).unwrap_or(1);
        b.warning(
            line,
            1,
            "this helm log has no MANIFEST section (helm upgrade/install without --dry-run --debug prints none)",
        );
    }
    b.release.header = Some(log.header);
}

fn report_template(b: &mut Builder) {
    list_template_kinds(b);
    let line = detect::first_template_line(b.paste).unwrap_or(1);
    let column = b.paste.line(line).find("{{").map(|c| c + 1).unwrap_or(1);
    b.error(
        line,
        column,
        "this is a Helm chart template, not rendered YAML: `{{ ... }}` is filled in by helm. Paste the output of `helm template . ` or `helm install --dry-run --debug` instead (or the chart's values.yaml)",
    );
}

/// A template cannot be parsed before it is rendered, but its top-level `kind:` lines still say
/// what it would create, which lets the UI say "this template makes a StatefulSet".
fn list_template_kinds(b: &mut Builder) {
    let mut api_version = String::new();
    let mut source = None;
    for (i, line) in b.paste.lines.iter().enumerate() {
        if *line == "---" {
            api_version.clear();
        } else if let Some(s) = line.strip_prefix("# Source: ") {
            source = Some(s.trim().to_string());
        } else if let Some(v) = line.strip_prefix("apiVersion:") {
            api_version = v.trim().trim_matches('"').to_string();
        } else if let Some(kind) = line.strip_prefix("kind:").map(|k| k.trim().trim_matches('"')) {
            if !kind.is_empty() && !kind.contains("{{") {
                b.release.objects.push(crate::model::ObjectInfo {
                    kind: kind.to_string(),
                    api_version: api_version.clone(),
                    name: None,
                    namespace: None,
                    source: source.clone(),
                    line: i + 1,
                    section: Section::Manifest,
                    raw: yaml_serde::Value::Null,
                });
            }
        }
    }
}

/// Mappings without apiVersion/kind among real objects are usually a document whose header
/// lines were lost.
fn warn_plain_documents(b: &mut Builder) {
    let lines: Vec<usize> = b.plain_documents.iter().map(|(_, l)| *l).collect();
    for line in lines {
        b.warning(line, 1, "this document has no `apiVersion`/`kind`, so it is not a Kubernetes object: skipped");
    }
}
