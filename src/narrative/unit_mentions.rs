//! Units the prose names as the subject of a disclosure — the cover's "苏州市数据局2026年部门预算",
//! "现将上海市普陀区商务委员会2025年部门预算公开如下" — so that the checks can hold them against
//! the unit the tables are of (a narrative copied from another unit's document names that unit).

use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::{split_sentences, truncate_chars, Paragraph};

/// One unit named in the prose.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UnitMention {
    /// As printed, without the verb before it (现将, 关于).
    pub name: String,
    /// The sentence is a heading that names the disclosure and nothing else (a cover, the head of
    /// the tables: "某局2024年度部门决算表").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub heading: bool,
    pub sentence: String,
    pub page: usize,
}

fn subject() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| {
        Regex::new(
            r"(?:^|[，。；：、,;:“”\s])([^，。；：、,;:0-9()（）“”\s]{4,40}?)20[0-9]{2}年度?(?:部门|单位)(?:预算|决算)",
        )
        .unwrap_or_else(|e| panic!("bad built-in regex: {e}")) // ok: a constant pattern
    })
}

/// Words that begin a clause before the unit's name.
const LEADS: &[&str] = &[
    "纳入",
    "现将",
    "关于",
    "根据",
    "按照",
    "依据",
    "下面将",
    "现对",
    "对",
];

/// How the name of a government unit ends: a mention that ends otherwise (区级部门, 全区各单位)
/// names no one unit.
const UNIT_ENDINGS: &[&str] = &[
    "局",
    "委员会",
    "委",
    "厅",
    "办公室",
    "办",
    "院",
    "中心",
    "所",
    "站",
    "馆",
    "部",
    "署",
    "处",
    "队",
    "校",
    "学校",
    "会",
    "联合会",
    "政府",
    "街道办事处",
    "镇人民政府",
    "法院",
    "检察院",
    "团",
    "社",
    "台",
];

/// Every unit named as the subject of a disclosure in the paragraphs, in order.
pub(crate) fn from_paragraphs(paras: &[Paragraph]) -> Vec<UnitMention> {
    let mut out = Vec::new();
    for para in paras {
        for (offset, sentence) in split_sentences(&para.text) {
            for c in subject().captures_iter(sentence) {
                let Some(m) = c.get(1) else { continue };
                let mut name = m.as_str();
                while let Some(rest) = LEADS.iter().find_map(|l| name.strip_prefix(l)) {
                    name = rest;
                }
                if name.chars().count() < 4
                    || name.starts_with('第')
                    || ["本部门", "本单位", "部分", "所属", "各", "全"]
                        .iter()
                        .any(|w| name.contains(w))
                    || !UNIT_ENDINGS.iter().any(|e| name.ends_with(e))
                {
                    continue;
                }
                let after = sentence.get(m.end()..).unwrap_or("");
                out.push(UnitMention {
                    heading: m.start() == 0 && name.len() == m.len() && is_heading_rest(after),
                    name: name.to_string(),
                    sentence: truncate_chars(sentence, 200),
                    page: para.page_at(offset + m.start()),
                });
            }
        }
    }
    out
}

/// What follows the unit's name in a heading: the year, the kind and at most a word (表, 公开,
/// 情况说明), nothing more.
fn is_heading_rest(rest: &str) -> bool {
    let tail = rest
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches('年')
        .trim_start_matches('度')
        .trim_start_matches("部门")
        .trim_start_matches("单位")
        .trim_start_matches("预算")
        .trim_start_matches("决算");
    tail.chars().count() <= 6 && !tail.contains(['，', ',', '：', ':'])
}

#[cfg(test)]
mod tests {
    use super::super::paragraphs;
    use super::super::test_util::lines;
    use super::*;

    fn names(texts: &[&str]) -> Vec<String> {
        from_paragraphs(&paragraphs(&lines(texts)))
            .into_iter()
            .map(|m| m.name)
            .collect()
    }

    #[test]
    fn reads_the_subject_of_a_disclosure() {
        assert_eq!(names(&["苏州市数据局2026年部门预算"]), ["苏州市数据局"]);
        assert_eq!(
            names(&["现将上海市普陀区商务委员会2025年部门预算公开如下。"]),
            ["上海市普陀区商务委员会"]
        );
    }

    #[test]
    fn tells_a_heading_from_a_sentence() {
        let m = |t: &str| from_paragraphs(&paragraphs(&lines(&[t])));
        assert!(m("上海市规划和自然资源局 2024 年度部门决算表")[0].heading);
        assert!(m("苏州市数据局2026年部门预算")[0].heading);
        assert!(!m("现将苏州市数据局2026年部门预算公开如下。")[0].heading);
        assert!(!m("苏州市数据局2026年部门预算由局本级和3个单位预算组成。")[0].heading);
    }

    #[test]
    fn skips_what_names_no_unit() {
        assert!(names(&["本部门2026年部门预算收入总计100万元。"]).is_empty());
        assert!(names(&["全区各单位2026年部门预算编制工作。"]).is_empty());
        assert!(names(&["第一部分2026年部门预算情况说明"]).is_empty());
        // The year alone is no subject.
        assert!(names(&["2026年部门预算收入总计100万元。"]).is_empty());
    }
}
