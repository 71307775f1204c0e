//! Lab-report export (issue #7): a session written up the way a student writes their StatefulSet
//! lab report (tests/fixtures/lab-report.md) — a heading per step, the commands typed in
//! backticks, their outputs in fenced blocks exactly as helm and kubectl print them, the
//! per-replica counters, and a paragraph on what happened and why, citing the controller's rules.
//!
//! Pure: it reads a [`Session`] (seeking a clone to each chosen moment) and returns Markdown.

#![deny(missing_docs)]

pub mod commands;
pub mod explain;
pub mod markdown;
pub mod moments;

pub use commands::LAB_COUNTER_PATH;
pub use explain::{explain, Explanation, Rule};
pub use moments::{default_sections, sections_at, Section};

use crate::scene::Session;

/// What to put in the report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportOptions {
    /// The report's `#` heading.
    pub title: String,
    /// The paste, shown under the `helm install` command as the student's report shows its log
    /// (None: the install section only names the release).
    pub input_text: Option<String>,
    /// Session positions to report; None: after each user action once the controller settled,
    /// and the final moment ([`default_sections`]).
    pub moments: Option<Vec<usize>>,
    /// The file `kubectl exec ... -- cat` reads for the visit counter.
    pub counter_path: String,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            title: "StatefulSet".into(),
            input_text: None,
            moments: None,
            counter_path: LAB_COUNTER_PATH.into(),
        }
    }
}

/// The release and gates the session ran on: a rollout's outcome depends on them (issue #12), so
/// a report read later says which cluster it describes.
fn cluster_line(version: crate::engine::KubeVersion, gates: crate::engine::FeatureGates) -> String {
    let gates: Vec<String> =
        crate::scenario::format::gate_map(gates, version).into_iter().map(|(k, v)| format!("`{k}={v}`")).collect();
    format!("Simulated on Kubernetes {version}, feature gates {}.\n\n", gates.join(", "))
}

/// What the cluster had of the Secrets and ConfigMaps the pods name but the paste does not define
/// (empty when there are none).
fn references_line(session: &Session) -> String {
    let named: Vec<String> = session
        .release
        .statefulsets
        .iter()
        .find(|s| s.name() == session.shown().set_name())
        .map(|s| s.undefined_config().iter().map(|n| n.replacen(' ', " `", 1) + "`").collect())
        .unwrap_or_default();
    if named.is_empty() {
        return String::new();
    }
    let list = named.join(", ");
    if session.assume_missing_references {
        format!(
            "Not in the paste, assumed to be in the cluster already (the pods ran where the chart was installed): {list}.\n\n"
        )
    } else {
        format!(
            "A fresh cluster: what the pods name but the paste does not define was not there at the start ({list}); a \
             pod that needs it stops at CreateContainerConfigError until it is created.\n\n"
        )
    }
}

/// The session as a Markdown lab report.
pub fn lab_report(session: &Session, options: &ReportOptions) -> String {
    // A student waits for the rollout before writing down what they see: when the session ends
    // mid-rollout, the report's last moment is the one after the controller settles.
    let settled;
    let session = if options.moments.is_none() && !session.head_is_idle() {
        let mut s = session.clone();
        s.seek(s.len());
        s.run_until_quiet();
        settled = s;
        &settled
    } else {
        session
    };
    let sections = match &options.moments {
        Some(m) => sections_at(session, m),
        None => default_sections(session),
    };
    let marks = session.marks();
    let mut at = session.clone();
    let mut out = format!("# {}\n\n", markdown::text(&options.title));
    let mut rules: Vec<Rule> = Vec::new();
    let mut cited: Vec<&'static crate::guide::rules::Rule> = Vec::new();
    let mut before = {
        at.seek(0);
        at.shown().clone()
    };
    for (n, section) in sections.iter().enumerate() {
        at.seek(section.moment());
        let now = at.shown().clone();
        let typed: Vec<&crate::scene::Mark> =
            marks[section.inputs.clone()].iter().filter(|m| m.is_action || m.is_traffic).collect();
        out.push_str(&format!("## Task {}: {}\n\n", n + 1, section_title(n, &typed)));
        if n == 0 {
            for (cmd, output) in commands::install(&session.release, options.input_text.as_deref()) {
                out.push_str(&commands::command_block(&cmd, &output));
            }
        }
        for m in &typed {
            let (Some(cmd), Some(answer)) = (&m.command, &m.answer) else {
                continue;
            };
            if let Some(comment) = cmd.strip_prefix("# ") {
                // Not typed at a shell (requests, a broken probe): said in words, as a student
                // would; only requests have an answer worth adding (where they went).
                let said = match answer {
                    Ok(a) if m.is_traffic && !a.is_empty() => format!("{comment}: {a}"),
                    _ => comment.to_string(),
                };
                out.push_str(&format!("*{}.*\n\n", markdown::text(&capitalize(&said))));
            } else {
                let printed = match answer {
                    Ok(a) | Err(a) => a,
                };
                out.push_str(&commands::command_block(cmd, printed));
            }
        }
        out.push_str(&format!("### State at {}\n\n", now.now()));
        out.push_str(&commands::state(&now));
        out.push_str("### Replicas\n\n");
        let counters = commands::counter_blocks(&now, &options.counter_path);
        if counters.is_empty() {
            out.push_str("No pods at this moment.\n\n");
        } else {
            out.push_str(&counters);
        }
        let first_event = section.inputs.clone().next().and_then(|i| marks.get(i)).map(|m| m.events.start);
        let last_event = section.inputs.end.checked_sub(1).and_then(|i| marks.get(i)).map(|m| m.events.end);
        let events = match (first_event, last_event) {
            (Some(a), Some(b)) if a <= b && b <= now.events().len() => &now.events()[a..b],
            _ => &[][..],
        };
        let why = explain(events, &before, &now);
        out.push_str("### What happened and why\n\n");
        out.push_str(if why.sentences.is_empty() { "Nothing changed: the controller had nothing to do." } else { "" });
        out.push_str(&cite(&why.paragraph(), &mut cited));
        out.push_str("\n\n");
        for r in why.rules {
            if !rules.contains(&r) {
                rules.push(r);
            }
        }
        before = now;
    }
    if !rules.is_empty() {
        crate::sorting::sort(&mut rules);
        out.push_str("## Conclusion\n\nThe rules of the StatefulSet controller this session showed:\n\n");
        for r in rules {
            out.push_str(&format!("- {}\n", cite(r.summary(), &mut cited)));
        }
        out.push('\n');
    }
    out.push_str("## Cluster\n\n");
    out.push_str(&cluster_line(session.version, session.gates));
    out.push_str(&references_line(session));
    if !cited.is_empty() {
        // The report is read without the app: each rule cited above, explained, with its source.
        crate::sorting::sort_by_key(&mut cited, |r| rule_order(r.id));
        out.push_str("## Rules cited\n\n");
        for r in cited {
            out.push_str(&format!("**Rule {}: {}.** {} Source: {}.\n\n", r.id, r.title, r.explanation, r.source()));
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// `text` with its citations written as `rule 4.4: Partition`; the rules are added to `cited`.
fn cite(text: &str, cited: &mut Vec<&'static crate::guide::rules::Rule>) -> String {
    for c in crate::guide::rules::citations(text) {
        if let Some(r) = crate::guide::rules::rule(&c.id) {
            if !cited.iter().any(|k| k.id == r.id) {
                cited.push(r);
            }
        }
    }
    crate::guide::rules::readable(text)
}

/// `4.10` after `4.9`: ids ordered by their numbers, a sub-step letter last.
fn rule_order(id: &str) -> Vec<u32> {
    id.split('.')
        .map(|p| {
            let n: String = p.chars().take_while(char::is_ascii_digit).collect();
            let letter = p.chars().find(char::is_ascii_lowercase).map_or(0, |c| c as u32 - 'a' as u32 + 1);
            n.parse::<u32>().unwrap_or(0) * 100 + letter
        })
        .collect()
}

/// A section's heading: the install, or what the user did, in a few words (the commands
/// themselves follow in backticks).
fn section_title(n: usize, typed: &[&crate::scene::Mark]) -> String {
    if typed.is_empty() {
        return if n == 0 { "Installation".into() } else { "Later".into() };
    }
    let mut words: Vec<String> = typed.iter().filter_map(|m| m.command.as_deref()).map(short_title).collect();
    words.dedup();
    markdown::text(&capitalize(&words.join(", ")))
}

/// `kubectl scale statefulset web --replicas=3` → `scale to 3`.
fn short_title(cmd: &str) -> String {
    let after = |key: &str| -> Option<String> {
        let at = cmd.find(key)? + key.len();
        Some(cmd[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '%').collect())
    };
    let words: Vec<&str> = cmd.split_whitespace().collect();
    match words.as_slice() {
        ["kubectl", "scale", ..] => {
            format!("scale to {}", after("--replicas=").unwrap_or_default())
        }
        ["kubectl", "set", "image", ..] => "new image".into(),
        ["kubectl", "patch", ..] if cmd.contains("\"partition\"") => {
            format!("partition {}", after("\"partition\":").unwrap_or_default())
        }
        ["kubectl", "patch", ..] if cmd.contains("updateStrategy") => "update strategy".into(),
        ["kubectl", "patch", ..] => "patch".into(),
        ["kubectl", "delete", "pod", pod, ..] => format!("delete {pod}"),
        ["kubectl", "delete", "statefulset", ..] => "delete the StatefulSet".into(),
        ["kubectl", "rollout", "undo", ..] => "rollback".into(),
        ["kubectl", "rollout", "restart", ..] => "restart".into(),
        ["kubectl", "apply", ..] => "apply".into(),
        ["#", _, "requests", ..] => "traffic".into(),
        _ if cmd.starts_with("# the next revision is broken") => "broken image".into(),
        // Other comments (a readiness probe failing): their first clause.
        _ => cmd.trim_start_matches("# ").split(':').next().unwrap_or_default().to_string(),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
