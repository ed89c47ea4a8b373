//! narrative.item_*: each item-by-item statement of the narrative (`narrative::items`) against
//! the table row of its 类/款/项 names and against its own arithmetic — amount, names, heading
//! figure, change and rate, the years it compares — and the rows no statement speaks of.

use rust_decimal::Decimal;

use super::ctx::{check, in_text, info, loc, precision, show, wan};
use super::{Ctx, Rule};
use crate::model::{Check, Disclosure, DocumentKind, Location, Row, Severity, TableKind};
use crate::narrative::item_rows::{self, amount, path, RowMatch};
use crate::narrative::items::Item;
use crate::narrative::Change;

/// narrative.item_amount, narrative.item_names, narrative.item_heading, narrative.item_change,
/// narrative.year_reference, narrative.item_coverage.
pub struct Items;

impl Rule for Items {
    fn family(&self) -> &'static str {
        "narrative.item"
    }

    fn eval(&self, cx: &Ctx, out: &mut Vec<Check>) {
        if cx.items.is_empty() {
            out.push(info(
                "narrative.item_amount",
                "no item-by-item statement (类/款/项) in the narrative",
            ));
            return;
        }
        let final_account = matches!(
            cx.d.document.kind,
            DocumentKind::DepartmentFinalAccount | DocumentKind::UnitFinalAccount
        );
        let mut covered: Vec<(usize, usize)> = Vec::new();
        let mut unmatched: Vec<String> = Vec::new();
        for it in cx.items {
            let rows = resolve(cx.d, it, final_account);
            if rows.is_empty() {
                unmatched.push(format!("{} (page {})", label(it), it.page));
            }
            covered.extend(rows.iter().map(|m| (m.table, m.row)));
            amount_rule(cx.d, it, &rows, final_account, out);
            heading_rule(it, out);
            change_rule(it, final_account, out);
            year_rule(cx.d, it, out);
        }
        coverage(cx.d, cx.items, &covered, &unmatched, out);
    }
}

/// The rows the statement speaks of: by its names, else by its amount under the same parent.
fn resolve(d: &Disclosure, it: &Item, final_account: bool) -> Vec<RowMatch> {
    let own = stated(it, final_account).first().map(|(v, _)| *v);
    let half = it.half_unit.0;
    item_rows::resolve(&d.tables, it, own, |t| precision(t).0 + half)
}

/// The statement's own-year amounts: 决算 (final accounts) or this year's, with their printed
/// text; the heading figure only when `heading`.
fn stated(it: &Item, final_account: bool) -> Vec<(Decimal, &str)> {
    let role = |r: &str| r == "this_year" || (final_account && r == "final");
    let mut v: Vec<(Decimal, &str)> = it
        .amounts
        .iter()
        .filter(|a| role(&a.role))
        .map(|a| (a.amount.0, a.printed.as_str()))
        .collect();
    v.dedup_by(|a, b| a.0 == b.0);
    v
}

fn quote(it: &Item) -> String {
    it.sentence.chars().take(90).collect()
}

fn label(it: &Item) -> String {
    path(it)
        .into_iter()
        .zip(["(类)", "(款)", "(项)"])
        .map(|(n, m)| format!("{}{m}", n.unwrap_or("…")))
        .collect()
}

/// Where the statement is: its page (the names are in the message; `column` is "item").
fn statement(it: &Item) -> Location {
    in_text(Some("item".to_string()), Some(it.page))
}

/// narrative.item_amount and narrative.item_names.
fn amount_rule(
    d: &Disclosure,
    it: &Item,
    rows: &[RowMatch],
    final_account: bool,
    out: &mut Vec<Check>,
) {
    let amounts = stated(it, final_account);
    let Some(&(_, first_printed)) = amounts.first() else {
        return;
    };
    let Some(first) = rows.first() else {
        return; // coverage reports statements without a row
    };
    // The statement may speak of the general budget or of all funds: a row of either that has the
    // stated figure agrees. A figure printed twice (heading and body) agrees when either does;
    // their disagreeing is narrative.item_heading's finding.
    let agrees = |m: &RowMatch, value: Decimal| {
        let t = &d.tables[m.table];
        let (half, _, _) = precision(t);
        amount(&t.rows[m.row]).is_some_and(|v| (v - value).abs() <= half + it.half_unit.0)
    };
    let found = amounts
        .iter()
        .find_map(|&(value, printed)| rows.iter().find(|m| agrees(m, value)).map(|m| (m, printed)));
    let hit = found.map(|(m, _)| m);
    let printed = found.map_or(first_printed, |(_, p)| p);
    if hit.is_none() {
        // The row's figure in the wrong unit: consistency.magnitude's finding.
        let t = &d.tables[first.table];
        let r = &t.rows[first.row];
        if let (Some(v), Some(&(value, p))) = (amount(r), amounts.first()) {
            let where_ = loc(first.table, Some(first.row), Some("total"), Some(r.page));
            if let Some(m) = super::magnitude::finding(
                value,
                v,
                it.half_unit.0,
                p,
                &it.sentence,
                it.page,
                vec![statement(it), where_],
            ) {
                out.push(m);
                return;
            }
        }
    }
    let shown = hit.unwrap_or(first);
    let t = &d.tables[shown.table];
    let r = &t.rows[shown.row];
    let table_value = amount(r).map(|v| show(v, t)).unwrap_or_else(|| "—".into());
    let where_ = loc(shown.table, Some(shown.row), Some("total"), Some(r.page));
    out.push(check(
        "narrative.item_amount",
        Severity::Warning,
        hit.is_some(),
        format!(
            "{} {printed} {} {} {} {table_value} (page {}: \"{}\")",
            label(it),
            if hit.is_some() { "=" } else { "≠" },
            t.title.as_deref().unwrap_or(t.kind.as_str()),
            row_name(r),
            it.page,
            quote(it)
        ),
        vec![statement(it), where_.clone()],
    ));
    if shown.names_differ && hit.is_some() {
        out.push(check(
            "narrative.item_names",
            Severity::Warning,
            false,
            format!(
                "the narrative names {} what the table names {}{} ({printed}, page {}: \"{}\")",
                label(it),
                row_name(r),
                r.parent
                    .and_then(|p| t.rows.get(p))
                    .filter(|p| p.level.is_some_and(|l| l >= 1))
                    .map(|p| format!(" under {}", row_name(p)))
                    .unwrap_or_default(),
                it.page,
                quote(it)
            ),
            vec![statement(it), where_],
        ));
    }
}

fn row_name(r: &Row) -> String {
    match &r.code {
        Some(c) => format!("{c} {}", r.name.trim()),
        None => r.name.trim().to_string(),
    }
}

/// narrative.item_heading: the figure after the names = the amount in the body.
fn heading_rule(it: &Item, out: &mut Vec<Check>) {
    let Some(head) = it.amounts.iter().find(|a| a.heading) else {
        return;
    };
    let Some(body) = it
        .amounts
        .iter()
        .find(|a| !a.heading && a.role == head.role)
    else {
        return;
    };
    let ok = (head.amount.0 - body.amount.0).abs() <= it.half_unit.0 * Decimal::TWO;
    out.push(check(
        "narrative.item_heading",
        Severity::Warning,
        ok,
        format!(
            "{}: heading {} {} body {} (page {}: \"{}\")",
            label(it),
            head.printed,
            if ok { "=" } else { "≠" },
            body.printed,
            it.page,
            quote(it)
        ),
        vec![statement(it)],
    ));
}

/// narrative.item_change: the stated change and rate against the statement's two amounts. A
/// statement that prints its own-year figure twice (heading and body) agrees when either does;
/// the two disagreeing is narrative.item_heading's finding.
fn change_rule(it: &Item, final_account: bool, out: &mut Vec<Check>) {
    let Some(c) = &it.change else { return };
    let mut currents: Vec<Decimal> = stated(it, final_account).iter().map(|(v, _)| *v).collect();
    if currents.is_empty() {
        currents.extend(
            it.amount("this_year")
                .or_else(|| it.amount("final"))
                .map(|a| a.amount.0),
        );
    }
    let results: Vec<Vec<String>> = currents
        .iter()
        .rev()
        .filter_map(|&current| change_problems(it, c, current))
        .collect();
    let Some(last) = results.first() else { return };
    let ok = results.iter().any(Vec::is_empty);
    out.push(check(
        "narrative.item_change",
        Severity::Warning,
        ok,
        format!(
            "{}: {}{} (page {}: \"{}\")",
            label(it),
            c.printed,
            if ok {
                String::new()
            } else {
                format!(" — {}", last.join("; "))
            },
            it.page,
            quote(it)
        ),
        vec![statement(it)],
    ));
}

/// What disagrees between the stated change and `current` with the prior amount (stated, or
/// implied by the stated change); None when there is nothing to compare.
fn change_problems(it: &Item, c: &Change, current: Decimal) -> Option<Vec<String>> {
    let prior_stated = it
        .amount("executed_last_year")
        .or_else(|| it.amount("last_year"))
        .map(|a| a.amount.0);
    let h = it.half_unit.0;
    let sign = match c.direction.as_str() {
        "decrease" => -Decimal::ONE,
        "flat" => Decimal::ZERO,
        _ => Decimal::ONE,
    };
    let mut problems: Vec<String> = Vec::new();
    // The prior amount and how far off it may be from rounding.
    let (prior, prior_err, diff_err) = match (prior_stated, c.amount) {
        (Some(p), _) => (p, h, h * Decimal::TWO),
        (None, Some(x)) => (current - sign * x.0, h * Decimal::TWO, h),
        (None, None) => return None,
    };
    if let (Some(p), Some(x)) = (prior_stated, c.amount) {
        if ((current - p) - sign * x.0).abs() > h * Decimal::from(3) {
            problems.push(format!(
                "the change {} ≠ {} − {}",
                wan(x.0),
                wan(current),
                wan(p)
            ));
        }
    }
    if prior_stated.is_some() {
        let delta = current - prior;
        let word_ok = match c.direction.as_str() {
            "flat" => delta.abs() <= diff_err,
            "decrease" => delta < diff_err,
            _ => delta > -diff_err,
        };
        if !word_ok {
            problems.push(format!(
                "the statement says {} but {} → {}",
                c.direction,
                wan(prior),
                wan(current)
            ));
        }
    }
    if let Some(pct) = c.percent {
        let n = (current - prior).abs();
        let lo_den = prior - prior_err;
        if prior > prior_err && lo_den > Decimal::ZERO {
            let hundred = Decimal::ONE_HUNDRED;
            let lo = ((n - diff_err).max(Decimal::ZERO) / (prior + prior_err)) * hundred;
            let hi = ((n + diff_err) / lo_den) * hundred;
            // One unit of the rate's last printed digit: rates are rounded or cut.
            let unit = Decimal::new(1, pct.scale());
            if pct < lo - unit || pct > hi + unit {
                let mid = (n / prior * hundred).round_dp(2);
                problems.push(format!("the rate {pct}% ≠ {mid}% that the amounts give"));
            }
        }
    }
    Some(problems)
}

/// narrative.year_reference: a statement of fiscal year Y compares with Y−1 and speaks of Y.
fn year_rule(d: &Disclosure, it: &Item, out: &mut Vec<Check>) {
    let Some(y) = d.document.fiscal_year else {
        return;
    };
    let mut wrong: Vec<String> = Vec::new();
    if let Some(c) = it.compared_year {
        if c != y - 1 {
            wrong.push(format!(
                "compares with {} ({}) in a {y} document",
                c,
                it.compared_with.as_deref().unwrap_or("")
            ));
        }
    }
    for a in &it.amounts {
        let expected = if a.role == "executed_last_year" || a.role == "last_year" {
            y - 1
        } else {
            y
        };
        if let Some(ay) = a.year.filter(|&ay| ay != expected) {
            wrong.push(format!("{} is of {ay}, not {expected}", a.printed));
        }
    }
    if it.compared_year.is_none() && it.amounts.iter().all(|a| a.year.is_none()) {
        return;
    }
    let ok = wrong.is_empty();
    out.push(check(
        "narrative.year_reference",
        Severity::Warning,
        ok,
        format!(
            "{}: {} (page {}: \"{}\")",
            label(it),
            if ok {
                format!("years fit {y}")
            } else {
                wrong.join("; ")
            },
            it.page,
            quote(it)
        ),
        vec![statement(it)],
    ));
}

/// narrative.item_coverage (info): 项 rows of the general budget table with an amount that no
/// statement speaks of, and statements whose names no table carries.
fn coverage(
    d: &Disclosure,
    items: &[Item],
    covered: &[(usize, usize)],
    unmatched: &[String],
    out: &mut Vec<Check>,
) {
    let leaf_items = items.iter().filter(|it| it.level == 3).count();
    let mut missing: Vec<String> = Vec::new();
    if leaf_items > 0 {
        for (ti, t) in d.tables.iter().enumerate() {
            if t.kind != TableKind::GeneralBudgetExpenditure || t.empty {
                continue;
            }
            for (ri, r) in t.rows.iter().enumerate() {
                if r.level == Some(3)
                    && amount(r).is_some_and(|v| !v.is_zero())
                    && !covered.contains(&(ti, ri))
                {
                    missing.push(row_name(r));
                }
            }
            break;
        }
    }
    let mut msg = format!("{} statements", items.len());
    if !missing.is_empty() {
        msg.push_str(&format!(
            "; 项 rows of the general budget table no statement speaks of: {}",
            missing.join(", ")
        ));
    }
    if !unmatched.is_empty() {
        msg.push_str(&format!(
            "; statements whose names no table row carries: {}",
            unmatched.join(", ")
        ));
    }
    out.push(info("narrative.item_coverage", msg));
}
