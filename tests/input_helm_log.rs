//! A whole `helm install --dry-run --debug` log: every section kept, positions in the whole paste.

use sts_lab::input::parse;
use sts_lab::model::{HookPhase, InputKind, Section};

const LAB_LOG: &str = include_str!("fixtures/helm-python-install-dry-run-debug.txt");
const LAB_UPGRADE: &str = include_str!("fixtures/helm-python-upgrade.txt");

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect(needle) + 1
}

#[test]
fn every_section_of_the_lab_log_is_kept() {
    let r = parse(LAB_LOG);
    assert_eq!(r.input, InputKind::HelmDebug);
    assert_eq!(r.name.as_deref(), Some("python"));
    assert_eq!(r.namespace(), "default");
    let header = r.header.as_ref().unwrap();
    assert_eq!(header.status.as_deref(), Some("pending-install"));
    assert_eq!(header.revision, Some(1));
    assert_eq!(header.last_deployed.as_deref(), Some("Wed Nov 29 03:03:14 2023"));
    assert!(header.chart_path.as_deref().unwrap().starts_with("C:\\Files\\Innopolis"));
    assert_eq!(r.values.user_supplied, Some(yaml_serde::Value::Mapping(Default::default())));
    assert_eq!(r.values.computed.as_ref().unwrap()["replicaCount"], yaml_serde::Value::from(1));
    assert!(r.notes.as_deref().unwrap().starts_with("1. Get the application URL"));
    assert_eq!(r.hooks.len(), 3);
    assert_eq!(r.objects.iter().filter(|o| o.section == Section::Hooks).count(), 3);
    assert_eq!(r.statefulsets.len(), 1);
    assert_eq!(r.services.len(), 1);
    assert_eq!(r.config_maps.len(), 2);
    assert_eq!(r.secrets.len(), 1);
    assert_eq!(r.service_accounts.len(), 1);
    assert!(!r.has_errors(), "{:?}", r.diagnostics);
}

#[test]
fn each_document_keeps_its_source_and_its_line_in_the_whole_paste() {
    let r = parse(LAB_LOG);
    let sts = &r.statefulsets[0];
    assert_eq!(sts.source.as_deref(), Some("helm-python/templates/statefulset.yaml"));
    assert_eq!(sts.line, line_of(LAB_LOG, "kind: StatefulSet") - 1);
    let sa = r.objects.iter().find(|o| o.kind == "ServiceAccount").unwrap();
    assert_eq!(sa.source.as_deref(), Some("helm-python/templates/serviceaccount.yaml"));
}

#[test]
fn hooks_have_phase_and_weight() {
    let r = parse(LAB_LOG);
    assert_eq!(r.hooks[0].name.as_deref(), Some("postinstall-hook"));
    assert_eq!(r.hooks[0].phases, vec![HookPhase::PostInstall]);
    assert_eq!(r.hooks[0].weight, 0);
    assert_eq!(r.hooks[0].delete_policies, vec!["hook-succeeded".to_string()]);
    assert_eq!(r.hooks[2].phases, vec![HookPhase::Test]);
    let weighted = parse("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: pre-install,pre-upgrade\n    helm.sh/hook-weight: \"-5\"\n");
    assert_eq!(weighted.hooks[0].phases, vec![HookPhase::PreInstall, HookPhase::PreUpgrade]);
    assert_eq!(weighted.hooks[0].weight, -5);
}

#[test]
fn a_log_indented_as_a_markdown_list_item_reads_the_same_with_columns_shifted() {
    let indented: String = LAB_LOG.lines().map(|l| format!("    {l}\n")).collect();
    let bad = indented.replace("    replicas: 1\n", "    replicas: one\n");
    let plain = parse(&LAB_LOG.replace("  replicas: 1\n", "  replicas: one\n"));
    let r = parse(&bad);
    assert_eq!(r.input, InputKind::HelmDebug);
    assert_eq!(r.name.as_deref(), Some("python"));
    let (a, b) = (plain.errors().next().unwrap(), r.errors().next().unwrap());
    assert_eq!(a.line, b.line);
    assert_eq!(a.column + 4, b.column);
    assert_eq!(b.snippet.as_deref(), Some("      replicas: one"));
}

#[test]
fn crlf_line_endings_change_nothing() {
    let crlf = LAB_LOG.replace('\n', "\r\n");
    let r = parse(&crlf);
    assert_eq!(r.statefulsets.len(), 1);
    assert_eq!(r.statefulsets[0].line, parse(LAB_LOG).statefulsets[0].line);
    assert!(!r.has_errors());
}

#[test]
fn shell_prompt_and_timestamped_debug_lines_before_the_log_are_skipped() {
    let log = format!(
        "(venv) PS C:\\lab> helm install --dry-run --debug python .\ninstall.go:224: 2024-11-16 18:50:40.59 +0300 MSK m=+0.09 [debug] Original chart version: \"\"\n{}",
        LAB_LOG.lines().skip(2).collect::<Vec<_>>().join("\n")
    );
    let r = parse(&log);
    assert_eq!(r.header.as_ref().unwrap().command.as_deref(), Some("helm install --dry-run --debug python ."));
    assert_eq!(r.statefulsets.len(), 1);
    assert!(!r.has_errors());
}

#[test]
fn a_log_cut_in_the_middle_of_notes_keeps_everything_before() {
    let cut = &LAB_LOG[..LAB_LOG.find("  export CONTAINER_PORT").unwrap()];
    let r = parse(cut);
    assert_eq!(r.statefulsets.len(), 1);
    assert!(r.notes.is_some());
}

#[test]
fn a_log_cut_in_the_middle_of_the_statefulset_reports_where() {
    let cut = &LAB_LOG[..LAB_LOG.find("  selector:\n    matchLabels").unwrap()];
    let r = parse(cut);
    assert_eq!(r.objects.iter().filter(|o| o.kind == "Service").count(), 1);
    // The StatefulSet lost its pod template: reported, not silently dropped.
    assert!(r.has_errors());
}

#[test]
fn an_upgrade_log_without_manifest_keeps_header_and_notes() {
    let r = parse(LAB_UPGRADE);
    assert_eq!(r.input, InputKind::HelmDebug);
    assert_eq!(r.header.as_ref().unwrap().revision, Some(2));
    assert_eq!(r.header.as_ref().unwrap().status.as_deref(), Some("deployed"));
    assert!(r.notes.is_some());
    assert!(!r.has_errors());
}

#[test]
fn elided_lines_and_a_missing_manifest_header_are_reported_near_the_cut() {
    let text = "NAME: python\nSTATUS: pending-install\nUSER-SUPPLIED VALUES:\nclaim:\n  size: 1Mi\n\n...\n\n# Source: app/templates/statefulset.yaml\napiVersion: apps/v1\nkind: StatefulSet\n...\n";
    let r = parse(text);
    assert_eq!(r.statefulsets.len(), 1);
    let error = r.errors().next().expect("a cut StatefulSet is an error");
    assert_eq!(error.line, 12);
    assert!(r.warnings().any(|w| w.line == 7 && w.message.contains("left out")));
    assert!(r.warnings().any(|w| w.line == 9 && w.message.contains("MANIFEST")));
}
