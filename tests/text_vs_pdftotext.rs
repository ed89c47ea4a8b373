//! Must-show 1 of the text-layer issue: on every page of the real corpus, the multiset of CJK
//! ideographs, digits and `.,-%` in `gongkai text` equals pdftotext's (after the same normalization),
//! on at least 99.5% of pages, with no U+FFFD. The comparison itself is `scripts/compare-text.py`,
//! so the figure quoted in notes and the one tested are produced by the same code.

use std::process::Command;

#[test]
fn corpus_text_matches_pdftotext() {
    let out = std::env::temp_dir().join(format!("gongkai-compare-{}.json", std::process::id()));
    let status = Command::new("python3")
        .args([
            "scripts/compare-text.py",
            "--gongkai",
            env!("CARGO_BIN_EXE_gongkai"),
            "--json",
        ])
        .arg(&out)
        .arg("../shared/corpus/real")
        .status()
        .expect("python3 and pdftotext (poppler-utils) are needed: .ci/run installs them");
    let report = std::fs::read_to_string(&out).expect("comparison report written");
    let _ = std::fs::remove_file(&out);
    let v: serde_json::Value = serde_json::from_str(&report).expect("valid JSON report");
    let pages = v["pages"].as_u64().unwrap_or(0);
    let matched = v["matched"].as_u64().unwrap_or(0);
    let files = v["files"].as_array().map(|a| a.len()).unwrap_or(0);
    // The corpus: 20 PDFs, 418 pages.
    assert_eq!(files, 20, "all corpus PDFs compared");
    assert_eq!(pages, 418, "page count agrees with pdftotext");
    assert_eq!(v["fffd"].as_u64(), Some(0), "no U+FFFD in gongkai output");
    assert!(
        matched * 1000 >= pages * 995,
        "only {matched}/{pages} pages match pdftotext"
    );
    assert!(status.success(), "compare-text.py reported failure");
}
