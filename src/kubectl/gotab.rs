//! Go's text/tabwriter, the whole algorithm (not only the table case): cells are tab-terminated,
//! a column's width is decided per *block* of consecutive lines that have a cell in that column,
//! so a line without tabs ends every block. kubectl's describers and `rollout history` write
//! through it (`tabwriter.Writer.Init(buf, 0, 8, 2, ' ', 0)`).

struct Cell {
    text: String,
    width: usize,
}

/// Lays out `text` as `tabwriter.NewWriter(out, minwidth, _, padding, ' ', 0)` then `Flush`.
pub fn format(text: &str, minwidth: usize, padding: usize) -> String {
    let ends_nl = text.ends_with('\n');
    let body = text.strip_suffix('\n').unwrap_or(text);
    let lines: Vec<Vec<Cell>> = body
        .split('\n')
        .map(|l| l.split('\t').map(|c| Cell { text: c.to_string(), width: c.chars().count() }).collect::<Vec<_>>())
        .collect();
    let mut out = String::new();
    let mut widths = Vec::new();
    fmt_block(&lines, 0, lines.len(), &mut widths, minwidth, padding, &mut out);
    if !ends_nl && out.ends_with('\n') {
        out.pop();
    }
    out
}

fn fmt_block(
    lines: &[Vec<Cell>],
    mut line0: usize,
    line1: usize,
    widths: &mut Vec<usize>,
    minwidth: usize,
    padding: usize,
    out: &mut String,
) {
    let column = widths.len();
    let mut this = line0;
    while this < line1 {
        let line = &lines[this];
        if column + 1 >= line.len() {
            this += 1;
            continue;
        }
        // A cell in this column: print the lines before the block, then size the block.
        write_lines(lines, line0, this, widths, out);
        line0 = this;
        let mut width = minwidth;
        while this < line1 {
            let line = &lines[this];
            if column + 1 >= line.len() {
                break;
            }
            width = width.max(line[column].width + padding);
            this += 1;
        }
        widths.push(width);
        fmt_block(lines, line0, this, widths, minwidth, padding, out);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, line0, line1, widths, out);
}

fn write_lines(lines: &[Vec<Cell>], from: usize, to: usize, widths: &[usize], out: &mut String) {
    for line in &lines[from..to] {
        for (j, c) in line.iter().enumerate() {
            out.push_str(&c.text);
            if j < widths.len() && j + 1 < line.len() {
                out.extend(std::iter::repeat_n(' ', widths[j].saturating_sub(c.width)));
            }
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn blocks_end_at_a_line_without_that_column() {
        // Name: and Namespace: align together; "Pod Template:" (no tab) ends the block.
        let t = "Name:\tweb\nNamespace:\tdefault\nPod Template:\n  Labels:\tapp=web\n";
        assert_eq!(super::format(t, 0, 2), "Name:       web\nNamespace:  default\nPod Template:\n  Labels:  app=web\n");
        // The history table of polymorphichelpers/history.go printHistory.
        assert_eq!(
            super::format("REVISION\tCHANGE-CAUSE\n1\t<none>\n", 0, 2),
            "REVISION  CHANGE-CAUSE\n1         <none>\n"
        );
    }
}
