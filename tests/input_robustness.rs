//! No input panics or hangs: random bytes, random YAML, every fixture cut at every line or
//! missing random lines, an alias bomb and a 10 MB paste. How long the hostile inputs take is
//! measured by `benches/parse.rs` (`cargo xtask bench`), not here: a timed unit test fails when
//! the machine is busy and proves nothing when it is idle.

use proptest::prelude::*;
use sts_lab::input::parse;

const FIXTURES: [&str; 6] = [
    include_str!("fixtures/helm-python-install-dry-run-debug.txt"),
    include_str!("fixtures/helm-python-manifest.yaml"),
    include_str!("fixtures/helm-python-hooks.yaml"),
    include_str!("fixtures/helm-python-values.yaml"),
    include_str!("fixtures/helm-python-upgrade.txt"),
    include_str!("fixtures/kubectl-get-po-sts-svc-pvc.txt"),
];

#[test]
fn every_fixture_cut_at_every_line_parses_without_panic() {
    for fixture in FIXTURES {
        let lines: Vec<&str> = fixture.lines().collect();
        for n in 0..=lines.len() {
            let _ = parse(&lines[..n].join("\n"));
        }
    }
}

#[test]
fn an_alias_bomb_ends_with_a_clear_message() {
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
    }
    let r = parse(&bomb);
    let e = r.errors().next().expect("an error");
    assert!(e.message.contains("anchor"), "{}", e.message);
}

#[test]
fn a_ten_megabyte_paste_ends_with_a_clear_message() {
    let big = FIXTURES[1].repeat(10 * 1024 * 1024 / FIXTURES[1].len() + 1);
    let r = parse(&big);
    assert!(r.errors().next().expect("an error").message.contains("MB"));
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(parse(&deep).has_errors());
    let deep_block: String = (0..2_000).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
    let _ = parse(&deep_block);
}

fn yaml_line() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "apiVersion: apps/v1",
        "kind: StatefulSet",
        "kind: List",
        "items:",
        "- ",
        "metadata:",
        "name: web",
        "spec:",
        "replicas: 3",
        "replicas: x",
        "selector:",
        "matchLabels:",
        "app: web",
        "template:",
        "containers:",
        "- name: c",
        "image: nginx",
        "---",
        "...",
        "# Source: c/t.yaml",
        "&a",
        "*a",
        "{",
        "}",
        "[",
        "]",
        ",",
        ": ",
        "'",
        "\"",
        "|",
        ">-",
        "\t",
        "{{ .Values.x }}",
        "NAME: r",
        "MANIFEST:",
        "HOOKS:",
        "NOTES:",
        "USER-SUPPLIED VALUES:",
        "!!binary",
        "!tag",
        "? ",
        "%YAML 1.2",
        "0755",
        "\r",
        "podManagementPolicy: Parallel",
        "updateStrategy:",
        "type: OnDelete",
        "volumeClaimTemplates:",
    ]);
    (0usize..8, prop::collection::vec(pieces, 0..4))
        .prop_map(|(indent, parts)| format!("{}{}", " ".repeat(indent), parts.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn random_yaml_never_panics(lines in prop::collection::vec(yaml_line(), 0..60)) {
        let _ = parse(&lines.join("\n"));
    }

    #[test]
    fn fixtures_with_random_lines_removed_never_panic(which in 0..FIXTURES.len(), drops in prop::collection::vec(any::<prop::sample::Index>(), 1..12)) {
        let mut lines: Vec<&str> = FIXTURES[which].lines().collect();
        for d in drops {
            if !lines.is_empty() {
                let i = d.index(lines.len());
                lines.remove(i);
            }
        }
        let r = parse(&lines.join("\n"));
        for d in &r.diagnostics {
            prop_assert!(d.line >= 1);
        }
    }
}

#[test]
fn a_large_list_full_of_faults_is_read_whole() {
    let item = "- apiVersion: apps/v1beta1\n  kind: StatefulSet\n  metadata:\n    name: s\n  spec:\n    podManagementPolicy: parallel\n    template:\n      metadata:\n        labels:\n          app: s\n      spec:\n        containers:\n        - name: c\n          image: i\n";
    let text = format!("apiVersion: v1\nkind: List\nitems:\n{}", item.repeat(3_000));
    let r = parse(&text);
    assert_eq!(r.statefulsets.len(), 3_000);
}

fn yaml_value() -> impl Strategy<Value = yaml_serde::Value> {
    let leaf = prop_oneof![
        Just(yaml_serde::Value::Null),
        any::<bool>().prop_map(yaml_serde::Value::Bool),
        any::<i64>().prop_map(|n| yaml_serde::Value::Number(n.into())),
        "[a-zA-Z0-9 :#{}\\-\\[\\]'\"|>&*!%@`]{0,12}".prop_map(yaml_serde::Value::String),
        prop::sample::select(vec!["StatefulSet", "apps/v1", "List", "Service", "OnDelete", "0755"])
            .prop_map(|s| yaml_serde::Value::String(s.into())),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(yaml_serde::Value::Sequence),
            prop::collection::vec(
                (
                    prop::sample::select(vec![
                        "apiVersion",
                        "kind",
                        "metadata",
                        "name",
                        "spec",
                        "replicas",
                        "items",
                        "selector",
                        "template",
                        "containers",
                        "updateStrategy",
                        "x",
                    ]),
                    inner
                ),
                0..6
            )
            .prop_map(|pairs| {
                let mut m = yaml_serde::Mapping::new();
                for (k, v) in pairs {
                    m.insert(yaml_serde::Value::String(k.into()), v);
                }
                yaml_serde::Value::Mapping(m)
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_yaml_trees_never_panic_and_valid_ones_have_no_syntax_errors(docs in prop::collection::vec(yaml_value(), 1..4)) {
        let text: String = docs.iter().map(|d| format!("---\n{}", yaml_serde::to_string(d).unwrap_or_default())).collect();
        let r = parse(&text);
        for d in r.errors() {
            prop_assert!(!d.message.starts_with("invalid YAML"), "{}\n{}", d.message, text);
        }
    }
}
