//! Issue #14, pastes: the inputs that made parsing quadratic (100,000 `[`, 95,000 annotation keys)
//! answer with a diagnostic at a line and column; the API server's size limits on labels and
//! annotations are checked where the field is. Parsing is linear by construction: the depth scan
//! reads the text once, duplicate keys are found in the mapping itself.

use sts_lab::input::parse;
use sts_lab::limits::{MAX_ANNOTATIONS_BYTES, MAX_YAML_DEPTH};

const WEB: &str = include_str!("scenarios/inputs/web.yaml");

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle}")) + 1
}

#[test]
fn a_hundred_thousand_brackets_are_refused_at_the_bracket_past_the_depth_limit() {
    let text = "[".repeat(100_000);
    let r = parse(&text);
    let e = r.errors().next().expect("an error");
    assert_eq!((e.line, e.column), (1, MAX_YAML_DEPTH + 1));
    assert!(e.message.contains("nests deeper than 128 levels"), "{}", e.message);
}

#[test]
fn deep_brackets_inside_a_manifest_point_at_their_line() {
    let text = WEB.replace("  replicas: 3\n", &format!("  replicas: 3\n  x: {}\n", "{a: ".repeat(200)));
    let r = parse(&text);
    let e = r.errors().find(|d| d.message.contains("nests deeper")).expect("a depth error");
    assert_eq!(e.line, line_of(&text, "  x: {a:"));
    // `  x: ` then `{a: ` per level: the 129th brace.
    assert_eq!(e.column, 6 + 4 * MAX_YAML_DEPTH);
}

#[test]
fn brackets_in_strings_and_block_scalars_are_text_not_nesting() {
    let script = format!("    script: |\n      {}\n    quoted: \"{}\"\n", "[".repeat(300), "{".repeat(300));
    let text =
        WEB.replace("  labels:\n    app: nginx\n", &format!("  labels:\n    app: nginx\n  annotations:\n{script}"));
    let r = parse(&text);
    assert!(!r.errors().any(|d| d.message.contains("nests deeper")), "{:?}", r.diagnostics);
}

fn with_annotations(n: usize, key: impl Fn(usize) -> String) -> String {
    let mut annotations = String::from("  annotations:\n");
    for i in 0..n {
        annotations.push_str(&format!("    {}: v\n", key(i)));
    }
    WEB.replacen(
        "kind: StatefulSet\nmetadata:\n  name: web\n",
        &format!("kind: StatefulSet\nmetadata:\n  name: web\n{annotations}"),
        1,
    )
}

#[test]
fn ninety_five_thousand_annotation_keys_parse_and_are_refused_for_their_size() {
    let text = with_annotations(95_000, |i| format!("k{i}"));
    assert!(text.len() < sts_lab::limits::MAX_PASTE_BYTES);
    let r = parse(&text);
    assert_eq!(r.statefulsets.len(), 1);
    let e = r.errors().find(|d| d.message.contains("annotations")).expect("the size error");
    assert_eq!(e.message, format!("metadata.annotations: Too long: must have at most {MAX_ANNOTATIONS_BYTES} bytes"));
    assert_eq!(e.line, line_of(&text, "  annotations:"));
}

#[test]
fn ninety_five_thousand_copies_of_one_key_report_fifty_duplicates() {
    let text = with_annotations(95_000, |_| "same".to_string());
    let r = parse(&text);
    assert_eq!(r.statefulsets.len(), 1);
    let dups = r.diagnostics.iter().filter(|d| d.message.contains("same")).count();
    assert!(dups > 0 && dups <= 50, "{dups}");
}

#[test]
fn a_label_value_longer_than_63_characters_is_the_api_servers_error_at_the_labels() {
    let long = "x".repeat(64);
    let text = WEB.replacen(
        "kind: StatefulSet\nmetadata:\n  name: web\n",
        &format!("kind: StatefulSet\nmetadata:\n  name: web\n  labels:\n    tier: {long}\n"),
        1,
    );
    let r = parse(&text);
    let e = r.errors().find(|d| d.message.contains("63 characters")).expect("a label error");
    assert!(e.message.starts_with("metadata.labels: Invalid value: \"xxxx"), "{}", e.message);
    assert_eq!(e.line, line_of(&text, "    tier:") - 1);
}

#[test]
fn a_label_key_name_longer_than_63_characters_is_refused() {
    let key = format!("example.com/{}", "k".repeat(64));
    let text = WEB.replacen(
        "      labels:\n        app: nginx\n",
        &format!("      labels:\n        app: nginx\n        {key}: v\n"),
        1,
    );
    let r = parse(&text);
    assert!(
        r.errors().any(|d| d.message.contains("name part must be no more than 63 characters")),
        "{:?}",
        r.diagnostics
    );
}

#[test]
fn inspect_lists_at_most_the_labs_replicas_as_claim_names() {
    let text = WEB.replace("  replicas: 3\n", "  replicas: 2147483647\n");
    let r = parse(&text);
    let names = r.statefulsets[0].pvc_names();
    assert_eq!(names.len(), sts_lab::limits::MAX_REPLICAS as usize);
}
