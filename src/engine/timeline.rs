//! Rewinding: every input (action, step, advance, settle) is recorded, and a full snapshot of the
//! cluster is kept every `every` inputs, so any earlier moment is rebuilt from the nearest snapshot
//! with at most `every - 1` inputs replayed — never from zero.

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

/// The recorded history of one simulation.
#[derive(Debug, Clone)]
pub struct Timeline {
    inputs: Vec<Input>,
    /// (number of inputs applied, state after them); the first is the initial state.
    snapshots: Vec<(usize, Cluster)>,
    every: usize,
    head: Cluster,
}

impl Timeline {
    /// Starts a timeline; a snapshot is kept every `every` inputs (at least 1).
    pub fn new(initial: Cluster, every: usize) -> Timeline {
        Timeline { inputs: Vec::new(), snapshots: vec![(0, initial.clone())], every: every.max(1), head: initial }
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
        if self.inputs.len().is_multiple_of(self.every) {
            self.snapshots.push((self.inputs.len(), self.head.clone()));
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
    }
}
