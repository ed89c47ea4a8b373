//! The words allowed between a key phrase and its amount ("基本支出预算数为 7666.68 万元"),
//! matched by hand: as one regex suffix on each of the 34 key phrases it cost more to compile
//! than a small document takes to read.

/// Filler words, any number of them in any order.
const WORDS: &[&str] = &[
    "预算数",
    "预算",
    "决算数",
    "决算",
    "支出",
    "收入",
    "拨款",
    "财政",
    "资金",
    "总额",
    "总金额",
    "金额",
    "合计",
    "总计",
    "共计",
    "数额",
    "数",
    "为",
    "是",
    "共",
    "计",
    "达",
    "安排",
    "下达",
    "了",
    "的",
    "约",
    "年度",
    "年初",
    "全年",
    "调整后",
    "调整",
    "当年",
    "本年",
    "”",
    "\"",
    "》",
];

/// Longest bracketed note allowed in the filler ("(含教育收费)"), in characters.
const NOTE_MAX: usize = 12;

/// Byte offsets `p` (ascending) at which `clause[p..]` is filler only; `clause.len()` is one.
pub(super) fn starts(clause: &str) -> Vec<usize> {
    let n = clause.len();
    // ok[i]: clause[i..] is filler. Filled from the end; only char boundaries are ever set.
    let mut ok = vec![false; n + 1];
    ok[n] = true;
    for (i, _) in clause.char_indices().rev() {
        let rest = &clause[i..];
        ok[i] = WORDS.iter().any(|w| rest.starts_with(w) && ok[i + w.len()])
            || note_end(rest).is_some_and(|e| ok[i + e]);
    }
    (0..=n).filter(|&i| ok[i]).collect()
}

/// Length in bytes of a bracketed note at the start of `s`: `(`, at most [`NOTE_MAX`] characters
/// other than brackets and 类/款/项 (a function code's name is not filler), `)`.
fn note_end(s: &str) -> Option<usize> {
    let body = s.strip_prefix('(')?;
    for (k, (j, c)) in body.char_indices().enumerate() {
        match c {
            ')' => return Some(1 + j + 1),
            '(' | '类' | '款' | '项' => return None,
            _ if k >= NOTE_MAX => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filler_suffixes() {
        let c = "基本支出预算数为";
        // 基本支出|预算数为, 基本支出预算|数为, 基本支出预算数|为, and the empty suffix.
        let s = starts(c);
        let cut: Vec<&str> = s.iter().map(|&p| &c[p..]).collect();
        assert_eq!(cut, ["支出预算数为", "预算数为", "数为", "为", ""]);
        // A bracketed note is filler; one naming a 类 is not.
        assert_eq!(starts("三公经费(含教育收费)为"), [12, 29, 32]);
        assert_eq!(starts("经费(一般公共服务类)为"), [29, 32]);
        assert_eq!(starts("经费(一二三四五六七八九十一二三)"), [47]);
    }
}
