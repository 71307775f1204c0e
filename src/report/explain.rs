//! "What happened and why": the paragraph a student writes under their outputs, generated from
//! the engine's event log (every event names the rule of the spec it follows) and the state at
//! the moment shown. Each sentence states what was seen and cites the rule that caused it.

use crate::sorting::CollectMap;
use std::collections::BTreeMap;

use super::markdown::{code, text};
use crate::engine::{Cluster, Event, EventKind, PodManagementPolicy, RetentionPolicy, UpdateStrategy};
use crate::scene::Scene;

/// A rule of the StatefulSet controller a section showed at work, for the report's conclusion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rule {
    /// OrderedReady creates pod N after 0..N-1 are Ready (spec §3).
    OrderedCreation,
    /// Parallel creates (and scales down) all pods at once (spec §3).
    ParallelCreation,
    /// A deleted pod returns with the same name and claim (spec §1, §2).
    StableIdentity,
    /// Scale-down deletes the highest ordinal first (spec §3).
    ScaleDownHighestFirst,
    /// A rolling update replaces the highest ordinal first (spec §4.2).
    HighestFirst,
    /// Only ordinals at or above the partition are updated (spec §4.4).
    Partition,
    /// A canary gets about 1/N of the traffic (spec §10).
    CanaryShare,
    /// The counter lives on the claim and survives the pod (spec §5).
    DataOnClaim,
    /// The API server refused a change (spec §7).
    Rejected,
    /// The controller waits for an unhealthy pod (spec §2, §4.2).
    Waiting,
}

impl Rule {
    /// The rule in one sentence, with its section of the spec.
    pub fn summary(self) -> &'static str {
        match self {
            Rule::OrderedCreation => "Ordered creation (spec §3): with `OrderedReady`, pod N is created only after pods 0…N−1 are Running and Ready, each with its own PersistentVolumeClaim created first.",
            Rule::ParallelCreation => "Parallel creation and deletion (spec §3): with `Parallel`, the controller creates all missing pods, and deletes all pods above the wanted count, at once, without waiting for readiness or termination.",
            Rule::StableIdentity => "Stable identity (spec §1): a deleted pod comes back with the same name and mounts the same claim.",
            Rule::ScaleDownHighestFirst => "Scale-down removes the highest ordinal first (spec §3); with `whenScaled: Retain` the claims stay (spec §5).",
            Rule::HighestFirst => "Rolling update, highest ordinal first (spec §4.2): one pod at a time is deleted and recreated at the new revision, and the next old pod goes only when the new one is Ready.",
            Rule::Partition => "Partition (spec §4.4): only ordinals ≥ partition get the new revision; lower ordinals keep the current revision, and `currentRevision` is promoted only when every pod is updated.",
            Rule::CanaryShare => "A canary's share of traffic is ≈1/N (spec §10): kube-proxy sends each new connection to one Ready endpoint chosen at random, so 1 canary among N Ready pods gets about 1/N.",
            Rule::DataOnClaim => "Data survives on the PVC (spec §5): the counter lives on the pod's claim, which outlives pod deletion, updates and scale-down; a recreated pod mounts it again and counts on.",
            Rule::Rejected => "Validation (spec §7): the API server rejects changes to immutable fields, and nothing happens.",
            Rule::Waiting => "The controller waits (spec §2, §4.2): it never skips an unhealthy pod, so one pod that never becomes Ready stops the rollout.",
        }
    }
}

/// The paragraph for one section and the rules it showed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Explanation {
    /// One sentence per thing seen, each citing its rule.
    pub sentences: Vec<String>,
    /// The rules the sentences cite, in the order first cited.
    pub rules: Vec<Rule>,
}

impl Explanation {
    /// The sentences as one paragraph.
    pub fn paragraph(&self) -> String {
        self.sentences.join(" ")
    }

    fn say(&mut self, rule: Option<Rule>, sentence: String) {
        self.sentences.push(sentence);
        if let Some(r) = rule {
            if !self.rules.contains(&r) {
                self.rules.push(r);
            }
        }
    }
}

/// The ordinal of a pod named `<set>-<ordinal>`.
fn ordinal_of(set: &str, pod: &str) -> Option<i32> {
    pod.strip_prefix(set)?.strip_prefix('-')?.parse().ok()
}

/// `a`, `a and b`, `a, then b, then c` when order matters.
fn list(items: &[String], ordered: bool) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        _ if ordered => items.join(", then "),
        n => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

/// A revision as the report names it: the stage's letter and its image (`B (app:v2)`).
fn revision_names(cluster: &Cluster) -> BTreeMap<String, String> {
    Scene::from_cluster(cluster, Vec::new())
        .revisions
        .into_iter()
        .map(|c| (c.name.clone(), format!("{} ({})", c.letter, code(&c.image))))
        .collect_map()
}

/// Explains the `events` of one section, `before` being the cluster at the previous moment shown
/// and `now` the cluster at this one.
pub fn explain(events: &[Event], before: &Cluster, now: &Cluster) -> Explanation {
    let mut x = Explanation::default();
    let set = now.set_name().to_string();
    let names = revision_names(now);
    let rev = |r: &str| names.get(r).cloned().unwrap_or_else(|| text(r));
    let pods_where = |kind: EventKind, rule: Option<&str>| -> Vec<i32> {
        events
            .iter()
            .filter(|e| e.kind == kind && rule.is_none_or(|r| e.rule.starts_with(r)))
            .filter_map(|e| ordinal_of(&set, &e.object))
            .collect()
    };
    let name = |o: &i32| text(&crate::engine::cluster::pod_name(&set, *o));
    let created = pods_where(EventKind::CreatePod, None);
    let replaced: Vec<i32> = pods_where(EventKind::DeletePod, Some("4."));
    let you_deleted = pods_where(EventKind::DeletePod, Some("2.5b"));
    let spec = now.statefulset().map(|s| s.spec.clone());
    // Deleted under spec §3 while the set still exists and outside its range: a scale-down (the
    // garbage collector's deletions under §3 happen only once the set is gone).
    let condemned: Vec<i32> = match &spec {
        Some(sp) => pods_where(EventKind::DeletePod, Some("3"))
            .into_iter()
            .filter(|o| *o < sp.start || *o >= sp.start + sp.replicas)
            .collect(),
        None => Vec::new(),
    };

    // Fresh pods: created for the first time or after a scale-up, not replacements.
    let fresh: Vec<i32> =
        created.iter().copied().filter(|o| !replaced.contains(o) && !you_deleted.contains(o)).collect();
    if !fresh.is_empty() {
        let names: Vec<String> = fresh.iter().map(name).collect();
        let claims = events.iter().filter(|e| e.kind == EventKind::CreatePvc).count();
        let claims = match (claims, fresh.len()) {
            (0, _) => String::new(),
            (_, 1) => ", after creating its PersistentVolumeClaim".to_string(),
            (n, _) => format!(", each after creating its PersistentVolumeClaim ({n} new claims)"),
        };
        match spec.as_ref().map(|s| s.policy) {
            Some(PodManagementPolicy::OrderedReady) if fresh.len() > 1 => x.say(
                Some(Rule::OrderedCreation),
                format!(
                    "The controller created {} one at a time in ordinal order{claims}: each pod was created only after the one before it was Running and Ready (`podManagementPolicy: OrderedReady`, spec §3).",
                    list(&names, true)
                ),
            ),
            Some(PodManagementPolicy::Parallel) if fresh.len() > 1 => x.say(
                Some(Rule::ParallelCreation),
                format!(
                    "The controller created {} together{claims}, without waiting for one to be Ready before the next (`podManagementPolicy: Parallel`, spec §3).",
                    list(&names, false)
                ),
            ),
            _ => x.say(None, format!("The controller created {}{claims}.", list(&names, false))),
        }
    }

    if !condemned.is_empty() {
        let names: Vec<String> = condemned.iter().map(name).collect();
        let kept: Vec<String> =
            now.claim_views().into_iter().filter(|c| condemned.contains(&c.ordinal)).map(|c| code(&c.name)).collect();
        let claims = match (spec.as_ref().map(|s| s.when_scaled), kept.is_empty()) {
            (Some(RetentionPolicy::Retain), false) => format!(
                " Their claims {} stay Bound (`whenScaled: Retain`, spec §5): a later scale-up mounts them again with their data.",
                list(&kept, false)
            ),
            (Some(RetentionPolicy::Delete), _) => " Their claims are deleted with them (`whenScaled: Delete`, spec §5).".into(),
            _ => String::new(),
        };
        // Parallel deletes every condemned pod in the same sync (`processCondemned` without the
        // monotonic wait): no order to report.
        if spec.as_ref().map(|s| s.policy) == Some(PodManagementPolicy::Parallel) && names.len() > 1 {
            let mut together = condemned.clone();
            crate::sorting::sort(&mut together);
            let names: Vec<String> = together.iter().map(name).collect();
            x.say(
                Some(Rule::ParallelCreation),
                format!(
                    "Scaling down deleted {} together, without waiting for one to be gone before the next (`podManagementPolicy: Parallel`, spec §3).{claims}",
                    list(&names, false)
                ),
            );
        } else {
            x.say(
                Some(Rule::ScaleDownHighestFirst),
                format!(
                    "Scaling down deleted {}: the highest ordinal goes first (spec §3).{claims}",
                    list(&names, true)
                ),
            );
        }
    }

    for o in &you_deleted {
        let back = created.contains(o);
        let claim = now
            .pod(*o)
            .and_then(|p| now.counter_claim_of(p))
            .map(|c| format!(" and mounted the same claim {}", code(&c.name)));
        if back {
            x.say(
                Some(Rule::StableIdentity),
                format!(
                    "You deleted {}; the controller created it again with the same name{} (stable identity, spec §1, §2).",
                    name(o),
                    claim.unwrap_or_default()
                ),
            );
        } else {
            x.say(None, format!("You deleted {}; it has not been created again yet.", name(o)));
        }
    }

    if !replaced.is_empty() {
        let mut order: Vec<i32> = Vec::new();
        for o in &replaced {
            if !order.contains(o) {
                order.push(*o);
            }
        }
        let names: Vec<String> = order.iter().map(name).collect();
        let target = now.status().map(|s| rev(&s.update_revision)).unwrap_or_default();
        let batch = events.iter().any(|e| e.kind == EventKind::DeletePod && e.rule == "4.3");
        let how = if batch {
            "highest ordinal first, up to `maxUnavailable` pods at a time (spec §4.3)"
        } else {
            "highest ordinal first, one at a time, each old pod deleted only once the new pod before it was Ready (spec §4.2)"
        };
        let sentence = if order.len() == 1 {
            format!(
                "To roll out revision {target}, the controller deleted and recreated {} only: a rolling update starts at the highest ordinal (spec §4.2). Only {} was updated.",
                names[0], names[0]
            )
        } else {
            format!(
                "To roll out revision {target}, the controller deleted and recreated {}: {how}.",
                list(&names, true)
            )
        };
        x.say(Some(Rule::HighestFirst), sentence);
    }

    if let (Some(spec), Some(status)) = (spec.as_ref(), now.status()) {
        let new_rev = status.update_revision != status.current_revision;
        if spec.strategy == UpdateStrategy::RollingUpdate && spec.partition > 0 && new_rev {
            let from = spec.start + spec.partition;
            let (updated, kept): (Vec<_>, Vec<_>) =
                now.pods().filter(|p| !p.is_terminating()).partition(|p| p.revision == status.update_revision);
            let updated: Vec<String> = updated.iter().map(|p| text(&p.name)).collect();
            let kept: Vec<String> = kept.iter().map(|p| text(&p.name)).collect();
            let sentence = if spec.partition >= spec.replicas {
                format!(
                    "With `partition: {}` (≥ replicas) the update is staged: revision {} exists but no pod gets it (spec §4.4).",
                    spec.partition,
                    rev(&status.update_revision)
                )
            } else if updated.is_empty() {
                // Only at a chosen moment before the controller reached the first ordinal ≥ P.
                format!(
                    "With `partition: {}` only ordinals ≥ {from} are to be updated; no pod runs revision {} yet (spec §4.4).",
                    spec.partition,
                    rev(&status.update_revision)
                )
            } else {
                let kept = if kept.is_empty() {
                    String::new()
                } else {
                    format!(
                        " while {} {} at revision {}",
                        list(&kept, false),
                        if kept.len() == 1 { "stays" } else { "stay" },
                        rev(&status.current_revision)
                    )
                };
                format!(
                    "With `partition: {}` only ordinals ≥ {from} are updated: {} {} revision {}{kept}; `currentRevision` is not promoted until every pod is updated (spec §4.4).",
                    spec.partition,
                    list(&updated, false),
                    if updated.len() == 1 { "runs" } else { "run" },
                    rev(&status.update_revision),
                )
            };
            x.say(Some(Rule::Partition), sentence);
        } else if !new_rev && !replaced.is_empty() && now.rolled_out() {
            x.say(
                None,
                format!(
                    "Every pod now runs revision {}, so the controller promoted `currentRevision` to it (spec §4.5).",
                    rev(&status.current_revision)
                ),
            );
        }
    }

    // Data: pods (re)created in this section that read a counter their claim held before.
    let mut survived: Vec<String> = Vec::new();
    let mut claims_kept: Vec<String> = Vec::new();
    for o in created.iter().filter(|o| replaced.contains(o) || you_deleted.contains(o) || fresh.contains(o)) {
        let Some(pod) = now.pod(*o) else { continue };
        let Some(claim) = now.counter_claim_of(pod) else {
            continue;
        };
        let earlier = before.claim(&claim.name).and_then(|c| c.visits).unwrap_or(0);
        if earlier > 0 && claim.visits.unwrap_or(0) >= earlier && !survived.iter().any(|s| s.contains(&pod.name)) {
            let now_visits = claim.visits.unwrap_or(0);
            survived.push(if now_visits == earlier {
                format!("{} is a new pod and still reads {{\"count\": {earlier}}}", text(&pod.name))
            } else {
                format!(
                    "{} is a new pod, yet its counter went on from {earlier} (now {now_visits}) instead of restarting at zero",
                    text(&pod.name)
                )
            });
            claims_kept.push(code(&claim.name));
        }
    }
    if !survived.is_empty() {
        x.say(
            Some(Rule::DataOnClaim),
            format!(
                "The data survived: {}. The counter lives on the PersistentVolumeClaim ({}), not in the pod, and the new pod of the same ordinal mounted the same claim again (spec §5).",
                survived.join("; "),
                list(&claims_kept, false)
            ),
        );
    }

    if events.iter().any(|e| e.kind == EventKind::Request) {
        if let Some(t) = now.last_traffic() {
            let served = t.requests - t.refused;
            let ready = t.per_pod.len();
            if served == 0 {
                x.say(
                    None,
                    format!(
                        "{} requests were refused: no pod was Ready, so the Service had no endpoint (spec §10).",
                        t.requests
                    ),
                );
            } else {
                let parts: Vec<String> = t.per_pod.iter().map(|(p, n)| format!("{} {n}", text(p))).collect();
                x.say(
                    None,
                    format!(
                        "{} requests went through the Service; kube-proxy sends each new connection to one of the {ready} Ready endpoints at random ({}), and each pod counts its own visits on its own volume, so the replicas show different counts (spec §10).",
                        t.requests,
                        parts.join(", ")
                    ),
                );
                if t.per_revision.len() > 1 {
                    let status = now.status();
                    let canary = status
                        .map(|s| s.update_revision.clone())
                        .filter(|r| t.per_revision.contains_key(r))
                        .or_else(|| t.per_revision.iter().min_by_key(|(_, n)| **n).map(|(r, _)| r.clone()))
                        .unwrap_or_default();
                    let got = t.per_revision.get(&canary).copied().unwrap_or(0);
                    let pods = t
                        .per_pod
                        .keys()
                        .filter(|p| ordinal_of(&set, p).and_then(|o| now.pod(o)).is_some_and(|p| p.revision == canary))
                        .count();
                    let share = 100.0 * got as f64 / served as f64;
                    let expected = 100.0 * pods as f64 / ready as f64;
                    x.say(
                        Some(Rule::CanaryShare),
                        format!(
                            "The canary, revision {} on {pods} of {ready} Ready pods, received {got} of {served} requests ({share:.0}%), close to the expected {pods}/{ready} ≈ {expected:.0}% (spec §10).",
                            rev(&canary)
                        ),
                    );
                }
            }
        }
    }

    for e in events.iter().filter(|e| e.kind == EventKind::Rejected) {
        x.say(Some(Rule::Rejected), format!("{} (spec §7).", text(e.text.trim_end_matches('.'))));
    }

    if !now.rolled_out() {
        if let Some(w) = events.iter().rev().find(|e| e.kind == EventKind::Wait) {
            x.say(
                Some(Rule::Waiting),
                format!("At this moment the rollout is not finished and the controller waits: {}", text(&w.text)),
            );
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_a_student_writes_them() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(list(&v(&["a"]), true), "a");
        assert_eq!(list(&v(&["a", "b", "c"]), true), "a, then b, then c");
        assert_eq!(list(&v(&["a", "b", "c"]), false), "a, b and c");
    }

    #[test]
    fn an_ordinal_is_read_off_the_pod_name() {
        assert_eq!(ordinal_of("web", "web-12"), Some(12));
        assert_eq!(ordinal_of("web", "web-x"), None);
        assert_eq!(ordinal_of("web", "webby-1"), None);
    }
}
