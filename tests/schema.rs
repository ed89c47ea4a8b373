//! The JSON Schema of the output contract (`schema/gongkai.schema.json`): it is itself a valid
//! draft 2020-12 schema, accepts a complete hand-written disclosure, rejects documents that break the
//! contract at the expected place, and agrees with the Rust model (`src/model.rs`).
//!
//! Run with `cargo test --release --test schema`. The helper `validate` lives in
//! `tests/common/schema.rs` so that other test files can validate real outputs with it.

mod common {
    pub mod schema;
}

use common::schema::{errors, schema, validate};
use serde_json::{json, Value};

/// A complete, valid document (shaped like the 阳泉市退役军人服务中心 2024 unit budget).
fn valid_example() -> Value {
    json!({
        "schema_version": "1",
        "source": {
            "file": "yangquan-veterans-service-center-2024.pdf",
            "sha256": "3f0c2a61a1f3a1e5d0b6a5f6e0c9d1b2a3c4d5e6f708192a3b4c5d6e7f809112",
            "pages": 35,
            "producer": "LibreOffice 7.4",
            "text_layer": "full"
        },
        "document": {
            "kind": "unit_budget",
            "fiscal_year": 2024,
            "unit_name": "阳泉市退役军人服务中心",
            "title": "阳泉市退役军人服务中心2024年度单位预算公开"
        },
        "totals": {
            "income_total": "7744800.00",
            "expenditure_total": "7744800.00",
            "general_budget_expenditure_total": "7744800.00",
            "general_budget_basic_total": "1155200.00",
            "general_budget_project_total": "6589600.00",
            "three_public_total": null
        },
        "tables": [
            {
                "kind": "summary",
                "title": "2024年预算收支总表",
                "label": "预算公开表1",
                "pages": [6, 7],
                "amount_unit": "万元",
                "empty": false,
                "columns": ["total", "current_year", "carryover"],
                "column_headers": ["2024年合计", "当年预算安排", "上年结转安排"],
                "rows": [
                    {
                        "code": null,
                        "name": "一、一般公共预算",
                        "role": "detail",
                        "side": "income",
                        "values": {"total": "7744800.00"},
                        "raw": {"total": "774.48"},
                        "parent": 2,
                        "level": 1,
                        "page": 6,
                        "bbox": [42.25, 120.75, 151.3, 137.0]
                    },
                    {
                        "code": null,
                        "name": "一、一般公共服务支出",
                        "role": "detail",
                        "side": "expenditure",
                        "values": {"total": "2400.00", "current_year": "2400.00", "carryover": null},
                        "page": 6,
                        "bbox": [151.3, 120.75, 553.05, 137.0]
                    },
                    {
                        "code": null,
                        "name": "收入总计",
                        "role": "total",
                        "side": "income",
                        "values": {"total": "7744800.00"},
                        "page": 7,
                        "bbox": null
                    }
                ]
            },
            {
                "kind": "general_budget_expenditure",
                "title": "2024年一般公共预算支出预算表（不含上年结转）",
                "label": null,
                "pages": [12],
                "amount_unit": "万元",
                "empty": false,
                "columns": ["total", "basic", "project"],
                "column_headers": ["2024年预算数/合计", "2024年预算数/基本支出", "2024年预算数/项目支出"],
                "rows": [
                    {
                        "code": "2080505",
                        "name": "机关事业单位基本养老保险缴费支出",
                        "role": "detail",
                        "values": {"total": "110500.00", "basic": "110500.00", "project": null},
                        "page": 12,
                        "bbox": null
                    }
                ]
            },
            {
                "kind": "three_public",
                "title": "2024年财政拨款安排“三公”经费支出预算表",
                "label": "预算公开表10",
                "pages": [17],
                "amount_unit": "万元",
                "empty": true,
                "columns": ["total", "general_budget"],
                "column_headers": ["合计", "一般公共预算"],
                "rows": [],
                "note": "注：本表无数据"
            },
            {
                "kind": "performance_targets",
                "title": "预算部门（单位）项目支出绩效目标表",
                "label": null,
                "pages": [23, 24],
                "amount_unit": "元",
                "empty": false,
                "columns": [],
                "rows": [
                    {"project": "退役军人服务中心工作经费", "annual_amount": "150000.00"},
                    {"level1": "满意度指标", "level2": "服务对象满意度", "level3": "退役军人满意度", "target": "≥90%"}
                ]
            }
        ],
        "narrative": {
            "income_total": {"amount": "7744800.00", "text": "预算收入总计774.48万元"},
            "staffing": {"authorized": 12, "in_post": 9}
        },
        "checks": [
            {
                "rule": "summary.balance",
                "severity": "error",
                "passed": true,
                "message": "收入总计 7744800.00 = 支出总计 7744800.00",
                "locations": [
                    {"table": 0, "row": 2, "column": "total", "page": 7},
                    {"table": 0, "row": null, "page": null}
                ]
            }
        ],
        "diagnostics": [
            {"level": "warning", "message": "amount unit not found; amounts left null", "page": 4},
            {"level": "info", "message": "table has a header but no body rows", "page": null}
        ]
    })
}

/// Set (or add) the value at a JSON Pointer; its parent must exist. (Keys with `/` or `~` are not
/// needed here, so no unescaping.)
fn with(mut doc: Value, pointer: &str, value: Value) -> Value {
    let (parent, key) = pointer.rsplit_once('/').expect("a JSON Pointer");
    match doc
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("no {parent} in the example"))
    {
        Value::Object(map) => {
            map.insert(key.to_string(), value);
        }
        Value::Array(items) => {
            let i: usize = key.parse().expect("an array index");
            items[i] = value;
        }
        other => panic!("{parent} is {other}, not a container"),
    }
    doc
}

/// Assert that `doc` is invalid and that every error is reported at `path`.
fn assert_invalid_at(doc: &Value, path: &str, what: &str) {
    let errs = errors(doc);
    assert!(
        !errs.is_empty(),
        "{what}: expected invalid, but the document validates"
    );
    for e in &errs {
        assert_eq!(
            e.instance_path, path,
            "{what}: error at an unexpected place: {e}"
        );
    }
    assert!(validate(doc).is_err());
}

#[test]
fn schema_is_a_valid_draft_2020_12_schema() {
    assert_eq!(
        schema()["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    if let Err(e) = jsonschema::meta::validate(schema()) {
        panic!("the schema breaks the 2020-12 meta-schema: {e}");
    }
}

#[test]
fn complete_example_is_valid() {
    let doc = valid_example();
    assert_eq!(validate(&doc), Ok(()));
}

#[test]
fn optional_parts_may_be_absent_or_null_and_extra_fields_are_allowed() {
    let mut doc = valid_example();
    let obj = doc.as_object_mut().unwrap();
    obj.remove("narrative");
    obj.insert("future_field".into(), json!({"anything": [1, 2, 3]}));
    let doc = with(doc, "/source/pages", Value::Null);
    let doc = with(doc, "/source/producer", Value::Null);
    let doc = with(doc, "/document/fiscal_year", Value::Null);
    let doc = with(doc, "/document/kind", json!("unknown"));
    let doc = with(doc, "/totals/income_total", Value::Null);
    let doc = with(doc, "/tables/0/rows/0/extra", json!("kept"));
    let doc = with(doc, "/checks", json!([]));
    let doc = with(doc, "/diagnostics", json!([]));
    assert_eq!(validate(&doc), Ok(()));
    let doc = with(valid_example(), "/tables", json!([]));
    assert_eq!(validate(&doc), Ok(()));
}

#[test]
fn missing_totals_is_invalid() {
    let mut doc = valid_example();
    doc.as_object_mut().unwrap().remove("totals");
    assert_invalid_at(&doc, "", "missing totals");
    let errs = errors(&doc);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].schema_path, "/required");
    assert!(errs[0].message.contains("totals"), "{}", errs[0]);
}

#[test]
fn missing_totals_key_is_invalid() {
    let mut doc = valid_example();
    doc["totals"]
        .as_object_mut()
        .unwrap()
        .remove("three_public_total");
    assert_invalid_at(&doc, "/totals", "missing totals.three_public_total");
}

#[test]
fn amount_with_unit_is_invalid() {
    let doc = with(
        valid_example(),
        "/tables/0/rows/0/values/total",
        json!("774.48万"),
    );
    assert_invalid_at(&doc, "/tables/0/rows/0/values/total", "row amount 774.48万");
    let doc = with(valid_example(), "/totals/income_total", json!("774.48万"));
    assert_invalid_at(&doc, "/totals/income_total", "totals amount 774.48万");
}

#[test]
fn amounts_need_exactly_two_decimals_and_no_separators() {
    for bad in [
        "7744800",
        "7744800.0",
        "7744800.000",
        "7,744,800.00",
        " 7744800.00",
        "+1.00",
        "—",
    ] {
        let doc = with(valid_example(), "/tables/1/rows/0/values/basic", json!(bad));
        assert_invalid_at(&doc, "/tables/1/rows/0/values/basic", bad);
    }
    let doc = with(
        valid_example(),
        "/tables/1/rows/0/values/basic",
        json!(110500.0),
    );
    assert_invalid_at(&doc, "/tables/1/rows/0/values/basic", "a JSON number");
    for good in ["0.00", "-12.00", "123456789012345678.90"] {
        let doc = with(
            valid_example(),
            "/tables/1/rows/0/values/basic",
            json!(good),
        );
        assert_eq!(validate(&doc), Ok(()), "{good}");
    }
}

#[test]
fn unknown_kind_is_invalid() {
    let doc = with(valid_example(), "/document/kind", json!("budget"));
    assert_invalid_at(&doc, "/document/kind", "document kind budget");
    let doc = with(valid_example(), "/tables/1/kind", json!("budget"));
    assert_invalid_at(&doc, "/tables/1/kind", "table kind budget");
}

#[test]
fn unknown_severity_is_invalid() {
    let doc = with(valid_example(), "/checks/0/severity", json!("fatal"));
    assert_invalid_at(&doc, "/checks/0/severity", "severity fatal");
    let doc = with(valid_example(), "/diagnostics/0/level", json!("fatal"));
    assert_invalid_at(&doc, "/diagnostics/0/level", "diagnostic level fatal");
}

#[test]
fn other_enums_are_strict() {
    let cases = [
        ("/source/text_layer", json!("scanned")),
        ("/tables/0/rows/0/role", json!("header")),
        ("/tables/0/rows/0/side", json!("left")),
        ("/schema_version", json!("2")),
        ("/schema_version", json!(1)),
    ];
    for (path, value) in cases {
        let doc = with(valid_example(), path, value.clone());
        assert_invalid_at(&doc, path, &format!("{path} = {value}"));
    }
}

#[test]
fn row_shape_is_checked_except_for_performance_targets() {
    let mut doc = valid_example();
    doc["tables"][1]["rows"][0]
        .as_object_mut()
        .unwrap()
        .remove("values");
    assert_invalid_at(&doc, "/tables/1/rows/0", "row without values");
    let doc = with(
        valid_example(),
        "/tables/1/rows/0/raw",
        json!({"total": 774.48}),
    );
    assert_invalid_at(&doc, "/tables/1/rows/0/raw/total", "raw value not a string");
    let doc = with(
        valid_example(),
        "/tables/1/rows/0/bbox",
        json!([1.0, 2.0, 3.0]),
    );
    assert_invalid_at(&doc, "/tables/1/rows/0/bbox", "bbox of three numbers");
    let doc = with(valid_example(), "/tables/1/rows/0/page", json!(0));
    assert_invalid_at(&doc, "/tables/1/rows/0/page", "page 0");
    // performance-target rows are free-form objects
    let doc = with(
        valid_example(),
        "/tables/3/rows/0",
        json!({"anything": [1, "x"]}),
    );
    assert_eq!(validate(&doc), Ok(()));
    let doc = with(valid_example(), "/tables/3/rows/0", json!("not an object"));
    assert_invalid_at(&doc, "/tables/3/rows/0", "performance row not an object");
}

#[test]
fn validate_reports_every_error_with_its_path() {
    let doc = with(valid_example(), "/checks/0/severity", json!("fatal"));
    let doc = with(doc, "/document/kind", json!("budget"));
    let errs = validate(&doc).unwrap_err();
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert!(
        errs.iter().any(|e| e.starts_with("/document/kind: ")),
        "{errs:#?}"
    );
    assert!(
        errs.iter().any(|e| e.starts_with("/checks/0/severity: ")),
        "{errs:#?}"
    );
}

/// The example is also a valid `gongkai::model::Disclosure` (same field names and types), and what
/// the model serializes validates: the schema and `src/model.rs` agree.
#[test]
fn model_round_trip_validates() {
    let mut example = valid_example();
    // performance-target rows have their own shape, which the model's Row does not describe yet
    example["tables"]
        .as_array_mut()
        .unwrap()
        .retain(|t| t["kind"] != "performance_targets");
    let model: gongkai::model::Disclosure = serde_json::from_value(example.clone())
        .unwrap_or_else(|e| panic!("the example does not fit src/model.rs: {e}"));
    let out = serde_json::to_value(&model).expect("serialize");
    assert_eq!(validate(&out), Ok(()));
    assert_eq!(out["totals"], example["totals"]);
    assert_eq!(out["tables"][0]["rows"][0], example["tables"][0]["rows"][0]);
}

/// Validate real outputs on demand: `GONGKAI_VALIDATE=a.json:b.json cargo test --release --test
/// schema validate_files_from_env -- --nocapture`. Does nothing when the variable is unset.
#[test]
fn validate_files_from_env() {
    let Some(list) = std::env::var_os("GONGKAI_VALIDATE") else {
        return;
    };
    let mut failures = Vec::new();
    for path in std::env::split_paths(&list) {
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let value: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        match validate(&value) {
            Ok(()) => println!("{}: valid", path.display()),
            Err(errs) => {
                for e in &errs {
                    println!("{}: {e}", path.display());
                }
                failures.push(path);
            }
        }
    }
    assert!(failures.is_empty(), "invalid: {failures:?}");
}
