//! Planted inconsistencies in a real final-account PDF (issue "final accounts and performance
//! targets", must-show 3): a figure is changed inside the page's content stream, the copy is read
//! back through the whole pipeline, and the checks must report exactly the rules the change breaks.

use std::collections::BTreeSet;
use std::path::Path;

use gongkai::model::Disclosure;
use lopdf::Document;

const PLANNING: &str = "../shared/corpus/real/shanghai/planning-final-2024.pdf";

/// The file with `from` replaced by `to` in the content of `page` (the `nth` match, counted from
/// the end when `from_end`).
fn altered(page: u32, from: &str, to: &str, from_end: bool) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(PLANNING);
    let mut doc = Document::load(&path).expect("loads");
    let pages = doc.get_pages();
    let id = *pages.get(&page).expect("page");
    let content = doc.get_page_content(id);
    let needle = from.as_bytes();
    let hits: Vec<usize> = content
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect();
    let at = if from_end { hits.last() } else { hits.first() };
    let at = *at.unwrap_or_else(|| panic!("{from} not on page {page}"));
    let mut changed = content[..at].to_vec();
    changed.extend_from_slice(to.as_bytes());
    changed.extend_from_slice(&content[at + needle.len()..]);
    doc.change_page_content(id, changed)
        .expect("content replaced");
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("saves");
    out
}

fn failing(d: &Disclosure) -> BTreeSet<String> {
    d.checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| c.rule.clone())
        .collect()
}

fn read(bytes: &[u8]) -> Disclosure {
    gongkai::extract::extract_bytes("altered.pdf", bytes, &Default::default()).expect("reads")
}

#[test]
fn figures_changed_in_the_pdf_are_caught() {
    let original =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(PLANNING)).expect("pdf");
    let baseline = failing(&read(&original));
    // narrative.item_names: p22 and p24 name 2080599 and 2200199 otherwise than the table (the
    // latter by its name before 2019, 其他国土资源事务支出); consistency.unit_name: the p7 head of
    // the tables names the city's bureau.
    assert_eq!(
        baseline,
        BTreeSet::from([
            "consistency.unit_name".to_string(),
            "narrative.amounts".to_string(),
            "narrative.item_names".to_string()
        ])
    );
    let new = |bytes: Vec<u8>| -> BTreeSet<String> {
        failing(&read(&bytes))
            .difference(&baseline)
            .cloned()
            .collect()
    };
    let set = |v: &[&str]| {
        v.iter()
            .map(|s| s.to_string())
            .collect::<BTreeSet<String>>()
    };

    // Summary p7: 年初结转和结余 112.88 → 122.88.
    assert_eq!(
        new(altered(7, "(112.88)", "(122.88)", false)),
        set(&["summary.composition"])
    );
    // 三公 p17: 公务接待费 决算数 0.39 → 0.49 (the last figure of the row).
    assert_eq!(
        new(altered(17, "(0.39)", "(0.49)", true)),
        set(&["three_public.composition", "narrative.comparison"])
    );
    // Narrative p21: 完成年初预算的 95.45% → 96.45%.
    assert_eq!(
        new(altered(
            21,
            "[(9)4(5)-3(.)4(4)-3(5)]",
            "[(9)4(6)-3(.)4(4)-3(5)]",
            false
        )),
        set(&["narrative.comparison"])
    );
}
