//! Budget-versus-outcome statements of final-account narratives (决算 说明):
//! "一般公共预算财政拨款支出年初预算为 10210.34 万元，支出决算为 9746.50 万元，完成年初预算的 95.45%。
//! 决算数小于预算数的主要原因：…". Each statement becomes a [`Comparison`]; the checks verify the
//! completion rate against the two amounts, the comparison word (大于/小于/持平) against them, and
//! for 三公 the amounts against the table's 预算数 / 决算数 columns.

use std::str::FromStr;
use std::sync::OnceLock;

use regex::Regex;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{paragraphs, split_sentences, truncate_chars, Paragraph};
use crate::document::TextLine;
use crate::model::Amount;

/// One "budget B, outcome F, R% of budget" statement.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Comparison {
    /// The quantity when the subject names one the tables hold: `general_budget_expenditure`,
    /// `three_public`, `outbound_travel`, `reception`, `vehicle`, `fiscal_appropriation_expenditure`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The words naming what is compared, as printed (may be empty when a heading names it).
    pub subject: String,
    /// 年初预算为 X.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial_budget: Option<Amount>,
    /// 全年预算为 X (the budget after adjustments).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_year_budget: Option<Amount>,
    /// 支出决算为 Y.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub final_amount: Option<Amount>,
    /// 完成…预算的 R%.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion_percent: Option<Decimal>,
    /// What the rate is of, as printed: 年初预算 | 全年预算 | 预算.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion_basis: Option<String>,
    /// The comparison word that follows: greater | less | equal, and the budget it names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stated_relation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relation_basis: Option<String>,
    /// The amounts' printed unit precision: half a unit of their last digit, in yuan.
    pub half_unit: Amount,
    pub sentence: String,
    pub page: usize,
}

struct Patterns {
    initial: Regex,
    full_year: Regex,
    outcome: Regex,
    completion: Regex,
    relation: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let re = |s: &str| Regex::new(s).expect("static regex");
        let amount = r"(-?[0-9][0-9,]*(?:\.[0-9]+)?)(万元|元)";
        Patterns {
            initial: re(&format!(r"年初预算(?:数)?(?:为|是)?{amount}")),
            full_year: re(&format!(r"(?:全年|调整后?)预算(?:数)?(?:为|是)?{amount}")),
            outcome: re(&format!(r"决算(?:数)?(?:为|是)?{amount}")),
            completion: re(r"完成(年初预算|全年预算|调整预算|预算)(?:数)?的?([0-9]+(?:\.[0-9]+)?)%"),
            relation: re(
                r"决算数?(?:与|同|比|较)?(年初预算|全年预算|调整预算|预算)?数?(大于|高于|多于|小于|低于|少于|等于|持平)(年初预算|全年预算|调整预算|预算)?",
            ),
        }
    })
}

fn money(num: &str, unit: &str) -> Option<(Decimal, u32)> {
    let n = num.replace(',', "");
    if n.len() > 20 {
        return None; // no budget has such a figure; keeps the arithmetic in range
    }
    let v = Decimal::from_str(&n).ok()?;
    let decimals = n.split_once('.').map(|(_, r)| r.len() as u32).unwrap_or(0);
    let factor = if unit == "万元" {
        Decimal::from(10_000)
    } else {
        Decimal::ONE
    };
    Some((v.checked_mul(factor)?, decimals))
}

fn key_of(subject: &str) -> Option<&'static str> {
    let s = subject;
    if s.contains("三公") {
        Some("three_public")
    } else if s.contains("出国") {
        Some("outbound_travel")
    } else if s.contains("公务接待") {
        Some("reception")
    } else if s.contains("公务用车") {
        Some("vehicle")
    } else if ["(类)", "(款)", "(项)"].iter().any(|m| s.contains(m)) {
        None // one line of the classification, not a total
    } else if s.contains("一般公共预算") && s.contains("支出") {
        Some("general_budget_expenditure")
    } else if s.contains("财政拨款") && s.contains("支出") && !s.contains("基金") {
        Some("fiscal_appropriation_expenditure")
    } else {
        None
    }
}

/// The comparison statements of the narrative, in order.
pub fn extract(lines: &[TextLine]) -> Vec<Comparison> {
    from_paragraphs(&paragraphs(lines))
}

/// The comparison statements of paragraphs already joined (the stages share one joining).
pub(crate) fn from_paragraphs(paras: &[Paragraph]) -> Vec<Comparison> {
    let p = patterns();
    let mut out: Vec<Comparison> = Vec::new();
    // The heading or sentence naming the next statement's subject ("1.一般公共服务(类)…").
    let mut last_heading = String::new();
    for para in paras {
        for (offset, sentence) in split_sentences(&para.text) {
            let page = para.page_at(offset);
            // 决算数小于预算数的主要原因 … : attach to the statement just before.
            if let Some(c) = p.relation.captures(sentence) {
                if !p.completion.is_match(sentence) && !p.outcome.is_match(sentence) {
                    if let Some(last) = out.last_mut().filter(|l| l.stated_relation.is_none()) {
                        let word = c.get(2).map(|m| m.as_str()).unwrap_or("");
                        last.stated_relation = Some(
                            match word {
                                "大于" | "高于" | "多于" => "greater",
                                "小于" | "低于" | "少于" => "less",
                                _ => "equal",
                            }
                            .to_string(),
                        );
                        last.relation_basis = c
                            .get(1)
                            .or_else(|| c.get(3))
                            .map(|m| m.as_str().to_string());
                    }
                    continue;
                }
            }
            let outcomes: Vec<regex::Captures> = p.outcome.captures_iter(sentence).collect();
            if outcomes.is_empty() {
                // An item heading: "1、社会保障和就业支出(类)…行政单位离退休(项)" (not the
                // 主要用于 / 主要原因 sentences around it).
                let classified = ["(类)", "(款)", "(项)"]
                    .iter()
                    .any(|m| sentence.contains(m));
                let aside = sentence.starts_with("主要");
                if sentence.chars().count() <= 80 && (classified || !aside) {
                    last_heading = sentence.to_string();
                }
                continue;
            }
            // Each outcome (决算为 Y) opens a statement; its budget figures and rate sit between
            // the previous statement's end and the next outcome.
            let mut seg_start = 0usize;
            for (i, oc) in outcomes.iter().enumerate() {
                let Some(whole) = oc.get(0) else { continue };
                let next = outcomes
                    .get(i + 1)
                    .and_then(|n| n.get(0))
                    .map(|m| m.start())
                    .unwrap_or(sentence.len());
                // The statement ends after its rate (完成…的 R%); the next one's subject follows.
                let seg_end = sentence
                    .get(whole.end()..next)
                    .and_then(|rest| p.completion.find(rest))
                    .map(|m| whole.end() + m.end())
                    .unwrap_or(next);
                let Some(seg) = sentence.get(seg_start..seg_end) else {
                    continue;
                };
                let local = whole.start().saturating_sub(seg_start);
                let (Some(num), Some(unit)) = (oc.get(1), oc.get(2)) else {
                    continue;
                };
                let Some((final_yuan, fd)) = money(num.as_str(), unit.as_str()) else {
                    continue;
                };
                let mut decimals = fd;
                let mut take = |re: &Regex| {
                    re.captures(seg).and_then(|c| {
                        let (v, d) = money(c.get(1)?.as_str(), c.get(2)?.as_str())?;
                        decimals = decimals.max(d);
                        Some(v)
                    })
                };
                let initial = take(&p.initial);
                let full_year = take(&p.full_year);
                let unit_is_wan = unit.as_str() == "万元";
                let completion = p.completion.captures(seg.get(local..).unwrap_or(""));
                // Subject: the words before the first figure of the segment.
                let first_fig = [
                    p.initial.find(seg).map(|m| m.start()),
                    p.full_year.find(seg).map(|m| m.start()),
                    Some(local),
                ]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(0);
                let lead = seg
                    .get(..first_fig)
                    .unwrap_or("")
                    .trim_start_matches(|c: char| matches!(c, ',' | ':' | ';') || c.is_whitespace())
                    .rsplit([',', ':', ';'])
                    .find(|part| !part.trim().is_empty())
                    .unwrap_or("")
                    .trim_start_matches("其中")
                    .to_string();
                let subject = if lead.is_empty() {
                    last_heading.clone()
                } else {
                    lead
                };
                let half = Decimal::new(5, decimals + 1)
                    * if unit_is_wan {
                        Decimal::from(10_000)
                    } else {
                        Decimal::ONE
                    };
                out.push(Comparison {
                    key: key_of(&subject).map(str::to_string),
                    subject: truncate_chars(&subject, 60),
                    initial_budget: initial.map(Amount),
                    full_year_budget: full_year.map(Amount),
                    final_amount: Some(Amount(final_yuan)),
                    completion_percent: completion
                        .as_ref()
                        .and_then(|c| Decimal::from_str(c.get(2)?.as_str()).ok()),
                    completion_basis: completion
                        .as_ref()
                        .and_then(|c| c.get(1))
                        .map(|m| m.as_str().to_string()),
                    stated_relation: None,
                    relation_basis: None,
                    half_unit: Amount(half),
                    sentence: truncate_chars(sentence, 300),
                    page,
                });
                seg_start = seg_end;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<TextLine> {
        vec![TextLine {
            text: text.to_string(),
            page: 3,
            bbox: None,
        }]
    }

    #[test]
    fn statement_with_rate_and_reason() {
        let c = extract(&lines(
            "一般公共预算财政拨款支出年初预算为10210.34万元，支出决算为9746.50万元，完成年初预算的95.45%。决算数小于预算数的主要原因：部分项目未开展完成。",
        ));
        assert_eq!(c.len(), 1);
        let c = &c[0];
        assert_eq!(c.key.as_deref(), Some("general_budget_expenditure"));
        assert_eq!(c.initial_budget, Some(Amount(Decimal::from(102_103_400))));
        assert_eq!(c.final_amount, Some(Amount(Decimal::from(97_465_000))));
        assert_eq!(c.completion_percent, Some(Decimal::new(9545, 2)));
        assert_eq!(c.completion_basis.as_deref(), Some("年初预算"));
        assert_eq!(c.stated_relation.as_deref(), Some("less"));
        assert_eq!(c.half_unit, Amount(Decimal::from(50)));
    }

    #[test]
    fn three_public_with_items() {
        let c = extract(&lines(
            "“三公”经费财政拨款支出年初预算为2.85万元，支出决算为0.39万元，完成预算的13.68%，其中：因公出国（境）费决算为0.00万元，完成预算的0.00%；公务接待费支出决算为0.39万元，完成预算的13.68%。",
        ));
        let keys: Vec<Option<&str>> = c.iter().map(|c| c.key.as_deref()).collect();
        assert_eq!(
            keys,
            [
                Some("three_public"),
                Some("outbound_travel"),
                Some("reception")
            ]
        );
        assert_eq!(c[0].initial_budget, Some(Amount(Decimal::from(28_500))));
        assert_eq!(c[1].initial_budget, None);
        assert_eq!(c[2].final_amount, Some(Amount(Decimal::from(3_900))));
        assert_eq!(c[2].completion_percent, Some(Decimal::new(1368, 2)));
    }

    #[test]
    fn full_year_budget_and_heading_subject() {
        let c = extract(&lines(
            "1.一般公共服务(类)行政运行(项)。全年预算为52.00万元，支出决算为51.32万元，完成全年预算数的98.69%。决算数小于全年预算数的主要原因：人员变动。",
        ));
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].key, None);
        assert!(c[0].subject.contains("行政运行"));
        assert_eq!(c[0].full_year_budget, Some(Amount(Decimal::from(520_000))));
        assert_eq!(c[0].completion_basis.as_deref(), Some("全年预算"));
        assert_eq!(c[0].relation_basis.as_deref(), Some("全年预算"));
    }
}
