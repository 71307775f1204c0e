use sts_lab::engine::{Cluster, FeatureGates, Settled};
const WEB: &str = include_str!("scenarios/inputs/web.yaml");
fn build(yaml: &str) -> Cluster {
    let release = sts_lab::input::parse(yaml);
    Cluster::from_release(&release, Some("web"), 1, FeatureGates::default()).expect("a set")
}
#[test]
fn dump() {
    let mut c = build(WEB);
    assert_eq!(c.settle(), Settled::Done);
    c.apply(sts_lab::engine::Action::Scale(2)).unwrap();
    c.settle();
    c.apply(sts_lab::engine::Action::BreakReadiness(0)).unwrap();
    c.advance(sts_lab::engine::SimDuration::from_secs(60));
    c.apply(sts_lab::engine::Action::BreakImage).unwrap();
    c.apply(sts_lab::engine::Action::Image("nginx:9".into())).unwrap();
    c.settle();
    c.advance(sts_lab::engine::SimDuration::from_secs(600));
    for e in c.recorded() {
        println!("{} {} {:?} {} {}/{} {:?} x{} [{}..{}] {}", e.source, e.type_.as_str(), e.reason, "", e.kind, e.name, e.field_path, e.count, e.first, e.last, e.message);
    }
}
