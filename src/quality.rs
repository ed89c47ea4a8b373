//! Extraction quality beside the publication's verdict: how completely and how certainly each
//! table and the whole document were read. The tables stage records what it could not place
//! (cells, rows, columns, the unit); here the checks' failures are read for the pattern of a
//! misreading, and file-level facts (unread pages, a partial text layer, missing header fields or
//! tables) are added. The verdict then judges the publication on what was read completely only,
//! so that a user who keeps `complete` + `clean` documents gets no wrong value.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Check, Disclosure, DocumentKind, ExtractionStatus, Severity};

/// Rules whose failures, repeated over many rows of one table, betray a misreading rather than
/// a publication's slip (cross-table rules compare two readings and say nothing of one table).
const PATTERN_RULES: &[&str] = &[
    "hierarchy.rollup",
    "table.total_row",
    "row.columns",
    "three_public.composition",
    "summary.side_sums",
];

/// Mark suspect tables and fill the document's extraction.
pub fn assess(d: &mut Disclosure) {
    // Error-level failures of one table, by the distinct rows they concern.
    let mut failing_rows: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for c in d.checks.iter().filter(|c| {
        !c.passed && c.severity == Severity::Error && PATTERN_RULES.contains(&c.rule.as_str())
    }) {
        if let Some(l) = c.locations.first() {
            if let (Some(t), Some(r)) = (l.table, l.row) {
                failing_rows.entry(t).or_default().insert(r);
            }
        }
    }
    for (ti, rows) in failing_rows {
        let Some(t) = d.tables.get_mut(ti) else {
            continue;
        };
        let with_figures = t
            .rows
            .iter()
            .filter(|r| r.values.values().any(Option::is_some))
            .count();
        // Three or more rows, and a quarter of the table: one wrong line is a publication's slip,
        // a whole table out of joint is a misreading.
        if rows.len() >= 3 && rows.len() * 4 >= with_figures {
            t.extraction.add(
                ExtractionStatus::Suspect,
                "identity_pattern",
                format!(
                    "{} of {with_figures} rows fail their accounting identities",
                    rows.len()
                ),
                t.pages.first().copied(),
            );
        }
    }
    let mut doc = crate::model::Extraction::default();
    // The document's reading is that of its budget tables; tables of no known kind and the
    // performance forms (records of their own) keep their status on the table.
    for t in d.tables.iter().filter(|t| t.kind.holds_budget_figures()) {
        if !t.extraction.is_complete() {
            let worst = t.extraction.status;
            let title = t.title.as_deref().unwrap_or(t.kind.as_str());
            let why: Vec<&str> = t
                .extraction
                .reasons
                .iter()
                .map(|r| r.code.as_str())
                .collect();
            doc.add(
                worst,
                "table",
                format!("{title}: {}", why.join(", ")),
                t.pages.first().copied(),
            );
        }
    }
    for g in d
        .diagnostics
        .iter()
        .filter(|g| g.message.starts_with("page unreadable"))
    {
        doc.add(
            ExtractionStatus::Partial,
            "unreadable_pages",
            g.message.clone(),
            g.page,
        );
    }
    for g in d
        .diagnostics
        .iter()
        .filter(|g| g.message.starts_with(crate::extract::DAMAGED))
    {
        doc.add(
            ExtractionStatus::Partial,
            "damaged_file",
            g.message.clone(),
            None,
        );
    }
    if d.source.text_layer == "partial" {
        doc.add(
            ExtractionStatus::Partial,
            "partial_text_layer",
            "some pages have no text layer (images only)",
            None,
        );
    }
    if d.document.kind == DocumentKind::Unknown {
        doc.add(
            ExtractionStatus::Partial,
            "unknown_kind",
            "not recognized as a budget or final account",
            None,
        );
    }
    if d.document.fiscal_year.is_none() || d.document.unit_name.is_none() {
        doc.add(
            ExtractionStatus::Partial,
            "missing_header_fields",
            "fiscal year or unit name not found",
            None,
        );
    }
    if let Some(c) = d
        .checks
        .iter()
        .find(|c| c.rule == "completeness.tables" && !c.passed)
    {
        doc.add(
            ExtractionStatus::Partial,
            "missing_tables",
            c.message.clone(),
            None,
        );
    }
    d.extraction = doc;
}

/// Does a finding concern only tables that were read completely (or no table at all)?
pub fn on_complete_tables(d: &Disclosure, c: &Check) -> bool {
    c.locations.iter().all(|l| {
        l.table
            .and_then(|t| d.tables.get(t))
            .is_none_or(|t| t.extraction.is_complete())
    })
}
