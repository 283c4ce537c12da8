//! Plain-text tables for the terminal.

/// Renders rows under a header, columns padded to their widest cell.
/// Cells that parse as numbers are right-aligned.
pub fn render(header: &[String], rows: &[Vec<String>]) -> String {
    let ncols = header
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0));
    let mut widths = vec![0usize; ncols];
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, row: &[String]| {
        let mut parts = Vec::with_capacity(ncols);
        for (i, w) in widths.iter().enumerate() {
            let cell = row.get(i).map(String::as_str).unwrap_or("");
            let pad = w - cell.chars().count();
            if is_number(cell) {
                parts.push(format!("{}{}", " ".repeat(pad), cell));
            } else {
                parts.push(format!("{}{}", cell, " ".repeat(pad)));
            }
        }
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    line(&mut out, header);
    let total: usize = widths.iter().sum::<usize>() + 2 * ncols.saturating_sub(1);
    out.push_str(&"-".repeat(total));
    out.push('\n');
    for row in rows {
        line(&mut out, row);
    }
    out
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.parse::<f64>().is_ok()
}

/// Shorthand: a header from string slices.
pub fn header(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|s| s.to_string()).collect()
}

/// Wraps text to lines of at most `width` characters, breaking at spaces
/// (a word longer than `width` is split). Whitespace runs become one space.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        loop {
            let wlen = word.chars().count();
            let clen = cur.chars().count();
            let need = if clen == 0 { wlen } else { clen + 1 + wlen };
            if need <= width {
                if clen > 0 {
                    cur.push(' ');
                }
                cur.push_str(&word);
                break;
            }
            if clen > 0 {
                lines.push(std::mem::take(&mut cur));
                continue;
            }
            // The word alone is too long: split it.
            let head: String = word.chars().take(width).collect();
            let tail: String = word.chars().skip(width).collect();
            lines.push(head);
            word = tail;
            if word.is_empty() {
                break;
            }
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_and_right_aligns_numbers() {
        let out = render(
            &header(&["name", "score"]),
            &[
                vec!["alpha".into(), "0.5".into()],
                vec!["b".into(), "10.25".into()],
            ],
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "name   score");
        assert_eq!(lines[1], "------------");
        assert_eq!(lines[2], "alpha    0.5");
        assert_eq!(lines[3], "b      10.25");
    }

    #[test]
    fn wraps_at_spaces_and_splits_long_words() {
        assert_eq!(
            wrap("the quick  brown\nfox", 9),
            vec!["the quick", "brown fox"]
        );
        assert_eq!(wrap("abcdefghij k", 4), vec!["abcd", "efgh", "ij k"]);
        assert!(wrap("   ", 5).is_empty());
    }
}
