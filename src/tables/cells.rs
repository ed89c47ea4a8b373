//! Grid cells → the table's logical columns: columns split by rulings of other rows merged, data
//! cells placed by overlap with the header columns, items drawn over several grid rows folded.

use super::amount::{self, Parsed};
use super::header::{is_numbering_row, own_texts};
use super::is_code;
use crate::document::RawRow;
use crate::pdf::normalize::squash;

/// Grid columns that share every header cell are one printed column split by rulings of other
/// rows (Excel exports): merge them, keeping the texts of their cells in order.
pub(super) fn merge_split_columns(
    rows: Vec<RawRow>,
    header_end: usize,
    xs: Option<&[f64]>,
) -> Vec<RawRow> {
    let n_cols = rows.iter().map(|r| r.slots.len()).max().unwrap_or(0);
    if header_end == 0 || n_cols < 2 {
        return rows;
    }
    let ids: Vec<Vec<usize>> = (0..n_cols)
        .map(|k| {
            rows.iter()
                .take(header_end)
                .filter(|r| !is_numbering_row(r))
                .filter_map(|r| r.slots.get(k))
                .filter(|s| !s.text.trim().is_empty())
                .map(|s| s.id)
                .collect()
        })
        .collect();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for k in 0..n_cols {
        match (members.last_mut(), ids.get(k)) {
            (Some(m), Some(id))
                if !id.is_empty() && m.last().and_then(|&p| ids.get(p)) == Some(id) =>
            {
                m.push(k)
            }
            _ => members.push(vec![k]),
        }
    }
    // Extent of each logical column (PDF input), to place data cells that are split or merged
    // differently from the header by how much of them lies under each header column.
    let extents: Option<Vec<(f64, f64)>> = xs.map(|xs| {
        members
            .iter()
            .map(|m| {
                let a = m.first().and_then(|&k| xs.get(k)).copied().unwrap_or(0.0);
                let b = m.last().and_then(|&k| xs.get(k + 1)).copied().unwrap_or(a);
                (a, b)
            })
            .collect()
    });
    if members.len() == n_cols && extents.is_none() {
        return rows;
    }
    rows.into_iter()
        .enumerate()
        .map(|(ri, r)| {
            if let (Some(ext), true) = (&extents, ri >= header_end) {
                return place_by_overlap(&r, ext);
            }
            let slots = members
                .iter()
                .map(|m| {
                    let first = m.first().and_then(|&k| r.slots.get(k)).cloned();
                    let mut slot = first.unwrap_or(crate::document::Slot {
                        text: String::new(),
                        id: usize::MAX,
                        first_row: true,
                        first_col: true,
                        x: None,
                        indent: None,
                    });
                    let texts: Vec<&str> = m
                        .iter()
                        .filter_map(|&k| r.slots.get(k))
                        .filter(|s| s.first_col && s.first_row && !s.text.trim().is_empty())
                        .map(|s| s.text.as_str())
                        .collect();
                    if !texts.is_empty() {
                        let mut uniq: Vec<&str> = Vec::new();
                        for t in texts {
                            if !uniq.contains(&t) {
                                uniq.push(t);
                            }
                        }
                        // A category cell beside its 小计: the row is the category's subtotal.
                        if uniq.len() == 2
                            && uniq
                                .get(1)
                                .is_some_and(|t| matches!(squash(t).as_str(), "小计" | "合计"))
                        {
                            uniq.truncate(1);
                        }
                        slot.text = uniq.join("");
                        slot.first_col = true;
                        slot.first_row = true;
                    }
                    slot
                })
                .collect();
            RawRow {
                slots,
                page: r.page,
                bbox: r.bbox,
            }
        })
        .collect()
}

/// Word tables often draw an item's code and name as cells spanning several grid rows with its
/// amount in only one of them: fold such rows (no new item text, only amounts, under cells reaching
/// down from above) into the row where the item starts.
pub(super) fn merge_vertical_continuations(rows: Vec<RawRow>, header_end: usize) -> Vec<RawRow> {
    let mut out: Vec<RawRow> = Vec::with_capacity(rows.len());
    for (i, r) in rows.into_iter().enumerate() {
        let continues = i > header_end
            && r.slots
                .iter()
                .any(|s| !s.first_row && !s.text.trim().is_empty())
            && own_texts(&r).all(|(_, t)| {
                t.trim().is_empty()
                    || matches!(amount::parse(t), Parsed::Number { .. } | Parsed::Blank)
            })
            && out.last().is_some_and(|p| p.page == r.page);
        if continues {
            if let Some(prev) = out.last_mut() {
                for (k, s) in r.slots.iter().enumerate() {
                    if s.first_row && s.first_col && !s.text.trim().is_empty() {
                        if let Some(p) = prev.slots.get_mut(k) {
                            if p.text.trim().is_empty() || !p.first_row {
                                *p = s.clone();
                            }
                        }
                    }
                }
                if let (Some(a), Some(b)) = (prev.bbox.as_mut(), r.bbox) {
                    a[3] = a[3].max(b[3]);
                }
            }
            continue;
        }
        out.push(r);
    }
    out
}

/// A data row laid onto logical columns by horizontal overlap of its cells.
pub(super) fn place_by_overlap(r: &RawRow, extents: &[(f64, f64)]) -> RawRow {
    let mut slots: Vec<crate::document::Slot> = extents
        .iter()
        .enumerate()
        .map(|(k, &(a, b))| crate::document::Slot {
            text: String::new(),
            id: usize::MAX - 2000 - k,
            first_row: true,
            first_col: true,
            x: Some((a, b)),
            indent: None,
        })
        .collect();
    for s in r
        .slots
        .iter()
        .filter(|s| s.first_row && s.first_col && !s.text.trim().is_empty())
    {
        let Some((a, b)) = s.x else { continue };
        // A figure goes where most of its cell lies; a label spanning several columns (支出合计
        // over the name, amount and next-name columns) to the leftmost it substantially covers.
        let is_label = matches!(amount::parse(&s.text), Parsed::Text) && !is_code(&s.text);
        let mut best: Option<usize> = None;
        if is_label {
            best = extents
                .iter()
                .position(|&(c0, c1)| b.min(c1) - a.max(c0) >= 0.3 * (b - a).max(1.0));
        }
        if best.is_none() {
            let mut best_overlap = 0.0;
            for (k, &(c0, c1)) in extents.iter().enumerate() {
                let overlap = b.min(c1) - a.max(c0);
                if overlap > best_overlap {
                    best_overlap = overlap;
                    best = Some(k);
                }
            }
        }
        if is_label && best.is_none() {
            best = extents
                .iter()
                .position(|&(c0, c1)| b.min(c1) - a.max(c0) > 0.0);
        }
        if let Some(slot) = best.and_then(|k| slots.get_mut(k)) {
            if !slot.text.is_empty() {
                slot.text.push(' ');
            } else {
                slot.indent = s.indent;
            }
            slot.text.push_str(s.text.trim());
        }
    }
    RawRow {
        slots,
        page: r.page,
        bbox: r.bbox,
    }
}
