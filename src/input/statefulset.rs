//! StatefulSet documents: old API versions accepted the way the API server converted them, and
//! the checks the API server's validation (pkg/apis/apps/validation) would make, reported at
//! the line of the field, because a dry run in the lab should fail where `kubectl apply` fails.

use k8s_openapi::api::apps::v1::StatefulSet;
use yaml_serde::{Mapping, Value};

use crate::model::StatefulSetInfo;

use super::assemble::Builder;
use super::locate::Segment;
use super::objects::{str_at, Place};

fn key(k: &str) -> Segment {
    Segment::Key(k.into())
}

fn path(keys: &[&str]) -> Vec<Segment> {
    keys.iter().map(|k| key(k)).collect()
}

impl Builder<'_> {
    pub fn add_statefulset(&mut self, place: &Place, mut value: Value) {
        self.upgrade_api_version(place, &mut value);
        self.require_pod_template(place, &value);
        self.default_selector(place, &mut value);
        self.empty_pod_management_policy(place, &value);
        let Some(object) = self.convert::<StatefulSet>(place, value) else {
            return;
        };
        self.validate(place, &object);
        self.release.statefulsets.push(StatefulSetInfo::new(object, place.doc.source.clone(), place.line()));
    }

    /// apps/v1beta1 and apps/v1beta2 were removed in Kubernetes 1.16; their StatefulSet has the
    /// same fields, so the lab reads it as apps/v1 (old tutorials and e2e manifests still use them).
    fn upgrade_api_version(&mut self, place: &Place, value: &mut Value) {
        let api = str_at(value, &["apiVersion"]).unwrap_or("").to_string();
        if api == "apps/v1" {
            return;
        }
        let (line, column) = place.position(&[key("apiVersion")]);
        if api == "apps/v1beta1" || api == "apps/v1beta2" {
            self.warning(
                line,
                column,
                format!("`apiVersion: {api}` was removed in Kubernetes 1.16; read as apps/v1 (write `apps/v1` for a current cluster)"),
            );
        } else {
            self.error(line, column, format!("a StatefulSet is `apiVersion: apps/v1`, not `{api}`; read as apps/v1"));
        }
        if let Some(map) = value.as_mapping_mut() {
            map.insert("apiVersion".into(), "apps/v1".into());
        }
    }

    /// k8s-openapi fills an absent required field with its default, so the API server's "required
    /// value" checks are made here on the document itself.
    fn require_pod_template(&mut self, place: &Place, value: &Value) {
        let Some(spec) = value.get("spec").filter(|s| s.is_mapping()) else {
            return;
        };
        let template = spec.get("template").filter(|t| !t.is_null());
        let containers = template.and_then(|t| t.get("spec")).and_then(|s| s.get("containers"));
        let missing = match (template, containers) {
            (None, _) => "no `spec.template` (the pod template)",
            (Some(_), None) => "a pod template without `spec.containers`",
            (Some(_), Some(Value::Sequence(c))) if c.is_empty() => "a pod template with no containers",
            _ => return,
        };
        self.error(
            last_line(place),
            1,
            format!("this StatefulSet has {missing}: the API server requires it (was the paste cut here?)"),
        );
    }

    /// apps/v1 requires `spec.selector`; apps/v1beta1 defaulted it to the pod template's labels.
    fn default_selector(&mut self, place: &Place, value: &mut Value) {
        let Some(spec) = value.get_mut("spec").and_then(Value::as_mapping_mut) else {
            return;
        };
        if spec.get("selector").is_some_and(|s| !s.is_null()) {
            return;
        }
        let labels = spec.get("template").and_then(|t| t.get("metadata")).and_then(|m| m.get("labels")).cloned();
        let (line, column) = place.position(&[key("spec")]);
        self.warning(
            line,
            column,
            "no `spec.selector`: apps/v1 requires one; the lab uses the pod template's labels, as apps/v1beta1 did",
        );
        let mut selector = Mapping::new();
        selector.insert("matchLabels".into(), labels.unwrap_or(Value::Mapping(Mapping::new())));
        spec.insert("selector".into(), Value::Mapping(selector));
    }

    /// `podManagementPolicy:` with nothing after it is null, which the API server treats as
    /// absent and defaults to OrderedReady (`SetDefaults_StatefulSet`). A chart that meant
    /// `Parallel` rendered nothing there: its template reads a values key that is not set (seen in
    /// student helm logs whose values say Parallel).
    fn empty_pod_management_policy(&mut self, place: &Place, value: &Value) {
        let Some(spec) = value.get("spec").and_then(Value::as_mapping) else {
            return;
        };
        if !spec.get("podManagementPolicy").is_some_and(Value::is_null) {
            return;
        }
        let (line, column) = place.position(&path(&["spec", "podManagementPolicy"]));
        self.warning(
            line,
            column,
            "`podManagementPolicy:` is empty (null), so the API server defaults it to OrderedReady; if the chart meant `Parallel`, its template did not render the value (check the values key it reads)",
        );
    }

    fn validate(&mut self, place: &Place, sts: &StatefulSet) {
        let unnamed = sts.metadata.name.as_deref().unwrap_or("").is_empty();
        if unnamed || sts.spec.is_none() {
            let missing = match (unnamed, sts.spec.is_none()) {
                (true, true) => "no `metadata.name` and no `spec`",
                (true, false) => "no `metadata.name`",
                _ => "no `spec`",
            };
            self.error(last_line(place), 1, format!("this StatefulSet has {missing} (was the paste cut here?)"));
        }
        let Some(spec) = &sts.spec else { return };
        let check = |this: &mut Self, ok: bool, at: &[&str], message: String| {
            if !ok {
                let (line, column) = place.position(&path(at));
                this.error(line, column, message);
            }
        };
        // The API server's own validation, on the object as it would store it (defaulted), with its
        // messages, each at the line of its field: the same functions the engine's writes use.
        let mut defaulted = sts.clone();
        crate::apiserver::defaults::set_object_defaults_stateful_set(&mut defaulted, Default::default());
        // The paste does not know the cluster's gates: Recreate is left to the cluster's API server,
        // which refuses it where StatefulSetRecreateStrategy is off (before 1.37, and by default).
        let opts = crate::apiserver::validation::ValidationOptions { allow_recreate: true, go_syntax_values: false };
        for message in crate::apiserver::validation::validate_stateful_set(&defaulted, None, opts) {
            let field = crate::apiserver::validation::error_field(&message);
            if unnamed && field == "metadata.name" {
                continue; // said above, in the paste's words
            }
            let at: Vec<Segment> = field
                .split('.')
                .flat_map(|part| {
                    let mut segs = Vec::new();
                    let mut rest = part;
                    if let Some((k, tail)) = part.split_once('[') {
                        segs.push(key(k));
                        rest = tail;
                        for idx in rest.split('[') {
                            if let Ok(n) = idx.trim_end_matches(']').parse::<usize>() {
                                segs.push(Segment::Index(n));
                            }
                        }
                    } else {
                        segs.push(key(rest));
                    }
                    segs
                })
                .collect();
            let (line, column) = place.position(&at);
            self.error(line, column, message);
        }
        // Limits of the lab's own (the API server would accept these): said at the field, with why.
        if let Err(message) = crate::apiserver::validation::lab_limits(sts) {
            let at: &[&str] = if spec.replicas.unwrap_or(1) > crate::limits::MAX_REPLICAS {
                &["spec", "replicas"]
            } else {
                &["spec", "ordinals", "start"]
            };
            check(self, false, at, message);
        }
        if spec.service_name.as_deref().unwrap_or("").is_empty() {
            let (line, column) = place.position(&path(&["spec"]));
            self.warning(
                line,
                column,
                "no `spec.serviceName`: the pods get stable names but no per-pod DNS records (no governing Service)",
            );
        }
    }
}

/// The last non-blank line of the object's document: where a cut paste stops.
fn last_line(place: &Place) -> usize {
    let text = &place.doc.chunk.text;
    let offset = text.lines().collect::<Vec<_>>().iter().rposition(|l| !l.trim().is_empty()).unwrap_or(0);
    place.doc.chunk.paste_line(offset + 1)
}

#[cfg(test)]
mod tests {
    /// `SetDefaults_StatefulSet` (pkg/apis/apps/v1/defaults.go) fills an empty policy with
    /// OrderedReady: the warning says so at the key's own line.
    #[test]
    fn an_empty_pod_management_policy_is_flagged_as_null_defaulting_to_ordered_ready() {
        let text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  podManagementPolicy:\n  selector:\n    matchLabels: {app: web}\n  serviceName: web\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n";
        let r = crate::input::parse(text);
        let w: Vec<_> = r.warnings().filter(|w| w.message.contains("podManagementPolicy:` is empty")).collect();
        assert_eq!(w.len(), 1, "{:?}", r.diagnostics);
        assert_eq!((w[0].line, w[0].column), (7, 3));
        assert!(w[0].message.contains("defaults it to OrderedReady"));
        assert_eq!(r.statefulsets[0].object.spec.as_ref().unwrap().pod_management_policy, None);
    }

    #[test]
    fn a_set_or_absent_pod_management_policy_is_not_flagged() {
        let base = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  PMP  selector:\n    matchLabels: {app: web}\n  serviceName: web\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n";
        for pmp in ["", "podManagementPolicy: Parallel\n  "] {
            let r = crate::input::parse(&base.replace("PMP  ", pmp));
            assert!(r.warnings().all(|w| !w.message.contains("podManagementPolicy")), "{:?}", r.diagnostics);
        }
    }
}
