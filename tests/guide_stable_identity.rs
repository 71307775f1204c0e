//! Guided scenario 02 (issue #10 item 6): a request to a pod's DNS name reaches that pod's counter
//! before and after the pod is deleted and recreated (spec §1 stable network ID, §5 claims kept).

use sts_lab::engine::EventKind;
use sts_lab::guide::{builtin, load_input};
use sts_lab::scenario::{self, Entry};

#[test]
fn the_pod_name_reaches_the_same_counter_after_the_pod_is_recreated_spec_1_5() {
    let guide = builtin().unwrap().into_iter().find(|g| g.id == "02-stable-identity").unwrap();
    let t = scenario::run(&scenario::parse(&guide.text, &load_input).unwrap()).unwrap();
    let requests: Vec<&str> = t
        .entries
        .iter()
        .filter_map(|e| match e {
            Entry::Output { command, stdout, .. } if command.contains("curl -sS http://web-1.nginx:80/") => {
                Some(stdout.as_str())
            }
            _ => None,
        })
        .collect();
    let cats: Vec<&str> = t
        .entries
        .iter()
        .filter_map(|e| match e {
            Entry::Output { command, stdout, .. } if command.starts_with("kubectl exec web-1") => Some(stdout.trim()),
            _ => None,
        })
        .collect();
    assert_eq!(requests.len(), 2, "{requests:?}");
    // The first request's count is what the volume holds before and after the deletion ...
    assert!(requests[0].ends_with(&format!("its counter is now {}\n", cats[0])), "{requests:?} {cats:?}");
    assert_eq!(cats[0], cats[1]);
    // ... and the second one, to the recreated pod, goes on from it: one more on the same claim.
    let count = |s: &str| s.rsplit(": ").next().unwrap().trim().trim_end_matches('}').parse::<u64>().unwrap();
    assert_eq!(count(requests[1]), count(cats[1]) + 1);
    // Both reached web-1, at two different IPs: the name stayed, the pod behind it is new.
    let ips: Vec<&str> = requests.iter().map(|r| r.split(' ').nth(4).unwrap()).collect();
    assert_ne!(ips[0], ips[1]);
    let served: Vec<&str> = t
        .cluster
        .events()
        .iter()
        .filter(|e| e.kind == EventKind::Request && e.rule == "1")
        .map(|e| e.object.as_str())
        .collect();
    assert_eq!(served, ["web-1", "web-1"]);
}

#[test]
fn every_step_of_the_stable_identity_guide_has_a_talking_point() {
    let guide = builtin().unwrap().into_iter().find(|g| g.id == "02-stable-identity").unwrap();
    assert!(guide.talking_points.iter().all(|p| p.is_some()), "{:?}", guide.talking_points);
    assert!(guide.intro.contains("headless Service nginx"));
}
