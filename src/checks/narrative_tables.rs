//! Narrative figures that the tables print elsewhere than in the totals: each 三公 item
//! of a budget (narrative.three_public_items), 机关运行经费 against its table and against the 公用经费 that
//! covers it (narrative.operating_costs), and the count and sum of the projects with performance
//! targets (narrative.performance).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::ctx::{check, half_unit, in_text, info, loc, tables_of, total_row, val, wan};
use super::{Ctx, Rule};
use crate::model::{Check, Disclosure, DocumentKind, Location, Severity, Table, TableKind};
use crate::narrative::Fact;
use crate::pdf::normalize::squash;

/// narrative.three_public_items, narrative.operating_costs, narrative.performance.
pub struct NarrativeTables;

impl Rule for NarrativeTables {
    fn family(&self) -> &'static str {
        "narrative.tables"
    }

    fn eval(&self, cx: &Ctx, out: &mut Vec<Check>) {
        three_public_items(cx.d, cx.facts, out);
        operating_costs(cx.d, cx.facts, out);
        performance(cx.d, cx.facts, out);
    }
}

/// A statement about one line of the classification speaks of that line, not of a total.
fn classified(f: &Fact) -> bool {
    ["(类)", "(款)", "(项)"]
        .iter()
        .any(|m| f.sentence.contains(m))
}

/// The 三公 table's figure per item for this year: items down the side (rows named for them,
/// "total" column) or across (columns per item, the fiscal year's row or the first with figures).
fn three_public_figures(t: &Table, year: Option<i32>) -> BTreeMap<&'static str, (Decimal, usize)> {
    const BY_NAME: &[(&str, &str)] = &[
        ("因公出国", "outbound_travel"),
        ("公务接待", "reception"),
        ("购置及运行", "vehicle"),
        ("购置费", "vehicle_purchase"),
        ("运行费", "vehicle_operation"),
    ];
    const KEYS: &[&str] = &[
        "outbound_travel",
        "reception",
        "vehicle",
        "vehicle_purchase",
        "vehicle_operation",
    ];
    let mut out = BTreeMap::new();
    for (word, key) in BY_NAME {
        if let Some((ri, v)) = t.rows.iter().enumerate().find_map(|(ri, r)| {
            let n = squash(&r.name);
            (n.contains(word) && !(*word == "运行费" && n.contains("购置")))
                .then(|| val(r, "total").map(|v| (ri, v)))
                .flatten()
        }) {
            out.insert(*key, (v, ri));
        }
    }
    if !out.is_empty() {
        return out;
    }
    let year_row = year.and_then(|y| {
        let label = format!("{y}年");
        t.rows
            .iter()
            .position(|r| squash(&r.name).starts_with(&label))
    });
    let row = year_row.or_else(|| {
        t.rows
            .iter()
            .position(|r| KEYS.iter().any(|k| val(r, k).is_some()))
    });
    if let Some(ri) = row {
        for k in KEYS {
            if let Some(v) = val(&t.rows[ri], k) {
                out.insert(*k, (v, ri));
            }
        }
    }
    out
}

/// narrative.three_public_items: each 三公 item the narrative states = the 三公 table's figure.
fn three_public_items(d: &Disclosure, facts: &[Fact], out: &mut Vec<Check>) {
    const RULE: &str = "narrative.three_public_items";
    // A final account states its 三公 as budget against outcome: narrative.comparison holds each
    // against the table's 预算数 / 决算数.
    if matches!(
        d.document.kind,
        DocumentKind::DepartmentFinalAccount | DocumentKind::UnitFinalAccount
    ) {
        out.push(info(
            RULE,
            "final account: the 三公 statements are narrative.comparison's",
        ));
        return;
    }
    let Some((ti, t)) = tables_of(d, TableKind::ThreePublic).next() else {
        out.push(info(RULE, "no 三公 table with figures"));
        return;
    };
    let figures = three_public_figures(t, d.document.fiscal_year);
    let mut seen: Vec<(&str, Decimal)> = Vec::new();
    for f in facts {
        let key = f.key.as_str();
        let (Some(stated), Some(&(table, ri))) = (f.amount, figures.get(key)) else {
            continue;
        };
        // Last year's figures stated beside this year's, and repeats, are not compared.
        if classified(f) || f.sentence.contains("上年") && f.change.is_none() && stated.0 != table
        {
            continue;
        }
        if seen.contains(&(key, stated.0)) {
            continue;
        }
        seen.push((key, stated.0));
        let ok = (stated.0 - table).abs() <= half_unit(&f.printed);
        out.push(check(
            RULE,
            Severity::Warning,
            ok,
            format!(
                "narrative states {key} {} {} the 三公 table's {} (page {}: \"{}\")",
                f.printed,
                if ok { "=" } else { "≠" },
                wan(table),
                f.page,
                f.sentence.chars().take(80).collect::<String>()
            ),
            vec![
                in_text(Some(key.to_string()), Some(f.page)),
                loc(ti, Some(ri), Some(key), Some(t.rows[ri].page)),
            ],
        ));
    }
}

/// The 公用经费 of the general budget's basic expenditure: the basic table's 合计 row.
fn public_costs(d: &Disclosure) -> Option<(Decimal, Location)> {
    tables_of(d, TableKind::GeneralBudgetBasicExpenditure).find_map(|(ti, t)| {
        let (ri, r) = total_row(t)?;
        Some((
            val(r, "public")?,
            loc(ti, Some(ri), Some("public"), Some(r.page)),
        ))
    })
}

/// The 机关运行经费 a table prints: its own table, or a column of the 三公 table (Shanghai).
fn operating_costs_table(d: &Disclosure) -> Option<(Decimal, Location)> {
    for kind in [TableKind::OperatingCosts, TableKind::ThreePublic] {
        for (ti, t) in tables_of(d, kind) {
            let hit = t.rows.iter().enumerate().find_map(|(ri, r)| {
                let v = val(r, "operating_costs").or_else(|| {
                    (kind == TableKind::OperatingCosts)
                        .then(|| val(r, "total"))
                        .flatten()
                })?;
                Some((v, loc(ti, Some(ri), Some("operating_costs"), Some(r.page))))
            });
            if hit.is_some() {
                return hit;
            }
        }
    }
    None
}

/// narrative.operating_costs: 机关运行经费 = its table; it is part of the 公用经费, never more.
fn operating_costs(d: &Disclosure, facts: &[Fact], out: &mut Vec<Check>) {
    const RULE: &str = "narrative.operating_costs";
    let Some(f) = facts
        .iter()
        .find(|f| f.key == "operating_costs" && f.amount.is_some() && !classified(f))
    else {
        out.push(info(RULE, "no 机关运行经费 stated"));
        return;
    };
    let Some(stated) = f.amount.map(|a| a.0) else {
        return;
    };
    let tol = half_unit(&f.printed);
    let quote = f.sentence.chars().take(80).collect::<String>();
    if let Some((table, at)) = operating_costs_table(d) {
        let ok = (stated - table).abs() <= tol;
        out.push(check(
            RULE,
            Severity::Warning,
            ok,
            format!(
                "机关运行经费 {} {} the table's {} (page {}: \"{quote}\")",
                f.printed,
                if ok { "=" } else { "≠" },
                wan(table),
                f.page
            ),
            vec![in_text(Some(f.key.clone()), Some(f.page)), at],
        ));
    }
    if let Some((public, at)) = public_costs(d) {
        let ok = stated <= public + tol;
        out.push(check(
            RULE,
            Severity::Warning,
            ok,
            format!(
                "机关运行经费 {} {} the 公用经费 {} of the basic expenditure (page {}: \"{quote}\")",
                f.printed,
                if ok { "≤" } else { "exceeds" },
                wan(public),
                f.page
            ),
            vec![in_text(Some(f.key.clone()), Some(f.page)), at],
        ));
    }
}

/// narrative.performance: "绩效目标 N 个项目, 共 X 万元" against the performance-target forms
/// the document prints (their count and the sum of their annual funds).
fn performance(d: &Disclosure, facts: &[Fact], out: &mut Vec<Check>) {
    const RULE: &str = "narrative.performance";
    let forms: Vec<(usize, &Table)> = d
        .tables
        .iter()
        .enumerate()
        .filter(|(_, t)| t.kind == TableKind::PerformanceTargets && !t.targets.is_empty())
        .collect();
    let targets: Vec<_> = forms.iter().flat_map(|(_, t)| &t.targets).collect();
    let Some(f) = facts.iter().find(|f| f.key == "performance_projects") else {
        out.push(info(
            RULE,
            "no count of projects with performance targets stated",
        ));
        return;
    };
    if targets.is_empty() {
        out.push(info(
            RULE,
            format!(
                "the narrative counts {} projects with targets; the file prints no target form (page {})",
                f.printed, f.page
            ),
        ));
        return;
    }
    let count = Decimal::from(targets.len());
    let sum: Option<Decimal> = targets
        .iter()
        .map(|t| t.funds_annual.total.map(|a| a.0))
        .sum();
    let mut problems = Vec::new();
    if let Some(n) = f.quantity.filter(|n| *n != count) {
        problems.push(format!("{n} projects stated, {count} forms printed"));
    }
    if let (Some(stated), Some(sum)) = (f.amount, sum) {
        let tol = half_unit(&f.printed) * Decimal::from(targets.len() + 1);
        if (stated.0 - sum).abs() > tol {
            problems.push(format!(
                "{} stated, the forms' 年度资金 sum to {}",
                wan(stated.0),
                wan(sum)
            ));
        }
    }
    // The forms are named so that a form the tables stage lost (a partial table) keeps the
    // finding out of the verdict.
    let mut at = vec![in_text(Some(f.key.clone()), Some(f.page))];
    at.extend(
        forms
            .iter()
            .map(|(ti, t)| loc(*ti, None, None, t.pages.first().copied())),
    );
    out.push(check(
        RULE,
        Severity::Warning,
        problems.is_empty(),
        format!(
            "绩效目标 {}: {} (page {})",
            f.printed,
            if problems.is_empty() {
                format!("{count} forms agree")
            } else {
                problems.join("; ")
            },
            f.page
        ),
        at,
    ));
}
