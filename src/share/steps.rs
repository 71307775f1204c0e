//! Recorded inputs as scenario steps and back. A share link and an exported scenario file carry
//! the timeline as scenario steps (issue #4's format), so a link can be imported as a file and a
//! file read by `sts-lab run`; this is the one place that knows how an `Input` is written.

use crate::engine::{Action, Input};
use crate::scenario::StepKind;

use super::ShareError;

/// Writes recorded inputs as scenario step lines. A run of single controller steps becomes one
/// `step: N` line: a session records dozens of them, and a URL has no room to spare.
pub fn step_lines(inputs: &[Input]) -> Result<Vec<String>, ShareError> {
    let mut lines = Vec::new();
    let mut run = 0u32;
    let flush = |run: &mut u32, lines: &mut Vec<String>| {
        match *run {
            0 => {}
            1 => lines.push("step".to_string()),
            n => lines.push(format!("step: {n}")),
        }
        *run = 0;
    };
    for input in inputs {
        if matches!(input, Input::Step) {
            run += 1;
            continue;
        }
        flush(&mut run, &mut lines);
        lines.push(match input {
            Input::Step => unreachable!("counted above"),
            Input::Settle => "settle".to_string(),
            // Milliseconds when needed: a share link must replay the exact moment.
            Input::Advance(d) if d.0 % 1000 == 0 => format!("wait: {}s", d.0 / 1000),
            Input::Advance(d) => format!("wait: {}ms", d.0),
            Input::Action(a) => action_line(a)?,
        });
    }
    flush(&mut run, &mut lines);
    Ok(lines)
}

/// One action as the scenario parser reads it (`scale: 3`, `image: "nginx:1.25"`): the scenario
/// format's own writer, so a share link and an exported file can never disagree with the parser.
pub fn action_line(action: &Action) -> Result<String, ShareError> {
    Ok(StepKind::Action(action.clone()).to_yaml())
}

/// The inputs a step stands for when it does not depend on the cluster: everything but the
/// `kubectl` observations (which the caller handles: `rollout status` drives the cluster).
pub fn inputs_of(kind: &StepKind) -> Vec<Input> {
    match kind {
        StepKind::Settle => vec![Input::Settle],
        StepKind::Step(n) => vec![Input::Step; *n as usize],
        StepKind::Wait(d) => vec![Input::Advance(*d)],
        StepKind::Action(a) => vec![Input::Action(a.clone())],
        StepKind::Kubectl(_) | StepKind::Helm(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{PodManagementPolicy, RetentionPolicy, SimDuration, UpdateStrategy};

    fn parse_back(lines: &[String]) -> Vec<Input> {
        let mut text = String::from("input_text: x\nsteps:\n");
        for l in lines {
            text.push_str(&format!("  - {l}\n"));
        }
        let s = crate::scenario::parse(&text, &|_| Err("no files".into())).unwrap();
        s.steps.iter().flat_map(|s| inputs_of(&s.kind)).collect()
    }

    #[test]
    fn every_action_reads_back_as_the_same_input() {
        let inputs = vec![
            Input::Settle,
            Input::Step,
            Input::Step,
            Input::Step,
            Input::Advance(SimDuration::from_secs(30)),
            Input::Advance(SimDuration::from_millis(1500)),
            Input::Action(Action::Scale(3)),
            Input::Action(Action::Image("registry.k8s.io/nginx-slim:0.8 # not a comment".into())),
            Input::Action(Action::Partition(2)),
            Input::Action(Action::MaxUnavailable(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(2))),
            Input::Action(Action::MaxUnavailable(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(
                "50%".into(),
            ))),
            Input::Action(Action::Strategy(UpdateStrategy::OnDelete)),
            Input::Action(Action::PodManagementPolicy(PodManagementPolicy::Parallel)),
            Input::Action(Action::Retention {
                when_scaled: RetentionPolicy::Delete,
                when_deleted: RetentionPolicy::Retain,
            }),
            Input::Action(Action::OrdinalsStart(5)),
            Input::Action(Action::MinReadySeconds(10)),
            Input::Action(Action::DeletePod(1)),
            Input::Action(Action::BreakReadiness(0)),
            Input::Action(Action::FixReadiness(0)),
            Input::Action(Action::BreakImage),
            Input::Action(Action::Rollback { to_revision: None }),
            Input::Action(Action::Rollback { to_revision: Some(1) }),
            Input::Action(Action::Restart),
            Input::Action(Action::Traffic(100)),
            Input::Action(Action::Request(1)),
            Input::Action(Action::DeleteStatefulSet),
            Input::Action(Action::OrphanStatefulSet),
            Input::Action(Action::NodeDown("minikube-m02".into())),
            Input::Action(Action::NodeUp("minikube-m02".into())),
            Input::Action(Action::ForceDeletePod(1)),
            Input::Action(Action::Cordon { node: "minikube-m03".into(), on: true }),
            Input::Action(Action::Cordon { node: "minikube-m03".into(), on: false }),
            Input::Action(Action::Drain("minikube-m03".into())),
            Input::Action(Action::Taint {
                node: "minikube-m02".into(),
                key: "node.kubernetes.io/out-of-service".into(),
                value: "nodeshutdown".into(),
                effect: "NoExecute".into(),
                remove: false,
            }),
            Input::Action(Action::Taint {
                node: "minikube-m02".into(),
                key: "dedicated".into(),
                value: String::new(),
                effect: String::new(),
                remove: true,
            }),
            Input::Action(Action::CreateConfig {
                kind: crate::engine::ConfigKind::Secret,
                name: "secret-base".into(),
                data: vec![("password".into(), "it's: # \"quoted\"".into()), ("user".into(), "1".into())],
            }),
            Input::Action(Action::CreateConfig {
                kind: crate::engine::ConfigKind::ConfigMap,
                name: "flags".into(),
                data: vec![],
            }),
            Input::Action(Action::DeleteConfig { kind: crate::engine::ConfigKind::Secret, name: "secret-base".into() }),
            Input::Action(Action::DeleteConfig { kind: crate::engine::ConfigKind::ConfigMap, name: "flags".into() }),
        ];
        let lines = step_lines(&inputs).unwrap();
        assert_eq!(lines[1], "step: 3");
        assert_eq!(parse_back(&lines), inputs);
    }

    #[test]
    fn an_applied_manifest_travels_inline() {
        let release = crate::input::parse(include_str!("../../tests/scenarios/inputs/web.yaml"));
        let set = release.statefulsets[0].object.clone();
        let input = Input::Action(Action::Apply { statefulset: Box::new(set), services: release.services.clone() });
        let lines = step_lines(std::slice::from_ref(&input)).unwrap();
        let back = parse_back(&lines);
        let (
            Input::Action(Action::Apply { statefulset, services }),
            Input::Action(Action::Apply { statefulset: s0, services: v0 }),
        ) = (&back[0], &input)
        else {
            panic!("not an apply: {back:?}")
        };
        assert_eq!(statefulset.spec, s0.spec);
        assert_eq!(services.len(), v0.len());
    }
}
