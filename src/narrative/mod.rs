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

pub mod comparisons;
pub mod dates;
mod filler;
pub mod item_rows;
pub mod items;

use std::str::FromStr;
use std::sync::OnceLock;

use regex::Regex;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::document::TextLine;
use crate::model::Amount;

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

/// Longest sentence kept in a fact (characters).
const SENTENCE_MAX: usize = 300;

/// Key phrases for money facts, most specific first. `both` marks combined income/expenditure
/// totals (收、支预算总计) that yield two facts; `bare` marks phrases that are totals only when
/// nothing qualifies them (收入预算 at the start of a clause, not 事业收入预算).
struct KeySpec {
    key: &'static str,
    pattern: &'static str,
    kind: SpecKind,
}

#[derive(Clone, Copy, PartialEq)]
enum SpecKind {
    Plain,
    Both,
    Bare,
    /// 基本支出 / 项目支出: scoped by 一般公共预算 / 财政拨款 in the sentence.
    Scoped,
}

const KEY_SPECS: &[KeySpec] = &[
    KeySpec {
        key: "fiscal_appropriation_total",
        pattern: r"财政拨款(?:收支|收、支|收入、支出|收入支出|收入和支出)(?:预算|决算)?(?:总预算|总决算|总计|总额)",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "fiscal_appropriation_total",
        pattern: r"财政拨款(?:收入|支出)(?:预算|决算)?总计",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "income_total",
        pattern: r"(?:收支|收、支|收入、支出|收入支出|收入和支出)(?:预算|决算)?(?:总预算|总决算|总计|总额)",
        kind: SpecKind::Both,
    },
    KeySpec {
        key: "income_total",
        pattern: r"(?:预算收入总计|收入预算总计|收入决算总计|收入总计|收入总预算|收入预算总额|收入总额)",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "expenditure_total",
        pattern: r"(?:预算支出总计|支出预算总计|支出决算总计|支出总计|支出总预算|支出预算总额|支出总额)",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "income_total",
        pattern: r"(?:收入预算|预算收入)",
        kind: SpecKind::Bare,
    },
    KeySpec {
        key: "expenditure_total",
        pattern: r"(?:支出预算|预算支出)",
        kind: SpecKind::Bare,
    },
    KeySpec {
        key: "current_year_income",
        pattern: r"本年收入",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "current_year_expenditure",
        pattern: r"本年支出",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "carryover",
        pattern: r"上年结转(?:和结余|结余)?",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "general_budget_income",
        pattern: r"一般公共预算(?:财政)?(?:拨款)?(?:补助)?收入",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "general_budget_expenditure",
        pattern: r"一般公共预算(?:财政)?(?:拨款)?(?:当年)?(?:预算)?支出",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "general_budget",
        pattern: r"一般公共预算(?:财政)?(?:拨款)?",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "gov_fund_income",
        pattern: r"政府性基金(?:预算)?(?:财政)?(?:拨款)?收入",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "gov_fund_expenditure",
        pattern: r"政府性基金(?:预算)?(?:财政)?(?:拨款)?(?:当年)?(?:预算)?支出",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "gov_fund",
        pattern: r"政府性基金(?:预算)?(?:财政)?(?:拨款)?",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "state_capital_income",
        pattern: r"国有资本经营(?:预算)?(?:财政)?(?:拨款)?收入",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "state_capital_expenditure",
        pattern: r"国有资本经营(?:预算)?(?:财政)?(?:拨款)?(?:当年)?(?:预算)?支出",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "state_capital",
        pattern: r"国有资本经营(?:预算)?(?:财政)?(?:拨款)?",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "fiscal_appropriation_income",
        pattern: r"财政拨款收入",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "fiscal_appropriation_expenditure",
        pattern: r"财政拨款(?:预算)?支出",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "basic",
        pattern: r"基本支出",
        kind: SpecKind::Scoped,
    },
    KeySpec {
        key: "project",
        pattern: r"项目支出",
        kind: SpecKind::Scoped,
    },
    KeySpec {
        key: "personnel",
        pattern: r"人员经费",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "public",
        pattern: r"公用经费",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "three_public",
        pattern: r#"[“"']?三公[”"']?经费"#,
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "outbound_travel",
        pattern: r"因公出国\(境\)(?:费用|费)?|因公出国境费|因公出国费",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "reception",
        pattern: r"公务接待(?:费用|费)?",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "vehicle",
        pattern: r"公务用车购置(?:及|和)运行(?:维护|维修)?(?:费用|费)?",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "vehicle_purchase",
        pattern: r"公务用车购置(?:费用|费)?",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "vehicle_operation",
        pattern: r"公务用车运行(?:维护|维修)?(?:费用|费)?",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "operating_costs",
        pattern: r"机关运行经费",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "procurement_total",
        pattern: r"政府采购(?:预算|支出)?(?:总额|总金额|合计|总计)?",
        kind: SpecKind::Plain,
    },
];

/// Compiled patterns, built once.
struct Patterns {
    /// A number with its unit.
    token: Regex,
    /// Each key phrase, anchored at the end (the filler after it is matched by hand).
    keys: Vec<(usize, Regex)>,
    /// Procurement parts: the whole clause before the amount.
    procurement_part: Regex,
    /// A direction word right before a change amount or percent.
    direction_end: Regex,
    /// The comparison that makes a direction word a year-on-year change.
    marker: Regex,
    /// 与上年持平.
    flat: Regex,
    /// 占 (…的) right before a percent.
    share_end: Regex,
    /// A final-account clause stating the outcome of a budget named just before (支出决算为).
    final_clause: Regex,
    /// The start of an explanation (主要原因是…): amounts after it are not the stated quantities.
    reason: Regex,
    /// Performance-target amount clause (共计金额 / 涉及项目预算资金).
    perf_amount: Regex,
    vehicles: Regex,
    office_area: Regex,
    staffing_authorized: Regex,
    staffing_actual: Regex,
    performance_projects: Regex,
    /// A list marker alone ("(一)", "1.", "二、").
    marker_only: Regex,
    /// Line starts that open a new paragraph (一、 (一) 1. 1、 (1) 第三部分).
    para_start: Regex,
    /// A table-of-contents line (dot leaders followed by a page number).
    toc: Regex,
    /// A page number alone on a line.
    page_number: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let re = |s: &str| Regex::new(s).expect("narrative pattern"); // ok: constant
        let keys = KEY_SPECS
            .iter()
            .enumerate()
            .map(|(i, k)| (i, re(&format!("(?:{})$", k.pattern))))
            .collect();
        Patterns {
            token: re(
                r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)(?P<unit>亿元|万元|千元|元|%|辆|平方米|平米|m2|名|人|个)",
            ),
            keys,
            procurement_part: re(
                r"^(?:其中)?(?:政府采购|拟购买|拟采购|采购)?(?P<part>货物|工程|服务)(?:类)?(?:政府)?(?:采购)?(?:预算|支出)*(?:金额|总额)?(?:为|是)?$",
            ),
            direction_end: re(r"(?P<dir>增加|减少|增长|下降|降低|上升|调增|调减)了?$"),
            marker: re(r"(?:比|较|与)(?:上年|去年|上一年度|上一年|[0-9]{4}年度|[0-9]{4}年)|同比"),
            flat: re(
                r"(?:(?:比|较|与)(?:上年|去年|上一年度|上一年|[0-9]{4}年度|[0-9]{4}年)[^,;:。]{0,12}?|同比)(?:持平|相等|一致)",
            ),
            share_end: re(r"占[^,;:。%]{0,30}$"),
            final_clause: re(r"^(?:其中)?(?:支出)?决算(?:数)?(?:为|是)?$"),
            reason: re(r"原因|主要由于|主要是|主要用于"),
            perf_amount: re(
                r"^(?:共计|合计|涉及|共)?(?:项目)?(?:预算)?(?:金额|资金)(?:共计|合计|为|共)?$",
            ),
            vehicles: re(
                r"(?:(?:共有|现有|实有|拥有)(?:各类)?(?:公务用车|公务车辆|车辆|公车)?|(?:公务用车|公务车辆|车辆)(?:保有量|实有数|总数|数量))(?:共|合计|共计|为)?$",
            ),
            office_area: re(r"办公用房.*(?:面积|共|合计)(?:共|合计|共计|为|约)?$"),
            staffing_authorized: re(r"(?:^|[^政业勤属关])编制(?:人数|数|总数)?(?:为|共|共计|合计)?$"),
            staffing_actual: re(
                r"(?:在编在岗|在编在职|在职在编|实有人员|实有人数|在职人员|实际在编人员)(?:人员|人数)?(?:为|共|共计|合计)?$",
            ),
            performance_projects: re(r"绩效目标.*项目(?:共|合计|共计)?(?:为)?$"),
            marker_only: re(
                r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十0-9]{1,3}\)|[0-9]{1,2}[、.)])$",
            ),
            para_start: re(
                r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十0-9]{1,3}\)|[0-9]{1,2}(?:[、)]|\.(?:[^0-9]|$))|第[一二三四五六七八九十]+部分)",
            ),
            toc: re(r"(?:\.{4,}|…{2,}|·{4,}|\.\s\.\s\.)\s*[0-9]{1,3}\s*$"),
            page_number: re(r"^(?:[-─—–]+\s*[0-9]{1,4}\s*[-─—–]+|[0-9]{1,4}|第\s*[0-9]{1,4}\s*页(?:\s*共\s*[0-9]{1,4}\s*页)?)$"),
        }
    })
}

/// Extract facts from the document's lines (in order; a sentence may be wrapped over several lines
/// of a PDF page: join consecutive lines of the same page before splitting into sentences at 。；;
/// and also at line starts like "一、" "（一）" "1." that begin a new paragraph).
pub fn extract(lines: &[TextLine]) -> Vec<Fact> {
    let mut facts = Vec::new();
    for para in paragraphs(lines) {
        let mut prev_open: Option<Vec<usize>> = None;
        for (offset, sentence) in split_sentences(&para.text) {
            let page = para.page_at(offset);
            prev_open = Sentence::new(sentence, page, prev_open).run(&mut facts);
        }
    }
    facts
}

/// Joined lines, with the page each part starts on (a paragraph may run over a page break).
pub(crate) struct Paragraph {
    pub(crate) text: String,
    /// (byte offset in `text`, page), ascending.
    pub(crate) pages: Vec<(usize, usize)>,
}

impl Paragraph {
    pub(crate) fn page_at(&self, offset: usize) -> usize {
        self.pages
            .iter()
            .take_while(|(o, _)| *o <= offset)
            .last()
            .or(self.pages.first())
            .map(|(_, p)| *p)
            .unwrap_or(0)
    }
}

/// Whitespace removed except between two ASCII alphanumerics (so "13649.07 万元" reads as one
/// amount but two numbers in a row stay apart).
fn squash(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            let mut j = i;
            while chars.get(j).is_some_and(|c| c.is_whitespace()) {
                j += 1;
            }
            let before = out.chars().last();
            let after = chars.get(j).copied();
            if before.is_some_and(|b| b.is_ascii_alphanumeric())
                && after.is_some_and(|a| a.is_ascii_alphanumeric())
            {
                out.push(' ');
            }
            i = j;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// A table row that reached the lines: several numbers in columns and no sentence punctuation.
fn looks_like_table_row(raw: &str) -> bool {
    if raw.contains('\t') {
        return true;
    }
    // Sentence punctuation; a comma between digits is a thousands separator.
    let chars: Vec<char> = raw.chars().collect();
    let has_punct = chars.iter().enumerate().any(|(i, &c)| match c {
        '。' | '，' | '；' | ';' | '：' | ':' => true,
        ',' => {
            !(i > 0
                && chars.get(i - 1).is_some_and(|c| c.is_ascii_digit())
                && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()))
        }
        _ => false,
    });
    if has_punct {
        return false;
    }
    let wide_gaps = raw
        .trim()
        .split("  ")
        .filter(|p| !p.trim().is_empty())
        .count();
    let numbers = raw
        .split_whitespace()
        .filter(|w| {
            w.chars().any(|c| c.is_ascii_digit())
                && w.chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '%'))
        })
        .count();
    wide_gaps >= 3 && numbers >= 2
}

/// Lines joined into paragraphs, broken at blank lines, paragraph markers, indented first lines,
/// headings and skipped lines (table rows, contents entries). A paragraph continues over a page
/// break when it stopped mid-sentence, so that "…基本\n[page]支出预算 17123.19 万元" stays one
/// sentence rather than a bare "支出预算 17123.19 万元".
pub(crate) fn paragraphs(lines: &[TextLine]) -> Vec<Paragraph> {
    let p = patterns();
    let mut out: Vec<Paragraph> = Vec::new();
    let mut cur = Paragraph {
        text: String::new(),
        pages: Vec::new(),
    };
    let mut cur_page: Option<usize> = None;
    let mut prev_bbox: Option<[f64; 4]> = None;
    let flush = |cur: &mut Paragraph, out: &mut Vec<Paragraph>| {
        if !cur.text.is_empty() {
            out.push(Paragraph {
                text: std::mem::take(&mut cur.text),
                pages: std::mem::take(&mut cur.pages),
            });
        }
        cur.pages.clear();
    };
    let heads = running_heads(lines);
    for line in lines {
        let norm = crate::pdf::normalize::normalize(&line.text);
        let raw = norm.trim();
        // Running page numbers and heads interrupt nothing.
        if p.page_number.is_match(raw) || heads.contains(raw) {
            continue;
        }
        if raw.is_empty() || looks_like_table_row(raw) || p.toc.is_match(raw) {
            flush(&mut cur, &mut out);
            prev_bbox = None;
            continue;
        }
        let text = squash(raw);
        let new_page = cur_page != Some(line.page);
        let indented = match (prev_bbox, line.bbox) {
            (Some(a), Some(b)) if !new_page => {
                let height = (b[3] - b[1]).abs().max(1.0);
                b[0] - a[0] > 1.5 * height
            }
            _ => false,
        };
        let mid_sentence = cur
            .text
            .chars()
            .last()
            .is_some_and(|c| !matches!(c, '。' | ';' | '；' | ':' | '!' | '?'));
        let page_break = new_page && (!mid_sentence || indented);
        if page_break || p.para_start.is_match(&text) || indented {
            flush(&mut cur, &mut out);
        }
        if cur.pages.last().map(|(_, pg)| *pg) != Some(line.page) {
            cur.pages.push((cur.text.len(), line.page));
        }
        cur_page = Some(line.page);
        cur.text.push_str(&text);
        prev_bbox = line.bbox;
        // A heading line ("二、收入预算情况说明") ends its paragraph: its words are no subject.
        let heading = p.para_start.is_match(&text)
            && text.chars().count() <= 40
            && !text.contains(['。', ',', ';', '；', ':'])
            && !p.token.is_match(&text);
        if heading {
            flush(&mut cur, &mut out);
        }
    }
    flush(&mut cur, &mut out);
    out
}

/// Lines printed as the first or last line of at least three pages and of a third of the pages
/// (running heads and feet such as "苏州市交通运输局2026年度部门预算公开"): they cut sentences
/// at page breaks.
fn running_heads(lines: &[TextLine]) -> std::collections::HashSet<String> {
    use std::collections::{HashMap, HashSet};
    let mut edges: HashMap<String, HashSet<usize>> = HashMap::new();
    let mut pages: HashSet<usize> = HashSet::new();
    let mut i = 0;
    while i < lines.len() {
        let page = lines[i].page;
        let j = lines[i..]
            .iter()
            .position(|l| l.page != page)
            .map_or(lines.len(), |n| i + n);
        pages.insert(page);
        let texts: Vec<String> = lines[i..j]
            .iter()
            .map(|l| crate::pdf::normalize::normalize(&l.text).trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        // The first two and last two lines: a page number may stand above or below the head.
        let n = texts.len();
        for k in [0, 1, n.saturating_sub(2), n.saturating_sub(1)] {
            if let Some(t) = texts.get(k) {
                edges.entry(t.clone()).or_default().insert(page);
            }
        }
        i = j;
    }
    let min = 3.max(pages.len() / 3);
    edges
        .into_iter()
        .filter(|(t, on)| on.len() >= min && t.chars().count() >= 4)
        .map(|(t, _)| t)
        .collect()
}

/// Sentences with their byte offsets, split at 。；; (and ! ?).
pub(crate) fn split_sentences(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0usize;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), '。')))
    {
        if matches!(c, '。' | '；' | ';' | '!' | '?') {
            if let Some(seg) = text.get(start..i) {
                let trimmed =
                    seg.trim_start_matches(|c: char| c.is_whitespace() || c == ',' || c == '、');
                let lead = seg.len() - trimmed.len();
                let trimmed =
                    trimmed.trim_end_matches(|c: char| c.is_whitespace() || c == ',' || c == '、');
                if !trimmed.is_empty() {
                    out.push((start + lead, trimmed));
                }
            }
            start = i + c.len_utf8();
        }
    }
    out
}

fn truncate_chars(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// The unit of a number in the text.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Unit {
    Money(i64),
    Percent,
    Vehicles,
    Area,
    People,
    Count,
}

struct Token {
    start: usize,
    end: usize,
    value: Decimal,
    unit: Unit,
    printed: String,
}

/// A year-on-year change being read, not yet attached.
struct PendingChange {
    change: Change,
    start: usize,
    end: usize,
    /// The change opens its sentence: it speaks of the previous sentence's last fact.
    at_sentence_start: bool,
}

/// The reading state of one sentence.
struct Sentence<'a> {
    text: &'a str,
    page: usize,
    prev_open: Option<Vec<usize>>,
    /// Facts of the last recognized amount (two for 收、支预算总计), while nothing else intervened.
    last_group: Option<Vec<usize>>,
    /// The sentence's first fact group (a change after a 其中 list may be its).
    head: Option<Vec<usize>>,
    pending: Option<PendingChange>,
    /// A key named with its budget figure (年初预算为 X) whose outcome (决算为 Y) follows.
    budget_key: Option<String>,
    /// A performance-project count waiting for its amount.
    perf: Option<usize>,
    /// At least one token was read before (for "the change opens its sentence").
    seen_token: bool,
    /// Byte offset of the clause being read.
    clause_start: usize,
    /// Where a 其中 breakdown starts after the head fact.
    breakdown_at: Option<usize>,
    /// The sentence speaks of procurement (货物 / 工程 / 服务 are its parts).
    procurement: bool,
    /// Key prefix for 基本支出 / 项目支出: the sentence speaks of 一般公共预算 or 财政拨款 only,
    /// not of all funds.
    scope: &'static str,
}

impl<'a> Sentence<'a> {
    fn new(text: &'a str, page: usize, prev_open: Option<Vec<usize>>) -> Self {
        Sentence {
            text,
            page,
            prev_open,
            last_group: None,
            head: None,
            pending: None,
            budget_key: None,
            perf: None,
            seen_token: false,
            clause_start: 0,
            breakdown_at: None,
            procurement: text.contains("采购") || text.contains("购买"),
            scope: if text.contains("一般公共预算") {
                "general_budget_"
            } else if text.contains("财政拨款") {
                "fiscal_appropriation_"
            } else {
                ""
            },
        }
    }

    /// Read the sentence, appending facts; returns the group still open at its end (for a change
    /// stated in the next sentence: "…5853.96 万元。与上年持平。").
    fn run(mut self, facts: &mut Vec<Fact>) -> Option<Vec<usize>> {
        let p = patterns();
        let text = self.text;
        let mut events: Vec<(usize, usize, Option<Token>)> = Vec::new();
        for c in p.token.captures_iter(text) {
            let (Some(m), Some(num), Some(unit)) = (c.get(0), c.name("num"), c.name("unit")) else {
                continue;
            };
            if let Some(tok) = make_token(text, m.start(), m.end(), num.as_str(), unit.as_str()) {
                events.push((tok.start, tok.end, Some(tok)));
            }
        }
        for m in p.flat.find_iter(text) {
            events.push((m.start(), m.end(), None));
        }
        events.sort_by_key(|e| e.0);
        let mut last_end = 0usize;
        for (start, end, tok) in events {
            if start < last_end {
                continue;
            }
            let gap = text.get(last_end..start).unwrap_or("");
            // Reasons and explanations follow; their amounts are not the stated quantities.
            if p.reason.is_match(gap) {
                break;
            }
            if self.head.is_some() && self.breakdown_at.is_none() {
                self.breakdown_at = gap.find("其中").map(|i| last_end + i);
            }
            match tok {
                None => self.flat(facts, last_end, start, end),
                Some(tok) => self.token(facts, gap, last_end, tok),
            }
            last_end = end;
        }
        self.finish_change(facts);
        let open = self.last_group.take();
        open.filter(|g| {
            g.iter()
                .all(|&i| facts.get(i).is_some_and(|f| f.change.is_none()))
        })
    }

    fn sentence_text(&self) -> String {
        truncate_chars(self.text, SENTENCE_MAX)
    }

    fn flat(&mut self, facts: &mut [Fact], gap_start: usize, start: usize, end: usize) {
        self.finish_change(facts);
        let printed = self.text.get(start..end).unwrap_or("").to_string();
        let at_start = !self.seen_token && gap_start == 0 && start <= 3;
        self.pending = Some(PendingChange {
            change: Change {
                direction: "flat".to_string(),
                amount: None,
                percent: None,
                printed,
            },
            start,
            end,
            at_sentence_start: at_start,
        });
        self.finish_change(facts);
        self.seen_token = true;
    }

    fn token(&mut self, facts: &mut Vec<Fact>, gap: &str, gap_start: usize, tok: Token) {
        let p = patterns();
        let first_token = !self.seen_token;
        self.seen_token = true;
        // The clause: the gap after its last comma or colon.
        let clause_off = gap
            .char_indices()
            .filter(|(_, c)| matches!(c, ',' | ':' | '，' | '：'))
            .map(|(i, c)| i + c.len_utf8())
            .next_back()
            .unwrap_or(0);
        let clause = gap
            .get(clause_off..)
            .unwrap_or("")
            .trim_start_matches(['、', '及', '和']);
        self.clause_start = gap_start + gap.len() - clause.len();
        let text = self.text;

        if let Some(dir) = p.direction_end.captures(gap).and_then(|c| c.name("dir")) {
            let direction = match dir.as_str() {
                "减少" | "下降" | "降低" | "调减" => "decrease",
                _ => "increase",
            };
            if tok.unit == Unit::Percent {
                if let Some(pc) = self.pending.as_mut() {
                    // Only the percent said right after the amount ("…万元,增长 6.59%").
                    let close = gap.chars().count() <= 6;
                    if close && pc.change.percent.is_none() && pc.change.direction == direction {
                        pc.change.percent = Some(tok.value);
                        pc.end = tok.end;
                        pc.change.printed = text.get(pc.start..pc.end).unwrap_or("").to_string();
                        return;
                    }
                }
            }
            self.finish_change(facts);
            let Some(mk) = p.marker.find_iter(gap).last() else {
                // A direction word with no comparison (增加基本支出 …): neither fact nor change.
                self.last_group = None;
                return;
            };
            let start = gap_start + mk.start();
            let at_start = first_token && start <= 3;
            let (amount, percent) = match tok.unit {
                Unit::Money(_) => (Some(Amount(tok.value)), None),
                Unit::Percent => (None, Some(tok.value)),
                _ => {
                    self.last_group = None;
                    return;
                }
            };
            self.pending = Some(PendingChange {
                change: Change {
                    direction: direction.to_string(),
                    amount,
                    percent,
                    printed: text.get(start..tok.end).unwrap_or("").to_string(),
                },
                start,
                end: tok.end,
                at_sentence_start: at_start,
            });
            return;
        }
        self.finish_change(facts);

        match tok.unit {
            Unit::Percent => {
                if p.share_end.is_match(clause) {
                    if let Some(g) = &self.last_group {
                        for &i in g {
                            if let Some(f) = facts.get_mut(i) {
                                if f.share_percent.is_none() && f.amount.is_some() {
                                    f.share_percent = Some(tok.value);
                                }
                            }
                        }
                    }
                }
                // Other percents (完成预算的 95%) say nothing we record; the group stays open
                // only for a share directly after its amount.
            }
            Unit::Money(_) => self.money(facts, clause, tok, first_token),
            Unit::Vehicles | Unit::Area | Unit::People | Unit::Count => {
                self.quantity(facts, clause, tok)
            }
        }
    }

    fn push_fact(&self, facts: &mut Vec<Fact>, key: &str, tok: &Token) -> usize {
        let (amount, quantity) = match tok.unit {
            Unit::Money(_) => (Some(Amount(tok.value)), None),
            _ => (None, Some(tok.value)),
        };
        facts.push(Fact {
            key: key.to_string(),
            amount,
            quantity,
            printed: tok.printed.clone(),
            change: None,
            share_percent: None,
            sentence: self.sentence_text(),
            page: self.page,
        });
        facts.len().saturating_sub(1)
    }

    fn open_group(&mut self, group: Vec<usize>) {
        if self.head.is_none() {
            self.head = Some(group.clone());
        }
        self.last_group = Some(group);
    }

    fn money(&mut self, facts: &mut Vec<Fact>, clause: &str, tok: Token, first_token: bool) {
        let p = patterns();
        let text = self.text;
        // A rate ("≤2万元/个") or a threshold ("20万元以上") is not a stated total.
        let after = text.get(tok.end..).unwrap_or("");
        let before_char = text.get(..tok.start).and_then(|s| s.chars().last());
        if after.starts_with('/')
            || after.starts_with("以上")
            || after.starts_with("以下")
            || after.starts_with("(含)")
            || before_char.is_some_and(|c| matches!(c, '≤' | '≥' | '<' | '>' | '≦' | '≧' | '约'))
        {
            self.last_group = None;
            return;
        }
        // The amount of a performance-project count just stated (…项目6个,共计金额658.96万元).
        if let Some(i) = self.perf.take() {
            if p.perf_amount.is_match(clause) {
                if let Some(f) = facts.get_mut(i) {
                    f.amount = Some(Amount(tok.value));
                    f.printed = format!("{};{}", f.printed, tok.printed);
                }
                self.last_group = None;
                return;
            }
        }
        // The outcome of a budget figure named just before (年初预算为 X 万元,支出决算为 Y 万元).
        if p.final_clause.is_match(clause) {
            if let Some(key) = self.budget_key.take() {
                let i = self.push_fact(facts, &key, &tok);
                self.open_group(vec![i]);
                return;
            }
        }
        if self.procurement {
            if let Some(part) = p
                .procurement_part
                .captures(clause)
                .and_then(|c| c.name("part"))
            {
                let key = match part.as_str() {
                    "货物" => "procurement_goods",
                    "工程" => "procurement_works",
                    _ => "procurement_services",
                };
                let i = self.push_fact(facts, key, &tok);
                self.open_group(vec![i]);
                return;
            }
        }
        let Some((keys, budget_basis)) = self.match_key(clause, first_token) else {
            self.last_group = None;
            return;
        };
        if budget_basis {
            // A budget figure in a final account: its outcome comes next and is the fact.
            self.budget_key = keys.first().cloned();
            self.last_group = None;
            return;
        }
        self.budget_key = None;
        let group: Vec<usize> = keys
            .iter()
            .map(|k| self.push_fact(facts, k, &tok))
            .collect();
        self.open_group(group);
    }

    /// The key(s) a clause names right before its amount, and whether the amount is a budget
    /// figure (年初预算 / 全年预算 / 调整预算) rather than the stated quantity itself.
    fn match_key(&self, clause: &str, first_token: bool) -> Option<(Vec<String>, bool)> {
        let p = patterns();
        // (key spec, keyword start, keyword end, filler)
        let mut best: Option<(usize, usize, usize, &str)> = None;
        let ends = filler::starts(clause);
        for (i, re) in &p.keys {
            // The key phrase reaches the amount through filler only: it ends where filler starts;
            // the earliest start wins, then the longest phrase.
            let found = ends
                .iter()
                .rev()
                .filter_map(|&p| Some((re.find(clause.get(..p)?)?, p)))
                .min_by_key(|(m, _)| m.start());
            let Some((kw, p)) = found else {
                continue;
            };
            let f = clause.get(p..).unwrap_or("");
            let Some(spec) = KEY_SPECS.get(*i) else {
                continue;
            };
            let total = matches!(spec.key, "income_total" | "expenditure_total");
            if total && !total_lead_ok(clause.get(..kw.start()).unwrap_or("")) {
                continue;
            }
            if spec.kind == SpecKind::Bare && !(first_token && self.bare_ok(clause, kw.start())) {
                continue;
            }
            let better = match best {
                None => true,
                // Every candidate reaches the amount through filler only; the one starting
                // earliest is the whole phrase ("“三公”经费财政拨款支出" is 三公, not 财政拨款支出).
                Some((_, s, e, _)) => kw.start() < s || (kw.start() == s && kw.end() > e),
            };
            if better {
                best = Some((*i, kw.start(), kw.end(), f));
            }
        }
        let (i, kw_start, _, filler) = best?;
        let spec = KEY_SPECS.get(i)?;
        // "货物类政府采购支出预算" is a part, not the total.
        let lead_kw = clause.get(..kw_start).unwrap_or("");
        if spec.key == "procurement_total"
            && ["货物", "工程", "服务", "货物类", "工程类", "服务类"]
                .iter()
                .any(|w| lead_kw.ends_with(w))
        {
            return None;
        }
        // Words before the key phrase that make the amount something else: a change of it,
        // a share, a reason.
        let lead = clause.get(..kw_start).unwrap_or("");
        const SPOILERS: &[&str] = &[
            "增加",
            "减少",
            "增长",
            "下降",
            "调增",
            "调减",
            "新增",
            "上升",
            "降低",
            "占",
            "原因",
            "用于",
            "相比",
            "比上年",
            "较上年",
            "上年度",
            "上一年",
            "以前年度",
            "执行数",
        ];
        if SPOILERS.iter().any(|w| lead.contains(w)) {
            return None;
        }
        let budget_basis = ["年初", "全年", "调整"].iter().any(|w| filler.contains(w));
        let keys = match spec.kind {
            SpecKind::Both => vec!["income_total".to_string(), "expenditure_total".to_string()],
            SpecKind::Scoped => {
                vec![format!("{}{}", self.scope, spec.key)]
            }
            _ => vec![spec.key.to_string()],
        };
        Some((keys, budget_basis))
    }

    /// A bare 收入预算 / 支出预算 names the total only when nothing qualifies it: the sentence's first
    /// amount, no heading or classification before it ("(一)公共安全支出(类)…:2018年预算支出合计"
    /// is a function class), not 本年收入预算 / 事业收入预算.
    fn bare_ok(&self, clause: &str, kw_start: usize) -> bool {
        let lead = clause.get(..kw_start).unwrap_or("");
        if lead.ends_with("本年") || lead.contains("其中") || lead.contains("拨款") {
            return false;
        }
        let before = self.text.get(..self.clause_start).unwrap_or("");
        if before.contains(':') || before.contains("(类)") || before.contains("(款)") {
            return false;
        }
        total_lead_ok(lead)
    }

    fn quantity(&mut self, facts: &mut Vec<Fact>, clause: &str, tok: Token) {
        let p = patterns();
        self.last_group = None;
        let key = match tok.unit {
            Unit::Vehicles if p.vehicles.is_match(clause) => "vehicles",
            Unit::Area if p.office_area.is_match(clause) => "office_area",
            Unit::People if clause.starts_with("其中") => return,
            Unit::People if p.staffing_actual.is_match(clause) => "staffing_actual",
            Unit::People if p.staffing_authorized.is_match(clause) => "staffing_authorized",
            Unit::Count if p.performance_projects.is_match(clause) => {
                let i = self.push_fact(facts, "performance_projects", &tok);
                self.perf = Some(i);
                return;
            }
            _ => return,
        };
        self.push_fact(facts, key, &tok);
    }

    /// Attach the pending change to the fact(s) it speaks of.
    fn finish_change(&mut self, facts: &mut [Fact]) {
        let Some(pc) = self.pending.take() else {
            return;
        };
        let nearest = match &self.last_group {
            Some(g) => Some(g.clone()),
            None if pc.at_sentence_start && self.head.is_none() => self.prev_open.take(),
            None => None,
        };
        let Some(nearest) = nearest else {
            return;
        };
        // After "总计 X，其中：A，B，比上年增加…" the change may be the total's: take the one the
        // numbers agree with.
        let breakdown = self.breakdown_at.is_some_and(|q| q < pc.start);
        let head = self
            .head
            .as_ref()
            .and_then(|g| (*g != nearest && breakdown).then(|| g.clone()));
        let target = match head {
            Some(h)
                if !consistent(facts, &nearest, &pc.change)
                    && consistent(facts, &h, &pc.change) =>
            {
                h
            }
            _ => nearest,
        };
        for i in target {
            if let Some(f) = facts.get_mut(i) {
                if f.change.is_none() && f.amount.is_some() {
                    f.change = Some(pc.change.clone());
                }
            }
        }
    }
}

/// A total (收入总计, 收、支预算总计) is the document's own only when nothing qualifies it: it opens
/// the clause (after a list marker such as "(一)") or follows the unit name or the year, not
/// "其他资金收入预算总计" or "财政专户管理资金收入预算总计".
fn total_lead_ok(lead: &str) -> bool {
    let p = patterns();
    if lead.is_empty() || p.marker_only.is_match(lead) {
        return true;
    }
    lead.chars()
        .last()
        .is_some_and(|c| SUBJECT_ENDS.contains(c))
}

/// Last characters of a unit name or a year ("…服务中心", "2024年度").
const SUBJECT_ENDS: &str = "年度心处厅局院会委室所站队校馆团部门位司办府";

/// Whether a change with amount and percent agrees with a group's amount (prior = current − change).
fn consistent(facts: &[Fact], group: &[usize], change: &Change) -> bool {
    let (Some(x), Some(pct)) = (change.amount, change.percent) else {
        return false;
    };
    let Some(current) = group
        .first()
        .and_then(|&i| facts.get(i))
        .and_then(|f| f.amount)
    else {
        return false;
    };
    let signed = if change.direction == "decrease" {
        -x.0
    } else {
        x.0
    };
    let prior = current.0 - signed;
    if prior <= Decimal::ZERO {
        return false;
    }
    let Some(expected) = signed
        .checked_div(prior)
        .and_then(|r| r.checked_mul(Decimal::from(100)))
    else {
        return false;
    };
    let decimals = pct.scale().min(26);
    let tol = Decimal::new(5, decimals + 1) + Decimal::new(1, 1);
    (expected.abs() - pct).abs() <= tol
}

/// A number with its unit, converted (money to yuan). None where it is part of something else
/// (a longer number, 人次, a date).
fn make_token(text: &str, start: usize, end: usize, num: &str, unit: &str) -> Option<Token> {
    let before = text.get(..start).and_then(|s| s.chars().last());
    if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.') {
        return None;
    }
    let after = text.get(end..).unwrap_or("");
    let unit = match unit {
        "亿元" => Unit::Money(100_000_000),
        "万元" => Unit::Money(10_000),
        "千元" => Unit::Money(1_000),
        "元" => Unit::Money(1),
        "%" => Unit::Percent,
        "辆" => Unit::Vehicles,
        "平方米" | "平米" | "m2" => Unit::Area,
        "名" | "人" => {
            if after.starts_with('次') || after.starts_with('均') || after.starts_with("民") {
                return None;
            }
            Unit::People
        }
        "个" => Unit::Count,
        _ => return None,
    };
    let digits = num.replace(',', "");
    if digits.len() > 20 {
        return None; // keeps every later sum and ratio inside Decimal's range
    }
    let value = Decimal::from_str(&digits).ok()?;
    let value = match unit {
        Unit::Money(f) => value.checked_mul(Decimal::from(f))?,
        _ => value,
    };
    Some(Token {
        start,
        end,
        value,
        unit,
        printed: text.get(start..end).unwrap_or("").to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(texts: &[&str]) -> Vec<TextLine> {
        texts
            .iter()
            .map(|t| TextLine {
                text: t.to_string(),
                page: 1,
                bbox: None,
            })
            .collect()
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_default()
    }

    fn yuan(s: &str) -> Option<Amount> {
        Some(Amount(d(s)))
    }

    fn find<'a>(facts: &'a [Fact], key: &str) -> Vec<&'a Fact> {
        facts.iter().filter(|f| f.key == key).collect()
    }

    #[test]
    fn totals_with_change_attached_to_the_total() {
        let facts = extract(&lines(&["2024年度阳泉市退役军人服务中心预算收入总计774.48万元，其中：本年收入774.48万元，上年结转0万元，比上年增加258.05万元，增长49.97%，主要原因是今年新增城连共建工作专项经费。；本年单位预算支出总计774.48万元，其中：本年预算安排774.48万元，上年结转0万元，比上年增加258.05万元，增长49.97%，主要原因是今年新增城连共建工作专项经费。"]));
        let keys: Vec<&str> = facts.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "income_total",
                "current_year_income",
                "carryover",
                "expenditure_total",
                "carryover"
            ]
        );
        let income = &facts[0];
        assert_eq!(income.amount, yuan("7744800"));
        assert_eq!(income.printed, "774.48万元");
        let change = income.change.as_ref().map(|c| {
            (
                c.direction.as_str(),
                c.amount,
                c.percent,
                c.printed.as_str(),
            )
        });
        assert_eq!(
            change,
            Some((
                "increase",
                yuan("2580500"),
                Some(d("49.97")),
                "比上年增加258.05万元,增长49.97%"
            ))
        );
        assert_eq!(facts[2].amount, yuan("0"));
        assert_eq!(facts[2].change, None);
        assert_eq!(facts[3].amount, yuan("7744800"));
        assert!(facts[3].change.is_some());
        assert_eq!(facts[4].change, None);
    }

    #[test]
    fn income_breakdown_with_shares() {
        let facts = extract(&lines(&["2024年度阳泉市退役军人服务中心预算收入774.48万元，主要包括一般公共预算拨款收入774.48万元，占100.00%；政府性基金预算拨款收入0万元，占0%；国有资本经营预算拨款收入0万元，占0%；财政专户管理资金收入0万元，占0%；单位资金0万元，占0%；上年结转0万元，占0%。"]));
        let got: Vec<(&str, Option<Amount>, Option<Decimal>)> = facts
            .iter()
            .map(|f| (f.key.as_str(), f.amount, f.share_percent))
            .collect();
        assert_eq!(
            got,
            [
                ("income_total", yuan("7744800"), None),
                ("general_budget_income", yuan("7744800"), Some(d("100.00"))),
                ("gov_fund_income", yuan("0"), Some(d("0"))),
                ("state_capital_income", yuan("0"), Some(d("0"))),
                ("carryover", yuan("0"), Some(d("0"))),
            ]
        );
    }

    #[test]
    fn several_facts_in_one_clause() {
        let facts = extract(&lines(&[
            "2024年度阳泉市退役军人服务中心支出预算0万元，其中：基本支出0万元，占0%；项目支出0万元，占0%。",
        ]));
        let got: Vec<(&str, Option<Amount>, Option<Decimal>)> = facts
            .iter()
            .map(|f| (f.key.as_str(), f.amount, f.share_percent))
            .collect();
        assert_eq!(
            got,
            [
                ("expenditure_total", yuan("0"), None),
                ("basic", yuan("0"), Some(d("0"))),
                ("project", yuan("0"), Some(d("0"))),
            ]
        );
    }

    #[test]
    fn fiscal_appropriation_total_and_parts() {
        let facts = extract(&lines(&["2024年度阳泉市退役军人服务中心财政拨款收支总预算0万元。其中：一般公共预算拨款0万元，政府性基金预算拨款0万元，国有资本经营预算拨款0万元。其中：当年拨款收入0万元，上年结转收入0万元。支出包括：无。"]));
        let keys: Vec<&str> = facts.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "fiscal_appropriation_total",
                "general_budget",
                "gov_fund",
                "state_capital",
                "carryover"
            ]
        );
        assert!(facts.iter().all(|f| f.amount == yuan("0")));
    }

    #[test]
    fn general_budget_expenditure_with_change() {
        let facts = extract(&lines(&[
            "(一) 一般公共预算当年支出规模变化情况",
            "2024年度阳泉市退役军人服务中心一般公共预算当年支出774.48万元，比上年增加258.05万元，增长49.97%。",
            "2024年度阳泉市退役军人服务中心一般公共预算当年支出774.48万元,主要用于以下方面:一般公共服务支出0.24万元;社会保障和就业支出760.42万元,占98.18%;卫生健康支出5.14万元,占0.66%。",
        ]));
        assert_eq!(facts.len(), 2);
        let f = &facts[0];
        assert_eq!(f.key, "general_budget_expenditure");
        assert_eq!(f.amount, yuan("7744800"));
        assert_eq!(
            f.change,
            Some(Change {
                direction: "increase".into(),
                amount: yuan("2580500"),
                percent: Some(d("49.97")),
                printed: "比上年增加258.05万元,增长49.97%".into(),
            })
        );
        assert_eq!(facts[1].key, "general_budget_expenditure");
        assert_eq!(facts[1].share_percent, None);
    }

    #[test]
    fn basic_personnel_public_and_procurement() {
        let facts = extract(&lines(&[
            "2024年度阳泉市退役军人服务中心一般公共预算安排基本支出0万元,其中:人员经费0万元,主要包括:无;公用经费0万元,主要包括:无。",
            "2024年阳泉市退役军人服务中心政府采购预算总额43.45万元。其中:政府采购货物预算13.80万元、政府采购工程预算0万元、政府采购服务预算29.65万元。",
        ]));
        let got: Vec<(&str, Option<Amount>)> =
            facts.iter().map(|f| (f.key.as_str(), f.amount)).collect();
        assert_eq!(
            got,
            [
                ("general_budget_basic", yuan("0")),
                ("personnel", yuan("0")),
                ("public", yuan("0")),
                ("procurement_total", yuan("434500")),
                ("procurement_goods", yuan("138000")),
                ("procurement_works", yuan("0")),
                ("procurement_services", yuan("296500")),
            ]
        );
    }

    #[test]
    fn performance_vehicles_area() {
        let facts = extract(&lines(&[
            "2024年阳泉市退役军人服务中心纳入绩效目标管理的二级项目6个,共计金额658.96万元。其中:其他运转类项目0个,涉及金额0万元;特定目标类项目6个,涉及金额658.96万元。公开项目绩效目标5个,涉及项目金额358.96万元,占部门(单位)项目支出总额的54%。",
            "截至2023年12月31日，阳泉市退役军人服务中心共有公务用车编制0辆，实有0辆，其中：领导用车0辆。",
            "截至2023年12月31日，阳泉市退役军人服务中心使用的办公用房建筑总面积250平方米。",
            "截至2023年12月31日，阳泉市退役军人服务中心占有使用价值50万元（原值）以上的通用设备0台（套）。",
        ]));
        let got: Vec<(&str, Option<Amount>, Option<Decimal>)> = facts
            .iter()
            .map(|f| (f.key.as_str(), f.amount, f.quantity))
            .collect();
        assert_eq!(
            got,
            [
                ("performance_projects", yuan("6589600"), Some(d("6"))),
                ("vehicles", None, Some(d("0"))),
                ("office_area", None, Some(d("250"))),
            ]
        );
    }

    #[test]
    fn wrapped_pdf_lines_combined_totals_and_next_sentence_change() {
        let l = |t: &str, x: f64| TextLine {
            text: t.to_string(),
            page: 7,
            bbox: Some([x, 100.0, 500.0, 110.0]),
        };
        let facts = extract(&[
            l("江苏省人大常委会办公厅 2017 年度收入、支出预算总", 90.0),
            l(
                "计 13649.07 万元,与上年相比收、支预算总计各增加 844.15",
                70.0,
            ),
            l(
                "万元,增长  6.59%。主要原因是政策性增资,增加基本支出  844.15 万元。其中:",
                70.0,
            ),
            l("此外,基本支出预算数为  7666.68 万元。与上年相比增", 90.0),
            l(
                "加 844.15 万元,增长 12.37%。主要原因是政策性调整工资。",
                70.0,
            ),
            l("项目支出预算数为 5853.96 万元。与上年持平。", 90.0),
        ]);
        type Row<'a> = (&'a str, Option<Amount>, Option<&'a str>, Option<Decimal>);
        let got: Vec<Row> = facts
            .iter()
            .map(|f| {
                (
                    f.key.as_str(),
                    f.amount,
                    f.change.as_ref().map(|c| c.direction.as_str()),
                    f.change.as_ref().and_then(|c| c.percent),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "income_total",
                    yuan("136490700"),
                    Some("increase"),
                    Some(d("6.59"))
                ),
                (
                    "expenditure_total",
                    yuan("136490700"),
                    Some("increase"),
                    Some(d("6.59"))
                ),
                (
                    "basic",
                    yuan("76666800"),
                    Some("increase"),
                    Some(d("12.37"))
                ),
                ("project", yuan("58539600"), Some("flat"), None),
            ]
        );
        assert_eq!(facts[0].page, 7);
        assert_eq!(facts[0].printed, "13649.07万元");
    }

    #[test]
    fn three_public_final_account_and_decrease() {
        let facts = extract(&lines(&[
            "“三公”经费财政拨款支出年初预算为 2.85 万元,支出决算为 0.39 万元,完成预算的 13.68%,其中:因公出国(境)费决算为 0.00 万元,完成预算的 0.00%;公务用车购置及运行维护费支出决算为 0.00 万元;公务接待费支出决算为 0.39 万元。",
            "(二)公务用车购置及运行费46.56万元,比2023年预算减少1.5万元,下降3.12%。其中:公务用车购置费25万元;公务用车运行费21.56万元。",
        ]));
        let got: Vec<(&str, Option<Amount>)> =
            facts.iter().map(|f| (f.key.as_str(), f.amount)).collect();
        assert_eq!(
            got,
            [
                ("three_public", yuan("3900")),
                ("outbound_travel", yuan("0")),
                ("vehicle", yuan("0")),
                ("reception", yuan("3900")),
                ("vehicle", yuan("465600")),
                ("vehicle_purchase", yuan("250000")),
                ("vehicle_operation", yuan("215600")),
            ]
        );
        let c = facts.get(4).and_then(|f| f.change.clone());
        assert_eq!(
            c.map(|c| (c.direction, c.amount, c.percent)),
            Some(("decrease".to_string(), yuan("15000"), Some(d("3.12"))))
        );
    }

    #[test]
    fn units_full_width_and_rejections() {
        let facts = extract(&lines(&[
            "本单位“三公”经费预算１,２３４.５６万元。机关运行经费3.5亿元。公务接待费12元。",
            "政府采购预算总额 ≤2万元/个",
            "一、收支预算总表情况说明......5",
            "1 2 3    774.48    0    12.00",
            "主要原因是增加基本支出 844.15 万元",
        ]));
        let got: Vec<(&str, Option<Amount>)> =
            facts.iter().map(|f| (f.key.as_str(), f.amount)).collect();
        assert_eq!(
            got,
            [
                ("three_public", yuan("12345600")),
                ("operating_costs", yuan("350000000")),
                ("reception", yuan("12")),
            ]
        );
    }

    #[test]
    fn staffing() {
        let facts = extract(&lines(&[
            "江苏省人民检察院行政政法人员编制 496 人,机构设置包括 23 个内设机构。",
            "其中行政编制 199 名、行政附属编制 104 名。实际在编在职人员 274 名,离退休人员 150 名。全年安排团组 0 个、累计 0 人次。",
        ]));
        let got: Vec<(&str, Option<Decimal>)> =
            facts.iter().map(|f| (f.key.as_str(), f.quantity)).collect();
        assert_eq!(
            got,
            [
                ("staffing_authorized", Some(d("496"))),
                ("staffing_actual", Some(d("274"))),
            ]
        );
    }

    #[test]
    fn qualified_totals_and_classes_are_not_totals() {
        let facts = extract(&lines(&[
            "2.其他资金收入预算总计15万元,与上年相比增加9.45万元,增长170.27%。",
            "(一)公共安全支出(类)检察(款):2018年预算支出合计16,444.36万元。",
            "2017年度部门支出预算安排与2016年度相比(2016年度部门支出预算安排为8,648.07万元),增加498.72万元,增长5.77%。",
            "(8)公务接待费(款)支出16万元。",
            "其中,货物类政府采购支出预算259.32万元,占20.40%。",
            "1.一般公共服务支出10528.33万元,主要用于在职人员工资福利支出。",
        ]));
        let got: Vec<(&str, Option<Amount>, Option<Decimal>)> = facts
            .iter()
            .map(|f| (f.key.as_str(), f.amount, f.share_percent))
            .collect();
        assert_eq!(
            got,
            [("procurement_goods", yuan("2593200"), Some(d("20.40")))]
        );
    }

    #[test]
    fn sentence_continued_over_a_page_break() {
        let l = |t: &str, page: usize, x: f64| TextLine {
            text: t.to_string(),
            page,
            bbox: Some([x, 700.0, 500.0, 712.0]),
        };
        let facts = extract(&[
            l(
                "江苏省高级人民法院 2017 年度一般公共预算财政拨款基本",
                23,
                90.0,
            ),
            l("- 23 -", 23, 280.0),
            l("支出预算 17123.19 万元,其中:", 24, 70.0),
            l("(一)人员经费 13594.82 万元。", 24, 90.0),
        ]);
        let got: Vec<(&str, Option<Amount>, usize)> = facts
            .iter()
            .map(|f| (f.key.as_str(), f.amount, f.page))
            .collect();
        assert_eq!(
            got,
            [
                ("general_budget_basic", yuan("171231900"), 23),
                ("personnel", yuan("135948200"), 24),
            ]
        );
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
