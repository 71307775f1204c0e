//! Guided scenarios for the classroom (issue #7): scenario files (the engine's format, run by the
//! same runner) whose comments carry the teacher's words. The first comment line is the title,
//! the next ones the introduction, and the comment lines directly above a step are its talking
//! point. Comments keep every guided file a plain scenario file: `sts-lab run` and the import
//! read it unchanged, and a teacher edits it in any editor.
//!
//! ```yaml
//! # Ordered creation
//! # A StatefulSet creates its pods one at a time.
//! input: inputs/web.yaml
//! steps:
//!   # web-1 waits until web-0 is Running and Ready (spec §3).
//!   - settle
//! ```

#![deny(missing_docs)]

pub mod builtin;
pub mod code_spans;
pub mod rules;
#[cfg(test)]
mod stories;

pub use builtin::{builtin, load_input, BUILTIN};

use crate::scenario::{self, ScenarioError};
use crate::share::{import_scenario, Granularity, Imported, ShareError};

/// A guided scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Guide {
    /// The file name without `.yaml` (`05-staged-and-canary`); the leading number is the key
    /// that jumps to it in presenter mode.
    pub id: String,
    /// The first comment line of the file.
    pub title: String,
    /// The following comment lines, joined: what the scenario shows.
    pub intro: String,
    /// The scenario file as written (the import reads it).
    pub text: String,
    /// One per step of the scenario, in order: what the teacher says there.
    pub talking_points: Vec<Option<String>>,
}

impl Guide {
    /// Reads a guided scenario; `load` resolves its `input:` path.
    pub fn parse(id: &str, text: &str, load: &dyn Fn(&str) -> Result<String, String>) -> Result<Guide, ScenarioError> {
        let parsed = scenario::parse(text, load)?;
        let header: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).map(comment).collect();
        let title = header.first().map(|t| t.to_string()).unwrap_or_else(|| id.to_string());
        let intro = header.get(1..).unwrap_or(&[]).join(" ");
        let talking_points = talking_points(text);
        if talking_points.len() != parsed.steps.len() {
            return Err(ScenarioError {
                line: 1,
                column: 1,
                message: format!(
                    "found {} step lines but the scenario has {} steps: write each step on one line",
                    talking_points.len(),
                    parsed.steps.len()
                ),
            });
        }
        Ok(Guide { id: id.to_string(), title, intro, text: text.to_string(), talking_points })
    }

    /// The guide as a session; `positions[i]` is where step `i` (and its talking point) ends.
    pub fn import(&self, granularity: Granularity) -> Result<Imported, ShareError> {
        import_scenario(&self.text, &load_input, granularity)
    }
}

fn comment(line: &str) -> &str {
    line.trim_start().trim_start_matches('#').trim()
}

/// The comment block above each item of the top-level `steps:` list, plus a trailing
/// `# comment` on the item's own line.
fn talking_points(text: &str) -> Vec<Option<String>> {
    let mut points = Vec::new();
    let mut in_steps = false;
    let mut pending: Vec<String> = Vec::new();
    for line in text.lines() {
        if !in_steps {
            in_steps = line.starts_with("steps:");
            continue;
        }
        let trimmed = line.trim_start();
        if !line.starts_with(' ') && !line.starts_with('-') && !trimmed.is_empty() && !trimmed.starts_with('#') {
            break; // the next top-level key
        }
        if trimmed.starts_with('#') {
            pending.push(comment(trimmed).to_string());
        } else if trimmed.starts_with("- ") || trimmed == "-" {
            if let Some(at) = trimmed.find(" # ") {
                pending.push(comment(&trimmed[at..]).to_string());
            }
            let words = pending.join(" ");
            points.push((!words.is_empty()).then_some(words));
            pending.clear();
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_above_a_step_are_its_talking_point() {
        let text = "# Title here\n# Intro one\n# intro two.\ninput_text: x\nsteps:\n  # First,\n  # in two lines.\n  - settle\n  - scale: 2   # inline\n  - step\n";
        let g = Guide::parse("t", text, &|_| Err("none".into())).unwrap();
        assert_eq!(g.title, "Title here");
        assert_eq!(g.intro, "Intro one intro two.");
        assert_eq!(g.talking_points, vec![Some("First, in two lines.".into()), Some("inline".into()), None]);
    }
}
