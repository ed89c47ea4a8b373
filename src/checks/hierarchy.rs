//! hierarchy.rollup and table.total_row: a row with parts (类, 款, a 合计) equals the sum of its
//! parts, in every column.

use crate::pdf::normalize::squash;
use rust_decimal::Decimal;

use super::ctx::{check, compare_sum, info, loc, precision, show, val};
use super::{Ctx, Rule};
use crate::model::{Check, Disclosure, Row, RowRole, Severity, Table};

/// hierarchy.rollup.
pub struct Rollup;

impl Rule for Rollup {
    fn family(&self) -> &'static str {
        "hierarchy.rollup"
    }

    fn eval(&self, cx: &Ctx, out: &mut Vec<Check>) {
        hierarchy_rollup(cx.d, out);
    }
}

/// table.total_row.
pub struct TotalRow;

impl Rule for TotalRow {
    fn family(&self) -> &'static str {
        "table.total_row"
    }

    fn eval(&self, cx: &Ctx, out: &mut Vec<Check>) {
        table_total_row(cx.d, out);
    }
}

/// The rows whose `parent` is row `p` (breakdowns, 其中, are not parts).
fn children_of(t: &Table, p: usize) -> Vec<(usize, &Row)> {
    t.rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.parent == Some(p) && r.role != RowRole::Breakdown && r.side.is_none())
        .collect()
}

/// Compare a parent row with the sum of its children in every column.
fn sum_of_children(
    out: &mut Vec<Check>,
    rule: &str,
    (ti, t): (usize, &Table),
    (pi, parent): (usize, &Row),
    children: &[(usize, &Row)],
    label: &str,
) -> (usize, usize) {
    let (mut sums, mut failures) = (0, 0);
    let (half, _, _) = precision(t);
    for key in &t.columns {
        let stated = val(parent, key);
        let parts: Vec<Decimal> = children
            .iter()
            .map(|(_, r)| val(r, key).unwrap_or_default())
            .collect();
        if stated.is_none() && parts.iter().all(|p| p.is_zero()) {
            continue;
        }
        sums += 1;
        let s = stated.unwrap_or_default();
        let sum: Decimal = parts.iter().sum();
        if (sum - s).abs() > half * Decimal::from(parts.len().max(1)) {
            failures += 1;
            let mut locs = vec![loc(ti, Some(pi), Some(key), Some(parent.page))];
            locs.extend(
                children
                    .iter()
                    .map(|(i, r)| loc(ti, Some(*i), Some(key), Some(r.page))),
            );
            out.push(check(
                rule,
                Severity::Error,
                false,
                format!(
                    "{} {label} {key}: {} ≠ Σ {} sub-items {} (difference {})",
                    t.title.as_deref().unwrap_or(t.kind.as_str()),
                    show(s, t),
                    parts.len(),
                    show(sum, t),
                    show(s - sum, t)
                ),
                locs,
            ));
        }
    }
    (sums, failures)
}

/// hierarchy.rollup: every row with parts (类 = Σ 款, 款 = Σ 项, a unit's line = Σ its 类, by
/// codes or by indentation) equals the sum of its parts.
fn hierarchy_rollup(d: &Disclosure, out: &mut Vec<Check>) {
    let mut evaluated = 0;
    for (ti, t) in d.tables.iter().enumerate().filter(|(_, t)| !t.empty) {
        let (mut sums, mut failures) = (0, 0);
        for (pi, parent) in t.rows.iter().enumerate() {
            if parent.role == RowRole::Total || parent.side.is_some() {
                continue;
            }
            let children = children_of(t, pi);
            if children.is_empty() {
                continue;
            }
            let label = match &parent.code {
                Some(c) => format!("{c} {}", parent.name),
                None => parent.name.clone(),
            };
            let (s, f) = sum_of_children(
                out,
                "hierarchy.rollup",
                (ti, t),
                (pi, parent),
                &children,
                &label,
            );
            sums += s;
            failures += f;
        }
        if sums > 0 {
            evaluated += 1;
            if failures == 0 {
                out.push(check(
                    "hierarchy.rollup",
                    Severity::Error,
                    true,
                    format!(
                        "{}: {sums} class sums hold",
                        t.title.as_deref().unwrap_or(t.kind.as_str())
                    ),
                    vec![loc(ti, None, None, t.pages.first().copied())],
                ));
            }
        }
    }
    if evaluated == 0 {
        out.push(info(
            "hierarchy.rollup",
            "no table with classification codes",
        ));
    }
}

/// table.total_row: each 合计 row equals the sum of the top rows it heads.
fn table_total_row(d: &Disclosure, out: &mut Vec<Check>) {
    let mut evaluated = 0;
    for (ti, t) in d.tables.iter().enumerate().filter(|(_, t)| !t.empty) {
        for (tri, total) in t
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.role == RowRole::Total && r.code.is_none() && r.side.is_none())
        {
            let children = children_of(t, tri);
            if children.is_empty() {
                continue;
            }
            for key in &t.columns {
                let Some(stated) = val(total, key) else {
                    continue;
                };
                let parts: Vec<Decimal> = children
                    .iter()
                    .map(|(_, r)| val(r, key).unwrap_or_default())
                    .collect();
                let mut locs = vec![loc(ti, Some(tri), Some(key), Some(total.page))];
                locs.extend(
                    children
                        .iter()
                        .map(|(i, r)| loc(ti, Some(*i), Some(key), Some(r.page))),
                );
                evaluated += 1;
                compare_sum(
                    out,
                    "table.total_row",
                    Severity::Error,
                    t,
                    &format!(
                        "{} {} {key}",
                        t.title.as_deref().unwrap_or(t.kind.as_str()),
                        squash(&total.name)
                    ),
                    stated,
                    &parts,
                    locs,
                );
            }
        }
    }
    if evaluated == 0 {
        out.push(info(
            "table.total_row",
            "no table with a 合计 row over coded rows",
        ));
    }
}
