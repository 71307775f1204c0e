//! The state a share link or an exported scenario carries, and how it becomes a session again.
//!
//! Only inputs are stored, never the cluster: the engine is deterministic (one seeded RNG, simulated
//! time), so replaying the same inputs on the same paste with the same seed and gates rebuilds the
//! same cluster, byte for byte, at every moment. That keeps a link small enough for a URL.

use crate::engine::{FeatureGates, Input, KubeVersion};
use crate::scene::{source, Session};

use super::ShareError;

/// A bound on recorded inputs when reading a link or file: a hostile `step: 4000000000` must not
/// allocate or replay forever ([`crate::limits::MAX_INPUTS`]).
pub use crate::limits::MAX_INPUTS;

/// Everything needed to show the same moment of the same session elsewhere.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedState {
    /// The editor's text, exactly as typed (diagnostics point into it).
    pub input_text: String,
    /// Which StatefulSet of the input is simulated (None: the first).
    pub statefulset: Option<String>,
    /// The engine's seed (pod IPs, volume names, where each request goes).
    pub seed: u64,
    /// The Kubernetes release simulated. A link from before versions decodes to the newest
    /// release with the gates it carried (see `scenario::parse`).
    pub version: KubeVersion,
    /// Feature gates that change the controller's behaviour.
    pub gates: FeatureGates,
    /// Whether the objects the paste names but does not define are in the cluster already.
    pub assume_missing_references: bool,
    /// Everything done to the cluster, in order (the session's timeline).
    pub inputs: Vec<Input>,
    /// The moment shown: after this many inputs (`Session::position`).
    pub position: usize,
}

impl SharedState {
    /// Captures a session. `inputs` are the inputs the session recorded (its timeline's
    /// `inputs()`); the session does not hand them out itself yet, so the caller passes them and
    /// the count is checked against the session's marks.
    pub fn capture(input_text: &str, session: &Session, inputs: &[Input]) -> Result<SharedState, ShareError> {
        if inputs.len() != session.len() {
            return Err(ShareError::InputsMismatch { session: session.len(), given: inputs.len() });
        }
        Ok(SharedState {
            input_text: input_text.to_string(),
            statefulset: session.statefulset.clone(),
            seed: session.seed,
            version: session.version,
            gates: session.gates,
            assume_missing_references: session.assume_missing_references,
            inputs: inputs.to_vec(),
            position: session.position(),
        })
    }

    /// Rebuilds the session: reads the paste as the editor does (a values.yaml through the lab
    /// chart), replays every input, then shows the recorded moment.
    pub fn replay(&self) -> Result<Session, ShareError> {
        if self.inputs.len() > MAX_INPUTS {
            return Err(ShareError::TooManyInputs { limit: MAX_INPUTS });
        }
        if self.position > self.inputs.len() {
            return Err(ShareError::PositionOutOfRange { position: self.position, len: self.inputs.len() });
        }
        let release = source::understand(&self.input_text).release;
        let mut session = Session::new_on(
            release,
            self.statefulset.clone(),
            self.seed,
            self.version,
            self.gates,
            self.assume_missing_references,
        )
        .map_err(ShareError::Simulation)?;
        for input in &self.inputs {
            session.within_budget().map_err(ShareError::TooMuchWork)?;
            session.push(input.clone());
        }
        session.seek(self.position);
        Ok(session)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::engine::{Action, SimDuration};

    pub(crate) const LAB: &str = include_str!("../../tests/fixtures/helm-python-install-dry-run-debug.txt");

    /// A session driven the way the UI drives it, with the inputs it recorded kept alongside
    /// (what `Session` would hand out through its timeline).
    pub(crate) fn lab_session(seed: u64) -> (Session, Vec<Input>) {
        let release = source::understand(LAB).release;
        let session = Session::new(release, None, seed, FeatureGates::default()).unwrap();
        (session, Vec::new())
    }

    /// `Session::run_until_quiet`, recording the controller steps it pushed.
    pub(crate) fn settle(s: &mut Session, inputs: &mut Vec<Input>) {
        let before = s.len();
        s.run_until_quiet();
        inputs.extend(std::iter::repeat_n(Input::Step, s.len() - before));
    }

    pub(crate) fn act(s: &mut Session, inputs: &mut Vec<Input>, a: Action) {
        let _ = s.act(a.clone());
        inputs.push(Input::Action(a));
    }

    pub(crate) fn get(s: &Session) -> String {
        crate::kubectl::get(s.shown(), "po,sts,svc,pvc", false).unwrap_or_else(|e| e)
    }

    #[test]
    fn replaying_the_inputs_shows_the_same_moment() {
        let (mut s, mut inputs) = lab_session(7);
        settle(&mut s, &mut inputs);
        act(&mut s, &mut inputs, Action::Scale(3));
        settle(&mut s, &mut inputs);
        act(&mut s, &mut inputs, Action::Traffic(40));
        s.wait(SimDuration::from_secs(90));
        inputs.push(Input::Advance(SimDuration::from_secs(90)));
        s.seek(s.len() - 3);
        let state = SharedState::capture(LAB, &s, &inputs).unwrap();
        let back = state.replay().unwrap();
        assert_eq!(back.position(), s.position());
        assert_eq!(back.len(), s.len());
        assert_eq!(get(&back), get(&s));
        assert_eq!(back.marks(), s.marks());
    }

    #[test]
    fn capture_refuses_inputs_that_are_not_the_sessions() {
        let (mut s, mut inputs) = lab_session(7);
        settle(&mut s, &mut inputs);
        inputs.pop();
        assert!(matches!(SharedState::capture(LAB, &s, &inputs), Err(ShareError::InputsMismatch { .. })));
    }

    #[test]
    fn a_moment_beyond_the_recorded_inputs_is_an_error_not_a_panic() {
        let state = SharedState {
            input_text: LAB.into(),
            statefulset: None,
            seed: 1,
            version: KubeVersion::LATEST,
            gates: FeatureGates::default(),
            assume_missing_references: true,
            inputs: vec![Input::Step],
            position: 5,
        };
        assert_eq!(state.replay().unwrap_err(), ShareError::PositionOutOfRange { position: 5, len: 1 });
    }
}
