//! Finds the line of a key path (`spec.updateStrategy`, `spec.template.spec.containers[0].image`)
//! in block-style YAML text. Parsers report type errors and duplicate keys by path, not by line;
//! a student needs the line. Flow-style text is not searched: callers fall back to the
//! document's first line.

/// One step of a path into a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// 1-based line (within `text`) and 1-based column of the `occurrence`-th (0-based) match of the
/// path's last key, or of the deepest prefix of the path that could be found.
pub fn locate(text: &str, path: &[Segment], occurrence: usize) -> Option<(usize, usize)> {
    let lines: Vec<Line> = text.lines().map(Line::new).collect();
    let mut range = Range { from: 0, to: lines.len(), dash_at: None };
    let mut found = None;
    for (depth, segment) in path.iter().enumerate() {
        let last = depth + 1 == path.len();
        let hits = match segment {
            Segment::Key(key) => find_keys(&lines, &range, key),
            Segment::Index(i) => find_items(&lines, &range).into_iter().skip(*i).take(1).collect(),
        };
        // Serde keeps the last of duplicate keys, so an intermediate key means its last copy.
        let hit = if last { hits.get(occurrence).or(hits.last()) } else { hits.last() };
        let Some(&(line, column)) = hit else {
            return found;
        };
        found = Some((line + 1, column + 1));
        range = child_range(&lines, line, column, matches!(segment, Segment::Index(_)));
    }
    found
}

/// Every key of the block mapping at `parent`, with its 1-based line and column, in one pass over
/// that mapping: placing thousands of duplicate keys of one mapping must not search the whole
/// document once per key (95,000 annotations took 17 s that way).
pub fn keys_at(text: &str, parent: &[Segment]) -> Vec<(String, usize, usize)> {
    let lines: Vec<Line> = text.lines().map(Line::new).collect();
    let mut range = Range { from: 0, to: lines.len(), dash_at: None };
    for segment in parent {
        let hits = match segment {
            Segment::Key(key) => find_keys(&lines, &range, key),
            Segment::Index(i) => find_items(&lines, &range).into_iter().skip(*i).take(1).collect(),
        };
        let Some(&(line, column)) = hits.last() else {
            return Vec::new();
        };
        range = child_range(&lines, line, column, matches!(segment, Segment::Index(_)));
    }
    let mut level = None;
    let mut out = Vec::new();
    for i in range.from..range.to {
        if !lines[i].significant() {
            continue;
        }
        let (indent, content) = view(&lines, &range, i);
        if content.starts_with("- ") || content == "-" {
            continue;
        }
        let Some(name) = key_of(content) else {
            continue;
        };
        if indent == *level.get_or_insert(indent) {
            out.push((name.to_string(), i + 1, indent + 1));
        }
    }
    out
}

/// The 1-based line of every item of the sequence under the top-level `key`, in one pass.
pub fn item_lines(text: &str, key: &str) -> Vec<usize> {
    let lines: Vec<Line> = text.lines().map(Line::new).collect();
    let top = Range { from: 0, to: lines.len(), dash_at: None };
    let Some(&(line, column)) = find_keys(&lines, &top, key).last() else {
        return Vec::new();
    };
    let range = child_range(&lines, line, column, false);
    find_items(&lines, &range).into_iter().map(|(l, _)| l + 1).collect()
}

struct Line<'a> {
    indent: usize,
    content: &'a str,
}

impl<'a> Line<'a> {
    fn new(raw: &'a str) -> Self {
        let content = raw.trim_start_matches(' ');
        Self { indent: raw.len() - content.len(), content: content.trim_end() }
    }
    fn significant(&self) -> bool {
        !self.content.is_empty() && !self.content.starts_with('#')
    }
}

/// Lines `[from, to)`; when `dash_at` is set, the first line's content starts after a `- ` at
/// that column (the item of a sequence).
struct Range {
    from: usize,
    to: usize,
    dash_at: Option<usize>,
}

/// The content of a line inside a range, with the sequence dash of the range's first line removed.
fn view<'a>(lines: &'a [Line<'a>], range: &Range, i: usize) -> (usize, &'a str) {
    let line = &lines[i];
    if i == range.from {
        if let Some(col) = range.dash_at {
            let rest = line.content.get(1..).unwrap_or("");
            let trimmed = rest.trim_start_matches(' ');
            return (col + 1 + rest.len() - trimmed.len(), trimmed);
        }
    }
    (line.indent, line.content)
}

/// Keys at the mapping level of the range: the smallest indentation holding a `key:`.
fn find_keys(lines: &[Line], range: &Range, key: &str) -> Vec<(usize, usize)> {
    let mut level = None;
    let mut hits = Vec::new();
    for i in range.from..range.to {
        if !lines[i].significant() {
            continue;
        }
        let (indent, content) = view(lines, range, i);
        if content.starts_with("- ") || content == "-" {
            continue;
        }
        let Some(name) = key_of(content) else {
            continue;
        };
        let level = *level.get_or_insert(indent);
        if indent == level && name == key {
            hits.push((i, indent));
        }
    }
    hits
}

/// Items of the sequence at the range's top level.
fn find_items(lines: &[Line], range: &Range) -> Vec<(usize, usize)> {
    let mut level = None;
    let mut hits = Vec::new();
    for i in range.from..range.to {
        if !lines[i].significant() {
            continue;
        }
        let (indent, content) = view(lines, range, i);
        if !(content.starts_with("- ") || content == "-") {
            continue;
        }
        let level = *level.get_or_insert(indent);
        if indent == level {
            hits.push((i, indent));
        }
    }
    hits
}

/// The lines belonging to the node at `line`: until a line indented no deeper than `column`
/// (for a sequence item, a following item at the same column ends it too).
fn child_range(lines: &[Line], line: usize, column: usize, item: bool) -> Range {
    let mut to = line + 1;
    while to < lines.len() {
        let l = &lines[to];
        if l.significant() {
            let is_sibling_item = item && l.indent == column && l.content.starts_with('-');
            if l.indent < column || (l.indent == column && (!item || is_sibling_item)) {
                // A sequence may sit at the same indentation as its parent key.
                let is_compact_seq = !item && l.indent == column && l.content.starts_with('-');
                if !is_compact_seq {
                    break;
                }
            }
        }
        to += 1;
    }
    if item {
        Range { from: line, to, dash_at: Some(column) }
    } else {
        Range { from: line + 1, to, dash_at: None }
    }
}

/// The key of a `key: value` / `key:` line, unquoted.
fn key_of(content: &str) -> Option<&str> {
    let (key, rest) = if let Some(stripped) = content.strip_prefix('"') {
        let end = stripped.find('"')?;
        (&stripped[..end], &stripped[end + 1..])
    } else if let Some(stripped) = content.strip_prefix('\'') {
        let end = stripped.find('\'')?;
        (&stripped[..end], &stripped[end + 1..])
    } else {
        let end = content.find(": ").or_else(|| content.strip_suffix(':').map(|s| s.len()))?;
        (&content[..end], &content[end..])
    };
    rest.trim_start().starts_with(':').then_some(key.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Segment {
        Segment::Key(k.into())
    }

    const DOC: &str = "apiVersion: apps/v1\nkind: StatefulSet\nspec:\n  updateStrategy:\n    type: RollingUpdate\n  template:\n    spec:\n      containers:\n      - name: a\n        image: x\n      - name: b\n        image: y\n  updateStrategy:\n    type: OnDelete\n";

    #[test]
    fn second_occurrence_of_a_duplicate_key_is_found() {
        assert_eq!(locate(DOC, &[key("spec"), key("updateStrategy")], 1), Some((13, 3)));
    }

    #[test]
    fn items_of_a_sequence_are_counted_by_dash() {
        let path = [key("spec"), key("template"), key("spec"), key("containers"), Segment::Index(1), key("image")];
        assert_eq!(locate(DOC, &path, 0), Some((12, 9)));
    }

    #[test]
    fn a_path_that_does_not_exist_gives_its_deepest_prefix() {
        assert_eq!(locate(DOC, &[key("spec"), key("nope")], 0), Some((3, 1)));
    }
}
