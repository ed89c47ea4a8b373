//! narrative.comparison: the narrative's budget-versus-outcome statements (completion rates,
//! 大于/小于/持平 words, 三公 figures) agree with the amounts they compare.

use rust_decimal::Decimal;

use super::ctx::{check, in_text, info, loc, tables_of, wan};
use super::{Ctx, Rule};
use crate::model::{Check, Disclosure, DocumentKind, Location, Severity, TableKind};
use crate::narrative::comparisons::Comparison;

/// narrative.comparison.
pub struct NarrativeComparison;

impl Rule for NarrativeComparison {
    fn family(&self) -> &'static str {
        "narrative.comparison"
    }

    fn eval(&self, cx: &Ctx, out: &mut Vec<Check>) {
        narrative_comparison(cx.d, cx.comparisons, out);
    }
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
