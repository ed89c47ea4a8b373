//! Base encodings of simple fonts (PDF 32000-1 Annex D) as code → glyph name tables; the glyph
//! names go through [`super::glyphnames`] to become text. Tables generated into
//! data/encodings.rs by scripts/gen-font-data.py.

/// Code → glyph name (`None`: the code is unused).
pub type Encoding = [Option<&'static str>; 256];

include!("../../data/encodings.rs");

/// A base encoding by its `/Encoding` / `/BaseEncoding` name. `None` for names not in the PDF spec
/// we do not ship (e.g. MacExpertEncoding).
pub fn base_encoding(name: &[u8]) -> Option<&'static Encoding> {
    match name {
        b"StandardEncoding" => Some(&STANDARD),
        b"WinAnsiEncoding" => Some(&WIN_ANSI),
        b"MacRomanEncoding" => Some(&MAC_ROMAN),
        b"PDFDocEncoding" => Some(&PDF_DOC),
        _ => None,
    }
}

/// StandardEncoding: the default for Type 1 fonts without a built-in encoding.
pub fn standard() -> &'static Encoding {
    &STANDARD
}

/// WinAnsiEncoding (Windows code page 1252 with PDF's adjustments).
pub fn win_ansi() -> &'static Encoding {
    &WIN_ANSI
}

/// MacRomanEncoding.
pub fn mac_roman() -> &'static Encoding {
    &MAC_ROMAN
}

/// PDFDocEncoding (text strings, not fonts; here for completeness).
pub fn pdf_doc() -> &'static Encoding {
    &PDF_DOC
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables() {
        let std = base_encoding(b"StandardEncoding").unwrap();
        assert_eq!(std[0x41], Some("A"));
        assert_eq!(std[0x27], Some("quoteright"));
        assert_eq!(std[0xAE], Some("fi"));
        assert_eq!(std[0x80], None);
        let win = base_encoding(b"WinAnsiEncoding").unwrap();
        assert_eq!(win[0x80], Some("Euro"));
        assert_eq!(win[0x27], Some("quotesingle"));
        assert_eq!(win[0x93], Some("quotedblleft"));
        assert_eq!(win[0xA0], Some("space"));
        assert_eq!(win[0x81], Some("bullet"));
        assert_eq!(win[0xE9], Some("eacute"));
        assert_eq!(win[0x0A], None);
        let mac = base_encoding(b"MacRomanEncoding").unwrap();
        assert_eq!(mac[0x8E], Some("eacute"));
        assert_eq!(mac[0xD2], Some("quotedblleft"));
        assert_eq!(mac[0xDB], Some("currency"));
        let doc = base_encoding(b"PDFDocEncoding").unwrap();
        assert_eq!(doc[0x80], Some("bullet"));
        assert_eq!(doc[0xA0], Some("Euro"));
        assert_eq!(doc[0xE9], Some("eacute"));
        assert!(base_encoding(b"Identity-H").is_none());
    }

    #[test]
    fn every_name_maps_to_text() {
        for enc in [standard(), win_ansi(), mac_roman(), pdf_doc()] {
            for name in enc.iter().flatten() {
                assert!(
                    super::super::glyphnames::glyph_name_to_unicode(name).is_some(),
                    "{name}"
                );
            }
        }
    }
}
