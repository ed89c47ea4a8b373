//! row.columns: within a row, a total column equals its component columns (and a 决算 fund
//! table's carry-overs roll forward).

use rust_decimal::Decimal;

use super::ctx::{check, info, loc, precision, show, val};
use super::{Ctx, Rule};
use crate::model::{Check, Disclosure, Row, Severity, TableKind};

/// row.columns.
pub struct RowColumns;

impl Rule for RowColumns {
    fn family(&self) -> &'static str {
        "row.columns"
    }

    fn eval(&self, cx: &Ctx, out: &mut Vec<Check>) {
        row_columns(cx.d, out);
    }
}

/// Columns that add up to another column in the same row.
const ROW_IDENTITIES: &[(&str, &[&str])] = &[
    (
        "total",
        &[
            "basic",
            "project",
            "reserve",
            "remit_superior",
            "operating_expenditure",
            "affiliate_subsidy",
        ],
    ),
    ("basic", &["personnel", "public"]),
    ("vehicle", &["vehicle_purchase", "vehicle_operation"]),
];

/// Sources of income that together make an income table's total.
const INCOME_SOURCES: &[&str] = &[
    "general_budget",
    "gov_fund",
    "state_capital",
    "special_account",
    "unit_funds",
    "business_income",
    "operating_income",
    "superior_subsidy",
    "affiliate_remit",
    "other_income",
];

/// A row as a message names it: its printed name, else its code.
fn row_label(r: &Row) -> String {
    if r.name.is_empty() {
        r.code.clone().unwrap_or_default()
    } else {
        r.name.clone()
    }
}

fn row_columns(d: &Disclosure, out: &mut Vec<Check>) {
    let mut evaluated = 0;
    let mut failures = 0;
    for (ti, t) in d
        .tables
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.empty && t.kind != TableKind::ThreePublic)
    {
        let has = |k: &str| t.columns.iter().any(|c| c == k);
        // A component printed only through its own parts (基本支出 as 人员 | 公用 columns, no 小计)
        // stands in by those parts.
        let present = |parts: &[&'static str]| -> Vec<&'static str> {
            let mut v = Vec::new();
            for p in parts {
                if has(p) {
                    v.push(*p);
                } else if let Some((_, sub)) = ROW_IDENTITIES.iter().find(|(t, _)| t == p) {
                    if sub.iter().all(|k| has(k)) {
                        v.extend(sub.iter().copied());
                    }
                }
            }
            v
        };
        let mut identities: Vec<(&str, Vec<&str>)> = ROW_IDENTITIES
            .iter()
            .map(|(total, parts)| (*total, present(parts)))
            .filter(|(total, parts)| has(total) && parts.len() >= 2)
            .collect();
        if t.kind == TableKind::Income {
            let mut sources: Vec<&str> =
                INCOME_SOURCES.iter().copied().filter(|k| has(k)).collect();
            // 财政拨款 is a source itself unless its parts (一般公共预算, 政府性基金) are printed.
            if has("fiscal_appropriation") && !has("general_budget") && !has("gov_fund") {
                sources.push("fiscal_appropriation");
            }
            if has("total") && sources.len() >= 2 {
                identities.push(("total", sources));
            }
        }
        for (ri, r) in t.rows.iter().enumerate() {
            for (total_key, parts) in &identities {
                let Some(stated) = val(r, total_key) else {
                    continue;
                };
                let values: Vec<Decimal> = parts
                    .iter()
                    .map(|k| val(r, k).unwrap_or_default())
                    .collect();
                if parts.iter().all(|k| val(r, k).is_none()) {
                    continue;
                }
                evaluated += 1;
                let (half, _, _) = precision(t);
                let sum: Decimal = values.iter().sum();
                let with_carry = sum + val(r, "carryover").unwrap_or_default();
                let tol = half * Decimal::from(values.len());
                if (sum - stated).abs() > tol && (with_carry - stated).abs() > tol {
                    failures += 1;
                    let mut locs = vec![loc(ti, Some(ri), Some(total_key), Some(r.page))];
                    locs.extend(
                        parts
                            .iter()
                            .map(|k| loc(ti, Some(ri), Some(k), Some(r.page))),
                    );
                    out.push(check(
                        "row.columns",
                        Severity::Error,
                        false,
                        format!(
                            "{} row {}: {total_key} {} ≠ {} {} (difference {})",
                            t.title.as_deref().unwrap_or(t.kind.as_str()),
                            row_label(r),
                            show(stated, t),
                            parts.join(" + "),
                            show(sum, t),
                            show(stated - sum, t)
                        ),
                        locs,
                    ));
                }
            }
            // Roll-forward (决算 政府性基金 / 国有资本 tables): 年初结转和结余 + 本年收入 − 本年支出
            // = 年末结转和结余.
            if let (Some(begin), Some(income), Some(spent), Some(end)) = (
                val(r, "carryover"),
                val(r, "current_income"),
                val(r, "total"),
                val(r, "carryover_end"),
            ) {
                evaluated += 1;
                let (half, _, _) = precision(t);
                let expected = begin + income - spent;
                if (expected - end).abs() > half * Decimal::from(4) {
                    failures += 1;
                    out.push(check(
                        "row.columns",
                        Severity::Error,
                        false,
                        format!(
                            "{} row {}: 年初结转和结余 {} + 本年收入 {} − 本年支出 {} = {} ≠ 年末结转和结余 {}",
                            t.title.as_deref().unwrap_or(t.kind.as_str()),
                            row_label(r),
                            show(begin, t),
                            show(income, t),
                            show(spent, t),
                            show(expected, t),
                            show(end, t)
                        ),
                        ["carryover", "current_income", "total", "carryover_end"]
                            .iter()
                            .map(|k| loc(ti, Some(ri), Some(k), Some(r.page)))
                            .collect(),
                    ));
                }
            }
        }
    }
    if evaluated == 0 {
        out.push(info("row.columns", "no table with component columns"));
    } else if failures == 0 {
        out.push(check(
            "row.columns",
            Severity::Error,
            true,
            format!("{evaluated} row identities hold"),
            Vec::new(),
        ));
    }
}
