//! Limits that keep every paste bounded: the lab runs in a browser tab, where a hung parser
//! freezes the page. Far above any real release (the corpus' largest bundle is 150 KB, about
//! 30 000 nodes), far below what would take a second.

/// Pastes larger than this are refused with a message, not parsed.
pub const MAX_PASTE_BYTES: usize = 2 * 1024 * 1024;

/// YAML nodes built for one paste, aliases expanded: stops "billion laughs" documents.
pub const MAX_NODES: usize = 1_000_000;

/// A document this large is not re-parsed line by line to recover from a syntax error.
pub const MAX_RECOVERY_BYTES: usize = 256 * 1024;

/// Lines scanned, per paste, to find the line of a key path (each search scans its whole
/// document); past it, diagnostics point at the object's first line instead.
pub const MAX_LINE_SEARCHES: usize = 2_000_000;

/// Duplicate keys located and reported per document.
pub const MAX_DUPLICATES_REPORTED: usize = 50;
