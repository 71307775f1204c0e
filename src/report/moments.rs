//! Which moments of a session a lab report shows. A student runs a command, waits for the
//! controller to finish, then runs `kubectl get`: so by default a report shows, for each change the
//! user made, the moment just before their next change (the controller had settled or was stuck),
//! and the final moment. Requests sent meanwhile belong to the change before them: they are how
//! the student looks at its result (the counters, the canary's share).

use std::ops::Range;

use crate::scene::{Mark, Session};

/// One section of the report: the inputs from `inputs.start` (the user's commands first) up to
/// the moment shown, `inputs.end` (a session position).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Indices into `Session::marks()`; the shown moment is the position `inputs.end`.
    pub inputs: Range<usize>,
}

impl Section {
    /// The session position the section's `kubectl` outputs are taken at.
    pub fn moment(&self) -> usize {
        self.inputs.end
    }
}

/// A change of the cluster by the user (`Mark::is_action` is false for requests).
fn is_change(m: &Mark) -> bool {
    m.is_action
}

/// Whether the controller had settled at session position `at` (after `at` inputs): nothing left
/// to do, or only waiting on a pod that never becomes Ready (the last controller step before it,
/// requests aside, changed nothing it acts on; `Session::step_was_only_waiting`).
fn settled_at(session: &Session, at: usize) -> bool {
    let mut view = session.clone();
    view.seek(at);
    if view.shown().is_idle() {
        return true;
    }
    let marks = session.marks();
    let Some(last) = marks[..at].iter().rev().find(|m| !m.is_traffic) else {
        return false;
    };
    !last.is_action && crate::session::only_waiting(view.shown(), &view.shown().events()[last.events.clone()])
}

/// The default sections: the install (everything before the first change), then one per change
/// made once the controller had settled, each up to just before the next such change, the last
/// one up to the end. A change made while the controller was still busy (`partition: 2` directly
/// followed by `set image`, or a patch typed before the rollout finished) joins the section before
/// it: a student's `kubectl get` shows the cluster after the rollout settles, never mid-way.
pub fn default_sections(session: &Session) -> Vec<Section> {
    let marks = session.marks();
    let mut starts: Vec<usize> = vec![0];
    for (i, m) in marks.iter().enumerate() {
        if is_change(m) && i > 0 && !is_change(&marks[i - 1]) && settled_at(session, i) {
            starts.push(i);
        }
    }
    starts.dedup();
    let mut sections: Vec<Section> = Vec::new();
    for (k, start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(marks.len());
        if end > *start || (k == 0 && marks.is_empty()) {
            sections.push(Section { inputs: *start..end });
        }
    }
    sections
}

/// Sections ending at chosen moments (session positions): each covers the inputs since the
/// previous chosen moment.
pub fn sections_at(session: &Session, moments: &[usize]) -> Vec<Section> {
    let mut moments: Vec<usize> = moments.iter().map(|m| (*m).min(session.len())).collect();
    crate::sorting::sort(&mut moments);
    moments.dedup();
    let mut from = 0;
    moments
        .into_iter()
        .map(|m| {
            let s = Section { inputs: from..m };
            from = m;
            s
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Action, FeatureGates};

    #[test]
    fn each_user_action_is_reported_once_the_controller_settled() {
        let release = crate::scene::source::understand(crate::share::state::tests::LAB).release;
        let mut s = Session::new(release, None, 1, FeatureGates::default()).unwrap();
        s.run_until_quiet();
        let installed = s.len();
        s.act(Action::Partition(2)).unwrap();
        s.act(Action::Scale(3)).unwrap();
        s.run_until_quiet();
        let scaled = s.len();
        s.act(Action::Traffic(10)).unwrap();
        let sections = default_sections(&s);
        assert_eq!(sections.len(), 2, "{sections:?}");
        assert_eq!(sections[0].inputs, 0..installed);
        // partition and scale typed one after the other: one section; the requests after them
        // show their result, so they end it.
        assert_eq!(sections[1].inputs, installed..scaled + 1);
        assert_eq!(sections[1].moment(), s.len());
    }
}
