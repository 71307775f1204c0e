//! How deep a YAML text nests its flow collections (`[`, `{`), found by one linear scan before
//! the YAML reader sees it.
//!
//! The reader (libyaml) keeps one "simple key" slot per open flow collection and looks at all of
//! them for every token, so a text of 100,000 `[` costs depth × tokens — 11 s in the page — before
//! its own recursion limit (128) answers. This scan answers at once, at the bracket that goes one
//! level too deep. It follows just enough of YAML to not count brackets that are text: quoted
//! scalars, comments, block scalars (`|`, `>`) and brackets inside a plain scalar (`a: b[0]`).
//! Where it is unsure it counts, which can only refuse text nested deeper than the reader takes.

use crate::limits::MAX_YAML_DEPTH;

/// The 1-based line and column of the first `[` or `{` that opens more than `limit` nested flow
/// collections, if any.
pub fn too_deep(text: &str, limit: usize) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut line = 1usize;
    // Byte offset where the current line starts.
    let mut line_start = 0usize;
    let bytes = text.as_bytes();
    let mut i = 0usize;
    // The last byte that was not a space or tab, on this line (None at its start).
    let mut prev: Option<u8> = None;
    // The first byte of the current word (a tag `!t` or anchor `&a` may stand before a collection).
    let mut word_first: Option<u8> = None;
    let mut last_word_first: Option<u8> = None;
    let mut unclosed_line = 0usize;
    // Indentation of the line that opened a block scalar, while its lines are skipped.
    let mut block_scalar: Option<usize> = None;
    while i < bytes.len() {
        let b = bytes[i];
        if i == line_start {
            let indent = bytes[i..].iter().take_while(|c| **c == b' ').count();
            let rest = &bytes[i + indent..];
            let blank = rest.first().is_none_or(|c| matches!(c, b'\n' | b'\r'));
            if let Some(parent) = block_scalar {
                if blank || indent > parent {
                    i = next_line(bytes, i);
                    line += 1;
                    line_start = i;
                    continue;
                }
                block_scalar = None;
            }
        }
        match b {
            b'\n' => {
                line += 1;
                line_start = i + 1;
                prev = None;
            }
            b' ' | b'\t' | b'\r' => {}
            b'#' if i == line_start || matches!(bytes[i - 1], b' ' | b'\t') => {
                i = next_line(bytes, i);
                continue;
            }
            // Only a quote closed on its own line is skipped: a quote inside a multi-line plain
            // scalar would otherwise hide real brackets after it.
            b'"' | b'\'' if starts_token(prev, depth) && unclosed_line != line => match closes_on_line(bytes, i) {
                Some(end) => {
                    i = end;
                    prev = Some(b);
                    continue;
                }
                // Scanned to the end of the line once: not again for later quotes on it.
                None => unclosed_line = line,
            },
            b'[' | b'{' if depth > 0 || starts_token(prev, depth) || after_property(word_first, last_word_first) => {
                depth += 1;
                if depth > limit {
                    let column = text[line_start..i].chars().count() + 1;
                    return Some((line, column));
                }
            }
            b']' | b'}' if depth > 0 => depth -= 1,
            b'|' | b'>' if depth == 0 && starts_token(prev, depth) && is_block_header(&bytes[i + 1..]) => {
                let indent = bytes[line_start..].iter().take_while(|c| **c == b' ').count();
                block_scalar = Some(indent);
                i = next_line(bytes, i);
                line += 1;
                line_start = i;
                prev = None;
                continue;
            }
            _ => {}
        }
        if matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
            if word_first.is_some() {
                last_word_first = word_first.take();
            }
        } else {
            prev = Some(b);
            word_first.get_or_insert(b);
        }
        i += 1;
    }
    None
}

/// A refusal in words, for a text that nests too deep at `(line, column)`.
pub fn message() -> String {
    format!(
        "the YAML nests deeper than {MAX_YAML_DEPTH} levels here; the lab reads YAML up to {MAX_YAML_DEPTH} deep \
         (the YAML reader's own limit; Kubernetes objects nest about 15 deep)"
    )
}

/// Checks a text, with the default limit.
pub fn check(text: &str) -> Result<(), (usize, usize, String)> {
    match too_deep(text, MAX_YAML_DEPTH) {
        Some((line, column)) => Err((line, column, message())),
        None => Ok(()),
    }
}

/// Whether a value (or collection) may start here: at the start of a line, after an indicator
/// (`- `, `: `, `? `), or inside a flow collection after `[`, `{` or `,`.
fn starts_token(prev: Option<u8>, depth: usize) -> bool {
    match prev {
        None => true,
        Some(b'-' | b':' | b'?') => true,
        Some(b'[' | b'{' | b',') => depth > 0,
        // `!tag [..]` and `&anchor [..]` end in other characters; counting them is the safe side.
        Some(_) => false,
    }
}

/// Right after a tag (`!t [`, `!t[`) or an anchor (`&a [`), which may stand before a collection.
fn after_property(word_first: Option<u8>, last_word_first: Option<u8>) -> bool {
    match word_first {
        Some(first) => matches!(first, b'!' | b'&'),
        None => matches!(last_word_first, Some(b'!' | b'&')),
    }
}

/// After `|` or `>`: only indentation and chomping indicators, then the end of the line or a comment.
fn is_block_header(rest: &[u8]) -> bool {
    for (k, c) in rest.iter().enumerate() {
        match c {
            b'+' | b'-' | b'0'..=b'9' => {}
            b' ' | b'\t' => {
                return rest[k..]
                    .iter()
                    .find(|c| !matches!(c, b' ' | b'\t'))
                    .is_none_or(|c| matches!(c, b'#' | b'\n' | b'\r'))
            }
            b'\n' | b'\r' => return true,
            _ => return false,
        }
    }
    true
}

fn next_line(bytes: &[u8], from: usize) -> usize {
    bytes[from..].iter().position(|c| *c == b'\n').map_or(bytes.len(), |p| from + p + 1)
}

/// The index after the quote that closes the quoted scalar starting at `start`, if it closes on
/// the same line.
fn closes_on_line(bytes: &[u8], start: usize) -> Option<usize> {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => return None,
            b'\\' if quote == b'"' => i += 1,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
            c if c == quote => return Some(i + 1),
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_nesting_is_counted_and_refused_at_the_bracket() {
        let deep = "a: ".to_string() + &"[".repeat(200);
        assert_eq!(too_deep(&deep, 128), Some((1, 4 + 128)));
        assert_eq!(too_deep("a: [[1], {b: [2]}]\n", 3), None);
        assert_eq!(too_deep("a: [[[1]]]\n", 2), Some((1, 6)));
    }

    #[test]
    fn brackets_in_text_are_not_nesting() {
        let text = "a: b[[[[\nc: \"[[[[\"\nd: '[[[['\n# [[[[\ne: |\n  [[[[[\n  {{{{\nf: x\n";
        assert_eq!(too_deep(text, 1), None);
        assert_eq!(too_deep("script: if [ -f x ]; then [ a ]; fi\n", 0), None);
    }

    #[test]
    fn a_quote_inside_a_plain_scalar_does_not_hide_what_follows() {
        let text = "a: it's\nb: [[[1]]]\n";
        assert_eq!(too_deep(text, 2), Some((2, 6)));
    }

    #[test]
    fn a_tag_before_a_collection_does_not_hide_it() {
        assert_eq!(too_deep("a: !t [[[1]]]\n", 2), Some((1, 9)));
        assert_eq!(too_deep("a: &x [[[1]]]\n", 2), Some((1, 9)));
    }

    #[test]
    fn a_quote_left_open_on_its_line_hides_nothing() {
        assert_eq!(too_deep("a: foo\n  'bar\nb: [[[1]]]\n", 2), Some((3, 6)));
    }

    #[test]
    fn the_text_after_a_block_scalar_is_scanned_again() {
        let text = "a: |\n  [[[\nb: [[[1]]]\n";
        assert_eq!(too_deep(text, 2), Some((3, 6)));
    }

    #[test]
    fn a_hundred_thousand_brackets_answer_at_once() {
        let text = "[".repeat(100_000);
        assert_eq!(check(&text).unwrap_err().0, 1);
    }
}
