//! Aligned text as the CLI prints its tables and key/value views: Go's `text/tabwriter`
//! semantics (cells end with a tab; a column block is a run of consecutive lines that have a
//! cell in that column; its width is the widest cell plus the padding; the last cell of a line
//! is never padded; empty cells are padded to the column's width), with the CLI's settings
//! (padding 2, spaces). Written from the documented behaviour of the standard library.

/// The CLI's tabwriter settings: minimum cell width 5, padding 2.
const MIN_WIDTH: usize = 5;
const PADDING: usize = 2;

/// Aligns `text` (lines of tab-terminated cells) as the CLI's tabwriter does.
///
/// ```ignore
/// assert_eq!(align("a\tbb\nccc\td\n"), "a    bb\nccc  d\n");
/// ```
pub fn align(text: &str) -> String {
    let lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
    let mut out = String::with_capacity(text.len() * 2);
    let mut widths = Vec::new();
    format(&lines, 0, lines.len(), &mut widths, &mut out);
    out
}

fn width(cell: &str) -> usize {
    cell.chars().count()
}

/// Formats lines `line0..line1` for the column `widths.len()`, recursing into blocks.
fn format(
    lines: &[Vec<&str>],
    mut line0: usize,
    line1: usize,
    widths: &mut Vec<usize>,
    out: &mut String,
) {
    let column = widths.len();
    let mut this = line0;
    while this < line1 {
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        write_lines(lines, line0, this, widths, out);
        line0 = this;
        let mut w = MIN_WIDTH;
        while this < line1 && column + 1 < lines[this].len() {
            w = w.max(width(lines[this][column]) + PADDING);
            this += 1;
        }
        widths.push(w);
        format(lines, line0, this, widths, out);
        widths.pop();
        line0 = this;
        // The line that ended the block has no cell here: the loop's step skips it.
        this += 1;
    }
    write_lines(lines, line0, line1, widths, out);
}

fn write_lines(
    lines: &[Vec<&str>],
    line0: usize,
    line1: usize,
    widths: &[usize],
    out: &mut String,
) {
    for (i, cells) in lines.iter().enumerate().take(line1).skip(line0) {
        for (j, cell) in cells.iter().enumerate() {
            out.push_str(cell);
            if let Some(w) = widths.get(j) {
                for _ in width(cell)..*w {
                    out.push(' ');
                }
            }
        }
        // The text after the last newline is an unfinished line: no newline of its own.
        if i + 1 < lines.len() {
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_value_blocks_align_until_a_line_without_tabs() {
        // The CLI's get artifact view: the History line ends the first block.
        let text = "Name:\tapp.bin\nRunning in environments:\tprod#3\nHistory:\n    app.bin reported\tMon\n";
        assert_eq!(
            align(text),
            "Name:                     app.bin\nRunning in environments:  prod#3\nHistory:\n    app.bin reported  Mon\n"
        );
    }

    #[test]
    fn empty_cells_are_padded_and_last_cells_are_not() {
        // The CLI's list artifacts table (capture list_artifacts).
        let fp = "fcf33337634c2577a5d86fd7ecb0a25a7c1bb5d89c14fd236f546a5759252c02";
        let text = format!("COMMIT\tARTIFACT\tSTATE\tCREATED_AT\n0fc1ba9\tName: app.bin\tCOMPLIANT\tMon\n\tFingerprint: {fp}\t\t\n\t\t\t\n");
        let want = format!(
            "COMMIT   ARTIFACT{}STATE      CREATED_AT\n0fc1ba9  Name: app.bin{}COMPLIANT  Mon\n         Fingerprint: {fp}{}\n{}\n",
            " ".repeat(71),
            " ".repeat(66),
            " ".repeat(13),
            " ".repeat(99)
        );
        assert_eq!(align(&text), want);
    }

    #[test]
    fn widths_count_characters_and_respect_the_minimum() {
        assert_eq!(align("é\tx\nab\ty\n"), "é    x\nab   y\n");
        assert_eq!(align("no tabs\n"), "no tabs\n");
        assert_eq!(align(""), "");
    }
}
