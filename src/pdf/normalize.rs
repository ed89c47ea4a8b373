//! Text normalization: NFKC (full-width digits and punctuation, compatibility ideographs, ideographic
//! space) plus CJK radicals that fonts use in place of the unified ideograph (⻓ → 长).

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

use super::radicals::radical_to_unified;

/// The text with all whitespace removed: printed Chinese is spaced out freely (部 门, 合 计), so
/// every keyword match works on this form.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Normalize decoded text. ASCII passes through without allocating.
pub fn normalize(raw: &str) -> Cow<'_, str> {
    if raw.is_ascii() {
        return Cow::Borrowed(raw);
    }
    let mapped: String = raw
        .chars()
        .map(|c| radical_to_unified(c).unwrap_or(c))
        .collect();
    let out: String = mapped.nfkc().collect();
    if out == raw {
        Cow::Borrowed(raw)
    } else {
        Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_radicals() {
        assert_eq!(normalize("１２３．４５"), "123.45");
        assert_eq!(normalize("（万元）"), "(万元)");
        assert_eq!(normalize("⻓期"), "长期");
        assert_eq!(normalize("⾦额"), "金额");
        assert_eq!(normalize("目　录"), "目 录");
        assert_eq!(normalize("plain"), "plain");
    }
}
