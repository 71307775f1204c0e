//! Issue #14: the fuzz harness. The wasm build is `panic = "abort"`, so any panic on user data is a
//! dead page; cargo-fuzz needs a nightly toolchain, so this is proptest, with a bounded number of
//! cases per run (`cargo test` runs it), over every reader of user data: the paste reader, the chart
//! renderer (random templates and values), the scenario reader and runner, and share links.
//!
//! Its seed corpus is `tests/fuzz-corpus/`, one folder per reader, holding the hostile-input probe's
//! inputs as files; [`the_seed_corpus_replays_without_a_panic`] runs every one of them. A chart file
//! holds the template (`templates/t.yaml`), then optionally `---helpers---` and a `_helpers.tpl`,
//! and `---values---` and a values file. A stack overflow aborts the test binary, which fails it too.

use std::path::Path;

use proptest::prelude::*;
use sts_lab::chart::{render, Chart, RenderOptions};

/// Renders a one-template chart; any answer is fine, as long as it is one.
fn render_chart(template: &str, helpers: Option<&str>, values: &str) {
    let mut files = vec![
        ("Chart.yaml".to_string(), "apiVersion: v2\nname: f\nversion: 0.1.0\n".to_string()),
        ("templates/t.yaml".to_string(), template.to_string()),
    ];
    if let Some(h) = helpers {
        files.push(("templates/_helpers.tpl".to_string(), h.to_string()));
    }
    let Ok(chart) = Chart::from_files(files) else { return };
    let options = RenderOptions { user_values: vec![values.to_string()], ..RenderOptions::default() };
    match render(&chart, &options) {
        Ok(r) => {
            let _ = sts_lab::input::parse(&r.helm_debug_output());
        }
        Err(e) => assert!(!e.message.is_empty()),
    }
}

/// Reads a scenario and, when it reads, runs it and imports it as the page does.
fn run_scenario(text: &str) {
    let load = |p: &str| Err(format!("no file {p}"));
    if let Ok(s) = sts_lab::scenario::parse(text, &load) {
        if let Ok(t) = sts_lab::scenario::run(&s) {
            let _ = t.to_text();
        }
    }
    let _ = sts_lab::share::import_scenario(text, &load, sts_lab::share::Granularity::AsWritten);
}

/// Decodes a link and replays what it holds.
fn open_link(link: &str) {
    if let Ok(state) = sts_lab::share::decode(link) {
        let _ = state.replay();
    }
}

fn corpus(kind: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus").join(kind);
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} is empty", dir.display());
    files
}

#[test]
fn the_seed_corpus_replays_without_a_panic() {
    for (name, text) in corpus("paste") {
        let r = sts_lab::input::parse(&text);
        let u = sts_lab::scene::source::understand(&text);
        // Every probe paste is refused or warned about with a message at a line of the paste.
        let lines = text.lines().count().max(1);
        for d in r.diagnostics.iter().chain(&u.release.diagnostics) {
            assert!(d.line >= 1 && d.line <= lines && !d.message.is_empty(), "{name}: {d:?}");
        }
        if let Some(info) = u.release.statefulsets.first() {
            let name = info.object.metadata.name.clone();
            if let Ok(mut s) = sts_lab::scene::Session::new(u.release.clone(), name, 1, Default::default()) {
                s.run_until_quiet();
            }
        }
    }
    for (name, text) in corpus("chart") {
        let (rest, values) = text.split_once("---values---\n").unwrap_or((&text, ""));
        let (template, helpers) = match rest.split_once("---helpers---\n") {
            Some((t, h)) => (t, Some(h)),
            None => (rest, None),
        };
        eprintln!("chart {name}");
        render_chart(template, helpers, values);
    }
    for (name, text) in corpus("scenario") {
        eprintln!("scenario {name}");
        run_scenario(&text);
    }
    for (name, text) in corpus("link") {
        eprintln!("link {name}");
        open_link(text.trim());
    }
}

/// Pieces of Go templates: actions, Sprig calls with extreme numbers, control flow, includes.
fn template_piece() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "{{ ",
        " }}",
        "{{- ",
        " -}}",
        "{{ end }}",
        "{{ else }}",
        "{{ if .Values.a }}",
        "{{ range until 3 }}",
        "{{ range $i, $v := .Values.l }}",
        "{{ with .Values.m }}",
        "{{ include \"h\" . }}",
        "{{ template \"h\" . }}",
        "{{ tpl .Values.t . }}",
        "{{ tpl \"{{ .Values.a }}\" . }}",
        ".Values.a",
        ".Values.m.k",
        ".Release.Name",
        ".",
        "$",
        "$x",
        "$x := ",
        "$x = ",
        "| ",
        "toYaml ",
        "toJson ",
        "toPrettyJson ",
        "fromYaml ",
        "fromJson ",
        "indent 4 ",
        "nindent 2147483647 ",
        "indent -9223372036854775808 ",
        "repeat 3 ",
        "repeat 99999999999 ",
        "trunc -9223372036854775808 ",
        "substr 9223372036854775807 -1 ",
        "div ",
        "mod ",
        "add ",
        "mul ",
        "sub ",
        "-9223372036854775807 ",
        "9223372036854775807 ",
        "-1 ",
        "0 ",
        "1 ",
        "2147483647 ",
        "1e300 ",
        "\"x\" ",
        "\"%d%s%v%q%65535d\" ",
        "printf ",
        "print ",
        "println ",
        "html ",
        "js ",
        "urlquery ",
        "cat ",
        "join \",\" ",
        "quote ",
        "squote ",
        "replace \"\" \"ab\" ",
        "splitList \"\" ",
        "list ",
        "dict \"k\" ",
        "append ",
        "prepend ",
        "concat ",
        "uniq ",
        "sortAlpha ",
        "keys ",
        "values ",
        "merge ",
        "mergeOverwrite ",
        "set ",
        "unset ",
        "default ",
        "required \"r\" ",
        "fail \"f\" ",
        "until 5 ",
        "until 100000000 ",
        "until -9223372036854775808 ",
        "len ",
        "index ",
        "slice ",
        "eq ",
        "lt ",
        "and ",
        "or ",
        "not ",
        "b64enc ",
        "b64dec ",
        "sha256sum ",
        "upper ",
        "title ",
        "semverCompare \">1\" ",
        "int ",
        "float64 ",
        "atoi ",
        "toString ",
        "(",
        ")",
        "\"",
        "{{/* c */}}",
        "text\n",
    ])
    .prop_map(str::to_string)
}

fn template() -> impl Strategy<Value = String> {
    prop::collection::vec(template_piece(), 0..24).prop_map(|p| p.concat())
}

fn values() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "",
        "a: 1\nl: [1, 2, 3]\nm: {k: v}\nt: '{{ .Values.a }}'\n",
        "a: 2147483647\nl: []\nm: {}\nt: '{{ tpl .Values.t . }}'\n",
        "a: [[[[1]]]]\nl: [a, [b, [c]]]\nm: {k: {k: {k: 1}}}\n",
        "a: &x [1, 2]\nl: [*x, *x, *x]\n",
        "replicaCount: 2147483647\n",
        "a: !!binary aGk=\n",
        "{[\n",
    ])
    .prop_map(str::to_string)
}

/// Pieces of scenario files: every step, with the numbers that overflowed before.
fn scenario_step() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "settle",
        "step",
        "step: 3",
        "step: 4294967296",
        "step: 100001",
        "wait: 30s",
        "wait: 25h",
        "wait: 1e9h",
        "wait: 18446744073709551615",
        "traffic: 10",
        "traffic: 18446744073709551615",
        "scale: 0",
        "scale: 5",
        "scale: -1",
        "scale: 301",
        "scale: 2147483647",
        "scale: 2147483648",
        "partition: 2147483647",
        "partition: -2147483648",
        "max-unavailable: \"50%\"",
        "max-unavailable: \"9223372036854775807%\"",
        "max-unavailable: 2147483647",
        "ordinals-start: 2147483647",
        "ordinals-start: 2147483644",
        "min-ready-seconds: 2147483647",
        "delete-pod: 2147483647",
        "delete-pod: 0",
        "evict-pod: 1",
        "kill-container: 0",
        "break-readiness: 0",
        "fix-readiness: 0",
        "break-image",
        "image: x:2",
        "rollback",
        "rollback: 9223372036854775807",
        "restart",
        "strategy: OnDelete",
        "policy: Parallel",
        "delete-statefulset",
        "orphan-statefulset",
        "delete-statefulset-foreground",
        "kubectl: get po,sts,svc,pvc",
        "kubectl: rollout status statefulset/web",
        "kubectl: get pods -w",
        "[[[[",
        "{a: ",
        "'",
    ])
    .prop_map(str::to_string)
}

const WEB: &str = include_str!("scenarios/inputs/web.yaml");

fn scenario() -> impl Strategy<Value = String> {
    (prop::collection::vec(scenario_step(), 0..10), any::<u64>(), any::<bool>()).prop_map(|(steps, seed, gate)| {
        let input: String = WEB.lines().map(|l| format!("  {l}\n")).collect();
        let steps: String = steps.iter().map(|s| format!("  - {s}\n")).collect();
        format!("seed: {seed}\ngates: {{MaxUnavailableStatefulSet: {gate}}}\ninput_text: |\n{input}steps:\n{steps}")
    })
}

fn deflate_link(bytes: &[u8]) -> String {
    use base64::Engine;
    let packed = miniz_oxide::deflate::compress_to_vec(bytes, 6);
    format!("v1={}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed))
}

/// Cases per property: 96 in `cargo test` (a few seconds); `FUZZ_CASES=20000` for a long run.
fn cases() -> u32 {
    std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(96)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn random_templates_and_values_never_panic(t in template(), h in template(), v in values()) {
        let helpers = format!("{{{{ define \"h\" }}}}{h}{{{{ end }}}}");
        render_chart(&t, Some(&helpers), &v);
    }

    #[test]
    fn random_scenarios_never_panic(text in scenario()) {
        run_scenario(&text);
    }

    #[test]
    fn random_links_never_panic(text in "v1=[A-Za-z0-9_\\-=]{0,200}") {
        open_link(&text);
    }

    #[test]
    fn random_deflated_payloads_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        open_link(&deflate_link(&bytes));
    }

    #[test]
    fn random_scenarios_sent_as_links_never_panic(text in scenario()) {
        open_link(&deflate_link(text.as_bytes()));
    }

    #[test]
    fn random_pastes_of_brackets_quotes_and_blocks_never_panic(
        parts in prop::collection::vec(prop::sample::select(vec![
            "[", "]", "{", "}", ",", ": ", "- ", "\"", "'", "\\", "|\n", ">-\n", "#", "\n", "  ", "a", "!t ", "&a ", "*a",
            "---\n", "? ", "apiVersion: apps/v1\nkind: StatefulSet\n",
        ]), 0..400)
    ) {
        let text = parts.concat();
        let _ = sts_lab::input::parse(&text);
        let _ = sts_lab::input::nesting::too_deep(&text, 3);
    }
}
