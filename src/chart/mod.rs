//! Chart rendering: a values.yaml through Helm chart templates, as `helm template` does, in pure
//! Rust (natively and in the browser via wasm). Issue #6.
//!
//! ```
//! use sts_lab::chart::{render, Chart, RenderOptions};
//!
//! let chart = Chart::builtin("helm-python").unwrap();
//! let options = RenderOptions {
//!     release_name: "python".into(),
//!     user_values: vec!["replicaCount: 3\n".into()],
//!     ..RenderOptions::default()
//! };
//! let rendered = render(&chart, &options).unwrap();
//! assert!(rendered.helm_template_output().contains("replicas: 3"));
//! ```
//!
//! The public API:
//! - [`Chart`]: a chart's files. [`Chart::builtin`] (`"helm-python"`, `"done-right"`, listed by
//!   [`Chart::builtin_names`]) or [`Chart::from_files`] (paths relative to the chart root, e.g.
//!   `Chart.yaml`, `values.yaml`, `templates/_helpers.tpl`, `charts/lib/Chart.yaml`).
//! - [`render`]`(&chart, &RenderOptions) -> Result<Rendered, ChartError>`; [`render_templates`]
//!   gives each template's raw rendered text (for an editor tab), before YAML is checked.
//! - [`Rendered`]: `manifests` (in Helm's kind install order), `hooks`, `notes`, the user and
//!   computed values as YAML, and the two texts helm prints:
//!   [`Rendered::helm_template_output`] (`helm template`) and [`Rendered::helm_debug_output`]
//!   (`helm install --dry-run --debug`, what `sts_lab::input::parse` reads).
//! - [`ChartError`]: kind, file, line, column and the message as helm prints it (`parse error
//!   at (...)`, `execution error at (...)`, `template: ...: executing ... at <...>: ...`,
//!   `YAML parse error on ...`).
//!
//! Inside: `render.rs` drives gotmpl (Go's text/template) with the Helm and Sprig functions of
//! `functions/`, tracking positions itself; `values.rs` merges values as `helm install -f`;
//! `order.rs` splits documents, sets hooks apart and sorts by kind; `output.rs` prints;
//! `builtin.rs` embeds the charts under public/charts/.
//!
//! Known differences from Helm: values are immutable, so `merge`/`set` style mutation of a dict
//! through a variable is not seen later; `.Files` offers `Get`, `Glob`, `Lines`, `AsConfig`, `AsSecrets` (not `GetBytes`);
//! `include` nests at most 64 deep (Helm: 1000).

#![deny(missing_docs)]

mod builtin;
mod error;
pub mod fit;
pub mod functions;
mod loader;
mod order;
mod output;
mod render;
pub mod strvals;
pub mod values;

pub use error::{ChartError, ChartErrorKind, Location};
pub use loader::{Chart, ChartFile};
pub use order::{kind_install_order, Hook, Manifest};
pub use output::Rendered;
pub use render::{render, render_templates};

/// What `helm install`/`helm template` is told besides the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderOptions {
    /// `.Release.Name` (helm template's default is `release-name`).
    pub release_name: String,
    /// `.Release.Namespace`.
    pub namespace: String,
    /// The `-f` files' contents, merged left to right.
    pub user_values: Vec<String>,
    /// `.Release.Revision`.
    pub revision: i64,
    /// `.Release.IsUpgrade` (and `IsInstall` is its negation).
    pub is_upgrade: bool,
    /// `.Capabilities.KubeVersion.Version` (e.g. `v1.28.0`, Helm 3.13's default).
    pub kube_version: String,
    /// `LAST DEPLOYED:` in the debug output, already in Go's ANSIC layout; `None` omits it.
    pub last_deployed: Option<String>,
    /// The chart path helm logs on stderr (`[debug] CHART PATH: ...`); `None` omits both debug lines.
    pub chart_path: Option<String>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            release_name: "release-name".into(),
            namespace: "default".into(),
            user_values: Vec::new(),
            revision: 1,
            is_upgrade: false,
            kube_version: "v1.28.0".into(),
            last_deployed: None,
            chart_path: None,
        }
    }
}
