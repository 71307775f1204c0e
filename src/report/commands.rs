//! The commands a student types and what they print, as a lab report shows them: the command in
//! backticks, the output in a fenced block exactly as kubectl or helm prints it (spec §8, §9).

use super::markdown::{code, fence, text};
use crate::engine::Cluster;
use crate::kubectl;
use crate::model::{InputKind, Release};
use crate::scene::source::{LAB_CHART, LAB_RELEASE};

/// Where the lab app keeps its visit counter (the lab report's `kubectl exec ... -- cat`).
pub const LAB_COUNTER_PATH: &str = "app_python/volume/visits";

/// A command and its output, as the student's report writes them (no block for no output).
pub fn command_block(command: &str, output: &str) -> String {
    let body = output.trim_end_matches('\n');
    if body.is_empty() {
        return format!("{}\n\n", code(command));
    }
    let fence = fence(body);
    format!("{}\n\n{fence}\n{body}\n{fence}\n\n", code(command))
}

/// How the input was installed, as the student would have typed it, and what it printed: the
/// helm log itself for a `--dry-run --debug` paste (as the lab report shows it), else the
/// manifest and what `kubectl apply` answers for it.
pub fn install(release: &Release, input_text: Option<&str>) -> Vec<(String, String)> {
    let Some(text) = input_text else {
        return Vec::new();
    };
    match release.input {
        InputKind::HelmDebug => {
            let name = release.name.clone().unwrap_or_else(|| LAB_RELEASE.into());
            let chart = chart_name(release).unwrap_or_else(|| LAB_CHART.into());
            vec![(format!("helm install --dry-run --debug {name} ./{chart}"), text.to_string())]
        }
        InputKind::Values => vec![
            ("cat values.yaml".to_string(), text.to_string()),
            // No output block: helm's real answer carries a wall-clock time the simulation has not.
            (format!("helm install {LAB_RELEASE} ./{LAB_CHART} -f values.yaml"), String::new()),
        ],
        InputKind::Manifests | InputKind::Template => {
            let mut created: Vec<String> = release
                .services
                .iter()
                .filter_map(|s| s.metadata.name.as_ref())
                .map(|n| format!("service/{n} created"))
                .collect();
            created.extend(release.statefulsets.iter().map(|s| format!("statefulset.apps/{} created", s.name())));
            vec![
                ("cat manifest.yaml".to_string(), text.to_string()),
                ("kubectl apply -f manifest.yaml".to_string(), created.join("\n")),
            ]
        }
    }
}

/// The chart of a helm log, from its `# Source: <chart>/templates/...` comments.
fn chart_name(release: &Release) -> Option<String> {
    let source = release.statefulsets.first()?.source.as_ref()?;
    source.split('/').next().filter(|c| !c.is_empty()).map(str::to_string)
}

/// `kubectl get po,sts,svc,pvc` and `kubectl rollout status` at one moment.
pub fn state(cluster: &Cluster) -> String {
    let mut out = String::new();
    let get = match kubectl::get(cluster, "po,sts,svc,pvc", false) {
        Ok(t) | Err(t) => t,
    };
    out.push_str(&command_block("kubectl get po,sts,svc,pvc", &get));
    if cluster.statefulset().is_some() {
        let status = kubectl::rollout_status(cluster);
        let cmd = format!("kubectl rollout status statefulset/{}", cluster.set_name());
        out.push_str(&command_block(&cmd, &status.message));
    }
    out
}

/// `kubectl exec pod/X -- cat <counter>` for every pod, as (pod, what it printed).
pub fn counters(cluster: &Cluster, path: &str) -> Vec<(String, String)> {
    cluster
        .pods()
        .map(|p| {
            let out = match kubectl::exec_cat(cluster, &p.name, path) {
                Ok(t) | Err(t) => t,
            };
            (p.name.clone(), out)
        })
        .collect()
}

/// The counters as the student's "Replicas" section: one command block per pod. A pod no request
/// has reached yet has no counter file, and `cat` fails: those pods are named in one sentence,
/// since the failed command is not an answer worth copying.
pub fn counter_blocks(cluster: &Cluster, path: &str) -> String {
    let mut out = String::new();
    let mut no_file: Vec<String> = Vec::new();
    for (pod, printed) in counters(cluster, path) {
        if printed.starts_with("cat: ") && printed.contains("No such file or directory") {
            no_file.push(pod);
        } else {
            out.push_str(&command_block(&format!("kubectl exec pod/{pod} -- cat {path}"), &printed));
        }
    }
    if !no_file.is_empty() {
        let (pods, them) = match no_file.as_slice() {
            [one] => (text(one), "it"),
            [rest @ .., last] => {
                (format!("{} and {}", rest.iter().map(|p| text(p)).collect::<Vec<_>>().join(", "), text(last)), "them")
            }
            [] => unreachable!(),
        };
        let volumes = if no_file.len() == 1 { "volume" } else { "volumes" };
        out.push_str(&format!(
            "No counter file exists yet on the {volumes} of {pods}: no request has reached {them}, so {} finds nothing to read.\n\n",
            code(&format!("kubectl exec pod/{} -- cat {path}", no_file[0]))
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_is_applied_with_kubectl_which_names_what_it_created() {
        let text = include_str!("../../public/scenarios/inputs/web.yaml");
        let blocks = install(&crate::input::parse(text), Some(text));
        assert_eq!(blocks[1].0, "kubectl apply -f manifest.yaml");
        assert_eq!(blocks[1].1, "service/nginx created\nservice/web created\nstatefulset.apps/web created");
    }

    #[test]
    fn a_fence_is_longer_than_any_backticks_in_the_output() {
        let block = command_block("cat notes.md", "```\ncode\n```\n");
        assert!(block.starts_with("`cat notes.md`\n\n````\n```\ncode\n```\n````\n"), "{block}");
    }

    #[test]
    fn the_lab_log_is_installed_with_the_students_helm_command() {
        let text = crate::share::state::tests::LAB;
        let release = crate::input::parse(text);
        let blocks = install(&release, Some(text));
        assert_eq!(blocks, vec![("helm install --dry-run --debug python ./helm-python".to_string(), text.to_string())]);
    }
}
