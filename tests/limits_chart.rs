//! Issue #14, chart templates: every way a template can run long, grow a string, nest a value or
//! overflow arithmetic ends in an error that names the template file and line and the limit, as a
//! chart error (never a panic, a freeze or an exhausted page). The budgets bound the work by
//! construction; these tests check the answers.

use sts_lab::chart::{render, render_templates, Chart, ChartError, ChartErrorKind, RenderOptions};
use sts_lab::limits::{MAX_INCLUDE_DEPTH, MAX_TEMPLATE_STEPS, MAX_TEMPLATE_STRING_BYTES, MAX_VALUE_DEPTH};

const CHART_YAML: &str = "apiVersion: v2\nname: t\nversion: 0.1.0\n";

fn run_with(template: &str, values: &str, extra: &[(&str, &str)]) -> Result<String, ChartError> {
    let mut files =
        vec![("Chart.yaml".to_string(), CHART_YAML.to_string()), ("templates/t.yaml".into(), template.into())];
    files.extend(extra.iter().map(|(p, t)| (p.to_string(), t.to_string())));
    let chart = Chart::from_files(files).unwrap();
    let options =
        RenderOptions { release_name: "rel".into(), user_values: vec![values.into()], ..RenderOptions::default() };
    let out = render_templates(&chart, &options)?;
    Ok(out.into_iter().find(|(p, _)| p == "t/templates/t.yaml").map(|(_, t)| t).unwrap_or_default())
}

fn err(template: &str, values: &str, extra: &[(&str, &str)]) -> ChartError {
    match run_with(template, values, extra) {
        Ok(out) => panic!("{template}: rendered {} bytes instead of an error", out.len()),
        Err(e) => e,
    }
}

/// The error points into a template file, at a line, and says which limit.
fn assert_names_the_place(e: &ChartError, file: &str, words: &str) {
    assert_eq!(e.kind, ChartErrorKind::Execution, "{}", e.message);
    assert!(e.location.file.ends_with(file), "{:?}: {}", e.location, e.message);
    assert!(e.location.line >= 1, "{:?}", e.location);
    assert!(e.message.contains(words), "{}", e.message);
}

#[test]
fn an_include_doubling_forty_levels_deep_stops_at_the_step_budget_naming_the_template() {
    // d0 calls d1 twice, d1 calls d2 twice, ... : 2^40 calls.
    let mut helpers = String::new();
    for i in 0..40 {
        helpers.push_str(&format!(
            "{{{{- define \"d{i}\" -}}}}{{{{ include \"d{}\" . }}}}{{{{ include \"d{}\" . }}}}{{{{- end -}}}}\n",
            i + 1,
            i + 1
        ));
    }
    helpers.push_str("{{- define \"d40\" -}}{{- end -}}\n");
    let e = err("a: {{ include \"d0\" . }}\n", "", &[("templates/_helpers.tpl", &helpers)]);
    assert_names_the_place(&e, "templates/t.yaml", &format!("more than {MAX_TEMPLATE_STEPS} actions"));
    assert_eq!(e.location.line, 1);
    assert!(e.trace.iter().any(|l| l.file.ends_with("_helpers.tpl")), "{:?}", e.trace);
}

#[test]
fn an_include_of_itself_stops_at_the_nesting_limit() {
    let e = err(
        "{{ include \"self\" . }}",
        "",
        &[("templates/_h.tpl", "{{ define \"self\" }}{{ include \"self\" . }}{{ end }}")],
    );
    assert!(e.message.contains(&format!("at most {MAX_INCLUDE_DEPTH} deep")), "{}", e.message);
}

#[test]
fn includes_inside_ifs_stop_before_a_one_mebibyte_stack_runs_out() {
    // 64 includes, each inside 98 nested ifs: this overflowed a 1 MiB stack (the page's) natively.
    let open = "{{ if true }}".repeat(98);
    let close = "{{ end }}".repeat(98);
    let helpers = format!("{{{{ define \"r\" }}}}{open}x{{{{ include \"r\" . }}}}{close}{{{{ end }}}}");
    // The page's stack in a release build; a debug build's frames are about 3.4 times larger, and its
    // stack budget four times (see chart/render.rs).
    let stack = if cfg!(debug_assertions) { 4 * 1024 * 1024 } else { 1024 * 1024 };
    let e = std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || err("{{ include \"r\" . }}", "", &[("templates/_h.tpl", &helpers)]))
        .unwrap()
        .join()
        .expect("no stack overflow");
    let stopped = e.message.contains("the templates nest too deep") || e.message.contains("at most 64 deep");
    assert!(stopped, "{}", e.message);
    assert_eq!(e.location.file, "t/templates/t.yaml");
}

#[test]
fn range_until_100000000_is_refused_with_the_count() {
    let e = err("{{ range until 100000000 }}{{ end }}", "", &[]);
    assert_names_the_place(&e, "templates/t.yaml", "until 100000000: the lab's templates count to at most 100000");
    let e = err("{{ range until -100000000 }}{{ end }}", "", &[]);
    assert!(e.message.contains("count to at most"), "{}", e.message);
}

#[test]
fn nested_ranges_stop_at_the_step_budget_even_with_empty_bodies() {
    let e = err("{{ range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}", "", &[]);
    assert_names_the_place(&e, "templates/t.yaml", "range");
}

#[test]
fn indent_2147483647_is_refused_before_allocating() {
    let e = err("{{ \"a\" | indent 2147483647 }}", "", &[]);
    assert_names_the_place(&e, "templates/t.yaml", "indent would make a string of 2147483648 bytes");
    assert!(e.message.contains(&MAX_TEMPLATE_STRING_BYTES.to_string()), "{}", e.message);
    let e = err("{{ \"a\\nb\" | nindent 9223372036854775807 }}", "", &[]);
    assert!(e.message.contains("nindent would make a string"), "{}", e.message);
}

#[test]
fn repeat_and_replace_are_sized_before_they_are_made() {
    let e = err("{{ repeat 2147483647 \"ab\" }}", "", &[]);
    assert!(e.message.contains("repeat would make a string of 4294967294 bytes"), "{}", e.message);
    let e = err("{{ $s := repeat 1000000 \"a\" }}{{ replace \"\" $s $s }}", "", &[]);
    assert!(e.message.contains("replace would make a string"), "{}", e.message);
}

#[test]
fn string_doubling_stops_at_the_string_limit() {
    // Whichever comes first: the longest string, or the bytes a render may make.
    let stopped = |m: &str| m.contains("would make a string of") || m.contains("bytes of text; the lab stops a render");
    let e = err("{{ $s := \"ab\" }}{{ range until 40 }}{{ $s = cat $s $s }}{{ end }}{{ len $s }}", "", &[]);
    assert!(stopped(&e.message) && e.message.contains("error calling cat"), "{}", e.message);
    let e = err("{{ $s := \"ab\" }}{{ range until 40 }}{{ $s = printf \"%s%s\" $s $s }}{{ end }}", "", &[]);
    assert!(stopped(&e.message) && e.message.contains("printf"), "{}", e.message);
    let e = err("{{ $s := repeat 1500000 \"a\" }}{{ $t := cat $s $s }}", "", &[]);
    assert!(e.message.contains("cat would make a string of 3000001 bytes"), "{}", e.message);
}

#[test]
fn wide_printf_verbs_in_a_loop_stop_at_the_byte_budget() {
    let e = err("{{ range until 100000 }}{{ $x := printf \"%65535d\" 1 }}{{ end }}", "", &[]);
    assert!(e.message.contains("bytes of text"), "{}", e.message);
}

#[test]
fn division_of_the_smallest_int64_by_minus_one_is_gos_answer_not_a_panic() {
    // Go defines it: the quotient overflows back to MinInt64 and the remainder is 0.
    let min = "(sub -9223372036854775807 1)";
    assert_eq!(run_with(&format!("{{{{ {min} }}}}"), "", &[]).unwrap(), "-9223372036854775808");
    assert_eq!(run_with(&format!("{{{{ div {min} -1 }}}}"), "", &[]).unwrap(), "-9223372036854775808");
    assert_eq!(run_with(&format!("{{{{ mod {min} -1 }}}}"), "", &[]).unwrap(), "0");
    assert!(err("{{ div 1 0 }}", "", &[]).message.contains("integer divide by zero"));
    // The rest of the arithmetic wraps as Go's int64 does.
    assert_eq!(run_with("{{ add 9223372036854775807 1 }}", "", &[]).unwrap(), "-9223372036854775808");
    assert_eq!(run_with("{{ mul 9223372036854775807 2 }}", "", &[]).unwrap(), "-2");
    assert_eq!(run_with(&format!("{{{{ sub {min} 1 }}}}"), "", &[]).unwrap(), "9223372036854775807");
    assert_eq!(run_with("{{ add1 9223372036854775807 }}", "", &[]).unwrap(), "-9223372036854775808");
}

#[test]
fn a_dict_nested_a_hundred_thousand_deep_is_refused_at_the_depth_limit() {
    let e = err("{{ $d := dict }}{{ range until 100000 }}{{ $d = dict \"a\" $d }}{{ end }}{{ toYaml $d }}", "", &[]);
    assert!(e.message.contains(&format!("nested more than {MAX_VALUE_DEPTH} deep")), "{}", e.message);
    let e = err("{{ $l := list }}{{ range until 100000 }}{{ $l = list $l }}{{ end }}{{ toJson $l }}", "", &[]);
    assert!(e.message.contains("nested more than"), "{}", e.message);
    let e = err("{{ $l := list 1 }}{{ range until 100000 }}{{ $l = append (list) $l }}{{ end }}{{ $l }}", "", &[]);
    assert!(e.message.contains("nested more than"), "{}", e.message);
}

#[test]
fn printing_a_list_that_repeats_a_big_string_stops_at_the_string_limit() {
    let t = "{{ $s := repeat 1000000 \"a\" }}{{ $l := list $s $s $s $s $s }}{{ $l }}";
    let e = err(t, "", &[]);
    assert!(e.message.contains("printing a value would make a string"), "{}", e.message);
    let e = err("{{ $s := repeat 1000000 \"a\" }}{{ toYaml (list $s $s $s) }}", "", &[]);
    assert!(e.message.contains("toYaml would make a string"), "{}", e.message);
}

#[test]
fn a_value_whose_tpl_calls_tpl_on_itself_stops_at_the_nesting_limit() {
    let e = err("{{ tpl .Values.t . }}", "t: '{{ tpl .Values.t . }}'\n", &[]);
    assert!(e.message.contains(&format!("tpl nests more than {MAX_INCLUDE_DEPTH} deep")), "{}", e.message);
}

#[test]
fn uniq_of_a_long_list_is_not_quadratic() {
    let out = run_with(
        "{{ $l := list }}{{ range until 50000 }}{{ $l = append $l (mod . 7) }}{{ end }}{{ len (uniq $l) }}",
        "",
        &[],
    );
    // append copies the list each time: this is refused by the byte budget, or answers 7.
    match out {
        Ok(text) => assert_eq!(text, "7"),
        Err(e) => assert!(e.message.contains("bytes of text"), "{}", e.message),
    }
    assert_eq!(run_with("{{ until 50000 | uniq | len }}", "", &[]).unwrap(), "50000");
}

#[test]
fn values_nested_too_deep_are_a_values_error_with_a_position() {
    let values = format!("a: {}", "[".repeat(100_000));
    let e = err("{{ .Values.a }}", &values, &[]);
    assert_eq!(e.kind, ChartErrorKind::Values);
    assert!(e.message.contains("line 1, column 132") && e.message.contains("nests deeper than 128"), "{}", e.message);
}

#[test]
fn a_replica_count_of_int32_max_renders_as_helm_prints_it_and_the_page_says_why() {
    // Helm reads values as float64 and prints them with %v: 2147483647 becomes 2.147483647e+09.
    let chart = Chart::builtin("helm-python").unwrap();
    let options = RenderOptions { user_values: vec!["replicaCount: 2147483647\n".into()], ..RenderOptions::default() };
    let rendered = render(&chart, &options).unwrap();
    assert!(rendered.helm_template_output().contains("replicas: 2.147483647e+09"));
    // The paste's editor shows why there is no StatefulSet, at the values line.
    let u = sts_lab::scene::source::understand("replicaCount: 2147483647\n");
    assert!(u.release.statefulsets.is_empty());
    let e = u.release.diagnostics.iter().find(|d| d.is_error()).expect("an error saying why");
    assert_eq!((e.line, e.column), (1, 15));
    assert!(e.message.contains("`replicas: 2.147483647e+09`"), "{}", e.message);
    assert!(e.message.contains("is not an int32"), "{}", e.message);
    assert!(e.message.contains("| int"), "{}", e.message);
}

#[test]
fn a_replica_count_above_the_labs_limit_in_values_says_the_limit() {
    let u = sts_lab::scene::source::understand("replicaCount: 301\n");
    let e = u.release.diagnostics.iter().find(|d| d.is_error()).expect("the limit");
    assert_eq!(e.line, 1);
    assert!(e.message.contains("the lab animates up to 300 replicas; this set asks for 301"), "{}", e.message);
}
