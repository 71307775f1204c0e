//! How well a pasted values.yaml fits a chart (issue #10 item 4): the values no template of the
//! chart reads, and what the values look like instead (a bitnami postgresql values file, by its
//! keys). A values file written for another chart, rendered through the built-in lab chart, is
//! otherwise drawn as the lab chart's defaults without a word: `pvc.storageSize: 5Mi` is never
//! read there, so the drawn 50Mi claim is the chart's, not the student's.
//!
//! What a chart reads is found in its templates' text: every `.Values.a.b` (also `$.Values...`
//! and `index .Values "a" "b"`) reads the key path `a.b` and everything under it, since the
//! template may pass the whole subtree on (`with`, `range`, `toYaml`, `include`). Bare `.Values`
//! anywhere else (`toYaml .Values`, `$v := .Values`) may read anything: then no value is called
//! ignored. Conservative by design: a key is said to be ignored only when no template can reach it.

use std::collections::BTreeSet;

use gotmpl::Value;

use super::values::{parse_values, Map};
use super::Chart;
use crate::input::locate::{locate, Segment};

/// A key path in the values (`pvc.storageSize`).
pub type KeyPath = Vec<String>;

/// What a chart's templates read of `.Values`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reads {
    /// A template reads `.Values` as a whole: any key may be read.
    Everything,
    /// These key paths, each with everything under it.
    Paths(BTreeSet<KeyPath>),
}

impl Reads {
    /// Whether a template reads `path` (or a path above it, which may hand its subtree on).
    fn covers(&self, path: &[String]) -> bool {
        match self {
            Reads::Everything => true,
            Reads::Paths(p) => (1..=path.len()).any(|n| p.contains(&path[..n])),
        }
    }

    /// Whether a template reads some key below `path` (so its children must be looked at).
    fn reads_below(&self, path: &[String]) -> bool {
        match self {
            Reads::Everything => true,
            Reads::Paths(p) => p.iter().any(|r| r.len() > path.len() && r.starts_with(path)),
        }
    }
}

/// What the chart's own templates read (subcharts read their own section, named after them, and
/// `global`, which Helm hands to every subchart).
pub fn reads(chart: &Chart) -> Reads {
    let mut paths: BTreeSet<KeyPath> = BTreeSet::new();
    for t in &chart.templates {
        match template_reads(&t.text) {
            Reads::Everything => return Reads::Everything,
            Reads::Paths(p) => paths.extend(p),
        }
    }
    paths.insert(vec!["global".to_string()]);
    for s in &chart.subcharts {
        paths.insert(vec![s.chart.name.clone()]);
    }
    Reads::Paths(paths)
}

/// The `.Values` paths one template's text reads.
pub fn template_reads(text: &str) -> Reads {
    let mut paths = BTreeSet::new();
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(found) = text[from..].find(".Values") {
        let at = from + found;
        let mut i = at + ".Values".len();
        from = i;
        // `.ValuesFoo` is another field.
        if b.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') {
            continue;
        }
        let mut path: KeyPath = Vec::new();
        while b.get(i) == Some(&b'.') {
            let start = i + 1;
            let mut end = start;
            while b.get(end).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') {
                end += 1;
            }
            if end == start {
                break;
            }
            path.push(text[start..end].to_string());
            i = end;
        }
        if path.is_empty() {
            // `index .Values "a" "b"`: the literal keys that follow.
            let before = text[..at].trim_end();
            if before.ends_with("index") {
                path = index_keys(&text[i..]);
            }
            if path.is_empty() {
                return Reads::Everything;
            }
        }
        paths.insert(path);
    }
    Reads::Paths(paths)
}

/// The string literals after `index .Values`: `"a" "b-c" .x` gives `a`, `b-c` (up to the first
/// argument that is not a literal).
fn index_keys(rest: &str) -> KeyPath {
    let mut keys = Vec::new();
    let mut s = rest.trim_start();
    while let Some(r) = s.strip_prefix('"') {
        let Some(end) = r.find('"') else { break };
        keys.push(r[..end].to_string());
        s = r[end + 1..].trim_start();
    }
    keys
}

/// A chart whose values file is recognised by its keys.
struct Known {
    /// How it is named in a message (`a bitnami postgresql values file`).
    name: &'static str,
    /// Keys (dotted paths) typical of its values.yaml; two or more present recognise it.
    keys: &'static [&'static str],
}

const KNOWN: &[Known] = &[
    Known {
        name: "a bitnami postgresql values file",
        keys: &["auth.postgresPassword", "primary", "readReplicas", "architecture", "postgresqlDataDir"],
    },
    Known { name: "a bitnami redis values file", keys: &["master", "replica", "sentinel", "architecture"] },
    Known { name: "a bitnami kafka values file", keys: &["controller", "broker", "listeners", "kraftVersion"] },
    Known {
        name: "a bitnami mongodb values file",
        keys: &["useStatefulSet", "replicaSetName", "arbiter", "hidden", "architecture"],
    },
    Known { name: "a bitnami zookeeper values file", keys: &["tickTime", "initLimit", "syncLimit", "zooServers"] },
    Known {
        name: "a bitnami rabbitmq values file",
        keys: &["clustering", "memoryHighWatermark", "plugins", "loadDefinition"],
    },
    Known {
        name: "an elastic elasticsearch values file",
        keys: &["clusterName", "nodeGroup", "esJavaOpts", "volumeClaimTemplate", "minimumMasterNodes"],
    },
];

/// A key no template reads, with where it is and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Ignored {
    /// The highest key path no template reads (`pvc`, `image.digest`).
    pub path: KeyPath,
    /// 1-based line and column of its key in the values text.
    pub line: usize,
    /// See `line`.
    pub column: usize,
    /// The values under it, leaf by leaf (`pvc.storageSize`, `5Mi`); a list shown as its path only.
    pub leaves: Vec<(KeyPath, Option<String>)>,
}

/// How well a values file fits a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// What the values look like: `a bitnami postgresql values file (keys auth.postgresPassword,
    /// primary, readReplicas, architecture)`, or `values for another chart`.
    pub looks_like: String,
    /// Whether `looks_like` names a known chart.
    pub known: bool,
    /// The keys no template reads, in the order of the file.
    pub ignored: Vec<Ignored>,
    /// Top-level keys in the file, and how many of them the chart reads (in part or whole).
    pub top_keys: usize,
    /// See `top_keys`.
    pub top_keys_read: usize,
}

/// How `values_text` fits `chart`; None when the text is not a values map.
pub fn fit(chart: &Chart, values_text: &str) -> Option<Fit> {
    let values = parse_values(values_text).ok()?;
    let reads = reads(chart);
    let mut paths = Vec::new();
    walk(&values, &mut Vec::new(), &reads, &mut paths);
    let mut ignored: Vec<Ignored> = paths
        .into_iter()
        .map(|path| {
            let segments: Vec<Segment> = path.iter().map(|k| Segment::Key(k.clone())).collect();
            let (line, column) = locate(values_text, &segments, 0).unwrap_or((1, 1));
            let mut leaves_of = Vec::new();
            if let Some(v) = lookup(&values, &path) {
                leaves(v, &mut path.clone(), &mut leaves_of);
            }
            Ignored { path, line, column, leaves: leaves_of }
        })
        .collect();
    crate::sorting::sort_by_key(&mut ignored, |i| (i.line, i.column));
    let top_keys_read =
        values.keys().filter(|k| !ignored.iter().any(|i| i.path.len() == 1 && *i.path[0] == ***k)).count();
    let (looks_like, known) = looks_like(&values);
    Some(Fit { looks_like, known, ignored, top_keys: values.len(), top_keys_read })
}

fn walk(map: &Map, path: &mut KeyPath, reads: &Reads, out: &mut Vec<KeyPath>) {
    for (k, v) in map {
        path.push(k.to_string());
        if reads.covers(path) {
            // Read, with everything under it.
        } else if reads.reads_below(path) {
            match v {
                Value::Map(m) => walk(m, path, reads, out),
                // A template reads keys inside it, but it holds no keys: what it says is unread.
                _ => out.push(path.clone()),
            }
        } else {
            out.push(path.clone());
        }
        path.pop();
    }
}

fn lookup<'a>(map: &'a Map, path: &[String]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let v = map.get(first.as_str())?;
    if rest.is_empty() {
        return Some(v);
    }
    match v {
        Value::Map(m) => lookup(m, rest),
        _ => None,
    }
}

fn leaves(v: &Value, path: &mut KeyPath, out: &mut Vec<(KeyPath, Option<String>)>) {
    match v {
        Value::Map(m) if !m.is_empty() => {
            for (k, c) in m.iter() {
                path.push(k.to_string());
                leaves(c, path, out);
                path.pop();
            }
        }
        Value::String(t) if t.is_empty() => out.push((path.clone(), Some("\"\"".into()))),
        Value::String(_) | Value::Int(_) | Value::Uint(_) | Value::Float(_) | Value::Bool(_) => {
            out.push((path.clone(), Some(v.to_string())))
        }
        Value::Nil => out.push((path.clone(), Some("null".into()))),
        _ => out.push((path.clone(), None)),
    }
}

/// What the values look like, by their keys.
fn looks_like(values: &Map) -> (String, bool) {
    let has = |dotted: &str| {
        let path: Vec<String> = dotted.split('.').map(str::to_string).collect();
        lookup(values, &path).is_some()
    };
    // The opentelemetry collector chart is told which workload to render by `mode`.
    let mode = values.get("mode").map(|v| v.to_string());
    if matches!(mode.as_deref(), Some("statefulset" | "deployment" | "daemonset")) {
        let mut keys = vec!["mode".to_string()];
        keys.extend(["config", "presets", "statefulset"].iter().filter(|k| has(k)).map(|k| k.to_string()));
        return (format!("an opentelemetry collector values file (keys {})", keys.join(", ")), true);
    }
    let best = KNOWN
        .iter()
        .map(|k| (k, k.keys.iter().filter(|key| has(key)).copied().collect::<Vec<_>>()))
        .filter(|(_, present)| present.len() >= 2)
        .max_by_key(|(_, present)| present.len());
    match best {
        Some((k, present)) => (format!("{} (keys {})", k.name, present.join(", ")), true),
        None => ("values for another chart".to_string(), false),
    }
}

/// How many ignored values a message lists before "and N more".
const LISTED: usize = 8;
/// A key holding at most this many values is listed value by value (`pvc.storageSize: 5Mi`).
const LEAVES_LISTED: usize = 4;

/// Words in a key path that say it sets something the drawing shows.
const DRAWN: &[&str] = &[
    "replica",
    "storage",
    "size",
    "pvc",
    "claim",
    "volume",
    "persistence",
    "podmanagementpolicy",
    "updatestrategy",
    "partition",
    "statefulset",
];

fn shapes_the_drawing(i: &Ignored) -> bool {
    let drawn = |p: &KeyPath| p.iter().any(|k| DRAWN.iter().any(|w| k.to_ascii_lowercase().contains(w)));
    drawn(&i.path) || i.leaves.iter().any(|(p, _)| drawn(p))
}

/// The warning for a values file that does not fit `chart_name`: 1-based line and column of the
/// first ignored key in the file, and the message. None when every value is read.
pub fn warning(fit: &Fit, chart_name: &str) -> Option<(usize, usize, String)> {
    let first = fit.ignored.first()?;
    // What shapes the drawing (storage, replicas, policy, image) is named first, the rest in the
    // file's order.
    let mut ordered: Vec<&Ignored> = fit.ignored.iter().filter(|i| shapes_the_drawing(i)).collect();
    ordered.extend(fit.ignored.iter().filter(|i| !shapes_the_drawing(i)));
    let mut items: Vec<String> = Vec::new();
    for i in ordered {
        if i.leaves.len() <= LEAVES_LISTED && !i.leaves.is_empty() {
            items.extend(i.leaves.iter().map(|(p, v)| match v {
                Some(v) => format!("`{}: {}`", p.join("."), v),
                None => format!("`{}`", p.join(".")),
            }));
        } else {
            items.push(format!("`{}`", i.path.join(".")));
        }
    }
    let more = match items.len().saturating_sub(LISTED) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    items.truncate(LISTED);
    // A file whose keys the chart mostly reads is the lab's own kind of values with a few extra
    // keys; one that names a known chart, or whose keys the chart mostly ignores, is another
    // chart's.
    let mostly_read = !fit.known && fit.top_keys_read * 2 > fit.top_keys;
    let opening = if mostly_read {
        format!("These values mostly fit the built-in chart {chart_name}, but its templates never read")
    } else {
        format!(
            "These look like {}, not values of the built-in chart {chart_name}: its templates never read",
            fit.looks_like
        )
    };
    let message = format!(
        "{opening} {}{more}, so the drawing shows {chart_name}'s own defaults there, not your settings. To simulate your chart, add its templates as chart files (+ chart files), or paste the output of `helm template` (or `helm install --dry-run --debug`).",
        items.join(", ")
    );
    Some((first.line, first.column, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab() -> Chart {
        Chart::builtin("helm-python").unwrap()
    }

    fn paths(r: &Reads) -> Vec<String> {
        match r {
            Reads::Everything => vec!["*".into()],
            Reads::Paths(p) => p.iter().map(|p| p.join(".")).collect(),
        }
    }

    #[test]
    fn a_template_reads_values_paths_with_their_subtrees() {
        let t = r#"{{ .Values.image.repository }} {{- with .Values.podAnnotations }}{{ toYaml . }}{{ end }}
{{ range $.Values.ingress.hosts }}{{ .host }}{{ end }} {{ index .Values "my-key" "sub" }} {{ .ValuesX }}"#;
        assert_eq!(paths(&template_reads(t)), ["image.repository", "ingress.hosts", "my-key.sub", "podAnnotations"]);
    }

    #[test]
    fn a_template_that_hands_on_all_values_may_read_anything() {
        assert_eq!(template_reads("{{ toYaml .Values | nindent 2 }}"), Reads::Everything);
        assert_eq!(template_reads("{{ $v := .Values }}{{ $v.a }}"), Reads::Everything);
        assert_eq!(template_reads("{{ index .Values $key }}"), Reads::Everything);
    }

    #[test]
    fn the_labs_own_values_fit_the_lab_chart() {
        let f = fit(&lab(), include_str!("../../public/examples/helm-python-values.yaml")).unwrap();
        assert!(f.ignored.is_empty(), "{:?}", f.ignored);
        assert_eq!(warning(&f, "helm-python"), None);
    }

    /// Like the s24 student values (their own chart's `pvc:` block): the built-in chart never
    /// reads `pvc`, so its 50Mi claim is drawn instead of their 5Mi.
    #[test]
    fn a_students_own_pvc_block_is_ignored_by_the_lab_chart() {
        let values = "replicaCount: 2\nimage:\n  repository: someone/app\n  tag: v1\npvc:\n  enabled: true\n  name: app-metric\n  storageSize: 5Mi\n";
        let f = fit(&lab(), values).unwrap();
        let names: Vec<String> = f.ignored.iter().map(|i| i.path.join(".")).collect();
        assert_eq!(names, ["pvc"]);
        assert_eq!(f.looks_like, "values for another chart");
        let (line, column, message) = warning(&f, "helm-python").unwrap();
        assert_eq!((line, column), (5, 1));
        assert!(message.starts_with("These values mostly fit the built-in chart helm-python, but its templates never read `pvc.enabled: true`"), "{message}");
        assert!(message.contains("`pvc.storageSize: 5Mi`"), "{message}");
        assert!(message.contains("`pvc.enabled: true`, `pvc.name: app-metric`"), "{message}");
        assert!(message.contains("add its templates as chart files (+ chart files)"), "{message}");
        assert!(message.contains("`helm template`"), "{message}");
    }

    /// Keys beside ones the chart reads are looked at one by one: `image.digest` is not read
    /// where `image.repository` is.
    #[test]
    fn an_unread_key_beside_read_ones_is_named_by_its_full_path() {
        let values = "image:\n  repository: a/b\n  digest: sha256:abc\nservice:\n  port: 80\n  nodePort: 30080\n";
        let f = fit(&lab(), values).unwrap();
        let names: Vec<String> = f.ignored.iter().map(|i| i.path.join(".")).collect();
        assert_eq!(names, ["image.digest", "service.nodePort"]);
        let (line, column, _) = warning(&f, "helm-python").unwrap();
        assert_eq!((line, column), (3, 3));
    }

    #[test]
    fn a_bitnami_postgresql_file_is_recognised_by_its_keys() {
        let values = "global:\n  postgresql: {}\narchitecture: standalone\nauth:\n  postgresPassword: \"\"\n  database: app\nprimary:\n  persistence:\n    size: 8Gi\nreadReplicas:\n  replicaCount: 1\nimage:\n  registry: docker.io\n";
        let f = fit(&lab(), values).unwrap();
        assert_eq!(
            f.looks_like,
            "a bitnami postgresql values file (keys auth.postgresPassword, primary, readReplicas, architecture)"
        );
        let names: Vec<String> = f.ignored.iter().map(|i| i.path.join(".")).collect();
        // In the file's order; `global` is Helm's, handed to subcharts; `image.registry` is not
        // read by the lab chart.
        assert_eq!(names, ["architecture", "auth", "primary", "readReplicas", "image.registry"]);
        let (line, _, message) = warning(&f, "helm-python").unwrap();
        assert_eq!(line, 3);
        assert!(message.starts_with("These look like a bitnami postgresql values file"), "{message}");
    }

    #[test]
    fn other_known_charts_are_recognised_by_their_keys() {
        let cases = [
            ("architecture: replication\nmaster:\n  count: 1\nreplica:\n  replicaCount: 3\n", "a bitnami redis"),
            ("controller:\n  replicaCount: 3\nbroker:\n  replicaCount: 0\n", "a bitnami kafka"),
            ("architecture: standalone\nuseStatefulSet: false\narbiter:\n  enabled: true\n", "a bitnami mongodb"),
            ("tickTime: 2000\ninitLimit: 10\nreplicaCount: 1\n", "a bitnami zookeeper"),
            ("clustering:\n  enabled: true\nmemoryHighWatermark:\n  enabled: false\n", "a bitnami rabbitmq"),
            ("clusterName: elasticsearch\nnodeGroup: master\nreplicas: 3\n", "an elastic elasticsearch"),
            (
                "mode: statefulset\nreplicaCount: 2\nstatefulset:\n  volumeClaimTemplates: []\n",
                "an opentelemetry collector",
            ),
            ("replicaCount: 2\narchitecture: x\n", "values for another chart"),
        ];
        for (values, want) in cases {
            let f = fit(&lab(), values).unwrap();
            assert!(f.looks_like.starts_with(want), "{values}: {}", f.looks_like);
        }
    }

    #[test]
    fn long_lists_name_the_top_keys_and_count_the_rest() {
        let values: String = (0..12).map(|i| format!("key{i:02}:\n  a: 1\n  b: 2\n")).collect();
        let f = fit(&lab(), &values).unwrap();
        let (_, _, message) = warning(&f, "helm-python").unwrap();
        // Each key holds two values: listed value by value, eight of 24.
        assert!(message.contains("`key00.a: 1`, `key00.b: 2`, `key01.a: 1`"), "{message}");
        assert!(message.contains("`key03.b: 2` and 16 more"), "{message}");
    }

    #[test]
    fn subchart_sections_and_global_are_read() {
        let f = fit(&lab(), "mylibchart:\n  anything: 1\nglobal:\n  x: 1\n").unwrap();
        assert!(f.ignored.is_empty(), "{:?}", f.ignored);
    }
}

#[cfg(test)]
mod order_tests {
    use super::*;

    #[test]
    fn a_big_subtree_is_named_by_its_key_and_the_first_key_in_the_file_is_pointed_at() {
        let values = "zeta:\n  a: 1\n  b: 2\n  c: 3\n  d: 4\n  e: 5\nalpha: 1\n";
        let f = fit(&Chart::builtin("helm-python").unwrap(), values).unwrap();
        let (line, column, message) = warning(&f, "helm-python").unwrap();
        assert_eq!((line, column), (1, 1), "zeta comes first in the file");
        assert!(message.contains("never read `zeta`, `alpha: 1`,"), "{message}");
    }

    /// s24: the student's `pvc:` block is named before their probes: it is what the drawn
    /// claim would have come from.
    #[test]
    fn keys_that_shape_the_drawing_are_named_first() {
        let values = "secretData:\n  a: x\nlivenessProbe:\n  path: /\nempty: \"\"\npvc:\n  storageSize: 5Mi\n";
        let f = fit(&Chart::builtin("helm-python").unwrap(), values).unwrap();
        let (line, _, message) = warning(&f, "helm-python").unwrap();
        assert_eq!(line, 1, "the first ignored key in the file");
        assert!(
            message.contains(
                "never read `pvc.storageSize: 5Mi`, `secretData.a: x`, `livenessProbe.path: /`, `empty: \"\"`"
            ),
            "{message}"
        );
    }
}
