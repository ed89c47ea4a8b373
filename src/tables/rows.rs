//! Body rows of a recognized table: per column group, each row's code (joined, split or in the
//! name), name, role and amounts in yuan; rows cut by page breaks joined again.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::amount::{self, Parsed};
use super::{clean_name, code_re, is_total_name, starts_with_enumerator};
use crate::document::RawRow;
use crate::model::{Amount, Diagnostic, Extraction, ExtractionStatus, Row, RowRole, Side};
use crate::pdf::normalize::squash;

#[derive(Debug, Default, Clone)]
pub(super) struct Group {
    pub(super) code: Option<usize>,
    pub(super) code_parts: Vec<(u8, usize)>,
    pub(super) name: Option<usize>,
    /// The 预算单位 column: a row with no name of its own is that unit's line.
    pub(super) unit: Option<usize>,
    /// The name column lists units (单位名称: Hangzhou's 收入/支出预算总表): each row is a unit's.
    pub(super) names_units: bool,
    /// A header-less column right of the name holding sub-items (Jiangsu: 一般公共预算资金 | 小计,
    /// then | 公共财政拨款(补助)资金 on the rows below).
    pub(super) sub_name: Option<usize>,
    pub(super) amounts: Vec<(usize, String)>,
    pub(super) texts: Vec<(usize, String)>,
    pub(super) side: Option<Side>,
    pub(super) label: Option<String>,
}

/// The rows of every group (summary: all income rows, then expenditure).
pub(super) fn build(
    body: &[RawRow],
    groups: &[Group],
    factor: Option<Decimal>,
    (diags, extraction): (&mut Vec<Diagnostic>, &mut Extraction),
) -> Vec<Row> {
    let mut body: Vec<RawRow> = body.to_vec();
    if groups.len() > 1 {
        reassign_spanning_totals(&mut body, groups);
    }
    let mut out_rows: Vec<Row> = Vec::new();
    for (gi, g) in groups.iter().enumerate() {
        let mut carry: [Option<String>; 3] = [None, None, None];
        let mut current_unit: Option<String> = None;
        let mut group_rows: Vec<Row> = Vec::new();
        for raw in &body {
            let text_at = |k: Option<usize>| -> String {
                k.and_then(|k| raw.slots.get(k))
                    .filter(|s| s.first_col && s.first_row)
                    .map(|s| s.text.trim().to_string())
                    .unwrap_or_default()
            };
            // A row with figures of its own under an item cell merged down from the row above (a
            // list of function × economic classes, the function cell spanning its lines) is that
            // item's line too.
            let own_figure = g
                .amounts
                .iter()
                .any(|(k, _)| matches!(amount::parse(&text_at(Some(*k))), Parsed::Number { .. }));
            let item_at = |k: Option<usize>| -> String {
                k.and_then(|k| raw.slots.get(k))
                    .filter(|s| s.first_col && (s.first_row || own_figure))
                    .map(|s| s.text.trim().to_string())
                    .unwrap_or_default()
            };
            let mut name = clean_name(&item_at(g.name));
            let unit_text = clean_name(&text_at(g.unit));
            let sub = clean_name(&text_at(g.sub_name));
            if !sub.is_empty() && !matches!(sub.as_str(), "小计" | "合计") {
                name = sub;
            }
            let code_text = squash(&item_at(g.code))
                .trim_matches(['[', ']', '【', '】'])
                .to_string();
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
                            let message =
                                format!("cell \"{t}\" in an amount column ({key}) is not a number");
                            extraction.add(
                                ExtractionStatus::Partial,
                                "unplaced_cells",
                                message.clone(),
                                Some(raw.page),
                            );
                            diags.push(Diagnostic::warning(message, Some(raw.page)));
                        }
                        None
                    }
                };
                if !t.is_empty() {
                    raw_texts.insert(key.clone(), t);
                }
                values.insert(key.clone(), v);
            }
            // The 预算单位 column: a row naming a unit and no item is that unit's line — the
            // table's total when it opens the table, else the subtotal of the unit's rows below.
            let mut unit_line = false;
            if !unit_text.is_empty() {
                current_unit = Some(unit_text.clone());
                if name.is_empty() && code.is_none() {
                    name = unit_text.clone();
                    unit_line = true;
                }
            }
            // 合计 printed in another label column (the last of three classification columns).
            if name.is_empty() && code.is_none() {
                if let Some(t) = g
                    .texts
                    .iter()
                    .map(|(k, _)| text_at(Some(*k)))
                    .find(|t| matches!(squash(t).as_str(), "合计" | "总计"))
                {
                    name = squash(&t);
                }
            }
            if name.is_empty() && code.is_none() && !any_amount {
                continue;
            }
            let role = if unit_line {
                if group_rows.is_empty() {
                    RowRole::Total
                } else {
                    RowRole::Subtotal
                }
            } else if squash(&name).starts_with("其中") {
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
                unit: current_unit.clone(),
                parent: None,
                level: None,
                group_index: gi,
                indent: g
                    .name
                    .and_then(|k| raw.slots.get(k))
                    .filter(|s| s.first_row && s.first_col)
                    .and_then(|s| s.indent),
                page: raw.page,
                bbox: raw.bbox,
            });
        }
        let group_rows = join_names_to_figures(group_rows);
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
        // Figures left without a name or code after the joins above.
        if g.name.is_some() {
            for r in group_rows.iter().filter(|r| {
                r.name.is_empty() && r.code.is_none() && r.values.values().any(Option::is_some)
            }) {
                extraction.add(
                    ExtractionStatus::Partial,
                    "nameless_amount_rows",
                    "a row has amounts but no name or code",
                    Some(r.page),
                );
                diags.push(Diagnostic::warning(
                    "a row has amounts but no name or code",
                    Some(r.page),
                ));
            }
        }
        out_rows.extend(group_rows);
    }

    out_rows
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
                // Blocks of one side of a summary, or side-by-side blocks of the same columns
                // (决算 基本支出表: 人员经费 | 公用经费 | 公用经费).
                let same_columns = a
                    .amounts
                    .iter()
                    .map(|(_, k)| k)
                    .eq(b.amounts.iter().map(|(_, k)| k));
                if a.side != b.side || (a.side.is_none() && !same_columns) {
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

/// A line of figures with no name, right above a name with no figures (a grid whose cells are
/// drawn piecemeal, the amount cell reaching up into a strip the name cell does not): one row.
fn join_names_to_figures(rows: Vec<Row>) -> Vec<Row> {
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    for r in rows {
        let has_figures = |x: &Row| x.values.values().any(Option::is_some);
        let joins = out.last().is_some_and(|prev| {
            let adjacent = match (prev.bbox, r.bbox) {
                (Some(a), Some(b)) => (b[1] - a[3]).abs() < 2.0,
                _ => false,
            };
            prev.name.is_empty()
                && prev.code.is_none()
                && has_figures(prev)
                && !r.name.is_empty()
                && !has_figures(&r)
                && prev.page == r.page
                && adjacent
        });
        match out.last_mut() {
            Some(prev) if joins => {
                let values = std::mem::take(&mut prev.values);
                let raw = std::mem::take(&mut prev.raw);
                let top = prev.bbox;
                *prev = r;
                prev.values = values;
                prev.raw = raw;
                if let (Some(a), Some(b)) = (prev.bbox.as_mut(), top) {
                    a[1] = a[1].min(b[1]);
                }
            }
            _ => out.push(r),
        }
    }
    out
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
