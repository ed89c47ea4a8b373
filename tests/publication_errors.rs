//! The publication-error ledger (issue 10, deliverable 5): every error-level check failure that
//! remains on the whole shared corpus has been checked by hand against the rendered page and is
//! the publication's own; `tests/publication-errors.tsv` lists each (file, page, rule, printed,
//! computed, why). This test extracts every corpus PDF and asserts that its error-level failures
//! are exactly the ledger's rows — a new misreading breaks it, and so does a fix that makes an
//! entry disappear (then the entry was a misreading after all, and goes).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use gongkai::extract::{extract_file, Options};
use std::sync::OnceLock;

use gongkai::model::{Disclosure, Severity};

type Key = (String, Option<usize>, String, String, String);

fn corpus_pdfs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            corpus_pdfs(&p, out);
        } else if p.extension().is_some_and(|e| e == "pdf") {
            out.push(p);
        }
    }
}

/// The first two amounts a check message states (printed, computed), as printed with their unit.
fn amounts(message: &str) -> (String, String) {
    let re = regex::Regex::new(r"-?\d+(?:\.\d+)?(?:万元|元)").expect("constant pattern");
    let mut it = re.find_iter(message).map(|m| m.as_str().to_string());
    (it.next().unwrap_or_default(), it.next().unwrap_or_default())
}

fn ledger() -> BTreeSet<Key> {
    let text = std::fs::read_to_string("tests/publication-errors.tsv").expect("ledger present");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert!(f.len() >= 6, "ledger row needs 6 fields: {l}");
            assert!(!f[5].trim().is_empty(), "ledger row without a why: {l}");
            (
                f[0].to_string(),
                f[1].parse().ok(),
                f[2].to_string(),
                f[3].to_string(),
                f[4].to_string(),
            )
        })
        .collect()
}

/// Every corpus PDF extracted once, by its path under ../shared/corpus/.
fn corpus() -> &'static Vec<(String, Disclosure)> {
    static DOCS: OnceLock<Vec<(String, Disclosure)>> = OnceLock::new();
    DOCS.get_or_init(|| {
        let root = Path::new("../shared/corpus");
        let mut pdfs = Vec::new();
        for part in ["real", "national"] {
            corpus_pdfs(&root.join(part), &mut pdfs);
        }
        assert!(pdfs.len() >= 75, "the whole corpus: {} PDFs", pdfs.len());
        pdfs.iter()
            .map(|p| {
                let d =
                    extract_file(p, &Options::default()).unwrap_or_else(|e| panic!("{p:?}: {e}"));
                let rel = p
                    .strip_prefix(root)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .into_owned();
                (rel, d)
            })
            .collect()
    })
}

#[test]
fn error_failures_on_the_corpus_are_the_ledger() {
    let mut found: BTreeSet<Key> = BTreeSet::new();
    for (rel, d) in corpus() {
        for c in d
            .checks
            .iter()
            .filter(|c| !c.passed && c.severity == Severity::Error)
        {
            let page = c.locations.iter().find_map(|l| l.page);
            let (printed, computed) = amounts(&c.message);
            found.insert((rel.clone(), page, c.rule.clone(), printed, computed));
        }
    }
    let want = ledger();
    let new: Vec<&Key> = found.difference(&want).collect();
    let gone: Vec<&Key> = want.difference(&found).collect();
    assert!(
        new.is_empty() && gone.is_empty(),
        "error-level failures differ from tests/publication-errors.tsv\n  not in the ledger (a misreading?): {new:#?}\n  in the ledger but no longer failing: {gone:#?}"
    );
}

/// The rules of the narrative's statements (issue 11) whose findings the narrative ledger lists.
const NARRATIVE_RULES: &[&str] = &[
    "narrative.item_amount",
    "narrative.item_names",
    "narrative.item_heading",
    "narrative.item_change",
    "narrative.year_reference",
    "narrative.procurement",
    "narrative.three_public_items",
    "narrative.operating_costs",
    "narrative.performance",
    "consistency.magnitude",
    "consistency.dates",
    "classification.code_name",
    "consistency.unit_name",
    "narrative.assets",
];

#[test]
fn narrative_findings_on_the_corpus_are_the_ledger() {
    let text = std::fs::read_to_string("tests/narrative-findings.tsv").expect("ledger present");
    let ledger: Vec<(String, Option<usize>, String, String)> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert!(
                f.len() >= 5 && !f[4].trim().is_empty(),
                "row needs 5 fields and a why: {l}"
            );
            (
                f[0].to_string(),
                f[1].parse().ok(),
                f[2].to_string(),
                f[3].to_string(),
            )
        })
        .collect();
    let mut unmatched = Vec::new();
    let mut matched = vec![0usize; ledger.len()];
    for (rel, d) in corpus() {
        for c in d.checks.iter().filter(|c| {
            !c.passed && c.severity != Severity::Info && NARRATIVE_RULES.contains(&c.rule.as_str())
        }) {
            let page = c.locations.iter().find_map(|l| l.page);
            let hit = ledger.iter().position(|(f, p, r, words)| {
                f == rel && *p == page && *r == c.rule && c.message.contains(words.as_str())
            });
            match hit {
                Some(i) => matched[i] += 1,
                None => unmatched.push(format!("{rel} p{page:?} {} {}", c.rule, c.message)),
            }
        }
    }
    let gone: Vec<_> = ledger
        .iter()
        .zip(&matched)
        .filter(|(_, n)| **n != 1)
        .map(|(row, n)| format!("{row:?} matched {n} times"))
        .collect();
    assert!(
        unmatched.is_empty() && gone.is_empty(),
        "narrative findings differ from tests/narrative-findings.tsv\n  not in the ledger: {unmatched:#?}\n  rows not matched once: {gone:#?}"
    );
}
