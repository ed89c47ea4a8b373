//! The context every rule family reads (the disclosure, its narrative facts, comparisons and items) and
//! the helpers several families share: printed precision and tolerance, messages, locations.

use crate::pdf::normalize::squash;
use rust_decimal::Decimal;

use crate::model::{
    Amount, Check, Disclosure, Location, Row, RowRole, Severity, Side, Table, TableKind,
};
use crate::narrative::comparisons::Comparison;
use crate::narrative::items::Item;
use crate::narrative::Fact;

/// What the rules look at: one document with the facts and comparisons of its narrative.
pub struct Ctx<'a> {
    pub d: &'a Disclosure,
    pub facts: &'a [Fact],
    pub comparisons: &'a [Comparison],
    /// The narrative's item-by-item statements.
    pub items: &'a [Item],
}

/// Printed precision of a table: (half a unit of the last digit in yuan, unit factor, decimals).
pub(super) fn precision(t: &Table) -> (Decimal, Decimal, u32) {
    let decimals = t
        .rows
        .iter()
        .flat_map(|r| r.raw.values())
        .map(|s| {
            s.rsplit_once('.')
                .map(|(_, f)| f.chars().filter(|c| c.is_ascii_digit()).count() as u32)
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0);
    let factor = t
        .amount_unit
        .as_deref()
        .and_then(crate::tables::amount::unit_factor)
        .unwrap_or(Decimal::ONE);
    (Decimal::new(5, decimals + 1) * factor, factor, decimals)
}

/// An amount in the table's printed unit, e.g. `774.48万元`.
pub(super) fn show(v: Decimal, t: &Table) -> String {
    let (_, factor, decimals) = precision(t);
    let mut x = v / factor;
    x = x.round_dp(decimals.max(2));
    x.rescale(decimals.max(if factor == Decimal::ONE { 2 } else { decimals }));
    format!("{}{}", x, t.amount_unit.as_deref().unwrap_or("元"))
}

pub(super) fn val(r: &Row, key: &str) -> Option<Decimal> {
    r.values.get(key).copied().flatten().map(|a: Amount| a.0)
}

pub(super) fn loc(
    ti: usize,
    ri: Option<usize>,
    column: Option<&str>,
    page: Option<usize>,
) -> Location {
    Location {
        table: Some(ti),
        row: ri,
        column: column.map(str::to_string),
        page,
    }
}

/// A location outside the tables: a narrative statement (column = the quantity it names) or the
/// cover (no page).
pub(super) fn in_text(column: Option<String>, page: Option<usize>) -> Location {
    Location {
        table: None,
        row: None,
        column,
        page,
    }
}

pub(super) fn check(
    rule: &str,
    severity: Severity,
    passed: bool,
    message: String,
    locations: Vec<Location>,
) -> Check {
    Check {
        rule: rule.into(),
        severity,
        passed,
        message,
        locations,
    }
}

pub(super) fn info(rule: &str, message: impl Into<String>) -> Check {
    Check {
        rule: rule.into(),
        severity: Severity::Info,
        passed: true,
        message: message.into(),
        locations: Vec::new(),
    }
}

pub(super) fn tables_of(d: &Disclosure, kind: TableKind) -> impl Iterator<Item = (usize, &Table)> {
    d.tables
        .iter()
        .enumerate()
        .filter(move |(_, t)| t.kind == kind && !t.empty)
}

/// A sum compared with its stated total: pass/fail and a message.
#[allow(clippy::too_many_arguments)]
pub(super) fn compare_sum(
    out: &mut Vec<Check>,
    rule: &str,
    severity: Severity,
    t: &Table,
    label: &str,
    stated: Decimal,
    parts: &[Decimal],
    mut locations: Vec<Location>,
) -> bool {
    let (half, _, _) = precision(t);
    let sum: Decimal = parts.iter().sum();
    let tol = half * Decimal::from(parts.len().max(1));
    let ok = (sum - stated).abs() <= tol;
    locations.dedup_by(|a, b| a.table == b.table && a.row == b.row && a.column == b.column);
    let msg = if ok {
        format!("{label}: {} = Σ {}", show(stated, t), show(sum, t))
    } else {
        format!(
            "{label}: {} ≠ Σ {} (difference {})",
            show(stated, t),
            show(sum, t),
            show(stated - sum, t)
        )
    };
    out.push(check(rule, severity, ok, msg, locations));
    ok
}

/// A row of one side of a summary table (not inside a group) whose name contains one of `words`.
pub(super) fn find_row<'a>(t: &'a Table, side: Side, words: &[&str]) -> Option<(usize, &'a Row)> {
    t.rows.iter().enumerate().find(|(_, r)| {
        r.side == Some(side) && r.group.is_none() && {
            let n = squash(&r.name);
            words.iter().any(|w| n.contains(w))
        }
    })
}

/// The table's 合计 row; a table of a single unnamed row (Jiangsu 支出预算总表 prints only the
/// totals) is its own total.
pub(super) fn total_row(t: &Table) -> Option<(usize, &Row)> {
    let plain = |r: &Row| matches!(squash(&r.name).as_str(), "合计" | "总计" | "");
    t.rows
        .iter()
        .enumerate()
        .find(|(_, r)| r.role == RowRole::Total && r.side.is_none() && plain(r))
        .or_else(|| {
            t.rows
                .iter()
                .enumerate()
                .find(|(_, r)| r.role == RowRole::Total && r.side.is_none())
        })
        .or_else(|| match t.rows.as_slice() {
            [only] if only.code.is_none() && only.side.is_none() => Some((0, only)),
            _ => None,
        })
}

/// An amount in 万元 with two decimals, for messages about narrative figures.
pub(super) fn wan(v: Decimal) -> String {
    let mut x = v / Decimal::from(10_000);
    x.rescale(2);
    format!("{x}万元")
}

/// Half a unit of the last printed digit of a narrative figure ("2,315.5万元"), in yuan.
pub(super) fn half_unit(printed: &str) -> Decimal {
    let digits = printed.split_once('.').map_or(0, |(_, r)| {
        r.chars().take_while(char::is_ascii_digit).count() as u32
    });
    let factor = if printed.contains('亿') {
        Decimal::from(100_000_000)
    } else if printed.contains('万') {
        Decimal::from(10_000)
    } else {
        Decimal::ONE
    };
    Decimal::new(5, digits + 1) * factor
}
