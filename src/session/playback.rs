//! The one playback rule: what Play does at each tick, for the play button, guided scenarios and
//! the story alike. `Session::run_until_quiet` stops on the same rule ([`QUIET_STEPS`]).

use std::collections::VecDeque;

use super::{Session, Talk};
use crate::engine::{Action, SimDuration};

/// Playback stops after this many steps in a row that only wait (a crash loop, a stuck rollout):
/// watching on would show nothing new.
pub const QUIET_STEPS: u32 = 6;

/// How long simulated time moves on, with traffic on, when the controller has nothing to do.
const IDLE_WITH_TRAFFIC: SimDuration = SimDuration::from_secs(2);

/// Why playback stopped (or did not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tick {
    /// Play on.
    Continue,
    /// Stop: a talking point was reached; its words are on screen.
    Point,
    /// Stop: nothing left to do (the controller is idle or only waits).
    Done,
    /// A queued action was sent and the API server said no (the rejection, as kubectl prints it).
    Rejected(String),
}

/// Playback state: how many quiet steps in a row, and actions still to send once the controller
/// has gone quiet (a "try this" sequence).
#[derive(Debug, Clone, Default)]
pub struct Player {
    quiet: u32,
    pub queue: VecDeque<Action>,
}

impl Player {
    /// Called when Play is pressed: at the end of a recorded session with nothing left to do,
    /// playback starts again from the beginning (a video player's replay).
    pub fn start(&mut self, session: &mut Session, traffic: bool) {
        self.quiet = 0;
        if session.at_head() && session.head_is_idle() && self.queue.is_empty() && !traffic && !session.is_empty() {
            session.seek(0);
        }
    }

    /// One tick: replay what is recorded, else drive the engine; when the controller has nothing
    /// left to do, the next queued action goes in. Pauses at the talk's points.
    pub fn tick(&mut self, session: &mut Session, traffic: Option<u64>, talk: Option<&Talk>) -> Tick {
        let at_rest = session.at_head() && (session.head_is_idle() || self.quiet >= QUIET_STEPS);
        if at_rest {
            if let Some(next) = self.queue.pop_front() {
                self.quiet = 0;
                return match session.act(next) {
                    Ok(_) => Tick::Continue,
                    Err(e) => {
                        self.queue.clear();
                        Tick::Rejected(e)
                    }
                };
            }
        }
        if !session.at_head() {
            session.seek(session.position() + 1);
            return if talk.is_some_and(|t| t.pauses_at(session.position())) { Tick::Point } else { Tick::Continue };
        }
        if let Err(full) = session.within_budget() {
            self.queue.clear();
            return Tick::Rejected(full);
        }
        if let Some(n) = traffic {
            let _ = session.act(Action::Traffic(n));
        }
        let keep = if session.step() {
            if session.step_was_only_waiting() {
                self.quiet += 1;
            } else {
                self.quiet = 0;
            }
            traffic.is_some() || self.quiet < QUIET_STEPS
        } else if traffic.is_some() {
            session.wait(IDLE_WITH_TRAFFIC);
            true
        } else {
            false
        };
        if keep || !self.queue.is_empty() {
            Tick::Continue
        } else {
            self.quiet = 0;
            Tick::Done
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::FeatureGates;

    fn lab() -> Session {
        let release = crate::input::parse(include_str!("../../tests/fixtures/helm-python-install-dry-run-debug.txt"));
        Session::new(release, None, 7, FeatureGates::default()).unwrap()
    }

    fn play(p: &mut Player, s: &mut Session, talk: Option<&Talk>) -> Tick {
        for _ in 0..1000 {
            match p.tick(s, None, talk) {
                Tick::Continue => {}
                other => return other,
            }
        }
        panic!("playback never stopped");
    }

    #[test]
    fn play_drives_the_controller_until_it_is_idle() {
        let (mut s, mut p) = (lab(), Player::default());
        assert_eq!(play(&mut p, &mut s, None), Tick::Done);
        assert!(s.head_is_idle());
        assert_eq!(s.shown().pods().count(), 1);
    }

    #[test]
    fn play_at_the_end_replays_from_the_start() {
        let (mut s, mut p) = (lab(), Player::default());
        s.run_until_quiet();
        p.start(&mut s, false);
        assert_eq!(s.position(), 0);
    }

    #[test]
    fn playback_pauses_at_each_talking_point() {
        let (mut s, mut p) = (lab(), Player::default());
        s.run_until_quiet();
        let end = s.len();
        s.seek(0);
        let talk = Talk::from_steps("t".into(), "i".into(), &[2, end], &[Some("a".into()), Some("b".into())], &[]);
        assert_eq!(play(&mut p, &mut s, Some(&talk)), Tick::Point);
        assert_eq!(s.position(), 2);
        assert_eq!(play(&mut p, &mut s, Some(&talk)), Tick::Point);
        assert_eq!(s.position(), end);
    }

    #[test]
    fn queued_actions_go_in_once_the_controller_is_quiet() {
        let (mut s, mut p) = (lab(), Player::default());
        s.run_until_quiet();
        p.queue.push_back(Action::Scale(2));
        assert_eq!(play(&mut p, &mut s, None), Tick::Done);
        assert_eq!(s.shown().pods().count(), 2);
    }

    #[test]
    fn playback_stops_with_a_reason_when_the_session_is_as_long_as_the_lab_keeps() {
        let (mut s, mut p) = (lab(), Player::default());
        s.run_until_quiet();
        // Time passing with nothing due: the lightest input there is.
        while s.len() < crate::limits::MAX_INPUTS {
            s.wait(SimDuration::from_secs(1));
        }
        assert!(s.within_budget().is_err());
        let stopped = p.tick(&mut s, Some(1), None);
        assert!(matches!(stopped, Tick::Rejected(ref m) if m.contains("as many as the lab")), "{stopped:?}");
        assert_eq!(s.len(), crate::limits::MAX_INPUTS, "nothing more was recorded");
        assert!(s.act(Action::Scale(2)).is_err(), "nor an action");
    }

    #[test]
    fn a_rejected_queued_action_stops_the_sequence_spec_7() {
        let (mut s, mut p) = (lab(), Player::default());
        s.run_until_quiet();
        p.queue.push_back(Action::PodManagementPolicy(crate::engine::PodManagementPolicy::Parallel));
        p.queue.push_back(Action::Scale(2));
        assert!(matches!(play(&mut p, &mut s, None), Tick::Rejected(_)));
        assert!(p.queue.is_empty());
    }
}
