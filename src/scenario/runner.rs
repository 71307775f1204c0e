//! Runs a scenario on the engine and records a transcript: one line per event, each step as
//! written, what kubectl printed where asked, and the final `kubectl get po,sts,svc,pvc`.

use serde_json::{json, Value as Json};

use crate::engine::{Action, Cluster, Event, Settled};
use crate::kubectl::{self, PodWatch};

use super::format::{Scenario, StepKind};

/// One entry of a transcript.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// A step as written in the file.
    Step(String),
    Event(Event),
    /// What a command printed, on stdout and on stderr (an error, a refusal, a rejection).
    Output {
        command: String,
        stdout: String,
        stderr: String,
    },
    /// What a long-running command (`kubectl drain`) printed, each line with the simulated time it
    /// was printed (both streams, in order), and a note when it had not finished.
    Stream {
        command: String,
        lines: Vec<crate::engine::DrainLine>,
        note: Option<String>,
    },
}

/// The result of running a scenario.
#[derive(Debug, Clone)]
pub struct Transcript {
    pub entries: Vec<Entry>,
    /// The cluster at the end.
    pub cluster: Cluster,
}

/// Builds the cluster and runs every step.
pub fn run(scenario: &Scenario) -> Result<Transcript, String> {
    // Diagnostics about the paste are `sts-lab inspect`'s business: the simulation runs whenever the
    // StatefulSet itself could be read.
    let release = crate::input::parse(&scenario.input_text);
    let cluster = Cluster::from_release_on(
        &release,
        scenario.statefulset.as_deref(),
        scenario.seed,
        scenario.version,
        scenario.gates,
        scenario.assume_missing_references,
    )?;
    let mut r = Runner { cluster, entries: Vec::new(), logged: 0, watch: None, streamed: Vec::new() };
    for step in &scenario.steps {
        r.entries.push(Entry::Step(step.source.clone()));
        r.run_step(&step.kind);
        r.continued_drains();
    }
    r.flush_events();
    Ok(Transcript { entries: r.entries, cluster: r.cluster })
}

struct Runner {
    cluster: Cluster,
    entries: Vec<Entry>,
    logged: usize,
    /// `get pods -w` in progress: (watch, lines so far).
    watch: Option<(PodWatch, String)>,
    /// `kubectl drain` runs already shown: (id, lines shown).
    streamed: Vec<(u64, usize)>,
}

impl Runner {
    fn flush_events(&mut self) {
        for e in &self.cluster.events()[self.logged..] {
            self.entries.push(Entry::Event(e.clone()));
        }
        self.logged = self.cluster.events().len();
    }

    fn output(&mut self, command: String, stdout: String, stderr: String) {
        self.entries.push(Entry::Output { command, stdout, stderr });
    }

    /// What kubectl prints for an action's result: its stdout line, or the error on stderr.
    fn answer(&mut self, command: String, result: Result<String, crate::engine::ActionError>) {
        self.answer_warned(command, None, result);
    }

    /// An action's output with what kubectl printed on stderr before sending it ([`Action::warning`]).
    fn answer_warned(
        &mut self,
        command: String,
        warning: Option<&str>,
        result: Result<String, crate::engine::ActionError>,
    ) {
        let warn = warning.map(|w| format!("{w}\n")).unwrap_or_default();
        match result {
            Ok(t) => self.output(command, format!("{}\n", t.trim_end_matches('\n')), warn),
            Err(e) => self.output(command, String::new(), format!("{warn}{}\n", e.to_string().trim_end_matches('\n'))),
        }
    }

    fn observe_watch(&mut self) {
        if let Some((w, lines)) = &mut self.watch {
            for l in w.observe(&self.cluster) {
                lines.push_str(&l);
                lines.push('\n');
            }
        }
    }

    /// Runs the cluster one unit at a time so a watch sees every state.
    fn drive(&mut self, until: impl Fn(&Cluster) -> bool) {
        loop {
            if until(&self.cluster) || !self.cluster.tick() {
                break;
            }
            self.observe_watch();
        }
    }

    fn run_step(&mut self, kind: &StepKind) {
        let watching = self.watch.is_some();
        match kind {
            StepKind::Settle => {
                if watching {
                    self.drive(|_| false);
                }
                let outcome = self.cluster.settle();
                self.flush_events();
                if let Settled::Stuck(w) = outcome {
                    self.output("settle".into(), format!("# stuck: nothing more can change. {w}\n"), String::new());
                }
            }
            StepKind::Step(n) => {
                for _ in 0..*n {
                    let first = self.cluster.events().len();
                    loop {
                        if !self.cluster.tick() {
                            break;
                        }
                        self.observe_watch();
                        if self.cluster.events().len() > first {
                            break;
                        }
                    }
                }
                self.flush_events();
            }
            StepKind::Wait(d) => {
                let target = self.cluster.now().plus(*d);
                if watching {
                    self.drive(|c| c.next_change_at().is_none_or(|t| t > target) && c.is_idle());
                }
                let remaining = crate::engine::SimDuration(target.0.saturating_sub(self.cluster.now().0));
                self.cluster.advance(remaining);
                self.flush_events();
            }
            StepKind::Action(a @ Action::Drain(_)) => {
                let cmd = self.cluster.command_for(a);
                self.drain(cmd, a.clone());
            }
            StepKind::Action(a) => {
                let cmd = self.cluster.command_for(a);
                let out = self.cluster.apply(a.clone());
                self.flush_events();
                if !matches!(a, Action::Traffic(_)) {
                    self.answer_warned(cmd, a.warning(), out);
                }
                self.observe_watch();
            }
            StepKind::Helm(cmd) => {
                let full = format!("helm {cmd}");
                match kubectl::run(&self.cluster, &full, &|_| None) {
                    kubectl::Outcome::Print { stdout, stderr } => self.output(full, stdout, stderr),
                    kubectl::Outcome::Act(a) => {
                        let out = self.cluster.apply(a);
                        self.flush_events();
                        self.answer(full, out);
                        self.observe_watch();
                    }
                }
            }
            StepKind::Kubectl(cmd) => {
                // An observation leaves a watch running; a command that acted is a step like an action.
                if !self.kubectl(cmd) {
                    return;
                }
            }
        }
        if watching {
            // A watch covers exactly the step after `kubectl: get pods -w`.
            self.observe_watch();
            self.finish_watch();
        }
    }

    fn finish_watch(&mut self) {
        if let Some((_, lines)) = self.watch.take() {
            self.output("kubectl get pods -w".into(), lines, String::new());
        }
    }

    /// Runs one `kubectl` step; true when it changed the cluster.
    fn kubectl(&mut self, cmd: &str) -> bool {
        let full = format!("kubectl {cmd}");
        let words: Vec<&str> = cmd.split_whitespace().collect();
        match words.as_slice() {
            ["get", _types, rest @ ..] if rest.contains(&"-w") || rest.contains(&"--watch") => {
                let (w, initial) = PodWatch::start(&self.cluster);
                self.watch = Some((w, initial));
            }
            ["rollout", "status", _target, ..] => {
                // kubectl watches the StatefulSet and prints the status again on every change until done.
                // Its first GET comes after the controller has reacted to the last command.
                self.cluster.sync_pending();
                let mut text = String::new();
                let mut last_status = self.cluster.status().cloned();
                let mut last_gen = self.cluster.statefulset().map(|s| s.generation);
                loop {
                    let rs = kubectl::rollout_status(&self.cluster);
                    text.push_str(&rs.message);
                    text.push('\n');
                    if rs.done || rs.error {
                        break;
                    }
                    // Step until the StatefulSet changes (a watch event) or nothing can change.
                    let mut changed = false;
                    while !changed {
                        if self.cluster.step().is_none() {
                            break;
                        }
                        let s = self.cluster.status().cloned();
                        let g = self.cluster.statefulset().map(|s| s.generation);
                        changed = s != last_status || g != last_gen;
                        last_status = s;
                        last_gen = g;
                    }
                    if !changed {
                        text.push_str("# (nothing more can change: kubectl would wait here until its --timeout)\n");
                        break;
                    }
                }
                self.flush_events();
                self.output(full, text, String::new());
            }
            _ => match kubectl::run(&self.cluster, &full, &|_| None) {
                kubectl::Outcome::Print { stdout, stderr } => self.output(full, stdout, stderr),
                kubectl::Outcome::Act(a @ Action::Drain(_)) => {
                    self.drain(full, a);
                    return true;
                }
                kubectl::Outcome::Act(a) => {
                    let warning = a.warning();
                    let out = self.cluster.apply(a);
                    self.flush_events();
                    self.answer_warned(full, warning, out);
                    self.observe_watch();
                    return true;
                }
            },
        }
        false
    }
}

impl Runner {
    /// `kubectl drain` holds the terminal until it is done: the cluster runs (a watch sees every
    /// state) until kubectl exits or nothing more can change; then its lines, with their times.
    fn drain(&mut self, command: String, action: Action) {
        let before = self.cluster.drains().len();
        let result = self.cluster.apply(action);
        if let Err(e) = result {
            self.flush_events();
            self.answer(command, Err(e));
            return;
        }
        self.observe_watch();
        if self.cluster.drains().len() == before {
            return;
        }
        let mut steps = 0;
        while self.cluster.drains().last().is_some_and(|d| d.is_running()) && steps < crate::limits::MAX_SETTLE_STEPS {
            if !self.cluster.tick() {
                break;
            }
            self.observe_watch();
            steps += 1;
        }
        self.flush_events();
        let d = self.cluster.drains().last().expect("started").clone();
        self.streamed.push((d.id, d.lines.len()));
        let note = d.is_running().then(|| still_running_note(&d));
        self.entries.push(Entry::Stream { command, lines: d.lines.clone(), note });
    }

    /// A drain shown unfinished printed more during this step: those lines, after the step's events.
    fn continued_drains(&mut self) {
        let mut more = Vec::new();
        for (id, shown) in &mut self.streamed {
            let Some(d) = self.cluster.drains().iter().find(|d| d.id == *id) else { continue };
            if d.lines.len() > *shown {
                more.push(Entry::Stream {
                    command: format!("{}   # still running from an earlier step", d.command()),
                    lines: d.lines[*shown..].to_vec(),
                    note: d.is_running().then(|| still_running_note(d)),
                });
                *shown = d.lines.len();
            }
        }
        if !more.is_empty() {
            self.flush_events();
            self.entries.extend(more);
        }
    }
}

/// Why a drain shown now has not finished.
fn still_running_note(d: &crate::engine::Drain) -> String {
    if d.paused() {
        "# (nothing more can change: kubectl drain goes on retrying every 5s, refused the same way, until its \
         --timeout or Ctrl-C; a later step that changes the cluster lets it go on)"
            .into()
    } else {
        "# (nothing more can change: kubectl drain waits here for the evicted pods to be gone, until its --timeout \
         or Ctrl-C; a later step may let it finish)"
            .into()
    }
}

impl Transcript {
    /// The text transcript: steps as `$ ...`, events as `  TIME  KIND  OBJECT  [RULE]  SENTENCE`,
    /// command outputs as `> command` followed by its output, then the final state.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for e in &self.entries {
            match e {
                Entry::Step(s) => {
                    out.push_str("\n$ ");
                    out.push_str(s);
                    out.push('\n');
                }
                Entry::Event(ev) => out.push_str(&event_line(ev)),
                Entry::Output { command, stdout, stderr } => {
                    out.push_str("> ");
                    out.push_str(command);
                    out.push('\n');
                    out.push_str(stdout);
                    out.push_str(stderr);
                }
                Entry::Stream { command, lines, note } => {
                    out.push_str("> ");
                    out.push_str(command);
                    out.push_str("   # each line with the simulated time kubectl printed it\n");
                    for l in lines {
                        out.push_str(&format!("{:>8}  {}\n", l.t.to_string(), l.text));
                    }
                    if let Some(n) = note {
                        out.push_str(n);
                        out.push('\n');
                    }
                }
            }
        }
        out.push_str("\n== final state at ");
        out.push_str(&self.cluster.now().to_string());
        out.push_str("\n> kubectl get po,sts,svc,pvc\n");
        match kubectl::get(&self.cluster, "po,sts,svc,pvc", false) {
            Ok(t) | Err(t) => out.push_str(&t),
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out
    }

    /// The JSON transcript of issue #4.
    pub fn to_json(&self) -> Json {
        let c = &self.cluster;
        let events: Vec<Json> = self
            .entries
            .iter()
            .filter_map(|e| match e {
                Entry::Event(ev) => Some(json!({
                    "t": ev.t.as_secs_f64(),
                    "kind": ev.kind.as_str(),
                    "object": ev.object,
                    "revision": ev.revision,
                    "rule": ev.rule,
                    "text": ev.text,
                })),
                _ => None,
            })
            .collect();
        let outputs: Vec<Json> = self
            .entries
            .iter()
            .filter_map(|e| match e {
                // `output` is what a terminal shows (stdout then stderr), kept for readers of the
                // first format; `stdout` and `stderr` are the two streams apart (issue #11).
                Entry::Output { command, stdout, stderr } => Some(json!({
                    "command": command, "output": format!("{stdout}{stderr}"), "stdout": stdout, "stderr": stderr,
                })),
                Entry::Stream { command, lines, note } => {
                    let text = |pick: &dyn Fn(bool) -> bool| -> String {
                        lines.iter().filter(|l| pick(l.stderr)).map(|l| format!("{}\n", l.text)).collect()
                    };
                    let timed: Vec<Json> = lines
                        .iter()
                        .map(|l| json!({"t": l.t.as_secs_f64(), "stream": if l.stderr { "stderr" } else { "stdout" }, "text": l.text}))
                        .collect();
                    Some(json!({
                        "command": command, "output": text(&|_| true), "stdout": text(&|e| !e), "stderr": text(&|e| e),
                        "lines": timed, "note": note,
                    }))
                }
                _ => None,
            })
            .collect();
        let sts = c.statefulset().map(|s| {
            json!({
                "replicas": s.status.replicas,
                "readyReplicas": s.status.ready_replicas,
                "availableReplicas": s.status.available_replicas,
                "currentReplicas": s.status.current_replicas,
                "updatedReplicas": s.status.updated_replicas,
                "currentRevision": s.status.current_revision,
                "updateRevision": s.status.update_revision,
            })
        });
        let pods: Vec<Json> = c
            .pod_views()
            .iter()
            .map(|p| {
                json!({
                    "name": p.name, "ordinal": p.ordinal, "revision": p.revision, "status": p.status,
                    "ready": p.ready, "visits": p.visits.unwrap_or(0),
                })
            })
            .collect();
        let pvcs: Vec<Json> = c
            .claim_views()
            .iter()
            .map(|v| json!({"name": v.name, "status": v.status.as_str(), "volume": v.volume, "visits": v.visits.unwrap_or(0)}))
            .collect();
        json!({
            "events": events,
            "outputs": outputs,
            "final": {"t": c.now().as_secs_f64(), "statefulset": sts, "pods": pods, "pvcs": pvcs},
        })
    }
}

/// One event as a transcript line.
pub fn event_line(e: &Event) -> String {
    let rev = match &e.revision {
        Some(r) if *r != e.object => format!(" @{r}"),
        _ => String::new(),
    };
    format!("{:>8}  {:<15} {}{}  [{}]  {}\n", e.t.to_string(), e.kind.as_str(), e.object, rev, e.rule, e.text)
}
