//! The `checks` stage: the validation rules of `../shared/design/rules.md`, each a pure function
//! over the model returning findings with the locations of every value compared.
//!
//! Tolerance: published cells are rounded, so a sum of n printed figures may differ from its
//! printed total by up to n × half a unit of the last printed digit (0.005 万元 = 50 元 for 万元
//! with two decimals). It is computed from each table's printed precision, never a constant.
//!
//! Each rule family is one file of this folder and one entry in [`RULES`], which [`run`]
//! evaluates in order; the helpers the families share are in `ctx.rs`.

mod classification;
mod completeness;
mod consistency;
mod cross;
mod ctx;
mod hierarchy;
mod magnitude;
mod narrative;
mod narrative_assets;
mod narrative_comparison;
mod narrative_items;
mod narrative_statements;
mod narrative_tables;
mod performance;
mod row_columns;
mod summary;
mod three_public;
mod unit_name;

pub use ctx::Ctx;

use crate::model::{Check, Disclosure, Severity, Verdict};
use crate::narrative::comparisons::Comparison;
use crate::narrative::items::Item;
use crate::narrative::Fact;

/// A family of rules: one or more rule ids evaluated together over a document.
pub trait Rule: Sync {
    /// The family's name: its rule id, or the prefix its rule ids share.
    fn family(&self) -> &'static str;
    /// Append the family's findings for the document to `out`.
    fn eval(&self, cx: &Ctx, out: &mut Vec<Check>);
}

/// Every rule family, in the order [`run`] evaluates them (the order of the findings).
pub const RULES: &[&dyn Rule] = &[
    &summary::Summary,
    &hierarchy::Rollup,
    &hierarchy::TotalRow,
    &row_columns::RowColumns,
    &three_public::Composition,
    &cross::Cross,
    &narrative::Narrative,
    &narrative_comparison::NarrativeComparison,
    &narrative_items::Items,
    &narrative_statements::Statements,
    &narrative_tables::NarrativeTables,
    &narrative_assets::Assets,
    &performance::Funds,
    &completeness::Completeness,
    &consistency::Dates,
    &unit_name::UnitName,
    &classification::CodeName,
];

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
pub fn run(
    d: &Disclosure,
    facts: &[Fact],
    comparisons: &[Comparison],
    items: &[Item],
) -> Vec<Check> {
    let cx = Ctx {
        d,
        facts,
        comparisons,
        items,
    };
    let mut out = Vec::new();
    for rule in RULES {
        rule.eval(&cx, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_family_listed_once() {
        let mut families: Vec<&str> = RULES.iter().map(|r| r.family()).collect();
        let n = families.len();
        families.sort_unstable();
        families.dedup();
        assert_eq!(families.len(), n);
    }
}
