//! Which table row an item statement speaks of: the row of its level whose name and parents'
//! names are the statement's 类/款/项 names (compared loosely: spacing, quotes and a trailing 支出
//! do not count). Failing that, the one row under the same parent with the stated amount, its
//! name differing from the statement's.

use rust_decimal::Decimal;

use super::items::Item;
use crate::model::{Row, Table, TableKind};
use crate::pdf::normalize::squash;

/// Tables whose rows carry classification names, the one the statements usually speak of first.
const TABLES: &[TableKind] = &[
    TableKind::GeneralBudgetExpenditure,
    TableKind::Expenditure,
    TableKind::GeneralBudgetBasicExpenditure,
    TableKind::GovFundExpenditure,
    TableKind::FiscalAppropriationSummary,
    TableKind::Summary,
];

/// A table row a statement's names lead to; `names_differ` when only its amount ties it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowMatch {
    pub table: usize,
    pub row: usize,
    pub names_differ: bool,
}

/// A name without its leading Chinese enumerator "四、" (not the 一 of 一般公共服务).
pub fn without_enumerator(s: &str) -> &str {
    let numeral = s
        .char_indices()
        .take_while(|(_, c)| "一二三四五六七八九十".contains(*c))
        .last()
        .map(|(i, c)| i + c.len_utf8());
    match numeral {
        Some(n) if s[n..].starts_with('、') => &s[n + '、'.len_utf8()..],
        _ => s,
    }
}

/// A classification name compared loosely (a summary table's "四、公共安全支出" is 公共安全).
fn norm(name: &str) -> String {
    let s = squash(name);
    let s = without_enumerator(s.trim_start_matches("其中:"));
    let s = s.trim_matches(['“', '”', '"', ' ']);
    s.strip_suffix("支出").unwrap_or(s).to_string()
}

fn same(a: &str, b: &str) -> bool {
    !a.is_empty() && norm(a) == norm(b)
}

/// The row's amount: its total, else its 基本 column, else 人员 + 公用 (basic-expenditure table);
/// zero where the total column's cell is printed blank or as a dash (2101101 of a table listing
/// last year's figure beside an empty 2026 cell).
pub fn amount(r: &Row) -> Option<Decimal> {
    let v = |k: &str| r.values.get(k).copied().flatten().map(|a| a.0);
    let blank_total = r.values.get("total").is_some_and(Option::is_none)
        && r.raw
            .get("total")
            .is_none_or(|s| s.trim().trim_matches(['-', '—', '－']).is_empty());
    v("total")
        .or_else(|| v("basic"))
        .or_else(|| {
            let (p, q) = (v("personnel"), v("public"));
            (p.is_some() || q.is_some()).then(|| p.unwrap_or_default() + q.unwrap_or_default())
        })
        .or_else(|| blank_total.then_some(Decimal::ZERO))
}

/// The statement's names from the top (类) down to its own level.
pub fn path(it: &Item) -> Vec<Option<&str>> {
    [&it.class_name, &it.section_name, &it.item_name]
        .into_iter()
        .take(usize::from(it.level))
        .map(|n| n.as_deref())
        .collect()
}

/// Does the row (with its parents) carry the names? A missing name matches any.
fn row_matches(t: &Table, ri: usize, names: &[Option<&str>]) -> bool {
    let mut at = Some(ri);
    for name in names.iter().rev() {
        let Some(r) = at.and_then(|i| t.rows.get(i)) else {
            return false;
        };
        if let Some(n) = name {
            if !same(n, &r.name) {
                return false;
            }
        }
        at = r.parent.filter(|&p| {
            t.rows
                .get(p)
                .is_some_and(|pr| pr.level.is_some_and(|l| l >= 1))
        });
    }
    true
}

fn classified(t: &Table) -> bool {
    TABLES.contains(&t.kind) && !t.empty
}

/// The rows the statement speaks of, tables in [`TABLES`] order. `stated` is its own-year
/// amount and `tolerance` how far a table's figure may be from it by rounding.
pub fn resolve(
    tables: &[Table],
    it: &Item,
    stated: Option<Decimal>,
    tolerance: impl Fn(&Table) -> Decimal,
) -> Vec<RowMatch> {
    let names = path(it);
    let level = it.level;
    let mut out = Vec::new();
    for kind in TABLES {
        for (ti, t) in tables.iter().enumerate() {
            if t.kind != *kind || !classified(t) {
                continue;
            }
            for (ri, r) in t.rows.iter().enumerate() {
                if r.level == Some(level) && row_matches(t, ri, &names) {
                    out.push(RowMatch {
                        table: ti,
                        row: ri,
                        names_differ: false,
                    });
                }
            }
        }
    }
    let Some(stated) = stated.filter(|_| out.is_empty() && level >= 2) else {
        return out;
    };
    // The leaf's name differs: the parent's rows, exactly one of which has the stated amount.
    for (ti, t) in tables.iter().enumerate() {
        if t.kind != TableKind::GeneralBudgetExpenditure || t.empty {
            continue;
        }
        let tol = tolerance(t);
        let parents: Vec<usize> = (0..t.rows.len())
            .filter(|&pi| {
                t.rows[pi].level == Some(level - 1) && row_matches(t, pi, &names[..names.len() - 1])
            })
            .collect();
        let hits: Vec<usize> = (0..t.rows.len())
            .filter(|&ri| {
                let r = &t.rows[ri];
                r.level == Some(level)
                    && r.parent.is_some_and(|p| parents.contains(&p))
                    && amount(r).is_some_and(|v| (v - stated).abs() <= tol)
            })
            .collect();
        // Or the leaf's own name under a parent the statement names otherwise (a 款 by its name
        // of another year).
        let hits = if hits.is_empty() {
            let leaf = &names[names.len() - 1..];
            (0..t.rows.len())
                .filter(|&ri| {
                    let r = &t.rows[ri];
                    r.level == Some(level)
                        && row_matches(t, ri, leaf)
                        && amount(r).is_some_and(|v| (v - stated).abs() <= tol)
                })
                .collect()
        } else {
            hits
        };
        if let [ri] = hits[..] {
            out.push(RowMatch {
                table: ti,
                row: ri,
                names_differ: true,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_loosely() {
        assert!(same("一般公共服务", "一般公共服务支出"));
        assert!(same("“住房公积金”", " 住房公积金"));
        assert!(!same("行政运行", "一般行政管理事务"));
        assert!(!same("", ""));
        assert!(same("公共安全", "四、公共安全支出"));
        assert!(!same("般公共服务", "一般公共服务支出"));
    }
}
