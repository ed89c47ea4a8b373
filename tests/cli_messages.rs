//! What a user sees from the commands when things go wrong or are cut short: a closed pipe ends a
//! command quietly (like ripgrep), a missing file says its OS error once, a page that does not
//! exist is an error, and the human-readable reports print names, not Rust debug values.

use std::io::Read;
use std::process::{Command, Stdio};

const SAMPLE: &str = "samples/yangquan-veterans-service-center-2024.pdf";
const CORPUS_PDF: &str = "../shared/corpus/real/shanghai/wanli-street-2024.pdf";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
}

/// Run `args` with stdout closed before the command writes: (exit code, stderr).
fn with_closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    let mut child = bin()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    drop(child.stdout.take());
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    let status = child.wait().expect("waits");
    (status.code(), err)
}

#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    for args in [
        vec!["extract", CORPUS_PDF],
        vec!["check", "--all", CORPUS_PDF],
        vec!["glyphs", CORPUS_PDF],
        vec!["tables", CORPUS_PDF],
        vec!["text", CORPUS_PDF],
        vec!["layout", CORPUS_PDF, "--page", "6"],
    ] {
        let (code, err) = with_closed_stdout(&args);
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?} printed: {err}");
    }
}

#[test]
fn a_missing_file_says_its_os_error_once() {
    let out = bin()
        .args(["extract", "no/such.pdf"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
    assert!(err.contains("no/such.pdf"), "{err}");
}

#[test]
fn a_page_that_does_not_exist_is_an_error() {
    let out = bin()
        .args(["tables", SAMPLE, "--page", "999"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("page 999 does not exist"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn reports_print_names_not_debug_values() {
    let tables = bin().args(["tables", SAMPLE]).output().expect("runs");
    let text = String::from_utf8_lossy(&tables.stdout);
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("unit_budget year=2024 unit=阳泉市退役军人服务中心"),
        "{first}"
    );
    assert!(!text.contains("Some("), "tables prints Some(…)");
    assert!(!text.contains("None"), "tables prints None");
    let check = bin()
        .args(["check", CORPUS_PDF, "--all"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&check.stdout);
    let first = text.lines().next().unwrap_or_default();
    assert!(first.contains("— department_budget 2024"), "{first}");
    assert!(!text.contains("DepartmentBudget"), "{text}");
    assert!(
        !text
            .lines()
            .any(|l| l.contains("at ;") || l.ends_with("at ")),
        "empty locations printed"
    );
}

#[test]
fn extract_takes_several_files_directories_and_stdin() {
    // Two files, one missing: JSON Lines, a line each, the missing one with its reason; exit 2.
    let out = bin()
        .args(["extract", SAMPLE, "no/such.pdf"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[0]["totals"]["general_budget_expenditure_total"],
        "7744800.00"
    );
    assert_eq!(lines[1]["status"], "failed");
    assert!(lines[1]["reason"]
        .as_str()
        .is_some_and(|r| r.contains("No such file")));
    // A directory: one line per PDF in it (the three samples).
    let dir = bin().args(["extract", "samples"]).output().expect("runs");
    assert_eq!(dir.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&dir.stdout).lines().count(), 3);
    // `-` reads stdin.
    let stdin = bin()
        .args(["extract", "-"])
        .stdin(std::fs::File::open(SAMPLE).expect("sample"))
        .output()
        .expect("runs");
    let d: serde_json::Value = serde_json::from_slice(&stdin.stdout).expect("json");
    assert_eq!(d["source"]["file"], "-");
    assert_eq!(d["document"]["unit_name"], "阳泉市退役军人服务中心");
}

#[test]
fn batch_takes_short_flags() {
    let out = std::env::temp_dir().join(format!("gongkai-short-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let run = bin()
        .args(["batch", "-q", "-j", "1", "-o"])
        .arg(&out)
        .arg(SAMPLE)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    assert!(run.stderr.is_empty(), "-q prints nothing");
    assert!(out
        .join("docs/yangquan-veterans-service-center-2024.json")
        .exists());
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn page_ranges() {
    // tables -p 8-9: the two tables that start on pages 8 and 9 of the sample.
    let out = bin()
        .args(["tables", SAMPLE, "-p", "8-9"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let heads: Vec<&str> = text.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(heads.len(), 2, "{heads:?}");
    assert!(heads[0].contains("pages=8") && heads[1].contains("pages=9"));
    // text -p 2-3: two pages, each ended by a form feed.
    let out = bin()
        .args(["text", SAMPLE, "--page", "2-3"])
        .output()
        .expect("runs");
    assert_eq!(out.stdout.iter().filter(|&&b| b == 0x0c).count(), 2);
    // A backwards range is refused by the argument parser; a range past the end is an error.
    let back = bin()
        .args(["text", SAMPLE, "-p", "5-3"])
        .output()
        .expect("runs");
    assert_eq!(back.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&back.stderr).contains("runs backwards"));
    let past = bin()
        .args(["glyphs", SAMPLE, "-p", "30-99"])
        .output()
        .expect("runs");
    assert_eq!(past.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&past.stderr).contains("page 99 does not exist"));
}
