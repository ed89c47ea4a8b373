//! narrative.assets: the 国有资产占用情况 counts hold together — the parts after 其中 add up to the
//! count they break down; two statements of the vehicles the unit holds as of one date agree; a
//! purchase stated with its money is not of nothing or for nothing; the 三公 statement does not buy
//! more vehicles from 财政拨款 than the 国有资产 statement buys in all.

use super::ctx::{check, in_text, wan};
use super::{Ctx, Rule};
use crate::document::identity::same_unit;
use crate::model::{Check, Severity};
use crate::narrative::assets::AssetStatement;

/// narrative.assets.
pub struct Assets;

const RULE: &str = "narrative.assets";

fn quote(a: &AssetStatement) -> String {
    a.sentence.chars().take(90).collect()
}

fn at(a: &AssetStatement) -> Vec<crate::model::Location> {
    vec![in_text(Some(a.kind.clone()), Some(a.page))]
}

impl Rule for Assets {
    fn family(&self) -> &'static str {
        RULE
    }

    fn eval(&self, cx: &Ctx, out: &mut Vec<Check>) {
        let d = cx.d;
        let assets: Vec<AssetStatement> = d
            .narrative
            .get("assets")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default();
        // Parts against their whole.
        for a in assets.iter().filter(|a| !a.parts.is_empty()) {
            let sum: u64 = a.parts.iter().map(|p| p.1).sum();
            let ok = sum == a.count;
            let listed = a
                .parts
                .iter()
                .map(|(n, c)| format!("{n}{c}"))
                .collect::<Vec<_>>()
                .join(" + ");
            out.push(check(
                RULE,
                Severity::Warning,
                ok,
                format!(
                    "{}: {} {} {sum} = {listed} (page {}: \"{}\")",
                    a.printed,
                    a.count,
                    if ok { "=" } else { "≠" },
                    a.page,
                    quote(a)
                ),
                at(a),
            ));
        }
        // Two holdings of the document's own unit as of one month.
        let own = |a: &AssetStatement| {
            let s = a.subject.as_str();
            s.is_empty()
                || s.starts_with('本')
                || s.contains("所属各")
                || d.document
                    .unit_name
                    .as_deref()
                    .is_some_and(|u| same_unit(s, u))
        };
        let held: Vec<&AssetStatement> = assets
            .iter()
            .filter(|a| a.kind == "vehicles_held" && own(a))
            .filter(|a| a.as_of.is_some_and(|(_, m)| m.is_some()))
            .collect();
        for (i, a) in held.iter().enumerate() {
            if let Some(b) = held[..i].iter().find(|b| b.as_of == a.as_of) {
                out.push(check(
                    RULE,
                    Severity::Warning,
                    a.count == b.count,
                    format!(
                        "vehicles held as of the same date: {} (page {}) and {} (page {}): \"{}\"",
                        b.printed,
                        b.page,
                        a.printed,
                        a.page,
                        quote(a)
                    ),
                    vec![at(b).remove(0), at(a).remove(0)],
                ));
            }
        }
        // A purchase and its money.
        for a in assets.iter().filter(|a| a.kind.ends_with("_bought")) {
            let Some(m) = a.amount else { continue };
            let ok = (a.count == 0) == m.0.is_zero();
            out.push(check(
                RULE,
                Severity::Warning,
                ok,
                format!(
                    "{}, {}: {} (page {}: \"{}\")",
                    a.printed,
                    wan(m.0),
                    if ok {
                        "count and money agree"
                    } else {
                        "a count without money or money without a count"
                    },
                    a.page,
                    quote(a)
                ),
                at(a),
            ));
        }
        // The 三公 purchase within the whole purchase of the fiscal year.
        let year = d.document.fiscal_year;
        let this_year = |a: &&AssetStatement| a.year.is_none() || a.year == year;
        let bought = |context: &str| {
            assets
                .iter()
                .filter(|a| a.kind == "vehicles_bought" && a.context == context)
                .filter(this_year)
                .collect::<Vec<_>>()
        };
        let (fee, all) = (bought("three_public"), bought("assets"));
        if let (Some(f), Some(a)) = (fee.iter().max_by_key(|f| f.count), all.first()) {
            let ok = f.count <= a.count;
            out.push(check(
                RULE,
                Severity::Warning,
                ok,
                format!(
                    "the 三公 statement buys {} vehicle(s) (page {}), the 国有资产 statement {} in all (page {}: \"{}\")",
                    f.count,
                    f.page,
                    a.count,
                    a.page,
                    quote(a)
                ),
                vec![at(f).remove(0), at(a).remove(0)],
            ));
        }
    }
}
