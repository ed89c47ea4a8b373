//! CJK radicals → unified ideographs. Some PDF fonts map glyphs of common characters (长, 见, 金 …)
//! to the look-alike code points in the CJK Radicals Supplement / Kangxi Radicals blocks, which
//! breaks search and matching; NFKC folds only the Kangxi block, so we fold both here.
//!
//! Data: Unicode Character Database, EquivalentUnifiedIdeograph.txt (Unicode 15.1.0,
//! © 2023 Unicode, Inc., https://www.unicode.org/terms_of_use.html), generated into
//! data/radicals.rs by scripts/gen-font-data.py.

include!("../../data/radicals.rs");

/// The unified ideograph equivalent to a CJK radical (U+2E80–U+2EFF, U+2F00–U+2FDF), if any.
pub fn radical_to_unified(c: char) -> Option<char> {
    if !('\u{2E80}'..='\u{2FDF}').contains(&c) {
        return None;
    }
    let i = RADICALS.binary_search_by_key(&c, |&(r, _)| r).ok()?;
    RADICALS.get(i).map(|&(_, u)| u)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_radicals() {
        assert_eq!(radical_to_unified('⻓'), Some('长'));
        assert_eq!(radical_to_unified('⻅'), Some('见'));
        assert_eq!(radical_to_unified('⼀'), Some('一'));
        assert_eq!(radical_to_unified('⾦'), Some('金'));
        assert_eq!(radical_to_unified('\u{2ED0}'), Some('钅'));
        assert_eq!(radical_to_unified('\u{2E80}'), None);
        assert_eq!(radical_to_unified('长'), None);
        assert_eq!(radical_to_unified('A'), None);
    }

    #[test]
    fn table_sorted() {
        assert!(RADICALS.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
