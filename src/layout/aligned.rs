//! Tables drawn without rulings: columns from text alignment (pdfplumber's "text" strategy, simply).
//!
//! A run of lines that each hold several words separated by wide gaps, most of them with an
//! amount, is a table. Its columns are the bands where the data lines' words overlap; header lines
//! just above join it, a header word spanning several bands being a merged cell. Lines that are
//! vertically close and fill different bands (a name wrapped around its amounts) are one row.

use super::{Line, Word};
use crate::tables::amount::{self, Parsed};

/// One row of an aligned table: cells by band, each with its text and extent.
#[derive(Debug, Clone)]
pub struct AlignedRow {
    pub cells: Vec<Option<(String, f64, f64)>>,
    pub bbox: [f64; 4],
}

/// A table found by alignment.
#[derive(Debug, Clone)]
pub struct AlignedTable {
    pub page: usize,
    /// Band boundaries (len = bands + 1).
    pub xs: Vec<f64>,
    pub rows: Vec<AlignedRow>,
    /// Indices of the page lines this table consumed.
    pub lines: Vec<usize>,
}

/// A figure as tables print money: with a decimal point or thousands separators, at least three
/// digits, or a lone 0 (page numbers and list numbers are none of these).
fn is_amount(w: &Word) -> bool {
    matches!(amount::parse(&w.text), Parsed::Number { .. })
        && (w.text.contains('.')
            || w.text.contains(',')
            || w.text.chars().filter(|c| c.is_ascii_digit()).count() >= 3
            || w.text.trim() == "0")
}

/// An item label: 一、… / （一）… / 1.… / 合计 / 其中.
fn starts_like_item(t: &str) -> bool {
    let t = t.trim();
    let mut chars = t.chars();
    let first = chars.next();
    let second = chars.next();
    matches!(
        first,
        Some('一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十')
    ) && matches!(
        second,
        Some('、' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十')
    ) || t.starts_with('(')
        || t.starts_with('（')
        || t.starts_with("合计")
        || t.starts_with("其中")
        || first.is_some_and(|c| c.is_ascii_digit())
            && (second == Some('.') || second == Some('、'))
}

/// Words of a line split at wide gaps (≥ one glyph size), as cells.
fn cells_of(line: &Line) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    for w in &line.words {
        match out.last_mut() {
            Some(prev) if w.bbox[0] - prev.bbox[2] < 0.9 * w.size.max(prev.size) => {
                prev.text.push_str(&w.text);
                prev.bbox[2] = prev.bbox[2].max(w.bbox[2]);
                prev.bbox[1] = prev.bbox[1].min(w.bbox[1]);
                prev.bbox[3] = prev.bbox[3].max(w.bbox[3]);
            }
            _ => out.push(w.clone()),
        }
    }
    out
}

/// Find aligned tables among a page's lines (lines outside ruled grids, in reading order).
pub fn find(page: usize, lines: &[Line]) -> Vec<AlignedTable> {
    let cells: Vec<Vec<Word>> = lines.iter().map(cells_of).collect();
    let is_data = |i: usize| {
        cells
            .get(i)
            .is_some_and(|c| c.len() >= 2 && c.iter().any(is_amount))
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !is_data(i) {
            i += 1;
            continue;
        }
        // Extend over data lines and the rows without figures between them (empty items, wrapped
        // names): up to eight such lines, when a data line follows.
        let mut j = i;
        let mut data_lines = 0;
        while j < lines.len() {
            if is_data(j) {
                data_lines += 1;
                j += 1;
                continue;
            }
            let next_data = (j + 1..(j + 9).min(lines.len())).find(|&k| is_data(k));
            let row_like = |k: usize| {
                cells.get(k).is_some_and(|c| {
                    c.len() >= 2 || c.first().is_some_and(|w| starts_like_item(&w.text))
                })
            };
            match next_data {
                Some(k) if (j..k).all(row_like) => j = k,
                _ => break,
            }
        }
        if data_lines < 3 {
            i = j.max(i + 1);
            continue;
        }
        // Header lines just above: no figures, no "label：value" lines, up to five.
        let header_like = |k: usize| {
            lines.get(k).is_some_and(|l| {
                let t = l.text();
                !t.contains(':') && !t.contains('：') && t.chars().count() <= 60
            }) && !cells.get(k).is_some_and(|c| c.iter().any(is_amount))
        };
        let mut start = i;
        while start > 0 && i - start < 5 && header_like(start - 1) {
            start -= 1;
        }
        if let Some(t) = build(page, lines, &cells, start, i, j) {
            out.push(t);
        }
        i = j;
    }
    out
}

fn build(
    page: usize,
    lines: &[Line],
    cells: &[Vec<Word>],
    start: usize,
    data_start: usize,
    end: usize,
) -> Option<AlignedTable> {
    // Bands from the data lines' cells.
    let mut spans: Vec<(f64, f64)> = (data_start..end)
        .filter_map(|i| cells.get(i))
        .flat_map(|c| c.iter().map(|w| (w.bbox[0], w.bbox[2])))
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut bands: Vec<(f64, f64)> = Vec::new();
    for (a, b) in spans {
        match bands.last_mut() {
            Some(last) if a <= last.1 + 1.0 => last.1 = last.1.max(b),
            _ => bands.push((a, b)),
        }
    }
    if bands.len() < 2 {
        return None;
    }
    let mut xs = vec![bands.first()?.0 - 1.0];
    for w in bands.windows(2) {
        if let [l, r] = w {
            xs.push((l.1 + r.0) / 2.0);
        }
    }
    xs.push(bands.last()?.1 + 1.0);
    let band_of = |a: f64, b: f64| -> usize {
        let mut best = 0;
        let mut best_overlap = f64::MIN;
        for (k, w) in xs.windows(2).enumerate() {
            if let [c0, c1] = w {
                let o = b.min(*c1) - a.max(*c0);
                if o > best_overlap {
                    best_overlap = o;
                    best = k;
                }
            }
        }
        best
    };
    let n = bands.len();
    let mut rows: Vec<AlignedRow> = Vec::new();
    for i in start..end {
        let (Some(line), Some(cs)) = (lines.get(i), cells.get(i)) else {
            continue;
        };
        let mut row = AlignedRow {
            cells: vec![None; n],
            bbox: line.bbox,
        };
        for w in cs {
            let k = band_of(w.bbox[0], w.bbox[2]);
            if let Some(slot) = row.cells.get_mut(k) {
                match slot {
                    Some((t, a, b)) => {
                        t.push_str(&w.text);
                        *a = a.min(w.bbox[0]);
                        *b = b.max(w.bbox[2]);
                    }
                    None => *slot = Some((w.text.clone(), w.bbox[0], w.bbox[2])),
                }
            }
        }
        // A line close below the previous one that fills only empty bands continues its row
        // (a name wrapped around its vertically centred amounts).
        let merge = rows.last().is_some_and(|prev| {
            let size = line.words.first().map(|w| w.size).unwrap_or(10.0);
            line.bbox[1] - prev.bbox[3] < 0.45 * size
                && i > data_start
                && row
                    .cells
                    .iter()
                    .zip(&prev.cells)
                    .all(|(a, b)| a.is_none() || b.is_none())
        });
        if merge {
            if let Some(prev) = rows.last_mut() {
                for (a, b) in prev.cells.iter_mut().zip(row.cells) {
                    if a.is_none() {
                        *a = b;
                    }
                }
                prev.bbox[3] = prev.bbox[3].max(line.bbox[3]);
            }
        } else {
            rows.push(row);
        }
    }
    Some(AlignedTable {
        page,
        xs,
        rows,
        lines: (start..end).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(t: &str, x: f64, y: f64) -> Word {
        let w = t
            .chars()
            .map(|c| if c.is_ascii() { 5.0 } else { 10.0 })
            .sum::<f64>();
        Word {
            text: t.into(),
            bbox: [x, y, x + w, y + 10.0],
            size: 10.0,
        }
    }

    fn line(words: Vec<Word>) -> Line {
        let bbox = words
            .iter()
            .fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |b, w| {
                [
                    b[0].min(w.bbox[0]),
                    b[1].min(w.bbox[1]),
                    b[2].max(w.bbox[2]),
                    b[3].max(w.bbox[3]),
                ]
            });
        Line { words, bbox }
    }

    #[test]
    fn columns_from_alignment() {
        let lines = vec![
            line(vec![
                word("科目名称", 50.0, 100.0),
                word("合计", 200.0, 100.0),
                word("基本支出", 280.0, 100.0),
            ]),
            line(vec![
                word("合计", 50.0, 120.0),
                word("774.48", 200.0, 120.0),
                word("115.52", 285.0, 120.0),
            ]),
            line(vec![
                word("行政运行", 50.0, 140.0),
                word("84.89", 205.0, 140.0),
                word("84.89", 290.0, 140.0),
            ]),
            line(vec![
                word("住房公积金", 50.0, 160.0),
                word("8.70", 210.0, 160.0),
                word("8.70", 295.0, 160.0),
            ]),
        ];
        let t = find(3, &lines);
        assert_eq!(t.len(), 1);
        let t = &t[0];
        assert_eq!(t.rows.len(), 4);
        assert_eq!(t.xs.len(), 4);
        let texts: Vec<Option<String>> = t.rows[2]
            .cells
            .iter()
            .map(|c| c.as_ref().map(|c| c.0.clone()))
            .collect();
        assert_eq!(
            texts,
            vec![
                Some("行政运行".into()),
                Some("84.89".into()),
                Some("84.89".into())
            ]
        );
        assert_eq!(
            t.rows[0].cells[2].as_ref().map(|c| c.0.as_str()),
            Some("基本支出")
        );
    }
}
