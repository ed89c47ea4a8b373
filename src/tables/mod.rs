//! The `tables` stage: an assembled table → header band → canonical columns → rows with code, name,
//! role and exact amounts in yuan. One recognizer for every kind, driven by the keyword tables.

pub mod amount;
mod cells;
mod header;
pub mod keywords;
pub mod performance;
mod performance_list;
pub mod render;
mod rows;
mod structure;

use crate::pdf::normalize::squash;
use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;

use crate::document::{RawRow, TableDraft};
use crate::model::{Diagnostic, Extraction, ExtractionStatus, RowRole, Side, Table, TableKind};
use amount::Parsed;
use cells::{merge_split_columns, merge_vertical_continuations};
use header::{
    header_paths, infer_header_merges, is_data_row, is_item_row, side_of,
    split_total_from_subheaders,
};
use keywords::ColumnRole;
use rows::Group;

/// A run of columns describing one item per row: its code, name and amounts. Ordinary tables have
/// one; summary tables have one per side (收入 | 支出, and Jiangsu's second 支出 block by use).
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
        // Function codes start with 2, economic codes with 3 or 5: a name opening with other
        // digits (12345政务服务热线) keeps them.
        Regex::new(
            r"^[\[【]?([235][0-9]{2}(?:[0-9]{2}){0,3})[\]】]?(?:\s*[-－—:：]?\s*)([^0-9年.．、%\]】].*)$",
        )
        .unwrap_or_else(|e| panic!("{e}")) // ok: constant pattern
    })
}

fn is_code(s: &str) -> bool {
    let t = squash(s);
    // Codes printed in brackets: [2080501].
    let t = t
        .strip_prefix(['[', '【'])
        .and_then(|r| r.strip_suffix([']', '】']))
        .map(str::to_string)
        .unwrap_or(t);
    matches!(t.len(), 3 | 5 | 7 | 9) && t.chars().all(|c| c.is_ascii_digit())
}

fn starts_with_enumerator(s: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| {
        Regex::new(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[、.．](?:[^0-9]|$))").unwrap_or_else(|e| panic!("{e}")) // ok: constant
    });
    r.is_match(&squash(s))
}

fn is_total_name(name: &str) -> bool {
    let n = squash(name);
    n.contains("合计") || n.contains("总计")
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
        // A form field the reader could not place leaves the form partly read.
        let mut extraction = Extraction::default();
        for d in more.iter().filter(|d| d.level == "warning") {
            extraction.add(
                ExtractionStatus::Partial,
                "form_fields",
                d.message.clone(),
                d.page,
            );
        }
        diags.extend(more);
        let table = Table {
            kind,
            title,
            label: draft.label.clone(),
            pages: draft.pages.clone(),
            amount_unit: own_unit.or_else(|| draft.unit.clone()),
            unit_name: draft.unit_name.clone(),
            empty: draft.rows.iter().all(RawRow::is_blank),
            columns: Vec::new(),
            column_headers: Vec::new(),
            column_phases: BTreeMap::new(),
            rows: Vec::new(),
            note: None,
            targets,
            extraction,
        };
        return (table, diags);
    }
    let mut extraction = Extraction::default();
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
            let message = if header.is_empty() {
                format!("column {} holds amounts but has no header", k + 1)
            } else {
                format!("column {} header \"{header}\" not recognized", k + 1)
            };
            extraction.add(
                ExtractionStatus::Partial,
                "unknown_columns",
                message.clone(),
                page0,
            );
            diags.push(Diagnostic::warning(message, page0));
        } else {
            *role = Some(if header.is_empty() {
                ColumnRole::Name
            } else {
                ColumnRole::Text
            });
        }
    }

    // A header cell naming three funding sources at once is several headers run together (a table
    // without rulings whose header words were not told apart): its key is a guess.
    for (k, role) in roles.iter().enumerate() {
        let Some(ColumnRole::Amount(_)) = role else {
            continue;
        };
        let Some(last) = paths.get(k).map(|p| p.concat()) else {
            continue;
        };
        let sources = [
            "一般公共预算",
            "政府性基金",
            "国有资本",
            "财政专户",
            "单位资金",
            "上年结转",
            "事业收入",
        ]
        .iter()
        .filter(|w| last.contains(*w))
        .count();
        if sources >= 3 {
            extraction.add(
                ExtractionStatus::Partial,
                "merged_headers",
                format!(
                    "column {} header \"{last}\" runs several headers together",
                    k + 1
                ),
                page0,
            );
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
                    cur.names_units = paths.get(k).and_then(|p| p.last()).is_some_and(|h| {
                        let h = squash(h);
                        h.ends_with("单位名称") || h == "部门(单位)名称"
                    });
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
            ColumnRole::Unit => {
                if cur.unit.is_none() {
                    cur.unit = Some(k);
                }
            }
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
    for g in &mut groups {
        // Columns under a 其中 heading are parts of a column beside them, not addends.
        for (col, key) in g.amounts.iter_mut() {
            if paths
                .get(*col)
                .is_some_and(|p| p.iter().any(|h| h.starts_with("其中")))
            {
                *key = format!("{key}_of_which");
            }
        }
        // Headers naming two years (2025年预算数 | 2026年预算数 / 总计 …): the columns under the
        // earlier year are last year's, never this year's total.
        let year_of = |col: usize| -> Option<u32> {
            paths.get(col).and_then(|p| {
                p.iter().find_map(|h| {
                    let i = h.find("20")?;
                    let y: String = h.get(i..i + 4)?.to_string();
                    (h.get(i + 4..)?.starts_with('年'))
                        .then(|| y.parse().ok())
                        .flatten()
                })
            })
        };
        let years: Vec<u32> = g.amounts.iter().filter_map(|(c, _)| year_of(*c)).collect();
        if let (Some(&lo), Some(&hi)) = (years.iter().min(), years.iter().max()) {
            if lo < hi {
                for (col, key) in g.amounts.iter_mut() {
                    if year_of(*col).is_some_and(|y| y < hi) && !key.starts_with("prior_year") {
                        *key = if key == "total" {
                            "prior_year".to_string()
                        } else {
                            format!("{key}_prior_year")
                        };
                    }
                }
            }
        }
        // A side's only amount column is its total, whatever its header calls it (本年预算).
        if let [(_, key)] = g.amounts.as_mut_slice() {
            if key == "current_year" {
                *key = "total".to_string();
            }
        }
        // Keys must be unique within a group. Where several columns read 合计 / 小计, the one
        // under no other heading is the table's total and the others take the key their heading
        // gives (本年收入 / 小计 is this year's income, 本级财政拨款 / 金额 the appropriation); a
        // column left over becomes "total_2".
        let scope_of = |col: usize| -> Option<&'static str> {
            paths.get(col).and_then(|p| {
                p.iter()
                    .rev()
                    .skip(1)
                    .filter_map(|h| keywords::amount_key(h))
                    .find(|k| *k != "total")
            })
        };
        let total_cols: Vec<usize> = g
            .amounts
            .iter()
            .filter(|(_, k)| k == "total")
            .map(|(c, _)| *c)
            .collect();
        if total_cols.len() > 1 {
            let keep = total_cols
                .iter()
                .copied()
                .find(|&c| scope_of(c).is_none())
                .or(total_cols.first().copied());
            let taken: HashSet<String> = g.amounts.iter().map(|(_, k)| k.clone()).collect();
            for (col, key) in g.amounts.iter_mut() {
                if key == "total" && Some(*col) != keep {
                    if let Some(scope) = scope_of(*col).filter(|s| !taken.contains(*s)) {
                        *key = scope.to_string();
                    }
                }
            }
        }
        let mut seen: HashSet<String> = HashSet::new();
        for (_, key) in g.amounts.iter_mut() {
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
        if !amount_cols.is_empty() {
            extraction.add(
                ExtractionStatus::Partial,
                "no_amount_unit",
                "amount unit not found; amounts left null",
                page0,
            );
        }
    }

    let mut out_rows = rows::build(body, &groups, factor, (&mut diags, &mut extraction));
    for note in structure::assign(&mut out_rows) {
        diags.push(Diagnostic::info(note, page0));
    }
    // Rows of a unit list are the units' own (after the structure, which reads `unit` as the
    // 预算单位 column's blocks).
    for r in &mut out_rows {
        let lists_units = groups.get(r.group_index).is_some_and(|g| g.names_units);
        if lists_units && r.role != RowRole::Total && r.unit.is_none() && !r.name.is_empty() {
            r.unit = Some(r.name.clone());
        }
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
            unit_name: draft.unit_name.clone(),
            empty,
            columns,
            column_headers,
            column_phases,
            rows: out_rows,
            note,
            targets: Vec::new(),
            extraction,
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
        assert!(code_re()
            .captures("12345政府公共服务热线运行经费")
            .is_none());
        let c = code_re().captures("[2080501]行政单位离退休");
        assert_eq!(
            c.as_ref().and_then(|c| c.get(1)).map(|m| m.as_str()),
            Some("2080501")
        );
        assert_eq!(
            c.and_then(|c| c.get(2)).map(|m| m.as_str()),
            Some("行政单位离退休")
        );
        assert!(is_code("[20805]"));
        let c = code_re().captures("2150501-行政运行");
        assert_eq!(
            c.and_then(|c| c.get(2)).map(|m| m.as_str()),
            Some("行政运行")
        );
    }
}
