//! The API requests behind kubectl's write commands, as kubectl builds them and the API server
//! takes them: `kubectl scale` (a merge patch of the scale subresource), `kubectl set image`
//! (set_image.go's strategic merge patch), `kubectl rollout restart` (objectrestarter.go),
//! `kubectl rollout undo` (rollback.go, `StatefulSetRollbacker`) and client-side `kubectl apply`
//! (with its `last-applied-configuration` annotation). Each goes through the same write path as
//! `kubectl patch` ([`super::statefulset`]): defaulted, validated, stored; `Ok` is kubectl's stdout.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::Service;

use super::statefulset::{last_applied_configuration, LAST_APPLIED_ANNOTATION};
use super::{patch, validation};
use crate::engine::event::EventKind;
use crate::engine::{ActionError, Cluster, PatchType};

/// The template annotation `kubectl rollout restart` sets.
const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

/// Base of simulated wall-clock time, only for the `restartedAt` annotation text.
const EPOCH_TEXT_BASE: i64 = 1_748_944_800; // 2025-06-03T10:00:00Z

impl Cluster {
    pub(crate) fn not_found(&self) -> ActionError {
        ActionError::NotFound(format!(
            "Error from server (NotFound): statefulsets.apps \"{}\" not found",
            self.set_name
        ))
    }

    /// `kubectl scale`: a merge patch `{"spec":{"replicas":N}}` of the scale subresource
    /// (k8s.io/kubectl/pkg/scale), which the API server turns into an update of the StatefulSet's
    /// `spec.replicas`, validated like any update. kubectl prints `scaled` even when nothing changed.
    pub(crate) fn scale(&mut self, replicas: i32) -> Result<String, ActionError> {
        if self.set.is_none() {
            return Err(self.not_found());
        }
        self.patch_statefulset(PatchType::Merge, &format!("{{\"spec\":{{\"replicas\":{replicas}}}}}"))?;
        Ok(format!("statefulset.apps/{} scaled", self.set_name))
    }

    /// `kubectl set image` (pkg/cmd/set/set_image.go): the two-way strategic merge patch between the
    /// object and the object with the container's image changed, e.g.
    /// `{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"image":"nginx:1.25","name":"nginx"}]}}}}`.
    /// An image that is already set makes the patch `{}`: kubectl sends nothing and prints nothing.
    pub(crate) fn set_image(&mut self, image: &str) -> Result<String, ActionError> {
        let Some(state) = &self.set else {
            return Err(self.not_found());
        };
        let containers =
            state.object.spec.as_ref().and_then(|s| s.template.spec.as_ref()).map(|p| p.containers.clone());
        let Some(first) = containers.as_ref().and_then(|c| c.first()) else {
            return Err(ActionError::Refused("error: unable to find container named \"CONTAINER\"".into()));
        };
        if first.image.as_deref() == Some(image) {
            return Ok(String::new());
        }
        let order: Vec<serde_json::Value> =
            containers.iter().flatten().map(|c| serde_json::json!({"name": c.name})).collect();
        let body = serde_json::json!({"spec": {"template": {"spec": {
            "$setElementOrder/containers": order,
            "containers": [{"image": image, "name": first.name}],
        }}}});
        self.patch_statefulset(PatchType::Strategic, &body.to_string())?;
        Ok(format!("statefulset.apps/{} image updated", self.set_name))
    }

    /// `kubectl rollout restart` (polymorphichelpers/objectrestarter.go): the template annotation
    /// `kubectl.kubernetes.io/restartedAt` set to now, sent as a strategic merge patch. Within the same
    /// second the patch is `{}` and kubectl refuses (rollout_restart.go).
    pub(crate) fn restart(&mut self) -> Result<String, ActionError> {
        let Some(state) = &self.set else {
            return Err(self.not_found());
        };
        let name = self.set_name.clone();
        let at = rfc3339(EPOCH_TEXT_BASE + (self.now.0 / 1000) as i64);
        let current = state
            .object
            .spec
            .as_ref()
            .and_then(|s| s.template.metadata.as_ref())
            .and_then(|m| m.annotations.as_ref())
            .and_then(|a| a.get(RESTARTED_AT))
            .cloned();
        if current.as_deref() == Some(at.as_str()) {
            return Err(ActionError::Refused(format!(
                "error: failed to create patch for {name}: if restart has already been triggered within the past second, \
                 please wait before attempting to trigger another"
            )));
        }
        let body = serde_json::json!({"spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: at}}}}});
        self.patch_statefulset(PatchType::Strategic, &body.to_string())?;
        Ok(format!("statefulset.apps/{name} restarted"))
    }

    pub(crate) fn reject(&mut self, message: String) -> ActionError {
        let name = self.set_name.clone();
        self.log(
            EventKind::Rejected,
            name,
            None,
            "7",
            format!("The API server rejects the change, nothing happens: {message}{}", self.version_note(&message)),
        );
        ActionError::Rejected(message)
    }

    /// What the release has to do with a rejection, for the narration (kubectl prints the API
    /// server's message alone): a Recreate strategy is refused wherever its gate is off.
    pub(crate) fn version_note(&self, message: &str) -> String {
        if !message.contains("{\"Type\":\"Recreate\"") {
            return String::new();
        }
        if crate::engine::FeatureGates::has_recreate_strategy(self.version) {
            format!(
                " (on {}, updateStrategy Recreate needs the alpha feature gate StatefulSetRecreateStrategy, which is off)",
                self.version
            )
        } else {
            format!(
                " ({} has no Recreate strategy: it comes in 1.37, behind the StatefulSetRecreateStrategy gate)",
                self.version
            )
        }
    }

    /// `kubectl apply -f` (client-side, pkg/cmd/apply): the manifest gets the
    /// `last-applied-configuration` annotation; a new object is created with it, an existing one is
    /// sent the three-way strategic merge patch between the last applied manifest, this one and the
    /// live object ([`super::patch::create_three_way_merge_patch`]): fields dropped from the manifest
    /// since the last apply are removed, fields set by others (`kubectl scale`, defaults) are kept.
    /// `unchanged` when that patch is `{}`, else `configured`, even when the patched object ends up
    /// the same (an atomic list such as `volumeClaimTemplates` differs from its defaulted live copy,
    /// so a set with claim templates is `configured` every time: kubernetes/kubernetes #66450).
    pub(crate) fn apply_manifest(
        &mut self,
        manifest: StatefulSet,
        services: Vec<Service>,
    ) -> Result<String, ActionError> {
        let name = manifest.metadata.name.clone().unwrap_or_default();
        let old = self.set.as_ref().filter(|s| s.spec.name == name).map(|s| s.object.clone());
        let leftovers = !self.pods.is_empty() || !self.claims.is_empty();
        if (self.set.is_some() || leftovers) && name != self.set_name {
            return Err(ActionError::Refused(format!(
                "this simulation holds one StatefulSet ({}); {name} is a different one",
                self.set_name
            )));
        }
        let mut modified = manifest.clone();
        modified
            .metadata
            .annotations
            .get_or_insert_with(BTreeMap::new)
            .insert(LAST_APPLIED_ANNOTATION.into(), last_applied_configuration(&manifest));
        let Some(old) = old else {
            let new = match self.admit_statefulset(modified, None) {
                Ok(n) => n,
                Err(message) => return Err(self.reject(message)),
            };
            validation::lab_limits(&new).map_err(ActionError::Refused)?;
            self.add_services(services);
            self.install_set(new);
            return Ok(format!("statefulset.apps/{name} created"));
        };
        let original = old
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(LAST_APPLIED_ANNOTATION))
            .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
            .unwrap_or_else(|| serde_json::json!({}));
        let modified = crate::apiserver::codec::to_value(&modified).unwrap_or_default();
        let current = crate::apiserver::codec::to_value(&old).unwrap_or_default();
        let patch = patch::create_three_way_merge_patch(&original, &modified, &current)
            .map_err(|e| ActionError::Refused(format!("error: {e}")))?;
        if patch.as_object().is_some_and(|p| p.is_empty()) {
            self.add_services(services);
            return Ok(format!("statefulset.apps/{name} unchanged"));
        }
        self.patch_statefulset(PatchType::Strategic, &patch.to_string())?;
        self.add_services(services);
        Ok(format!("statefulset.apps/{name} configured"))
    }

    /// helm's kube client `Update` for the StatefulSet (helm v3 pkg/kube/client.go `updateResource`,
    /// `createPatch`): created when absent; else sent the three-way strategic merge patch between
    /// the previous revision's manifest (`original`), the new one and the live object, and not
    /// sent at all when that patch is `{}`. Unlike `kubectl apply`, no annotation records what was
    /// sent: the release itself is the record.
    pub(crate) fn helm_update(
        &mut self,
        original: Option<StatefulSet>,
        target: StatefulSet,
    ) -> Result<(), ActionError> {
        let name = target.metadata.name.clone().unwrap_or_default();
        let leftovers = !self.pods.is_empty() || !self.claims.is_empty();
        if (self.set.is_some() || leftovers) && name != self.set_name {
            return Err(ActionError::Refused(format!(
                "this simulation holds one StatefulSet ({}); {name} is a different one",
                self.set_name
            )));
        }
        let Some(live) = self.set.as_ref().map(|s| s.object.clone()) else {
            let new = match self.admit_statefulset(target, None) {
                Ok(n) => n,
                Err(message) => return Err(self.reject(message)),
            };
            validation::lab_limits(&new).map_err(ActionError::Refused)?;
            self.install_set(new);
            return Ok(());
        };
        let original =
            original.and_then(|o| crate::apiserver::codec::to_value(&o).ok()).unwrap_or_else(|| serde_json::json!({}));
        let modified = crate::apiserver::codec::to_value(&target).unwrap_or_default();
        let current = crate::apiserver::codec::to_value(&live).unwrap_or_default();
        let patch = patch::create_three_way_merge_patch(&original, &modified, &current)
            .map_err(|e| ActionError::Refused(format!("failed to create patch: {e}")))?;
        if patch.as_object().is_some_and(|p| p.is_empty()) {
            return Ok(());
        }
        self.patch_statefulset(PatchType::Strategic, &patch.to_string())?;
        Ok(())
    }

    fn add_services(&mut self, services: Vec<Service>) {
        for svc in services {
            self.add_service(svc);
        }
    }

    /// `kubectl rollout undo` (polymorphichelpers/rollback.go, `StatefulSetRollbacker`): the
    /// ControllerRevision's data, `{"spec":{"template":{...,"$patch":"replace"}}}`, sent as a strategic
    /// merge patch; skipped when the template already matches (the message names the revision asked
    /// for, 0 when none was).
    pub(crate) fn rollback(&mut self, to_revision: Option<i64>) -> Result<String, ActionError> {
        let Some(state) = &self.set else {
            return Err(self.not_found());
        };
        let name = self.set_name.clone();
        let to = to_revision.unwrap_or(0);
        if to < 0 {
            return Err(ActionError::Refused(format!("error: unable to find specified revision {to} in history")));
        }
        let mut history: Vec<_> = self.revisions.iter().collect();
        crate::sorting::sort_by_key(&mut history, |r| r.revision);
        if to == 0 && history.len() <= 1 {
            return Err(ActionError::Refused("error: no last revision to roll back to".into()));
        }
        let target = if to == 0 {
            history[history.len() - 2]
        } else {
            match history.iter().find(|r| r.revision == to) {
                Some(r) => *r,
                None => {
                    return Err(ActionError::Refused(format!(
                        "error: unable to find specified revision {to} in history"
                    )))
                }
            }
        };
        if *target.template_json == *state.template_json {
            return Ok(format!(
                "statefulset.apps/{name} skipped rollback (current template already matches revision {to})"
            ));
        }
        let mut template = crate::apiserver::codec::to_value(&*target.template).unwrap_or_default();
        if let Some(t) = template.as_object_mut() {
            t.insert("$patch".into(), "replace".into());
        }
        let body = serde_json::json!({"spec": {"template": template}});
        self.patch_statefulset(PatchType::Strategic, &body.to_string())
            .map_err(|e| ActionError::Rejected(format!("error: failed restoring revision {to}: {e}")))?;
        Ok(format!("statefulset.apps/{name} rolled back"))
    }
}

/// `2025-06-03T10:00:00Z` from Unix seconds.
fn rfc3339(secs: i64) -> String {
    crate::civil::Civil::from_unix(secs).rfc3339()
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc3339_of_the_base() {
        assert_eq!(super::rfc3339(super::EPOCH_TEXT_BASE), "2025-06-03T10:00:00Z");
    }
}
