//! Text → paragraphs → sentences: the document's lines joined into paragraphs (page numbers,
//! running heads, table rows and contents lines dropped; a sentence kept whole over a page break)
//! and split into sentences. The facts, the comparisons and the items all read these sentences.

use super::patterns::patterns;
use crate::document::TextLine;

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
        let texts: Vec<&str> = lines[i..j]
            .iter()
            .map(|l| l.text.trim())
            .filter(|t| !t.is_empty())
            .collect();
        // The first two and last two lines: a page number may stand above or below the head.
        // Only they are normalized (the paragraphs normalize every line once more).
        let n = texts.len();
        let mut ks = vec![0, 1, n.saturating_sub(2), n.saturating_sub(1)];
        ks.dedup();
        for k in ks {
            if let Some(t) = texts.get(k) {
                let t = crate::pdf::normalize::normalize(t).trim().to_string();
                edges.entry(t).or_default().insert(page);
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

pub(crate) fn truncate_chars(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use crate::document::TextLine;
    use crate::model::Amount;
    use crate::narrative::extract;
    use crate::narrative::test_util::{d, yuan};

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
}
