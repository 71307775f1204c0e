//! ControllerRevisions (spec §2.1, §4.1, §4.6): a revision is a snapshot of `spec.template` only; its
//! name is the set name plus a hash in the controller's alphabet; a rollback reuses the old revision
//! with a new `.revision` number; history beyond `revisionHistoryLimit` is pruned.

use crate::sorting::CollectMap;
use std::collections::BTreeSet;
use std::sync::Arc;

use super::super::cluster::{Cluster, Revision};
use super::super::event::EventKind;
use super::super::spec::{PodShape, SetSpec};
use super::Revisions;

/// `k8s.io/apimachinery/pkg/util/rand` alphanums: no vowels, no 0/1/3, so a hash never spells words.
const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// FNV-1a 32 of the template, then the collision count as 4 little-endian bytes, as the controller
/// hashes (`controller_history.go` HashControllerRevision).
pub fn hash(template_json: &str, collision_count: i32) -> u32 {
    let mut h: u32 = 0x811c9dc5;
    for b in template_json.bytes().chain((collision_count as u32).to_le_bytes()) {
        h ^= b as u32;
        h = h.wrapping_mul(0x01000193);
    }
    h
}

/// `rand.SafeEncodeString` of the decimal hash: each digit mapped through the alphabet.
pub fn safe_encode(h: u32) -> String {
    h.to_string().bytes().map(|b| ALPHANUMS[b as usize % ALPHANUMS.len()] as char).collect()
}

/// `<set>-<encoded hash>`.
pub fn revision_name(set: &str, template_json: &str, collision_count: i32) -> String {
    format!("{set}-{}", safe_encode(hash(template_json, collision_count)))
}

/// spec §2.1: finds or creates the update revision and resolves the current one.
pub(crate) fn resolve(c: &mut Cluster, spec: &SetSpec) -> Revisions {
    let set = c.set.as_ref().expect("sync has a set");
    let json = set.template_json.clone();
    let newest = c.revisions.iter().map(|r| r.revision).max().unwrap_or(0);
    // history.FindEqualRevisions: by the data's bytes, or (StatefulSetSemanticRevisionComparison,
    // #135017) by the decoded templates, so data written by an older release still matches.
    let semantic = c.gates.stateful_set_semantic_revision_comparison;
    let equal = c
        .revisions
        .iter()
        .filter(|r| if semantic { *r.template == spec.template } else { *r.template_json == *json })
        .max_by_key(|r| r.revision)
        .map(|r| r.name.clone());
    let spurious = !semantic && c.revisions.iter().any(|r| *r.template == spec.template && *r.template_json != *json);
    let update = match equal {
        Some(name) => {
            let idx = c.revisions.iter().position(|r| r.name == name).expect("found");
            if c.revisions[idx].revision != newest {
                // spec §4.6: an identical older revision is reused, its number bumped to newest+1.
                c.revisions[idx].revision = newest + 1;
                let number = newest + 1;
                crate::sorting::sort_by_key(&mut c.revisions, |r| r.revision);
                c.log(
                    EventKind::CreateRevision,
                    name.clone(),
                    Some(&name),
                    "4.6",
                    format!(
                        "The template matches the older revision {name}: it is reused (same hash) and renumbered \
                         revision {number}; pods already at {name} count as updated at once."
                    ),
                );
            }
            name
        }
        None => {
            let mut collision = set.status.collision_count;
            let mut name = revision_name(&spec.name, &json, collision);
            while c.revisions.iter().any(|r| r.name == name) {
                collision += 1;
                name = revision_name(&spec.name, &json, collision);
            }
            let broken = std::mem::take(&mut c.break_next_revision);
            let image = spec.containers.first().map(|c| c.1.clone()).unwrap_or_default();
            let number = newest + 1;
            c.revisions.push(Revision {
                name: name.clone(),
                revision: number,
                template: Arc::new(spec.template.clone()),
                template_json: json.clone(),
                shape: PodShape::of(&spec.template),
                broken,
                image: image.clone(),
                created_at: c.now,
            });
            if let Some(set) = c.set.as_mut() {
                set.status.collision_count = collision;
            }
            let first = number == 1;
            let text = if first {
                format!("The controller records the pod template ({image}) as ControllerRevision {name}, revision 1.")
            } else if spurious {
                format!(
                    "The template did not change, but this controller ({}) encodes it without `creationTimestamp: null` \
                     and compares revisions by their bytes: none is equal, so it makes ControllerRevision {name}, \
                     revision {number}, and will replace every pod with an identical one (kubernetes/kubernetes \
                     #134773; 1.34.2 compares semantically, #135017).",
                    c.version
                )
            } else {
                format!(
                    "The pod template changed ({image}{}): new ControllerRevision {name}, revision {number}; it becomes the update revision.",
                    if broken { ", a build that will never become Ready" } else { "" }
                )
            };
            c.log(EventKind::CreateRevision, name.clone(), Some(&name), if first { "2.1" } else { "4.1" }, text);
            name
        }
    };
    let status_current = &c.set.as_ref().expect("set").status.current_revision;
    let current = if c.revisions.iter().any(|r| &r.name == status_current) {
        status_current.clone()
    } else {
        // spec §2.1: on the first sync the current revision is the update revision.
        update.clone()
    };
    Revisions { current, update }
}

/// spec §2.8: prunes revisions not referenced by status or a pod beyond revisionHistoryLimit, oldest first.
pub(crate) fn truncate_history(c: &mut Cluster, spec: &SetSpec, revs: &Revisions) {
    let limit = spec.revision_history_limit.max(0) as usize;
    if c.revisions.len() <= limit {
        return;
    }
    let mut live: BTreeSet<&str> = BTreeSet::new();
    live.insert(&revs.current);
    live.insert(&revs.update);
    for p in c.pods.values() {
        live.insert(&p.revision);
    }
    let history: Vec<String> =
        c.revisions.iter().filter(|r| !live.contains(r.name.as_str())).map(|r| r.name.clone()).collect();
    if history.len() <= limit {
        return;
    }
    let drop: BTreeSet<String> = history[..history.len() - limit].iter().cloned().collect_map();
    c.revisions.retain(|r| !drop.contains(&r.name));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_hash_uses_only_the_controller_alphabet() {
        let name = revision_name("web", "{\"spec\":{}}", 0);
        let hash = name.strip_prefix("web-").unwrap();
        assert!(hash.len() <= 10 && hash.chars().all(|ch| "bcdfghjklmnpqrstvwxz2456789".contains(ch)));
    }
}
