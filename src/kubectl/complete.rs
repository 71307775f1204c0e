//! Tab completion of the word under the cursor at the end of a line.

use crate::engine::Cluster;

use super::cli::{CREATE_COMMANDS, LAB_COMMANDS, ROLLOUT_COMMANDS};
use super::flags::GLOBAL;
use super::resource::{Res, COMPLETE_TYPES};
use super::shell;

/// Candidates for the word that starts at byte `start` of the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// Byte offset where the completed word starts.
    pub start: usize,
    pub candidates: Vec<String>,
}

/// Completes the last word of `line`: verbs, resource types (with short names), object names, flags.
pub fn complete(cluster: &Cluster, line: &str) -> Completion {
    let (words, _open) = match shell::split_partial(line) {
        Ok(w) => w,
        Err(_) => return Completion { start: line.len(), candidates: Vec::new() },
    };
    let blank = line.is_empty() || line.ends_with([' ', '\t']) && _open.is_none();
    let (current, start) = if blank || words.is_empty() {
        (String::new(), line.len())
    } else {
        let w = words.last().expect("a word");
        (w.text.clone(), w.start)
    };
    let before: Vec<&str> = words
        .iter()
        .take(if blank { words.len() } else { words.len().saturating_sub(1) })
        .map(|w| w.text.as_str())
        .collect();
    let pool: Vec<String> = candidates(cluster, &before, &current);
    let mut c: Vec<String> = pool.into_iter().filter(|c| c.starts_with(current.as_str())).collect();
    crate::sorting::sort(&mut c);
    c.dedup();
    Completion { start, candidates: c }
}

/// helm's words: its commands, `get`'s subcommands, then release names (helm's own completion
/// lists releases for these commands) and the charts in the working directory.
fn helm_candidates(cluster: &Cluster, before: &[&str]) -> Vec<String> {
    let pos: Vec<&str> = before.iter().copied().filter(|w| !w.starts_with('-')).collect();
    let releases = || {
        let mut names: Vec<String> = cluster.releases().iter().map(|r| r.name.clone()).collect();
        names.dedup();
        names
    };
    let charts = || vec!["./helm-python".to_string(), "./done-right".to_string()];
    match pos.as_slice() {
        [] => crate::helm::command::COMMANDS.iter().map(|c| c.to_string()).collect(),
        ["get"] => crate::helm::command::GET_COMMANDS.iter().map(|c| c.to_string()).collect(),
        ["upgrade"] | ["history" | "hist" | "status" | "rollback" | "uninstall" | "un"] | ["get", _] => releases(),
        ["upgrade" | "install" | "template", _] | ["template"] => charts(),
        _ => Vec::new(),
    }
}

fn candidates(cluster: &Cluster, before: &[&str], current: &str) -> Vec<String> {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    if before.is_empty() {
        return s(&["kubectl", "helm"]);
    }
    if before[0] == "helm" {
        return helm_candidates(cluster, &before[1..]);
    }
    if before[0] != "kubectl" {
        return Vec::new();
    }
    // Positional words after `kubectl`, skipping flags and their values.
    let mut pos: Vec<&str> = Vec::new();
    let mut i = 1;
    while i < before.len() {
        let w = before[i];
        if w.starts_with('-') {
            if GLOBAL
                .iter()
                .any(|f| f.value && (w == format!("--{}", f.long) || f.short.is_some_and(|c| w == format!("-{c}"))))
            {
                i += 1;
            }
        } else {
            pos.push(w);
        }
        i += 1;
    }
    if current.starts_with('-') {
        let path: Vec<String> = pos.iter().take(2).map(|s| s.to_string()).collect();
        return super::commands::flags_of(&path).iter().chain(GLOBAL.iter()).map(|f| format!("--{}", f.long)).collect();
    }
    let Some(verb) = pos.first().copied() else {
        return s(LAB_COMMANDS);
    };
    let (args, sub): (&[&str], Option<&str>) = match verb {
        "rollout" | "set" | "create" if pos.len() == 1 => {
            return match verb {
                "rollout" => s(ROLLOUT_COMMANDS),
                "create" => s(CREATE_COMMANDS),
                _ => s(&["image"]),
            };
        }
        "create" if pos.len() == 2 && pos[1] == "secret" => return s(&["generic"]),
        "create" => return Vec::new(),
        "rollout" | "set" => (&pos[2..], Some(pos[1])),
        _ => (&pos[1..], None),
    };
    let _ = sub;
    match verb {
        "exec" | "logs" => return names(cluster, Res::Pod, ""),
        "cordon" | "uncordon" | "drain" if args.is_empty() => return names(cluster, Res::Node, ""),
        "taint" if args.is_empty() => return s(&["nodes", "node"]),
        "taint" if args.len() == 1 => return names(cluster, Res::Node, ""),
        "scale" | "rollout" | "set" | "patch" | "label" | "annotate" if args.is_empty() => {
            if let Some((t, _)) = current.split_once('/') {
                return Res::parse(t).map(|r| names(cluster, r, &format!("{t}/"))).unwrap_or_default();
            }
            return s(&["statefulset", "sts", "statefulset/", "sts/"]);
        }
        _ => {}
    }
    if matches!(verb, "get" | "describe" | "delete" | "scale" | "patch" | "label" | "annotate" | "rollout" | "set") {
        if args.is_empty() {
            if let Some((t, _)) = current.split_once('/') {
                return Res::parse(t).map(|r| names(cluster, r, &format!("{t}/"))).unwrap_or_default();
            }
            if let Some((done, _)) = current.rsplit_once(',') {
                return COMPLETE_TYPES.iter().map(|t| format!("{done},{t}")).collect();
            }
            return s(COMPLETE_TYPES);
        }
        if let Some(r) = Res::parse(args[0]) {
            return names(cluster, r, "");
        }
    }
    Vec::new()
}

fn names(cluster: &Cluster, res: Res, prefix: &str) -> Vec<String> {
    super::objects::list(cluster, res, false).into_iter().map(|i| format!("{prefix}{}", i.name)).collect()
}
