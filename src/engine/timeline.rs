//! Rewinding: every input (action, step, advance, settle) is recorded, and a full snapshot of the
//! cluster is kept every `every` inputs that did something, so any earlier moment is rebuilt from
//! the nearest snapshot with at most `every - 1` such inputs replayed — never from zero.
//!
//! A step of a settled cluster finds nothing to do: replaying it costs a fraction of a
//! microsecond and changes nothing, while a snapshot is a deep copy of the cluster (about 150 µs
//! for a 3-pod set). Counting such steps made a share link of 99,999 steps copy the cluster 6,250
//! times, 0.46 s of its 0.47 s replay (issue #14), so they count only towards
//! [`MAX_INPUTS_BETWEEN_SNAPSHOTS`].

use super::action::{Action, ActionError};
use super::clock::SimDuration;
use super::cluster::{Cluster, Settled, StepReport};

/// One thing done to the cluster.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    Action(Action),
    Step,
    Advance(SimDuration),
    Settle,
}

/// What an input returned.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Action(Result<String, ActionError>),
    Step(Option<StepReport>),
    Advanced,
    Settle(Settled),
}

/// Applies one input to a cluster.
pub fn run_input(cluster: &mut Cluster, input: &Input) -> Outcome {
    match input {
        Input::Action(a) => Outcome::Action(cluster.apply(a.clone())),
        Input::Step => Outcome::Step(cluster.step()),
        Input::Advance(d) => {
            cluster.advance(*d);
            Outcome::Advanced
        }
        Input::Settle => Outcome::Settle(cluster.settle()),
    }
}

/// Inputs between two snapshots at most, whether they did something or not: replaying this many
/// idle steps takes about a millisecond.
pub const MAX_INPUTS_BETWEEN_SNAPSHOTS: usize = 4_096;

/// The recorded history of one simulation.
#[derive(Debug, Clone)]
pub struct Timeline {
    inputs: Vec<Input>,
    /// (number of inputs applied, state after them); the first is the initial state.
    snapshots: Vec<(usize, Cluster)>,
    every: usize,
    /// Inputs since the last snapshot that did something (all but steps that found nothing to do).
    worked: usize,
    head: Cluster,
}

impl Timeline {
    /// Starts a timeline; a snapshot is kept every `every` inputs (at least 1).
    pub fn new(initial: Cluster, every: usize) -> Timeline {
        Timeline {
            inputs: Vec::new(),
            snapshots: vec![(0, initial.clone())],
            every: every.max(1),
            worked: 0,
            head: initial,
        }
    }

    /// The present state.
    pub fn current(&self) -> &Cluster {
        &self.head
    }

    /// Inputs recorded so far.
    pub fn inputs(&self) -> &[Input] {
        &self.inputs
    }

    pub fn len(&self) -> usize {
        self.inputs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// Applies and records an input.
    pub fn push(&mut self, input: Input) -> Outcome {
        let out = run_input(&mut self.head, &input);
        self.inputs.push(input);
        if !matches!(out, Outcome::Step(None)) {
            self.worked += 1;
        }
        if self.worked >= self.every || self.inputs.len() - self.last_snapshot() >= MAX_INPUTS_BETWEEN_SNAPSHOTS {
            self.snapshots.push((self.inputs.len(), self.head.clone()));
            self.worked = 0;
        }
        out
    }

    /// The state after the first `index` inputs (clamped to the present).
    pub fn at(&self, index: usize) -> Cluster {
        let index = index.min(self.inputs.len());
        let (from, snap) =
            self.snapshots.iter().rev().find(|(n, _)| *n <= index).expect("the initial snapshot is at 0");
        let mut cluster = snap.clone();
        for input in &self.inputs[*from..index] {
            run_input(&mut cluster, input);
        }
        cluster
    }

    /// Goes back to the moment after `index` inputs and forgets what came later (a new branch).
    pub fn rewind(&mut self, index: usize) {
        let index = index.min(self.inputs.len());
        self.head = self.at(index);
        self.inputs.truncate(index);
        self.snapshots.retain(|(n, _)| *n <= index);
        // Which of the inputs since the last snapshot did something is not known here: counting
        // them all takes the next snapshot no later than it should be.
        self.worked = index - self.last_snapshot();
    }

    /// Snapshots kept (each a full copy of the cluster: the timeline's memory).
    pub fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }

    /// How many inputs the last snapshot follows.
    fn last_snapshot(&self) -> usize {
        self.snapshots.last().map_or(0, |(n, _)| *n)
    }
}
