//! Glyph names → Unicode, for simple fonts whose encoding names glyphs (`/Differences`, Type 1
//! built-in encodings, `post` tables). Follows the Adobe Glyph List Specification: the full AGL 2.0
//! table (BSD-3-Clause, Adobe; generated into data/glyphlist.rs by scripts/gen-font-data.py) plus
//! the algorithmic `uniXXXX…` / `uXXXX[XX]` forms, `.suffix` stripping and `_` ligatures.
//!
//! Producer-specific names (`g123`, `cid1234`, `C12`, `Gxx`) are deliberately not guessed here:
//! they return `None` and the caller decides (they are usually glyph ids or CIDs).

include!("../../data/glyphlist.rs");

/// The Unicode text for a glyph name, or `None` when the name is not in the AGL and not of an
/// algorithmic form.
pub fn glyph_name_to_unicode(name: &str) -> Option<String> {
    // "a.sc" → "a"; ".notdef" → "" (no text).
    let base = name.split('.').next().unwrap_or_default();
    let mut out = String::new();
    for comp in base.split('_') {
        if let Some(s) = component(comp) {
            out.push_str(&s);
        }
    }
    (!out.is_empty()).then_some(out)
}

fn component(c: &str) -> Option<String> {
    if c.is_empty() {
        return None;
    }
    if let Ok(i) = AGL.binary_search_by(|(n, _)| n.as_bytes().cmp(c.as_bytes())) {
        return AGL.get(i).map(|(_, u)| u.to_string());
    }
    if let Some(hex) = c.strip_prefix("uni") {
        if !hex.is_empty() && hex.len() % 4 == 0 {
            // One or more 4-digit BMP values, none a surrogate.
            let mut s = String::new();
            for i in (0..hex.len()).step_by(4) {
                s.push(scalar(hex.get(i..i + 4)?).filter(|&ch| (ch as u32) <= 0xFFFF)?);
            }
            return Some(s);
        }
    }
    if let Some(hex) = c.strip_prefix('u') {
        if (4..=6).contains(&hex.len()) {
            return scalar(hex).map(String::from);
        }
    }
    None
}

/// A hex code point (upper or lower case digits accepted: producers are not strict about case).
fn scalar(hex: &str) -> Option<char> {
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    char::from_u32(u32::from_str_radix(hex, 16).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(n: &str) -> Option<String> {
        glyph_name_to_unicode(n)
    }

    #[test]
    fn agl_names() {
        assert_eq!(g("A").as_deref(), Some("A"));
        assert_eq!(g("space").as_deref(), Some(" "));
        assert_eq!(g("quotedblleft").as_deref(), Some("\u{201C}"));
        assert_eq!(g("Euro").as_deref(), Some("€"));
        assert_eq!(g("fi").as_deref(), Some("\u{FB01}"));
        assert_eq!(g("bullet").as_deref(), Some("•"));
        assert_eq!(g("nonexistentname"), None);
    }

    #[test]
    fn algorithmic() {
        assert_eq!(g("uni4E2D").as_deref(), Some("中"));
        assert_eq!(g("uni4E2D6587").as_deref(), Some("中文"));
        assert_eq!(g("uni4e2d").as_deref(), Some("中"));
        assert_eq!(g("uniD800"), None);
        assert_eq!(g("uni4E2"), None);
        assert_eq!(g("u4E2D").as_deref(), Some("中"));
        assert_eq!(g("u20087").as_deref(), Some("\u{20087}"));
        assert_eq!(g("u110000"), None);
        assert_eq!(g("uD800"), None);
    }

    #[test]
    fn suffixes_and_ligatures() {
        assert_eq!(g("a.sc").as_deref(), Some("a"));
        assert_eq!(g("f_f_i").as_deref(), Some("ffi"));
        assert_eq!(g("uni4E2D_uni6587.vert").as_deref(), Some("中文"));
        assert_eq!(g(".notdef"), None);
        assert_eq!(g(""), None);
        assert_eq!(g("_"), None);
    }

    #[test]
    fn producer_names_are_not_guessed() {
        for n in ["g12", "g3", "cid1234", "C12", "G45", "glyph12", "index7"] {
            assert_eq!(g(n), None, "{n}");
        }
    }

    #[test]
    fn table_sorted() {
        assert!(AGL
            .windows(2)
            .all(|w| w[0].0.as_bytes() < w[1].0.as_bytes()));
    }
}
