//! The five CJK font-encoding fixtures of the shared corpus decode to their expected text, through
//! the font path each one exercises.

use gongkai::layout::render_text;
use gongkai::pdf::PdfDocument;

const CJK: &str = "../shared/corpus/cjk";

/// Text of page 1 with all whitespace removed, and the encodings of the fonts it used.
fn page_one(file: &str) -> (String, Vec<String>) {
    let path = format!("{CJK}/{file}");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc = PdfDocument::load(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
    let page = doc.page(1).unwrap_or_else(|e| panic!("{path}: {e}"));
    let text: String = render_text(&page)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let encodings = page.fonts.iter().map(|f| f.encoding.clone()).collect();
    (text, encodings)
}

fn check(file: &str, expected_start: &str, encoding: &str) {
    let (text, encodings) = page_one(file);
    assert!(
        text.starts_with(expected_start),
        "{file}: expected text to start with {expected_start:?}, got {:?}",
        text.chars().take(60).collect::<String>()
    );
    assert!(!text.contains('\u{fffd}'), "{file}: U+FFFD in {text:?}");
    assert!(
        encodings.iter().any(|e| e.contains(encoding)),
        "{file}: expected a font with encoding {encoding:?}, got {encodings:?}"
    );
}

#[test]
fn xiaobiaosong_gbk_bytes_in_winansi_font() {
    // Poppler prints mojibake here: the font is declared WinAnsi but the bytes are GBK.
    check("XiaoBiaoSong.pdf", "1目录关于红军作战的原则", "GBK bytes");
}

#[test]
fn predefined_gbk_euc_h() {
    check(
        "issue2128r.pdf",
        "浅谈校长的魅力山西省闻喜县诚镇初中李新录",
        "GBK-EUC-H",
    );
}

#[test]
fn predefined_unigb_utf16_h() {
    check("issue8372.pdf", "目录", "UniGB-UTF16-H");
}

#[test]
fn identity_h_with_to_unicode() {
    // Full-width colon and parentheses are folded by NFKC.
    check(
        "issue_566_test_2.pdf",
        "甲方:中国饮料有限公司(盖章)",
        "Identity-H",
    );
}

#[test]
fn broken_to_unicode_with_cidrange() {
    // A simple font whose Differences name glyphs /g5167 … (no unicode in the names): the text can
    // only come from its ToUnicode CMap, which is written with begincidrange instead of bfrange.
    check("issue13316_reduced.pdf", "开票通知单", "Differences");
}
