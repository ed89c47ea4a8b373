//! Statements of the template beyond the tables' quantities: the 政府采购 total and its parts
//! (narrative.procurement), and the shares a statement gives of one whole (the 类 of the
//! 一般公共预算 structure: each share against its amount, narrative.shares; all of them summing
//! to about 100%, narrative.shares_total), and the years the statements compare with
//! (narrative.year_reference; the item statements' own are checked with the items).

use rust_decimal::Decimal;

use super::ctx::{check, half_unit, in_text, info, wan};
use super::{Ctx, Rule};
use crate::model::{Check, Disclosure, DocumentKind, Severity};
use crate::narrative::items::Item;
use crate::narrative::Fact;

/// narrative.procurement, narrative.shares (of the 类 structure), narrative.shares_total.
pub struct Statements;

impl Rule for Statements {
    fn family(&self) -> &'static str {
        "narrative.statements"
    }

    fn eval(&self, cx: &Ctx, out: &mut Vec<Check>) {
        procurement(cx.facts, out);
        structure_shares(cx.items, out);
        year_references(cx.d, cx.facts, out);
    }
}

/// narrative.procurement: each 政府采购 total = its 货物 + 工程 + 服务 that follow it (a part
/// the text leaves out counts as zero when at least two are printed).
fn procurement(facts: &[Fact], out: &mut Vec<Check>) {
    const RULE: &str = "narrative.procurement";
    let mut groups: Vec<(&Fact, Vec<&Fact>)> = Vec::new();
    for f in facts {
        match f.key.as_str() {
            "procurement_total" => groups.push((f, Vec::new())),
            "procurement_goods" | "procurement_works" | "procurement_services" => {
                if let Some((_, parts)) = groups.last_mut() {
                    if !parts.iter().any(|p| p.key == f.key) {
                        parts.push(f);
                    }
                }
            }
            _ => {}
        }
    }
    let mut evaluated = 0;
    for (total, parts) in &groups {
        let (Some(t), true) = (total.amount, parts.len() >= 2) else {
            continue;
        };
        let amounts: Vec<Decimal> = parts.iter().filter_map(|p| p.amount.map(|a| a.0)).collect();
        if amounts.len() != parts.len() {
            continue;
        }
        evaluated += 1;
        let sum: Decimal = amounts.iter().sum();
        let tol = half_unit(&total.printed)
            + parts.iter().map(|p| half_unit(&p.printed)).sum::<Decimal>();
        let ok = (sum - t.0).abs() <= tol;
        let shown: Vec<String> = parts
            .iter()
            .map(|p| {
                let name = match p.key.as_str() {
                    "procurement_goods" => "货物",
                    "procurement_works" => "工程",
                    _ => "服务",
                };
                format!("{name} {}", p.printed)
            })
            .collect();
        out.push(check(
            RULE,
            Severity::Warning,
            ok,
            format!(
                "政府采购 {} {} {} = {} (page {}: \"{}\")",
                total.printed,
                if ok { "=" } else { "≠" },
                shown.join(" + "),
                wan(sum),
                total.page,
                total.sentence.chars().take(90).collect::<String>()
            ),
            vec![in_text(Some(total.key.clone()), Some(total.page))],
        ));
    }
    if evaluated == 0 {
        out.push(info(RULE, "no 政府采购 total stated with its parts"));
    }
}

/// Consecutive 类 statements that each give a share: one structure of one whole.
fn share_groups(items: &[Item]) -> Vec<&[Item]> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < items.len() {
        let starts = |it: &Item| it.level == 1 && it.share_percent.is_some();
        if !starts(&items[i]) {
            i += 1;
            continue;
        }
        let n = items[i..].iter().take_while(|it| starts(it)).count();
        if n >= 2 {
            out.push(&items[i..i + n]);
        }
        i += n;
    }
    out
}

/// narrative.shares for the 类 structure, and narrative.shares_total (info).
fn structure_shares(items: &[Item], out: &mut Vec<Check>) {
    let hundred = Decimal::ONE_HUNDRED;
    for group in share_groups(items) {
        let shares: Decimal = group.iter().filter_map(|it| it.share_percent).sum();
        // Each printed share is rounded: the sum may miss 100 by half a unit of each.
        let slack: Decimal = group
            .iter()
            .filter_map(|it| it.share_percent)
            .map(|p| Decimal::new(5, p.scale() + 1))
            .sum::<Decimal>()
            .max(Decimal::new(1, 1));
        let complete = (shares - hundred).abs() <= slack;
        let first = &group[0];
        out.push(check(
            "narrative.shares_total",
            Severity::Info,
            complete,
            format!(
                "{} shares of one structure sum to {shares}% (page {}: \"{}\")",
                group.len(),
                first.page,
                first.sentence.chars().take(60).collect::<String>()
            ),
            vec![in_text(None, Some(first.page))],
        ));
        if (shares - hundred).abs() > Decimal::new(15, 1) {
            continue; // not every 类 is listed: the whole is not their sum
        }
        let amounts: Vec<Option<Decimal>> = group
            .iter()
            .map(|it| {
                it.amount("this_year")
                    .or_else(|| it.amount("final"))
                    .map(|a| a.amount.0)
            })
            .collect();
        let Some(whole) = amounts.iter().copied().sum::<Option<Decimal>>() else {
            continue;
        };
        if whole.is_zero() {
            continue;
        }
        for (it, amount) in group.iter().zip(&amounts) {
            let (Some(p), Some(a)) = (it.share_percent, amount) else {
                continue;
            };
            let expected = *a / whole * hundred;
            let unit = Decimal::new(1, p.scale());
            let ok = (expected - p).abs() <= unit;
            out.push(check(
                "narrative.shares",
                Severity::Warning,
                ok,
                format!(
                    "{}(类) {} 占 {p}% of {} ({}%) (page {})",
                    it.class_name.as_deref().unwrap_or(""),
                    wan(*a),
                    wan(whole),
                    expected.round_dp(2),
                    it.page
                ),
                vec![in_text(Some("item".to_string()), Some(it.page))],
            ));
        }
    }
}

/// The years a sentence compares with: "比2025年执行数", "与2023年度相比" → (year, the words after).
fn compared_years(sentence: &str) -> Vec<(i32, &str)> {
    let mut out = Vec::new();
    for word in ["比", "与", "较", "同"] {
        for (i, _) in sentence.match_indices(word) {
            let rest = sentence[i + word.len()..].trim_start();
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let after = &rest[digits.len()..];
            if digits.len() != 4 || !after.starts_with('年') {
                continue;
            }
            if let Ok(y) = digits.parse::<i32>() {
                let after = after.trim_start_matches('年').trim_start_matches('度');
                out.push((y, after));
            }
        }
    }
    out
}

/// narrative.year_reference for the statements of totals: a budget of year Y compares with Y−1;
/// a final account with Y−1, or with its own year's 年初预算 / 预算.
fn year_references(d: &Disclosure, facts: &[Fact], out: &mut Vec<Check>) {
    const RULE: &str = "narrative.year_reference";
    let Some(y) = d.document.fiscal_year else {
        return;
    };
    let final_account = matches!(
        d.document.kind,
        DocumentKind::DepartmentFinalAccount | DocumentKind::UnitFinalAccount
    );
    let mut seen: Vec<&str> = Vec::new();
    for f in facts {
        let s = f.sentence.as_str();
        if seen.contains(&s) || ["(类)", "(款)", "(项)"].iter().any(|m| s.contains(m)) {
            continue;
        }
        seen.push(s);
        let refs = compared_years(s);
        if refs.is_empty() {
            continue;
        }
        let wrong: Vec<String> = refs
            .iter()
            .filter(|(c, after)| {
                let own_budget = final_account
                    && *c == y
                    && (after.starts_with("年初预算")
                        || after.starts_with("预算")
                        || after.starts_with("调整预算"));
                *c != y - 1 && !own_budget
            })
            .map(|(c, after)| {
                format!(
                    "compares with {c}年{}",
                    after.chars().take(6).collect::<String>()
                )
            })
            .collect();
        let ok = wrong.is_empty();
        out.push(check(
            RULE,
            Severity::Warning,
            ok,
            format!(
                "{} in a {y} document (page {}: \"{}\")",
                if ok {
                    "years fit".to_string()
                } else {
                    wrong.join("; ")
                },
                f.page,
                s.chars().take(90).collect::<String>()
            ),
            vec![in_text(Some(f.key.clone()), Some(f.page))],
        ));
    }
}
