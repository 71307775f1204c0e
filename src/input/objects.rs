//! Documents turned into Kubernetes objects. Every object with `apiVersion` and `kind` is kept
//! and listed (unknown kinds too); the kinds the model works with are converted to their
//! k8s-openapi types, and a type error there (`replicas: three`) is reported at its line.
//! `kind: List` (what `kubectl get -o yaml` prints for several objects) is unwrapped.

use crate::sorting::CollectMap;
use std::cell::Cell;
use std::rc::Rc;

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::de::DeserializeOwned;
use yaml_serde::Value;

use crate::model::{Hook, ObjectInfo, Section};

use super::assemble::Builder;
use super::documents::Document;
use super::duplicate_keys::path_text;
use super::locate::{self, Segment};

/// An object's place: its document and, for a List item, the path to it.
pub struct Place<'d> {
    pub doc: &'d Document,
    pub base: Vec<Segment>,
    pub section: Section,
    /// The object's first paste line when already known (List items are located in one pass).
    pub known_line: Option<usize>,
    /// Searches left for this paste: each one scans the document, so a huge paste full of
    /// faults must not make them quadratic.
    pub searches: Rc<Cell<usize>>,
}

impl Place<'_> {
    /// Paste line and column of a path inside the object (or of the object, if not found).
    pub fn position(&self, path: &[Segment]) -> (usize, usize) {
        if !self.spend_search() {
            return (self.line(), 1);
        }
        let mut full = self.base.clone();
        full.extend_from_slice(path);
        match locate::locate(&self.doc.chunk.text, &full, 0) {
            Some((line, column)) if !full.is_empty() => (self.doc.chunk.paste_line(line), column),
            _ => (self.line(), 1),
        }
    }

    /// The object's first line in the paste.
    pub fn line(&self) -> usize {
        if let Some(line) = self.known_line {
            return line;
        }
        if self.base.is_empty() || !self.spend_search() {
            return self.doc.content_line();
        }
        locate::locate(&self.doc.chunk.text, &self.base, 0)
            .map(|(l, _)| self.doc.chunk.paste_line(l))
            .unwrap_or_else(|| self.doc.content_line())
    }
}

impl Place<'_> {
    /// A search costs the document's line count, so the budget bounds total work.
    fn spend_search(&self) -> bool {
        let cost = self.doc.line_count.max(1);
        let left = self.searches.get();
        self.searches.set(left.saturating_sub(cost));
        left >= cost
    }
}

pub fn str_at<'v>(value: &'v Value, path: &[&str]) -> Option<&'v str> {
    let mut v = value;
    for key in path {
        v = v.get(*key)?;
    }
    v.as_str()
}

impl Builder<'_> {
    /// Adds everything a document's value holds.
    pub fn add_value(&mut self, doc: &Document, value: Value, section: Section) {
        let is_object = value.get("kind").is_some() && value.get("apiVersion").is_some();
        if !is_object {
            if value.is_mapping() {
                self.plain_documents.push((value, doc.content_line()));
            } else if !value.is_null() {
                let line = doc.content_line();
                self.warning(line, 1, "this document is not a mapping, so not a Kubernetes object: skipped");
            }
            return;
        }
        if str_at(&value, &["kind"]) == Some("List") {
            let items = match value.get("items") {
                Some(Value::Sequence(items)) => items.clone(),
                _ => Vec::new(),
            };
            let lines = locate::item_lines(&doc.chunk.text, "items");
            for (i, item) in items.into_iter().enumerate() {
                let known_line = lines.get(i).map(|l| doc.chunk.paste_line(*l));
                let base = vec![Segment::Key("items".into()), Segment::Index(i)];
                let place = Place { doc, base, section, known_line, searches: self.searches.clone() };
                self.add_object(&place, item);
            }
            return;
        }
        let place = Place { doc, base: Vec::new(), section, known_line: None, searches: self.searches.clone() };
        self.add_object(&place, value);
    }

    fn add_object(&mut self, place: &Place, value: Value) {
        let kind = str_at(&value, &["kind"]).unwrap_or("").to_string();
        let api_version = str_at(&value, &["apiVersion"]).unwrap_or("").to_string();
        let name = str_at(&value, &["metadata", "name"]).map(String::from);
        let namespace = str_at(&value, &["metadata", "namespace"]).map(String::from);
        if kind.is_empty() {
            let (line, column) = place.position(&[Segment::Key("kind".into())]);
            self.warning(line, column, "an object without a `kind`: skipped");
            return;
        }
        let line = place.line();
        // Only helm's hook annotations say what a hook is: copying every annotation cost a
        // 95,000-key paste a copy of each key.
        let annotations: std::collections::BTreeMap<String, String> = value
            .get("metadata")
            .and_then(|m| m.get("annotations"))
            .and_then(|a| a.as_mapping())
            .map(|m| {
                m.iter()
                    .filter(|(k, _)| k.as_str().is_some_and(|k| k.starts_with("helm.sh/hook")))
                    .filter_map(|(k, v)| {
                        Some((
                            k.as_str()?.to_string(),
                            v.as_str().map(String::from).unwrap_or_else(|| super::duplicate_keys::key_text(v)),
                        ))
                    })
                    .collect_map()
            })
            .unwrap_or_default();
        let hook = Hook::from_annotations(&kind, name.as_deref(), &annotations, place.doc.source.as_deref(), line);
        let section = if hook.is_some()
            && place.section == Section::Manifest
            && self.release.input != crate::model::InputKind::HelmDebug
        {
            // `helm template` prints hooks among the manifests; their annotation says what they are.
            Section::Hooks
        } else {
            place.section
        };
        self.release.hooks.extend(hook);
        self.release.objects.push(ObjectInfo {
            kind: kind.clone(),
            api_version,
            name,
            namespace,
            source: place.doc.source.clone(),
            line,
            section,
            raw: value.clone(),
        });
        // Hooks are not part of the release's running objects (a hook Pod is not a StatefulSet's
        // pod, a hook Service does not govern it), so only the manifest feeds the model.
        if section == Section::Hooks {
            return;
        }
        match kind.as_str() {
            "StatefulSet" => self.add_statefulset(place, value),
            "Service" => {
                if let Some(svc) = self.convert(place, value) {
                    self.release.services.push(svc);
                }
            }
            "ConfigMap" => {
                if let Some(cm) = self.convert(place, value) {
                    self.release.config_maps.push(cm);
                }
            }
            "Secret" => {
                if let Some(secret) = self.convert(place, value) {
                    self.release.secrets.push(secret);
                }
            }
            "ServiceAccount" => {
                if let Some(sa) = self.convert(place, value) {
                    self.release.service_accounts.push(sa);
                }
            }
            "PodDisruptionBudget" => {
                if let Some(pdb) = self.pod_disruption_budget(place, &value) {
                    self.release.pod_disruption_budgets.push(pdb);
                }
            }
            "StorageClass" => {
                let sc = storage_class(&value);
                self.release.storage_classes.push(sc);
            }
            _ => {}
        }
    }

    /// A PodDisruptionBudget, field by field (see [`crate::model::budgets`]); a field of the wrong
    /// type is reported where it is, as the API server's decoder would refuse it.
    fn pod_disruption_budget(
        &mut self,
        place: &Place,
        value: &Value,
    ) -> Option<crate::model::budgets::PodDisruptionBudget> {
        let spec = value.get("spec");
        let mut pdb = crate::model::budgets::PodDisruptionBudget {
            name: str_at(value, &["metadata", "name"]).unwrap_or_default().to_string(),
            labels: string_map(value.get("metadata").and_then(|m| m.get("labels"))),
            unhealthy_pod_eviction_policy: str_at(value, &["spec", "unhealthyPodEvictionPolicy"]).map(String::from),
            selector: spec.and_then(|s| s.get("selector")).filter(|s| !s.is_null()).map(label_selector),
            ..Default::default()
        };
        for (key, slot) in [("minAvailable", &mut pdb.min_available), ("maxUnavailable", &mut pdb.max_unavailable)] {
            let Some(v) = spec.and_then(|s| s.get(key)).filter(|v| !v.is_null()) else { continue };
            match (v.as_i64().and_then(|n| i32::try_from(n).ok()), v.as_str()) {
                (Some(n), _) => *slot = Some(IntOrString::Int(n)),
                (None, Some(s)) => *slot = Some(IntOrString::String(s.to_string())),
                (None, None) => {
                    let (line, column) = place.position(&[Segment::Key("spec".into()), Segment::Key(key.into())]);
                    self.error(line, column, format!("`spec.{key}`: an int or a string (`2`, `50%`) is expected"));
                    return None;
                }
            }
        }
        Some(pdb)
    }

    /// Converts to a k8s-openapi type, reporting a type error at the line of the offending field.
    pub fn convert<T: DeserializeOwned>(&mut self, place: &Place, mut value: Value) -> Option<T> {
        // Each pass may fix one YAML 1.1 octal; a manifest has only a few (defaultMode).
        for _ in 0..32 {
            let error = match serde_path_to_error::deserialize::<_, T>(&value) {
                Ok(object) => return Some(object),
                Err(e) => e,
            };
            let path = segments(error.path());
            if let Some(n) = yaml11_octal(&value, &path) {
                // Kubernetes reads YAML 1.1, where `0755` is octal; yaml_serde keeps it a string.
                set_at(&mut value, &path, Value::Number(n.into()));
                continue;
            }
            let (line, column) = place.position(&path);
            let inner = error.into_inner().to_string();
            let field = path_text(&path);
            let message = if field.is_empty() {
                format!("this object does not fit its kind: {inner}")
            } else if let Some(why) = float_for_integer(get_at(&value, &path), &inner) {
                format!("`{field}`: {why}")
            } else {
                format!("`{field}`: {inner}")
            };
            self.error(line, column, message);
            return None;
        }
        None
    }
}

/// A StorageClass, field by field (see [`crate::model::budgets`]).
fn storage_class(value: &Value) -> crate::model::budgets::StorageClass {
    let mut zones: Vec<String> = Vec::new();
    let terms = value.get("allowedTopologies").and_then(|t| t.as_sequence()).into_iter().flatten();
    for expr in terms.filter_map(|t| t.get("matchLabelExpressions")?.as_sequence()).flatten() {
        if expr.get("key").and_then(|k| k.as_str()) != Some("topology.kubernetes.io/zone") {
            continue;
        }
        for z in expr.get("values").and_then(|v| v.as_sequence()).into_iter().flatten().filter_map(|z| z.as_str()) {
            if !zones.iter().any(|have| have == z) {
                zones.push(z.to_string());
            }
        }
    }
    crate::model::budgets::StorageClass {
        name: str_at(value, &["metadata", "name"]).unwrap_or_default().to_string(),
        provisioner: str_at(value, &["provisioner"]).unwrap_or_default().to_string(),
        volume_binding_mode: str_at(value, &["volumeBindingMode"]).map(String::from),
        zones,
    }
}

/// A YAML mapping of strings (labels, matchLabels); other scalars as YAML writes them.
fn string_map(v: Option<&Value>) -> std::collections::BTreeMap<String, String> {
    let Some(m) = v.and_then(|v| v.as_mapping()) else { return Default::default() };
    m.iter()
        .filter_map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some((k.as_str()?.to_string(), text))
        })
        .collect_map()
}

/// metav1.LabelSelector from YAML: matchLabels and matchExpressions.
fn label_selector(v: &Value) -> k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, LabelSelectorRequirement};
    let labels = string_map(v.get("matchLabels"));
    let exprs: Vec<LabelSelectorRequirement> = v
        .get("matchExpressions")
        .and_then(|e| e.as_sequence())
        .into_iter()
        .flatten()
        .map(|e| LabelSelectorRequirement {
            key: e.get("key").and_then(|k| k.as_str()).unwrap_or_default().to_string(),
            operator: e.get("operator").and_then(|k| k.as_str()).unwrap_or_default().to_string(),
            values: e
                .get("values")
                .and_then(|vs| vs.as_sequence())
                .map(|vs| vs.iter().filter_map(|x| x.as_str().map(String::from)).collect()),
        })
        .collect();
    LabelSelector {
        match_labels: v.get("matchLabels").map(|_| labels),
        match_expressions: v.get("matchExpressions").map(|_| exprs),
    }
}

/// A float where Kubernetes wants an integer, explained: Helm prints a number from values.yaml as
/// a float64, in exponent form from 1e+06 on (`replicaCount: 2147483647` renders
/// `replicas: 2.147483647e+09`), and the API server's JSON decoder refuses that for an int32.
fn float_for_integer(value: Option<&Value>, inner: &str) -> Option<String> {
    let f = value?.as_f64().filter(|_| value.is_some_and(|v| v.is_f64()))?;
    let wanted = ["i32", "i64", "u32", "u64"].into_iter().find(|t| inner.contains(&format!("expected {t}")))?;
    let go_type = match wanted {
        "i32" => "int32",
        "i64" => "int64",
        "u32" => "uint32",
        _ => "uint64",
    };
    let shown = crate::chart::functions::format_float_g(f);
    let hint = if shown.contains('e') {
        " Helm prints a number from values.yaml as a float, in exponent form from 1e+06 on; convert it in the \
         template, e.g. `{{ .Values.replicaCount | int }}`"
    } else {
        ""
    };
    Some(format!(
        "`{shown}` is not an {go_type}: the API server refuses it (json: cannot unmarshal number {shown} into a field of \
         type {go_type}).{hint}"
    ))
}

fn segments(path: &serde_path_to_error::Path) -> Vec<Segment> {
    path.iter()
        .filter_map(|s| match s {
            serde_path_to_error::Segment::Map { key } => Some(Segment::Key(key.clone())),
            serde_path_to_error::Segment::Seq { index } => Some(Segment::Index(*index)),
            _ => None,
        })
        .collect()
}

fn get_at<'v>(value: &'v Value, path: &[Segment]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, s| match s {
        Segment::Key(k) => v.get(k.as_str()),
        Segment::Index(i) => v.get(*i),
    })
}

fn set_at(value: &mut Value, path: &[Segment], new: Value) {
    let target = path.iter().try_fold(value, |v, s| match s {
        Segment::Key(k) => v.get_mut(k.as_str()),
        Segment::Index(i) => v.get_mut(*i),
    });
    if let Some(slot) = target {
        *slot = new;
    }
}

/// `0755`-style strings: octal integers in YAML 1.1, which the API server's decoder speaks.
fn yaml11_octal(value: &Value, path: &[Segment]) -> Option<i64> {
    let text = get_at(value, path)?.as_str()?;
    let digits = text.strip_prefix('0').filter(|d| !d.is_empty() && d.chars().all(|c| ('0'..='7').contains(&c)))?;
    i64::from_str_radix(digits, 8).ok()
}
