//! Kubernetes Events as the simulated cluster records them (`Cluster::recorded`, issue #11 item 3).
//! Every expected string is the Go format string of the component that records it, filled in; each
//! test names its source function.

use sts_lab::engine::{Action, Cluster, EventType, FeatureGates, Recorded, Settled, SimDuration};

const WEB: &str = include_str!("scenarios/inputs/web.yaml");

fn build(yaml: &str) -> Cluster {
    let release = sts_lab::input::parse(yaml);
    Cluster::from_release(&release, Some("web"), 1, FeatureGates::default()).expect("a set")
}

fn settled(replicas: i32) -> Cluster {
    let mut c = build(&WEB.replace("  replicas: 3\n", &format!("  replicas: {replicas}\n")));
    assert_eq!(c.settle(), Settled::Done);
    c
}

/// `source reason kind/name message`, one line per event.
fn line(e: &Recorded) -> String {
    format!("{} {} {}/{} {}", e.source, e.reason, e.kind, e.name, e.message)
}

fn lines(c: &Cluster, from: usize) -> Vec<String> {
    c.recorded()[from..].iter().map(line).collect()
}

fn find<'a>(c: &'a Cluster, reason: &str, name: &str) -> Vec<&'a Recorded> {
    c.recorded().iter().filter(|e| e.reason == reason && e.name == name).collect()
}

/// stateful_pod_control.go `createPersistentVolumeClaims` → `recordClaimEvent` ("%s Claim %s Pod %s in
/// StatefulSet %s success") before `CreateStatefulPod` → `recordPodEvent` ("%s Pod %s in StatefulSet %s
/// successful"); pv_controller.go `provisionClaimOperationExternal` (ExternalProvisioning) and
/// sig-storage-lib-external-provisioner `provisionClaimOperation` (Provisioning, ProvisioningSucceeded);
/// schedule_one.go `bindingCycle` ("Successfully assigned %v/%v to %v"); image_manager.go `pullImage`
/// ("Pulling image %q", "Successfully pulled image %q in %v (%v including waiting). Image size: %v
/// bytes.") and `EnsureImageExists` ("Container image %q already present on machine and can be accessed
/// by the pod"); kuberuntime_container.go `startContainer` ("Container created", "Container started").
#[test]
fn ordered_ready_create_records_claim_then_pod_then_scheduling_and_the_kubelet_for_each_ordinal() {
    let c = settled(3);
    let mut want = Vec::new();
    for o in 0..3 {
        want.push(format!(
            "statefulset-controller SuccessfulCreate StatefulSet/web create Claim www-web-{o} Pod web-{o} in StatefulSet web success"
        ));
        want.push(format!(
            "persistentvolume-controller ExternalProvisioning PersistentVolumeClaim/www-web-{o} Waiting for a volume to be \
             created either by the external provisioner 'k8s.io/minikube-hostpath' or manually by the system \
             administrator. If volume creation is delayed, please verify that the provisioner is running and correctly \
             registered."
        ));
        want.push(format!(
            "k8s.io/minikube-hostpath_minikube Provisioning PersistentVolumeClaim/www-web-{o} External provisioner is \
             provisioning volume for claim \"default/www-web-{o}\""
        ));
        want.push(format!(
            "statefulset-controller SuccessfulCreate StatefulSet/web create Pod web-{o} in StatefulSet web successful"
        ));
        let volume = c.claim(&format!("www-web-{o}")).unwrap().volume.clone().unwrap();
        want.push(format!(
            "k8s.io/minikube-hostpath_minikube ProvisioningSucceeded PersistentVolumeClaim/www-web-{o} Successfully \
             provisioned volume {volume}"
        ));
        // The scheduler spreads the set over the three nodes (fewest pods, then name; engine/node.rs).
        let node = ["minikube", "minikube-m02", "minikube-m03"][o];
        want.push(format!("default-scheduler Scheduled Pod/web-{o} Successfully assigned default/web-{o} to {node}"));
        let image = "registry.k8s.io/nginx-slim:0.7";
        // Each pod lands on a node that has not pulled the image yet (imagePullPolicy defaults to
        // IfNotPresent for a tag; images are per node).
        want.push(format!("kubelet Pulling Pod/web-{o} Pulling image \"{image}\""));
        want.push(format!(
            "kubelet Pulled Pod/web-{o} Successfully pulled image \"{image}\" in 2s (2s including waiting). Image \
             size: 72000000 bytes."
        ));
        want.push(format!("kubelet Created Pod/web-{o} Container created"));
        want.push(format!("kubelet Started Pod/web-{o} Container started"));
    }
    assert_eq!(lines(&c, 0), want);
    let e = &c.recorded()[0];
    assert_eq!((e.type_, e.count, e.field_path.as_deref()), (EventType::Normal, 1, None));
    // Container events name the container in involvedObject.fieldPath.
    let started = find(&c, "Started", "web-1");
    assert_eq!(started[0].field_path.as_deref(), Some("spec.containers{nginx}"));
    // Ordered by first time, as `kubectl get events` sorts them.
    assert!(c.recorded().windows(2).all(|w| w[0].first <= w[1].first));
}

/// stateful_set_control.go `processCondemned` → `DeleteStatefulPod` → `recordPodEvent("delete", ...)`;
/// kuberuntime_container.go `killContainer` ("Stopping container %s").
#[test]
fn scale_down_records_successful_delete_then_killing() {
    let mut c = settled(3);
    let from = c.recorded().len();
    c.apply(Action::Scale(1)).unwrap();
    c.settle();
    assert_eq!(
        lines(&c, from),
        [
            "statefulset-controller SuccessfulDelete StatefulSet/web delete Pod web-2 in StatefulSet web successful",
            "kubelet Killing Pod/web-2 Stopping container nginx",
            "statefulset-controller SuccessfulDelete StatefulSet/web delete Pod web-1 in StatefulSet web successful",
            "kubelet Killing Pod/web-1 Stopping container nginx",
        ]
    );
    let killing = find(&c, "Killing", "web-2")[0];
    assert_eq!(killing.field_path.as_deref(), Some("spec.containers{nginx}"));
    // web-1 is deleted only once web-2 is gone (grace: SIGTERM exit, then removal).
    assert!(find(&c, "Killing", "web-1")[0].first > killing.first);
}

/// kuberuntime_manager.go `doBackOff`: Warning BackOff "Back-off restarting failed container %s in pod
/// %v" (format.Pod: name_namespace(uid)); identical events are one Event whose count grows
/// (events_cache.go `eventObserve`).
#[test]
fn a_crash_loop_aggregates_back_off_with_a_growing_count() {
    let mut c = settled(3);
    c.apply(Action::BreakImage).unwrap();
    c.apply(Action::Image("registry.k8s.io/nginx-slim:0.8".into())).unwrap();
    c.settle();
    c.advance(SimDuration::from_secs(60));
    let uid = sts_lab::engine::objects::uid_text(1, c.pod(2).unwrap().uid);
    let message = format!("Back-off restarting failed container nginx in pod web-2_default({uid})");
    let backoff = |c: &Cluster| {
        let list: Vec<Recorded> = find(c, "BackOff", "web-2").into_iter().cloned().collect();
        assert_eq!(list.len(), 1, "one Event, counted");
        list[0].clone()
    };
    let first = backoff(&c);
    assert_eq!(first.type_, EventType::Warning);
    assert_eq!(first.source, "kubelet");
    assert_eq!(first.message, message);
    assert_eq!(first.field_path.as_deref(), Some("spec.containers{nginx}"));
    assert!(first.count >= 2, "{first:?}");
    c.advance(SimDuration::from_secs(600));
    let later = backoff(&c);
    assert!(later.count > first.count, "{} then {}", first.count, later.count);
    assert_eq!(later.first, first.first);
    assert!(later.last > first.last);
    // Each restart creates and starts the container again: counted too.
    assert!(find(&c, "Started", "web-2").iter().any(|e| e.count >= 2));
    // One BackOff per crash, but the spam filter (`EventSourceObjectSpamFilter`: 25 events per source
    // and object, then one per 5 minutes) holds back writes of the kubelet about web-2, so the stored
    // count may lag the crashes (RESTARTS).
    let restarts = c.pod_views().into_iter().find(|v| v.name == "web-2").unwrap().restarts;
    assert!(later.count <= restarts && later.count + 2 >= restarts, "{} vs {restarts}", later.count);
}

/// prober.go `runProbe`: Warning Unhealthy "%s probe failed: %s" with pkg/probe/http's "HTTP probe failed
/// with statuscode: %d", every periodSeconds while the probe fails.
#[test]
fn a_failing_readiness_probe_records_unhealthy_as_a_warning() {
    let mut c = settled(3);
    c.apply(Action::BreakReadiness(1)).unwrap();
    c.advance(SimDuration::from_secs(30));
    let list = find(&c, "Unhealthy", "web-1");
    assert_eq!(list.len(), 1);
    let e = list[0];
    assert_eq!(e.type_, EventType::Warning);
    assert_eq!(e.source, "kubelet");
    assert_eq!(e.message, "Readiness probe failed: HTTP probe failed with statuscode: 503");
    assert_eq!(e.field_path.as_deref(), Some("spec.containers{nginx}"));
    // periodSeconds 5: six failures in 30 s.
    assert_eq!(e.count, 6);
    assert_eq!(e.last.since(e.first), SimDuration::from_secs(25));
    c.apply(Action::FixReadiness(1)).unwrap();
    c.advance(SimDuration::from_secs(60));
    assert_eq!(find(&c, "Unhealthy", "web-1")[0].count, 6, "no failures once the probe passes");
}

/// events_cache.go `EventAggregate`: from the 10th different message with the same source, object,
/// type and reason within 10 minutes, the message is "(combined from similar events): " + message and
/// one Event counts them.
#[test]
fn similar_events_are_combined_after_ten_messages() {
    let c = settled(6);
    let combined: Vec<&Recorded> =
        c.recorded().iter().filter(|e| e.message.starts_with("(combined from similar events): ")).collect();
    assert_eq!(combined.len(), 1, "{:#?}", lines(&c, 0));
    let e = combined[0];
    assert_eq!((e.source, e.reason, e.name.as_str()), ("statefulset-controller", "SuccessfulCreate", "web"));
    // 12 creates (6 claims, 6 pods): 9 Events as they are, the 10th to 12th combined into one.
    assert_eq!(e.count, 3);
    assert_eq!(e.message, "(combined from similar events): create Pod web-5 in StatefulSet web successful");
    assert_eq!(find(&c, "SuccessfulCreate", "web").len(), 10);
}

/// kube-apiserver `--event-ttl` (1h): an Event goes an hour after its last write.
#[test]
fn events_expire_an_hour_after_their_last_write() {
    let mut c = settled(1);
    assert!(!c.recorded().is_empty());
    c.apply(Action::Scale(2)).unwrap();
    c.settle();
    c.advance(SimDuration::from_secs(3600));
    c.apply(Action::Scale(1)).unwrap();
    c.settle();
    let names: Vec<String> = c.recorded().iter().map(line).collect();
    assert!(names.iter().all(|l| l.contains("delete Pod web-1") || l.contains("Killing")), "{names:#?}");
    assert!(c.recorded().len() <= sts_lab::limits::MAX_RECORDED_EVENTS);
}

/// stateful_pod_control.go `createPersistentVolumeClaims`: a claim being deleted fails the create
/// ("pvc %s is being deleted"), recorded by `CreateStatefulPod` → `recordPodEvent("create", set, pod,
/// err)` as a Warning FailedCreate, again at each sync until the claim is gone.
#[test]
fn a_claim_being_deleted_fails_the_pod_create_with_a_warning() {
    let yaml = WEB.replace(
        "  replicas: 3\n",
        "  replicas: 1\n  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: Delete\n",
    );
    let mut c = build(&yaml);
    assert_eq!(c.settle(), Settled::Done);
    let object = c.statefulset().unwrap().object.clone();
    // The garbage collector deletes web-0 and its claim (whenDeleted: Delete); pvc-protection keeps
    // the claim Terminating while web-0 still mounts it. The set is applied again meanwhile.
    c.apply(Action::DeleteStatefulSet).unwrap();
    c.apply(Action::Apply { statefulset: Box::new(object), services: Vec::new() }).unwrap();
    c.settle();
    let failures = find(&c, "FailedCreate", "web");
    assert_eq!(failures.len(), 1, "{:#?}", lines(&c, 0));
    let e = failures[0];
    assert_eq!(e.type_, EventType::Warning);
    assert_eq!(e.message, "create Pod web-0 in StatefulSet web failed error: pvc www-web-0 is being deleted");
    // Once the claim is gone the pod is created with a new, empty claim.
    assert!(c.pod(0).is_some_and(|p| p.ready));
    // The same claim created twice: one Event, counted twice.
    let claims: Vec<&Recorded> =
        find(&c, "SuccessfulCreate", "web").into_iter().filter(|e| e.message.starts_with("create Claim")).collect();
    assert_eq!(claims.iter().map(|e| e.count).collect::<Vec<_>>(), [2]);
}

/// A container killed (OOM) is restarted in place by the kubelet at once: kuberuntime_container.go
/// `startContainer` records "Container created" and "Container started" again (the correlator counts
/// the repeats on the same Event), and image_manager.go `EnsureImageExists` finds the image present
/// ("Container image %q already present on machine and can be accessed by the pod").
#[test]
fn start_container_a_killed_container_is_restarted_in_place_and_counted() {
    let mut c = settled(1);
    assert_eq!(find(&c, "Started", "web-0")[0].count, 1);
    c.apply(Action::KillContainer(0)).unwrap();
    let started = find(&c, "Started", "web-0");
    assert_eq!((started.len(), started[0].count, started[0].message.as_str()), (1, 2, "Container started"));
    assert_eq!(find(&c, "Created", "web-0")[0].count, 2);
    assert!(
        find(&c, "Pulled", "web-0").iter().any(|e| e.message
            == "Container image \"registry.k8s.io/nginx-slim:0.7\" already present on machine and can be accessed by the pod"),
        "{:?}",
        lines(&c, 0)
    );
    assert!(find(&c, "Killing", "web-0").is_empty(), "the kernel killed it, not the kubelet");
}
