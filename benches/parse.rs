//! How long the input layer takes on the lab's own `helm install --dry-run --debug` log
//! (issue #3 asks for under 1 ms natively: the UI re-parses on every keystroke).

use criterion::{criterion_group, criterion_main, Criterion};

const LAB_LOG: &str = include_str!("../tests/fixtures/helm-python-install-dry-run-debug.txt");

fn parse_lab_debug_log(c: &mut Criterion) {
    c.bench_function("parse helm-python-install-dry-run-debug.txt", |b| {
        b.iter(|| sts_lab::input::parse(std::hint::black_box(LAB_LOG)))
    });
}

criterion_group!(benches, parse_lab_debug_log);
criterion_main!(benches);
