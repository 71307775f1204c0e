//! A `helm ...` line: cobra's command path, pflag's flags (helm v3 `cmd/helm/*.go`), and the
//! argument counts and texts helm checks before doing anything.

use crate::kubectl::flags::{self, optional, switch, val, Flag, Parsed};

/// helm's global flags (pkg/cli/environment.go `AddFlags`); `-n` and `--debug` matter here.
pub const GLOBAL: &[Flag] = &[
    val("namespace", Some('n')),
    switch("debug", None),
    val("kube-context", None),
    val("kubeconfig", None),
    val("kube-apiserver", None),
    val("kube-token", None),
    val("kube-as-user", None),
    val("kube-as-group", None),
    val("kube-ca-file", None),
    val("kube-tls-server-name", None),
    switch("kube-insecure-skip-tls-verify", None),
    val("burst-limit", None),
    val("qps", None),
    val("registry-config", None),
    val("repository-config", None),
    val("repository-cache", None),
    switch("help", Some('h')),
];

/// What the lab's helm does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Install,
    Upgrade,
    Rollback,
    Uninstall,
    History,
    List,
    Status,
    GetValues,
    GetManifest,
    GetNotes,
    Template,
}

impl Verb {
    /// cobra's `UseLine()`: the command path, its `Use` arguments and ` [flags]`.
    pub fn use_line(self) -> &'static str {
        match self {
            Verb::Install => "helm install [NAME] [CHART] [flags]",
            Verb::Upgrade => "helm upgrade [RELEASE] [CHART] [flags]",
            Verb::Rollback => "helm rollback <RELEASE> [REVISION] [flags]",
            Verb::Uninstall => "helm uninstall RELEASE_NAME [...] [flags]",
            Verb::History => "helm history RELEASE_NAME [flags]",
            Verb::List => "helm list [flags]",
            Verb::Status => "helm status RELEASE_NAME [flags]",
            Verb::GetValues => "helm get values RELEASE_NAME [flags]",
            Verb::GetManifest => "helm get manifest RELEASE_NAME [flags]",
            Verb::GetNotes => "helm get notes RELEASE_NAME [flags]",
            Verb::Template => "helm template [NAME] [CHART] [flags]",
        }
    }

    fn path(self) -> &'static str {
        let u = self.use_line();
        let end = u.find(|c: char| c == '[' || c == '<' || c.is_ascii_uppercase()).unwrap_or(u.len());
        u[..end].trim_end()
    }

    /// Whether the command writes the release (and so the cluster), unless it is a dry run.
    pub fn writes(self) -> bool {
        matches!(self, Verb::Install | Verb::Upgrade | Verb::Rollback | Verb::Uninstall)
    }
}

/// Install's and template's flags (cmd/helm/install.go `addInstallFlags`, `addValueOptionsFlags`, `addChartPathOptionsFlags`).
const INSTALL: &[Flag] = &[
    val("values", Some('f')),
    val("set", None),
    val("set-string", None),
    val("set-file", None),
    val("set-json", None),
    val("set-literal", None),
    optional("dry-run", None, "client"),
    switch("generate-name", Some('g')),
    val("name-template", None),
    val("description", None),
    switch("create-namespace", None),
    switch("wait", None),
    switch("wait-for-jobs", None),
    switch("atomic", None),
    val("timeout", None),
    switch("replace", None),
    switch("skip-crds", None),
    switch("no-hooks", None),
    switch("hide-notes", None),
    switch("hide-secret", None),
    switch("render-subchart-notes", None),
    switch("disable-openapi-validation", None),
    switch("dependency-update", None),
    switch("devel", None),
    switch("take-ownership", None),
    switch("force", None),
    switch("enable-dns", None),
    val("labels", Some('l')),
    val("version", None),
    val("repo", None),
    val("output", Some('o')),
    val("post-renderer", None),
];

const UPGRADE: &[Flag] = &[
    switch("install", Some('i')),
    switch("reuse-values", None),
    switch("reset-values", None),
    switch("reset-then-reuse-values", None),
    switch("cleanup-on-fail", None),
    switch("recreate-pods", None),
    val("history-max", None),
];

const TEMPLATE: &[Flag] = &[
    val("show-only", Some('s')),
    val("output-dir", None),
    switch("release-name", None),
    switch("is-upgrade", None),
    switch("validate", None),
    switch("include-crds", None),
    switch("skip-tests", None),
    val("api-versions", Some('a')),
    val("kube-version", None),
];

const ROLLBACK: &[Flag] = &[
    switch("dry-run", None),
    switch("wait", None),
    switch("wait-for-jobs", None),
    val("timeout", None),
    switch("force", None),
    switch("recreate-pods", None),
    switch("no-hooks", None),
    switch("cleanup-on-fail", None),
    val("history-max", None),
];

const UNINSTALL: &[Flag] = &[
    switch("keep-history", None),
    switch("dry-run", None),
    val("cascade", None),
    switch("wait", None),
    val("timeout", None),
    switch("no-hooks", None),
    val("description", None),
    switch("ignore-not-found", None),
];

const HISTORY: &[Flag] = &[val("max", None), val("output", Some('o'))];

const LIST: &[Flag] = &[
    switch("all", Some('a')),
    switch("all-namespaces", Some('A')),
    switch("short", Some('q')),
    switch("no-headers", None),
    switch("deployed", None),
    switch("failed", None),
    switch("pending", None),
    switch("superseded", None),
    switch("uninstalled", None),
    switch("uninstalling", None),
    switch("date", Some('d')),
    switch("reverse", Some('r')),
    val("max", Some('m')),
    val("offset", None),
    val("filter", Some('f')),
    val("selector", Some('l')),
    val("time-format", None),
    val("output", Some('o')),
];

const STATUS: &[Flag] =
    &[val("revision", None), switch("show-desc", None), switch("show-resources", None), val("output", Some('o'))];

const GET_VALUES: &[Flag] = &[switch("all", Some('a')), val("revision", None), val("output", Some('o'))];

const GET_ONE: &[Flag] = &[val("revision", None)];

/// A parsed `helm` line.
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    pub verb: Verb,
    pub args: Vec<String>,
    pub flags: Parsed,
}

impl Invocation {
    /// A dry run: nothing is written.
    pub fn dry_run(&self) -> bool {
        match self.flags.get("dry-run") {
            None => false,
            Some(v) => !matches!(v, "false" | "none" | "0" | "f" | "F" | "FALSE" | "False"),
        }
    }

    pub fn namespace(&self) -> Option<&str> {
        self.flags.get("namespace")
    }

    /// A string-slice flag (`-f a.yaml,b.yaml -f c.yaml`): pflag splits each value on commas.
    pub fn slice(&self, long: &str) -> Vec<String> {
        self.flags
            .flags
            .get(long)
            .map(|vs| vs.iter().flat_map(|v| v.split(',')).filter(|s| !s.is_empty()).map(String::from).collect())
            .unwrap_or_default()
    }

    /// A string-array flag (`--set`): each value as given.
    pub fn array(&self, long: &str) -> Vec<String> {
        self.flags.flags.get(long).cloned().unwrap_or_default()
    }
}

/// Why a line is not run: helm's text (`Error: ...`) or a command the lab's helm has no model of.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// What helm prints on stderr.
    Helm(String),
    /// A known helm command the lab does not simulate (its name).
    NotSimulated(String),
    /// `helm` alone or `--help`.
    Help,
}

/// helm's root commands (cmd/helm/root.go), for cobra's unknown-command error and completion.
pub const COMMANDS: &[&str] = &[
    "completion",
    "create",
    "dependency",
    "env",
    "get",
    "help",
    "history",
    "install",
    "lint",
    "list",
    "package",
    "plugin",
    "pull",
    "push",
    "registry",
    "repo",
    "rollback",
    "search",
    "show",
    "status",
    "template",
    "test",
    "uninstall",
    "upgrade",
    "verify",
    "version",
];

/// `helm get` subcommands (cmd/helm/get.go).
pub const GET_COMMANDS: &[&str] = &["all", "hooks", "manifest", "metadata", "notes", "values"];

/// Parses the words after `helm`.
pub fn parse(words: &[String]) -> Result<Invocation, Refusal> {
    // The command path: global flags may come first (`helm -n lab list`).
    let mut i = 0;
    let mut path: Vec<&str> = Vec::new();
    let mut rest: Vec<String> = Vec::new();
    while i < words.len() {
        let w = words[i].as_str();
        if w.starts_with('-') && w.len() > 1 {
            rest.push(w.to_string());
            let takes_value = GLOBAL
                .iter()
                .any(|f| f.value && (w == format!("--{}", f.long) || f.short.is_some_and(|c| w == format!("-{c}"))));
            if takes_value && i + 1 < words.len() {
                rest.push(words[i + 1].clone());
                i += 1;
            }
        } else if path.is_empty() || (path == ["get"] && GET_COMMANDS.contains(&w)) {
            path.push(w);
        } else {
            rest.extend(words[i..].iter().cloned());
            break;
        }
        i += 1;
    }
    let verb = match path.as_slice() {
        [] => return Err(Refusal::Help),
        ["install"] => Verb::Install,
        ["upgrade"] => Verb::Upgrade,
        ["rollback"] => Verb::Rollback,
        ["uninstall" | "un" | "del" | "delete"] => Verb::Uninstall,
        ["history" | "hist"] => Verb::History,
        ["list" | "ls"] => Verb::List,
        ["status"] => Verb::Status,
        ["get", "values"] => Verb::GetValues,
        ["get", "manifest"] => Verb::GetManifest,
        ["get", "notes"] => Verb::GetNotes,
        ["get", other] => return Err(Refusal::NotSimulated(format!("get {other}"))),
        ["template"] => Verb::Template,
        [other, ..] if COMMANDS.contains(other) => return Err(Refusal::NotSimulated(other.to_string())),
        [other, ..] => {
            // cobra's legacyArgs error, printed by cobra as `Error: ...` (helm's SilenceUsage).
            return Err(Refusal::Helm(format!(
                "Error: unknown command \"{other}\" for \"helm\"\nRun 'helm --help' for usage."
            )));
        }
    };
    let known: Vec<Flag> = match verb {
        Verb::Install => INSTALL.to_vec(),
        Verb::Upgrade => INSTALL.iter().chain(UPGRADE).copied().collect(),
        Verb::Template => INSTALL.iter().chain(TEMPLATE).copied().collect(),
        Verb::Rollback => ROLLBACK.to_vec(),
        Verb::Uninstall => UNINSTALL.to_vec(),
        Verb::History => HISTORY.to_vec(),
        Verb::List => LIST.to_vec(),
        Verb::Status => STATUS.to_vec(),
        Verb::GetValues => GET_VALUES.to_vec(),
        Verb::GetManifest | Verb::GetNotes => GET_ONE.to_vec(),
    };
    let flags = flags::parse_in(&rest, &known, GLOBAL).map_err(|e| Refusal::Helm(format!("Error: {e}")))?;
    if flags.on("help") {
        return Err(Refusal::Help);
    }
    let args = flags.args.clone();
    // cmd/helm/require/args.go
    let (min, max) = match verb {
        Verb::Install | Verb::Template | Verb::Rollback | Verb::Uninstall => (1, usize::MAX),
        Verb::Upgrade => (2, 2),
        Verb::List => (0, 0),
        _ => (1, 1),
    };
    let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
    let usage = verb.use_line();
    let path = verb.path();
    if max == 0 && !args.is_empty() {
        return Err(Refusal::Helm(format!("Error: \"{path}\" accepts no arguments\n\nUsage:  {usage}")));
    }
    if min == max && args.len() != min {
        return Err(Refusal::Helm(format!("Error: \"{path}\" requires {min} {}\n\nUsage:  {usage}", plural(min))));
    }
    if args.len() < min {
        return Err(Refusal::Helm(format!(
            "Error: \"{path}\" requires at least {min} {}\n\nUsage:  {usage}",
            plural(min)
        )));
    }
    Ok(Invocation { verb, args, flags })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Invocation, Refusal> {
        parse(&s.split(' ').map(String::from).collect::<Vec<_>>())
    }

    #[test]
    fn verbs_aliases_and_global_flags_first() {
        assert_eq!(p("-n lab ls").unwrap().verb, Verb::List);
        assert_eq!(p("-n lab ls").unwrap().namespace(), Some("lab"));
        assert_eq!(p("un python").unwrap().verb, Verb::Uninstall);
        assert_eq!(p("get values python -a").unwrap().verb, Verb::GetValues);
        let up = p("upgrade python ./helm-python -f a.yaml,b.yaml --set x=1,y=2 --set z=3 --install").unwrap();
        assert_eq!(up.slice("values"), ["a.yaml", "b.yaml"]);
        assert_eq!(up.array("set"), ["x=1,y=2", "z=3"]);
        assert!(up.flags.on("install"));
        // pflag NoOptDefVal: a bare --dry-run takes no argument.
        let dry = p("install python --dry-run ./helm-python").unwrap();
        assert_eq!(dry.args, ["python", "./helm-python"]);
        assert!(dry.dry_run());
    }

    #[test]
    fn cobra_and_require_texts() {
        // cmd/helm/require/args.go ExactArgs, NoArgs
        assert_eq!(
            p("history").unwrap_err(),
            Refusal::Helm(
                "Error: \"helm history\" requires 1 argument\n\nUsage:  helm history RELEASE_NAME [flags]".into()
            )
        );
        assert_eq!(
            p("upgrade python").unwrap_err(),
            Refusal::Helm(
                "Error: \"helm upgrade\" requires 2 arguments\n\nUsage:  helm upgrade [RELEASE] [CHART] [flags]".into()
            )
        );
        assert_eq!(
            p("list x").unwrap_err(),
            Refusal::Helm("Error: \"helm list\" accepts no arguments\n\nUsage:  helm list [flags]".into())
        );
        assert_eq!(p("history python --foo").unwrap_err(), Refusal::Helm("Error: unknown flag: --foo".into()));
        assert_eq!(p("lint").unwrap_err(), Refusal::NotSimulated("lint".into()));
    }
}
