//! `gongkai batch` (issue: batch at scale, must-show 2): statuses for bad inputs with every good
//! output written, byte-identical results after a killed and resumed run, and SQLite holding the
//! same rows as the NDJSON files.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use lopdf::{dictionary, Document, Object, Stream};
use serde_json::Value;

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gongkai-batch-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn gongkai() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
}

/// A PDF of `pages` pages whose content is `content` (compressed).
fn pdf(pages: usize, content: &[u8], image: bool) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    let mut resources = dictionary! {};
    if image {
        let img = doc.add_object(Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
            vec![0],
        ));
        resources.set("XObject", dictionary! { "Im1" => img });
    }
    for _ in 0..pages {
        let mut s = Stream::new(dictionary! {}, content.to_vec());
        let _ = s.compress();
        let c = doc.add_object(s);
        let p = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => c, "Resources" => resources.clone(),
        });
        kids.push(Object::Reference(p));
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => pages as i64 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("pdf");
    out
}

fn read_ndjson(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("ndjson line"))
        .collect()
}

fn status_of(docs: &[Value], id: &str) -> String {
    docs.iter()
        .find(|d| d["id"] == id)
        .map(|d| d["status"].as_str().unwrap_or("").to_string())
        .unwrap_or_default()
}

#[test]
fn bad_inputs_get_statuses_and_good_ones_are_written() {
    let input = tmp("in-bad");
    let out = tmp("out-bad");
    std::fs::copy(
        "../shared/corpus/seed/yangquan-veterans-service-center-2024.txt",
        input.join("seed.txt"),
    )
    .expect("seed");
    std::fs::copy(
        "samples/yangquan-veterans-service-center-2024.pdf",
        input.join("sample.pdf"),
    )
    .expect("sample");
    let sample =
        std::fs::read("samples/yangquan-veterans-service-center-2024.pdf").expect("sample");
    std::fs::write(input.join("corrupt.pdf"), &sample[..sample.len() / 50]).expect("corrupt");
    std::fs::write(input.join("empty.pdf"), b"").expect("empty");
    std::fs::write(input.join("notes.pdf"), b"this is not a pdf at all\x00\x01").expect("non-pdf");
    std::fs::write(
        input.join("scan.pdf"),
        pdf(1, b"q 595 0 0 842 0 0 cm /Im1 Do Q", true),
    )
    .expect("scan");
    // 12 pages of 4 million q/Q operators each: far beyond a one-second budget.
    std::fs::write(
        input.join("slow.pdf"),
        pdf(12, &b"q Q ".repeat(4_000_000), false),
    )
    .expect("slow");

    let status = gongkai()
        .args(["batch", "--quiet", "--timeout", "1", "--jobs", "2", "--out"])
        .arg(&out)
        .arg(&input)
        .status()
        .expect("batch runs");
    // Some inputs failed: exit 1, every output still written.
    assert_eq!(status.code(), Some(1));
    let docs = read_ndjson(&out.join("documents.ndjson"));
    assert_eq!(docs.len(), 7, "{docs:#?}");
    assert_eq!(status_of(&docs, "seed"), "ok");
    assert_eq!(status_of(&docs, "sample"), "ok");
    assert_eq!(status_of(&docs, "corrupt"), "failed");
    assert_eq!(status_of(&docs, "empty"), "failed");
    assert_eq!(status_of(&docs, "notes"), "failed");
    assert_eq!(status_of(&docs, "scan"), "no_text_layer");
    assert_eq!(status_of(&docs, "slow"), "timeout");
    // Good outputs are all there, with their figures.
    let sample_doc: Value =
        serde_json::from_slice(&std::fs::read(out.join("docs/sample.json")).expect("doc"))
            .expect("json");
    assert_eq!(
        sample_doc["totals"]["general_budget_expenditure_total"],
        "7744800.00"
    );
    assert!(out.join("docs/seed.json").exists() && out.join("docs/scan.json").exists());
    assert!(!out.join("docs/slow.json").exists());
    let seed = docs.iter().find(|d| d["id"] == "seed").expect("seed row");
    assert_eq!(seed["kind"], "unit_budget");
    assert_eq!(seed["verdict"], "warnings");
    let failed = docs.iter().find(|d| d["id"] == "notes").expect("notes row");
    assert!(
        failed["reason"]
            .as_str()
            .is_some_and(|r| r.contains("not a PDF")),
        "{failed}"
    );
    // Long-format amounts and checks.
    let items = read_ndjson(&out.join("line_items.ndjson"));
    assert!(items.iter().any(|i| i["doc_id"] == "sample"
        && i["code"] == "2082804"
        && i["column_key"] == "project"
        && i["amount"] == "3710000.00"));
    let checks = read_ndjson(&out.join("checks.ndjson"));
    assert!(checks.iter().any(|c| c["doc_id"] == "seed"
        && c["rule"] == "narrative.amounts"
        && c["passed"] == false));
    let summary: Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).expect("summary"))
            .expect("json");
    assert_eq!(summary["by_status"]["failed"], 3);
    assert_eq!(summary["by_status"]["timeout"], 1);
    let csv = std::fs::read_to_string(out.join("documents.csv")).expect("csv");
    assert!(csv.starts_with("id,file,sha256,pages"));
    assert_eq!(csv.lines().count(), 8);
    let _ = std::fs::remove_dir_all(&input);
    let _ = std::fs::remove_dir_all(&out);
}

fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .expect("rel")
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read(&p).expect("file")));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_killed_run_resumed_gives_the_same_outputs_and_sqlite_matches_ndjson() {
    let corpus = Path::new("../shared/corpus/real/jiangsu");
    let clean = tmp("out-clean");
    let resumed = tmp("out-resumed");
    let run = |out: &Path| {
        gongkai()
            .args(["batch", "--quiet", "--jobs", "2", "--out"])
            .arg(out)
            .arg(corpus)
            .status()
            .expect("runs")
    };
    assert!(run(&clean).success());

    // Kill a run part-way (after some documents were written), then run again.
    let mut child = gongkai()
        .args(["batch", "--quiet", "--jobs", "1", "--out"])
        .arg(&resumed)
        .arg(corpus)
        .spawn()
        .expect("spawns");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        let n = std::fs::read_dir(resumed.join(".state"))
            .map(|d| d.count())
            .unwrap_or(0);
        if n >= 3 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    let partial = std::fs::read_dir(resumed.join(".state"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert!(
        (3..14).contains(&partial),
        "killed mid-way: {partial} of 14 done"
    );
    assert!(run(&resumed).success());

    let a = files_of(&clean);
    let b = files_of(&resumed);
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b));
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs between a clean and a resumed run");
    }

    // The SQLite tables hold the rows of the NDJSON files.
    for (table, file) in [
        ("documents", "documents.ndjson"),
        ("line_items", "line_items.ndjson"),
        ("checks", "checks.ndjson"),
    ] {
        let nd = read_ndjson(&clean.join(file));
        let db =
            gongkai::sqlite::read_table(&clean.join("gongkai.db"), table).expect("table reads");
        assert_eq!(nd.len(), db.len(), "{table}: row counts");
        assert!(!nd.is_empty(), "{table} has rows");
        for (x, y) in nd.iter().zip(&db) {
            let obj = x.as_object().expect("object");
            for (k, v) in obj {
                assert_eq!(v, y.get(k).unwrap_or(&Value::Null), "{table}.{k}");
            }
        }
    }
    let _ = std::fs::remove_dir_all(&clean);
    let _ = std::fs::remove_dir_all(&resumed);
}

#[test]
fn shards_partition_the_inputs_and_merge_back() {
    let corpus = Path::new("../shared/corpus/real/jiangsu");
    let whole = tmp("out-whole");
    let s1 = tmp("out-s1");
    let s2 = tmp("out-s2");
    let merged = tmp("out-merged");
    let batch = |out: &Path, shard: Option<&str>| {
        let mut c = gongkai();
        c.args(["batch", "--quiet", "--out"]).arg(out).arg(corpus);
        if let Some(s) = shard {
            c.args(["--shard", s]);
        }
        assert!(c.status().expect("runs").success());
    };
    batch(&whole, None);
    batch(&s1, Some("1/2"));
    batch(&s2, Some("2/2"));
    let n1 = read_ndjson(&s1.join("documents.ndjson")).len();
    let n2 = read_ndjson(&s2.join("documents.ndjson")).len();
    assert_eq!(n1 + n2, 14);
    assert!(n1 > 0 && n2 > 0);
    let status = gongkai()
        .arg("merge")
        .arg(&s1)
        .arg(&s2)
        .arg("--out")
        .arg(&merged)
        .status()
        .expect("merge runs");
    assert!(status.success());
    for f in [
        "documents.ndjson",
        "line_items.ndjson",
        "checks.ndjson",
        "documents.csv",
        "summary.json",
    ] {
        assert!(
            std::fs::read(whole.join(f)).ok() == std::fs::read(merged.join(f)).ok(),
            "{f} differs after merge"
        );
    }
    for d in [whole, s1, s2, merged] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn a_manifest_carries_its_metadata_into_the_outputs() {
    let dir = tmp("manifest");
    let out = tmp("out-manifest");
    let seed =
        std::fs::canonicalize("../shared/corpus/seed/yangquan-veterans-service-center-2024.txt")
            .expect("seed");
    std::fs::write(
        dir.join("m.csv"),
        format!(
            "path,region,source_url\n{},山西省阳泉市,https://example.org/a.pdf\n",
            seed.display()
        ),
    )
    .expect("manifest");
    let status = gongkai()
        .args(["batch", "--quiet", "--csv-bom", "--manifest"])
        .arg(dir.join("m.csv"))
        .arg("--out")
        .arg(&out)
        .status()
        .expect("runs");
    assert!(status.success());
    let docs = read_ndjson(&out.join("documents.ndjson"));
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["meta"]["region"], "山西省阳泉市");
    assert_eq!(docs[0]["meta"]["source_url"], "https://example.org/a.pdf");
    assert_eq!(docs[0]["unit_name"], "阳泉市退役军人服务中心");
    let csv = std::fs::read(out.join("documents.csv")).expect("csv");
    assert!(csv.starts_with(&[0xef, 0xbb, 0xbf]), "BOM for Excel");
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn warehouse_outputs_carry_performance_targets_and_phases() {
    let out = tmp("out-perf");
    let status = gongkai()
        .args(["batch", "--quiet", "--out"])
        .arg(&out)
        .arg("../shared/corpus/seed/yangquan-veterans-service-center-2024.txt")
        .arg("../shared/corpus/real/shanghai/planning-final-2024.pdf")
        .status()
        .expect("batch runs");
    assert!(status.success());
    let targets = read_ndjson(&out.join("performance_targets.ndjson"));
    assert_eq!(
        targets.len(),
        6,
        "six project forms in the reference document"
    );
    assert_eq!(targets[0]["project_name"], "退役军人服务中心工作经费");
    assert_eq!(targets[0]["funds_period_total"], "774000.00");
    assert_eq!(targets[0]["funds_annual_total"], "150000.00");
    let indicators = read_ndjson(&out.join("performance_indicators.ndjson"));
    assert_eq!(indicators.len(), 28 + 10 + 12 + 16 + 14 + 14);
    // 三公 决算 amounts carry their phase.
    let items = read_ndjson(&out.join("line_items.ndjson"));
    let phase_of = |key: &str| {
        items
            .iter()
            .find(|r| r["table_kind"] == "three_public" && r["column_key"] == key)
            .map(|r| r["phase"].clone())
    };
    assert_eq!(phase_of("three_public_budget"), Some(Value::from("budget")));
    assert_eq!(phase_of("three_public"), Some(Value::from("final")));
    // SQLite holds the same rows.
    for (table, file) in [
        ("performance_targets", "performance_targets.ndjson"),
        ("performance_indicators", "performance_indicators.ndjson"),
    ] {
        let nd = read_ndjson(&out.join(file));
        let db = gongkai::sqlite::read_table(&out.join("gongkai.db"), table).expect("table reads");
        assert_eq!(nd.len(), db.len(), "{table}");
        for (x, y) in nd.iter().zip(&db) {
            for (k, v) in x.as_object().expect("object") {
                assert_eq!(v, y.get(k).unwrap_or(&Value::Null), "{table}.{k}");
            }
        }
    }
    let _ = std::fs::remove_dir_all(&out);
}
