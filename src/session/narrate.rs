//! A sentence for every step: what happened and why, even when the step changed nothing a
//! student can see (time passing, a wait repeated, a status write, a command that only reads).

use crate::engine::{Event, EventKind};

use super::Mark;

/// At most this many event sentences are told for one step (a Parallel sync can make dozens).
const MAX_SENTENCES: usize = 6;

/// What the narration says for one recorded step: the controller's and kubelet's own sentences
/// when the step has any, else a sentence that says why nothing visible changed.
/// `waiting_for` is what the controller waits for at that moment, if anything.
pub fn sentences(mark: &Mark, events: &[Event], waiting_for: Option<&str>) -> Vec<String> {
    let seen: Vec<&Event> = events
        .iter()
        .filter(|e| !matches!(e.kind, EventKind::Status) || events.iter().all(|e| e.kind == EventKind::Status))
        .collect();
    let mut out: Vec<String> = seen.iter().take(MAX_SENTENCES).map(|e| e.text.clone()).collect();
    if seen.len() > MAX_SENTENCES {
        out.push(format!("…and {} more changes in the same step.", seen.len() - MAX_SENTENCES));
    }
    if !out.is_empty() {
        return out;
    }
    let waiting = waiting_for.map(|w| format!("The controller still waits: {}", lower_first(w)));
    let sentence = match (&mark.command, &mark.answer) {
        (_, Some(Err(e))) => format!("The API server refused the change, so nothing happened: {e}"),
        (Some(c), _) if c.starts_with("# ") => {
            let passed = c.trim_start_matches("# ").trim_end_matches(" later");
            match waiting {
                Some(w) => format!("{passed} pass. {w}"),
                None => format!("{passed} pass. Nothing was due: every pod already matches the StatefulSet."),
            }
        }
        (Some(_), Some(Ok(_))) => {
            "The API server stored the change; the controller acts on it at its next sync.".to_string()
        }
        _ => match waiting {
            Some(w) => w,
            None => {
                "The controller looked again and found nothing to do: every pod matches the StatefulSet.".to_string()
            }
        },
    };
    vec![sentence]
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if !s.starts_with("Pod ") && !s.starts_with("StatefulSet") => {
            f.to_lowercase().collect::<String>() + c.as_str()
        }
        Some(_) => s.to_string(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{FeatureGates, SimDuration};
    use crate::session::Session;

    fn lab() -> Session {
        let release = crate::input::parse(include_str!("../../tests/fixtures/helm-python-install-dry-run-debug.txt"));
        Session::new(release, None, 7, FeatureGates::default()).unwrap()
    }

    /// Every recorded step of a session, told.
    fn told(s: &mut Session) -> Vec<Vec<String>> {
        let n = s.len();
        let events = s.head_events().to_vec();
        (1..=n)
            .map(|i| {
                s.seek(i);
                let mark = &s.marks()[i - 1];
                sentences(mark, &events[mark.events.clone()], s.shown().waiting_for())
            })
            .collect()
    }

    #[test]
    fn every_step_of_the_lab_story_has_a_sentence() {
        let mut s = lab();
        s.run_until_quiet();
        s.act(crate::engine::Action::Scale(3)).unwrap();
        s.run_until_quiet();
        s.wait(SimDuration::from_secs(15));
        s.act(crate::engine::Action::Traffic(7)).unwrap();
        for (i, said) in told(&mut s).iter().enumerate() {
            assert!(!said.is_empty() && said.iter().all(|t| t.len() > 10), "step {}: {said:?}", i + 1);
        }
    }

    #[test]
    fn time_passing_with_nothing_due_says_so() {
        let mut s = lab();
        s.run_until_quiet();
        s.wait(SimDuration::from_secs(15));
        let said = told(&mut s).pop().unwrap();
        assert!(said[0].starts_with("15s pass."), "{said:?}");
    }

    #[test]
    fn a_rejected_change_says_nothing_happened_spec_7() {
        let mut s = lab();
        s.run_until_quiet();
        let _ = s.act(crate::engine::Action::PodManagementPolicy(crate::engine::PodManagementPolicy::Parallel));
        let said = told(&mut s).pop().unwrap();
        assert!(said.iter().any(|t| t.contains("Forbidden")), "{said:?}");
    }
}
