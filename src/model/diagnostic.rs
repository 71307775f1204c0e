//! A message about the paste, anchored at a line and column of the paste as a whole.

use serde::Serialize;

/// How bad a diagnostic is: errors lose data, warnings only flag something odd.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One message about the input. Lines and columns are 1-based and count in the whole paste
/// (for a debug log, not within its section), so the editor can mark them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The offending line of the paste, for showing beside the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
}

impl Diagnostic {
    pub fn error(line: usize, column: usize, message: impl Into<String>) -> Self {
        Self { severity: Severity::Error, line, column, message: message.into(), snippet: None }
    }

    pub fn warning(line: usize, column: usize, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, line, column, message: message.into(), snippet: None }
    }

    /// Attaches the offending line, so a reader sees the fault without opening the paste.
    pub fn with_snippet(mut self, snippet: impl Into<String>) -> Self {
        self.snippet = Some(snippet.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
