//! Engine speed (issue #4): one controller sync of a 300-replica set (< 1 ms), a complete rolling
//! update of 300 replicas (< 200 ms), 100,000 requests through the Service (< 50 ms). 300 is the
//! most replicas the lab simulates (`sts_lab::limits::MAX_REPLICAS`, issue #14).
//! Scrubbing (issue #13): showing any moment of a 10,000-input session (< 50 ms).
//! `cargo bench --bench engine`, or `cargo xtask bench` for every figure in one table.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use sts_lab::engine::{Action, Cluster, FeatureGates};

const WEB: &str = include_str!("../tests/scenarios/inputs/web.yaml");

fn settled(replicas: i32) -> Cluster {
    let yaml = WEB.replace("  replicas: 3\n", &format!("  replicas: {replicas}\n"));
    let release = sts_lab::input::parse(&yaml);
    let mut c = Cluster::from_release(&release, Some("web"), 1, FeatureGates::default()).expect("web");
    c.settle();
    assert_eq!(c.status().unwrap().ready_replicas, replicas);
    c
}

fn benches(cr: &mut Criterion) {
    let steady = settled(300);

    cr.bench_function("sync of a 300-replica set", |b| {
        let mut c = steady.clone();
        b.iter(|| c.reconcile());
    });

    let mut mid = steady.clone();
    mid.apply(Action::Image("registry.k8s.io/nginx-slim:0.8".into())).unwrap();
    for _ in 0..1000 {
        mid.step();
    }
    cr.bench_function("sync of a 300-replica set mid-rollout", |b| {
        let mut c = mid.clone();
        b.iter(|| c.reconcile());
    });

    let mut group = cr.benchmark_group("rollout");
    group.sample_size(10);
    group.bench_function("complete rolling update of 300 replicas", |b| {
        b.iter_batched(
            || steady.clone(),
            |mut c| {
                c.apply(Action::Image("registry.k8s.io/nginx-slim:0.8".into())).unwrap();
                c.settle();
                assert_eq!(c.status().unwrap().updated_replicas, 300);
                c
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();

    let three = settled(3);
    cr.bench_function("100,000 requests through the Service", |b| {
        b.iter_batched(|| three.clone(), |mut c| c.send_requests(100_000), BatchSize::SmallInput);
    });

    // A long classroom session: traffic and rollouts back and forth, 10,000 recorded inputs.
    let mut session =
        sts_lab::session::Session::new(sts_lab::input::parse(WEB), Some("web".into()), 1, FeatureGates::default())
            .expect("web");
    let images = ["registry.k8s.io/nginx-slim:0.8", "registry.k8s.io/nginx-slim:0.7"];
    let mut i = 0;
    while session.len() < 10_000 {
        if i % 50 == 0 {
            session.act(Action::Image(images[(i / 50) % 2].into())).unwrap();
        } else if i % 2 == 0 {
            session.act(Action::Traffic(10)).unwrap();
        } else if !session.step() {
            session.act(Action::Traffic(1)).unwrap();
        }
        i += 1;
    }
    let len = session.len();
    let mut group = cr.benchmark_group("scrub");
    group.sample_size(20);
    let mut k = 0usize;
    group.bench_function("show any moment of a 10,000-input session", |b| {
        b.iter(|| {
            // A new far-apart moment each time (7,919 is prime), never the one already shown.
            k = (k + 7_919) % len;
            session.seek(k);
            session.shown().now()
        })
    });
    group.finish();
}

criterion_group!(engine, benches);
criterion_main!(engine);
