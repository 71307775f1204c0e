//! Positions in the paste as a whole. Students paste logs copied from a terminal or a Markdown
//! list: CRLF endings, a byte-order mark, a whole block indented by four spaces, stray ``` fences.
//! `Paste` normalises those once and remembers how, so every diagnostic can point at the line and
//! column the student sees in the editor, whichever section or document it came from.

/// The paste split into lines, normalised, with what is needed to map back.
#[derive(Debug, Clone)]
pub struct Paste<'a> {
    /// Lines without their `\r` and without the indentation shared by the whole paste.
    pub lines: Vec<&'a str>,
    /// Spaces removed from the start of every line (a paste copied from a Markdown list).
    pub indent: usize,
    /// Whether the paste had Windows line endings.
    pub crlf: bool,
}

impl<'a> Paste<'a> {
    pub fn new(text: &'a str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let crlf = text.contains("\r\n");
        let raw: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
        let indent = raw
            .iter()
            .filter(|l| !l.trim().is_empty() && !is_fence(l))
            .map(|l| l.len() - l.trim_start_matches(' ').len())
            .min()
            .unwrap_or(0);
        let lines = raw
            .into_iter()
            .map(|l| {
                // A Markdown fence copied along with the block is not part of the input.
                if is_fence(l) || l.trim().is_empty() {
                    ""
                } else {
                    &l[indent..]
                }
            })
            .collect();
        Self { lines, indent, crlf }
    }

    /// The 1-based line `n` as the student sees it (without the shared indentation).
    pub fn line(&self, n: usize) -> &'a str {
        n.checked_sub(1).and_then(|i| self.lines.get(i)).copied().unwrap_or("")
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Lines `[from, to)` (0-based) joined with `\n`, as a chunk whose line 1 is paste line `from + 1`.
    pub fn chunk(&self, from: usize, to: usize) -> Chunk {
        let to = to.min(self.lines.len());
        let from = from.min(to);
        let mut text = self.lines[from..to].join("\n");
        text.push('\n');
        Chunk { text, first_line: from + 1 }
    }

    /// Maps a column of a normalised line back to the column in the paste.
    pub fn column(&self, column: usize) -> usize {
        column + self.indent
    }
}

/// A piece of the paste handed to a parser on its own (a section, a document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub text: String,
    /// The paste line (1-based) of the chunk's first line.
    pub first_line: usize,
}

impl Chunk {
    /// A chunk-relative 1-based line as a paste line.
    pub fn paste_line(&self, line: usize) -> usize {
        self.first_line + line.max(1) - 1
    }
}

fn is_fence(line: &str) -> bool {
    line.trim_start().starts_with("```")
}
