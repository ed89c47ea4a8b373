//! The whole pipeline for one input: bytes (PDF or plain text) → [`Disclosure`].

use crate::pdf::normalize::squash;
use std::path::Path;

use rayon::prelude::*;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use crate::document::{self, identity, text_input, Block};
use crate::layout;
use crate::model::{
    Amount, Diagnostic, Disclosure, DocumentInfo, DocumentKind, RowRole, Side, Source, Table,
    TableKind, Totals, SCHEMA_VERSION,
};
use crate::pdf::{Limits, PdfDocument, PdfError};
use crate::tables;

mod units;

/// Why an input could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The OS error is in the message, not a source: printed once.
    #[error("cannot read file: {0}")]
    Io(std::io::Error),
    #[error(transparent)]
    Pdf(#[from] PdfError),
    #[error("not a PDF and not UTF-8 text")]
    UnknownFormat,
    #[error("empty file")]
    Empty,
}

impl From<std::io::Error> for ExtractError {
    fn from(e: std::io::Error) -> Self {
        ExtractError::Io(e)
    }
}

/// Options for one extraction.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub limits: Limits,
}

/// Extract a file.
pub fn extract_file(path: &Path, opts: &Options) -> Result<Disclosure, ExtractError> {
    let bytes = std::fs::read(path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    extract_bytes(&name, &bytes, opts)
}

fn looks_like_pdf(bytes: &[u8]) -> bool {
    bytes
        .get(..bytes.len().min(1024))
        .is_some_and(|h| h.windows(5).any(|w| w == b"%PDF-"))
}

/// Extract from bytes; `name` is reported as the source file name.
pub fn extract_bytes(name: &str, bytes: &[u8], opts: &Options) -> Result<Disclosure, ExtractError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ExtractError::Empty);
    }
    let sha256 = format!("{:x}", Sha256::digest(bytes));
    let mut diagnostics = Vec::new();
    let (blocks, source) = if looks_like_pdf(bytes) {
        let doc = PdfDocument::load_with_limits(bytes, opts.limits.clone())?;
        for d in &doc.diagnostics {
            diagnostics.push(Diagnostic::warning(d.clone(), None));
        }
        let meta = doc.metadata();
        let results: Vec<(usize, Result<crate::pdf::Page, PdfError>)> = (1..=doc.page_count())
            .into_par_iter()
            .map(|n| (n, doc.page(n)))
            .collect();
        let mut layouts = Vec::new();
        let mut with_text = 0;
        let mut scanned = 0;
        // Pages whose content could not be read (missing from a truncated file, undecodable,
        // beyond the cap); a page with nothing on it is blank, which is no failure.
        let mut damaged: Vec<usize> = Vec::new();
        for (n, r) in results {
            match r {
                Ok(p) => {
                    if !p.damaged.is_empty() {
                        damaged.push(n);
                    }
                    if p.glyphs.is_empty() {
                        if p.images > 0 {
                            scanned += 1;
                        }
                    } else {
                        with_text += 1;
                    }
                    for d in p.diagnostics.iter().take(5) {
                        diagnostics.push(Diagnostic::info(d.message.clone(), Some(d.page)));
                    }
                    layouts.push(layout::analyze(&p));
                }
                Err(PdfError::Timeout) => return Err(PdfError::Timeout.into()),
                Err(e) => {
                    damaged.push(n);
                    diagnostics.push(Diagnostic::warning(
                        format!("page unreadable: {e}"),
                        Some(n),
                    ));
                }
            }
        }
        if opts
            .limits
            .deadline
            .is_some_and(|d| std::time::Instant::now() > d)
        {
            return Err(PdfError::Timeout.into());
        }
        let damage = file_damage(
            bytes,
            &doc.diagnostics,
            &damaged,
            with_text,
            doc.page_count(),
        );
        let text_layer = if with_text == 0 {
            "none"
        } else if scanned > 0 || damage.is_some() {
            "partial"
        } else {
            "full"
        };
        match &damage {
            Some(what) => diagnostics.push(Diagnostic::warning(what.clone(), None)),
            None if with_text == 0 && scanned > 0 => diagnostics.push(Diagnostic::warning(
                "no text layer: the PDF holds only images (a scan?); OCR it first",
                None,
            )),
            None if with_text == 0 => diagnostics.push(Diagnostic::warning(
                "no text layer: the pages are blank",
                None,
            )),
            None => {}
        }
        let source = Source {
            file: name.to_string(),
            sha256,
            pages: Some(doc.page_count()),
            producer: meta.producer.or(meta.creator),
            text_layer: text_layer.to_string(),
        };
        (document::blocks_from_layouts(&layouts), source)
    } else {
        let text = decode_text(bytes).ok_or(ExtractError::UnknownFormat)?;
        let source = Source {
            file: name.to_string(),
            sha256,
            pages: None,
            producer: None,
            text_layer: "text".to_string(),
        };
        (text_input::blocks_from_text(&text), source)
    };
    Ok(build(blocks, source, diagnostics))
}

/// The prefix of the diagnostic that says a file is truncated or damaged (quality and batch read it).
pub const DAMAGED: &str = "damaged file";

/// What is wrong with a file whose content could not all be read, with the pages that were:
/// nodes missing from its page tree, pages whose content is missing, undecodable or beyond the
/// decompression cap, and whether it ends before its %%EOF (truncated, the likely cause). None
/// when nothing was lost.
fn file_damage(
    bytes: &[u8],
    load: &[String],
    damaged: &[usize],
    with_text: usize,
    pages: usize,
) -> Option<String> {
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    // A missing %%EOF alone is no damage (some producers omit it); it means truncation when
    // the cross-reference table had to be rebuilt as well.
    let repaired = load
        .iter()
        .any(|d| d.starts_with("cross-reference table repaired"));
    let truncated = repaired && !tail.windows(5).any(|w| w == b"%%EOF");
    let tree = load
        .iter()
        .filter(|d| d.starts_with("page tree node"))
        .count();
    if tree == 0 && damaged.is_empty() {
        return None;
    }
    let mut what = Vec::new();
    if truncated {
        what.push(format!(
            "truncated (it ends after {} bytes, before %%EOF)",
            bytes.len()
        ));
    }
    if tree > 0 {
        what.push(format!(
            "{tree} page-tree node(s) missing, so it may have more than the {pages} pages found"
        ));
    }
    if !damaged.is_empty() {
        let list: Vec<String> = damaged.iter().take(20).map(|n| n.to_string()).collect();
        let more = if damaged.len() > 20 { ", …" } else { "" };
        what.push(format!(
            "the content of {} page(s) could not be read ({}{more})",
            damaged.len(),
            list.join(", ")
        ));
    }
    Some(format!(
        "{DAMAGED}: {}; {with_text} of {pages} page(s) read with text",
        what.join("; ")
    ))
}

/// UTF-8 (with or without BOM), else GB18030, else not text.
fn decode_text(bytes: &[u8]) -> Option<String> {
    let body = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(bytes);
    if body.contains(&0) {
        return None;
    }
    if let Ok(s) = std::str::from_utf8(body) {
        return Some(s.to_string());
    }
    let (s, _, bad) = encoding_rs::GB18030.decode(body);
    (!bad).then(|| s.into_owned())
}

fn build(blocks: Vec<Block>, source: Source, mut diagnostics: Vec<Diagnostic>) -> Disclosure {
    let draft = document::assemble(blocks);
    diagnostics.extend(draft.diagnostics.iter().cloned());
    let mut tables = Vec::new();
    for t in &draft.tables {
        let (table, diags) = tables::recognize(t);
        diagnostics.extend(diags);
        tables.push(table);
    }
    // A file of performance-target forms only, whose text never says 预算 or 决算: the forms
    // say which (绩效目标 are set with a budget, 绩效自评 made with a final account).
    let mut kind = draft.kind;
    if kind == DocumentKind::Unknown
        && !tables.is_empty()
        && tables
            .iter()
            .all(|t| t.kind == TableKind::PerformanceTargets)
    {
        let self_evaluation = tables
            .iter()
            .any(|t| t.title.as_deref().is_some_and(|s| s.contains("自评")));
        kind = if self_evaluation {
            DocumentKind::DepartmentFinalAccount
        } else {
            DocumentKind::DepartmentBudget
        };
    }
    // Pages of prose: sentences, and no budget table on the page (boxes drawn around words of
    // the prose make tables of no known kind).
    let table_pages: std::collections::HashSet<usize> = tables
        .iter()
        .filter(|t| t.kind.holds_budget_figures())
        .flat_map(|t| t.pages.iter().copied())
        .collect();
    let mut prose: std::collections::HashMap<usize, usize> = Default::default();
    for l in draft.lines.iter().filter(|l| l.text.contains('。')) {
        if !table_pages.contains(&l.page) {
            *prose.entry(l.page).or_insert(0) += 1;
        }
    }
    let prose_pages = prose.values().filter(|&&n| n >= 2).count();
    let (normalized, scope) = match draft.unit_name.as_deref().map(identity::normalize_unit) {
        Some((n, s)) => (Some(n), s),
        None => (None, None),
    };
    if kind == DocumentKind::Unknown && source.text_layer != "none" {
        diagnostics.push(Diagnostic::warning(
            "not recognized as a budget or final-account disclosure (no title with 预算/决算 and no known tables)",
            None,
        ));
    }
    let placeholder = |t: &Option<String>| {
        t.as_deref().is_some_and(|t| {
            ["XX", "××", "ＸＸ", "xx", "待填写"]
                .iter()
                .any(|p| t.contains(p))
        })
    };
    let any_figure = tables.iter().any(|t| {
        t.rows
            .iter()
            .any(|r| r.values.values().any(Option::is_some))
    });
    let template = (placeholder(&draft.unit_name) || placeholder(&draft.title)) && !any_figure;
    if template {
        diagnostics.push(Diagnostic::warning(
            "this is a blank template (placeholders such as XX and no figures), not data",
            None,
        ));
    }
    let totals = resolve_totals(&tables, draft.fiscal_year);
    // The narrative's lines joined into paragraphs once, for all its readings.
    let paras = crate::narrative::paragraphs(&draft.lines);
    let facts = crate::narrative::from_paragraphs(&paras);
    let comparisons = crate::narrative::comparisons::from_paragraphs(&paras);
    let mut items = crate::narrative::items::from_paragraphs(&paras);
    crate::narrative::items::resolve_codes(&mut items, &tables);
    let dates = crate::narrative::dates::from_paragraphs(&paras);
    let unit_mentions = crate::narrative::unit_mentions::from_paragraphs(&paras);
    let assets = crate::narrative::assets::from_paragraphs(&paras);
    let mut d = Disclosure {
        schema_version: SCHEMA_VERSION.to_string(),
        source,
        document: DocumentInfo {
            kind,
            fiscal_year: draft.fiscal_year,
            part: Some(identity::part(&tables, prose_pages).to_string()),
            disclosure_id: normalized.as_deref().and_then(|n| {
                identity::disclosure_id(n, scope.as_deref(), draft.fiscal_year, kind)
            }),
            unit_id: normalized.as_deref().map(identity::unit_id),
            unit_name_normalized: normalized,
            unit_scope: scope,
            unit_name: draft.unit_name,
            title: draft.title,
            template,
        },
        totals,
        tables,
        narrative: Default::default(),
        checks: Vec::new(),
        verdict: Default::default(),
        extraction: Default::default(),
        diagnostics,
        units: Vec::new(),
    };
    d.units = units::split(&d);
    // Read by consistency.dates from the document, like any consumer of the JSON.
    if let Ok(v) = serde_json::to_value(&dates) {
        d.narrative.insert("dates".to_string(), v);
    }
    // Read by consistency.unit_name the same way.
    if let Ok(v) = serde_json::to_value(&unit_mentions) {
        d.narrative.insert("unit_mentions".to_string(), v);
    }
    // Read by narrative.assets the same way.
    if let Ok(v) = serde_json::to_value(&assets) {
        d.narrative.insert("assets".to_string(), v);
    }
    d.checks = crate::checks::run(&d, &facts, &comparisons, &items);
    crate::quality::assess(&mut d);
    // The publication is judged on what was read completely.
    let judged: Vec<crate::model::Check> = d
        .checks
        .iter()
        .filter(|c| crate::quality::on_complete_tables(&d, c))
        .cloned()
        .collect();
    d.verdict = crate::checks::verdict(&judged);
    if let Ok(v) = serde_json::to_value(&facts) {
        d.narrative.insert("facts".to_string(), v);
    }
    if let Ok(v) = serde_json::to_value(&comparisons) {
        d.narrative.insert("comparisons".to_string(), v);
    }
    if let Ok(v) = serde_json::to_value(&items) {
        d.narrative.insert("items".to_string(), v);
    }
    d
}

fn first_table(tables: &[Table], kind: TableKind) -> Option<&Table> {
    tables.iter().find(|t| t.kind == kind && !t.empty)
}

fn value(t: &Table, pred: impl Fn(&crate::model::Row) -> bool, key: &str) -> Option<Amount> {
    t.rows
        .iter()
        .filter(|r| pred(r))
        .find_map(|r| r.values.get(key).copied().flatten())
}

/// The headline totals, each from the table that states it (schema.md).
pub fn resolve_totals(tables: &[Table], fiscal_year: Option<i32>) -> Totals {
    let mut t = Totals::default();
    if let Some(s) = first_table(tables, TableKind::Summary) {
        let total_of = |side: Side, word: &str| {
            value(
                s,
                |r| r.side == Some(side) && r.group.is_none() && squash(&r.name).contains(word),
                "total",
            )
        };
        t.income_total = total_of(Side::Income, "总计").or_else(|| total_of(Side::Income, "合计"));
        t.expenditure_total =
            total_of(Side::Expenditure, "总计").or_else(|| total_of(Side::Expenditure, "合计"));
    }
    let gb = first_table(tables, TableKind::GeneralBudgetExpenditure);
    if let Some(gb) = gb {
        let is_total = |r: &crate::model::Row| r.role == RowRole::Total;
        t.general_budget_expenditure_total = value(gb, is_total, "total");
        t.general_budget_basic_total = value(gb, is_total, "basic");
        t.general_budget_project_total = value(gb, is_total, "project");
    } else if printed_empty(tables, TableKind::GeneralBudgetExpenditure)
        && no_general_budget(tables)
    {
        // The unit has no general-budget money: its table is printed empty and the
        // fiscal-appropriation summary's 一般公共预算 line is blank or zero.
        let zero = Some(Amount(Decimal::ZERO));
        t.general_budget_expenditure_total = zero;
        t.general_budget_basic_total = zero;
        t.general_budget_project_total = zero;
    }
    if t.general_budget_basic_total.is_none() {
        if let Some(b) = first_table(tables, TableKind::GeneralBudgetBasicExpenditure) {
            t.general_budget_basic_total = b.basic_grand_total().map(Amount);
        }
    }
    if t.general_budget_project_total.is_none() {
        // The fiscal-appropriation summary's 项目支出: its general-budget column, or its total when
        // every yuan of appropriation is general budget; else the summary's, on the same condition.
        for kind in [TableKind::FiscalAppropriationSummary, TableKind::Summary] {
            let Some(f) = first_table(tables, kind) else {
                continue;
            };
            let is_project = |r: &crate::model::Row| {
                r.side == Some(Side::Expenditure) && squash(&r.name).contains("项目支出")
            };
            let v = value(f, is_project, "general_budget").or_else(|| {
                all_general_budget(f)
                    .then(|| value(f, is_project, "total"))
                    .flatten()
            });
            if v.is_some() {
                t.general_budget_project_total = v;
                break;
            }
        }
    }
    if let Some(tp) = first_table(tables, TableKind::ThreePublic) {
        t.three_public_total = three_public_total(tp, fiscal_year);
    }
    t
}

/// Is a table of this kind printed, and printed without a figure?
fn printed_empty(tables: &[Table], kind: TableKind) -> bool {
    tables.iter().any(|t| t.kind == kind) && tables.iter().all(|t| t.kind != kind || t.empty)
}

/// Does the fiscal-appropriation summary show no general-budget appropriation (its income-side
/// 一般公共预算 lines blank or zero)?
fn no_general_budget(tables: &[Table]) -> bool {
    let Some(f) = first_table(tables, TableKind::FiscalAppropriationSummary) else {
        return false;
    };
    let lines: Vec<&crate::model::Row> = f
        .rows
        .iter()
        .filter(|r| r.side == Some(Side::Income) && squash(&r.name).contains("一般公共预算"))
        .collect();
    !lines.is_empty()
        && lines.iter().all(|r| {
            r.values
                .get("total")
                .copied()
                .flatten()
                .is_none_or(|a| a.0.is_zero())
        })
}

/// Does the income side hold only general-budget money (other sources blank or zero)?
fn all_general_budget(t: &Table) -> bool {
    let mut saw_general = false;
    for r in t
        .rows
        .iter()
        .filter(|r| r.side == Some(Side::Income) && r.role == RowRole::Detail)
    {
        let name = squash(&r.name);
        let v = r
            .values
            .get("total")
            .copied()
            .flatten()
            .map(|a| a.0)
            .unwrap_or_default();
        if name.contains("一般公共预算") {
            saw_general |= !v.is_zero();
        } else if name.contains("财政拨款") && !name.contains("结转") {
            // A parent line (一、财政拨款) above 1.一般公共预算.
        } else if !v.is_zero() {
            return false;
        }
    }
    saw_general
}

/// 因公出国(境) + 公务接待 + 公务用车购置及运行 of the table's first row with figures (this year's
/// budget), not a 合计 that also adds 会议费 / 培训费.
fn three_public_total(tp: &Table, fiscal_year: Option<i32>) -> Option<Amount> {
    // Items listed down the side: the rows named for each item, "total" column.
    let by_name = |word: &str| {
        tp.rows
            .iter()
            .find(|r| squash(&r.name).contains(word))
            .and_then(|r| r.values.get("total").copied().flatten())
            .map(|a| a.0)
    };
    let vehicle = by_name("购置及运行").or_else(|| match (by_name("购置费"), by_name("运行")) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or_default() + b.unwrap_or_default()),
    });
    let listed = [by_name("因公出国"), by_name("公务接待"), vehicle];
    if listed.iter().any(Option::is_some) {
        return Some(Amount(listed.iter().flatten().copied().sum()));
    }
    // Rows by year (2025年 | 2026年 | 增减): this year's row.
    let year_row = fiscal_year.and_then(|y| {
        let label = format!("{y}年");
        tp.rows.iter().find(|r| squash(&r.name).starts_with(&label))
    });
    for r in year_row.into_iter().chain(&tp.rows) {
        let get = |k: &str| r.values.get(k).copied().flatten().map(|a| a.0);
        let vehicle =
            get("vehicle").or_else(
                || match (get("vehicle_purchase"), get("vehicle_operation")) {
                    (None, None) => None,
                    (a, b) => Some(a.unwrap_or_default() + b.unwrap_or_default()),
                },
            );
        let parts = [get("outbound_travel"), get("reception"), vehicle];
        if parts.iter().any(Option::is_some) {
            let sum: Decimal = parts.iter().flatten().copied().sum();
            return Some(Amount(sum));
        }
        if let Some(total) = get("total") {
            return Some(Amount(total));
        }
    }
    None
}
