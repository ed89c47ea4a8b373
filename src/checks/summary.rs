//! summary.balance, summary.composition, summary.side_sums: the 收支总表 (and the 财政拨款 summary)
//! balances, its totals are this year's figures plus carry-overs, and each side's items add up.

use crate::pdf::normalize::squash;
use rust_decimal::Decimal;

use super::ctx::{check, compare_sum, find_row, info, loc, precision, show, tables_of, val};
use super::{Ctx, Rule};
use crate::model::{Check, Disclosure, DocumentKind, Row, Severity, Side, Table, TableKind};

/// summary.balance, summary.composition, summary.side_sums.
pub struct Summary;

impl Rule for Summary {
    fn family(&self) -> &'static str {
        "summary"
    }

    fn eval(&self, cx: &Ctx, out: &mut Vec<Check>) {
        summary_rules(cx.d, out);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enumerated_items() {
        assert!(top_enumerated("一、一般公共预算"));
        assert!(top_enumerated("二十三、灾害防治及应急管理支出"));
        assert!(!top_enumerated("1.一般公共预算"));
        assert!(!top_enumerated("上年结转"));
    }
}
