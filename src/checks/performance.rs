//! performance.funds: on a performance-target form, each funds column's 资金总额 equals the sum
//! of its sources.

use rust_decimal::Decimal;

use super::ctx::{check, info, loc};
use super::{Ctx, Rule};
use crate::model::{Amount, Check, Disclosure, Severity};

/// performance.funds.
pub struct Funds;

impl Rule for Funds {
    fn family(&self) -> &'static str {
        "performance.funds"
    }

    fn eval(&self, cx: &Ctx, out: &mut Vec<Check>) {
        performance_funds(cx.d, out);
    }
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
