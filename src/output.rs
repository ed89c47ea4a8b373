//! The `output` stage: flat records for warehouses — one per document, one per amount (long
//! format), one per check — written as NDJSON, CSV and SQLite by the batch.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde_json::{json, Value};

use crate::batch::State;

/// A file written through a temp file and renamed into place on `commit`.
pub struct AtomicFile {
    tmp: PathBuf,
    path: PathBuf,
    out: BufWriter<std::fs::File>,
}

impl AtomicFile {
    pub fn create(path: &Path) -> Result<Self> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
        let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let file = std::fs::File::create(&tmp)?;
        Ok(AtomicFile {
            tmp,
            path: path.to_path_buf(),
            out: BufWriter::new(file),
        })
    }

    pub fn commit(mut self) -> Result<()> {
        self.out.flush()?;
        self.out.get_ref().sync_all()?;
        std::fs::rename(&self.tmp, &self.path)?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.out.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// One record set written as NDJSON and CSV at once, record by record (memory stays flat in the
/// number of documents).
pub struct Sink {
    ndjson: AtomicFile,
    csv: csv::Writer<AtomicFile>,
    columns: &'static [&'static str],
    pub count: usize,
}

impl Sink {
    pub fn create(
        dir: &Path,
        name: &str,
        columns: &'static [&'static str],
        bom: bool,
    ) -> Result<Self> {
        let ndjson = AtomicFile::create(&dir.join(format!("{name}.ndjson")))?;
        let mut csv_file = AtomicFile::create(&dir.join(format!("{name}.csv")))?;
        if bom {
            csv_file.write_all(&[0xef, 0xbb, 0xbf])?;
        }
        let mut csv = csv::Writer::from_writer(csv_file);
        csv.write_record(columns)?;
        Ok(Sink {
            ndjson,
            csv,
            columns,
            count: 0,
        })
    }

    pub fn push(&mut self, r: &Value) -> Result<()> {
        serde_json::to_writer(&mut self.ndjson, r)?;
        self.ndjson.write_all(b"\n")?;
        self.csv.write_record(csv_row(r, self.columns))?;
        self.count += 1;
        Ok(())
    }

    pub fn commit(self) -> Result<()> {
        self.ndjson.commit()?;
        let file = self
            .csv
            .into_inner()
            .map_err(|e| anyhow::anyhow!("csv: {e}"))?;
        file.commit()
    }
}

fn csv_row(r: &Value, columns: &[&str]) -> Vec<String> {
    columns
        .iter()
        .map(|c| match r.get(*c) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(Value::Bool(b)) => {
                if *b {
                    "1".into()
                } else {
                    "0".into()
                }
            }
            Some(v) => v.to_string(),
        })
        .collect()
}
use crate::model::Disclosure;

pub const DOCUMENT_COLUMNS: &[&str] = &[
    "id",
    "file",
    "sha256",
    "pages",
    "producer",
    "text_layer",
    "kind",
    "fiscal_year",
    "unit_name",
    "title",
    "status",
    "reason",
    "verdict",
    "errors",
    "warnings",
    "extraction",
    "income_total",
    "expenditure_total",
    "general_budget_expenditure_total",
    "general_budget_basic_total",
    "general_budget_project_total",
    "three_public_total",
    "meta",
    "output",
];

pub const LINE_ITEM_COLUMNS: &[&str] = &[
    "doc_id",
    "table_index",
    "table_kind",
    "table_title",
    "amount_unit",
    "row_index",
    "code",
    "name",
    "role",
    "side",
    "parent",
    "level",
    "row_unit",
    "table_extraction",
    "column_key",
    "phase",
    "amount",
    "raw",
    "page",
];

pub const TARGET_COLUMNS: &[&str] = &[
    "doc_id",
    "table_index",
    "form_index",
    "project_name",
    "department",
    "department_code",
    "implementing_unit",
    "project_attribute",
    "project_period",
    "funds_period_total",
    "funds_period_central",
    "funds_period_provincial",
    "funds_period_local",
    "funds_period_self_raised",
    "funds_period_other",
    "funds_annual_total",
    "funds_annual_central",
    "funds_annual_provincial",
    "funds_annual_local",
    "funds_annual_self_raised",
    "funds_annual_other",
    "goal_period",
    "goal_annual",
    "goal_achieved",
    "executed_total",
    "total_score",
    "indicators",
    "page",
];

pub const INDICATOR_COLUMNS: &[&str] = &[
    "doc_id",
    "table_index",
    "form_index",
    "project_name",
    "target",
    "level1",
    "level2",
    "level3",
    "value",
    "page",
];

pub const CHECK_COLUMNS: &[&str] = &[
    "doc_id",
    "rule",
    "severity",
    "passed",
    "message",
    "locations",
];

fn enum_str<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// One line of `documents`: the source, document, totals, verdict and batch status.
pub fn document_record(st: &State, d: Option<&Disclosure>) -> Value {
    let meta = serde_json::to_value(&st.meta).unwrap_or_else(|_| json!({}));
    let amount = |a: Option<crate::model::Amount>| {
        a.map(|a| Value::String(a.to_string()))
            .unwrap_or(Value::Null)
    };
    match d {
        Some(d) => json!({
            "id": st.id,
            "file": st.input,
            "sha256": st.sha256,
            "pages": d.source.pages,
            "producer": d.source.producer,
            "text_layer": d.source.text_layer,
            "kind": enum_str(&d.document.kind),
            "fiscal_year": d.document.fiscal_year,
            "unit_name": d.document.unit_name,
            "title": d.document.title,
            "status": st.status,
            "reason": st.reason,
            "verdict": d.verdict.status,
            "errors": d.verdict.errors,
            "warnings": d.verdict.warnings,
            "extraction": enum_str(&d.extraction.status),
            "income_total": amount(d.totals.income_total),
            "expenditure_total": amount(d.totals.expenditure_total),
            "general_budget_expenditure_total": amount(d.totals.general_budget_expenditure_total),
            "general_budget_basic_total": amount(d.totals.general_budget_basic_total),
            "general_budget_project_total": amount(d.totals.general_budget_project_total),
            "three_public_total": amount(d.totals.three_public_total),
            "meta": meta,
            "output": st.output,
        }),
        None => json!({
            "id": st.id,
            "file": st.input,
            "sha256": st.sha256,
            "pages": null, "producer": null, "text_layer": null, "kind": null, "fiscal_year": null,
            "unit_name": null, "title": null,
            "status": st.status,
            "reason": st.reason,
            "verdict": null, "errors": null, "warnings": null, "extraction": null,
            "income_total": null, "expenditure_total": null, "general_budget_expenditure_total": null,
            "general_budget_basic_total": null, "general_budget_project_total": null, "three_public_total": null,
            "meta": meta,
            "output": st.output,
        }),
    }
}

/// One line per printed amount (long format).
pub fn line_item_records(doc_id: &str, d: &Disclosure) -> Vec<Value> {
    let mut out = Vec::new();
    for (ti, t) in d.tables.iter().enumerate() {
        for (ri, r) in t.rows.iter().enumerate() {
            for (key, v) in &r.values {
                let Some(a) = v else { continue };
                out.push(json!({
                    "doc_id": doc_id,
                    "table_index": ti,
                    "table_kind": t.kind.as_str(),
                    "table_title": t.title,
                    "amount_unit": t.amount_unit,
                    "row_index": ri,
                    "code": r.code,
                    "name": r.name,
                    "role": enum_str(&r.role),
                    "side": r.side.map(|s| enum_str(&s)),
                    "parent": r.parent,
                    "level": r.level,
                    "row_unit": r.unit,
                    "table_extraction": enum_str(&t.extraction.status),
                    "column_key": key,
                    "phase": t.column_phases.get(key),
                    "amount": a.to_string(),
                    "raw": r.raw.get(key),
                    "page": r.page,
                }));
            }
        }
    }
    out
}

/// The subordinate units a department file prints (`units` of the JSON), one row each.
pub const UNIT_COLUMNS: &[&str] = &[
    "doc_id",
    "unit_name",
    "unit_name_normalized",
    "unit_id",
    "unit_scope",
    "kind",
    "fiscal_year",
    "disclosure_id",
    "parent_disclosure_id",
    "income_total",
    "expenditure_total",
    "general_budget_expenditure_total",
    "general_budget_basic_total",
    "general_budget_project_total",
    "three_public_total",
    "first_page",
];

/// One line per subordinate unit of a department file.
pub fn unit_records(doc_id: &str, d: &Disclosure) -> Vec<Value> {
    let amount = |a: &Option<crate::model::Amount>| a.as_ref().map(ToString::to_string);
    d.units
        .iter()
        .map(|u| {
            json!({
                "doc_id": doc_id,
                "unit_name": u.unit_name,
                "unit_name_normalized": u.unit_name_normalized,
                "unit_id": u.unit_id,
                "unit_scope": u.unit_scope,
                "kind": enum_str(&u.kind),
                "fiscal_year": d.document.fiscal_year,
                "disclosure_id": u.disclosure_id,
                "parent_disclosure_id": u.parent_disclosure_id,
                "income_total": amount(&u.totals.income_total),
                "expenditure_total": amount(&u.totals.expenditure_total),
                "general_budget_expenditure_total": amount(&u.totals.general_budget_expenditure_total),
                "general_budget_basic_total": amount(&u.totals.general_budget_basic_total),
                "general_budget_project_total": amount(&u.totals.general_budget_project_total),
                "three_public_total": amount(&u.totals.three_public_total),
                "first_page": u.pages.first(),
            })
        })
        .collect()
}

/// The narrative's item-by-item statements (`narrative.items` of the JSON), one row each.
pub const NARRATIVE_ITEM_COLUMNS: &[&str] = &[
    "doc_id",
    "unit_name",
    "fiscal_year",
    "kind",
    "page",
    "level",
    "code",
    "class_name",
    "section_name",
    "item_name",
    "this_year",
    "final",
    "initial_budget",
    "adjusted_budget",
    "executed_last_year",
    "last_year",
    "printed",
    "change_direction",
    "change_amount",
    "change_percent",
    "compared_with",
    "compared_year",
    "share_percent",
    "completion_percent",
    "reason",
    "sentence",
];

/// One line per item statement: its names, its amounts in yuan by role (the first of each role;
/// `printed` lists them all as printed), the stated change, rate and reason.
pub fn narrative_item_records(doc_id: &str, d: &Disclosure) -> Vec<Value> {
    let Some(items) = d
        .narrative
        .get("items")
        .and_then(|v| serde_json::from_value::<Vec<crate::narrative::items::Item>>(v.clone()).ok())
    else {
        return Vec::new();
    };
    items
        .iter()
        .map(|it| {
            let role = |r: &str| it.amount(r).map(|a| a.amount.to_string());
            let printed: Vec<String> = it
                .amounts
                .iter()
                .map(|a| format!("{}={}", a.role, a.printed))
                .collect();
            json!({
                "doc_id": doc_id,
                "unit_name": d.document.unit_name,
                "fiscal_year": d.document.fiscal_year,
                "kind": enum_str(&d.document.kind),
                "page": it.page,
                "level": it.level,
                "code": it.code,
                "class_name": it.class_name,
                "section_name": it.section_name,
                "item_name": it.item_name,
                "this_year": role("this_year"),
                "final": role("final"),
                "initial_budget": role("initial_budget"),
                "adjusted_budget": role("adjusted_budget"),
                "executed_last_year": role("executed_last_year"),
                "last_year": role("last_year"),
                "printed": printed.join("; "),
                "change_direction": it.change.as_ref().map(|c| c.direction.clone()),
                "change_amount": it.change.as_ref().and_then(|c| c.amount).map(|a| a.to_string()),
                "change_percent": it.change.as_ref().and_then(|c| c.percent).map(|p| p.to_string()),
                "compared_with": it.compared_with,
                "compared_year": it.compared_year,
                "share_percent": it.share_percent.map(|p| p.to_string()),
                "completion_percent": it.completion_percent.map(|p| p.to_string()),
                "reason": it.reason,
                "sentence": it.sentence,
            })
        })
        .collect()
}

/// One line per check evaluated.
pub fn check_records(doc_id: &str, d: &Disclosure) -> Vec<Value> {
    d.checks
        .iter()
        .map(|c| {
            json!({
                "doc_id": doc_id,
                "rule": c.rule,
                "severity": enum_str(&c.severity),
                "passed": c.passed,
                "message": c.message,
                "locations": serde_json::to_value(&c.locations).unwrap_or_else(|_| json!([])),
            })
        })
        .collect()
}

/// One line per performance-target form: the project, its funds in yuan and its goals.
pub fn target_records(doc_id: &str, d: &Disclosure) -> Vec<Value> {
    let amount = |a: Option<crate::model::Amount>| a.map(|a| a.to_string());
    let mut out = Vec::new();
    for (ti, t) in d.tables.iter().enumerate() {
        for (fi, p) in t.targets.iter().enumerate() {
            let (pf, af) = (&p.funds_period, &p.funds_annual);
            out.push(json!({
                "doc_id": doc_id,
                "table_index": ti,
                "form_index": fi,
                "project_name": p.project_name,
                "department": p.department,
                "department_code": p.department_code,
                "implementing_unit": p.implementing_unit,
                "project_attribute": p.project_attribute,
                "project_period": p.project_period,
                "funds_period_total": amount(pf.total),
                "funds_period_central": amount(pf.central),
                "funds_period_provincial": amount(pf.provincial),
                "funds_period_local": amount(pf.local),
                "funds_period_self_raised": amount(pf.self_raised),
                "funds_period_other": amount(pf.other),
                "funds_annual_total": amount(af.total),
                "funds_annual_central": amount(af.central),
                "funds_annual_provincial": amount(af.provincial),
                "funds_annual_local": amount(af.local),
                "funds_annual_self_raised": amount(af.self_raised),
                "funds_annual_other": amount(af.other),
                "goal_period": p.goal_period,
                "goal_annual": p.goal_annual,
                "goal_achieved": p.goal_achieved,
                // Self-evaluation: 全年执行数 of the 资金总额 line.
                "executed_total": amount(p.execution.first().and_then(|l| l.executed)),
                "total_score": p.total_score,
                "indicators": p.indicators.len(),
                "page": p.pages.first(),
            }));
        }
    }
    out
}

/// One line per indicator row of a performance-target form.
pub fn indicator_records(doc_id: &str, d: &Disclosure) -> Vec<Value> {
    let mut out = Vec::new();
    for (ti, t) in d.tables.iter().enumerate() {
        for (fi, p) in t.targets.iter().enumerate() {
            for i in &p.indicators {
                out.push(json!({
                    "doc_id": doc_id,
                    "table_index": ti,
                    "form_index": fi,
                    "project_name": p.project_name,
                    "target": i.target,
                    "level1": i.level1,
                    "level2": i.level2,
                    "level3": i.level3,
                    "value": i.value,
                    "page": i.page,
                }));
            }
        }
    }
    out
}
