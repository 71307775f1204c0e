//! Scenario files in and out of the web app: a session is exported as a scenario file (issue #4's
//! format, the paste inline), and any scenario file — exported, hand-written or a guided one — is
//! imported as a session. A share link's payload is the exported file itself, so a link can be
//! saved as a file and a file run by `sts-lab run`.

use yaml_serde::Value;

use crate::engine::Input;
use crate::kubectl;
use crate::scenario::{self, StepKind};
use crate::scene::{source, Session};

use super::state::{SharedState, MAX_INPUTS};
use super::steps::{inputs_of, step_lines};
use super::ShareError;

/// The comment line that records the moment shown; the scenario parser skips it as a comment.
const SHOWN: &str = "# shown after input: ";

impl SharedState {
    /// The state as a scenario file: the paste inline, one step line per input (runs of
    /// controller steps folded into `step: N`), and the moment shown as a comment.
    pub fn to_scenario_yaml(&self) -> Result<String, ShareError> {
        let mut out = String::from("# StatefulSet Lab session\n");
        out.push_str(&format!("{SHOWN}{}\n", self.position));
        out.push_str(&format!("seed: {}\n", self.seed));
        out.push_str(&scenario::version_and_gates_yaml(self.version, self.gates));
        out.push_str(&scenario::assume_yaml(self.assume_missing_references));
        if let Some(s) = &self.statefulset {
            out.push_str(&format!("statefulset: {}\n", serde_json::to_string(s).unwrap_or_default()));
        }
        out.push_str(&input_text_yaml(&self.input_text));
        out.push_str("steps:\n");
        for line in step_lines(&self.inputs)? {
            out.push_str("  - ");
            out.push_str(&line);
            out.push('\n');
        }
        Ok(out)
    }

    /// Reads back a file written by [`SharedState::to_scenario_yaml`]: every step is an input, so
    /// `kubectl` observations are refused (use [`import_scenario`] for any scenario file).
    pub fn from_scenario_yaml(text: &str) -> Result<SharedState, ShareError> {
        let parsed = parse(text)?;
        let mut inputs = Vec::new();
        for step in &parsed.steps {
            if let StepKind::Kubectl(_) | StepKind::Helm(_) = step.kind {
                return Err(ShareError::Observation { line: step.line, step: step.source.clone() });
            }
            if let StepKind::Step(n) = step.kind {
                if inputs.len() + n as usize > MAX_INPUTS {
                    return Err(ShareError::TooManyInputs { limit: MAX_INPUTS });
                }
            }
            inputs.extend(inputs_of(&step.kind));
        }
        let position = shown_position(text).unwrap_or(inputs.len());
        if position > inputs.len() {
            return Err(ShareError::PositionOutOfRange { position, len: inputs.len() });
        }
        Ok(SharedState {
            input_text: parsed.input_text,
            statefulset: parsed.statefulset,
            seed: parsed.seed,
            version: parsed.version,
            gates: parsed.gates,
            assume_missing_references: parsed.assume_missing_references,
            inputs,
            position,
        })
    }
}

/// How `settle` steps of an imported scenario are recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Granularity {
    /// One input per step as written: the session ends exactly where `sts-lab run` ends.
    #[default]
    AsWritten,
    /// `settle` becomes one recorded controller step per change, so the stage can animate it
    /// (presenter mode); stops like the play button does when only a crash loop keeps ticking.
    Animated,
}

/// An imported scenario: its session, the state to share or export it again, and where each
/// step of the file left the timeline (the presenter's step counter and talking points).
#[derive(Debug, Clone)]
pub struct Imported {
    /// The session at the moment the file records (its end unless it says `# shown after input: N`).
    pub session: Session,
    /// The same session as inputs, to share or export it again.
    pub state: SharedState,
    /// `positions[i]`: the session position after step `i` of the file.
    pub positions: Vec<usize>,
}

/// Imports any scenario file. `load` reads an `input:` path relative to the file (the guided
/// scenarios pass their built-in inputs; a dropped file has none). `kubectl` steps record no
/// input, except `rollout status`, which lets the controller run until the rollout is done or
/// nothing more can change — as kubectl waits, and as the runner does.
pub fn import_scenario(
    text: &str,
    load: &dyn Fn(&str) -> Result<String, String>,
    granularity: Granularity,
) -> Result<Imported, ShareError> {
    let parsed = scenario::parse(text, load).map_err(ShareError::Scenario)?;
    let release = source::understand(&parsed.input_text).release;
    let mut session = Session::new_on(
        release,
        parsed.statefulset.clone(),
        parsed.seed,
        parsed.version,
        parsed.gates,
        parsed.assume_missing_references,
    )
    .map_err(ShareError::Simulation)?;
    let mut inputs: Vec<Input> = Vec::new();
    let mut positions = Vec::with_capacity(parsed.steps.len());
    for step in &parsed.steps {
        session.within_budget().map_err(ShareError::TooMuchWork)?;
        let before = session.len();
        match (&step.kind, granularity) {
            (StepKind::Settle, Granularity::Animated) => {
                if inputs.len() >= MAX_INPUTS {
                    return Err(ShareError::TooManyInputs { limit: MAX_INPUTS });
                }
                session.run_until_quiet();
                inputs.extend(std::iter::repeat_n(Input::Step, session.len() - before));
            }
            (StepKind::Kubectl(cmd), _) if cmd.starts_with("rollout status") => {
                while inputs.len() < MAX_INPUTS {
                    let status = kubectl::rollout_status(session.shown());
                    if status.done || status.error || session.head_is_idle() {
                        break;
                    }
                    session.push(Input::Step);
                    inputs.push(Input::Step);
                }
            }
            (StepKind::Kubectl(cmd), _) => {
                // A command that changes the cluster (`scale`, `patch`, ...) is the action it stands for.
                if let kubectl::Outcome::Act(a) = kubectl::run(session.shown(), &format!("kubectl {cmd}"), &|_| None) {
                    if inputs.len() >= MAX_INPUTS {
                        return Err(ShareError::TooManyInputs { limit: MAX_INPUTS });
                    }
                    session.push(Input::Action(a.clone()));
                    inputs.push(Input::Action(a));
                }
            }
            (kind, _) => {
                let new = inputs_of(kind);
                if inputs.len() + new.len() > MAX_INPUTS {
                    return Err(ShareError::TooManyInputs { limit: MAX_INPUTS });
                }
                for input in new {
                    session.push(input.clone());
                    inputs.push(input);
                }
            }
        }
        positions.push(session.len());
    }
    let position = shown_position(text).filter(|p| *p <= session.len()).unwrap_or(session.len());
    session.seek(position);
    let state = SharedState {
        input_text: parsed.input_text,
        statefulset: parsed.statefulset,
        seed: parsed.seed,
        version: parsed.version,
        gates: parsed.gates,
        assume_missing_references: parsed.assume_missing_references,
        inputs,
        position,
    };
    Ok(Imported { session, state, positions })
}

fn parse(text: &str) -> Result<scenario::Scenario, ShareError> {
    scenario::parse(text, &|path| Err(format!("a shared session carries its input inline, not a file ({path})")))
        .map_err(ShareError::Scenario)
}

/// The `# shown after input: N` comment, among the comments before the first key.
fn shown_position(text: &str) -> Option<usize> {
    text.lines()
        .take_while(|l| l.starts_with('#') || l.trim().is_empty())
        .find_map(|l| l.strip_prefix(SHOWN)?.trim().parse().ok())
}

/// `input_text:` so that it reads back byte for byte: a block scalar when YAML can hold the text
/// as it is (readable in a file), else a JSON string (tabs at line starts, `\r`, control
/// characters, trailing spaces on blank lines...).
fn input_text_yaml(text: &str) -> String {
    let chomp = if !text.ends_with('\n') {
        "-"
    } else if text.ends_with("\n\n") {
        "+"
    } else {
        ""
    };
    // An explicit indentation indicator: the first line may itself start with spaces.
    let mut block = format!("input_text: |2{chomp}\n");
    for line in text.lines() {
        if !line.is_empty() {
            block.push_str("  ");
            block.push_str(line);
        }
        block.push('\n');
    }
    let reads_back = yaml_serde::from_str::<Value>(&block)
        .ok()
        .and_then(|v| v.get("input_text").and_then(|t| t.as_str().map(|t| t == text)))
        .unwrap_or(false);
    if reads_back {
        block
    } else {
        format!("input_text: {}\n", serde_json::to_string(text).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Action;
    use crate::share::state::tests::{act, get, lab_session, settle, LAB};

    #[test]
    fn an_exported_session_reads_back_as_the_same_state() {
        let (mut s, mut inputs) = lab_session(3);
        settle(&mut s, &mut inputs);
        act(&mut s, &mut inputs, Action::Scale(3));
        settle(&mut s, &mut inputs);
        s.seek(4);
        let state = SharedState::capture(LAB, &s, &inputs).unwrap();
        let yaml = state.to_scenario_yaml().unwrap();
        assert!(yaml.contains("  - scale: 3\n"), "{yaml}");
        assert_eq!(SharedState::from_scenario_yaml(&yaml).unwrap(), state);
    }

    #[test]
    fn an_exported_session_runs_in_the_scenario_runner_to_the_same_end() {
        let (mut s, mut inputs) = lab_session(3);
        settle(&mut s, &mut inputs);
        act(&mut s, &mut inputs, Action::Scale(2));
        act(&mut s, &mut inputs, Action::Traffic(10));
        settle(&mut s, &mut inputs);
        let yaml = SharedState::capture(LAB, &s, &inputs).unwrap().to_scenario_yaml().unwrap();
        let scenario = scenario::parse(&yaml, &|_| Err("none".into())).unwrap();
        let transcript = scenario::run(&scenario).unwrap();
        assert_eq!(kubectl::get(&transcript.cluster, "po,sts,svc,pvc", false).unwrap(), get(&s));
    }

    #[test]
    fn any_paste_survives_the_file_byte_for_byte() {
        for text in
            ["  indented first line\nnext\n", "no newline", "trailing\n\n\n", "\ttab\r\nwin\n", "a\n   \nb\n", ""]
        {
            let yaml = input_text_yaml(text);
            let v: Value = yaml_serde::from_str(&yaml).unwrap();
            assert_eq!(v.get("input_text").and_then(|t| t.as_str()), Some(text), "{yaml}");
        }
    }

    #[test]
    fn a_kubectl_step_is_not_an_input_of_a_shared_session() {
        let text = "input_text: x\nsteps:\n  - settle\n  - kubectl: get po\n";
        assert!(matches!(SharedState::from_scenario_yaml(text), Err(ShareError::Observation { line: 4, .. })));
    }

    #[test]
    fn importing_a_scenario_as_written_ends_where_the_runner_ends() {
        let text = include_str!("../../tests/scenarios/s08-canary.yaml");
        let load = |p: &str| match p {
            "inputs/web.yaml" => Ok(include_str!("../../tests/scenarios/inputs/web.yaml").to_string()),
            other => Err(format!("no {other}")),
        };
        let imported = import_scenario(text, &load, Granularity::AsWritten).unwrap();
        let transcript = scenario::run(&scenario::parse(text, &load).unwrap()).unwrap();
        assert_eq!(get(&imported.session), kubectl::get(&transcript.cluster, "po,sts,svc,pvc", false).unwrap());
        assert_eq!(imported.positions.len(), 11);
        assert_eq!(*imported.positions.last().unwrap(), imported.session.len());
        // The imported state replays to the same session.
        assert_eq!(get(&imported.state.replay().unwrap()), get(&imported.session));
    }

    #[test]
    fn an_animated_import_records_each_controller_step_of_a_settle() {
        let scenario_text = "input: lab\nseed: 2\nsteps:\n  - settle\n  - scale: 3\n  - settle\n";
        let load = |_: &str| Ok(LAB.to_string());
        let written = import_scenario(scenario_text, &load, Granularity::AsWritten).unwrap();
        let animated = import_scenario(scenario_text, &load, Granularity::Animated).unwrap();
        assert_eq!(written.session.len(), 3);
        assert!(animated.session.len() > 6, "{}", animated.session.len());
        assert_eq!(get(&animated.session), get(&written.session));
    }
}
