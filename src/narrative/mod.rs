//! The `narrative` stage: facts stated in the prose of a disclosure (情况说明 / 编制说明), so that the
//! checks can compare them with the tables (`narrative.*` rules in `rules.md`).
//!
//! Recognition is deliberately narrow: an amount becomes a fact only when the words right before it
//! (within its clause, allowing a little filler such as 预算数为) name a known quantity. A wrong fact
//! raises a false alarm downstream, a missed one only loses a check, so doubtful cases are dropped.
//!
//! Keys (money unless noted):
//! - totals: `income_total`, `expenditure_total` (both from 收、支预算总计 / 收入支出总计),
//!   `current_year_income` (本年收入), `current_year_expenditure` (本年支出合计), `carryover` (上年结转);
//! - 财政拨款: `fiscal_appropriation_total` (收支总预算 / 收入支出总计), `fiscal_appropriation_income`,
//!   `fiscal_appropriation_expenditure`;
//! - by fund: `general_budget[_income|_expenditure]`, `gov_fund[_income|_expenditure]`,
//!   `state_capital[_income|_expenditure]` (the suffix where the text says 收入 / 支出);
//! - `basic`, `project` (all funds), `general_budget_basic` / `general_budget_project` (the sentence
//!   speaks of 一般公共预算), `fiscal_appropriation_basic` / `_project` (of 财政拨款); `personnel`, `public`;
//! - 三公: `three_public`, `outbound_travel`, `reception`, `vehicle`, `vehicle_purchase`,
//!   `vehicle_operation`; `operating_costs` (机关运行经费);
//! - procurement: `procurement_total`, `procurement_goods`, `procurement_works`, `procurement_services`;
//! - quantities: `vehicles` (辆), `office_area` (平方米), `staffing_authorized`, `staffing_actual` (人/名),
//!   `performance_projects` (项目 N 个, with its 共计金额 as amount).
//!
//! In final accounts a figure named as the budget (年初预算为 X) is skipped and the outcome that
//! follows (支出决算为 Y) becomes the fact.

pub mod assets;
pub mod comparisons;
pub mod dates;
mod filler;
pub mod item_rows;
pub mod items;
mod keys;
mod paragraphs;
mod patterns;
mod sentence;
mod token;
pub mod unit_mentions;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::document::TextLine;
use crate::model::Amount;

pub(crate) use paragraphs::{paragraphs, split_sentences, truncate_chars, Paragraph};
use sentence::Sentence;

/// One stated fact.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Fact {
    /// What the amount is: one of the keys below.
    pub key: String,
    /// The stated amount converted to yuan (None for counts/areas/percent-only facts).
    pub amount: Option<Amount>,
    /// A count or quantity that is not money (vehicles 辆, office area 平方米, staffing 人/名), exact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Decimal>,
    /// The number as printed with its unit, e.g. "774.48万元".
    pub printed: String,
    /// Year-on-year change stated with it: 比上年增加/减少 X (万元), 增长/下降 Y%, or 持平.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
    /// Share stated with it: 占 P%.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_percent: Option<Decimal>,
    /// The sentence it came from (trimmed, at most ~300 chars) and its page.
    pub sentence: String,
    pub page: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Change {
    /// "increase" | "decrease" | "flat"
    pub direction: String,
    pub amount: Option<Amount>,
    pub percent: Option<Decimal>,
    pub printed: String,
}

/// Extract facts from the document's lines (in order; a sentence may be wrapped over several lines
/// of a PDF page: join consecutive lines of the same page before splitting into sentences at 。；;
/// and also at line starts like "一、" "（一）" "1." that begin a new paragraph).
pub fn extract(lines: &[TextLine]) -> Vec<Fact> {
    from_paragraphs(&paragraphs(lines))
}

/// The facts of paragraphs already joined (facts, comparisons, items and dates read the same
/// paragraphs, joined once).
pub(crate) fn from_paragraphs(paras: &[Paragraph]) -> Vec<Fact> {
    let mut facts = Vec::new();
    for para in paras {
        let mut prev_open: Option<Vec<usize>> = None;
        for (offset, sentence) in split_sentences(&para.text) {
            let page = para.page_at(offset);
            prev_open = Sentence::new(sentence, page, prev_open).run(&mut facts);
        }
    }
    facts
}

/// Helpers shared by the tests of the narrative files.
#[cfg(test)]
mod test_util {
    use std::str::FromStr;

    use rust_decimal::Decimal;

    use crate::document::TextLine;
    use crate::model::Amount;

    pub(super) fn lines(texts: &[&str]) -> Vec<TextLine> {
        texts
            .iter()
            .map(|t| TextLine {
                text: t.to_string(),
                page: 1,
                bbox: None,
            })
            .collect()
    }

    pub(super) fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_default()
    }

    pub(super) fn yuan(s: &str) -> Option<Amount> {
        Some(Amount(d(s)))
    }
}

#[cfg(test)]
mod tests {
    use super::test_util::lines;
    use super::*;

    fn find<'a>(facts: &'a [Fact], key: &str) -> Vec<&'a Fact> {
        facts.iter().filter(|f| f.key == key).collect()
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let long = "9".repeat(5000) + "万元";
        let weird = [
            "",
            "万元",
            "占%",
            "比上年增加",
            "增长99999999999999999999999999999999%",
            "持平持平",
            &long,
            "。；;,:",
            "收入总计1.2.3万元",
        ];
        let _ = extract(&lines(&weird));
        assert!(find(&extract(&lines(&[&long])), "income_total").is_empty());
    }
}
