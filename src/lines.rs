//! A paste's lines by number, for an editor that draws only the lines in view.
//!
//! Why: the browser's text box lays out every line of its text, so a paste past
//! [`MAX_EDITABLE_LINES`] or [`MAX_EDITABLE_BYTES`] is shown read-only, a window of lines at a
//! time (issue #14). Numbering follows [`str::lines`], as the diagnostics' line numbers do: a line
//! ends at `\n`, a `\r` before it is not shown, and a final newline does not start another line.

use crate::limits::{MAX_EDITABLE_BYTES, MAX_EDITABLE_LINES, MAX_SHOWN_LINE_CHARS};

/// Whether a text stays in the browser's text box, editable in place.
pub fn editable(text: &str) -> bool {
    fits_text_box(count(text), text.len())
}

/// Whether a text of this many lines and bytes stays in the browser's text box.
pub fn fits_text_box(lines: usize, bytes: usize) -> bool {
    too_long(lines, bytes).is_none()
}

/// Why a text of this many lines and bytes is shown read-only, if it is: "15,063 lines, more than
/// the 10,000 the lab edits in place".
pub fn too_long(lines: usize, bytes: usize) -> Option<String> {
    if lines > MAX_EDITABLE_LINES {
        Some(format!("{} lines, more than the {} the lab edits in place", grouped(lines), grouped(MAX_EDITABLE_LINES)))
    } else if bytes > MAX_EDITABLE_BYTES {
        Some(format!(
            "{:.1} MB, more than the {} KB the lab edits in place",
            bytes as f64 / 1_048_576.0,
            MAX_EDITABLE_BYTES / 1024
        ))
    } else {
        None
    }
}

/// A count with thousands separated by commas, as the lab's messages write them.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// A pasted text as the browser's text box keeps it: every line ends in `\n` (a text box's value
/// has no `\r`, whatever the clipboard held).
pub fn as_pasted(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// How many lines a text has, as [`str::lines`] counts them, and at least one (an empty text
/// still shows its first, empty line).
pub fn count(text: &str) -> usize {
    let breaks = text.bytes().filter(|&b| b == b'\n').count();
    let unterminated = usize::from(!text.is_empty() && !text.ends_with('\n'));
    (breaks + unterminated).max(1)
}

/// Where each line of one text starts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lines {
    starts: Vec<usize>,
    len: usize,
}

impl Lines {
    pub fn of(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
        if starts.len() > 1 && starts.last() == Some(&text.len()) {
            starts.pop();
        }
        Lines { starts, len: text.len() }
    }

    /// The number of lines, as [`count`] gives it.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Line `index` (from 0) of `text`, the text this index was made of, without its line end.
    pub fn line<'t>(&self, text: &'t str, index: usize) -> &'t str {
        let Some(&start) = self.starts.get(index) else { return "" };
        let last_end = if text.ends_with('\n') { self.len - 1 } else { self.len };
        let end = self.starts.get(index + 1).map_or(last_end, |&next| next - 1);
        let line = text.get(start..end.min(text.len())).unwrap_or("");
        // `\r\n` ends a line; a `\r` the text ends with is part of its last line.
        let terminated = text.as_bytes().get(end) == Some(&b'\n');
        if terminated {
            line.strip_suffix('\r').unwrap_or(line)
        } else {
            line
        }
    }

    /// Line `index` as the read-only view draws it: at most [`MAX_SHOWN_LINE_CHARS`] characters,
    /// and how many more the line has.
    pub fn shown<'t>(&self, text: &'t str, index: usize) -> (&'t str, usize) {
        let line = self.line(text, index);
        match line.char_indices().nth(MAX_SHOWN_LINE_CHARS) {
            Some((cut, _)) => (&line[..cut], line[cut..].chars().count()),
            None => (line, 0),
        }
    }
}

/// The byte offset in `text` of a position the browser gives in UTF-16 code units (a text box's
/// selection), at the nearest character boundary at or before it.
pub fn byte_offset(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (byte, c) in text.char_indices() {
        if units + c.len_utf16() > utf16 {
            return byte;
        }
        units += c.len_utf16();
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts() -> impl Strategy<Value = String> {
        proptest::collection::vec(prop_oneof!["a", "é", "\n", "\r\n", "\r", "😀", " "], 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        /// Lines and their count are exactly `str::lines`' (which the diagnostics' numbers follow).
        #[test]
        fn lines_are_str_lines(text in texts()) {
            let lines = Lines::of(&text);
            let expected: Vec<&str> = text.lines().collect();
            prop_assert_eq!(lines.len(), expected.len().max(1));
            prop_assert_eq!(count(&text), lines.len());
            for (i, want) in expected.iter().enumerate() {
                prop_assert_eq!(lines.line(&text, i), *want);
            }
        }

        /// A UTF-16 offset maps to the byte where the same characters end.
        #[test]
        fn byte_offset_counts_utf16_units(text in texts(), cut in 0usize..50) {
            let byte = byte_offset(&text, cut);
            prop_assert!(text.is_char_boundary(byte));
            prop_assert!(text[..byte].encode_utf16().count() <= cut);
            if byte < text.len() {
                let next = text[byte..].chars().next().unwrap();
                prop_assert!(text[..byte].encode_utf16().count() + next.len_utf16() > cut);
            }
        }
    }

    #[test]
    fn a_long_line_is_cut_for_the_view_and_says_how_much_is_left() {
        let text = format!("short\n{}\n", "é".repeat(MAX_SHOWN_LINE_CHARS + 5));
        let lines = Lines::of(&text);
        assert_eq!(lines.shown(&text, 0), ("short", 0));
        let (shown, more) = lines.shown(&text, 1);
        assert_eq!((shown.chars().count(), more), (MAX_SHOWN_LINE_CHARS, 5));
    }

    #[test]
    fn a_text_too_long_for_the_box_says_which_limit() {
        assert_eq!(
            too_long(95_006, 1_200_000).as_deref(),
            Some("95,006 lines, more than the 10,000 the lab edits in place")
        );
        assert_eq!(too_long(3, 2_100_000).as_deref(), Some("2.0 MB, more than the 512 KB the lab edits in place"));
        assert_eq!(too_long(MAX_EDITABLE_LINES, MAX_EDITABLE_BYTES), None);
        assert_eq!(grouped(1_000_000), "1,000,000");
        assert_eq!(grouped(999), "999");
    }

    #[test]
    fn the_text_box_keeps_up_to_the_limits() {
        assert!(editable(&"a\n".repeat(MAX_EDITABLE_LINES)));
        assert!(!editable(&"a\n".repeat(MAX_EDITABLE_LINES + 1)));
        assert!(editable(&"a".repeat(MAX_EDITABLE_BYTES)));
        assert!(!editable(&"a".repeat(MAX_EDITABLE_BYTES + 1)));
    }
}
