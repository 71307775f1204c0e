//! kubectl's column layout: Go's text/tabwriter as `printers.GetNewTabWriter` configures it
//! (minwidth 6, tabwidth 4, padding 3, padchar ' ', no flags; spec §8). Every column but the last
//! is padded to max(widest cell + 3, 6); the last cell of a row is written as is.

/// Lays out rows (the first is usually the header) as one table.
pub fn render(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![6usize; columns];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i + 1 < row.len() {
                widths[i] = widths[i].max(cell.chars().count() + 3);
            }
        }
    }
    let mut out = String::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i + 1 < row.len() {
                out.extend(std::iter::repeat_n(' ', widths[i] - cell.chars().count()));
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn pads_to_widest_plus_three_with_minimum_six() {
        let rows = vec![
            vec!["NAME".to_string(), "READY".to_string(), "AGE".to_string()],
            vec!["statefulset.apps/web".to_string(), "2/3".to_string(), "5m12s".to_string()],
        ];
        assert_eq!(super::render(&rows), "NAME                   READY   AGE\nstatefulset.apps/web   2/3     5m12s\n");
    }
}
