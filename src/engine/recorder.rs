//! The event recorder: Kubernetes Events ([`Recorded`]) as the components write them, through a
//! port of client-go's `EventCorrelator` (`staging/src/k8s.io/client-go/tools/record/events_cache.go`,
//! `EventCorrelate`): in order,
//!
//! 1. `EventAggregator.EventAggregate`: events that differ only by message (same source, object,
//!    type and reason) are counted per 10 minutes; from the 10th different message on, the event is
//!    replaced by one whose message is `(combined from similar events): <message>`, kept under the
//!    aggregate key (so later ones update it);
//! 2. `eventLogger.eventObserve`: an event seen before under the same key (source, involved object
//!    with its uid and fieldPath, type, reason, message) is the same Event again: `count + 1`,
//!    `lastTimestamp = now`, `firstTimestamp` kept;
//! 3. `EventSourceObjectSpamFilter.Filter`: each source may write 25 events about one object at
//!    once, then one more every 5 minutes (a token bucket); past that the write is dropped (the
//!    counting above still happened, so the next write that gets through carries the full count).
//!
//! The API server deletes an Event one hour after its last write (`--event-ttl`, default `1h`),
//! which with the counting keeps the list short; [`crate::limits::MAX_RECORDED_EVENTS`] caps it
//! besides, oldest first. The list stays ordered by first time, as `kubectl get events` sorts it.
//!
//! Where Go picks at random (`PopAny` on the aggregator's set of messages), this port takes the
//! smallest message, so that runs stay deterministic.

use std::collections::{BTreeMap, BTreeSet};

use super::clock::{SimDuration, SimTime};
use super::cluster::Cluster;
use super::event::{EventType, Recorded};

/// `source.component` of each recorder the lab simulates.
pub mod source {
    /// kube-controller-manager's StatefulSet controller (`pkg/controller/statefulset`).
    pub const STATEFULSET_CONTROLLER: &str = "statefulset-controller";
    /// kube-scheduler's default profile.
    pub const SCHEDULER: &str = "default-scheduler";
    /// The kubelet of the node (`source.host` would be the node name, [`crate::kubectl::get::NODE_NAME`]).
    pub const KUBELET: &str = "kubelet";
    /// kube-controller-manager's PersistentVolume controller (`pkg/controller/volume/persistentvolume`).
    pub const PV_CONTROLLER: &str = "persistentvolume-controller";
    /// minikube's storage-provisioner (sig-storage-lib-external-provisioner), which provisions the
    /// default StorageClass `standard`. A real one writes `k8s.io/minikube-hostpath_minikube_<uuid>`,
    /// the uuid being the provisioner process's; the lab leaves that id out.
    pub const PROVISIONER: &str = "k8s.io/minikube-hostpath_minikube";
}

/// `defaultAggregateMaxEvents`: different messages (same reason) before they are combined.
const AGGREGATE_MAX_EVENTS: usize = 10;
/// `defaultAggregateIntervalInSeconds`.
const AGGREGATE_INTERVAL: SimDuration = SimDuration::from_secs(600);
/// `defaultSpamBurst`.
const SPAM_BURST: f64 = 25.0;
/// `defaultSpamQPS`: one event every 5 minutes.
const SPAM_REFILL_MS: f64 = 300_000.0;
/// kube-apiserver `--event-ttl` (default one hour).
pub const EVENT_TTL: SimDuration = SimDuration::from_secs(3600);
/// `maxLruCacheEntries`: how many keys each of the correlator's caches remembers.
const CACHE_ENTRIES: usize = 4096;

/// One event as a component hands it to its recorder (`recorder.Event(object, type, reason, message)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Note {
    pub source: &'static str,
    pub type_: EventType,
    pub reason: &'static str,
    pub kind: &'static str,
    pub name: String,
    /// The involved object's uid (engine uid; the set's is 0): a new object of the same name is another object.
    pub uid: u64,
    pub field_path: Option<String>,
    pub message: String,
    /// `source.host`: the node of the kubelet that wrote it.
    pub host: Option<String>,
}

impl Note {
    pub(crate) fn new(
        source: &'static str,
        type_: EventType,
        reason: &'static str,
        kind: &'static str,
        name: impl Into<String>,
        uid: u64,
        message: String,
    ) -> Note {
        Note { source, type_, reason, kind, name: name.into(), uid, field_path: None, message, host: None }
    }

    /// Written by the kubelet of this node (`source.host`).
    pub(crate) fn host(mut self, node: Option<String>) -> Note {
        self.host = node;
        self
    }

    /// About one container of a pod: `involvedObject.fieldPath` `spec.containers{NAME}`.
    pub(crate) fn container(mut self, field_path: String) -> Note {
        self.field_path = Some(field_path);
        self
    }

    /// `getEventKey`.
    fn key(&self) -> Key {
        Key {
            aggregate: self.aggregate_key(),
            field_path: self.field_path.clone().unwrap_or_default(),
            message: self.message.clone(),
        }
    }

    /// `EventAggregatorByReasonFunc`'s aggregate key (no fieldPath, no message).
    fn aggregate_key(&self) -> AggregateKey {
        AggregateKey {
            source: self.source,
            kind: self.kind,
            name: self.name.clone(),
            uid: self.uid,
            type_: self.type_.as_str(),
            reason: self.reason,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct AggregateKey {
    source: &'static str,
    kind: &'static str,
    name: String,
    uid: u64,
    type_: &'static str,
    reason: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    aggregate: AggregateKey,
    field_path: String,
    message: String,
}

/// The correlator's caches (Go keeps them in LRUs of 4096 entries; here they are pruned to that).
#[derive(Debug, Clone, Default)]
pub(crate) struct RecorderState {
    /// aggregate key → (messages seen, last time).
    aggregates: BTreeMap<AggregateKey, (BTreeSet<String>, SimTime)>,
    /// event key (or aggregate key for combined events) → (count, first time, last use).
    observed: BTreeMap<Key, (u32, SimTime, SimTime)>,
    /// spam key (source + object) → (tokens, last refill).
    spam: BTreeMap<(&'static str, &'static str, String, u64), (f64, SimTime)>,
    /// The key of each entry of `Cluster::recorded`, in the same order.
    keys: Vec<Key>,
    /// When the TTL was last applied.
    swept: SimTime,
}

impl Cluster {
    /// Records an event now, as the component's `EventRecorder` would.
    pub(crate) fn record(&mut self, note: Note) {
        let now = self.now;
        self.record_series(now, SimDuration::ZERO, 1, note);
    }

    /// Records an event that happened at `at` (not later than now): the node-side repeats (crash-loop
    /// restarts) are written when the clock passes them.
    pub(crate) fn record_at(&mut self, at: SimTime, note: Note) {
        self.record_series(at, SimDuration::ZERO, 1, note);
    }

    /// Records the same event `n` times, `period` apart from `first_at` (a probe failing every
    /// periodSeconds): the same as `n` calls of [`Cluster::record_at`], in one pass, so that a day of
    /// failed probes costs no more than a few.
    pub(crate) fn record_series(&mut self, first_at: SimTime, period: SimDuration, n: u64, note: Note) {
        if n == 0 {
            return;
        }
        let last_at = first_at.plus(SimDuration(period.0.saturating_mul(n - 1)));
        self.expire_recorded(last_at);
        let state = &mut self.recorder;
        // 1. EventAggregate (the repeats carry the same message: the set of messages grows once).
        let agg_key = note.aggregate_key();
        let entry = state.aggregates.entry(agg_key.clone()).or_insert_with(|| (BTreeSet::new(), SimTime::ZERO));
        if first_at.since(entry.1) > AGGREGATE_INTERVAL {
            entry.0.clear();
        }
        entry.0.insert(note.message.clone());
        entry.1 = last_at;
        let (key, message) = if entry.0.len() < AGGREGATE_MAX_EVENTS {
            (note.key(), note.message.clone())
        } else {
            // `PopAny`: Go drops an arbitrary one; the smallest here, to stay deterministic.
            entry.0.pop_first();
            let key = Key { aggregate: agg_key, field_path: String::new(), message: String::new() };
            (key, format!("(combined from similar events): {}", note.message))
        };
        // 2. eventObserve
        let (before, first) = match state.observed.get(&key) {
            Some(&(count, first, _)) => (count, first),
            None => (0, first_at),
        };
        let total = before.saturating_add(n.min(u32::MAX as u64) as u32);
        state.observed.insert(key.clone(), (total, first, last_at));
        // 3. the spam filter, a token bucket per source and object: which of the n writes get through.
        let spam_key = (note.source, note.kind, note.name.clone(), note.uid);
        let bucket = state.spam.entry(spam_key).or_insert((SPAM_BURST, first_at));
        let mut written: Option<u64> = None;
        let mut t = first_at;
        for i in 0..n {
            bucket.0 = (bucket.0 + t.since(bucket.1).0 as f64 / SPAM_REFILL_MS).min(SPAM_BURST);
            bucket.1 = t;
            if bucket.0 >= 1.0 {
                bucket.0 -= 1.0;
                written = Some(i);
            }
            t = t.plus(period);
        }
        if let Some(i) = written {
            let count = before.saturating_add((i + 1).min(u32::MAX as u64) as u32);
            let at = first_at.plus(SimDuration(period.0.saturating_mul(i)));
            self.write(key, note, message, first, at, count);
        }
        self.prune_caches(last_at);
    }

    /// The write to the API server: a patch of the existing Event (count, lastTimestamp, message), or
    /// a new Event.
    fn write(&mut self, key: Key, note: Note, message: String, first: SimTime, at: SimTime, count: u32) {
        if let Some(i) = self.recorder.keys.iter().rposition(|k| *k == key) {
            let e = &mut self.recorded[i];
            e.count = count;
            e.last = e.last.max(at);
            e.message = message;
            return;
        }
        let event = Recorded {
            type_: note.type_,
            reason: note.reason,
            kind: note.kind,
            name: note.name,
            field_path: note.field_path,
            message,
            source: note.source,
            host: note.host,
            first,
            last: at,
            count,
        };
        // Ordered by first time; equal times keep the order they were written in.
        let i = self.recorded.partition_point(|e| e.first <= first);
        self.recorded.insert(i, event);
        self.recorder.keys.insert(i, key);
        if self.recorded.len() > crate::limits::MAX_RECORDED_EVENTS {
            let drop = self.recorded.len() - crate::limits::MAX_RECORDED_EVENTS;
            self.recorded.drain(..drop);
            self.recorder.keys.drain(..drop);
        }
    }

    /// The API server's TTL: an Event goes one hour after its last write. Checked once a minute.
    fn expire_recorded(&mut self, now: SimTime) {
        if now.since(self.recorder.swept) < SimDuration::from_secs(60) {
            return;
        }
        self.recorder.swept = now;
        if !self.recorded.iter().any(|e| now.since(e.last) > EVENT_TTL) {
            return;
        }
        let keep: Vec<bool> = self.recorded.iter().map(|e| now.since(e.last) <= EVENT_TTL).collect();
        let mut it = keep.iter();
        self.recorded.retain(|_| *it.next().expect("same length"));
        let mut it = keep.iter();
        self.recorder.keys.retain(|_| *it.next().expect("same length"));
    }

    /// Keeps each cache at most [`CACHE_ENTRIES`] keys, dropping the least recently used (an entry
    /// idle long enough is the same as a missing one: a new aggregation window, a full bucket).
    fn prune_caches(&mut self, now: SimTime) {
        let s = &mut self.recorder;
        if s.aggregates.len() > CACHE_ENTRIES {
            s.aggregates.retain(|_, (_, last)| now.since(*last) <= AGGREGATE_INTERVAL);
            trim_oldest(&mut s.aggregates, |(_, last)| *last);
        }
        if s.spam.len() > CACHE_ENTRIES {
            let full = SimDuration((SPAM_BURST * SPAM_REFILL_MS) as u64);
            s.spam.retain(|_, (_, last)| now.since(*last) < full);
            trim_oldest(&mut s.spam, |(_, last)| *last);
        }
        if s.observed.len() > CACHE_ENTRIES {
            trim_oldest(&mut s.observed, |(_, _, used)| *used);
        }
    }
}

/// Drops the least recently used entries until 3/4 of [`CACHE_ENTRIES`] are left (amortised).
fn trim_oldest<K: Ord + Clone, V>(map: &mut BTreeMap<K, V>, used: impl Fn(&V) -> SimTime) {
    if map.len() <= CACHE_ENTRIES {
        return;
    }
    let mut times: Vec<SimTime> = map.values().map(&used).collect();
    crate::sorting::sort(&mut times);
    let cut = times[map.len() - CACHE_ENTRIES * 3 / 4];
    map.retain(|_, v| used(v) >= cut);
}

/// A duration as Go's `time.Duration.String()` prints one truncated to milliseconds (`313ms`,
/// `1.594s`, `2s`, `1m5s`), for kubelet messages.
pub fn go_duration(d: SimDuration) -> String {
    let ms = d.0;
    if ms == 0 {
        return format!("{ms}s");
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let secs = |ms: u64| {
        let (s, frac) = (ms / 1000, ms % 1000);
        if frac == 0 {
            format!("{s}s")
        } else {
            format!("{s}.{}s", format!("{frac:03}").trim_end_matches('0'))
        }
    };
    let (h, m, rest) = (ms / 3_600_000, (ms / 60_000) % 60, ms % 60_000);
    match (h, m) {
        (0, 0) => secs(rest),
        (0, m) => format!("{m}m{}", secs(rest)),
        (h, m) => format!("{h}h{m}m{}", secs(rest)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(go_duration(SimDuration(313)), "313ms");
        assert_eq!(go_duration(SimDuration(1594)), "1.594s");
        assert_eq!(go_duration(SimDuration(2000)), "2s");
        assert_eq!(go_duration(SimDuration(1500)), "1.5s");
        assert_eq!(go_duration(SimDuration(65_000)), "1m5s");
        assert_eq!(go_duration(SimDuration(3_600_000)), "1h0m0s");
    }
}
