//! Plain-text disclosures: lines of text, and tables as runs of tab-separated lines (blank lines
//! inside a run are page breaks of the original and do not end the table).

use super::{Block, RawRow, RawTable, Slot, TextLine};

/// A table-of-contents entry: `title.....<TAB>page`.
fn is_toc_line(line: &str) -> bool {
    let cells: Vec<&str> = line
        .split('\t')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    match cells.as_slice() {
        [title, page] => {
            let t: String = title.chars().filter(|c| !c.is_whitespace()).collect();
            page.len() <= 3
                && page.chars().all(|c| c.is_ascii_digit())
                && (t.contains("..")
                    || t.contains('…')
                    || (t.starts_with('第') && t.contains("部分")))
        }
        _ => false,
    }
}

/// Blocks of a plain-text document. Every block is on page 1: text input has no pages.
pub fn blocks_from_text(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut next_id = 0usize;
    while let Some(&line) = lines.get(i) {
        if line.contains('\t') && !is_toc_line(line) {
            let mut rows = Vec::new();
            let mut j = i;
            while let Some(&l) = lines.get(j) {
                if l.contains('\t') && !is_toc_line(l) {
                    let slots: Vec<Slot> = l
                        .split('\t')
                        .map(|cell| {
                            next_id += 1;
                            Slot {
                                text: crate::pdf::normalize::normalize(cell.trim()).into_owned(),
                                id: next_id,
                                first_row: true,
                                first_col: true,
                                x: None,
                                indent: None,
                            }
                        })
                        .collect();
                    rows.push(RawRow {
                        slots,
                        page: 1,
                        bbox: None,
                    });
                    j += 1;
                } else if l.trim().is_empty() {
                    // A blank line continues the table only if more tab lines follow.
                    let mut k = j;
                    while lines.get(k).is_some_and(|l| l.trim().is_empty()) {
                        k += 1;
                    }
                    if lines.get(k).is_some_and(|l| l.contains('\t')) {
                        j = k;
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
            let width = rows.iter().map(|r| r.slots.len()).max().unwrap_or(0);
            for r in &mut rows {
                while r.slots.len() < width {
                    next_id += 1;
                    r.slots.push(Slot {
                        text: String::new(),
                        id: next_id,
                        first_row: true,
                        first_col: true,
                        x: None,
                        indent: None,
                    });
                }
            }
            out.push(Block::Table(RawTable {
                page: 1,
                rows,
                xs: None,
                explicit_merges: false,
            }));
            i = j;
        } else {
            let t = line.trim();
            if !t.is_empty() {
                out.push(Block::Line(TextLine {
                    text: crate::pdf::normalize::normalize(t).into_owned(),
                    page: 1,
                    bbox: None,
                }));
            }
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_runs_are_tables_across_blank_lines() {
        let b = blocks_from_text("标题\n项目\t金额\n合计\t1.00\n\n其他\t2.00\n\n正文\n");
        assert_eq!(b.len(), 3);
        match &b[1] {
            Block::Table(t) => {
                assert_eq!(t.rows.len(), 3);
                assert_eq!(t.rows[2].slots[1].text, "2.00");
            }
            _ => panic!("expected a table"),
        }
    }
}
