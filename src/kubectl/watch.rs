//! `kubectl get pods -w`: the initial table, then one line per change. kubectl flushes its
//! tabwriter after every watch event, so each later line is laid out on its own (its columns do
//! not line up with the header) — reproduced here.

use std::collections::BTreeMap;

use crate::engine::Cluster;

use super::get::{self, Kind};
use super::tabwriter;

/// Remembers what was last printed for each pod.
#[derive(Debug, Clone, Default)]
pub struct PodWatch {
    last: BTreeMap<String, (Vec<String>, String)>,
    /// kubectl prints the header with the first object it prints.
    header_printed: bool,
}

impl PodWatch {
    /// Starts a watch: returns the initial listing (header and rows, laid out together).
    pub fn start(cluster: &Cluster) -> (PodWatch, String) {
        let mut w = PodWatch::default();
        let mut views = cluster.pod_views();
        crate::sorting::sort_by(&mut views, |a, b| a.name.cmp(&b.name));
        let mut rows = vec![get::header(Kind::Pod, false)];
        for v in &views {
            let row = get::pod_row(v, false);
            w.last.insert(v.name.clone(), (key(&row), String::new()));
            rows.push(row);
        }
        if views.is_empty() {
            return (w, String::new());
        }
        w.header_printed = true;
        (w, tabwriter::render(&rows))
    }

    /// Lines for every pod whose READY, STATUS or RESTARTS changed, appeared or was deleted since the
    /// last call.
    pub fn observe(&mut self, cluster: &Cluster) -> Vec<String> {
        let mut out = Vec::new();
        let mut views = cluster.pod_views();
        crate::sorting::sort_by(&mut views, |a, b| a.name.cmp(&b.name));
        let mut seen = Vec::new();
        for v in &views {
            let row = get::pod_row(v, false);
            let k = key(&row);
            seen.push(v.name.clone());
            if self.last.get(&v.name).map(|(old, _)| old) != Some(&k) {
                let line = tabwriter::render(std::slice::from_ref(&row));
                self.last.insert(v.name.clone(), (k, line.clone()));
                if self.header_printed {
                    out.push(line.trim_end_matches('\n').to_string());
                } else {
                    self.header_printed = true;
                    let both = tabwriter::render(&[get::header(Kind::Pod, false), row]);
                    out.extend(both.lines().map(str::to_string));
                }
            }
        }
        let gone: Vec<String> = self.last.keys().filter(|n| !seen.contains(n)).cloned().collect();
        for name in gone {
            // A DELETED event prints the pod's last state once more.
            if let Some((_, line)) = self.last.remove(&name) {
                if !line.is_empty() {
                    out.push(line.trim_end_matches('\n').to_string());
                }
            }
        }
        out
    }
}

fn key(row: &[String]) -> Vec<String> {
    // AGE changes every second; a watch line is printed only on an object change.
    row[..4].to_vec()
}
