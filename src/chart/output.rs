//! What helm prints: `helm template` and `helm install --dry-run --debug`
//! (helm/cmd/helm/template.go and status.go's statusPrinter).

use super::order::{Hook, Manifest};

/// A rendered release.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// The top chart's name.
    pub chart_name: String,
    /// `.Release.Name`.
    pub release_name: String,
    /// `.Release.Namespace`.
    pub namespace: String,
    /// `.Release.Revision`.
    pub revision: i64,
    /// `LAST DEPLOYED:` text (Go ANSIC layout), if any.
    pub last_deployed: Option<String>,
    /// The chart path for helm's stderr debug lines, if any.
    pub chart_path: Option<String>,
    /// The release's documents in Helm's kind install order (same kind: file order).
    pub manifests: Vec<Manifest>,
    /// The hook documents, sorted by kind.
    pub hooks: Vec<Hook>,
    /// The rendered NOTES.txt of the top chart (untrimmed).
    pub notes: String,
    /// The merged `-f` values as YAML (`{}` when none), as helm prints USER-SUPPLIED VALUES.
    pub user_values: String,
    /// The computed values as YAML, as helm prints COMPUTED VALUES.
    pub computed_values: String,
}

impl Rendered {
    /// The release manifest: `---\n# Source: PATH\nTEXT\n` per document.
    pub fn manifest(&self) -> String {
        self.manifests.iter().map(|m| format!("---\n# Source: {}\n{}\n", m.source, m.text)).collect()
    }

    /// The hooks as helm lists them: `---\n# Source: PATH\nTEXT\n` per hook.
    pub fn hooks_text(&self) -> String {
        self.hooks.iter().map(|h| format!("---\n# Source: {}\n{}\n", h.source, h.text)).collect()
    }

    /// What `helm template` prints: the manifest (trimmed, then a newline), then the hooks.
    pub fn helm_template_output(&self) -> String {
        format!("{}\n{}", self.manifest().trim(), self.hooks_text())
    }

    /// What `helm install NAME CHART --dry-run --debug` prints (stderr's debug lines first when
    /// a chart path is set), for `sts_lab::input::parse`.
    pub fn helm_debug_output(&self) -> String {
        let mut out = String::new();
        if let Some(path) = &self.chart_path {
            out.push_str("install.go:214: [debug] Original chart version: \"\"\n");
            out.push_str(&format!("install.go:231: [debug] CHART PATH: {path}\n\n"));
        }
        out.push_str(&format!("NAME: {}\n", self.release_name));
        if let Some(when) = &self.last_deployed {
            out.push_str(&format!("LAST DEPLOYED: {when}\n"));
        }
        out.push_str(&format!("NAMESPACE: {}\n", self.namespace));
        out.push_str("STATUS: pending-install\n");
        out.push_str(&format!("REVISION: {}\n", self.revision));
        if !self.hooks.iter().any(|h| h.events.iter().any(|e| e == "test" || e == "test-success")) {
            out.push_str("TEST SUITE: None\n");
        }
        out.push_str(&format!("USER-SUPPLIED VALUES:\n{}\n", self.user_values));
        out.push_str(&format!("COMPUTED VALUES:\n{}\n", self.computed_values));
        out.push_str("HOOKS:\n");
        out.push_str(&self.hooks_text());
        out.push_str(&format!("MANIFEST:\n{}\n", self.manifest()));
        if !self.notes.trim().is_empty() {
            out.push_str(&format!("NOTES:\n{}\n", self.notes.trim()));
        }
        out
    }
}
