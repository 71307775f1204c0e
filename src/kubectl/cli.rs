//! The lab's terminal: one typed line (`kubectl ...` or `helm ...`) split as a shell splits it,
//! parsed with kubectl's grammar (cobra commands, pflag flags, `TYPE NAME`, `TYPE/NAME`,
//! `TYPE1,TYPE2`, short names), and either printed (read-only commands, refusals) or turned into
//! an [`Action`] the caller applies to the cluster.

use crate::engine::{Action, Cluster};

use super::flags::{self, Flag, Parsed};
use super::resource::Res;
use super::shell;

/// What one typed line does.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A read-only command, or one refused before reaching the cluster: what kubectl/helm prints.
    Print { stdout: String, stderr: String },
    /// A command that changes the cluster: the caller applies it (`Cluster::apply`) and shows the
    /// result (`Ok` = stdout, `Err` = stderr) — so the UI can record it on its timeline.
    Act(Action),
}

impl Outcome {
    pub fn out(stdout: impl Into<String>) -> Outcome {
        Outcome::Print { stdout: nl(stdout.into()), stderr: String::new() }
    }

    pub fn err(stderr: impl Into<String>) -> Outcome {
        Outcome::Print { stdout: String::new(), stderr: nl(stderr.into()) }
    }

    pub fn both(stdout: impl Into<String>, stderr: impl Into<String>) -> Outcome {
        Outcome::Print { stdout: nl(stdout.into()), stderr: nl(stderr.into()) }
    }
}

/// Ends non-empty text with a newline, as Go's Fprintln/tabwriter leave it.
pub(crate) fn nl(s: String) -> String {
    if s.is_empty() || s.ends_with('\n') {
        s
    } else {
        s + "\n"
    }
}

/// Runs one line as typed: `kubectl ...`, `helm ...` or `minikube start ...`. `files` resolves `-f NAME` for
/// `kubectl apply -f` (the app names the editor's text).
pub fn run(cluster: &Cluster, line: &str, files: &dyn Fn(&str) -> Option<String>) -> Outcome {
    let words = match shell::split(line) {
        Ok(w) => w.into_iter().map(|w| w.text).collect::<Vec<_>>(),
        Err(e) => return Outcome::err(e.to_string()),
    };
    let Some(first) = words.first() else {
        return Outcome::out("");
    };
    match first.as_str() {
        "kubectl" => kubectl(cluster, &words[1..], files),
        "helm" => {
            let rest = line.trim_start().strip_prefix("helm").unwrap_or("");
            super::helm::run(cluster, rest, &words[1..], files)
        }
        "minikube" => super::minikube::run(cluster, &words[1..]),
        // bash's own text for a program it cannot find; the lab's terminal only has these three.
        other => Outcome::err(format!("bash: {other}: command not found")),
    }
}

/// kubectl's root commands (cmd.go), for cobra's unknown-command suggestions and completion.
pub const ROOT_COMMANDS: &[&str] = &[
    "create",
    "expose",
    "run",
    "set",
    "explain",
    "get",
    "edit",
    "delete",
    "rollout",
    "scale",
    "autoscale",
    "certificate",
    "cluster-info",
    "top",
    "cordon",
    "uncordon",
    "drain",
    "taint",
    "describe",
    "logs",
    "attach",
    "exec",
    "port-forward",
    "proxy",
    "cp",
    "auth",
    "debug",
    "events",
    "diff",
    "apply",
    "patch",
    "replace",
    "wait",
    "kustomize",
    "label",
    "annotate",
    "completion",
    "alpha",
    "config",
    "plugin",
    "version",
    "api-versions",
    "api-resources",
    "options",
    "help",
];

/// The root commands the lab's terminal runs (the rest print a note that the lab does not simulate them).
pub const LAB_COMMANDS: &[&str] = &[
    "get",
    "describe",
    "rollout",
    "scale",
    "patch",
    "set",
    "delete",
    "apply",
    "label",
    "annotate",
    "exec",
    "logs",
    "api-resources",
    "version",
    "cordon",
    "uncordon",
    "drain",
    "taint",
    "create",
];

/// `create` subcommands the lab runs (create.go adds many more).
pub const CREATE_COMMANDS: &[&str] = &["configmap", "secret"];

/// `rollout` subcommands (rollout.go).
pub const ROLLOUT_COMMANDS: &[&str] = &["history", "pause", "restart", "resume", "status", "undo"];

/// Whether a command (without `kubectl `) may change the cluster (for the scenario input budget).
pub fn may_act(cmd: &str) -> bool {
    let words = match shell::split(cmd) {
        Ok(w) => w.into_iter().map(|w| w.text).collect::<Vec<_>>(),
        Err(_) => return false,
    };
    let (path, _) = command_path(&words);
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    matches!(
        p.as_slice(),
        ["scale"]
            | ["patch"]
            | ["set", ..]
            | ["delete"]
            | ["apply"]
            | ["label"]
            | ["annotate"]
            | ["rollout", "undo" | "restart"]
            | ["cordon"]
            | ["uncordon"]
            | ["drain"]
            | ["taint"]
            | ["create", ..]
    )
}

/// A line a terminal keeps answering: `kubectl get pods -w` (all pods of the cluster's namespace,
/// the default columns). Returns the watch started on `cluster`, whose initial table is what
/// [`run`] printed for the line; [`super::PodWatch::observe`] then gives each later line.
pub fn pod_watch(cluster: &Cluster, line: &str) -> Option<super::PodWatch> {
    let words: Vec<String> = shell::split(line).ok()?.into_iter().map(|w| w.text).collect();
    if words.first().map(String::as_str) != Some("kubectl") {
        return None;
    }
    let (path, rest) = command_path(&words[1..]);
    if path != ["get"] {
        return None;
    }
    let p = flags::parse(&rest, super::commands::flags_of(&path)).ok()?;
    let pods = matches!(p.args.as_slice(), [t] if Res::parse(t) == Some(Res::Pod));
    let plain = p.get("output").is_none() && !p.has("selector");
    (pods && plain && p.on("watch") && namespace(cluster, &p).here).then(|| super::PodWatch::start(cluster).0)
}

/// Splits the command path (`rollout history`) from the rest; global flags may come first.
fn command_path(words: &[String]) -> (Vec<String>, Vec<String>) {
    let mut path: Vec<String> = Vec::new();
    let mut rest: Vec<String> = Vec::new();
    let mut i = 0;
    let takes_value = |w: &str| {
        flags::GLOBAL
            .iter()
            .any(|f| f.value && (w == format!("--{}", f.long) || f.short.is_some_and(|c| w == format!("-{c}"))))
    };
    while i < words.len() {
        let w = &words[i];
        if w == "--" {
            rest.extend(words[i..].iter().cloned());
            break;
        }
        if w.starts_with('-') && w.len() > 1 {
            rest.push(w.clone());
            if takes_value(w) && i + 1 < words.len() {
                rest.push(words[i + 1].clone());
                i += 1;
            }
        } else if path.is_empty() || (path.len() == 1 && has_subcommands(&path[0])) {
            path.push(w.clone());
        } else {
            rest.extend(words[i..].iter().cloned());
            break;
        }
        i += 1;
    }
    (path, rest)
}

fn has_subcommands(verb: &str) -> bool {
    matches!(verb, "rollout" | "set" | "create")
}

/// cobra's SuggestionsFor: Levenshtein distance ≤ 2 (case-insensitive) or a prefix.
fn suggestions(typed: &str, names: &[&str]) -> String {
    let t = typed.to_lowercase();
    // cobra iterates c.commands, sorted by name once anything has listed them (EnableCommandSorting).
    let mut names = names.to_vec();
    crate::sorting::sort(&mut names);
    let found: Vec<&str> =
        names.into_iter().filter(|n| *n != "help" && (levenshtein(&t, n) <= 2 || n.starts_with(t.as_str()))).collect();
    if found.is_empty() {
        return String::new();
    }
    let mut s = String::from("\n\nDid you mean this?\n");
    for f in found {
        s.push('\t');
        s.push_str(f);
        s.push('\n');
    }
    s
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The error line kubectl prints through cmdutil.CheckErr: `error: ` before a message without it.
pub fn error(msg: impl AsRef<str>) -> Outcome {
    let m = msg.as_ref();
    if m.starts_with("error: ") || m.starts_with("Error from server") {
        Outcome::err(m)
    } else {
        Outcome::err(format!("error: {m}"))
    }
}

/// templates.FlagErrorFunc: the pflag error, then where to find the usage.
fn flag_error(path: &str, e: &str) -> Outcome {
    Outcome::err(format!("error: {e}\nSee '{path} --help' for usage."))
}

/// cmdutil.UsageErrorf: the message, then `See 'kubectl CMD -h' for help and examples`.
pub fn usage_error(path: &str, msg: &str) -> Outcome {
    Outcome::err(format!("error: {msg}\nSee '{path} -h' for help and examples"))
}

/// The API server's NotFound, as kubectl prints it.
pub fn not_found(res: Res, name: &str) -> String {
    format!("Error from server (NotFound): {} \"{name}\" not found", res.qualified())
}

/// The namespace a command works in; `Ok(false)` when it is not the cluster's (where nothing exists).
pub struct Ns {
    pub name: String,
    pub here: bool,
}

pub fn namespace(cluster: &Cluster, p: &Parsed) -> Ns {
    let name = p.get("namespace").unwrap_or(cluster.namespace()).to_string();
    Ns { here: name == cluster.namespace(), name }
}

fn kubectl(cluster: &Cluster, words: &[String], files: &dyn Fn(&str) -> Option<String>) -> Outcome {
    let (path, rest) = command_path(words);
    let Some(verb) = path.first().map(String::as_str) else {
        // kubectl with no command prints its help; the lab says what it runs instead.
        return Outcome::out(format!(
            "kubectl controls the Kubernetes cluster manager.\n\n(The lab's terminal runs: {})",
            LAB_COMMANDS.join(", ")
        ));
    };
    if !ROOT_COMMANDS.contains(&verb) {
        // cobra legacyArgs → `unknown command %q for %q` + findSuggestions; CheckErr adds `error: `.
        return Outcome::err(format!(
            "error: unknown command \"{verb}\" for \"kubectl\"{}",
            suggestions(verb, ROOT_COMMANDS).trim_end_matches('\n')
        ));
    }
    let cmd_path = format!("kubectl {}", path.join(" "));
    let known: &[Flag] = super::commands::flags_of(&path);
    let mut p = match flags::parse(&rest, known) {
        Ok(p) => p,
        Err(e) => return flag_error(&cmd_path, &e),
    };
    // A second path word that is not a subcommand is an argument (`set` alone, `rollout foo`).
    if path.len() == 2 && verb == "rollout" && !ROLLOUT_COMMANDS.contains(&path[1].as_str()) {
        return Outcome::err(format!(
            "error: unknown command \"{}\" for \"kubectl rollout\"{}",
            path[1],
            suggestions(&path[1], ROLLOUT_COMMANDS).trim_end_matches('\n')
        ));
    }
    if p.on("help") {
        return Outcome::out(format!("(The lab's terminal has no help pages: see https://kubernetes.io/docs/reference/kubectl/ for `{cmd_path}`.)"));
    }
    super::commands::dispatch(cluster, &path, &mut p, &cmd_path, files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cobra_suggestions() {
        // cobra command.go findSuggestions: "\n\nDid you mean this?\n" + "\t%v\n" per suggestion.
        assert_eq!(suggestions("gt", ROOT_COMMANDS), "\n\nDid you mean this?\n\tcp\n\tget\n\tset\n");
        assert_eq!(suggestions("zzzzzz", ROOT_COMMANDS), "");
        assert_eq!(levenshtein("kitten", "sitting"), 3);
    }

    #[test]
    fn command_paths() {
        let w = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert_eq!(command_path(&w("-n lab rollout history sts/web")).0, ["rollout", "history"]);
        assert_eq!(command_path(&w("get po -n lab")).0, ["get"]);
        assert_eq!(command_path(&w("get po -n lab")).1, ["po", "-n", "lab"]);
    }
}
