//! cross.*: figures that two tables both print agree (summary vs income / expenditure tables,
//! the 财政拨款 summary vs the general-budget table, 基本支出, per-code subsets, projects).

use crate::pdf::normalize::squash;
use rust_decimal::Decimal;

use super::ctx::{check, find_row, info, loc, precision, show, tables_of, total_row, val};
use super::{Ctx, Rule};
use crate::model::{Check, Disclosure, Location, Row, RowRole, Severity, Side, Table, TableKind};

/// cross.summary_income, cross.summary_expenditure, cross.appropriation, cross.basic,
/// cross.general_budget_subset, cross.projects.
pub struct Cross;

impl Rule for Cross {
    fn family(&self) -> &'static str {
        "cross"
    }

    fn eval(&self, cx: &Ctx, out: &mut Vec<Check>) {
        cross_rules(cx.d, out);
    }
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
