//! How long the input layer takes on the lab's own `helm install --dry-run --debug` log
//! (issue #3 asks for under 1 ms natively: the UI re-parses on every keystroke).

use criterion::{criterion_group, criterion_main, Criterion};

const LAB_LOG: &str = include_str!("../tests/fixtures/helm-python-install-dry-run-debug.txt");

fn parse_lab_debug_log(c: &mut Criterion) {
    c.bench_function("parse helm-python-install-dry-run-debug.txt", |b| {
        b.iter(|| sts_lab::input::parse(std::hint::black_box(LAB_LOG)))
    });
}

/// The hostile inputs of issue #14 (tests/input_robustness.rs checks what they answer): each must
/// end well under a second, the page's freeze limit.
fn parse_hostile_inputs(c: &mut Criterion) {
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
    }
    let manifest = include_str!("../tests/fixtures/helm-python-manifest.yaml");
    let big = manifest.repeat(10 * 1024 * 1024 / manifest.len() + 1);
    let item = "- apiVersion: apps/v1beta1\n  kind: StatefulSet\n  metadata:\n    name: s\n  spec:\n    podManagementPolicy: parallel\n    template:\n      metadata:\n        labels:\n          app: s\n      spec:\n        containers:\n        - name: c\n          image: i\n";
    let list = format!("apiVersion: v1\nkind: List\nitems:\n{}", item.repeat(3_000));
    let mut group = c.benchmark_group("hostile");
    group.sample_size(10);
    group.bench_function("alias bomb (10^12 nodes)", |b| b.iter(|| sts_lab::input::parse(std::hint::black_box(&bomb))));
    group.bench_function("10 MB paste", |b| b.iter(|| sts_lab::input::parse(std::hint::black_box(&big))));
    group.bench_function("List of 3,000 faulty StatefulSets", |b| {
        b.iter(|| sts_lab::input::parse(std::hint::black_box(&list)))
    });
    group.finish();
}

criterion_group!(benches, parse_lab_debug_log, parse_hostile_inputs);
criterion_main!(benches);
