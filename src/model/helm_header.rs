//! The status block `helm install|upgrade` prints before the values and manifests.

use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HelmHeader {
    /// The shell command line, when the paste starts with the prompt that ran it.
    pub command: Option<String>,
    /// `CHART PATH:` from the `[debug]` lines.
    pub chart_path: Option<String>,
    pub name: Option<String>,
    pub last_deployed: Option<String>,
    pub namespace: Option<String>,
    /// `pending-install` for a dry run, `deployed` after a real one.
    pub status: Option<String>,
    pub revision: Option<u32>,
    pub test_suite: Option<String>,
    pub description: Option<String>,
}
