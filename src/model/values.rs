//! Chart values: what the user supplied, what Helm computed (chart defaults merged with them),
//! or a chart's values.yaml pasted alone. A later issue renders templates from them.

/// Kept as YAML values: their shape is whatever the chart defines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Values {
    /// `USER-SUPPLIED VALUES:` of a helm debug log (`{}` when none were given).
    pub user_supplied: Option<yaml_serde::Value>,
    /// `COMPUTED VALUES:` of a helm debug log.
    pub computed: Option<yaml_serde::Value>,
    /// A values.yaml pasted on its own.
    pub file: Option<yaml_serde::Value>,
}

impl Values {
    /// The values a render would use: computed, else the file, else the user-supplied ones.
    pub fn effective(&self) -> Option<&yaml_serde::Value> {
        self.computed.as_ref().or(self.file.as_ref()).or(self.user_supplied.as_ref())
    }
}
