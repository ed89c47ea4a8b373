//! What a line of text says about the document: a table title, a table label (公开01表, 预算公开表3,
//! 表一), an amount unit (单位：万元), the unit's name (编制单位：…), a note (本表无数据), or narrative.

use crate::pdf::normalize::squash;
use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use super::DocumentDraft;
use crate::model::DocumentKind;

#[derive(Debug, Clone, PartialEq)]
pub enum LineKind {
    /// A table title, cleaned of label, year and numbering.
    Title(String),
    /// A note printed with a table.
    Note(String),
    /// Unit / unit-name / label line.
    Meta,
    /// A sentence of the narrative.
    Narrative,
    Other,
}

#[derive(Debug, Clone)]
pub struct LineFacts {
    pub kind: LineKind,
    pub unit: Option<String>,
    pub unit_name: Option<String>,
    pub label: Option<String>,
}

struct Patterns {
    unit: Regex,
    unit_name: Regex,
    label: Regex,
    year_prefix: Regex,
    enumerator: Regex,
    toc: Regex,
    title_word: Regex,
    cover: Regex,
    year: Regex,
    subject: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let re = |s: &str| Regex::new(s).unwrap_or_else(|e| panic!("bad built-in regex {s}: {e}")); // ok: constant patterns
        Patterns {
            unit: re(r"(?:金额|计量)?单位[:：]\s*(万元|千元|元|亿元)"),
            unit_name: re(
                r"(编制单位|单位名称|预算单位|预算主管部门|主管部门|编制部门|部门名称|填报单位|部门)[:：]\s*([^\s:：]+?)(?:(?:金额|计量)?单位[:：]|\s|$)",
            ),
            label: re(
                r"(预算公开表\s*[0-9]+|部门公开表\s*[0-9]+|公开\s*[0-9]+\s*表|公开表\s*[一二三四五六七八九十0-9]+|附表\s*[0-9]+(?:-[0-9]+)?|^表\s*(?:[一二三四五六七八九十]+|[0-9]{1,2})(?:-[0-9]+)?)",
            ),
            year_prefix: re(r"^(?:20[0-9]{2}\s*年度?)"),
            enumerator: re(r"^(?:[一二三四五六七八九十]+[、.．]|\(?[一二三四五六七八九十]+\)|（[一二三四五六七八九十]+）|[0-9]+[、.．])"),
            toc: re(r"(?:\.{3,}|…{2,}|·{3,})\s*[0-9]*\s*$|\s[0-9]+\s*$"),
            title_word: re(r"(预算|决算|收支|收入|支出|经费|绩效|资产|采购|项目|拨款).{0,20}表"),
            cover: re(r"^(?P<pre>.*?)(?P<year>20[0-9]{2})年度?(?P<mid>.*?)(?P<who>部门|单位)?(?P<what>预算|决算)"),
            year: re(r"(20[0-9]{2})\s*年"),
            subject: re(r"(?:^|[，。；：、,;:])([^，。；：、,;:0-9()（）]{4,30}?)20[0-9]{2}年度?(?:部门|单位)?(?:预算|决算|收入|收支|支出)"),
        }
    })
}

/// Whitespace removed except a single space between two digits.
fn squash_keep_digit_gaps(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev_digit = out.chars().last().is_some_and(|p: char| p.is_ascii_digit());
            let next_digit = chars
                .get(i + 1..)
                .and_then(|r| r.iter().find(|c| !c.is_whitespace()))
                .is_some_and(|n| n.is_ascii_digit());
            if prev_digit && next_digit && !out.ends_with(' ') {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// Classify one line.
pub fn classify(text: &str) -> LineFacts {
    let p = patterns();
    let s = squash(text);
    if p.toc.is_match(&s) {
        // A table-of-contents entry names tables and parts but is none of them.
        return LineFacts {
            kind: LineKind::Other,
            unit: None,
            unit_name: None,
            label: None,
        };
    }
    let unit = p
        .unit
        .captures(&s)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_string());
    let unit_name = p
        .unit_name
        .captures(&s)
        .and_then(|c| c.get(2))
        .map(|m| m.as_str().trim_end_matches(['（', '(']).to_string())
        .filter(|n| {
            n.chars().count() >= 2 && !n.starts_with("万元") && !n.ends_with("单位") && n != "元"
        });
    // Labels read with the gaps between digit runs kept: "预算公开表1 2024年…" is 表1, not 表12024.
    let label = p
        .label
        .find(&squash_keep_digit_gaps(text))
        .map(|m| m.as_str().to_string());
    let kind = if s.contains("本表无数据")
        || s.contains("本表为空")
        || s.contains("此表无数据")
        || (s.starts_with("注") && s.len() > 3 && (s.starts_with("注:") || s.starts_with("注：")))
    {
        LineKind::Note(s.clone())
    } else if let Some(t) = title_of(&squash_keep_digit_gaps(text)) {
        LineKind::Title(t)
    } else if unit.is_some()
        || unit_name.is_some()
        || label.as_deref().is_some_and(|l| l.len() + 2 >= s.len())
    {
        LineKind::Meta
    } else if s.chars().count() > 24 || s.contains('。') {
        LineKind::Narrative
    } else {
        LineKind::Other
    };
    LineFacts {
        kind,
        unit,
        unit_name,
        label,
    }
}

/// A table title in this (space-free) text, cleaned of its label, year and numbering.
fn title_of(s: &str) -> Option<String> {
    let p = patterns();
    if p.toc.is_match(s) || s.contains('。') || s.contains("详见") || s.contains('，') {
        return None;
    }
    let mut t: String = p
        .label
        .replace_all(s, "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    // Unit / unit-name parts that share the line.
    if let Some(m) = p.unit.find(&t) {
        t.truncate(m.start());
    }
    if let Some(m) = p.unit_name.find(&t) {
        t.truncate(m.start());
    }
    let t = t.trim_matches(|c: char| c == ':' || c == '：' || c.is_whitespace());
    let t = p.enumerator.replace(t, "");
    let t = p.year_prefix.replace(&t, "").to_string();
    let n = t.chars().count();
    if !(3..=48).contains(&n) {
        return None;
    }
    // Must end with 表, optionally followed by a parenthesized qualifier (续, 不含上年结转, 万元).
    let core = match t.rfind(['（', '(']) {
        Some(i) if t.ends_with('）') || t.ends_with(')') => t.get(..i).unwrap_or(&t),
        _ => t.as_str(),
    };
    if !core.ends_with('表') || !p.title_word.is_match(core) {
        return None;
    }
    Some(t)
}

/// Could this line be the first half of a title wrapped onto the next line?
pub fn could_continue_title(text: &str) -> bool {
    let s = squash(text);
    let n = s.chars().count();
    (2..=40).contains(&n)
        && !s.ends_with('表')
        && !s.ends_with(')')
        && !s.ends_with('）')
        && !s.contains('。')
        && !patterns().toc.is_match(&s)
        && [
            "预算", "决算", "经费", "收支", "支出", "收入", "绩效", "公开",
        ]
        .iter()
        .any(|k| s.contains(k))
}

/// What a grid row states about the document when its cells are a label and a value, without a
/// colon between them (部门名称 | 北京市财政局), or a row holding only a year (（2026年度）): the
/// unit's name and the year.
pub fn row_facts(cells: &[&str]) -> (Option<String>, Option<i32>) {
    let texts: Vec<String> = cells
        .iter()
        .map(|c| squash(c))
        .filter(|c| !c.is_empty())
        .collect();
    let mut name = None;
    if let [label, value, ..] = texts.as_slice() {
        let is_label = matches!(
            label.as_str(),
            "部门名称"
                | "单位名称"
                | "部门(单位)名称"
                | "部门（单位）名称"
                | "预算单位"
                | "预算部门"
        );
        let n = value.chars().count();
        let looks_like_name = (3..=40).contains(&n)
            && !value.chars().any(|c| c.is_ascii_digit())
            && [
                "局", "室", "会", "院", "部", "厅", "处", "所", "站", "中心", ")", "）",
            ]
            .iter()
            .any(|e| value.ends_with(e));
        if is_label && looks_like_name {
            name = Some(value.clone());
        }
    }
    let year = match texts.as_slice() {
        [only] => {
            let t = only.trim_matches(|c| matches!(c, '(' | ')' | '（' | '）'));
            let digits = t.trim_end_matches('度').trim_end_matches('年');
            (digits.len() == 4 && digits.starts_with("20") && t.len() > 4)
                .then(|| digits.parse().ok())
                .flatten()
        }
        _ => None,
    };
    (name, year)
}

/// The document's own title: a year and 部门/单位 预算/决算 (公开) at the end.
pub fn is_cover_title(text: &str) -> bool {
    let s = squash(text);
    let s = s.trim_end_matches("公开");
    let ends = ["部门预算", "单位预算", "部门决算", "单位决算"]
        .iter()
        .any(|e| s.ends_with(e));
    ends && s.contains("20") && s.contains('年')
}

/// A grid's top row that is really the table's title, label, unit or unit-name line.
pub fn is_meta_row(text: &str) -> bool {
    let f = classify(text);
    matches!(f.kind, LineKind::Title(_) | LineKind::Meta)
        || f.unit.is_some()
        || f.unit_name.is_some()
}

/// Fill kind, fiscal year, unit name and title from the cover lines and the tables.
pub fn document_facts(
    doc: &mut DocumentDraft,
    unit_names: &HashMap<String, usize>,
    first_unit_name: Option<String>,
) {
    let p = patterns();
    // Cover: the first lines of the first page that has text, up to the table of contents.
    let first_page = doc.lines.first().map(|l| l.page).unwrap_or(1);
    let mut cover = String::new();
    for l in doc.lines.iter().filter(|l| l.page == first_page).take(12) {
        let s = squash(&l.text);
        if s.contains("目录") || s.starts_with("第一部分") {
            break;
        }
        // Page numbers such as "- 1 -".
        if s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '—' | '第' | '页'))
        {
            continue;
        }
        cover.push_str(&s);
        if s.contains("预算") || s.contains("决算") {
            break;
        }
    }
    let mut who: Option<&str> = None;
    let mut what: Option<&str> = None;
    if let Some(c) = p.cover.captures(&cover) {
        doc.fiscal_year = c.name("year").and_then(|m| m.as_str().parse().ok());
        who = c.name("who").map(|m| m.as_str());
        what = c.name("what").map(|m| m.as_str());
        let pre = c.name("pre").map(|m| m.as_str()).unwrap_or("");
        let mid = c.name("mid").map(|m| m.as_str()).unwrap_or("");
        let end = c.get(0).map(|m| m.end()).unwrap_or(0);
        let mut title = cover.get(..end).unwrap_or("").to_string();
        if cover.get(end..).is_some_and(|r| r.starts_with("公开")) {
            title.push_str("公开");
        }
        doc.title = Some(title);
        // "上海市普陀区2025年区级部门预算": the prefix is a region, not the unit.
        let region_level = ["省级", "市级", "区级", "县级", "本级", "州级", "旗级"]
            .iter()
            .any(|l| mid.starts_with(l));
        let from_cover = if !pre.is_empty() && !region_level {
            Some(pre.to_string())
        } else if !mid.is_empty() && !region_level {
            Some(mid.to_string())
        } else {
            None
        };
        doc.unit_name = from_cover.filter(|u| u.chars().count() >= 3);
    }
    // A labelled unit name (编制单位：…, 部门：…) is the authority when present.
    if let Some((name, _)) = unit_names.iter().max_by(|a, b| {
        a.1.cmp(b.1).then_with(|| {
            (Some(b.0) == first_unit_name.as_ref()).cmp(&(Some(a.0) == first_unit_name.as_ref()))
        })
    }) {
        doc.unit_name = Some(name.clone());
    }
    // Otherwise the name that most often stands before "20XX年度" at the start of a sentence
    // ("江苏省政协办公厅2019年度收入、支出预算总计…").
    if doc.unit_name.is_none() {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for l in doc.lines.iter().take(600) {
            for c in p.subject.captures_iter(&squash(&l.text)) {
                if let Some(m) = c.get(1) {
                    let name = m.as_str();
                    if !name.starts_with('第')
                        && !name.contains("部分")
                        && !name.contains("本部门")
                        && !name.contains("本单位")
                    {
                        *counts.entry(name.to_string()).or_insert(0) += 1;
                    }
                }
            }
        }
        doc.unit_name = counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(n, _)| n);
    }
    // Year: otherwise the most common year in table titles, year rows of forms and lines.
    if doc.fiscal_year.is_none() {
        let mut years: HashMap<i32, usize> = HashMap::new();
        for y in &doc.stated_years {
            *years.entry(*y).or_insert(0) += 3;
        }
        for t in doc.tables.iter().filter_map(|t| t.title.as_deref()) {
            for c in p.year.captures_iter(t) {
                if let Some(y) = c.get(1).and_then(|m| m.as_str().parse().ok()) {
                    *years.entry(y).or_insert(0) += 3;
                }
            }
        }
        for l in doc.lines.iter().take(400) {
            for c in p.year.captures_iter(&squash(&l.text)) {
                if let Some(y) = c.get(1).and_then(|m| m.as_str().parse().ok()) {
                    *years.entry(y).or_insert(0) += 1;
                }
            }
        }
        doc.fiscal_year = years
            .into_iter()
            .max_by_key(|&(y, n)| (n, y))
            .map(|(y, _)| y);
    }
    // Kind: from the cover, else from how often the text and table titles say each.
    let all: String = doc
        .lines
        .iter()
        .take(600)
        .map(|l| squash(&l.text))
        .chain(doc.tables.iter().filter_map(|t| t.title.clone()))
        .collect();
    if what.is_none() {
        let budget = all.matches("预算").count();
        let final_ = all.matches("决算").count();
        what = match (budget, final_) {
            (0, 0) => None,
            (b, f) if f > b => Some("决算"),
            _ => Some("预算"),
        };
    }
    if who.is_none() {
        let dept = all.matches("部门预算").count() + all.matches("部门决算").count();
        let unit = all.matches("单位预算").count() + all.matches("单位决算").count();
        who = Some(if unit > dept { "单位" } else { "部门" });
    }
    let has_tables = !doc.tables.is_empty();
    let has_cover = doc.title.is_some()
        || all.matches("部门预算").count()
            + all.matches("单位预算").count()
            + all.matches("部门决算").count()
            + all.matches("单位决算").count()
            >= 2;
    doc.kind = match (who, what) {
        _ if !has_tables && !has_cover => DocumentKind::Unknown,
        (Some("单位"), Some("预算")) => DocumentKind::UnitBudget,
        (Some("单位"), Some("决算")) => DocumentKind::UnitFinalAccount,
        (_, Some("决算")) => DocumentKind::DepartmentFinalAccount,
        (_, Some("预算")) => DocumentKind::DepartmentBudget,
        _ => DocumentKind::Unknown,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        let t = |s: &str| match classify(s).kind {
            LineKind::Title(t) => Some(t),
            _ => None,
        };
        assert_eq!(t("2024年预算收支总表").as_deref(), Some("预算收支总表"));
        assert_eq!(
            t("公开05表 一般公共预算支出预算表").as_deref(),
            Some("一般公共预算支出预算表")
        );
        assert_eq!(
            t("表五2024年一般公共预算支出预算表（不含上年结转）").as_deref(),
            Some("一般公共预算支出预算表（不含上年结转）")
        );
        assert_eq!(
            t("七、一般公共预算“三公”经费支出预算表").as_deref(),
            Some("一般公共预算“三公”经费支出预算表")
        );
        assert_eq!(t("表一2024年预算收支总表.....	2"), None);
        assert_eq!(
            t("本单位2024年收支预算总额774.48万元，详见收支总表。"),
            None
        );
        assert_eq!(t("单位：万元"), None);
    }

    #[test]
    fn units_names_labels_notes() {
        let f = classify("部门：江苏省人大常委会办公厅                单位：万元");
        assert_eq!(f.unit.as_deref(), Some("万元"));
        assert_eq!(f.unit_name.as_deref(), Some("江苏省人大常委会办公厅"));
        let f = classify("编制部门:上海市普陀区人民政府万里街道办事处 单位:元");
        assert_eq!(
            f.unit_name.as_deref(),
            Some("上海市普陀区人民政府万里街道办事处")
        );
        assert_eq!(f.unit.as_deref(), Some("元"));
        assert_eq!(
            classify("单位名称：阳泉市退役军人服务中心")
                .unit_name
                .as_deref(),
            Some("阳泉市退役军人服务中心")
        );
        assert_eq!(
            classify("预算公开表10").label.as_deref(),
            Some("预算公开表10")
        );
        assert_eq!(classify("公开01表").label.as_deref(), Some("公开01表"));
        assert_eq!(
            classify("注：本表无数据").kind,
            LineKind::Note("注：本表无数据".into())
        );
    }
}
