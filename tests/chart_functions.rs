//! Issue #6: each Helm/Sprig function against its documented behaviour (helm.sh "Template
//! Function List", Sprig docs), argument order included: the piped value is the LAST argument.

use sts_lab::chart::{render, render_templates, Chart, ChartErrorKind, RenderOptions};

const CHART_YAML: &str = "apiVersion: v2\nname: t\nversion: 0.1.0\nappVersion: \"1.2.3\"\n";

/// Renders one template (templates/t.yaml) with the given values and returns its text.
fn run_with(template: &str, values: &str, extra: &[(&str, &str)]) -> Result<String, sts_lab::chart::ChartError> {
    let mut files =
        vec![("Chart.yaml".to_string(), CHART_YAML.to_string()), ("templates/t.yaml".into(), template.into())];
    files.extend(extra.iter().map(|(p, t)| (p.to_string(), t.to_string())));
    let chart = Chart::from_files(files).unwrap();
    let options =
        RenderOptions { release_name: "rel".into(), user_values: vec![values.into()], ..RenderOptions::default() };
    let out = render_templates(&chart, &options)?;
    Ok(out.into_iter().find(|(p, _)| p == "t/templates/t.yaml").map(|(_, t)| t).unwrap_or_default())
}

fn run(template: &str, values: &str) -> String {
    run_with(template, values, &[]).unwrap_or_else(|e| panic!("{template}: {e}"))
}

fn err(template: &str, values: &str) -> sts_lab::chart::ChartError {
    run_with(template, values, &[]).expect_err(template)
}

#[test]
fn default_empty_coalesce_ternary() {
    assert_eq!(run(r#"{{ default "foo" .Values.missing }}"#, ""), "foo");
    assert_eq!(run(r#"{{ .Values.x | default "foo" }}"#, "x: \"\""), "foo");
    assert_eq!(run(r#"{{ .Values.x | default "foo" }}"#, "x: bar"), "bar");
    assert_eq!(run(r#"{{ .Values.x | default 5 }}"#, "x: 0"), "5");
    assert_eq!(run(r#"{{ .Values.x | default true }}"#, "x: false"), "true");
    assert_eq!(
        run(r#"{{ empty "" }} {{ empty 0 }} {{ empty (list) }} {{ empty (dict) }} {{ empty "a" }}"#, ""),
        "true true true true false"
    );
    assert_eq!(run(r#"{{ coalesce "" .Values.missing "x" "y" }}"#, ""), "x");
    assert_eq!(run(r#"{{ ternary "yes" "no" true }} {{ false | ternary "yes" "no" }}"#, ""), "yes no");
}

#[test]
fn quoting_and_strings() {
    assert_eq!(
        run(r#"{{ quote "a\"b" }} {{ .Values.n | quote }} [{{ quote .Values.missing }}]"#, "n: 1"),
        r#""a\"b" "1" []"#
    );
    assert_eq!(run(r#"{{ squote "x" }}"#, ""), "'x'");
    assert_eq!(
        run(r#"{{ trunc 5 "hello world" }}|{{ trunc -5 "hello world" }}|{{ "ab" | trunc 63 }}"#, ""),
        "hello|world|ab"
    );
    assert_eq!(run(r#"{{ trimSuffix "-" "a-" }} {{ "x-y" | trimPrefix "x-" }} [{{ trim "  a  " }}]"#, ""), "a y [a]");
    assert_eq!(run(r#"{{ upper "ab" }} {{ lower "AB" }} {{ title "hello world" }}"#, ""), "AB ab Hello World");
    assert_eq!(run(r#"{{ "a b c" | replace " " "-" }}"#, ""), "a-b-c");
    assert_eq!(
        run(
            r#"{{ contains "cat" "catch" }} {{ hasPrefix "cat" "catch" }} {{ hasSuffix "ch" "catch" }} {{ "dog" | contains "cat" }}"#,
            ""
        ),
        "true true true false"
    );
    assert_eq!(run(r#"{{ printf "%s-%d" "a" 5 }} {{ print "a" 1 2 "b" }}"#, ""), "a-5 a1 2b");
    assert_eq!(run(r#"{{ 1.5 | toString }} {{ toString .Values.n }}"#, "n: 3"), "1.5 3");
}

#[test]
fn indent_and_nindent() {
    assert_eq!(run("x:{{ \"a\\nb\" | nindent 2 }}", ""), "x:\n  a\n  b");
    assert_eq!(run("{{ \"a\\nb\" | indent 2 }}", ""), "  a\n  b");
}

#[test]
fn lists_and_dicts() {
    assert_eq!(run(r#"{{ list 1 "a" 2 }} {{ list 1 2 3 | first }} {{ append (list 1) 2 }}"#, ""), "[1 a 2] 1 [1 2]");
    assert_eq!(
        run(
            r#"{{ $d := dict "b" 2 "a" 1 }}{{ hasKey $d "a" }} {{ hasKey $d "z" }} {{ keys $d | sortAlpha }} {{ $d.a }}"#,
            ""
        ),
        "true false [a b] 1"
    );
    // merge: the first dict wins, the others fill in.
    assert_eq!(run(r#"{{ merge (dict "x" 1) (dict "x" 2 "y" 3) | toJson }}"#, ""), r#"{"x":1,"y":3}"#);
    assert_eq!(run(r#"{{ merge (dict "x" "") (dict "x" "filled") | toJson }}"#, ""), r#"{"x":"filled"}"#);
}

#[test]
fn encodings_and_digests() {
    assert_eq!(run(r#"{{ b64enc "admin" }} {{ b64dec "YWRtaW4=" }}"#, ""), "YWRtaW4= admin");
    assert_eq!(run(r#"{{ b64dec "!!!!" }}"#, ""), "illegal base64 data at input byte 0");
    assert_eq!(
        run(r#"{{ sha256sum "hello" }}"#, ""),
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    );
    assert_eq!(run(r#"{{ dict "a" "<b>&" | toJson }}"#, ""), r#"{"a":"\u003cb\u003e\u0026"}"#);
    assert_eq!(run(r#"{{ (fromYaml "a: 1\nb: [x]").b }} {{ (fromYaml "- 1").Error | empty | not }}"#, ""), "[x] true");
}

#[test]
fn to_yaml_is_go_yaml_v2() {
    let values = "m:\n  b: [1, 2]\n  a: {}\n  s: \"true\"\n  e: \"\"\n  num: \"10\"\n  c: \"a: b\"\n  l: |\n    line1\n    line2\n  f: 1.5\n";
    let expected = "a: {}\nb:\n- 1\n- 2\nc: 'a: b'\ne: \"\"\nf: 1.5\nl: |\n  line1\n  line2\nnum: \"10\"\ns: \"true\"";
    // A key that would read back as a bool is quoted too, as go-yaml v2 does.
    assert_eq!(run("{{ toYaml .Values.k }}", "k: {\"n\": 1, \"on\": 2}"), "\"n\": 1\n\"on\": 2");
    assert_eq!(run("{{ toYaml .Values.m }}", values), expected);
    assert_eq!(run("{{ toYaml .Values.missing }}", ""), "null");
    // go-yaml's key order: digit runs compare as numbers.
    assert_eq!(run("{{ toYaml .Values.k }}", "k: {a10: 1, a9: 2, B: 3}"), "B: 3\na9: 2\na10: 1");
}

#[test]
fn to_yaml_folds_long_strings_at_column_80_as_go_yaml_v2() {
    let words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore";
    let out = run("{{ toYaml .Values }}", &format!("text: {words}"));
    assert_eq!(
        out,
        "text: lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor\n  incididunt ut labore"
    );
}

#[test]
fn numbers_are_float64_as_in_helm() {
    assert_eq!(
        run("{{ .Values.r }} {{ .Values.big }} {{ .Values.f | int }} {{ int \"42\" }}", "r: 3\nbig: 1000000\nf: 2.7"),
        "3 1e+06 2 42"
    );
    assert_eq!(run("{{ print .Values.big }} {{ print 1 2 \"a\" 3 }}", "big: 1000000"), "1e+06 1 2a3");
    assert_eq!(run("{{ toYaml .Values.big }} {{ toJson .Values.big }}", "big: 1000000"), "1000000 1000000");
}

#[test]
fn semver_compare() {
    assert_eq!(
        run(
            r#"{{ semverCompare ">=1.20-0" .Capabilities.KubeVersion.GitVersion }} {{ semverCompare "<1.19" "1.28.0" }}"#,
            ""
        ),
        "true false"
    );
}

#[test]
fn builtin_objects() {
    assert_eq!(
        run("{{ .Release.Name }} {{ .Release.Namespace }} {{ .Release.IsInstall }} {{ .Release.Revision }} {{ .Release.Service }}", ""),
        "rel default true 1 Helm"
    );
    assert_eq!(run("{{ .Chart.Name }} {{ .Chart.Version }} {{ .Chart.AppVersion }}", ""), "t 0.1.0 1.2.3");
    assert_eq!(run("{{ .Capabilities.KubeVersion.Major }}.{{ .Capabilities.KubeVersion.Minor }} {{ .Capabilities.APIVersions.Has \"apps/v1\" }} {{ .Capabilities.APIVersions.Has \"apps/v1beta1\" }}", ""), "1.28 true false");
    assert_eq!(run("{{ .Template.Name }} {{ .Template.BasePath }}", ""), "t/templates/t.yaml t/templates");
    assert_eq!(run(r#"{{ lookup "v1" "Secret" "default" "x" | toJson }}"#, ""), "{}");
    // A missing value prints nothing (Go's "<no value>", removed by Helm).
    assert_eq!(run("x: {{ .Values.nope }}", ""), "x: ");
}

#[test]
fn include_define_template_tpl() {
    let helpers =
        ("templates/_helpers.tpl", "{{- define \"t.name\" -}}\n{{ .Chart.Name }}-{{ .Release.Name }}\n{{- end }}");
    assert_eq!(
        run_with("{{ include \"t.name\" . | upper }}|{{ template \"t.name\" . }}", "", &[helpers]).unwrap(),
        "T-REL|t-rel"
    );
    assert_eq!(run("{{ define \"x\" }}[{{ . }}]{{ end }}{{ include \"x\" 5 }}", ""), "[5]");
    assert_eq!(run("{{ tpl .Values.t . }}", "t: \"{{ .Release.Name }}-x\""), "rel-x");
    assert_eq!(run_with("{{ tpl \"{{ include \\\"t.name\\\" . }}\" . }}", "", &[helpers]).unwrap(), "t-rel");
}

#[test]
fn files_get() {
    assert_eq!(
        run_with(
            "{{ .Files.Get \"files/a.txt\" | trim }}|{{ $.Files.Get \"nope\" }}|",
            "",
            &[("files/a.txt", "hello\n")]
        )
        .unwrap(),
        "hello||"
    );
}

#[test]
fn files_glob_lines_as_config_as_secrets() {
    let files = [("files/a.txt", "A\n"), ("files/b.json", "{}"), ("files/sub/c.txt", "C"), ("other.txt", "x")];
    assert_eq!(
        run_with("{{ range $path, $_ := .Files.Glob \"files/*.txt\" }}{{ $path }};{{ end }}", "", &files).unwrap(),
        "files/a.txt;"
    );
    assert_eq!(
        run_with("{{ range $path, $_ := .Files.Glob \"files/**\" }}{{ $path }};{{ end }}", "", &files).unwrap(),
        "files/a.txt;files/b.json;files/sub/c.txt;"
    );
    assert_eq!(
        run_with("{{ (.Files.Glob \"files/{a,b}.*\").AsConfig }}", "", &files).unwrap(),
        "a.txt: |\n  A\nb.json: '{}'"
    );
    assert_eq!(
        run_with("{{ $f := .Files.Glob \"files/a.txt\" }}{{ $f.AsSecrets }}", "", &files).unwrap(),
        "a.txt: QQo="
    );
    assert_eq!(run_with("{{ range .Files.Lines \"files/a.txt\" }}[{{ . }}]{{ end }}", "", &files).unwrap(), "[A]");
}

#[test]
fn runaway_recursion_is_an_error_not_a_crash() {
    let e = err("{{ define \"r\" }}{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}", "");
    assert!(e.message.contains("rendering template has a nested reference name: r"), "{}", e.message);
    let e = err("{{ define \"t\" }}{{ template \"t\" . }}{{ end }}{{ template \"t\" . }}", "");
    assert_eq!(e.kind, ChartErrorKind::Execution);
}

#[test]
fn required_and_fail_read_as_helm_prints_them() {
    let e = err("a: 1\nb: {{ required \"b is required\" .Values.b }}", "");
    assert_eq!(e.kind, ChartErrorKind::Execution);
    assert_eq!(e.message, "execution error at (t/templates/t.yaml:2:6): b is required");
    assert_eq!((e.location.file.as_str(), e.location.line, e.location.column), ("t/templates/t.yaml", 2, 7));
    assert_eq!(run("{{ required \"x\" .Values.b }}", "b: ok"), "ok");
    let e = err("{{- if true }}\n  {{ fail \"boom\" }}\n{{- end }}", "");
    assert_eq!(e.message, "execution error at (t/templates/t.yaml:2:5): boom");
}

#[test]
fn errors_inside_include_name_the_call_and_the_helper() {
    let helpers =
        ("templates/_helpers.tpl", "{{- define \"t.need\" -}}\n{{ required \"need it\" .Values.x }}\n{{- end }}");
    let e = run_with("x: {{ include \"t.need\" . }}", "", &[helpers]).unwrap_err();
    // Helm's message names the outermost call...
    assert_eq!(e.message, "execution error at (t/templates/t.yaml:1:6): need it");
    // ...the trace goes down to the helper.
    assert_eq!(e.trace.last().map(|l| (l.file.as_str(), l.line)), Some(("t/templates/_helpers.tpl", 2)));
}

#[test]
fn other_errors_are_go_template_errors() {
    let e = err("a: {{ upper 5 }}", "");
    assert_eq!(e.message, "template: t/templates/t.yaml:1:12: executing \"t/templates/t.yaml\" at <5>: wrong type for value; expected string; got int");
    let e = err("a: 1\nb: {{ nope 1 }}", "");
    assert_eq!(e.kind, ChartErrorKind::Parse);
    assert_eq!(e.message, "parse error at (t/templates/t.yaml:2): function \"nope\" not defined");
    let e = err("a: {{ .Values.x", "");
    assert_eq!(e.kind, ChartErrorKind::Parse);
}

#[test]
fn a_missing_value_in_the_middle_of_a_path_fails_as_in_helm() {
    let e = err("a: 1\nb: {{ .Values.a.b }}", "");
    assert_eq!(
        e.message,
        "template: t/templates/t.yaml:2:6: executing \"t/templates/t.yaml\" at <.Values.a.b>: nil pointer evaluating interface {}.b"
    );
    assert_eq!((e.location.line, e.location.column), (2, 7));
    assert!(err("{{ if .Values.a.b }}x{{ end }}", "a: null").message.contains("nil pointer evaluating interface {}.b"));
    assert_eq!(run("[{{ .Values.a.b }}]", "a: {}"), "[]");
    assert_eq!(run("{{ $x := .Values.missing }}[{{ $x.a }}]", ""), "[]");
    assert_eq!(run("{{ if and .Values.a .Values.a.b }}x{{ end }}.", ""), ".");
    assert_eq!(run("{{ with .Values.a }}{{ .b.c }}{{ end }}", "a: {b: {c: 1}}"), "1");
}

#[test]
fn comparing_a_values_number_with_an_int_literal_fails_as_in_helm() {
    let e = err("{{ if eq .Values.r 1 }}x{{ end }}", "r: 1");
    assert_eq!(
        e.message,
        "template: t/templates/t.yaml:1:6: executing \"t/templates/t.yaml\" at <eq .Values.r 1>: error calling eq: incompatible types for comparison"
    );
    assert_eq!(run("{{ if eq (int .Values.r) 1 }}x{{ end }}", "r: 1"), "x");
}

#[test]
fn yaml_errors_point_at_rendered_and_template_lines() {
    let chart = Chart::from_files(vec![
        ("Chart.yaml", CHART_YAML),
        ("templates/t.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n"),
    ])
    .unwrap();
    let options = RenderOptions { user_values: vec!["name: \"a: b\"".into()], ..RenderOptions::default() };
    let e = render(&chart, &options).unwrap_err();
    assert_eq!(e.kind, ChartErrorKind::Yaml);
    assert!(
        e.message.starts_with("YAML parse error on t/templates/t.yaml: error converting YAML to JSON: yaml: line 4:"),
        "{}",
        e.message
    );
    assert_eq!(e.location.line, 4);
    assert_eq!(e.trace[1].file, "t/templates/t.yaml");
    assert!(e.location.rendered && !e.trace[1].rendered);
    assert_eq!(e.trace[1].line, 4);
}

#[test]
fn every_function_of_the_issue_is_defined() {
    let names = "include tpl required fail toYaml toJson fromYaml nindent indent default empty coalesce ternary quote \
                 squote trunc trimSuffix trimPrefix trim upper lower title replace contains hasPrefix hasSuffix printf \
                 print list dict merge hasKey keys b64enc b64dec sha256sum semverCompare int toString lookup";
    for name in names.split_whitespace() {
        // An undefined function is a parse error even in a branch that never runs.
        run(&format!("{{{{ if false }}}}{{{{ {name} }}}}{{{{ end }}}}"), "");
    }
    assert_eq!(err("{{ if false }}{{ nosuch }}{{ end }}", "").kind, ChartErrorKind::Parse);
}
