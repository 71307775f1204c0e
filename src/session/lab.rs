//! The lab's own story, read from its real files: the `helm install --dry-run --debug` log gives the
//! release; the lab's `kubectl get po,sts,svc,pvc` shows how many replicas it ran after the upgrade.

/// Pods named `<set>-<ordinal>` in a `kubectl get` listing: the replicas the lab actually ran.
pub fn observed_replicas(kubectl_get: &str, set: &str) -> Option<i32> {
    let prefix = format!("pod/{set}-");
    let n = kubectl_get
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter_map(|name| name.strip_prefix(&prefix))
        .filter(|ordinal| !ordinal.is_empty() && ordinal.chars().all(|c| c.is_ascii_digit()))
        .count();
    (n > 0).then_some(n as i32)
}

/// Where the lab app keeps its visit counter (the lab report's `kubectl exec ... cat`).
pub fn counter_path(lab_report: &str) -> Option<String> {
    lab_report.lines().find_map(|l| {
        let at = l.find("-- cat ")?;
        Some(l[at + 7..].trim_end_matches('`').trim().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lab_ran_three_replicas_of_its_statefulset() {
        let get = include_str!("../../tests/fixtures/kubectl-get-po-sts-svc-pvc.txt");
        assert_eq!(observed_replicas(get, "python-helm-python"), Some(3));
        assert_eq!(observed_replicas(get, "vault"), Some(1));
        assert_eq!(observed_replicas(get, "nothing"), None);
    }

    #[test]
    fn the_counter_file_is_where_the_lab_report_reads_it() {
        let report = include_str!("../../tests/fixtures/lab-report.md");
        assert_eq!(counter_path(report).as_deref(), Some("app_python/volume/visits"));
    }
}
