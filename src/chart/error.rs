//! Rendering errors: where (template file, line, column) and what, worded as helm words it.

/// Which step failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartErrorKind {
    /// Chart.yaml missing or unreadable, a subchart without Chart.yaml.
    Chart,
    /// A values file (chart default or user-supplied) is not a YAML map.
    Values,
    /// A template does not parse (or calls an undefined function).
    Parse,
    /// Executing a template failed (`required`, `fail`, a wrong argument...).
    Execution,
    /// A rendered document is not valid YAML.
    Yaml,
}

/// A place in a file: `line` is 1-based, `column` 1-based (in characters); 0 means unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The chart path (`helm-python/templates/statefulset.yaml`) or a values file name.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters).
    pub column: usize,
    /// The place is in the rendered output of `file` (YAML errors), not in its template text.
    pub rendered: bool,
}

impl Location {
    /// A place in a template or values file.
    pub fn at(file: impl Into<String>, line: usize, column: usize) -> Location {
        Location { file: file.into(), line, column, rendered: false }
    }
}

/// A rendering error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ChartError {
    /// Which step failed.
    pub kind: ChartErrorKind,
    /// Where helm's message points (for `include` chains: the outermost call, as helm says).
    pub location: Location,
    /// Every place involved, outermost first: the include/template chain down to the failing
    /// action; for YAML errors, the rendered line and then the template line that produced it.
    pub trace: Vec<Location>,
    /// The message as helm prints it after `Error: `.
    pub message: String,
}

impl ChartError {
    pub(crate) fn simple(kind: ChartErrorKind, file: &str, message: String) -> ChartError {
        let location = Location::at(file.to_string(), 0, 0);
        ChartError { kind, trace: vec![location.clone()], location, message }
    }
}
