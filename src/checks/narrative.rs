//! narrative.amounts, narrative.change, narrative.shares: the amounts, year-on-year changes and
//! shares the narrative states agree with the tables and with themselves.

use rust_decimal::Decimal;

use super::ctx::{check, in_text, info, loc, total_row, val};
use super::{Ctx, Rule};
use crate::model::{Amount, Check, Disclosure, Location, Severity, TableKind};
use crate::narrative::Fact;

/// narrative.amounts, narrative.change, narrative.shares.
pub struct Narrative;

impl Rule for Narrative {
    fn family(&self) -> &'static str {
        "narrative"
    }

    fn eval(&self, cx: &Ctx, out: &mut Vec<Check>) {
        narrative_rules(cx.d, cx.facts, out);
    }
}

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
        // The figure of the table in the wrong unit (774.48元 for 774.48万元): its own finding.
        if !ok {
            if let Some(m) = super::magnitude::finding(
                stated.0,
                table,
                tol,
                &f.printed,
                &f.sentence,
                f.page,
                vec![
                    in_text(Some(key.to_string()), Some(f.page)),
                    location.clone(),
                ],
            ) {
                out.push(m);
                continue;
            }
        }
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
