//! Item-by-item statements of the narrative: the 一般公共预算支出情况说明 (budget) and the
//! 支出决算具体情况 (final account) explain each 类/款/项 in turn —
//! "一般公共服务支出(类)信访事务(款)行政运行(项)2026年预算数为5,826.21万元,比2025年执行数增加
//! 271.14万元,增幅4.88%,主要是财政核定经费增加". Each becomes an [`Item`]: the names as stated,
//! every amount with its role and year, the stated change and rate, the reason, so that the checks
//! can hold it against the table row of those names and against its own arithmetic.
//!
//! An item starts at a run of classification markers (`名称(类)名称(款)名称(项)`) and ends where
//! the next run's name begins or the paragraph ends. A run with no amount (a heading such as
//! "(二)交通运输支出(类)") names the 类 / 款 of the items that follow it.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{paragraphs, truncate_chars, Change, Paragraph};
use crate::document::TextLine;
use crate::model::Amount;

/// One statement about one line of the classification.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Item {
    /// 类 / 款 / 项 names as stated (a missing one taken from the heading above, `inherited`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_name: Option<String>,
    /// 1 (类), 2 (款) or 3 (项): the deepest level the statement names.
    pub level: u8,
    /// The code of the table row these names lead to (filled once the tables are read; None
    /// when no table carries them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Names taken from a heading above rather than the statement itself.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inherited: bool,
    /// Every amount of the statement, in order.
    pub amounts: Vec<StatedAmount>,
    /// 比上年(执行数)增加/减少 X, 增幅/减幅 Y%, or 与…相同 (flat).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
    /// What the change is measured against, as printed (上年执行数, 2025年执行数, 上年预算 …) and
    /// the year it names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compared_with: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compared_year: Option<i32>,
    /// 占 P%.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_percent: Option<Decimal>,
    /// 完成(年初)预算的 R% (final accounts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion_percent: Option<Decimal>,
    /// The stated reason (主要原因是… / 主要用于…), as printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Half a unit of the amounts' last printed digit, in yuan.
    pub half_unit: Amount,
    pub sentence: String,
    pub page: usize,
}

/// One amount of an item with what it is.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StatedAmount {
    /// `this_year` | `executed_last_year` | `last_year` (上年预算) | `initial_budget` |
    /// `adjusted_budget` | `final`.
    pub role: String,
    /// The year the words before it name (2026年预算数), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    pub amount: Amount,
    pub printed: String,
    /// Printed right after the names, before any words (the statement's heading figure).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub heading: bool,
}

impl Item {
    /// The first amount of a role.
    pub fn amount(&self, role: &str) -> Option<&StatedAmount> {
        self.amounts.iter().find(|a| a.role == role)
    }
}

/// Longest statement kept (characters).
const SENTENCE_MAX: usize = 300;
/// Words of a sentence, never of a classification name.
const PROSE: &[&str] = &[
    "原因",
    "主要",
    "用于",
    "带来",
    "导致",
    "由于",
    "包括",
    "修改为",
];
/// Longest name between two markers (characters).
const NAME_MAX: usize = 40;

/// A classification marker `(类)` `(款)` `(项)`: byte range and level.
fn markers(text: &str) -> Vec<(usize, usize, u8)> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices('(') {
        let rest = &text[i + 1..];
        let level = match rest.chars().next() {
            Some('类') => 1,
            Some('款') => 2,
            Some('项') => 3,
            _ => continue,
        };
        if rest[3..].starts_with(')') {
            out.push((i, i + 1 + 3 + 1, level));
        }
    }
    out
}

/// Text that can stand between two markers of one run: a name, no clause punctuation or figures.
fn is_name(s: &str) -> bool {
    let n = s.chars().count();
    n > 0
        && n <= NAME_MAX
        && !s.contains([',', '。', ';', '；', ':', '：', '“', '”', '"'])
        && !s.chars().any(|c| c.is_ascii_digit())
}

/// The name before a run's first marker: back to the clause start, its enumerator dropped.
fn leading_name(text: &str, floor: usize, end: usize) -> (usize, String) {
    let before = &text[..end];
    let start = before
        .rfind([',', '。', ';', '；', ':', '：', '“', '"'])
        .map_or(0, |i| after_char(before, i))
        .max(floor);
    // Names hold no figures: what stands before the last one (a page's running head, an
    // enumerator "1.") is not part of it.
    let start = before[start..]
        .rfind(|c: char| c.is_ascii_digit())
        .map_or(start, |i| start + i + 1);
    let mut name = before.get(start..).unwrap_or("");
    let mut cut = start;
    // Enumerators: 1. / 1、 (the 、 already split) / (3) / (一) / 一、
    loop {
        let trimmed = strip_enumerator(name);
        if trimmed.len() == name.len() {
            break;
        }
        cut += name.len() - trimmed.len();
        name = trimmed;
    }
    for lead in ["其中", "主要是", "用于"] {
        if let Some(r) = name.strip_prefix(lead) {
            cut += lead.len();
            name = r;
        }
    }
    (cut, name.to_string())
}

/// The byte offset just past the character at `i`.
fn after_char(s: &str, i: usize) -> usize {
    i + s[i..].chars().next().map_or(1, char::len_utf8)
}

fn strip_enumerator(s: &str) -> &str {
    if let Some(r) = s.strip_prefix(['.', '、', ')', '．']) {
        return r;
    }
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    if let Some(r) = s.strip_prefix('(') {
        let n = r.chars().take_while(|&c| numeral(c)).count();
        if n > 0 {
            let after: usize = r.chars().take(n).map(char::len_utf8).sum();
            if let Some(rr) = r[after..].strip_prefix(')') {
                return rr;
            }
        }
        return s;
    }
    let n = s.chars().take_while(|&c| numeral(c)).count();
    if n == 0 {
        return s;
    }
    let after: usize = s.chars().take(n).map(char::len_utf8).sum();
    s[after..]
        .strip_prefix(['.', '、', ')'])
        .filter(|r| !r.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(s)
}

/// A number printed in the text with the unit after it.
struct Figure {
    start: usize,
    end: usize,
    value: Decimal,
    decimals: u32,
    unit: &'static str,
    printed: String,
}

/// Every figure followed by 万元 / 亿元 / 元 / % / 年 (years, to name them), in order.
fn figures(text: &str) -> Vec<Figure> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && (b[i - 1].is_ascii_digit() || b[i - 1] == b'.')) {
            i += 1;
            continue;
        }
        let start = if i > 0 && b[i - 1] == b'-' { i - 1 } else { i };
        let mut j = i;
        while j < b.len()
            && (b[j].is_ascii_digit()
                || (b[j] == b',' && j + 1 < b.len() && b[j + 1].is_ascii_digit())
                || (b[j] == b'.' && j + 1 < b.len() && b[j + 1].is_ascii_digit()))
        {
            j += 1;
        }
        let num = &text[start..j];
        let rest = text[j..].trim_start_matches(' ');
        let skip = text[j..].len() - rest.len();
        let unit = ["万元", "亿元", "元", "%", "年"]
            .into_iter()
            .find(|u| rest.starts_with(u));
        // 90元/月, 元/人: a rate, not an amount.
        let per = unit.is_some_and(|u| u != "%" && rest[u.len()..].starts_with('/'));
        if let (Some(unit), true) = (unit, num.len() <= 20 && !per) {
            let clean = num.replace(',', "");
            if let Ok(v) = Decimal::from_str(&clean) {
                let decimals = clean.split_once('.').map_or(0, |(_, r)| r.len() as u32);
                let end = j + skip + unit.len();
                out.push(Figure {
                    start,
                    end,
                    value: v,
                    decimals,
                    unit,
                    printed: text[start..end].to_string(),
                });
            }
        }
        i = j.max(i + 1);
    }
    out
}

fn yuan(f: &Figure) -> Option<Decimal> {
    match f.unit {
        "万元" => f.value.checked_mul(Decimal::from(10_000)),
        "亿元" => f.value.checked_mul(Decimal::from(100_000_000)),
        "元" => Some(f.value),
        _ => None,
    }
}

const UP: &[&str] = &["增加", "增长", "上升", "增幅", "提高"];
const DOWN: &[&str] = &["减少", "下降", "降低", "减幅", "降幅", "压减"];
/// Words that open the stated reason; figures after them belong to the reason.
const REASON: &[&str] = &["主要原因是", "主要原因为", "主要原因", "原因是", "主要是"];

/// The direction word nearest before `at` in `lead`.
fn direction(lead: &str) -> Option<&'static str> {
    let last = |words: &[&str]| words.iter().filter_map(|w| lead.rfind(w)).max();
    match (last(UP), last(DOWN)) {
        (Some(u), Some(d)) => Some(if u > d { "increase" } else { "decrease" }),
        (Some(_), None) => Some("increase"),
        (None, Some(_)) => Some("decrease"),
        (None, None) => None,
    }
}

/// The year named in `lead` (the last "20xx年" figure before the amount).
fn year_in(figs: &[&Figure]) -> Option<i32> {
    figs.iter()
        .rev()
        .find(|f| f.unit == "年" && f.decimals == 0)
        .and_then(|f| i32::try_from(f.value.trunc().mantissa()).ok())
        .filter(|y| (1990..=2100).contains(y))
}

/// Read one item's body: `body` is the text after its names.
fn read_body(item: &mut Item, whole: &str) {
    let reason_at = REASON
        .iter()
        .filter_map(|w| whole.find(w).map(|p| (p, w.len())))
        .min_by_key(|&(p, n)| (p, std::cmp::Reverse(n)));
    let body = reason_at.map_or(whole, |(p, _)| &whole[..p]);
    if let Some((p, n)) = reason_at {
        let r = whole[p + n..].trim_start_matches([':', '：', ' ']);
        let r = r.trim_end_matches(['。', ';', '；', ',']);
        if !r.is_empty() {
            item.reason = Some(truncate_chars(r, 200));
        }
    }
    let figs = figures(body);
    let mut clause_start = 0usize;
    let mut decimals = 0u32;
    let mut wan = false;
    for (k, f) in figs.iter().enumerate() {
        // The clause the figure is in, up to the figure.
        if let Some(p) = body[..f.start].rfind([',', '。', ';', '；', ':', '：']) {
            clause_start = clause_start.max(after_char(body, p));
        }
        let lead = &body[clause_start..f.start];
        let years: Vec<&Figure> = figs[..k]
            .iter()
            .filter(|g| g.start >= clause_start && g.unit == "年")
            .collect();
        let year = year_in(&years);
        match f.unit {
            "年" => {}
            "%" => {
                if lead.contains("占") {
                    item.share_percent.get_or_insert(f.value);
                } else if lead.contains("完成") {
                    item.completion_percent.get_or_insert(f.value);
                } else if let Some(dir) = direction(lead) {
                    let c = item.change.get_or_insert_with(|| Change {
                        direction: dir.to_string(),
                        amount: None,
                        percent: None,
                        printed: String::new(),
                    });
                    if c.percent.is_none() {
                        c.percent = Some(f.value);
                        push_printed(&mut c.printed, &body[clause_start..f.end]);
                    }
                    note_comparison(item, lead, year);
                }
            }
            _ => {
                let Some(v) = yuan(f) else { continue };
                decimals = decimals.max(f.decimals);
                wan |= f.unit == "万元";
                let compares = ["比", "较", "与", "同"].iter().any(|w| lead.contains(w));
                if compares && direction(lead).is_some() {
                    let dir = direction(lead).unwrap_or("increase");
                    let c = item.change.get_or_insert_with(|| Change {
                        direction: dir.to_string(),
                        amount: None,
                        percent: None,
                        printed: String::new(),
                    });
                    if c.amount.is_none() {
                        c.amount = Some(Amount(v));
                        c.direction = dir.to_string();
                        push_printed(&mut c.printed, &body[clause_start..f.end]);
                    }
                    note_comparison(item, lead, year);
                    continue;
                }
                let heading = item.amounts.is_empty()
                    && lead
                        .trim_start_matches(['”', '"', '。', ',', ' '])
                        .trim_start_matches("支出")
                        .trim_start_matches(['为', ':'])
                        .is_empty();
                let role = if lead.contains("年初预算") {
                    "initial_budget"
                } else if ["调整预算", "全年预算", "调整后预算", "调整后的预算"]
                    .iter()
                    .any(|w| lead.contains(w))
                {
                    "adjusted_budget"
                } else if lead.contains("决算") {
                    "final"
                } else if lead.contains("执行") {
                    "executed_last_year"
                } else if ["上年", "去年", "上一年"].iter().any(|w| lead.contains(w)) {
                    "last_year"
                } else {
                    "this_year"
                };
                item.amounts.push(StatedAmount {
                    role: role.to_string(),
                    year,
                    amount: Amount(v),
                    printed: f.printed.clone(),
                    heading,
                });
            }
        }
    }
    // 与2025年执行数相同 / 持平: no change.
    if item.change.is_none() {
        for word in ["相同", "持平", "一致", "无变化", "未发生变化"] {
            if let Some(p) = body.find(word) {
                let clause = body[..p]
                    .rfind([',', '。', ';', '；'])
                    .map_or(0, |i| after_char(body, i));
                let lead = &body[clause..p];
                if ["比", "较", "与", "同"].iter().any(|w| lead.contains(w)) {
                    item.change = Some(Change {
                        direction: "flat".to_string(),
                        amount: None,
                        percent: None,
                        printed: body[clause..p + word.len()].to_string(),
                    });
                    let years: Vec<Figure> = figures(lead)
                        .into_iter()
                        .filter(|f| f.unit == "年")
                        .collect();
                    let refs: Vec<&Figure> = years.iter().collect();
                    note_comparison(item, lead, year_in(&refs));
                    break;
                }
            }
        }
    }
    let half = Decimal::new(5, decimals + 1);
    item.half_unit = Amount(if wan {
        half * Decimal::from(10_000)
    } else {
        half
    });
}

fn push_printed(printed: &mut String, s: &str) {
    if !printed.is_empty() {
        printed.push(',');
    }
    printed.push_str(s.trim_start_matches([',', ' ']));
}

/// Record what a change compares with: 上年执行数 / 2025年执行数 / 上年预算 ….
fn note_comparison(item: &mut Item, lead: &str, year: Option<i32>) {
    if item.compared_with.is_some() {
        return;
    }
    let Some(p) = ["比", "较", "与", "同"]
        .iter()
        .filter_map(|w| lead.find(w).map(|i| i + w.len()))
        .min()
    else {
        return;
    };
    let rest = &lead[p..];
    // The year it names, when printed after the comparison word (not a running head before it).
    let year = year.filter(|y| rest.contains(&format!("{y}年")));
    let end = [UP, DOWN, &["相比", "相同", "持平"]]
        .concat()
        .iter()
        .filter_map(|w| rest.find(w))
        .min()
        .unwrap_or(rest.len());
    let basis = rest[..end].trim_matches([',', ' ']);
    if !basis.is_empty() {
        item.compared_with = Some(truncate_chars(basis, 30));
    }
    item.compared_year = year;
}

/// Paragraphs joined where an item's names run on into the next one: the paragraph stage ends a
/// short enumerated line as a heading ("1.一般公共服务支出(类)信访事务(款)一般行政管"), so a
/// paragraph whose last marker has no figure after it continues with the next.
fn statements(paras: &[Paragraph]) -> Vec<(String, Vec<(usize, usize)>)> {
    let mut out: Vec<(String, Vec<(usize, usize)>)> = Vec::new();
    let mut open = false;
    for para in paras {
        let text = para.text.as_str();
        if !open || out.is_empty() {
            out.push((String::new(), Vec::new()));
        }
        let Some((joined, pages)) = out.last_mut() else {
            continue;
        };
        let base = joined.len();
        for &(o, page) in &para.pages {
            if pages.last().map(|(_, p)| *p) != Some(page) {
                pages.push((base + o, page));
            }
        }
        joined.push_str(text);
        let ended = joined.ends_with(['。', ';', '；']);
        open = !ended
            && markers(joined).last().is_some_and(|&(_, e, _)| {
                !figures(&joined[e..]).iter().any(|f| f.unit != "年") && joined.len() - e < 120
            });
    }
    out
}

fn page_at(pages: &[(usize, usize)], offset: usize) -> usize {
    pages
        .iter()
        .take_while(|(o, _)| *o <= offset)
        .last()
        .or(pages.first())
        .map_or(0, |(_, p)| *p)
}

/// A run of classification names: (start of its first name, end of its last marker, the
/// (level, name) pairs).
type Run = (usize, usize, Vec<(u8, String)>);

/// Give each item the code of the row its names lead to.
pub fn resolve_codes(items: &mut [Item], tables: &[crate::model::Table]) {
    for it in items {
        let rows = super::item_rows::resolve(tables, it, None, |_| Decimal::ZERO);
        it.code = rows
            .first()
            .and_then(|m| tables.get(m.table)?.rows.get(m.row)?.code.clone());
    }
}

/// The item statements of the narrative, in order.
pub fn extract(lines: &[TextLine]) -> Vec<Item> {
    from_paragraphs(&paragraphs(lines))
}

/// The item statements of paragraphs already joined.
pub(crate) fn from_paragraphs(paras: &[Paragraph]) -> Vec<Item> {
    let mut out = Vec::new();
    // Names of the heading above (类, 款) for statements that start lower.
    let mut context: [Option<String>; 2] = [None, None];
    for (text, pages) in statements(paras) {
        let text = text.as_str();
        let ms = markers(text);
        // Group markers into runs of names.
        let mut runs: Vec<Run> = Vec::new();
        for &(s, e, level) in &ms {
            let floor = runs.last().map_or(0, |r| r.1);
            if let Some(run) = runs.last_mut() {
                let between = &text[run.1..s];
                let deeper = run.2.last().is_some_and(|(l, _)| *l < level);
                if deeper && is_name(between) {
                    run.2.push((level, between.to_string()));
                    run.1 = e;
                    continue;
                }
            }
            let (start, name) = leading_name(text, floor, s);
            // A name in a reason ("…带来住房保障支出(类)支出增加") starts no statement.
            if !is_name(&name) || PROSE.iter().any(|w| name.contains(w)) {
                continue;
            }
            runs.push((start, e, vec![(level, name)]));
        }
        for (i, (start, end, names)) in runs.iter().enumerate() {
            let stop = runs.get(i + 1).map_or(text.len(), |r| r.0);
            let body = text.get(*end..stop.max(*end)).unwrap_or("");
            // "提租补贴(项):指…": a definition of the classification, no statement.
            let defined = body.trim_start_matches([':', '：']);
            if defined.len() < body.len()
                && (defined.starts_with('指') || defined.starts_with("是指"))
            {
                continue;
            }
            let mut item = Item {
                class_name: None,
                section_name: None,
                item_name: None,
                level: 0,
                code: None,
                inherited: false,
                amounts: Vec::new(),
                change: None,
                compared_with: None,
                compared_year: None,
                share_percent: None,
                completion_percent: None,
                reason: None,
                half_unit: Amount(Decimal::ZERO),
                sentence: truncate_chars(text.get(*start..stop).unwrap_or(""), SENTENCE_MAX),
                page: page_at(&pages, *start),
            };
            for (level, name) in names {
                let slot = match level {
                    1 => &mut item.class_name,
                    2 => &mut item.section_name,
                    _ => &mut item.item_name,
                };
                *slot = Some(name.clone());
                item.level = item.level.max(*level);
            }
            let top = names.first().map_or(1, |(l, _)| *l);
            if top > 1 && item.class_name.is_none() {
                item.class_name = context[0].clone();
                item.inherited |= item.class_name.is_some();
            }
            if top > 2 && item.section_name.is_none() {
                item.section_name = context[1].clone();
                item.inherited |= item.section_name.is_some();
            }
            read_body(&mut item, body);
            if item.amounts.is_empty() && item.change.is_none() {
                // A heading: its names stand over the statements that follow.
                if item.level <= 2 {
                    context[0] = item.class_name.clone();
                    context[1] = if item.level == 2 {
                        item.section_name.clone()
                    } else {
                        None
                    };
                }
                continue;
            }
            if top == 1 {
                context = [item.class_name.clone(), None];
            }
            out.push(item);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(texts: &[&str]) -> Vec<TextLine> {
        texts
            .iter()
            .map(|t| TextLine {
                text: t.to_string(),
                page: 19,
                bbox: None,
            })
            .collect()
    }

    fn wan(s: &str) -> Amount {
        Amount(Decimal::from_str(s).expect("test figure") * Decimal::from(10_000))
        // ok: test
    }

    #[test]
    fn central_budget_statement() {
        let items = extract(&lines(&[
            "2.一般公共服务支出(类)信访事务(款)一般行政管理事务(项)2026 年预算数为 737.29 万元，比 2025 年执行数增加 670.85 万元，增幅 1009.71%，主要是部门机动经费增加。",
        ]));
        assert_eq!(items.len(), 1);
        let it = &items[0];
        assert_eq!(it.class_name.as_deref(), Some("一般公共服务支出"));
        assert_eq!(it.section_name.as_deref(), Some("信访事务"));
        assert_eq!(it.item_name.as_deref(), Some("一般行政管理事务"));
        assert_eq!(it.level, 3);
        let a = it.amount("this_year").expect("this year");
        assert_eq!(
            (a.amount, a.year, a.heading),
            (wan("737.29"), Some(2026), false)
        );
        let c = it.change.as_ref().expect("change");
        assert_eq!(c.direction, "increase");
        assert_eq!(c.amount, Some(wan("670.85")));
        assert_eq!(c.percent, Some(Decimal::new(100971, 2)));
        assert_eq!(it.compared_with.as_deref(), Some("2025年执行数"));
        assert_eq!(it.compared_year, Some(2025));
        assert_eq!(it.reason.as_deref(), Some("部门机动经费增加"));
        assert_eq!(it.half_unit, Amount(Decimal::from(50)));
    }

    #[test]
    fn heading_figure_body_figure_and_executed_amount() {
        let items = extract(&lines(&[
            "1. “一般公共服务支出(类)统计信息事务(款)专项普查活动(项)”25.77万元,主要用于专项普查活动。2023年当年预算执行数为60.13万元,2024年预算安排25.77万元,比2023年预算执行数减少57.14%。主要原因是:项目调整。",
        ]));
        assert_eq!(items.len(), 1);
        let it = &items[0];
        assert_eq!(it.item_name.as_deref(), Some("专项普查活动"));
        let roles: Vec<(&str, Option<i32>, bool)> = it
            .amounts
            .iter()
            .map(|a| (a.role.as_str(), a.year, a.heading))
            .collect();
        assert_eq!(
            roles,
            [
                ("this_year", None, true),
                ("executed_last_year", Some(2023), false),
                ("this_year", Some(2024), false)
            ]
        );
        let c = it.change.as_ref().expect("change");
        assert_eq!(
            (c.direction.as_str(), c.amount, c.percent),
            ("decrease", None, Some(Decimal::new(5714, 2)))
        );
        assert_eq!(it.compared_year, Some(2023));
        assert_eq!(it.reason.as_deref(), Some("项目调整"));
    }

    #[test]
    fn heading_class_carries_down_and_flat_change() {
        let items = extract(&lines(&[
            "(二)交通运输支出(类)",
            "1.公路水路运输(款)行政运行(项)支出 2,729.18 万元,与上年相比增加 49.6 万元,增长 1.85%。主要原因是事改企关爱帮扶补助增加。",
            "3.一般公共服务支出(类)信访事务(款)机关服务(项)2026 年预算数为 236.83 万元，与 2025 年执行数相同。",
        ]));
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].class_name.as_deref(), Some("交通运输支出"));
        assert!(items[0].inherited);
        assert_eq!(items[0].section_name.as_deref(), Some("公路水路运输"));
        let a = &items[0].amounts[0];
        assert_eq!(
            (a.role.as_str(), a.amount, a.heading),
            ("this_year", wan("2729.18"), true)
        );
        assert_eq!(items[0].compared_with.as_deref(), Some("上年"));
        assert_eq!(
            items[0].change.as_ref().map(|c| c.amount),
            Some(Some(wan("49.6")))
        );
        let flat = items[1].change.as_ref().expect("flat");
        assert_eq!(flat.direction, "flat");
        assert_eq!(items[1].compared_year, Some(2025));
        assert!(!items[1].inherited);
    }

    #[test]
    fn class_shares_in_one_sentence() {
        let items = extract(&lines(&[
            "按照支出功能分类,2026 年,一般公共服务(类)支出 13,144.37 万元,占 79.78%;教育(类)支出 118.01 万元,占 0.72%。",
        ]));
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].class_name.as_deref(), Some("一般公共服务"));
        assert_eq!(items[0].level, 1);
        assert_eq!(items[0].share_percent, Some(Decimal::new(7978, 2)));
        assert_eq!(items[1].class_name.as_deref(), Some("教育"));
        assert_eq!(items[1].amounts[0].amount, wan("118.01"));
    }

    #[test]
    fn final_account_statement() {
        let items = extract(&lines(&[
            "1.一般公共服务(类)信访事务(款)行政运行(项)。年初预算为 5717.32 万元，支出决算为 5757.63 万元，完成年初预算的 100.71%。决算数大于预算数的主要原因是 2024 年度预算执行中追加了预算。",
        ]));
        assert_eq!(items.len(), 1);
        let it = &items[0];
        assert_eq!(
            it.amount("initial_budget").map(|a| a.amount),
            Some(wan("5717.32"))
        );
        assert_eq!(it.amount("final").map(|a| a.amount), Some(wan("5757.63")));
        assert_eq!(it.completion_percent, Some(Decimal::new(10071, 2)));
        assert_eq!(it.change, None);
    }

    #[test]
    fn names_with_brackets_inside() {
        let items = extract(&lines(&[
            "一般公共服务(类)政府办公厅(室)及相关机构事务(款)行政运行(项)支出 120.00 万元。",
        ]));
        assert_eq!(items.len(), 1);
        assert_eq!(
            items[0].section_name.as_deref(),
            Some("政府办公厅(室)及相关机构事务")
        );
    }
}
