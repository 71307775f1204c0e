//! `kubectl rollout history|pause|resume|restart|undo|status` on the StatefulSet.

use crate::engine::{Action, Cluster};

use super::cli::{error, namespace, not_found, Outcome};
use super::commands::targets;
use super::describe::{pod_template, W};
use super::flags::Parsed;
use super::gotab;
use super::resource::Res;

/// The StatefulSet the command names, or what kubectl prints instead.
fn target(cluster: &Cluster, p: &Parsed) -> Result<String, Outcome> {
    let t = targets(&p.args).map_err(error)?;
    let named: Vec<(Res, String)> =
        t.groups.iter().flat_map(|(r, ns)| ns.iter().map(move |n| (*r, n.clone()))).collect();
    if t.groups.is_empty() {
        // rollout_*.go Validate
        return Err(error("required resource not specified"));
    }
    let Some((res, name)) = named.first().cloned() else {
        return Err(error("resource(s) were provided, but no name was specified"));
    };
    if res != Res::StatefulSet {
        return Err(Outcome::err(format!(
            "# the lab simulates a StatefulSet; {} have no rollout here",
            res.qualified()
        )));
    }
    if !(namespace(cluster, p).here && cluster.statefulset().is_some_and(|s| s.spec.name == name)) {
        return Err(Outcome::err(not_found(Res::StatefulSet, &name)));
    }
    Ok(name)
}

pub fn run(cluster: &Cluster, sub: &str, p: &Parsed, _cmd: &str) -> Outcome {
    let name = match target(cluster, p) {
        Ok(n) => n,
        Err(o) => return o,
    };
    match sub {
        "status" => {
            let r = super::rollout_status(cluster);
            if r.error {
                Outcome::err(r.message)
            } else if r.done || p.get("watch") == Some("false") {
                Outcome::out(r.message)
            } else {
                Outcome::both(
                    r.message,
                    "# (the lab's terminal prints the status once; kubectl would keep watching until the rollout completes)",
                )
            }
        }
        "history" => history(cluster, &name, p),
        // polymorphichelpers/objectpauser.go (default case) through rollout_pause.go:
        // `error: %s %q %v` with the resource and group.
        "pause" => Outcome::err(format!("error: statefulsets.apps \"{name}\" pausing is not supported")),
        "resume" => Outcome::err(format!("error: statefulsets.apps \"{name}\" resuming is not supported")),
        "restart" => Outcome::Act(Action::Restart),
        "undo" => {
            let to = match p.get("to-revision").map(str::parse::<i64>) {
                None => None,
                Some(Ok(0)) => None,
                Some(Ok(n)) => Some(n),
                Some(Err(_)) => {
                    let v = p.get("to-revision").unwrap_or_default();
                    return Outcome::err(format!(
                        "error: invalid argument \"{v}\" for \"--to-revision\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax\nSee 'kubectl rollout undo --help' for usage."
                    ));
                }
            };
            Outcome::Act(Action::Rollback { to_revision: to })
        }
        other => error(format!("unknown command \"{other}\" for \"kubectl rollout\"")),
    }
}

/// rollout_history.go Run + polymorphichelpers/history.go printHistory, printed through the
/// NamePrinter with the history as its "operation": `statefulset.apps/web ` + newline + table.
fn history(cluster: &Cluster, name: &str, p: &Parsed) -> Outcome {
    let revision = match p.get("revision").map(str::parse::<i64>) {
        None => 0,
        Some(Ok(n)) if n >= 0 => n,
        Some(Ok(n)) => return error(format!("revision must be a positive integer: {n}")),
        Some(Err(_)) => {
            let v = p.get("revision").unwrap_or_default();
            return Outcome::err(format!(
                "error: invalid argument \"{v}\" for \"--revision\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax\nSee 'kubectl rollout history --help' for usage."
            ));
        }
    };
    let mut revs: Vec<_> = cluster.revisions().iter().collect();
    crate::sorting::sort_by_key(&mut revs, |r| r.revision);
    let info = if revs.is_empty() {
        "No rollout history found.".to_string()
    } else if revision > 0 {
        let Some(r) = revs.iter().find(|r| r.revision == revision) else {
            return error("unable to find the specified revision");
        };
        let mut w = W::default();
        pod_template(&r.template, &mut w);
        w.finish()
    } else {
        let mut t = String::from("REVISION\tCHANGE-CAUSE\n");
        for r in &revs {
            // The ControllerRevision's own annotations (the controller copies the set's).
            let cause = cluster
                .revision_object(r)
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("kubernetes.io/change-cause"))
                .filter(|c| !c.is_empty())
                .cloned()
                .unwrap_or_else(|| "<none>".into());
            t.push_str(&format!("{}\t{cause}\n", r.revision));
        }
        // tabbedString: tabwriter.Init(out, 0, 8, 2, ' ', 0)
        gotab::format(&t, 0, 2)
    };
    let with_revision = if revision > 0 { format!("with revision #{revision}") } else { String::new() };
    // printers.NamePrinter: "%s %s\n" of `kind.group/name` and the operation.
    Outcome::out(format!("statefulset.apps/{name} {with_revision}\n{info}\n"))
}
