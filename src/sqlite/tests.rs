//! Tests of the SQLite export: amounts, round trips, replacement, streaming.
use super::*;
use serde_json::json;

/// A per-test directory under the system temp dir (no tempfile dependency), removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("gongkai-sqlite-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    fn db(&self) -> PathBuf {
        self.0.join("corpus.sqlite")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn documents() -> Vec<Value> {
    vec![
        json!({
            "id": "renda-2017", "file": "jiangsu/renda-2017.pdf", "sha256": "ab12",
            "pages": 14, "producer": "WPS", "text_layer": "text", "kind": "budget",
            "fiscal_year": 2017, "unit_name": "江苏省人大常委会办公厅", "title": "2017年部门预算",
            "status": "ok", "reason": null, "verdict": "pass", "errors": 0, "warnings": 2,
            "income_total": "7744800.00", "expenditure_total": "7744800.00",
            "meta": {"region": "江苏", "url": "http://example.gov.cn/a.pdf"},
            "output": "docs/renda-2017.json", "not_a_column": 1
        }),
        json!({
            "id": "broken", "file": "broken.pdf", "status": "failed",
            "reason": "not a PDF", "errors": 0, "warnings": 0
        }),
    ]
}

fn line_items() -> Vec<Value> {
    (0..3)
        .map(|i| {
            json!({
                "doc_id": "renda-2017", "table_index": 1, "table_kind": "income_expenditure_summary",
                "table_title": "收支总表", "amount_unit": "万元", "row_index": i,
                "code": format!("20101{i}"), "name": "行政运行", "role": "item", "side": "expenditure",
                "parent": if i == 0 { Value::Null } else { json!(0) }, "level": i + 1,
                "row_unit": if i == 0 { Value::Null } else { json!("江苏省人大常委会办公厅(本级)") },
                "table_extraction": "complete", "column_key": "current_year", "phase": if i == 0 { json!("budget") } else { Value::Null },
                "amount": format!("{}.50", 1200 + i),
                "raw": format!("{}.0050", 12 + i), "page": 3
            })
        })
        .collect()
}

fn checks() -> Vec<Value> {
    vec![
        json!({"doc_id": "renda-2017", "rule": "summary.balance", "severity": "error",
               "passed": true, "message": "收入总计 = 支出总计", "locations": [{"page": 3, "table": 1}]}),
        json!({"doc_id": "renda-2017", "rule": "three_public.sum", "severity": "warning",
               "passed": false, "message": "三公 total differs", "locations": []}),
    ]
}

#[test]
fn amounts_sort_and_sum_in_integer_fen() {
    let dir = TempDir::new("fen");
    let path = dir.db();
    let docs: Vec<Value> = [("a", "479100.00"), ("b", "3900.00"), ("c", "10000.00")]
        .iter()
        .map(|(id, t)| json!({"id": id, "three_public_total": t}))
        .chain([json!({"id": "d", "three_public_total": null})])
        .collect();
    write_db(&path, &docs, &[], &[]).expect("write_db");
    let conn = Connection::open(&path).expect("open");
    let order: Vec<String> = conn
        .prepare("SELECT id FROM documents WHERE three_public_total_fen IS NOT NULL ORDER BY three_public_total_fen DESC")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect();
    assert_eq!(order, ["a", "c", "b"]);
    let sum: i64 = conn
        .query_row(
            "SELECT SUM(three_public_total_fen) FROM documents",
            [],
            |r| r.get(0),
        )
        .expect("sum");
    assert_eq!(sum, 49_300_000);
    // Read back, the records are the NDJSON's: the 分 column is derived, not a field.
    let back = read_table(&path, "documents").expect("read");
    assert!(back[0].get("three_public_total_fen").is_none());
    assert_eq!(back[0]["three_public_total"], "479100.00");
    assert_eq!(fen("0.005"), None);
    assert_eq!(fen("-12.30"), Some(-1230));
}

#[test]
fn writes_counts_amounts_meta_and_indexes() {
    let dir = TempDir::new("write");
    let path = dir.db();
    write_db(&path, &documents(), &line_items(), &checks()).expect("write_db");
    assert!(!tmp_path(&path).exists());

    let conn = Connection::open(&path).expect("open");
    let count = |t: &str| -> i64 {
        conn.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))
            .expect("count")
    };
    assert_eq!(
        (count("documents"), count("line_items"), count("checks")),
        (2, 3, 2)
    );

    let (amount, typ): (String, String) = conn
        .query_row(
            "SELECT amount, typeof(amount) FROM line_items WHERE code = '201012'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("amount");
    assert_eq!((amount.as_str(), typ.as_str()), ("1202.50", "text"));

    let (income, year, meta): (String, i64, String) = conn
        .query_row(
            "SELECT income_total, fiscal_year, meta FROM documents WHERE id = 'renda-2017'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("document");
    assert_eq!((income.as_str(), year), ("7744800.00", 2017));
    let meta: Value = serde_json::from_str(&meta).expect("meta is JSON");
    assert_eq!(
        meta,
        json!({"region": "江苏", "url": "http://example.gov.cn/a.pdf"})
    );

    let nulls: (Option<i64>, Option<String>) = conn
        .query_row(
            "SELECT pages, meta FROM documents WHERE id = 'broken'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("broken row");
    assert_eq!(nulls, (None, None));

    let passed: Vec<i64> = conn
        .prepare("SELECT passed FROM checks ORDER BY rowid")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("passed");
    assert_eq!(passed, vec![1, 0]);

    let mut indexes: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("indexes");
    indexes.sort();
    let mut expected: Vec<&str> = INDEXES.iter().map(|(n, _, _)| *n).collect();
    expected.sort();
    assert_eq!(indexes, expected);
    // The primary key's implicit index.
    let pk: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'documents' AND name LIKE 'sqlite_autoindex_documents%'",
            [],
            |r| r.get(0),
        )
        .expect("pk index");
    assert_eq!(pk, 1);
}

#[test]
fn read_table_round_trips_records() {
    let dir = TempDir::new("read");
    let path = dir.db();
    write_db(&path, &documents(), &line_items(), &checks()).expect("write_db");

    let read = read_table(&path, "checks").expect("checks");
    assert_eq!(read, checks());

    let items = read_table(&path, "line_items").expect("line_items");
    assert_eq!(items, line_items());

    let docs = read_table(&path, "documents").expect("documents");
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["meta"]["region"], json!("江苏"));
    assert_eq!(docs[0]["pages"], json!(14));
    assert_eq!(docs[0]["three_public_total"], Value::Null);
    assert!(docs[0].get("not_a_column").is_none());
    assert_eq!(docs[1]["reason"], json!("not a PDF"));

    assert!(read_table(&path, "nope").is_err());
}

#[test]
fn replaces_existing_db_and_is_deterministic() {
    let dir = TempDir::new("replace");
    let path = dir.db();
    write_db(&path, &documents(), &line_items(), &checks()).expect("first");
    let first = std::fs::read(&path).expect("read first");
    write_db(&path, &documents(), &line_items(), &checks()).expect("second");
    assert_eq!(std::fs::read(&path).expect("read second"), first);

    write_db(&path, &documents()[..1], &[], &[]).expect("third");
    assert_eq!(read_table(&path, "documents").expect("docs").len(), 1);
    assert!(read_table(&path, "line_items").expect("items").is_empty());
}

#[test]
fn rejects_non_object_records_and_keeps_old_db() {
    let dir = TempDir::new("reject");
    let path = dir.db();
    write_db(&path, &documents(), &[], &[]).expect("first");
    let err = write_db(&path, &documents(), &[json!([1, 2])], &[]).expect_err("array record");
    assert!(err.to_string().contains("line_items record 0"), "{err}");
    assert_eq!(read_table(&path, "documents").expect("docs").len(), 2);
    assert!(!tmp_path(&path).exists());
}

#[test]
fn streaming_writer_matches_write_db_and_unfinished_leaves_old_db() {
    let dir = TempDir::new("stream");
    let path = dir.db();
    write_db(&path, &documents(), &line_items(), &checks()).expect("write_db");
    let expected = std::fs::read(&path).expect("read");

    let streamed = dir.0.join("streamed.sqlite");
    let mut db = DbWriter::create(&streamed).expect("create");
    for d in documents() {
        db.document(&d).expect("document");
    }
    for (item, check) in line_items()
        .iter()
        .zip(checks().iter().chain([&Value::Null]))
    {
        db.line_item(item).expect("line item");
        if !check.is_null() {
            db.check(check).expect("check");
        }
    }
    db.finish().expect("finish");
    // Interleaving the tables does not change their rows.
    for table in ["documents", "line_items", "checks"] {
        assert_eq!(
            read_table(&streamed, table).expect("streamed"),
            read_table(&path, table).expect("batch"),
            "{table}"
        );
    }

    let mut db = DbWriter::create(&path).expect("create over existing");
    db.document(&json!({"id": "half-written"}))
        .expect("document");
    drop(db);
    assert_eq!(std::fs::read(&path).expect("read"), expected);
    assert!(!tmp_path(&path).exists());
}

#[test]
fn unexpected_types_are_kept() {
    assert_eq!(
        to_sql(&json!("2017"), Col::Integer),
        ToSqlOutput::Owned(SqlValue::Integer(2017))
    );
    assert_eq!(
        to_sql(&json!("n/a"), Col::Integer),
        ToSqlOutput::Borrowed(ValueRef::Text(b"n/a"))
    );
    assert_eq!(
        to_sql(&json!(12.5), Col::Text),
        ToSqlOutput::Owned(SqlValue::Text("12.5".into()))
    );
    assert_eq!(
        to_sql(&json!(true), Col::Bool),
        ToSqlOutput::Owned(SqlValue::Integer(1))
    );
    assert_eq!(
        to_sql(&json!({"a": 1}), Col::Json),
        ToSqlOutput::Owned(SqlValue::Text("{\"a\":1}".into()))
    );
}
