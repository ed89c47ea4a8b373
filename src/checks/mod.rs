//! The `checks` stage: the validation rules of `../shared/design/rules.md`, each a pure function
//! over the model returning findings with the locations of every value compared.
//!
//! Tolerance: published cells are rounded, so a sum of n printed figures may differ from its
//! printed total by up to n × half a unit of the last printed digit (0.005 万元 = 50 元 for 万元
//! with two decimals). It is computed from each table's printed precision, never a constant.

use crate::pdf::normalize::squash;
use rust_decimal::Decimal;

use crate::model::{
    Amount, Check, Disclosure, DocumentKind, Location, Row, RowRole, Severity, Side, Table,
    TableKind, Verdict,
};
use crate::narrative::comparisons::Comparison;
use crate::narrative::Fact;

pub fn verdict(checks: &[Check]) -> Verdict {
    let failed = |s: Severity| {
        checks
            .iter()
            .filter(|c| !c.passed && c.severity == s)
            .count()
    };
    let errors = failed(Severity::Error);
    let warnings = failed(Severity::Warning);
    Verdict {
        status: if errors > 0 {
            "errors"
        } else if warnings > 0 {
            "warnings"
        } else {
            "clean"
        }
        .into(),
        errors,
        warnings,
        passed: checks.iter().filter(|c| c.passed).count(),
    }
}

/// Run every rule.
pub fn run(d: &Disclosure, facts: &[Fact], comparisons: &[Comparison]) -> Vec<Check> {
    let mut out = Vec::new();
    summary_rules(d, &mut out);
    hierarchy_rollup(d, &mut out);
    table_total_row(d, &mut out);
    row_columns(d, &mut out);
    three_public_composition(d, &mut out);
    cross_rules(d, &mut out);
    narrative_rules(d, facts, &mut out);
    narrative_comparison(d, comparisons, &mut out);
    performance_funds(d, &mut out);
    completeness_rules(d, &mut out);
    out
}

// ---------- helpers ----------

/// Printed precision of a table: (half a unit of the last digit in yuan, unit factor, decimals).
fn precision(t: &Table) -> (Decimal, Decimal, u32) {
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
fn show(v: Decimal, t: &Table) -> String {
    let (_, factor, decimals) = precision(t);
    let mut x = v / factor;
    x = x.round_dp(decimals.max(2));
    x.rescale(decimals.max(if factor == Decimal::ONE { 2 } else { decimals }));
    format!("{}{}", x, t.amount_unit.as_deref().unwrap_or("元"))
}

fn val(r: &Row, key: &str) -> Option<Decimal> {
    r.values.get(key).copied().flatten().map(|a: Amount| a.0)
}

fn loc(ti: usize, ri: Option<usize>, column: Option<&str>, page: Option<usize>) -> Location {
    Location {
        table: Some(ti),
        row: ri,
        column: column.map(str::to_string),
        page,
    }
}

/// A location outside the tables: a narrative statement (column = the quantity it names) or the
/// cover (no page).
fn in_text(column: Option<String>, page: Option<usize>) -> Location {
    Location {
        table: None,
        row: None,
        column,
        page,
    }
}

fn check(
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

fn info(rule: &str, message: impl Into<String>) -> Check {
    Check {
        rule: rule.into(),
        severity: Severity::Info,
        passed: true,
        message: message.into(),
        locations: Vec::new(),
    }
}

fn tables_of(d: &Disclosure, kind: TableKind) -> impl Iterator<Item = (usize, &Table)> {
    d.tables
        .iter()
        .enumerate()
        .filter(move |(_, t)| t.kind == kind && !t.empty)
}

/// A sum compared with its stated total: pass/fail and a message.
#[allow(clippy::too_many_arguments)]
fn compare_sum(
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

// ---------- summary ----------

fn find_row<'a>(t: &'a Table, side: Side, words: &[&str]) -> Option<(usize, &'a Row)> {
    t.rows.iter().enumerate().find(|(_, r)| {
        r.side == Some(side) && r.group.is_none() && {
            let n = squash(&r.name);
            words.iter().any(|w| n.contains(w))
        }
    })
}

fn summary_rules(d: &Disclosure, out: &mut Vec<Check>) {
    match tables_of(d, TableKind::Summary).next() {
        Some((ti, t)) => summary_table_rules(d, ti, t, out),
        None => {
            for r in [
                "summary.balance",
                "summary.composition",
                "summary.side_sums",
            ] {
                out.push(info(r, "no summary table (收支总表) with figures"));
            }
        }
    }
    // The 财政拨款 summary balances and rolls forward the same way (年初/年末财政拨款结转和结余).
    if let Some((fi, f)) = tables_of(d, TableKind::FiscalAppropriationSummary).next() {
        let mut more = Vec::new();
        summary_table_rules(d, fi, f, &mut more);
        // Only findings: where its rows are not found, the summary's own info stands.
        out.extend(more.into_iter().filter(|c| c.severity != Severity::Info));
    }
}

fn summary_table_rules(d: &Disclosure, ti: usize, t: &Table, out: &mut Vec<Check>) {
    let is_final = matches!(
        d.document.kind,
        DocumentKind::DepartmentFinalAccount | DocumentKind::UnitFinalAccount
    );
    // 收入总计 / 支出总计; final accounts print a bare 总计 on each side.
    let grand = |side: Side, word: &str| {
        find_row(t, side, &[word]).or_else(|| {
            t.rows.iter().enumerate().find(|(_, r)| {
                r.side == Some(side) && r.group.is_none() && squash(&r.name) == "总计"
            })
        })
    };
    let income_total =
        grand(Side::Income, "收入总计").or_else(|| find_row(t, Side::Income, &["收入合计"]));
    let exp_total = grand(Side::Expenditure, "支出总计")
        .or_else(|| find_row(t, Side::Expenditure, &["支出合计"]));
    // summary.balance
    match (income_total, exp_total) {
        (Some((ia, a)), Some((ib, b))) => match (val(a, "total"), val(b, "total")) {
            (Some(x), Some(y)) => {
                let (half, _, _) = precision(t);
                let ok = (x - y).abs() <= half * Decimal::TWO;
                let rel = if ok { "=" } else { "≠" };
                out.push(check(
                    "summary.balance",
                    Severity::Error,
                    ok,
                    format!("{} {} {rel} {} {}", a.name, show(x, t), b.name, show(y, t)),
                    vec![
                        loc(ti, Some(ia), Some("total"), Some(a.page)),
                        loc(ti, Some(ib), Some("total"), Some(b.page)),
                    ],
                ));
            }
            _ => out.push(info("summary.balance", "收入总计 / 支出总计 not printed")),
        },
        _ => out.push(info(
            "summary.balance",
            "收入总计 / 支出总计 rows not found",
        )),
    }
    // summary.composition
    let mut composed = false;
    let income_parts: &[&[&str]] = if is_final {
        &[
            &["本年收入合计"],
            &["使用非财政拨款结余"],
            &["年初结转和结余", "年初财政拨款结转和结余"],
        ]
    } else {
        &[
            &["本年收入合计", "当年收入小计", "当年收入"],
            &["上年结转", "上年结余"],
        ]
    };
    let exp_parts: &[&[&str]] = if is_final {
        &[
            &["本年支出合计"],
            &["结余分配"],
            &["年末结转和结余", "年末财政拨款结转和结余"],
        ]
    } else {
        &[
            &["本年支出合计", "当年支出小计", "当年支出"],
            &["结转下年", "年终结转", "年末结转"],
        ]
    };
    for (side, total, parts) in [
        (Side::Income, income_total, income_parts),
        (Side::Expenditure, exp_total, exp_parts),
    ] {
        let Some((it, total_row)) = total else {
            continue;
        };
        let Some(stated) = val(total_row, "total") else {
            continue;
        };
        let mut values = Vec::new();
        let mut locs = vec![loc(ti, Some(it), Some("total"), Some(total_row.page))];
        let mut found_main = false;
        for (k, words) in parts.iter().enumerate() {
            if let Some((ri, r)) = find_row(t, side, words) {
                if ri == it {
                    continue;
                }
                if k == 0 {
                    found_main = true;
                }
                values.push(val(r, "total").unwrap_or_default());
                locs.push(loc(ti, Some(ri), Some("total"), Some(r.page)));
            }
        }
        if found_main {
            composed = true;
            let label = if side == Side::Income {
                "收入总计 = 本年收入 + 结转"
            } else {
                "支出总计 = 本年支出 + 结转"
            };
            compare_sum(
                out,
                "summary.composition",
                Severity::Error,
                t,
                label,
                stated,
                &values,
                locs,
            );
        }
    }
    if !composed {
        out.push(info(
            "summary.composition",
            "本年收入合计 / 本年支出合计 rows not found",
        ));
    }
    // summary.side_sums: items 一、二、… of each side add up to its 本年 subtotal.
    let mut any = false;
    for side in [Side::Income, Side::Expenditure] {
        let words: &[&str] = if side == Side::Income {
            &["本年收入合计", "当年收入小计", "本年收入小计"]
        } else {
            &["本年支出合计", "当年支出小计", "本年支出小计"]
        };
        let Some((si, sub)) = find_row(t, side, words) else {
            continue;
        };
        let Some(stated) = val(sub, "total") else {
            continue;
        };
        let items: Vec<(usize, &Row)> = t
            .rows
            .iter()
            .enumerate()
            .filter(|(i, r)| *i < si && r.group_index == sub.group_index && top_enumerated(&r.name))
            .collect();
        if items.is_empty() {
            continue;
        }
        any = true;
        let parts: Vec<Decimal> = items
            .iter()
            .map(|(_, r)| val(r, "total").unwrap_or_default())
            .collect();
        let mut locs = vec![loc(ti, Some(si), Some("total"), Some(sub.page))];
        locs.extend(
            items
                .iter()
                .map(|(i, r)| loc(ti, Some(*i), Some("total"), Some(r.page))),
        );
        compare_sum(
            out,
            "summary.side_sums",
            Severity::Error,
            t,
            &squash(&sub.name),
            stated,
            &parts,
            locs,
        );
    }
    if !any {
        out.push(info(
            "summary.side_sums",
            "no side subtotal with enumerated items",
        ));
    }
}

/// 一、 二、 … 三十、 (the top level of a summary side).
fn top_enumerated(name: &str) -> bool {
    let n = squash(name);
    let head: String = n
        .chars()
        .take_while(|c| "一二三四五六七八九十".contains(*c))
        .collect();
    !head.is_empty() && n[head.len()..].starts_with('、')
}

// ---------- hierarchy and totals ----------

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

fn three_public_composition(d: &Disclosure, out: &mut Vec<Check>) {
    let Some((ti, t)) = tables_of(d, TableKind::ThreePublic).next() else {
        out.push(info(
            "three_public.composition",
            "no 三公 table with figures",
        ));
        return;
    };
    let mut evaluated = false;
    // The 决算 table prints the identities twice: for 预算数 (`…_budget` keys) and 决算数.
    for suffix in ["", "_budget"] {
        let key = |k: &str| format!("{k}{suffix}");
        for (ri, r) in t.rows.iter().enumerate() {
            let total_key = if r.values.contains_key(&key("three_public")) {
                key("three_public")
            } else {
                key("total")
            };
            let parts = [key("outbound_travel"), key("reception"), key("vehicle")];
            let identities = [
                (
                    total_key.clone(),
                    parts.to_vec(),
                    "“三公”经费 = 出国 + 接待 + 公务用车",
                ),
                (
                    key("vehicle"),
                    vec![key("vehicle_purchase"), key("vehicle_operation")],
                    "公务用车 = 购置 + 运行",
                ),
            ];
            for (n, (total, parts, label)) in identities.iter().enumerate() {
                let Some(stated) = val(r, total) else {
                    continue;
                };
                let any_part = parts.iter().any(|k| val(r, k).is_some());
                // A 合计 that also adds 会议费 / 培训费 is not the 三公 sum.
                let applies = if n == 0 {
                    (any_part && !r.values.contains_key("meeting"))
                        || total.starts_with("three_public")
                } else {
                    any_part
                };
                if !applies {
                    continue;
                }
                let values: Vec<Decimal> = parts
                    .iter()
                    .map(|k| val(r, k).unwrap_or_default())
                    .collect();
                let mut locs = vec![loc(ti, Some(ri), Some(total), Some(r.page))];
                locs.extend(
                    parts
                        .iter()
                        .map(|k| loc(ti, Some(ri), Some(k), Some(r.page))),
                );
                evaluated = true;
                let label = if suffix.is_empty() {
                    label.to_string()
                } else {
                    format!("{label} (预算数)")
                };
                compare_sum(
                    out,
                    "three_public.composition",
                    Severity::Error,
                    t,
                    &label,
                    stated,
                    &values,
                    locs,
                );
            }
        }
    }
    if !evaluated {
        out.push(info(
            "three_public.composition",
            "三公 table has no component columns",
        ));
    }
}

// ---------- cross-table ----------

/// The table's 合计 row; a table of a single unnamed row (Jiangsu 支出预算总表 prints only the
/// totals) is its own total.
fn total_row(t: &Table) -> Option<(usize, &Row)> {
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

/// Two figures of two tables that must be equal (each possibly derived from its row).
fn cross_values(
    out: &mut Vec<Check>,
    rule: &str,
    severity: Severity,
    what: &str,
    (ta, a_t, ra, a_r, ka, x): (usize, &Table, usize, &Row, &str, Decimal),
    (tb, b_t, rb, b_r, kb, y): (usize, &Table, usize, &Row, &str, Decimal),
) {
    let (ha, _, _) = precision(a_t);
    let (hb, _, _) = precision(b_t);
    let ok = (x - y).abs() <= ha + hb;
    out.push(check(
        rule,
        severity,
        ok,
        format!(
            "{what}: {} {} {} {}",
            show(x, a_t),
            if ok { "=" } else { "≠" },
            show(y, b_t),
            b_t.title.as_deref().unwrap_or(b_t.kind.as_str())
        ),
        vec![
            loc(ta, Some(ra), Some(ka), Some(a_r.page)),
            loc(tb, Some(rb), Some(kb), Some(b_r.page)),
        ],
    ));
}

/// This year's income of an income-table row: its 本年收入 column, else 合计 less 上年结转 where
/// the table prints a carry-over column, else its 合计.
fn this_year_income(r: &Row) -> (&'static str, Option<Decimal>) {
    if let Some(v) = val(r, "current_income") {
        return ("current_income", Some(v));
    }
    match (val(r, "total"), val(r, "carryover")) {
        (Some(t), Some(c)) => ("total", Some(t - c)),
        (t, _) => ("total", t),
    }
}

/// The income-side 一般公共预算 rows of a fiscal-appropriation summary: this year's, and the one
/// under 上年结转 (a row naming both, or a 一般公共预算 row after a 上年结转 heading).
/// A row of a table with its index.
type Indexed<'a> = Option<(usize, &'a Row)>;

fn general_budget_income_rows(f: &Table) -> (Indexed<'_>, Indexed<'_>) {
    let mut current = None;
    let mut carried = None;
    let mut in_carryover = false;
    for (i, r) in f.rows.iter().enumerate() {
        if r.side != Some(Side::Income) {
            continue;
        }
        let n = squash(&r.name);
        let carry_word = n.contains("结转") || n.contains("结余");
        if n.contains("一般公共预算") {
            if carry_word || in_carryover {
                carried = carried.or(Some((i, r)));
            } else {
                current = current.or(Some((i, r)));
            }
        } else if carry_word {
            in_carryover = true;
        } else if r.role == RowRole::Total {
            in_carryover = false;
        }
    }
    (current, carried)
}

fn cross_rules(d: &Disclosure, out: &mut Vec<Check>) {
    let summary = tables_of(d, TableKind::Summary).next();
    let income = tables_of(d, TableKind::Income).next();
    let expenditure = tables_of(d, TableKind::Expenditure).next();
    let gb = tables_of(d, TableKind::GeneralBudgetExpenditure).next();
    let basic = tables_of(d, TableKind::GeneralBudgetBasicExpenditure).next();
    let fiscal = tables_of(d, TableKind::FiscalAppropriationSummary).next();
    let before = out.len();
    // cross.summary_income / cross.summary_expenditure: the summary's 本年 line of each side
    // equals the detail table's 合计.
    let sides = [
        (
            income,
            Side::Income,
            ["本年收入合计", "当年收入小计"],
            "cross.summary_income",
            "summary 本年收入合计 vs income table 合计",
        ),
        (
            expenditure,
            Side::Expenditure,
            ["本年支出合计", "当年支出小计"],
            "cross.summary_expenditure",
            "summary 本年支出合计 vs expenditure table 合计",
        ),
    ];
    for (detail, side, words, rule, what) in sides {
        let (Some((ts, s)), Some((td, t))) = (summary, detail) else {
            continue;
        };
        if let (Some((rs, r)), Some((rd, tr))) = (find_row(s, side, &words), total_row(t)) {
            // Like with like: an income table whose 合计 also counts 上年结转 is compared by its
            // 本年收入 (printed, or 合计 less 上年结转).
            let (key, value) = if side == Side::Income {
                this_year_income(tr)
            } else {
                ("total", val(tr, "total"))
            };
            if let (Some(x), Some(y)) = (val(r, "total"), value) {
                cross_values(
                    out,
                    rule,
                    Severity::Error,
                    what,
                    (ts, s, rs, r, "total", x),
                    (td, t, rd, tr, key, y),
                );
            }
        }
    }
    // cross.appropriation: the fiscal summary's 一般公共预算 (income side) = the general-budget table.
    // Like with like: where the fiscal summary prints its spending by source (本年支出合计 |
    // 一般公共预算), that spending is the general-budget table's 合计 (a final account's income
    // and spending of the year differ by the balance carried forward).
    let spent = fiscal.and_then(|(tf, f)| {
        let (ri, r) = find_row(f, Side::Expenditure, &["本年支出合计", "本年支出小计"])?;
        val(r, "general_budget").map(|v| (tf, f, ri, r, v))
    });
    if let (Some((tf, f, rf, r, x)), Some((tg, g))) = (spent, gb) {
        if let Some((rg, gt)) = total_row(g) {
            if let Some(y) = val(gt, "total") {
                cross_values(
                    out,
                    "cross.appropriation",
                    Severity::Error,
                    "财政拨款收支总表 本年支出 一般公共预算 vs 一般公共预算支出表 合计",
                    (tf, f, rf, r, "general_budget", x),
                    (tg, g, rg, gt, "total", y),
                );
            }
        }
    } else if let (Some((tf, f)), Some((tg, g))) = (fiscal, gb) {
        let (current, carried) = general_budget_income_rows(f);
        if let (Some((rf, r)), Some((rg, gt))) = (current, total_row(g)) {
            // The general-budget table may spend this year's appropriation only, or also the
            // general-budget money carried over (Chongqing, Hangzhou): its scope is the one its
            // figures match, and the message says which.
            let this_year = val(r, "total");
            let with_carry = carried
                .and_then(|(_, c)| val(c, "total"))
                .filter(|c| !c.is_zero())
                .and_then(|c| this_year.map(|t| t + c));
            let stated = val(gt, "total");
            let (ha, _, _) = precision(f);
            let (hb, _, _) = precision(g);
            let matches = |x: Option<Decimal>| matches!((x, stated), (Some(x), Some(y)) if (x - y).abs() <= ha + hb + ha);
            // Where neither scope matches, the nearer one is reported.
            let nearer_carry = match (this_year, with_carry, stated) {
                (Some(a), Some(b), Some(y)) => (b - y).abs() < (a - y).abs(),
                _ => false,
            };
            let (what, x) = if with_carry.is_some()
                && !matches(this_year)
                && (matches(with_carry) || nearer_carry)
            {
                (
                    "财政拨款收支总表 一般公共预算 本年收入 + 上年结转 vs 一般公共预算支出表 合计",
                    with_carry,
                )
            } else {
                (
                    "财政拨款收支总表 一般公共预算 vs 一般公共预算支出表 合计",
                    this_year,
                )
            };
            if let (Some(x), Some(y)) = (x, stated) {
                cross_values(
                    out,
                    "cross.appropriation",
                    Severity::Error,
                    what,
                    (tf, f, rf, r, "total", x),
                    (tg, g, rg, gt, "total", y),
                );
            }
        }
    }
    // cross.basic: the general-budget table's 基本支出 total = the basic table's grand total.
    if let (Some((tg, g)), Some((tb, b))) = (gb, basic) {
        if let (Some((rg, gt)), Some(bt)) = (total_row(g), b.basic_grand_total()) {
            if let Some(x) = val(gt, "basic") {
                let (ha, _, _) = precision(g);
                let (hb, _, _) = precision(b);
                let ok = (x - bt).abs() <= ha + hb * Decimal::TWO;
                let rows: Vec<Location> = b
                    .rows
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.role == RowRole::Total)
                    .map(|(i, r)| loc(tb, Some(i), Some("total"), Some(r.page)))
                    .collect();
                let mut locs = vec![loc(tg, Some(rg), Some("basic"), Some(gt.page))];
                locs.extend(rows);
                out.push(check(
                    "cross.basic",
                    Severity::Error,
                    ok,
                    format!(
                        "一般公共预算 基本支出 {} {} 基本支出表 合计 {}",
                        show(x, g),
                        if ok { "=" } else { "≠" },
                        show(bt, b)
                    ),
                    locs,
                ));
            }
        }
    }
    // cross.general_budget_subset: per code, general budget ≤ all funds.
    if let (Some((tg, g)), Some((te, e))) = (gb, expenditure) {
        let (hg, _, _) = precision(g);
        let (he, _, _) = precision(e);
        let mut n = 0;
        let mut bad = 0;
        for (rg, r) in g.rows.iter().enumerate() {
            let Some(code) = r.code.as_deref() else {
                continue;
            };
            let Some((re, er)) = e
                .rows
                .iter()
                .enumerate()
                .find(|(_, x)| x.code.as_deref() == Some(code))
            else {
                continue;
            };
            let (Some(x), Some(y)) = (val(r, "total"), val(er, "total")) else {
                continue;
            };
            n += 1;
            if x > y + hg + he {
                bad += 1;
                out.push(check(
                    "cross.general_budget_subset",
                    Severity::Warning,
                    false,
                    format!(
                        "{code} {}: general budget {} > all funds {}",
                        r.name,
                        show(x, g),
                        show(y, e)
                    ),
                    vec![
                        loc(tg, Some(rg), Some("total"), Some(r.page)),
                        loc(te, Some(re), Some("total"), Some(er.page)),
                    ],
                ));
            }
        }
        if n > 0 && bad == 0 {
            out.push(check(
                "cross.general_budget_subset",
                Severity::Warning,
                true,
                format!("{n} codes: general budget ≤ all funds"),
                Vec::new(),
            ));
        }
    }
    // cross.projects: Σ project table = the general-budget 项目支出 total.
    let projects: Vec<(usize, &Table)> = tables_of(d, TableKind::ProjectExpenditure).collect();
    if let (Some(&(tp, p)), Some(stated)) =
        (projects.first(), d.totals.general_budget_project_total)
    {
        let key = if p.columns.iter().any(|c| c == "general_budget") {
            "general_budget"
        } else {
            "total"
        };
        let values: Vec<(usize, Decimal)> = p
            .rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| val(r, key).map(|v| (i, v)))
            .collect();
        // A first row that sums the rest is the unit's own line above its projects.
        let rest: Decimal = values.iter().skip(1).map(|(_, v)| *v).sum();
        let (half, _, _) = precision(p);
        let sum = match values.first() {
            Some((_, first))
                if values.len() > 2
                    && (*first - rest).abs() <= half * Decimal::from(values.len()) =>
            {
                *first
            }
            _ => values.iter().map(|(_, v)| *v).sum(),
        };
        let ok = (sum - stated.0).abs() <= half * Decimal::from(values.len().max(1));
        let mut locs: Vec<Location> = values
            .iter()
            .map(|(i, _)| loc(tp, Some(*i), Some(key), p.rows.get(*i).map(|r| r.page)))
            .collect();
        locs.truncate(20);
        out.push(check(
            "cross.projects",
            Severity::Warning,
            ok,
            format!(
                "Σ projects {} {} 项目支出 {}",
                show(sum, p),
                if ok { "=" } else { "≠" },
                show(stated.0, p)
            ),
            locs,
        ));
    }
    if out.len() == before {
        out.push(info("cross.summary_income", "no pair of tables to compare"));
    }
}

// ---------- narrative ----------

/// The table quantity a narrative fact speaks of, with where it comes from.
fn table_value(d: &Disclosure, key: &str) -> Option<(Decimal, Location)> {
    let totals = &d.totals;
    let pick = |v: Option<Amount>, kind: TableKind| -> Option<(Decimal, Location)> {
        let a = v?;
        let (ti, t) = d
            .tables
            .iter()
            .enumerate()
            .find(|(_, t)| t.kind == kind && !t.empty)?;
        Some((a.0, loc(ti, None, None, t.pages.first().copied())))
    };
    match key {
        "income_total" => pick(totals.income_total, TableKind::Summary),
        "expenditure_total" => pick(totals.expenditure_total, TableKind::Summary),
        "general_budget_expenditure" => pick(
            totals.general_budget_expenditure_total,
            TableKind::GeneralBudgetExpenditure,
        ),
        // 基本支出 / 项目支出 in the narrative are of all funds: the expenditure table's 合计 row,
        // else the general-budget figures.
        "basic" | "project" => {
            let from_expenditure = d
                .tables
                .iter()
                .enumerate()
                .find(|(_, t)| t.kind == TableKind::Expenditure && !t.empty)
                .and_then(|(ti, t)| {
                    let (_, r) = total_row(t)?;
                    Some((
                        val(r, key)?,
                        loc(ti, None, Some(key), t.pages.first().copied()),
                    ))
                });
            from_expenditure.or_else(|| {
                if key == "basic" {
                    pick(
                        totals.general_budget_basic_total,
                        TableKind::GeneralBudgetExpenditure,
                    )
                    .or_else(|| {
                        pick(
                            totals.general_budget_basic_total,
                            TableKind::GeneralBudgetBasicExpenditure,
                        )
                    })
                } else {
                    pick(
                        totals.general_budget_project_total,
                        TableKind::GeneralBudgetExpenditure,
                    )
                }
            })
        }
        "three_public" => pick(totals.three_public_total, TableKind::ThreePublic),
        "general_budget_basic" => pick(
            totals.general_budget_basic_total,
            TableKind::GeneralBudgetExpenditure,
        )
        .or_else(|| {
            pick(
                totals.general_budget_basic_total,
                TableKind::GeneralBudgetBasicExpenditure,
            )
        }),
        "general_budget_project" => pick(
            totals.general_budget_project_total,
            TableKind::GeneralBudgetExpenditure,
        ),
        "fiscal_appropriation_total" => {
            // The appropriation the income table states (一般公共预算 + 政府性基金 + 国有资本).
            let (ti, t) = d
                .tables
                .iter()
                .enumerate()
                .find(|(_, t)| t.kind == TableKind::Income && !t.empty)?;
            let (_, r) = total_row(t)?;
            let parts = ["general_budget", "gov_fund", "state_capital"];
            let v: Decimal = parts.iter().filter_map(|k| val(r, k)).sum();
            parts
                .iter()
                .any(|k| val(r, k).is_some())
                .then(|| (v, loc(ti, None, None, t.pages.first().copied())))
        }
        _ => None,
    }
}

fn narrative_rules(d: &Disclosure, facts: &[Fact], out: &mut Vec<Check>) {
    let mut amounts = 0;
    for f in facts {
        let key = match f.key.as_str() {
            "general_budget_expenditure" | "general_budget" if f.sentence.contains("支出") => {
                "general_budget_expenditure"
            }
            k => k,
        };
        // A sentence about one 类 / 款 of the classification speaks of that line, not the total.
        if ["(类)", "（类）", "(款)", "（款）", "(项)", "（项）"]
            .iter()
            .any(|m| f.sentence.contains(m))
        {
            continue;
        }
        let (Some(stated), Some((table, location))) = (f.amount, table_value(d, key)) else {
            continue;
        };
        amounts += 1;
        // Half a unit of the narrative's own last printed digit.
        let decimals = f
            .printed
            .split_once('.')
            .map(|(_, r)| r.chars().take_while(|c| c.is_ascii_digit()).count() as u32)
            .unwrap_or(0);
        let factor = if f.printed.contains("亿") {
            Decimal::from(100_000_000)
        } else if f.printed.contains("万") {
            Decimal::from(10_000)
        } else {
            Decimal::ONE
        };
        let tol = Decimal::new(5, decimals + 1) * factor;
        let ok = (stated.0 - table).abs() <= tol;
        let shown_table = (table / factor).round_dp(decimals.max(2));
        out.push(check(
            "narrative.amounts",
            Severity::Warning,
            ok,
            format!(
                "narrative states {} {}{} the tables' {}{} (page {}: \"{}\")",
                key,
                f.printed,
                if ok { " =" } else { ", but ≠" },
                shown_table,
                if factor == Decimal::ONE {
                    "元"
                } else if factor == Decimal::from(10_000) {
                    "万元"
                } else {
                    "亿元"
                },
                f.page,
                f.sentence.chars().take(80).collect::<String>()
            ),
            vec![in_text(Some(key.to_string()), Some(f.page)), location],
        ));
    }
    if amounts == 0 {
        out.push(info(
            "narrative.amounts",
            "no narrative amount to compare with the tables",
        ));
    }
    // narrative.change: X and Y% agree with each other and with the stated current amount.
    let mut changes = 0;
    for f in facts {
        let (Some(c), Some(current)) = (&f.change, f.amount) else {
            continue;
        };
        let (Some(x), Some(pct)) = (c.amount, c.percent) else {
            continue;
        };
        changes += 1;
        let signed = if c.direction == "decrease" { -x.0 } else { x.0 };
        let prior = current.0 - signed;
        let ok = if prior.is_zero() {
            true
        } else {
            let expected = (signed / prior * Decimal::from(100)).abs();
            let pct_decimals = c
                .printed
                .rsplit_once('.')
                .map(|(_, r)| r.chars().take_while(|ch| ch.is_ascii_digit()).count() as u32)
                .unwrap_or(0);
            let tol = Decimal::new(5, pct_decimals + 1) + Decimal::new(1, 1);
            (expected - pct).abs() <= tol
        };
        let direction_ok = match c.direction.as_str() {
            "flat" => x.0.is_zero(),
            _ => !x.0.is_zero() || pct.is_zero(),
        };
        out.push(check(
            "narrative.change",
            Severity::Warning,
            ok && direction_ok,
            format!("{} {}: {} (page {})", f.key, f.printed, c.printed, f.page),
            vec![in_text(Some(f.key.clone()), Some(f.page))],
        ));
    }
    if changes == 0 {
        out.push(info(
            "narrative.change",
            "no year-on-year change stated with both amount and percent",
        ));
    }
    // narrative.shares: 占 P% = part / whole, the whole being the sentence's first amount.
    let mut shares = 0;
    // The whole is the first fact of the sentence (linear: remember where each sentence starts).
    let mut first_of_sentence: Option<&Fact> = None;
    for f in facts {
        if first_of_sentence.is_none_or(|g| g.sentence != f.sentence) {
            first_of_sentence = Some(f);
            continue;
        }
        let (Some(p), Some(part)) = (f.share_percent, f.amount) else {
            continue;
        };
        let Some(whole) = first_of_sentence.and_then(|g| g.amount) else {
            continue;
        };
        shares += 1;
        let ok = if whole.0.is_zero() {
            part.0.is_zero()
        } else {
            let expected = part.0 / whole.0 * Decimal::from(100);
            (expected - p).abs() <= Decimal::new(6, 2) + Decimal::new(1, 1)
        };
        out.push(check(
            "narrative.shares",
            Severity::Warning,
            ok,
            format!(
                "{} {} 占 {}% of {} (page {})",
                f.key, f.printed, p, whole, f.page
            ),
            vec![in_text(Some(f.key.clone()), Some(f.page))],
        ));
    }
    if shares == 0 {
        out.push(info("narrative.shares", "no share stated"));
    }
}

/// 万元 with two decimals for messages about narrative amounts.
fn wan(v: Decimal) -> String {
    let mut x = v / Decimal::from(10_000);
    x.rescale(2);
    format!("{x}万元")
}

/// The 三公 table's figure for `key` (决算数) or `key_budget` (预算数), with its location.
fn three_public_value(d: &Disclosure, key: &str) -> Option<(Decimal, Location)> {
    let (ti, t) = tables_of(d, TableKind::ThreePublic).next()?;
    let (ri, r) = t
        .rows
        .iter()
        .enumerate()
        .find(|(_, r)| r.values.get(key).copied().flatten().is_some())?;
    let v = r.values.get(key).copied().flatten()?.0;
    Some((v, loc(ti, Some(ri), Some(key), Some(r.page))))
}

/// `part / whole × 100`, or None for a zero whole or a quotient out of range.
fn percent(part: Decimal, whole: Decimal) -> Option<Decimal> {
    part.checked_div(whole)?.checked_mul(Decimal::ONE_HUNDRED)
}

/// narrative.comparison: 完成…预算的 R% agrees with 决算 / 预算; 决算数大于/小于/持平预算数 agrees with
/// the two amounts; for 三公 the stated budget equals the table's 预算数.
fn narrative_comparison(d: &Disclosure, comparisons: &[Comparison], out: &mut Vec<Check>) {
    const RULE: &str = "narrative.comparison";
    let mut evaluated = 0;
    for c in comparisons {
        let Some(fin) = c.final_amount.map(|a| a.0) else {
            continue;
        };
        let h = c.half_unit.0;
        let here = vec![in_text(c.key.clone(), Some(c.page))];
        let quote = format!("(page {}: \"{}\")", c.page, c.sentence);
        let subject = if c.subject.is_empty() {
            "statement".to_string()
        } else {
            c.subject.clone()
        };
        // 三公 and its items: the table's 预算数 / 决算数 for the same key.
        let three_public_key = c.key.as_deref().filter(|k| {
            matches!(
                *k,
                "three_public" | "outbound_travel" | "reception" | "vehicle"
            )
        });
        let table_budget =
            three_public_key.and_then(|k| three_public_value(d, &format!("{k}_budget")));
        let table_final = three_public_key.and_then(|k| three_public_value(d, k));
        let budget_for = |basis: Option<&str>| -> Option<(Decimal, &'static str)> {
            let initial = c.initial_budget.map(|a| (a.0, "年初预算"));
            let full = c.full_year_budget.map(|a| (a.0, "全年预算"));
            let table = table_budget.as_ref().map(|(v, _)| (*v, "表列预算数"));
            match basis {
                Some("年初预算") => initial,
                Some("全年预算") | Some("调整预算") => full,
                _ => full.or(initial).or(table),
            }
        };
        // The completion rate.
        if let Some(rate) = c.completion_percent {
            let basis = c.completion_basis.as_deref();
            match budget_for(basis) {
                // 0 of 0 is the convention "0.00%": nothing to check.
                Some((b, _)) if b.is_zero() && fin.is_zero() => {}
                Some((b, _)) if b.is_zero() => {
                    evaluated += 1;
                    let other = c.full_year_budget.map(|f| f.0).filter(|f| {
                        percent(fin, *f).is_some_and(|p| (p - rate).abs() < Decimal::new(1, 1))
                    });
                    out.push(check(
                        RULE,
                        Severity::Warning,
                        false,
                        format!(
                            "{subject}: 完成{}的 {rate}% but that budget is 0{} {quote}",
                            basis.unwrap_or("预算"),
                            other
                                .map(|f| format!(" (the rate is of 全年预算 {})", wan(f)))
                                .unwrap_or_default()
                        ),
                        here.clone(),
                    ));
                }
                Some((b, name)) => {
                    let Some(computed) = percent(fin, b) else {
                        continue;
                    };
                    evaluated += 1;
                    // One unit of the rate's last printed digit (publications round or truncate)
                    // plus what the rounding of the two amounts moves the quotient.
                    let decimals = rate.scale();
                    // (h / b + F·h / b²) · 100, computed without overflow on absurd figures.
                    let spread = percent(h, b)
                        .zip(
                            percent(h, b)
                                .zip(fin.checked_div(b))
                                .and_then(|(x, q)| x.checked_mul(q)),
                        )
                        .and_then(|(a, c)| a.checked_add(c))
                        .unwrap_or(Decimal::MAX);
                    let tol = Decimal::new(1, decimals).saturating_add(spread);
                    let ok = (computed - rate).abs() <= tol;
                    let mut shown = computed;
                    shown.rescale(decimals);
                    out.push(check(
                        RULE,
                        Severity::Warning,
                        ok,
                        format!(
                            "{subject}: 决算 {} / {name} {} = {shown}%, stated {rate}% {quote}",
                            wan(fin),
                            wan(b)
                        ),
                        here.clone(),
                    ));
                }
                None => {}
            }
        }
        // The comparison word.
        if let Some(rel) = c.stated_relation.as_deref() {
            if let Some((b, name)) = budget_for(c.relation_basis.as_deref()) {
                evaluated += 1;
                // Within the rounding of two printed figures the words cannot be wrong, except 持平
                // beside figures that differ by more.
                let tol = h * Decimal::TWO;
                let close = (fin - b).abs() <= tol;
                let holds = match rel {
                    "greater" => fin > b || close,
                    "less" => fin < b || close,
                    _ => close,
                };
                let word = |r: &str| match r {
                    "greater" => "大于",
                    "less" => "小于",
                    _ => "等于",
                };
                out.push(check(
                    RULE,
                    Severity::Warning,
                    holds,
                    format!(
                        "{subject}: says 决算数{}预算数; 决算 {} vs {name} {} {quote}",
                        word(rel),
                        wan(fin),
                        wan(b)
                    ),
                    here.clone(),
                ));
            }
        }
        // 三公 outcome and budget stated in the narrative vs the table's 决算数 / 预算数.
        let stated_budget = c.initial_budget.or(c.full_year_budget).map(|a| a.0);
        for (stated, table, what, column) in [
            (Some(fin), &table_final, "决算", "决算数"),
            (stated_budget, &table_budget, "budget", "预算数"),
        ] {
            let (Some(stated), Some((tv, tloc))) = (stated, table) else {
                continue;
            };
            evaluated += 1;
            let ok = (stated - tv).abs() <= h * Decimal::TWO;
            let mut locs = here.clone();
            locs.push(tloc.clone());
            out.push(check(
                RULE,
                Severity::Warning,
                ok,
                format!(
                    "{subject}: narrative {what} {} vs 三公 table {column} {} {quote}",
                    wan(stated),
                    wan(*tv)
                ),
                locs,
            ));
        }
    }
    if evaluated == 0 {
        out.push(info(
            RULE,
            if matches!(
                d.document.kind,
                DocumentKind::DepartmentBudget | DocumentKind::UnitBudget
            ) {
                "budget documents compare no budget and final figures"
            } else {
                "no budget-versus-outcome statement in the narrative"
            },
        ));
    }
}

// ---------- completeness ----------

fn completeness_rules(d: &Disclosure, out: &mut Vec<Check>) {
    let is_budget = matches!(
        d.document.kind,
        DocumentKind::DepartmentBudget | DocumentKind::UnitBudget
    );
    let is_final = matches!(
        d.document.kind,
        DocumentKind::DepartmentFinalAccount | DocumentKind::UnitFinalAccount
    );
    let part = d.document.part.as_deref();
    if d.tables.is_empty() {
        out.push(info(
            "completeness.tables",
            "the document holds no tables (a narrative-only publication?)",
        ));
    } else if matches!(part, Some("notes" | "performance_targets")) {
        out.push(info(
            "completeness.tables",
            format!(
                "a {} file: the disclosure's tables are in another file (same disclosure_id)",
                part.unwrap_or_default()
            ),
        ));
    } else if d.document.template {
        out.push(info(
            "completeness.tables",
            "a blank template: its tables are structure only",
        ));
    } else if is_budget || is_final {
        let required: &[(TableKind, &str)] = if is_budget {
            &[
                (TableKind::Summary, "收支总表"),
                (TableKind::Income, "收入总表"),
                (TableKind::Expenditure, "支出总表"),
                (TableKind::FiscalAppropriationSummary, "财政拨款收支总表"),
                (TableKind::GeneralBudgetExpenditure, "一般公共预算支出表"),
                (
                    TableKind::GeneralBudgetBasicExpenditure,
                    "一般公共预算基本支出表",
                ),
                (TableKind::ThreePublic, "“三公”经费支出表"),
            ]
        } else {
            // The nine tables of a 部门决算 disclosure.
            &[
                (TableKind::Summary, "收入支出决算总表"),
                (TableKind::Income, "收入决算表"),
                (TableKind::Expenditure, "支出决算表"),
                (
                    TableKind::FiscalAppropriationSummary,
                    "财政拨款收入支出决算总表",
                ),
                (
                    TableKind::GeneralBudgetExpenditure,
                    "一般公共预算财政拨款支出决算表",
                ),
                (
                    TableKind::GeneralBudgetBasicExpenditure,
                    "一般公共预算财政拨款基本支出决算表",
                ),
                (TableKind::ThreePublic, "财政拨款“三公”经费支出决算表"),
                (
                    TableKind::GovFundExpenditure,
                    "政府性基金预算财政拨款收入支出决算表",
                ),
                (
                    TableKind::StateCapital,
                    "国有资本经营预算财政拨款收入支出决算表",
                ),
            ]
        };
        for &(kind, name) in required {
            match d.tables.iter().enumerate().find(|(_, t)| t.kind == kind) {
                None => out.push(check(
                    "completeness.tables",
                    Severity::Warning,
                    false,
                    format!("required table {name} is missing"),
                    Vec::new(),
                )),
                Some((ti, t)) => {
                    let ok = !t.empty || t.note.is_some();
                    out.push(check(
                        "completeness.tables",
                        Severity::Warning,
                        ok,
                        if ok {
                            format!("{name} present")
                        } else {
                            format!("{name} is empty without a note saying so")
                        },
                        vec![loc(ti, None, None, t.pages.first().copied())],
                    ));
                }
            }
        }
    }
    // completeness.year: every year printed in a table title is the fiscal year.
    if let Some(year) = d.document.fiscal_year {
        let mut bad = 0;
        for (ti, t) in d.tables.iter().enumerate() {
            let title = t.title.clone().unwrap_or_default();
            for y in years_in(&title) {
                if y != year {
                    bad += 1;
                    out.push(check(
                        "completeness.year",
                        Severity::Warning,
                        false,
                        format!("table \"{title}\" says {y}, the document is for {year}"),
                        vec![loc(ti, None, None, t.pages.first().copied())],
                    ));
                }
            }
        }
        if bad == 0 {
            out.push(check(
                "completeness.year",
                Severity::Warning,
                true,
                format!("one fiscal year ({year}) throughout"),
                Vec::new(),
            ));
        }
    } else {
        out.push(info("completeness.year", "fiscal year not found"));
    }
    // completeness.placeholders
    let mut found = Vec::new();
    let mut look = |text: &str, l: Location| {
        let t = squash(text);
        if t.contains("XX")
            || t.contains("××")
            || t.contains("待填写")
            || t.contains("xx")
            || t.contains("XXX")
        {
            found.push((text.to_string(), l));
        }
    };
    if let Some(u) = &d.document.unit_name {
        look(u, in_text(None, None));
    }
    if let Some(t) = &d.document.title {
        look(t, in_text(None, None));
    }
    for (ti, t) in d.tables.iter().enumerate() {
        for (ri, r) in t.rows.iter().enumerate() {
            look(&r.name, loc(ti, Some(ri), None, Some(r.page)));
            for raw in r.raw.values() {
                look(raw, loc(ti, Some(ri), None, Some(r.page)));
            }
        }
    }
    if found.is_empty() {
        out.push(check(
            "completeness.placeholders",
            Severity::Warning,
            true,
            "no placeholders".into(),
            Vec::new(),
        ));
    } else {
        let texts: Vec<String> = found.iter().take(5).map(|(t, _)| t.clone()).collect();
        out.push(check(
            "completeness.placeholders",
            Severity::Warning,
            false,
            format!(
                "{} placeholder text(s) left, e.g. {}",
                found.len(),
                texts.join(", ")
            ),
            found.into_iter().map(|(_, l)| l).take(50).collect(),
        ));
    }
}

fn years_in(s: &str) -> Vec<i32> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    for i in 0..chars.len().saturating_sub(4) {
        let w: String = chars
            .get(i..i + 4)
            .map(|c| c.iter().collect())
            .unwrap_or_default();
        let before_digit = i > 0 && chars.get(i - 1).is_some_and(|c| c.is_ascii_digit());
        if w.starts_with("20")
            && w.chars().all(|c| c.is_ascii_digit())
            && !before_digit
            && chars.get(i + 4) == Some(&'年')
        {
            if let Ok(y) = w.parse() {
                out.push(y);
            }
        }
    }
    out
}

/// performance.funds (beyond rules.md): on a performance-target form, each funds column's 资金总额
/// equals the sum of its sources (中央 + 省级 + 市县 + 单位自筹 + 其他).
fn performance_funds(d: &Disclosure, out: &mut Vec<Check>) {
    const RULE: &str = "performance.funds";
    let mut evaluated = 0;
    for (ti, t) in d.tables.iter().enumerate() {
        for p in &t.targets {
            for (label, f) in [("实施期", &p.funds_period), ("年度", &p.funds_annual)] {
                let Some(total) = f.total else { continue };
                let parts: Vec<Decimal> =
                    [f.central, f.provincial, f.local, f.self_raised, f.other]
                        .iter()
                        .flatten()
                        .map(|a| a.0)
                        .collect();
                if parts.is_empty() {
                    continue;
                }
                evaluated += 1;
                // Half a unit of the last printed digit per figure (forms print whole yuan or 万元).
                let decimals = f
                    .raw
                    .values()
                    .map(|r| r.split_once('.').map(|(_, d)| d.len() as u32).unwrap_or(0))
                    .max()
                    .unwrap_or(0);
                let factor = p
                    .funds_unit
                    .as_deref()
                    .and_then(crate::tables::amount::unit_factor)
                    .unwrap_or(Decimal::ONE);
                let half = Decimal::new(5, decimals + 1) * factor;
                let sum: Decimal = parts.iter().sum();
                let ok = (sum - total.0).abs() <= half * Decimal::from(parts.len() + 1);
                out.push(check(
                    RULE,
                    Severity::Warning,
                    ok,
                    format!(
                        "{} {label}资金总额 {} {} Σ sources {} (元)",
                        p.project_name.as_deref().unwrap_or("form"),
                        total,
                        if ok { "=" } else { "≠" },
                        Amount(sum)
                    ),
                    vec![loc(ti, None, Some("funds"), p.pages.first().copied())],
                ));
            }
        }
    }
    if evaluated == 0 {
        out.push(info(RULE, "no performance-target form with funds"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enumerated_items_and_years() {
        assert!(top_enumerated("一、一般公共预算"));
        assert!(top_enumerated("二十三、灾害防治及应急管理支出"));
        assert!(!top_enumerated("1.一般公共预算"));
        assert!(!top_enumerated("上年结转"));
        assert_eq!(years_in("2024年预算收支总表"), vec![2024]);
        assert_eq!(years_in("表12024年"), Vec::<i32>::new());
    }
}
