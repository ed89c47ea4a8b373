//! The header band of a table: which rows are headers (numbering rows and sub-headers included),
//! merged header cells in plain text, and each column's header path.

use std::collections::HashSet;

use super::amount::{self, Parsed};
use super::keywords::{self, ColumnRole};
use super::{is_code, is_total_name, starts_with_enumerator};
use crate::document::RawRow;
use crate::model::{Side, TableKind};
use crate::pdf::normalize::squash;

/// Cells that start in this row and column (merged cells count once).
pub(super) fn own_texts(row: &RawRow) -> impl Iterator<Item = (usize, &str)> {
    row.slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.first_row && s.first_col)
        .map(|(k, s)| (k, s.text.as_str()))
}

/// A row of column numbers (栏次: 1 2 3 …) is part of the header.
pub(super) fn is_numbering_row(row: &RawRow) -> bool {
    let texts: Vec<String> = own_texts(row)
        .map(|(_, t)| squash(t))
        .filter(|t| !t.is_empty())
        .collect();
    // 栏次 | 1 | 2 …: the word labels a row of column numbers. A header row that merely has a
    // 行次 column (项目 | 行次 | 金额) is not one.
    let numbering_word = |t: &String| t.contains("栏次") || t.contains("行次");
    if texts.iter().any(numbering_word)
        && texts
            .iter()
            .all(|t| numbering_word(t) || t.chars().all(|c| c.is_ascii_digit()))
    {
        return true;
    }
    // `*` / `**` / 甲 / 乙 mark the label columns of a numbering row (national template), the
    // amount columns then count 1, 2, 3 …
    let marker = |t: &String| {
        t.chars().all(|c| c == '*' || c == '＊')
            || matches!(t.as_str(), "甲" | "乙" | "丙" | "栏次" | "行次" | "序号")
    };
    let rest: Vec<&String> = texts.iter().skip_while(|t| marker(t)).collect();
    let nums: Vec<u32> = rest.iter().filter_map(|t| t.parse().ok()).collect();
    let marked = rest.len() < texts.len();
    if (nums.len() >= 2 || marked && nums.first() == Some(&1))
        && nums.len() == rest.len()
        && nums.windows(2).all(|w| w[1] == w[0] + 1)
    {
        return true;
    }
    // Column numbers run together where columns could not be told apart: "1", "2", "34567".
    let joined: String = texts.concat();
    let expected: String = (1..=joined.len()).map(|n| n.to_string()).collect();
    joined.len() >= 3 && joined.chars().all(|c| c.is_ascii_digit()) && expected.starts_with(&joined)
}

/// Does this row carry data (rather than header labels)?
pub(super) fn is_data_row(row: &RawRow) -> bool {
    if is_numbering_row(row) {
        return false;
    }
    let texts: Vec<(usize, &str)> = own_texts(row)
        .filter(|(_, t)| !t.trim().is_empty())
        .collect();
    if texts
        .iter()
        .any(|(_, t)| matches!(amount::parse(t), Parsed::Number { .. }) || is_code(t))
    {
        return true;
    }
    // 其中 opens a breakdown row only as the row's label: in a header band it heads a sub-column
    // (小计 | 其中:基本支出 | 项目支出).
    if texts.iter().any(|(_, t)| starts_with_enumerator(t))
        || texts
            .first()
            .is_some_and(|(_, t)| squash(t).starts_with("其中"))
    {
        return true;
    }
    // A lone 合计 / 总计 row of an empty table.
    texts.len() == 1 && texts.iter().all(|(_, t)| is_total_name(t))
}

/// Below the first header row, a row whose only text is an item name in the first column (an
/// empty table's rows, or 三公 items listed down the side) is data, unless that text is a header
/// word such as 项目 or 科目名称.
pub(super) fn is_item_row(row: &RawRow, kind: TableKind) -> bool {
    let texts: Vec<(usize, &str)> = own_texts(row)
        .filter(|(_, t)| !t.trim().is_empty())
        .collect();
    match texts.as_slice() {
        [(k, t)] if *k <= 1 => {
            !matches!(
                keywords::column_role(&[squash(t)], kind),
                Some(
                    ColumnRole::Name
                        | ColumnRole::Code
                        | ColumnRole::CodePart(_)
                        | ColumnRole::Numbering
                        | ColumnRole::Unit
                )
            ) && !squash(t).ends_with("分类")
        }
        _ => false,
    }
}

/// Some templates (Shanghai 决算 政府性基金 / 国有资本 tables) print the 合计 row's label in the
/// same grid row as the last sub-headers (本年支出: 合计 | 基本支出 | 项目支出). When that row (the
/// last header row, or the first data row when it also holds figures) starts with a total label, it
/// is split: the label and the figures become the 合计 data row, the other words stay sub-headers.
/// Returns the new end of the header band.
pub(super) fn split_total_from_subheaders(rows: &mut Vec<RawRow>, header_end: usize) -> usize {
    // The last header row with text (an empty table's blank rows come after it), or — where the
    // row holds figures too — the first data row.
    let last_header = (0..header_end)
        .rev()
        .find(|&i| rows.get(i).is_some_and(|r| !r.is_blank()));
    let mixed_data_row = rows.get(header_end).is_some_and(|r| {
        let texts: Vec<&str> = own_texts(r)
            .map(|(_, t)| t)
            .filter(|t| !t.trim().is_empty())
            .collect();
        texts.first().is_some_and(|t| is_total_name(t))
            && texts
                .iter()
                .skip(1)
                .any(|t| matches!(amount::parse(t), Parsed::Text) && !is_total_name(t))
    });
    let at = if mixed_data_row {
        header_end
    } else if let Some(i) = last_header {
        i
    } else {
        return header_end;
    };
    let Some(last) = rows.get(at).filter(|_| at >= 1) else {
        return header_end;
    };
    let texts: Vec<(usize, &str)> = own_texts(last)
        .filter(|(_, t)| !t.trim().is_empty())
        .collect();
    let Some(&(k, label)) = texts.first() else {
        return header_end;
    };
    // The label must open the row: no header cell from above reaches into the columns before it.
    let opens_row = last
        .slots
        .iter()
        .take(k)
        .all(|s| s.first_row && s.text.trim().is_empty());
    let label_is_total = k <= 1 && opens_row && matches!(squash(label).as_str(), "合计" | "总计");
    if !label_is_total || texts.len() < 2 {
        return header_end;
    }
    let Some(id) = last.slots.get(k).map(|s| s.id) else {
        return header_end;
    };
    // The label and any figures printed in that row are data; the other words are sub-headers.
    let is_data = |s: &crate::document::Slot| {
        s.id == id || matches!(amount::parse(&s.text), Parsed::Number { .. })
    };
    let mut data = last.clone();
    let mut header = last.clone();
    for s in data.slots.iter_mut() {
        if !is_data(s) {
            s.text.clear();
        }
    }
    for s in header.slots.iter_mut() {
        if is_data(s) {
            s.text.clear();
        }
    }
    if let Some(r) = rows.get_mut(at) {
        *r = header;
    }
    rows.insert(at + 1, data);
    at + 1
}

/// Plain text does not mark merged header cells: a label followed by empty cells, above a row
/// that fills them, spans them.
pub(super) fn infer_header_merges(rows: &mut [RawRow], header_end: usize) {
    for r in 0..header_end.saturating_sub(1) {
        let below: Vec<bool> = rows
            .get(r + 1)
            .filter(|b| !is_numbering_row(b))
            .map(|b| b.slots.iter().map(|s| !s.text.trim().is_empty()).collect())
            .unwrap_or_default();
        let Some(row) = rows.get_mut(r) else { continue };
        for k in 1..row.slots.len() {
            let (left_text, left_id) = match row.slots.get(k - 1) {
                Some(l) if !l.text.trim().is_empty() => (l.text.clone(), l.id),
                _ => continue,
            };
            if let Some(s) = row.slots.get_mut(k) {
                if s.text.trim().is_empty() && below.get(k).copied().unwrap_or(false) {
                    s.text = left_text;
                    s.id = left_id;
                    s.first_col = false;
                }
            }
        }
    }
}

/// Header path of each column: the distinct texts above it, top to bottom.
pub(super) fn header_paths(rows: &[RawRow], n_cols: usize) -> Vec<Vec<String>> {
    (0..n_cols)
        .map(|k| {
            let mut seen = HashSet::new();
            let mut path = Vec::new();
            for r in rows.iter().filter(|r| !is_numbering_row(r)) {
                if let Some(s) = r.slots.get(k) {
                    let t = squash(&s.text);
                    if !t.is_empty() && seen.insert(s.id) && path.last() != Some(&t) {
                        path.push(t);
                    }
                }
            }
            path
        })
        .collect()
}

pub(super) fn side_of(path: &[String]) -> Option<Side> {
    for p in path {
        let has_in = p.contains("收入");
        let has_out = p.contains("支出");
        if has_in && !has_out {
            return Some(Side::Income);
        }
        if has_out && !has_in {
            return Some(Side::Expenditure);
        }
    }
    None
}
