//! Issue #11: the API server's part of every write — defaulting (`SetObjectDefaults_StatefulSet`),
//! patches as kubectl sends them (`strategicpatch.StrategicMergePatch`, RFC 7386, RFC 6902) and
//! validation of the result as an update (`ValidateStatefulSetUpdate`, spec §7).

use sts_lab::engine::{Action, ActionError, Cluster, FeatureGates, PatchType, Settled, UpdateStrategy};

const WEB: &str = include_str!("scenarios/inputs/web.yaml");
const SPELLED_OUT: &str = include_str!("scenarios/inputs/web-defaults-spelled-out.yaml");

fn settled_web() -> Cluster {
    let release = sts_lab::input::parse(WEB);
    let mut c = Cluster::from_release(&release, Some("web"), 1, FeatureGates::default()).expect("a set");
    assert_eq!(c.settle(), Settled::Done);
    c
}

fn apply(c: &mut Cluster, yaml: &str) -> Result<String, ActionError> {
    let release = sts_lab::input::parse(yaml);
    let set = release.statefulsets[0].object.clone();
    c.apply(Action::Apply { statefulset: Box::new(set), services: vec![] })
}

fn patch(c: &mut Cluster, patch_type: PatchType, body: &str) -> Result<String, ActionError> {
    c.apply(Action::Patch { patch_type, patch: body.to_string() })
}

fn revision_names(c: &Cluster) -> Vec<String> {
    c.revisions().iter().map(|r| r.name.clone()).collect()
}

fn pod_uids(c: &Cluster) -> Vec<u64> {
    c.pods().map(|p| p.uid).collect()
}

#[test]
fn set_defaults_the_stored_template_is_defaulted_7() {
    let c = settled_web();
    let set = c.statefulset_object().unwrap();
    let spec = set.spec.unwrap();
    let pod = spec.template.spec.unwrap();
    let container = &pod.containers[0];
    // SetDefaults_Container, SetDefaults_PodSpec, SetDefaults_Probe, the ContainerPort +default.
    assert_eq!(container.image_pull_policy.as_deref(), Some("IfNotPresent"));
    assert_eq!(container.termination_message_path.as_deref(), Some("/dev/termination-log"));
    assert_eq!(container.ports.as_ref().unwrap()[0].protocol.as_deref(), Some("TCP"));
    assert_eq!(container.readiness_probe.as_ref().unwrap().timeout_seconds, Some(1));
    assert_eq!(pod.restart_policy.as_deref(), Some("Always"));
    assert_eq!(pod.scheduler_name.as_deref(), Some("default-scheduler"));
    assert_eq!(pod.termination_grace_period_seconds, Some(10), "a value given is kept");
    // SetDefaults_StatefulSet.
    let ru = spec.update_strategy.unwrap().rolling_update.unwrap();
    assert_eq!(ru.partition, Some(0));
    assert_eq!(spec.pod_management_policy.as_deref(), Some("OrderedReady"));
    assert_eq!(
        spec.volume_claim_templates.unwrap()[0].spec.as_ref().unwrap().volume_mode.as_deref(),
        Some("Filesystem")
    );
}

#[test]
fn set_defaults_reapplying_spelled_out_defaults_makes_no_revision_and_rolls_no_pod() {
    let mut c = settled_web();
    let (revisions, pods) = (revision_names(&c), pod_uids(&c));
    // Client-side apply sends the three-way patch. web.yaml has volumeClaimTemplates, an atomic list
    // whose live copy is defaulted (volumeMode, status.phase): the patch is never `{}`, so kubectl
    // says `configured` every time although nothing changes (kubernetes/kubernetes #66450).
    assert_eq!(apply(&mut c, WEB).unwrap(), "statefulset.apps/web configured");
    assert_eq!(apply(&mut c, WEB).unwrap(), "statefulset.apps/web configured");
    assert_eq!(apply(&mut c, SPELLED_OUT).unwrap(), "statefulset.apps/web configured");
    assert_eq!(apply(&mut c, SPELLED_OUT).unwrap(), "statefulset.apps/web configured");
    assert_eq!(c.settle(), Settled::Done);
    assert_eq!(revision_names(&c), revisions, "no new ControllerRevision");
    assert_eq!(pod_uids(&c), pods, "no pod replaced");
    assert_eq!(c.statefulset().unwrap().generation, 1, "metadata.generation: the spec never changed");
    let annotations = c.statefulset_object().unwrap().metadata.annotations.unwrap();
    let last = &annotations["kubectl.kubernetes.io/last-applied-configuration"];
    assert!(last.contains("\"imagePullPolicy\":\"IfNotPresent\"") && last.ends_with("}\n"), "{last}");
}

#[test]
fn create_three_way_merge_patch_unchanged_without_claim_templates() {
    // Without an atomic list to differ, the same manifest again is `unchanged`, and so is the one
    // spelling out defaults once its annotation is stored.
    let claimless = |yaml: &str| {
        let cut = yaml.find("  volumeClaimTemplates:").unwrap();
        yaml[..cut]
            .replace("        volumeMounts:\n        - name: www\n          mountPath: /usr/share/nginx/html\n", "")
    };
    let release = sts_lab::input::parse(&claimless(WEB));
    let mut c = Cluster::from_release(&release, Some("web"), 1, FeatureGates::default()).expect("a set");
    assert_eq!(c.settle(), Settled::Done);
    let revisions = revision_names(&c);
    assert_eq!(apply(&mut c, &claimless(WEB)).unwrap(), "statefulset.apps/web configured", "annotation added");
    assert_eq!(apply(&mut c, &claimless(WEB)).unwrap(), "statefulset.apps/web unchanged");
    assert_eq!(apply(&mut c, &claimless(SPELLED_OUT)).unwrap(), "statefulset.apps/web configured");
    assert_eq!(apply(&mut c, &claimless(SPELLED_OUT)).unwrap(), "statefulset.apps/web unchanged");
    assert_eq!(c.settle(), Settled::Done);
    assert_eq!(revision_names(&c), revisions);
}

#[test]
fn create_three_way_merge_patch_keeps_a_scale_and_removes_a_dropped_field() {
    let mut c = settled_web();
    let with_min_ready = WEB.replace("  replicas: 3\n", "  minReadySeconds: 5\n");
    assert_eq!(apply(&mut c, &with_min_ready).unwrap(), "statefulset.apps/web configured");
    assert_eq!(c.statefulset().unwrap().spec.min_ready_seconds, 5);
    // Someone scales; the manifest has no replicas: apply keeps 5 (fields set by others stay).
    assert_eq!(c.apply(Action::Scale(5)).unwrap(), "statefulset.apps/web scaled");
    let without = WEB.replace("  replicas: 3\n", "");
    assert_eq!(apply(&mut c, &without).unwrap(), "statefulset.apps/web configured");
    let spec = &c.statefulset().unwrap().spec;
    assert_eq!(spec.replicas, 5, "kept: never in the applied manifest");
    assert_eq!(spec.min_ready_seconds, 0, "removed: in the last applied manifest, not in this one");
}

#[test]
fn on_1_33_the_same_rejection_prints_the_value_with_go_syntax() {
    // apimachinery v0.33 `field.Error.ErrorBody`: `%#v` of the dereferenced value (json.Marshal
    // arrived in v0.34, "Nicer value rendering in API errors").
    let release = sts_lab::input::parse(WEB);
    let v133 = sts_lab::engine::KubeVersion::new(33, 0);
    let mut c =
        Cluster::from_release_on(&release, Some("web"), 1, v133, FeatureGates::for_version(v133), true).unwrap();
    assert_eq!(c.settle(), Settled::Done);
    let err = patch(&mut c, PatchType::Strategic, r#"{"spec":{"updateStrategy":{"type":"OnDelete"}}}"#).unwrap_err();
    assert_eq!(
        err,
        ActionError::Rejected(
            "The StatefulSet \"web\" is invalid: spec.updateStrategy.rollingUpdate: Invalid value: \
             apps.RollingUpdateStatefulSetStrategy{Partition:0, MaxUnavailable:(*intstr.IntOrString)(nil)}: \
             only allowed for updateStrategy 'RollingUpdate'"
                .into()
        )
    );
}

#[test]
fn strategic_merge_patch_keeps_the_defaulted_rolling_update_so_on_delete_alone_is_invalid() {
    // ValidateStatefulSetSpec: rollingUpdate with OnDelete; field.Invalid renders the internal
    // RollingUpdateStatefulSetStrategy with json.Marshal (no json tags: Go field names).
    let mut c = settled_web();
    let err = patch(&mut c, PatchType::Strategic, r#"{"spec":{"updateStrategy":{"type":"OnDelete"}}}"#).unwrap_err();
    assert_eq!(
        err,
        ActionError::Rejected(
            "The StatefulSet \"web\" is invalid: spec.updateStrategy.rollingUpdate: Invalid value: \
             {\"Partition\":0,\"MaxUnavailable\":null}: only allowed for updateStrategy 'RollingUpdate'"
                .into()
        )
    );
    assert_eq!(c.statefulset().unwrap().spec.strategy, UpdateStrategy::RollingUpdate, "nothing stored");
    let body = r#"{"spec":{"updateStrategy":{"type":"OnDelete","rollingUpdate":null}}}"#;
    assert_eq!(patch(&mut c, PatchType::Strategic, body).unwrap(), "statefulset.apps/web patched");
    assert_eq!(c.statefulset().unwrap().spec.strategy, UpdateStrategy::OnDelete);
    assert_eq!(c.statefulset().unwrap().generation, 2, "a spec change bumps metadata.generation");
    assert_eq!(patch(&mut c, PatchType::Strategic, body).unwrap(), "statefulset.apps/web patched (no change)");
}

#[test]
fn the_strategy_action_shows_and_sends_the_same_accepted_body() {
    let mut c = settled_web();
    let action = Action::Strategy(UpdateStrategy::OnDelete);
    assert_eq!(
        c.command_for(&action),
        r#"kubectl patch statefulset web -p '{"spec":{"updateStrategy":{"type":"OnDelete","rollingUpdate":null}}}'"#
    );
    assert_eq!(c.apply(action).unwrap(), "statefulset.apps/web patched");
    let action = Action::Strategy(UpdateStrategy::RollingUpdate);
    let (t, body) = action.patch_body().unwrap();
    assert_eq!(c.command_for(&action), format!("kubectl patch statefulset web -p '{body}'"));
    assert_eq!(t, PatchType::Strategic);
    assert_eq!(c.apply(action).unwrap(), "statefulset.apps/web patched");
    assert!(c.statefulset().unwrap().spec.rolling_update_present);
}

#[test]
fn strategic_merge_patch_merges_containers_by_name_merge_patch_replaces_the_list() {
    let mut c = settled_web();
    // Strategic: only the image changes, ports, probe and mounts stay (patchMergeKey=name).
    let smp =
        r#"{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"registry.k8s.io/nginx-slim:0.8"}]}}}}"#;
    assert_eq!(patch(&mut c, PatchType::Strategic, smp).unwrap(), "statefulset.apps/web patched");
    let pod = c.statefulset_object().unwrap().spec.unwrap().template.spec.unwrap();
    assert_eq!(pod.containers[0].image.as_deref(), Some("registry.k8s.io/nginx-slim:0.8"));
    assert!(pod.containers[0].readiness_probe.is_some() && pod.containers[0].volume_mounts.is_some());
    // JSON merge patch (RFC 7386): the list is replaced whole; defaulting fills the new container.
    let merge =
        r#"{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"registry.k8s.io/nginx-slim:0.9"}]}}}}"#;
    assert_eq!(patch(&mut c, PatchType::Merge, merge).unwrap(), "statefulset.apps/web patched");
    let pod = c.statefulset_object().unwrap().spec.unwrap().template.spec.unwrap();
    assert!(pod.containers[0].readiness_probe.is_none() && pod.containers[0].volume_mounts.is_none());
    assert_eq!(pod.containers[0].image_pull_policy.as_deref(), Some("IfNotPresent"));
    // JSON patch (RFC 6902).
    let json = r#"[{"op":"replace","path":"/spec/replicas","value":5}]"#;
    assert_eq!(patch(&mut c, PatchType::Json, json).unwrap(), "statefulset.apps/web patched");
    assert_eq!(c.statefulset().unwrap().spec.replicas, 5);
}

#[test]
fn validate_stateful_set_update_rejects_immutable_fields_in_a_patch() {
    let mut c = settled_web();
    let err = patch(&mut c, PatchType::Merge, r#"{"spec":{"podManagementPolicy":"Parallel"}}"#).unwrap_err();
    assert_eq!(
        err,
        ActionError::Rejected(format!(
            "The StatefulSet \"web\" is invalid: {}",
            sts_lab::apiserver::validation::FORBIDDEN_UPDATE
        ))
    );
}

#[test]
fn a_patch_kubectl_cannot_parse_or_the_server_cannot_apply() {
    let mut c = settled_web();
    let err = patch(&mut c, PatchType::Strategic, "{\"spec\":").unwrap_err();
    assert!(
        matches!(&err, ActionError::Refused(m) if m.starts_with("error: unable to parse \"{\\\"spec\\\":\": yaml: ")),
        "{err:?}"
    );
    let err = patch(&mut c, PatchType::Strategic, r#"{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}"#)
        .unwrap_err();
    assert_eq!(
        err,
        ActionError::Rejected(
            "Error from server (BadRequest): map: map[image:x] does not contain declared merge key: name".into()
        )
    );
}

#[test]
fn set_image_restart_and_undo_are_the_patches_kubectl_sends() {
    let mut c = settled_web();
    assert_eq!(
        c.apply(Action::Image("registry.k8s.io/nginx-slim:0.8".into())).unwrap(),
        "statefulset.apps/web image updated"
    );
    // set_image.go: the same image makes the patch `{}`; kubectl sends nothing and prints nothing.
    assert_eq!(c.apply(Action::Image("registry.k8s.io/nginx-slim:0.8".into())).unwrap(), "");
    assert_eq!(c.settle(), Settled::Done);
    assert_eq!(c.revisions().len(), 2);
    // StatefulSetRollbacker: the revision's data patched back; the same again is skipped.
    assert_eq!(c.apply(Action::Rollback { to_revision: None }).unwrap(), "statefulset.apps/web rolled back");
    assert_eq!(c.settle(), Settled::Done);
    assert_eq!(
        c.apply(Action::Rollback { to_revision: Some(3) }).unwrap(),
        "statefulset.apps/web skipped rollback (current template already matches revision 3)"
    );
    // objectrestarter.go: twice in the same second is refused by kubectl.
    assert_eq!(c.apply(Action::Restart).unwrap(), "statefulset.apps/web restarted");
    assert!(matches!(c.apply(Action::Restart), Err(ActionError::Refused(m)) if m.contains("within the past second")));
}

#[test]
fn validate_stateful_set_the_paste_and_the_api_say_the_same_at_the_fields_line() {
    // One validation (apiserver/validation.rs): the paste reports the API server's own message,
    // at the line of the field; a patch to the same value gets the same words from the API.
    let text = WEB.replace("  replicas: 3\n", "  replicas: 3\n  podManagementPolicy: parallel\n");
    let release = sts_lab::input::parse(&text);
    let want = "spec.podManagementPolicy: Invalid value: \"parallel\": must be 'OrderedReady' or 'Parallel'";
    let e = release.errors().find(|d| d.message.contains("podManagementPolicy")).expect("an error");
    assert_eq!(e.message, want);
    let line = text.lines().position(|l| l.contains("podManagementPolicy: parallel")).unwrap() + 1;
    assert_eq!((e.line, e.column), (line, 3));

    let mut c = settled_web();
    let err =
        patch(&mut c, PatchType::Merge, r#"{"spec":{"persistentVolumeClaimRetentionPolicy":{"whenScaled":"delete"}}}"#)
            .unwrap_err();
    let text = WEB
        .replace("  replicas: 3\n", "  replicas: 3\n  persistentVolumeClaimRetentionPolicy:\n    whenScaled: delete\n");
    let pasted = sts_lab::input::parse(&text);
    let e = pasted.errors().find(|d| d.message.contains("whenScaled")).expect("an error");
    assert_eq!(err, ActionError::Rejected(format!("The StatefulSet \"web\" is invalid: {}", e.message)));
    assert_eq!(
        e.message,
        "spec.persistentVolumeClaimRetentionPolicy.whenScaled: Unsupported value: \"delete\": supported values: \"Retain\", \"Delete\""
    );
}

/// Spec §7: podManagementPolicy is immutable, so a user re-creates the set: `kubectl delete
/// statefulset web --cascade=orphan`, then `kubectl apply -f` with the other policy. The new set
/// adopts the running pods (same pods, same UIDs, nothing restarted) and is now Parallel.
#[test]
fn validate_statefulset_update_immutable_policy_is_changed_by_recreating_the_set_7() {
    let mut c = settled_web();
    let before = pod_uids(&c);
    let err = c.apply(Action::PodManagementPolicy(sts_lab::engine::PodManagementPolicy::Parallel)).unwrap_err();
    assert!(err.to_string().contains("spec: Forbidden: updates to statefulset spec"), "{err}");
    // kubectl 1.34+ (the lab's default 1.37): delete.go PrintObj names the namespace.
    assert_eq!(c.apply(Action::OrphanStatefulSet).unwrap(), "statefulset.apps \"web\" deleted from default namespace");
    let parallel = WEB.replace("  serviceName: \"nginx\"", "  serviceName: \"nginx\"\n  podManagementPolicy: Parallel");
    assert_ne!(parallel, WEB, "the fixture names its service as expected");
    assert_eq!(apply(&mut c, &parallel).unwrap(), "statefulset.apps/web created");
    assert_eq!(c.settle(), Settled::Done);
    assert_eq!(c.statefulset().unwrap().spec.policy.as_str(), "Parallel");
    assert_eq!(pod_uids(&c), before, "the orphaned pods are adopted, not replaced");
    assert!(c.pods().all(|p| p.owned));
}
