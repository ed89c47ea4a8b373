//! The `tables` stage: an assembled table → header band → canonical columns → rows with code, name,
//! role and exact amounts in yuan. One recognizer for every kind, driven by the keyword tables.

pub mod amount;
pub mod keywords;
pub mod performance;
pub mod render;

use crate::pdf::normalize::squash;
use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;

use crate::document::{RawRow, TableDraft};
use crate::model::{Amount, Diagnostic, Row, RowRole, Side, Table, TableKind};
use amount::Parsed;
use keywords::ColumnRole;

/// A run of columns describing one item per row: its code, name and amounts. Ordinary tables have
/// one; summary tables have one per side (收入 | 支出, and Jiangsu's second 支出 block by use).
#[derive(Debug, Default, Clone)]
struct Group {
    code: Option<usize>,
    code_parts: Vec<(u8, usize)>,
    name: Option<usize>,
    /// A header-less column right of the name holding sub-items (Jiangsu: 一般公共预算资金 | 小计,
    /// then | 公共财政拨款(补助)资金 on the rows below).
    sub_name: Option<usize>,
    amounts: Vec<(usize, String)>,
    texts: Vec<(usize, String)>,
    side: Option<Side>,
    label: Option<String>,
}

/// Remove spaces inside CJK text (`1. 一 般 公共预算` → `1.一般公共预算`) but keep them between
/// ASCII words.
pub fn clean_name(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = out.chars().last();
            let next = chars
                .get(i + 1..)
                .and_then(|r| r.iter().find(|c| !c.is_whitespace()))
                .copied();
            if let (Some(p), Some(n)) = (prev, next) {
                if p.is_ascii_alphanumeric() && n.is_ascii_alphanumeric() && !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

fn code_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"^(\d{3}(?:\d{2}){0,3})(?:\s*)([^\d年.．、%].*)$")
            .unwrap_or_else(|e| panic!("{e}")) // ok: constant pattern
    })
}

fn is_code(s: &str) -> bool {
    let t = squash(s);
    matches!(t.len(), 3 | 5 | 7 | 9) && t.chars().all(|c| c.is_ascii_digit())
}

fn starts_with_enumerator(s: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| {
        Regex::new(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．](?:\D|$))").unwrap_or_else(|e| panic!("{e}")) // ok: constant
    });
    r.is_match(&squash(s))
}

fn is_total_name(name: &str) -> bool {
    let n = squash(name);
    n.contains("合计") || n.contains("总计")
}

/// Cells that start in this row and column (merged cells count once).
fn own_texts(row: &RawRow) -> impl Iterator<Item = (usize, &str)> {
    row.slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.first_row && s.first_col)
        .map(|(k, s)| (k, s.text.as_str()))
}

/// A row of column numbers (栏次: 1 2 3 …) is part of the header.
fn is_numbering_row(row: &RawRow) -> bool {
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
    if nums.len() >= 2 && nums.len() == rest.len() && nums.windows(2).all(|w| w[1] == w[0] + 1) {
        return true;
    }
    // Column numbers run together where columns could not be told apart: "1", "2", "34567".
    let joined: String = texts.concat();
    let expected: String = (1..=joined.len()).map(|n| n.to_string()).collect();
    joined.len() >= 3 && joined.chars().all(|c| c.is_ascii_digit()) && expected.starts_with(&joined)
}

/// Does this row carry data (rather than header labels)?
fn is_data_row(row: &RawRow) -> bool {
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
    if texts
        .iter()
        .any(|(_, t)| starts_with_enumerator(t) || squash(t).starts_with("其中"))
    {
        return true;
    }
    // A lone 合计 / 总计 row of an empty table.
    texts.len() == 1 && texts.iter().all(|(_, t)| is_total_name(t))
}

/// Below the first header row, a row whose only text is an item name in the first column (an
/// empty table's rows, or 三公 items listed down the side) is data, unless that text is a header
/// word such as 项目 or 科目名称.
fn is_item_row(row: &RawRow, kind: TableKind) -> bool {
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
fn split_total_from_subheaders(rows: &mut Vec<RawRow>, header_end: usize) -> usize {
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
fn infer_header_merges(rows: &mut [RawRow], header_end: usize) {
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

/// In summary tables the 支出合计 row's label may span the expenditure blocks with its amount under
/// the last block: give the amounts to the block whose name cell holds the label.
fn reassign_spanning_totals(body: &mut [RawRow], groups: &[Group]) {
    let own = |r: &RawRow, k: Option<usize>| -> String {
        k.and_then(|k| r.slots.get(k))
            .filter(|s| s.first_row && s.first_col)
            .map(|s| s.text.trim().to_string())
            .unwrap_or_default()
    };
    for r in body.iter_mut() {
        for (ai, a) in groups.iter().enumerate() {
            for b in groups.iter().skip(ai + 1) {
                if a.side != b.side || a.side.is_none() {
                    continue;
                }
                // Only a total's label spans blocks; an item name beside another block's figure
                // is two different lines of a fragmented grid.
                let a_named = is_total_name(&own(r, a.name)) || own(r, a.name).contains("小计");
                let a_empty = a.amounts.iter().all(|(k, _)| own(r, Some(*k)).is_empty());
                let b_unnamed = own(r, b.name).is_empty();
                let b_values: Vec<String> =
                    b.amounts.iter().map(|(k, _)| own(r, Some(*k))).collect();
                if a_named && a_empty && b_unnamed && b_values.iter().any(|v| !v.is_empty()) {
                    for ((ka, _), v) in a.amounts.iter().zip(&b_values) {
                        if let Some(slot) = r.slots.get_mut(*ka) {
                            slot.text = v.clone();
                            slot.first_row = true;
                            slot.first_col = true;
                        }
                    }
                    for (kb, _) in &b.amounts {
                        if let Some(slot) = r.slots.get_mut(*kb) {
                            slot.text.clear();
                        }
                    }
                }
            }
        }
    }
}

/// Grid columns that share every header cell are one printed column split by rulings of other
/// rows (Excel exports): merge them, keeping the texts of their cells in order.
fn merge_split_columns(rows: Vec<RawRow>, header_end: usize, xs: Option<&[f64]>) -> Vec<RawRow> {
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
fn merge_vertical_continuations(rows: Vec<RawRow>, header_end: usize) -> Vec<RawRow> {
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
fn place_by_overlap(r: &RawRow, extents: &[(f64, f64)]) -> RawRow {
    let mut slots: Vec<crate::document::Slot> = extents
        .iter()
        .enumerate()
        .map(|(k, &(a, b))| crate::document::Slot {
            text: String::new(),
            id: usize::MAX - 2000 - k,
            first_row: true,
            first_col: true,
            x: Some((a, b)),
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

/// Is `r`, the first row of a page, the rest of `prev` cut by the page break? Its figures are
/// only the tails of figures `prev` prints (digits after a wrapped decimal point), its total
/// column is blank while `prev`'s is filled, and it has no code or numbering of its own.
fn is_cut_row_rest(prev: &Row, r: &Row) -> bool {
    let has_total = |x: &Row| x.values.get("total").is_some_and(Option::is_some);
    let tails = r.raw.iter().all(|(k, t)| {
        let digits = t.chars().all(|c| c.is_ascii_digit()) && t.len() <= 2;
        let cut_before = prev.raw.get(k).is_some_and(|p| {
            p.rsplit_once('.')
                .is_some_and(|(_, dec)| dec.len() < 2 && dec.len() + t.len() <= 2)
        });
        digits && cut_before
    });
    r.code.is_none()
        && !r.raw.is_empty()
        && tails
        && prev.values.contains_key("total")
        && has_total(prev)
        && !has_total(r)
        && !starts_with_enumerator(&r.name)
        && !is_total_name(&r.name)
}

/// Join the rest of a row cut by a page break to its first part: the name continues, each cut
/// figure gets its last digits back and is read again.
fn join_cut_row(prev: &mut Row, r: Row, factor: Option<rust_decimal::Decimal>) {
    prev.name.push_str(&r.name);
    for (k, tail) in r.raw {
        if let Some(head) = prev.raw.get_mut(&k) {
            head.push_str(&tail);
            if let Parsed::Number { value, .. } = amount::parse(head) {
                prev.values
                    .insert(k.clone(), factor.map(|f| Amount(value * f)));
            }
        }
    }
}

/// Header path of each column: the distinct texts above it, top to bottom.
fn header_paths(rows: &[RawRow], n_cols: usize) -> Vec<Vec<String>> {
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

fn side_of(path: &[String]) -> Option<Side> {
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

/// Recognize a table. Diagnostics name anything not understood.
pub fn recognize(draft: &TableDraft) -> (Table, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let title = draft.title.clone();
    let kind = title
        .as_deref()
        .map(keywords::table_kind)
        .unwrap_or(TableKind::Other);
    let page0 = draft.pages.first().copied();
    if title.is_some() && kind == TableKind::Other {
        diags.push(Diagnostic::info(
            format!(
                "table \"{}\" is not a kind the glossary knows",
                title.as_deref().unwrap_or("")
            ),
            page0,
        ));
    }
    if kind == TableKind::PerformanceTargets {
        // The form states its own unit in a label cell: 项目资金（元）.
        let own_unit = draft
            .rows
            .iter()
            .flat_map(|r| r.slots.iter())
            .find_map(|s| {
                let t = squash(&s.text);
                ["(万元)", "(元)", "（万元）", "（元）"]
                    .iter()
                    .find(|u| t.contains(*u))
                    .map(|u| {
                        u.trim_matches(|c| matches!(c, '(' | ')' | '（' | '）'))
                            .to_string()
                    })
            });
        let (targets, more) = performance::recognize(&draft.rows, draft.unit.as_deref());
        diags.extend(more);
        let table = Table {
            kind,
            title,
            label: draft.label.clone(),
            pages: draft.pages.clone(),
            amount_unit: own_unit.or_else(|| draft.unit.clone()),
            empty: draft.rows.iter().all(RawRow::is_blank),
            columns: Vec::new(),
            column_headers: Vec::new(),
            column_phases: BTreeMap::new(),
            rows: Vec::new(),
            note: None,
            targets,
        };
        return (table, diags);
    }
    let mut rows: Vec<RawRow> = draft.rows.clone();
    let n_cols = rows.iter().map(|r| r.slots.len()).max().unwrap_or(0);
    let header_end = rows
        .iter()
        .enumerate()
        .position(|(i, r)| is_data_row(r) || (i > 0 && is_item_row(r, kind)))
        .unwrap_or(rows.len());
    let header_end = split_total_from_subheaders(&mut rows, header_end);
    if !draft.explicit_merges {
        infer_header_merges(&mut rows, header_end);
    }
    let rows = merge_vertical_continuations(rows, header_end);
    let rows = merge_split_columns(rows, header_end, draft.xs.as_deref());
    let n_cols = rows.iter().map(|r| r.slots.len()).max().unwrap_or(n_cols);
    let paths = header_paths(rows.get(..header_end).unwrap_or(&[]), n_cols);

    // Column roles; columns without a header are classified from their data.
    let body = rows.get(header_end..).unwrap_or(&[]);
    let mut roles: Vec<Option<ColumnRole>> = paths
        .iter()
        .map(|p| keywords::column_role(p, kind))
        .collect();
    for (k, role) in roles.iter_mut().enumerate() {
        if role.is_some() {
            continue;
        }
        let cells: Vec<&str> = body
            .iter()
            .filter_map(|r| r.slots.get(k))
            .filter(|s| s.first_col && s.first_row && !s.text.trim().is_empty())
            .map(|s| s.text.as_str())
            .collect();
        if cells.is_empty() {
            continue;
        }
        let codes = cells.iter().filter(|t| is_code(t)).count();
        let nums = cells
            .iter()
            .filter(|t| matches!(amount::parse(t), Parsed::Number { .. }))
            .count();
        let header = paths.get(k).map(|p| p.join("/")).unwrap_or_default();
        if codes * 2 > cells.len() {
            *role = Some(ColumnRole::Code);
        } else if nums * 2 > cells.len() {
            diags.push(Diagnostic::warning(
                if header.is_empty() {
                    format!("column {} holds amounts but has no header", k + 1)
                } else {
                    format!("column {} header \"{header}\" not recognized", k + 1)
                },
                page0,
            ));
        } else {
            *role = Some(if header.is_empty() {
                ColumnRole::Name
            } else {
                ColumnRole::Text
            });
        }
    }

    // Two sides: a summary, or a table with an item column under an expenditure heading (not a
    // table whose amount columns merely include 本年收入 and 本年支出).
    let two_sided = matches!(
        kind,
        TableKind::Summary | TableKind::FiscalAppropriationSummary
    ) || (paths.iter().any(|p| side_of(p) == Some(Side::Income))
        && paths.iter().zip(&roles).any(|(p, r)| {
            side_of(p) == Some(Side::Expenditure) && matches!(r, Some(ColumnRole::Name))
        }));

    // A fragmented grid leaves ghost columns: an amount column without a single figure whose header
    // is only the upper part of another column's header.
    let has_data = |k: usize| {
        body.iter().any(|r| {
            r.slots
                .get(k)
                .is_some_and(|s| s.first_row && s.first_col && !s.text.trim().is_empty())
        })
    };
    for k in 0..roles.len() {
        let is_amount = matches!(roles.get(k), Some(Some(ColumnRole::Amount(_))));
        let Some(pk) = paths.get(k) else { continue };
        let ghost = is_amount
            && !has_data(k)
            && paths
                .iter()
                .enumerate()
                .any(|(j, pj)| j != k && pj.len() > pk.len() && pj.starts_with(pk));
        if ghost {
            if let Some(r) = roles.get_mut(k) {
                *r = None;
            }
        }
    }
    // Groups: a new group starts at a name column that follows amounts, or where the side changes.
    let mut groups: Vec<Group> = Vec::new();
    let mut cur = Group::default();
    let mut cur_has_amount = false;
    for (k, role) in roles.iter().enumerate() {
        let Some(role) = role else { continue };
        let side = if two_sided {
            paths.get(k).and_then(|p| side_of(p))
        } else {
            None
        };
        let starts_item = matches!(
            role,
            ColumnRole::Name | ColumnRole::Code | ColumnRole::CodePart(0)
        );
        let side_changed = two_sided && side.is_some() && cur.side.is_some() && side != cur.side;
        if (starts_item && cur_has_amount) || (side_changed && cur.name.is_some()) {
            groups.push(std::mem::take(&mut cur));
            cur_has_amount = false;
        }
        if cur.side.is_none() {
            cur.side = side;
        }
        match role {
            ColumnRole::Code => cur.code = Some(k),
            ColumnRole::CodePart(l) => cur.code_parts.push((*l, k)),
            ColumnRole::Name => {
                if cur.name.is_none() {
                    cur.name = Some(k);
                    // Jiangsu summary: 支出 by 功能分类 and by 支出用途 side by side.
                    if two_sided {
                        cur.label = paths
                            .get(k)
                            .and_then(|p| p.get(1))
                            .filter(|l| l.contains("用途") || l.contains("经济"))
                            .map(|_| "by_use".to_string());
                    }
                } else if cur.sub_name.is_none()
                    && cur.amounts.is_empty()
                    && paths.get(k).is_none_or(|p| p.is_empty())
                {
                    cur.sub_name = Some(k);
                } else {
                    cur.texts
                        .push((k, paths.get(k).map(|p| p.join("/")).unwrap_or_default()));
                }
            }
            ColumnRole::Amount(key) => {
                cur.amounts.push((k, key.to_string()));
                cur_has_amount = true;
            }
            ColumnRole::Text => cur
                .texts
                .push((k, paths.get(k).map(|p| p.join("/")).unwrap_or_default())),
            ColumnRole::Numbering => {}
        }
    }
    if cur.name.is_some()
        || cur.code.is_some()
        || !cur.code_parts.is_empty()
        || !cur.amounts.is_empty()
    {
        groups.push(cur);
    }
    // A table printing both 预算数 and 决算数 under each item (the 决算 三公 table): the 决算数 keeps
    // the item's key, the 预算数 becomes `<key>_budget`; `column_phases` says which is which.
    let mut column_phases: BTreeMap<String, String> = BTreeMap::new();
    let phase_word = |h: &str| -> Option<&'static str> {
        if h.contains("决算数") || h == "决算" {
            Some("final")
        } else if ["预算数", "年初预算", "全年预算", "调整预算"]
            .iter()
            .any(|w| h.contains(w))
            || h == "预算"
        {
            Some("budget")
        } else {
            None
        }
    };
    // The phase is named under the item (三公 | 预算数 决算数, Shanghai) or above the items
    // (预算数 | 合计 因公出国 …, the national template): the nearest header level that names one.
    let own_phase = |k: usize| -> Option<&'static str> {
        paths
            .get(k)
            .and_then(|p| p.iter().rev().find_map(|h| phase_word(h)))
    };
    // Where plain text does not mark the spanning cell, a column between phased ones takes the
    // phase of the nearest one to its left.
    let phases: Vec<Option<&'static str>> = {
        let mut last = None;
        (0..n_cols)
            .map(|k| {
                let p = own_phase(k).or(last);
                if own_phase(k).is_some() {
                    last = own_phase(k);
                }
                p
            })
            .collect()
    };
    let phase_of = |k: usize| -> Option<&'static str> { phases.get(k).copied().flatten() };
    let has_both = (0..n_cols).any(|k| own_phase(k) == Some("final"))
        && (0..n_cols).any(|k| own_phase(k) == Some("budget"));
    if has_both {
        for g in &mut groups {
            for (k, key) in g.amounts.iter_mut() {
                match phase_of(*k) {
                    Some("budget") => {
                        *key = format!("{key}_budget");
                        column_phases.insert(key.clone(), "budget".into());
                    }
                    Some(p) => {
                        column_phases.insert(key.clone(), p.into());
                    }
                    None => {}
                }
            }
        }
    }
    // Keys must be unique within a group: a second "total" becomes "total_2" — unless its header
    // says its scope: a 小计 under 本年收入 beside the table's 合计 is this year's income.
    for g in &mut groups {
        let mut seen: HashSet<String> = HashSet::new();
        let totals = g.amounts.iter().filter(|(_, k)| k == "total").count();
        for (col, key) in g.amounts.iter_mut() {
            let under_current = paths.get(*col).is_some_and(|p| {
                p.iter().rev().skip(1).any(|h| keywords::amount_key(h) == Some("current_income"))
            });
            if key == "total" && totals > 1 && under_current {
                *key = "current_income".to_string();
            }
            let mut k = key.clone();
            let mut n = 2;
            while !seen.insert(k.clone()) {
                k = format!("{key}_{n}");
                n += 1;
            }
            *key = k;
        }
    }

    // Columns, in printed order.
    let mut columns: Vec<String> = Vec::new();
    let mut column_headers: Vec<String> = Vec::new();
    let mut amount_cols: Vec<(usize, String)> =
        groups.iter().flat_map(|g| g.amounts.clone()).collect();
    amount_cols.sort_by_key(|(k, _)| *k);
    for (k, key) in &amount_cols {
        if !columns.contains(key) {
            columns.push(key.clone());
            column_headers.push(paths.get(*k).map(|p| p.join("/")).unwrap_or_default());
        }
    }

    let factor = draft.unit.as_deref().and_then(amount::unit_factor);
    if draft.unit.is_none() {
        diags.push(Diagnostic::warning(
            "amount unit not found; amounts left null",
            page0,
        ));
    }

    let mut body: Vec<RawRow> = body.to_vec();
    if two_sided {
        reassign_spanning_totals(&mut body, &groups);
    }
    // Rows, per group (summary: all income rows, then expenditure).
    let mut out_rows: Vec<Row> = Vec::new();
    for (gi, g) in groups.iter().enumerate() {
        let mut carry: [Option<String>; 3] = [None, None, None];
        let mut group_rows: Vec<Row> = Vec::new();
        for raw in &body {
            let text_at = |k: Option<usize>| -> String {
                k.and_then(|k| raw.slots.get(k))
                    .filter(|s| s.first_col && s.first_row)
                    .map(|s| s.text.trim().to_string())
                    .unwrap_or_default()
            };
            let mut name = clean_name(&text_at(g.name));
            let sub = clean_name(&text_at(g.sub_name));
            if !sub.is_empty() && !matches!(sub.as_str(), "小计" | "合计") {
                name = sub;
            }
            let code_text = squash(&text_at(g.code));
            let mut code: Option<String> = (!code_text.is_empty()
                && code_text.chars().all(|ch| ch.is_ascii_digit()))
            .then(|| code_text.clone());
            if name.is_empty() && code.is_none() && !code_text.is_empty() {
                // 合计 written in the code column (the code and name cells merged).
                name = clean_name(&code_text);
            }
            if name.is_empty() && code.is_none() {
                if let Some((_, first)) = g.code_parts.first() {
                    let t = squash(&text_at(Some(*first)));
                    if !t.chars().all(|c| c.is_ascii_digit()) {
                        name = clean_name(&t);
                    }
                }
            }
            if code.is_none() && !g.code_parts.is_empty() {
                let mut parts: [Option<String>; 3] = [None, None, None];
                for (level, k) in &g.code_parts {
                    let t = squash(&text_at(Some(*k)));
                    if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) {
                        if let Some(slot) = parts.get_mut(*level as usize) {
                            // 款 and 项 are two digits; some exports drop the leading zero (301 | 2).
                            *slot = Some(if *level > 0 && t.len() == 1 {
                                format!("0{t}")
                            } else {
                                t
                            });
                        }
                    }
                }
                // Upper levels left blank under their parent are carried from the rows above.
                let deepest = parts.iter().rposition(Option::is_some);
                if let Some(d) = deepest {
                    let mut joined = String::new();
                    for lvl in 0..=d {
                        let part = parts
                            .get(lvl)
                            .cloned()
                            .flatten()
                            .or_else(|| carry.get(lvl).cloned().flatten());
                        match part {
                            Some(p) => joined.push_str(&p),
                            None => {
                                joined.clear();
                                break;
                            }
                        }
                    }
                    for lvl in 0..3 {
                        if let (Some(c), Some(p)) = (carry.get_mut(lvl), parts.get(lvl)) {
                            if p.is_some() {
                                *c = p.clone();
                            } else if lvl > d {
                                *c = None;
                            }
                        }
                    }
                    if !joined.is_empty() {
                        code = Some(joined);
                    }
                }
            }
            if code.is_none() {
                if let Some(c) = code_re().captures(&name) {
                    if let (Some(cd), Some(rest)) = (c.get(1), c.get(2)) {
                        let rest = rest.as_str().trim().to_string();
                        code = Some(cd.as_str().to_string());
                        name = rest;
                    }
                }
            } else if let Some(cd) = &code {
                // A code also printed in front of the name.
                if let Some(rest) = name.strip_prefix(cd.as_str()) {
                    name = rest.trim().to_string();
                }
            }
            let mut values = BTreeMap::new();
            let mut raw_texts = BTreeMap::new();
            let mut any_amount = false;
            for (k, key) in &g.amounts {
                let t = text_at(Some(*k));
                let v = match amount::parse(&t) {
                    Parsed::Number { value, .. } => {
                        any_amount = true;
                        factor.map(|f| Amount(value * f))
                    }
                    Parsed::Blank => None,
                    Parsed::Text => {
                        if !t.is_empty() {
                            diags.push(Diagnostic::warning(
                                format!("cell \"{t}\" in an amount column ({key}) is not a number"),
                                Some(raw.page),
                            ));
                        }
                        None
                    }
                };
                if !t.is_empty() {
                    raw_texts.insert(key.clone(), t);
                }
                values.insert(key.clone(), v);
            }
            if name.is_empty() && code.is_none() {
                if any_amount && g.name.is_some() {
                    diags.push(Diagnostic::warning(
                        "a row has amounts but no name or code",
                        Some(raw.page),
                    ));
                } else if !any_amount {
                    continue;
                }
            }
            let role = if squash(&name).starts_with("其中") {
                RowRole::Breakdown
            } else if is_total_name(&name) {
                RowRole::Total
            } else {
                RowRole::Detail
            };
            let mut attributes = BTreeMap::new();
            for (k, header) in &g.texts {
                let t = text_at(Some(*k));
                if !t.is_empty() {
                    attributes.insert(header.clone(), clean_name(&t));
                }
            }
            group_rows.push(Row {
                code,
                name,
                role,
                side: g.side,
                group: g.label.clone(),
                values,
                raw: raw_texts,
                attributes,
                group_index: gi,
                page: raw.page,
                bbox: raw.bbox,
            });
        }
        // A cell split by a page break: its second half opens the next page as a row with only
        // a name (no code, no amounts, no numbering): join it to the row above.
        let mut joined: Vec<Row> = Vec::with_capacity(group_rows.len());
        for r in group_rows {
            let fragment = r.code.is_none()
                && r.values.values().all(Option::is_none)
                && !r.name.is_empty()
                && r.name.chars().count() <= 8
                && !starts_with_enumerator(&r.name)
                && !matches!(squash(&r.name).as_str(), "小计" | "合计" | "总计")
                && r.role == RowRole::Detail;
            let first_on_page = joined.last().is_none_or(|p| p.page != r.page);
            // A row cut by the page break through its cells: the rest of the name and the last
            // digits of a wrapped figure open the next page, the row's total column left blank.
            if let Some(prev) = joined.last_mut() {
                if first_on_page && prev.page + 1 == r.page && is_cut_row_rest(prev, &r) {
                    join_cut_row(prev, r, factor);
                    continue;
                }
            }
            match joined.last_mut() {
                Some(prev)
                    if fragment
                        && first_on_page
                        && prev.page + 1 == r.page
                        && !prev.name.is_empty()
                        // A complete line above (a subtotal) or an item of its own is not a cut.
                        && !is_total_name(&prev.name)
                        && !prev.name.contains("小计")
                        && !["结转", "结余", "资金", "收入"].iter().any(|w| r.name.contains(w)) =>
                {
                    prev.name.push_str(&r.name);
                }
                _ => joined.push(r),
            }
        }
        let mut group_rows = joined;
        // A coded row whose code prefixes the next coded row's code has children: a subtotal.
        let coded: Vec<(usize, String)> = group_rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.code.clone().map(|c| (i, c)))
            .collect();
        for w in coded.windows(2) {
            if let [(i, a), (_, b)] = w {
                if b.len() > a.len() && b.starts_with(a.as_str()) {
                    if let Some(r) = group_rows.get_mut(*i) {
                        if r.role == RowRole::Detail {
                            r.role = RowRole::Subtotal;
                        }
                    }
                }
            }
        }
        out_rows.extend(group_rows);
    }

    let has_values = out_rows
        .iter()
        .any(|r| r.values.values().any(Option::is_some));
    let note = (!draft.notes.is_empty()).then(|| draft.notes.join(" "));
    let empty = !has_values;
    if header_end == rows.len() && !rows.is_empty() && note.is_none() {
        diags.push(Diagnostic::info(
            "table has a header but no body rows",
            page0,
        ));
    }
    (
        Table {
            kind,
            title,
            label: draft.label.clone(),
            pages: draft.pages.clone(),
            amount_unit: draft.unit.clone(),
            empty,
            columns,
            column_headers,
            column_phases,
            rows: out_rows,
            note,
            targets: Vec::new(),
        },
        diags,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_codes() {
        assert_eq!(clean_name(" 1. 一 般 公共预算 "), "1.一般公共预算");
        assert_eq!(clean_name("IT 运维 service desk"), "IT运维service desk");
        assert!(is_code("2010101") && is_code("201") && !is_code("2024") && !is_code("20"));
        assert!(starts_with_enumerator("一、一般公共预算"));
        assert!(starts_with_enumerator("（二）政府性基金"));
        assert!(starts_with_enumerator("1.一般公共预算资金"));
        assert!(!starts_with_enumerator("2024年"));
        assert!(!starts_with_enumerator("12.5"));
        let c = code_re().captures("2010101行政运行");
        assert_eq!(
            c.and_then(|c| c.get(2)).map(|m| m.as_str()),
            Some("行政运行")
        );
        assert!(code_re().captures("2024年预算").is_none());
    }
}
