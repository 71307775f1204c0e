//! The garbage collector's part of `kubectl delete statefulset` (spec §3, §5): with the default
//! `--cascade=background` the set goes at once and the collector deletes its dependents (pods, the
//! claims it owns under `whenDeleted: Delete`, its ControllerRevisions); `--cascade=foreground` keeps
//! the set (deletionTimestamp set) until its pods are gone; `--cascade=orphan` removes only the set
//! and its dependents lose their owner.

use super::action::ActionError;
use super::cluster::Cluster;
use super::event::EventKind;

/// How `kubectl delete statefulset` treats the set's dependents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cascade {
    Background,
    Foreground,
    Orphan,
}

impl Cluster {
    /// `kubectl delete statefulset <set> [--cascade=...]`.
    pub(crate) fn delete_set(&mut self, cascade: Cascade) -> Result<String, ActionError> {
        if self.set.as_ref().is_none_or(|s| s.deleting) {
            return Err(self.not_found());
        }
        let name = self.set_name.clone();
        if cascade == Cascade::Foreground {
            self.set.as_mut().expect("checked").deleting = true;
        } else {
            self.set = None;
        }
        if cascade == Cascade::Orphan {
            for p in self.pods.values_mut() {
                p.owned = false;
            }
            for cl in self.claims.values_mut() {
                cl.owned_by_set = false;
            }
            self.log(
                EventKind::Status,
                name.clone(),
                None,
                "3",
                format!(
                    "StatefulSet {name} is deleted with --cascade=orphan: its pods keep running without an owner, \
                     its claims and ControllerRevisions stay."
                ),
            );
        } else {
            let ordinals: Vec<i32> = self.pods.iter().filter(|(_, p)| p.owned).map(|(o, _)| *o).collect();
            for o in ordinals {
                let pod = self.pods[&o].name.clone();
                self.delete_pod(
                    o,
                    "3",
                    format!(
                        "The garbage collector deletes {pod} because its StatefulSet is {}; all pods go at once, in no order.",
                        if cascade == Cascade::Foreground { "being deleted (foreground)" } else { "gone" }
                    ),
                );
            }
            let claims: Vec<String> = self.claims.values().filter(|c| c.owned_by_set).map(|c| c.name.clone()).collect();
            for c in claims {
                self.delete_claim(
                    &c,
                    "5",
                    format!("The garbage collector deletes {c} (whenDeleted: Delete); it stays Terminating while its pod still mounts it."),
                );
            }
            if cascade == Cascade::Background {
                self.revisions.clear();
            }
            self.finish_foreground_deletion();
        }
        self.last_wait = None;
        self.dirty = true;
        Ok(self.deleted_message("statefulset.apps", &name))
    }
}
