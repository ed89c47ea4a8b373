//! The 国有资产占用情况 statements: vehicles held and bought ("截至2025年12月31日，本部门共有车辆56辆，
//! 其中，执法执勤用车35辆、特种专业技术用车21辆"), equipment of high unit value held and bought
//! ("单位价值100万元以上设备9台（套）"), and the 三公 statement of the vehicles its purchase fee
//! buys ("主要用于经批准购置的5辆公务用车"), each with its parts (其中 …) and date, so that the checks
//! can hold the parts against the whole and the statements against each other.

use std::str::FromStr;
use std::sync::OnceLock;

use regex::Regex;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{split_sentences, truncate_chars, Paragraph};
use crate::model::Amount;

/// One count the narrative states.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AssetStatement {
    /// `vehicles_held` | `vehicles_bought` | `equipment_held` | `equipment_bought`.
    pub kind: String,
    /// `assets` (the 国有资产 statement), `three_public` (the 公务用车购置费 statement) or `reason`
    /// (a purchase given as the reason for another figure).
    pub context: String,
    pub count: u64,
    /// The breakdown after 其中, in order: (name as printed, count).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<(String, u64)>,
    /// The money stated with the count ("计划购置车辆2辆、36万元"), in yuan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    /// Who holds them, as printed before 共有 (本部门, 深圳市财政局(本级)); empty when unsaid.
    #[serde(default)]
    pub subject: String,
    /// The year the purchase is of, where the clause states one ("2026年计划购置…").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The 截至 date: (year, month).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<(i32, Option<u32>)>,
    /// The count as printed: "共有车辆56辆".
    pub printed: String,
    pub sentence: String,
    pub page: usize,
}

struct Patterns {
    held: Regex,
    bought: Regex,
    three_public: Regex,
    equipment: Regex,
    part: Regex,
    amount_after: Regex,
    as_of: Regex,
    year: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let re = |s: &str| Regex::new(s).unwrap_or_else(|e| panic!("bad built-in regex {s}: {e}")); // ok: constant patterns
        Patterns {
            held: re(
                r"(?:共有|实有|现有)(?:车辆|公务用车|公务车辆)([0-9]+)(?:辆|台)|(?:共有|实有|现有)([0-9]+)辆(?:公务用车|车辆)|(?:公务用车|车辆)保有量(?:为)?([0-9]+)(?:辆|台)",
            ),
            bought: re(r"购置(?:车辆|公务用车)([0-9]+)辆|购置([0-9]+)辆(?:公务用车|车辆)"),
            three_public: re(r"用于(?:经批准)?(?:购置|更新)的?([0-9]+)辆公务用车"),
            equipment: re(
                r"(?:单价|单位价值)[0-9]+万元(?:[（(]含[)）])?以上的?设备(?:[（(]不含车辆[)）])?([0-9]+)台[（(]套[)）]",
            ),
            part: re(r"^[，,、：:]?([^0-9，,、；;：:。]{2,16}?用车)([0-9]+)辆"),
            amount_after: re(r"^[、，,]([0-9]+(?:\.[0-9]+)?)万元"),
            as_of: re(r"截[至止]到?(20[0-9]{2})年(?:([0-9]{1,2})月|底)?"),
            year: re(r"(20[0-9]{2})年"),
        }
    })
}

fn count(s: &str) -> Option<u64> {
    s.parse().ok()
}

/// The parts listed after 其中 at the start of `rest`, and how far they reach.
fn parts(rest: &str) -> Vec<(String, u64)> {
    let p = patterns();
    let Some(mut s) = rest.trim_start_matches(['，', ',']).strip_prefix("其中") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // A page number printed between two parts ("…用车2辆、14其他用车0辆") is skipped.
    loop {
        let t = s.trim_start_matches(['，', ',', '、', '：', ':']);
        let t = t.trim_start_matches(|c: char| c.is_ascii_digit());
        let Some(c) = p.part.captures(t) else { break };
        let (Some(name), Some(n)) = (c.get(1), c.get(2).and_then(|m| count(m.as_str()))) else {
            break;
        };
        out.push((name.as_str().to_string(), n));
        s = &t[c.get(0).map_or(t.len(), |m| m.end())..];
    }
    out
}

/// Every asset count of the paragraphs, in order.
pub(crate) fn from_paragraphs(paras: &[Paragraph]) -> Vec<AssetStatement> {
    let p = patterns();
    let mut out = Vec::new();
    for para in paras {
        for (offset, sentence) in split_sentences(&para.text) {
            let as_of = p.as_of.captures(sentence).and_then(|c| {
                let y = c.get(1)?.as_str().parse().ok()?;
                let m = c.get(2).and_then(|m| m.as_str().parse().ok());
                // 截至2025年底 is its 12月.
                let m = m.or_else(|| c.get(0).filter(|a| a.as_str().ends_with('底')).map(|_| 12));
                Some((y, m))
            });
            let found = [
                (&p.held, "vehicles_held", "assets"),
                (&p.bought, "vehicles_bought", "assets"),
                (&p.three_public, "vehicles_bought", "three_public"),
                (&p.equipment, "equipment_held", "assets"),
            ];
            for (re, kind, context) in found {
                for c in re.captures_iter(sentence) {
                    let (Some(all), Some(n)) = (
                        c.get(0),
                        c.iter()
                            .skip(1)
                            .flatten()
                            .next()
                            .and_then(|m| count(m.as_str())),
                    ) else {
                        continue;
                    };
                    let before = &sentence[..all.start()];
                    let rest = &sentence[all.end()..];
                    let mut kind = kind.to_string();
                    // Equipment counted with its money (设备1台（套）、128.70万元) or after 购置 is
                    // bought, not held.
                    if kind == "equipment_held"
                        && (before.contains("购置") || p.amount_after.is_match(rest))
                    {
                        kind = "equipment_bought".to_string();
                    }
                    // The clause of the count, back to the last comma.
                    let clause = before.rsplit(['，', ',']).next().unwrap_or("");
                    // A purchase explained in the 三公 statement (公务用车购置费 … 主要是计划购置
                    // 公务用车3辆) counts what its fee buys; one given as the reason for another
                    // figure (机关运行经费 … 主要是拟购置2辆公务用车) is no statement of the assets.
                    let context = if context == "assets" && kind == "vehicles_bought" {
                        if sentence.contains("购置费") || sentence.contains("购置支出") {
                            "three_public"
                        } else if clause.contains("主要") {
                            "reason"
                        } else {
                            context
                        }
                    } else {
                        context
                    };
                    // The year of the clause: the last one printed before the count (主要是
                    // 2025年…新购置车辆1辆 is last year's purchase).
                    let year = p
                        .year
                        .captures_iter(clause)
                        .last()
                        .and_then(|c| c.get(1)?.as_str().parse().ok());
                    let amount = p
                        .amount_after
                        .captures(rest)
                        .and_then(|a| a.get(1))
                        .and_then(|m| Decimal::from_str(m.as_str()).ok())
                        .map(|v| Amount(v * Decimal::from(10_000)));
                    let subject = if kind == "vehicles_held" {
                        subject_of(before)
                    } else {
                        String::new()
                    };
                    out.push(AssetStatement {
                        kind,
                        context: context.to_string(),
                        count: n,
                        parts: parts(rest),
                        amount,
                        subject,
                        year,
                        as_of,
                        printed: all.as_str().to_string(),
                        sentence: truncate_chars(sentence, 200),
                        page: para.page_at(offset + all.start()),
                    });
                }
            }
        }
    }
    out
}

/// Who holds the vehicles: the words right before 共有, after the last comma or date.
fn subject_of(before: &str) -> String {
    let tail = before.rsplit(['，', ',', '日', '底']).next().unwrap_or("");
    let tail = tail.rsplit_once('月').map_or(tail, |(_, r)| r);
    tail.to_string()
}

#[cfg(test)]
mod tests {
    use super::super::paragraphs;
    use super::super::test_util::lines;
    use super::*;

    fn read(t: &str) -> Vec<AssetStatement> {
        from_paragraphs(&paragraphs(&lines(&[t])))
    }

    #[test]
    fn vehicles_held_with_parts_and_date() {
        let s = read("截至2025年12月31日，本部门共有车辆56辆，其中，一般公务用车0辆、执法执勤用车35辆、特种专业技术用车21辆、其他用车0辆。");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].kind, "vehicles_held");
        assert_eq!(s[0].count, 56);
        assert_eq!(s[0].subject, "本部门");
        assert_eq!(s[0].as_of, Some((2025, Some(12))));
        let parts: Vec<u64> = s[0].parts.iter().map(|p| p.1).collect();
        assert_eq!(parts, [0, 35, 21, 0]);
        assert_eq!(s[0].parts[1].0, "执法执勤用车");
    }

    #[test]
    fn a_page_number_between_parts_is_skipped() {
        let s = read("2026年部门预算安排购置车辆6辆，其中，一般公务用车0辆、执法执勤用车4辆、特种专业技术用车2辆、14其他用车0辆。");
        assert_eq!(s[0].kind, "vehicles_bought");
        assert_eq!(s[0].parts.len(), 4);
        assert_eq!(s[0].parts[3], ("其他用车".to_string(), 0));
    }

    #[test]
    fn purchases_with_their_money_and_the_three_public_statement() {
        let s = read("2026年计划购置车辆2辆、36万元，主要是执法执勤用车。");
        assert_eq!(s[0].count, 2);
        assert_eq!(s[0].amount, Some(Amount(Decimal::from(360_000))));
        let t = read("其中，公务用车购置支出151.68万元，主要用于经批准购置的5辆公务用车，比上年增加27.78万元。");
        assert_eq!(t.len(), 1);
        assert_eq!(
            (t[0].kind.as_str(), t[0].context.as_str(), t[0].count),
            ("vehicles_bought", "three_public", 5)
        );
    }

    #[test]
    fn equipment_held_and_bought() {
        let s =
            read("截至2025年底，北京市财政局共有车辆27台，单位价值100万元以上的设备4台（套）。");
        let kinds: Vec<(&str, u64)> = s.iter().map(|a| (a.kind.as_str(), a.count)).collect();
        assert_eq!(kinds, [("vehicles_held", 27), ("equipment_held", 4)]);
        assert_eq!(s[0].as_of, Some((2025, Some(12))));
        let b = read("2026年部门预算安排购置单位价值100万元以上设备0台（套）。");
        assert_eq!(b[0].kind, "equipment_bought");
    }
}
