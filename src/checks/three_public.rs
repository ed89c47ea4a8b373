//! three_public.composition: the “三公” total = 出国 + 接待 + 公务用车, and 公务用车 = 购置 + 运行.

use rust_decimal::Decimal;

use super::ctx::{compare_sum, info, loc, tables_of, val};
use super::{Ctx, Rule};
use crate::model::{Check, Disclosure, Severity, TableKind};

/// three_public.composition.
pub struct Composition;

impl Rule for Composition {
    fn family(&self) -> &'static str {
        "three_public.composition"
    }

    fn eval(&self, cx: &Ctx, out: &mut Vec<Check>) {
        three_public_composition(cx.d, out);
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
