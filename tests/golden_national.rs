//! Goldens for one document of each place of the national corpus (issue 10, deliverable 6):
//! Beijing, Chongqing, Guangzhou, Shenzhen, Hangzhou, Changsha, Suzhou, Shanghai municipal units
//! and a central department. Each projection — document kind, year, unit and part; totals; every
//! table's kind, title, unit, pages, columns and extraction status; every row of the summary and
//! of the general-budget table with code, name, role, level, parent and values — was generated
//! once, checked by hand against the rendered pages (`pdftoppm -png`), and frozen in
//! `tests/expected/national/<name>.json`. `GONGKAI_BLESS=1` rewrites them; never bless blindly.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gongkai::model::{Disclosure, Table, TableKind};
use serde_json::{json, Value};

const CASES: &[(&str, &str)] = &[
    (
        "national/beijing/beijing-slb-2026-tables.pdf",
        "beijing-slb-2026-tables",
    ),
    (
        "national/chongqing/chongqing-qxj-2026.pdf",
        "chongqing-qxj-2026",
    ),
    (
        "national/guangdong/guangzhou-xcb-2026.pdf",
        "guangzhou-xcb-2026",
    ),
    (
        "national/guangdong/shenzhen-zfbgt-2026.pdf",
        "shenzhen-zfbgt-2026",
    ),
    (
        "national/zhejiang/hangzhou-qxj-2026.pdf",
        "hangzhou-qxj-2026",
    ),
    (
        "national/hunan/changsha-zjjdb-2026.pdf",
        "changsha-zjjdb-2026",
    ),
    (
        "national/jiangsu/suzhou-yjglj-2026.pdf",
        "suzhou-yjglj-2026",
    ),
    (
        "national/shanghai/shanghai-jwjtzx-2026-unit.pdf",
        "shanghai-jwjtzx-2026-unit",
    ),
    ("national/central/gjxfj-2026.pdf", "gjxfj-2026"),
];

fn rows(t: &Table) -> Value {
    Value::Array(
        t.rows
            .iter()
            .map(|r| {
                let values: BTreeMap<&String, Option<String>> = r
                    .values
                    .iter()
                    .map(|(k, v)| (k, v.map(|a| a.to_string())))
                    .collect();
                json!({
                    "code": r.code, "name": r.name, "role": r.role, "side": r.side,
                    "level": r.level, "parent": r.parent, "values": values,
                })
            })
            .collect(),
    )
}

fn projection(d: &Disclosure) -> Value {
    let tables: Vec<Value> = d
        .tables
        .iter()
        .map(|t| {
            json!({
                "kind": t.kind.as_str(), "title": t.title, "amount_unit": t.amount_unit,
                "pages": t.pages, "empty": t.empty, "columns": t.columns,
                "extraction": t.extraction.status,
            })
        })
        .collect();
    let first = |k: TableKind| d.tables.iter().find(|t| t.kind == k && !t.empty);
    json!({
        "document": {
            "kind": d.document.kind, "fiscal_year": d.document.fiscal_year,
            "unit_name": d.document.unit_name, "part": d.document.part,
        },
        "extraction": d.extraction.status,
        "verdict": d.verdict.status,
        "totals": d.totals,
        "tables": tables,
        "summary": first(TableKind::Summary).map(rows),
        "general_budget_expenditure": first(TableKind::GeneralBudgetExpenditure).map(rows),
    })
}

fn golden_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expected/national")
        .join(format!("{name}.json"))
}

#[test]
fn national_goldens() {
    let bless = std::env::var("GONGKAI_BLESS").is_ok_and(|v| v == "1");
    let mut failures = Vec::new();
    for (path, name) in CASES {
        let p = Path::new("../shared/corpus").join(path);
        let d = gongkai::extract::extract_file(&p, &Default::default())
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        let got = projection(&d);
        let gp = golden_path(name);
        if bless {
            std::fs::create_dir_all(gp.parent().expect("dir")).expect("golden dir");
            let text = serde_json::to_string_pretty(&got).expect("json") + "\n";
            std::fs::write(&gp, text).expect("golden written");
            continue;
        }
        let want: Value = std::fs::read_to_string(&gp)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_else(|| panic!("{}: golden missing or unreadable", gp.display()));
        if got != want {
            failures.push(format!("{name}: output differs from {}", gp.display()));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The frozen documents are the ones a user keeps: read completely and clean, with every
/// headline total.
#[test]
fn national_goldens_are_complete_and_clean() {
    for (path, name) in CASES {
        let p = Path::new("../shared/corpus").join(path);
        let d = gongkai::extract::extract_file(&p, &Default::default()).expect("extracts");
        assert_eq!(d.verdict.errors, 0, "{name}");
        assert!(d.totals.income_total.is_some(), "{name}: income_total");
        assert!(
            d.totals.general_budget_expenditure_total.is_some(),
            "{name}: general_budget_expenditure_total"
        );
    }
}
