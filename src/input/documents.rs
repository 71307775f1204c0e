//! A YAML stream cut into documents, each read on its own so one bad document does not hide
//! the others. Cutting happens at `---` and `...` lines at column 0: YAML itself forbids those
//! inside any scalar, so the cut never splits a value. Each document keeps the `# Source:` line
//! helm printed above it.

use serde::de::DeserializeSeed;
use yaml_serde::Value;

use super::duplicate_keys::{Lenient, ReadContext};
use super::limits;
use super::locate::Segment;
use super::position::{Chunk, Paste};
use super::syntax_errors;

/// One document of the paste.
#[derive(Debug, Clone)]
pub struct Document {
    pub chunk: Chunk,
    /// `chart/templates/statefulset.yaml` from a `# Source:` comment.
    pub source: Option<String>,
    /// How many lines the document spans.
    pub line_count: usize,
}

impl Document {
    /// Paste line (1-based) of the first line that is neither blank, a comment nor a marker.
    pub fn content_line(&self) -> usize {
        let offset = self
            .chunk
            .text
            .lines()
            .position(|l| {
                let t = l.trim();
                !(t.is_empty() || t.starts_with('#') || t == "---" || t == "...")
            })
            .unwrap_or(0);
        self.chunk.first_line + offset
    }

    /// Whether the document holds nothing but comments and markers.
    pub fn is_blank(&self) -> bool {
        self.chunk.text.lines().all(|l| {
            let t = l.trim();
            t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
        })
    }
}

/// A document that could not be read, positioned in the paste.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    pub line: usize,
    /// Column within the normalised line (the caller adds the paste's indentation).
    pub column: usize,
    pub message: String,
    /// True when the node budget ran out: later documents cannot be read either.
    pub exhausted: bool,
}

/// What reading one document gave.
#[derive(Debug)]
pub struct Read {
    pub values: Vec<Value>,
    /// Duplicated keys: path and paste line/column of the repeated key.
    pub duplicates: Vec<(Vec<Segment>, usize, usize)>,
    /// The syntax error, when there was one; `values` then holds what a retry without the
    /// offending line could still read (possibly nothing).
    pub fault: Option<Fault>,
}

/// Cuts lines `[from, to)` (0-based) of the paste into documents.
pub fn split(paste: &Paste, from: usize, to: usize) -> Vec<Document> {
    let mut docs = Vec::new();
    let mut start = from;
    let mut push = |start: usize, end: usize| {
        if end > start {
            let chunk = paste.chunk(start, end);
            let source = chunk.text.lines().find_map(|l| l.strip_prefix("# Source: ")).map(|s| s.trim().to_string());
            docs.push(Document { chunk, source, line_count: end - start });
        }
    };
    for i in from..to.min(paste.len()) {
        let line = paste.lines[i];
        if (line == "---" || line.starts_with("--- ") || line.starts_with("---\t")) && i > start {
            push(start, i);
            start = i;
        } else if line.trim_end() == "..." {
            push(start, i + 1);
            start = i + 1;
        }
    }
    push(start, to.min(paste.len()));
    docs
}

/// Reads one document as JSON (when it looks like JSON and is valid) or YAML.
pub fn read(doc: &Document, ctx: &ReadContext) -> Read {
    let text = &doc.chunk.text;
    // Before the YAML reader: its time grows with depth × tokens, the scan's with the length.
    if let Err((line, column, message)) = super::nesting::check(text) {
        let fault = Fault { line: doc.chunk.paste_line(line), column, message, exhausted: false };
        return finish(doc, ctx, Vec::new(), Some(fault));
    }
    let first = text.trim_start();
    if first.starts_with('{') || first.starts_with('[') {
        let mut de = serde_json::Deserializer::from_str(text);
        let json = Lenient(ctx).deserialize(&mut de).and_then(|v| de.end().map(|_| v));
        match json {
            Ok(value) => return finish(doc, ctx, vec![value], None),
            Err(e) if first.starts_with("{\"") || first.starts_with("[{\"") || first.starts_with("[\n") => {
                if !ctx.exhausted.get() {
                    // Clearly meant as JSON: its own error is the precise one.
                    let fault = Fault {
                        line: doc.chunk.paste_line(e.line()),
                        column: e.column().max(1),
                        message: format!("invalid JSON: {e}")
                            .replace(&format!(" at line {} column {}", e.line(), e.column()), ""),
                        exhausted: false,
                    };
                    return finish(doc, ctx, Vec::new(), Some(fault));
                }
            }
            Err(_) => {}
        }
        ctx.duplicates.borrow_mut().clear();
    }
    match read_yaml(text, ctx) {
        Ok(values) => finish(doc, ctx, values, None),
        Err((line, column, message)) => {
            let exhausted = ctx.exhausted.get();
            let fault = Fault { line: doc.chunk.paste_line(line), column, message, exhausted };
            let values = if exhausted { Vec::new() } else { recover(text, line, ctx) };
            finish(doc, ctx, values, Some(fault))
        }
    }
}

fn finish(doc: &Document, ctx: &ReadContext, values: Vec<Value>, fault: Option<Fault>) -> Read {
    // The keys of each mapping holding a duplicate, found once per mapping.
    let mut mappings: std::collections::HashMap<String, std::collections::HashMap<String, Vec<(usize, usize)>>> =
        std::collections::HashMap::new();
    let duplicates = ctx
        .duplicates
        .take()
        .into_iter()
        .take(limits::MAX_DUPLICATES_REPORTED)
        .map(|(path, occurrence)| {
            let place = match path.split_last() {
                Some((Segment::Key(key), parent)) => {
                    let keys = mappings.entry(super::duplicate_keys::path_text(parent)).or_insert_with(|| {
                        let mut by_key: std::collections::HashMap<String, Vec<(usize, usize)>> = Default::default();
                        for (k, line, column) in super::locate::keys_at(&doc.chunk.text, parent) {
                            by_key.entry(k).or_default().push((line, column));
                        }
                        by_key
                    });
                    keys.get(key).and_then(|hits| hits.get(occurrence).or(hits.last()).copied())
                }
                _ => None,
            };
            let (line, column) =
                place.or_else(|| super::locate::locate(&doc.chunk.text, &path, occurrence)).unwrap_or((1, 1));
            (path, doc.chunk.paste_line(line), column)
        })
        .collect();
    Read { values, duplicates, fault }
}

/// All documents of a YAML text (normally one), or the first error with its 1-based line/column.
fn read_yaml(text: &str, ctx: &ReadContext) -> Result<Vec<Value>, (usize, usize, String)> {
    let mut values = Vec::new();
    for de in yaml_serde::Deserializer::from_str(text) {
        match Lenient(ctx).deserialize(de) {
            Ok(Value::Null) if values.is_empty() => {}
            Ok(v) => values.push(v),
            Err(e) => {
                let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
                let message = if ctx.exhausted.get() {
                    format!(
                        "the paste expands to more than {} YAML values (aliases `*name` repeating an anchor?): reading stopped here",
                        limits::MAX_NODES
                    )
                } else {
                    syntax_errors::explain(&e.to_string())
                };
                return Err((line, column, message));
            }
        }
    }
    Ok(values)
}

/// After a syntax error at `line`, tries the document without that line or one of the two
/// before it (a stray line is the usual fault in a pasted log); the first that reads is kept so
/// the StatefulSet still appears, next to the error.
fn recover(text: &str, line: usize, ctx: &ReadContext) -> Vec<Value> {
    if text.len() > limits::MAX_RECOVERY_BYTES {
        return Vec::new();
    }
    let lines: Vec<&str> = text.lines().collect();
    for candidate in [line, line.wrapping_sub(1), line.wrapping_sub(2), line + 1] {
        if candidate == 0 || candidate > lines.len() {
            continue;
        }
        let attempt: String = lines
            .iter()
            .enumerate()
            .map(|(i, l)| if i + 1 == candidate { "" } else { l })
            .collect::<Vec<_>>()
            .join("\n");
        if let Ok(values) = read_yaml(&attempt, ctx) {
            ctx.duplicates.borrow_mut().clear();
            return values;
        }
        if ctx.exhausted.get() {
            break;
        }
    }
    ctx.duplicates.borrow_mut().clear();
    Vec::new()
}
