//! A department file that prints, beside the department's lines, each subordinate unit's
//! (Shenzhen: a 预算单位 column, unit lines heading their blocks; Hangzhou, Guangzhou: tables
//! listing units by 单位名称): one part per unit, with the unit's identity, where its rows are and
//! its own headline totals, linked to the department.

use std::collections::BTreeSet;

use crate::document::identity;
use crate::model::{
    Disclosure, DocumentKind, Row, RowRole, Table, TableKind, Totals, UnitPart, UnitRows,
};
use crate::pdf::normalize::squash;

/// One part per unit the tables list, in order of first appearance; none when the tables name
/// no unit, or only the document's own.
pub fn split(d: &Disclosure) -> Vec<UnitPart> {
    let own = (
        d.document.unit_name_normalized.as_deref(),
        d.document.unit_scope.as_deref(),
    );
    let mut units: Vec<&str> = Vec::new();
    // Units with figures: a list of units in a table of no known kind (单位构成) makes no part.
    let figures = d.tables.iter().filter(|t| t.kind.holds_budget_figures());
    for r in figures.flat_map(|t| &t.rows) {
        if let Some(u) = r.unit.as_deref() {
            if !units.contains(&u) {
                units.push(u);
            }
        }
    }
    let kind = match d.document.kind {
        DocumentKind::DepartmentBudget | DocumentKind::UnitBudget => DocumentKind::UnitBudget,
        DocumentKind::DepartmentFinalAccount | DocumentKind::UnitFinalAccount => {
            DocumentKind::UnitFinalAccount
        }
        DocumentKind::Unknown => DocumentKind::Unknown,
    };
    let year = d.document.fiscal_year;
    let mut parts = Vec::new();
    for u in units {
        let (normalized, mut scope) = identity::normalize_unit(u);
        let is_own = (Some(normalized.as_str()), scope.as_deref()) == own;
        // The document's own name on a line of the whole (the department's line, a subtotal
        // over its units) is no part; on a leaf beside its units' lines it is the department's
        // own offices: 本级.
        let keep = |r: &Row| {
            !is_own
                || (r.role == RowRole::Detail && r.code.is_none() && squash(&r.name) == squash(u))
        };
        let (tables, rows) = unit_tables(&d.tables, u, keep);
        if rows.is_empty() {
            continue;
        }
        if is_own {
            if scope.is_some() {
                continue;
            }
            scope = Some("本级".to_string());
        }
        let pages: BTreeSet<usize> = tables
            .iter()
            .flat_map(|t| t.rows.iter().map(|r| r.page))
            .collect();
        parts.push(UnitPart {
            unit_name: u.to_string(),
            unit_id: identity::unit_id(&normalized),
            disclosure_id: identity::disclosure_id(&normalized, scope.as_deref(), year, kind),
            parent_disclosure_id: d.document.disclosure_id.clone(),
            kind,
            totals: unit_totals(&tables, year),
            unit_name_normalized: normalized,
            unit_scope: scope,
            pages: pages.into_iter().collect(),
            rows,
        });
    }
    parts
}

/// Each table of figures that lists `unit`, cut to that unit's rows (those `keep` accepts): its
/// line (the first row, named as the unit) becomes the table's total, parents are renumbered (a parent
/// outside the unit's rows is dropped). Also, per table, the indices of those rows in the whole
/// document's table.
fn unit_tables(
    tables: &[Table],
    unit: &str,
    keep: impl Fn(&Row) -> bool,
) -> (Vec<Table>, Vec<UnitRows>) {
    let mut cut = Vec::new();
    let mut index = Vec::new();
    for (ti, t) in tables.iter().enumerate() {
        if !t.kind.holds_budget_figures() {
            continue;
        }
        let kept: Vec<usize> = (0..t.rows.len())
            .filter(|&i| t.rows[i].unit.as_deref() == Some(unit) && keep(&t.rows[i]))
            .collect();
        if kept.is_empty() {
            continue;
        }
        let new_index = |old: usize| kept.iter().position(|&k| k == old);
        let mut part = t.clone();
        part.rows = kept
            .iter()
            .enumerate()
            .map(|(n, &i)| {
                let mut r = t.rows[i].clone();
                r.parent = r.parent.and_then(new_index);
                if n == 0 && r.code.is_none() && squash(&r.name) == squash(unit) {
                    r.role = RowRole::Total;
                    r.parent = None;
                }
                r
            })
            .collect();
        index.push(UnitRows {
            table_index: ti,
            table_kind: t.kind,
            rows: kept,
        });
        cut.push(part);
    }
    (cut, index)
}

/// The headline totals from the unit's rows; where the file prints no 收支总表 per unit, its
/// income and expenditure totals are its lines in the 收入总表 and 支出总表.
fn unit_totals(tables: &[Table], year: Option<i32>) -> Totals {
    let mut totals = super::resolve_totals(tables, year);
    let line_total = |kind: TableKind| {
        tables
            .iter()
            .filter(|t| t.kind == kind && !t.empty)
            .flat_map(|t| &t.rows)
            .filter(|r| r.role == RowRole::Total)
            .find_map(|r| r.values.get("total").copied().flatten())
    };
    if totals.income_total.is_none() {
        totals.income_total = line_total(TableKind::Income);
    }
    if totals.expenditure_total.is_none() {
        totals.expenditure_total = line_total(TableKind::Expenditure);
    }
    totals
}
