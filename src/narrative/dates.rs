//! Dates the narrative reports figures as of — "截至2025年12月31日，本部门共有车辆…" — so that
//! the checks can hold them against the fiscal year (a 2024 final account whose assets are
//! reported as of 2023年12月31日 reports the wrong year).

use serde::{Deserialize, Serialize};

use super::{paragraphs, split_sentences, truncate_chars, Paragraph};
use crate::document::TextLine;

/// One "as of" date.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StatedDate {
    pub year: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub month: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day: Option<u32>,
    /// As printed: "截至2025年12月31日".
    pub printed: String,
    pub sentence: String,
    pub page: usize,
}

/// The digits at the start of `s` and the rest.
fn number(s: &str) -> Option<(u32, &str)> {
    let n = s.chars().take_while(char::is_ascii_digit).count();
    let v = s.get(..n)?.parse().ok()?;
    Some((v, &s[n..]))
}

/// "2025年12月31日" / "2025年10月" / "2025年" at the start of `s`.
fn date(s: &str) -> Option<(i32, Option<u32>, Option<u32>, usize)> {
    let (y, rest) = number(s).filter(|(y, _)| (1990..=2100).contains(y))?;
    let rest = rest.strip_prefix('年')?;
    let mut used = s.len() - rest.len();
    let mut month = None;
    let mut day = None;
    if let Some((m, r)) = number(rest).filter(|(m, r)| (1..=12).contains(m) && r.starts_with('月'))
    {
        month = Some(m);
        let r = &r['月'.len_utf8()..];
        used = s.len() - r.len();
        if let Some((d, r2)) =
            number(r).filter(|(d, r2)| (1..=31).contains(d) && r2.starts_with('日'))
        {
            day = Some(d);
            used = s.len() - r2.len() + '日'.len_utf8();
        }
    }
    Some((i32::try_from(y).ok()?, month, day, used))
}

/// Every 截至 / 截止(到) date of the narrative, in order.
pub fn extract(lines: &[TextLine]) -> Vec<StatedDate> {
    from_paragraphs(&paragraphs(lines))
}

/// The dates of paragraphs already joined.
pub(crate) fn from_paragraphs(paras: &[Paragraph]) -> Vec<StatedDate> {
    let mut out = Vec::new();
    for para in paras {
        for (offset, sentence) in split_sentences(&para.text) {
            for word in ["截至", "截止到", "截止"] {
                for (i, _) in sentence.match_indices(word) {
                    let rest = &sentence[i + word.len()..];
                    // 截止 inside 截止到 is read once, as 截止到.
                    if word == "截止" && rest.starts_with('到') {
                        continue;
                    }
                    let Some((year, month, day, used)) = date(rest) else {
                        continue;
                    };
                    out.push(StatedDate {
                        year,
                        month,
                        day,
                        printed: format!("{word}{}", &rest[..used]),
                        sentence: truncate_chars(sentence, 200),
                        page: para.page_at(offset + i),
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(t: &str) -> Vec<TextLine> {
        vec![TextLine {
            text: t.to_string(),
            page: 30,
            bbox: None,
        }]
    }

    #[test]
    fn as_of_dates() {
        let d = extract(&lines(
            "截至 2025 年 12 月 31 日，本部门共有车辆12辆。截止到2025年10月，共有单价50万元以上设备3台。",
        ));
        assert_eq!(d.len(), 2);
        assert_eq!(
            (d[0].year, d[0].month, d[0].day),
            (2025, Some(12), Some(31))
        );
        assert_eq!(d[0].printed, "截至2025年12月31日");
        assert_eq!((d[1].year, d[1].month, d[1].day), (2025, Some(10), None));
        assert_eq!(d[1].printed, "截止到2025年10月");
        assert_eq!(d[1].page, 30);
    }
}
