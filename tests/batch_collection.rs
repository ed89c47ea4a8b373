//! `gongkai batch` never loses an input and its output folder is a collection that grows (issue
//! 12): a missing file, named or in a manifest, gets a row with its reason in every record set and
//! makes the exit status 1; a second run with other inputs keeps the first run's documents, and
//! `--prune` removes them; an output folder that cannot be written is named in the message.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const SAMPLE: &str = "samples/yangquan-veterans-service-center-2024.pdf";
const SEED: &str = "../shared/corpus/seed/yangquan-veterans-service-center-2024.txt";

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gongkai-coll-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn batch(args: &[&str], out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["batch", "--quiet", "--out"])
        .arg(out)
        .args(args)
        .output()
        .expect("batch runs")
}

fn ids(out: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(out.join("documents.ndjson")).unwrap_or_default();
    let mut v: Vec<(String, String)> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .map(|d| {
            (
                d["id"].as_str().unwrap_or("").to_string(),
                d["status"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn a_missing_input_gets_a_row_and_a_non_zero_exit() {
    let dir = tmp("missing");
    let out = dir.join("out");
    let manifest = dir.join("manifest.csv");
    std::fs::copy(SAMPLE, dir.join("sample.pdf")).expect("sample");
    // Paths relative to the manifest's folder; gone.pdf is not there.
    std::fs::write(&manifest, "path,region\nsample.pdf,阳泉\ngone.pdf,阳泉\n").expect("manifest");
    let run = batch(
        &[
            "--manifest",
            manifest.to_str().expect("utf-8"),
            dir.join("missing.pdf").to_str().expect("utf-8"),
        ],
        &out,
    );
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    let rows = ids(&out);
    assert_eq!(
        rows,
        [
            ("gone".to_string(), "failed".to_string()),
            ("missing".to_string(), "failed".to_string()),
            ("sample".to_string(), "ok".to_string()),
        ]
    );
    let summary: Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).expect("summary"))
            .expect("json");
    let failures = summary["failures"].as_array().expect("failures");
    assert_eq!(failures.len(), 2, "{summary}");
    assert!(failures.iter().all(|f| f["reason"]
        .as_str()
        .is_some_and(|r| r.contains("No such file"))));
    // The same rows in the CSV and the database.
    let csv = std::fs::read_to_string(out.join("documents.csv")).expect("csv");
    assert_eq!(csv.lines().count(), 4, "{csv}");
    assert!(csv
        .lines()
        .any(|l| l.starts_with("missing,") && l.contains("failed")));
    let db = rusqlite::Connection::open(out.join("gongkai.db")).expect("db");
    let failed: i64 = db
        .query_row(
            "SELECT count(*) FROM documents WHERE status = 'failed'",
            [],
            |r| r.get(0),
        )
        .expect("query");
    assert_eq!(failed, 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_second_run_keeps_the_first_runs_documents_unless_pruned() {
    let dir = tmp("grow");
    let out = dir.join("out");
    let (a, b) = (dir.join("a.pdf"), dir.join("b.txt"));
    std::fs::copy(SAMPLE, &a).expect("a");
    std::fs::copy(SEED, &b).expect("b");
    let (a, b) = (a.to_str().expect("utf-8"), b.to_str().expect("utf-8"));
    assert!(batch(&[a], &out).status.success());
    assert!(batch(&[b], &out).status.success());
    assert_eq!(
        ids(&out),
        [
            ("a".to_string(), "ok".to_string()),
            ("b".to_string(), "ok".to_string())
        ]
    );
    let csv = std::fs::read_to_string(out.join("documents.csv")).expect("csv");
    assert_eq!(csv.lines().count(), 3, "{csv}");
    // --prune: only this run's input is left.
    assert!(batch(&["--prune", b], &out).status.success());
    assert_eq!(ids(&out), [("b".to_string(), "ok".to_string())]);
    let docs: Vec<String> = std::fs::read_dir(out.join("docs"))
        .expect("docs")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    assert_eq!(docs.len(), 1, "{docs:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_output_folder_that_cannot_be_written_is_named() {
    let dir = tmp("readonly");
    let blocker = dir.join("file");
    std::fs::write(&blocker, b"x").expect("file");
    // A folder below a regular file can never be created, whoever runs the test.
    let out = blocker.join("out");
    let run = batch(&[SAMPLE], &out);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains(&out.display().to_string()), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sqlite_views_answer_the_common_questions() {
    const WANLI: &str = "../shared/corpus/real/shanghai/wanli-street-2024.pdf";
    let dir = tmp("views");
    let out = dir.join("out");
    assert!(batch(&[WANLI, SAMPLE], &out).status.success());
    let db = rusqlite::Connection::open(out.join("gongkai.db")).expect("db");
    // 三公 per unit and year: Wanli's p31 三公 table prints 47.91万元; the sample prints none.
    let rows: Vec<(String, i64, String, i64)> = db
        .prepare(
            "SELECT unit_name, fiscal_year, three_public_total, three_public_total_fen \
             FROM three_public_by_unit_year ORDER BY three_public_total_fen DESC",
        )
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect();
    assert_eq!(
        rows,
        [(
            "上海市普陀区人民政府万里街道办事处".to_string(),
            2024,
            "479100.00".to_string(),
            47_910_000
        )]
    );
    // The general budget by 类, summed per document: Wanli's 类 add up to its total 156,211,123元;
    // the sample's p12 类 print 0.24 + 760.42 + 5.14 + 8.70 = 774.50万元 against a 合计 of 774.48
    // (each 类 rounded to 万元 on its own).
    let sums: Vec<(String, i64)> = db
        .prepare(
            "SELECT doc_id, SUM(amount_fen) FROM general_budget_by_class GROUP BY doc_id ORDER BY doc_id",
        )
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect();
    assert_eq!(
        sums,
        [
            ("wanli-street-2024".to_string(), 15_621_112_300),
            (
                "yangquan-veterans-service-center-2024".to_string(),
                774_500_000
            ),
        ]
    );
    let errors: i64 = db
        .query_row("SELECT count(*) FROM documents_with_errors", [], |r| {
            r.get(0)
        })
        .expect("errors view");
    assert_eq!(errors, 0);
    let _ = std::fs::remove_dir_all(&dir);
}
