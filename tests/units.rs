//! A department file that prints each subordinate unit's lines (Shenzhen 人社局, 262 pages) gives
//! one part per unit, linked to the department, with the unit's own totals. The figures were
//! read off the rendered pages (`pdftoppm -png`): 收入总表 p62, 一般公共预算支出表 p167,
//! pp167–168, “三公”经费支出表 p252 (PDF page numbers).

mod common {
    pub mod schema;
}

use std::collections::HashSet;
use std::path::Path;

use gongkai::model::{Amount, Disclosure, DocumentKind, TableKind};
use rust_decimal::Decimal;

fn extract(rel: &str) -> Disclosure {
    let p = Path::new("../shared/corpus").join(rel);
    gongkai::extract::extract_file(&p, &Default::default()).expect("extracts")
}

fn yuan(s: &str) -> Option<Amount> {
    Some(Amount(s.parse::<Decimal>().expect("decimal")))
}

#[test]
fn shenzhen_department_file_gives_one_part_per_unit() {
    let d = extract("national/guangdong/shenzhen-rsj-2026.pdf");
    let json = serde_json::to_value(&d).expect("serializes");
    assert_eq!(common::schema::validate(&json), Ok(()));
    assert_eq!(json["units"].as_array().map(Vec::len), Some(21));
    assert_eq!(d.units.len(), 21);
    let ids: HashSet<_> = d.units.iter().map(|u| u.disclosure_id.clone()).collect();
    assert_eq!(ids.len(), 21, "one disclosure per unit");
    assert!(!ids.contains(&d.document.disclosure_id));
    for u in &d.units {
        assert_eq!(u.kind, DocumentKind::UnitBudget);
        assert_eq!(u.parent_disclosure_id, d.document.disclosure_id);
    }

    // The department's own offices: a part with scope 本级, not the department.
    let own = &d.units[0];
    assert_eq!(own.unit_name, "深圳市人力资源和社会保障局(本级)");
    assert_eq!(own.unit_name_normalized, "深圳市人力资源和社会保障局");
    assert_eq!(own.unit_scope.as_deref(), Some("本级"));
    assert_eq!(own.unit_id, d.document.unit_id.clone().expect("unit id"));
    assert_eq!(own.totals.income_total, yuan("1564910100")); // 156,491.01 万元
    assert_eq!(own.totals.three_public_total, yuan("1639200")); // 163.92, the 2026 row

    let data = &d.units[1];
    assert_eq!(data.unit_name, "深圳市人力资源和社会保障数据管理中心");
    assert_eq!(data.unit_scope, None);
    let t = &data.totals;
    assert_eq!(t.income_total, yuan("40778400")); // 4,077.84
    assert_eq!(t.expenditure_total, yuan("40778400"));
    assert_eq!(t.general_budget_expenditure_total, yuan("40778400"));
    assert_eq!(t.general_budget_basic_total, yuan("21616300")); // 2,161.63
    assert_eq!(t.general_budget_project_total, yuan("19162100")); // 1,916.21
    assert_eq!(t.three_public_total, yuan("35300")); // 3.53 (2025: 3.54)

    // Its rows in the general-budget table: its line and 205 … 2080506 on p167, 20807 … 2210203
    // on p168 (the next unit, 深圳鹏城技师学院, follows).
    let gb = data
        .rows
        .iter()
        .find(|r| r.table_kind == TableKind::GeneralBudgetExpenditure)
        .expect("general budget rows");
    assert_eq!(gb.rows.len(), 22);
    let table = &d.tables[gb.table_index];
    let codes: Vec<Option<&str>> = gb
        .rows
        .iter()
        .map(|&i| table.rows[i].code.as_deref())
        .collect();
    assert_eq!(codes[0], None);
    assert_eq!(codes[1], Some("205"));
    assert_eq!(codes[12], Some("2080506"));
    assert_eq!(codes[13], Some("20807"));
    assert_eq!(codes[21], Some("2210203"));
    // Rows keep their 类/款/项 parents inside the part: 2210203 → 22102 → 221 → the unit's line.
    let parent = |i: usize| table.rows[gb.rows[i]].parent;
    assert_eq!(codes[19], Some("22102"));
    assert_eq!(parent(21), Some(gb.rows[19]));
    assert_eq!(parent(19), Some(gb.rows[18]));
    assert_eq!(parent(18), Some(gb.rows[0]));
    assert!(data.pages.contains(&62) && data.pages.contains(&167) && data.pages.contains(&252));

    // The parts add up to the department's line, within the rounding of 21 units to 0.01 万元.
    let sum: Decimal = d
        .units
        .iter()
        .filter_map(|u| u.totals.general_budget_basic_total)
        .map(|a| a.0)
        .sum();
    assert_eq!(Some(Amount(sum)), d.totals.general_budget_basic_total);
}

#[test]
fn a_file_of_one_unit_has_no_parts() {
    // 深圳市财政局(本级): the tables list only the document's own unit.
    let d = extract("national/guangdong/shenzhen-czj-2026.pdf");
    assert_eq!(d.document.unit_scope.as_deref(), Some("本级"));
    assert!(d.units.is_empty());
    // Jiangsu: no unit column at all.
    let d = extract("real/jiangsu/fayuan-2017.pdf");
    assert!(d.units.is_empty());
}

#[test]
fn batch_writes_the_units_record_set() {
    let out = std::env::temp_dir().join(format!("gongkai-units-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args([
            "batch",
            "../shared/corpus/national/guangdong/shenzhen-rsj-2026.pdf",
        ])
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .status()
        .expect("runs");
    assert!(status.success());
    let csv = std::fs::read_to_string(out.join("units.csv")).expect("units.csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 22, "a header and 21 units");
    let data = lines
        .iter()
        .find(|l| l.contains(",深圳市人力资源和社会保障数据管理中心,"))
        .expect("the 数据管理中心 row");
    let cells: Vec<&str> = data.split(',').collect();
    // doc_id, unit_name, unit_name_normalized, unit_id, unit_scope, kind, fiscal_year, …
    assert_eq!(cells[5], "unit_budget");
    assert_eq!(cells[6], "2026");
    assert_eq!(cells[9], "40778400.00");
    assert_eq!(cells[14], "35300.00");
    assert_eq!(cells[15], "62", "first page");
    let items = std::fs::read_to_string(out.join("line_items.csv")).expect("line_items.csv");
    let header: Vec<&str> = items.lines().next().expect("header").split(',').collect();
    let col = header
        .iter()
        .position(|h| *h == "row_unit")
        .expect("row_unit");
    let with_unit = items
        .lines()
        .skip(1)
        .filter(|l| l.split(',').nth(col) == Some("深圳市人力资源和社会保障数据管理中心"))
        .count();
    assert!(with_unit > 100, "{with_unit} amounts carry the unit");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn hangzhou_unit_lists_give_parts_and_the_department_own_offices() {
    // 表2 收入预算总表 p16 and 表7 “三公”经费预算表 p21 list units by 单位名称: 合计, 杭州市气象局
    // (the department), 杭州市气象局 again (its own offices) and 杭州市气象服务中心(…); in 表7
    // the department's name is on the line beside the centre, under 合计.
    let d = extract("national/zhejiang/hangzhou-qxj-2026.pdf");
    assert_eq!(d.units.len(), 2);
    let own = &d.units[0];
    assert_eq!(own.unit_name, "杭州市气象局");
    assert_eq!(own.unit_scope.as_deref(), Some("本级"));
    assert_ne!(own.disclosure_id, d.document.disclosure_id);
    assert_eq!(own.totals.income_total, yuan("50110500")); // 5,011.05 万元
    assert_eq!(own.totals.three_public_total, yuan("131300")); // 13.13
                                                               // Not printed per unit: left empty, never the department's figure.
    assert_eq!(own.totals.general_budget_expenditure_total, None);
    let centre = &d.units[1];
    assert_eq!(
        centre.unit_name,
        "杭州市气象服务中心(杭州市预警信息发布中心)"
    );
    assert_eq!(centre.unit_scope, None);
    assert_eq!(centre.totals.income_total, yuan("8656200")); // 865.62
    assert_eq!(centre.totals.three_public_total, yuan("108900")); // 10.89
    assert_eq!(d.totals.income_total, yuan("58766700")); // 5,876.67 = 5,011.05 + 865.62
}
