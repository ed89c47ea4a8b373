//! The `batch` stage: many inputs in parallel, each isolated, resumable, with warehouse outputs.
//!
//! Isolation is in-process: every file runs on a rayon worker inside `catch_unwind`, with a
//! deadline the interpreter checks every 1024 operators and the pipeline checks between pages, and
//! with the size caps of [`crate::pdf::Limits`] bounding memory. We chose this over child
//! processes because it costs nothing per file (a process per file would cost more than reading a
//! small disclosure) and every loop that can run long on hostile input is ours and bounded; the
//! remaining unbounded step, lopdf's parse, is linear in the (capped) file size.
//!
//! Layout of the output directory: `docs/<id>.json` (one disclosure each), `.state/<id>.json`
//! (status, reason, manifest metadata, input sha256 and tool version: what resume and merge read),
//! and the aggregates `documents`, `line_items`, `checks` as NDJSON and CSV, `gongkai.db`, and
//! `summary.json`. Aggregates are rebuilt from `.state` + `docs` at the end of every run, ordered by
//! id, so an interrupted run rerun gives byte-identical outputs.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::extract::{extract_bytes, ExtractError, Options};
use crate::model::Disclosure;
use crate::pdf::{Limits, PdfError};

pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Options of `gongkai batch`.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    pub inputs: Vec<PathBuf>,
    pub manifest: Option<PathBuf>,
    pub out: PathBuf,
    pub jobs: Option<usize>,
    pub timeout: Duration,
    pub quiet: bool,
    pub force: bool,
    /// (k, n): process the k-th (1-based) of n deterministic shards.
    pub shard: Option<(usize, usize)>,
    pub csv_bom: bool,
    /// Remove from the output the documents of earlier runs whose input is not among this run's.
    pub prune: bool,
}

/// What a run did: inputs processed, and how many of them failed or timed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOutcome {
    pub inputs: usize,
    pub failed: usize,
    /// Documents of earlier runs kept in the output beside this run's.
    pub kept: usize,
}

/// One input file with its id (a safe, unique name) and manifest metadata.
#[derive(Debug, Clone)]
pub struct Input {
    pub path: PathBuf,
    pub id: String,
    pub meta: BTreeMap<String, String>,
}

/// What a batch remembers of one input.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct State {
    pub id: String,
    pub input: String,
    pub sha256: String,
    pub tool_version: String,
    /// ok | partial | no_text_layer | damaged (truncated or damaged file) | failed | timeout
    pub status: String,
    pub reason: Option<String>,
    pub meta: BTreeMap<String, String>,
    /// Relative path of the per-document JSON, when there is one.
    pub output: Option<String>,
}

/// A safe file-name stem from a path: letters, digits, CJK and `-_.` kept, the rest `_`.
pub fn safe_name(path: &Path) -> String {
    let s = path.to_string_lossy();
    let stem = s
        .strip_suffix(".pdf")
        .or_else(|| s.strip_suffix(".PDF"))
        .or_else(|| s.strip_suffix(".txt"))
        .unwrap_or(&s);
    let mut out: String = stem
        .trim_start_matches("./")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    out = out.trim_matches(|c| c == '_' || c == '.').to_string();
    if out.is_empty() {
        out = "input".into();
    }
    // Keep names short enough for every file system.
    if out.len() > 150 {
        let hash = format!("{:x}", Sha256::digest(s.as_bytes()));
        let mut cut = 120;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out = format!("{}-{}", &out[..cut], &hash[..12]);
    }
    out
}

fn is_input_file(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf") || e.eq_ignore_ascii_case("txt"))
}

/// The *.pdf and *.txt files under `dir`, recursively, sorted.
pub fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    walk(dir, &mut out, 0)?;
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<()> {
    if depth > 64 {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read directory {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out, depth + 1)?;
        } else if is_input_file(&p) {
            out.push(p);
        }
    }
    Ok(())
}

/// Inputs from files, directories (recursive) and a manifest, with unique ids.
pub fn discover(opts: &BatchOptions) -> Result<Vec<Input>> {
    let mut found: Vec<Found> = Vec::new();
    for input in &opts.inputs {
        if input.is_dir() {
            let mut files = Vec::new();
            walk(input, &mut files, 0)?;
            for f in files {
                let rel = f
                    .strip_prefix(input)
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|_| f.clone());
                found.push((f, rel, BTreeMap::new()));
            }
        } else {
            let name = input
                .file_name()
                .map(PathBuf::from)
                .unwrap_or_else(|| input.clone());
            found.push((input.clone(), name, BTreeMap::new()));
        }
    }
    if let Some(m) = &opts.manifest {
        found.extend(read_manifest(m)?);
    }
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    let mut inputs = Vec::with_capacity(found.len());
    for (path, rel, meta) in found {
        let base = safe_name(&rel);
        let n = used.entry(base.clone()).or_insert(0);
        *n += 1;
        let id = if *n == 1 { base } else { format!("{base}-{n}") };
        inputs.push(Input { path, id, meta });
    }
    if let Some((k, n)) = opts.shard {
        inputs.retain(|i| shard_of(&i.id, n) == k - 1);
    }
    Ok(inputs)
}

/// The shard (0-based) an id belongs to: a stable hash, the same on every machine.
pub fn shard_of(id: &str, n: usize) -> usize {
    let h = Sha256::digest(id.as_bytes());
    let mut v = 0u64;
    for b in h.iter().take(8) {
        v = v << 8 | u64::from(*b);
    }
    (v % n.max(1) as u64) as usize
}

/// A manifest: CSV with a header (a `path` column, any others are metadata) or JSON lines with a
/// `path` field.
/// An input found: its path, the path its id is made from, and its manifest metadata.
type Found = (PathBuf, PathBuf, BTreeMap<String, String>);

fn read_manifest(path: &Path) -> Result<Vec<Found>> {
    let base = path.parent().unwrap_or(Path::new("."));
    let resolve = |p: &str| {
        let pb = PathBuf::from(p);
        if pb.is_absolute() {
            pb
        } else {
            base.join(pb)
        }
    };
    let mut out = Vec::new();
    let is_jsonl = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"));
    if is_jsonl {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read manifest {}", path.display()))?;
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let v: Value = serde_json::from_str(line)
                .with_context(|| format!("{}:{}: not JSON", path.display(), n + 1))?;
            let p = v
                .get("path")
                .and_then(Value::as_str)
                .with_context(|| format!("{}:{}: no \"path\"", path.display(), n + 1))?;
            let mut meta = BTreeMap::new();
            if let Some(obj) = v.as_object() {
                for (k, val) in obj.iter().filter(|(k, _)| k.as_str() != "path") {
                    meta.insert(
                        k.clone(),
                        val.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| val.to_string()),
                    );
                }
            }
            out.push((resolve(p), PathBuf::from(p), meta));
        }
    } else {
        let mut rdr = csv::Reader::from_path(path)
            .with_context(|| format!("cannot read manifest {}", path.display()))?;
        let headers = rdr.headers()?.clone();
        let path_col = headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case("path"))
            .context("manifest has no \"path\" column")?;
        for rec in rdr.records() {
            let rec = rec?;
            let Some(p) = rec.get(path_col) else { continue };
            let mut meta = BTreeMap::new();
            for (i, h) in headers.iter().enumerate() {
                if i != path_col {
                    meta.insert(h.trim().to_string(), rec.get(i).unwrap_or("").to_string());
                }
            }
            out.push((resolve(p), PathBuf::from(p), meta));
        }
    }
    Ok(out)
}

/// Write bytes to `path` atomically (temp file in the same directory, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("out"),
        std::process::id()
    ));
    {
        let mut f = std::fs::File::create(&tmp)
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path).with_context(|| format!("cannot rename to {}", path.display()))?;
    Ok(())
}

fn state_path(out: &Path, id: &str) -> PathBuf {
    out.join(".state").join(format!("{id}.json"))
}

fn read_state(out: &Path, id: &str) -> Option<State> {
    serde_json::from_slice(&std::fs::read(state_path(out, id)).ok()?).ok()
}

/// Outcome of one file in this run (for the human summary).
struct Timing {
    id: String,
    elapsed: Duration,
    pages: usize,
}

/// Process one input: extract (isolated), write its document and state.
fn process(input: &Input, opts: &BatchOptions) -> (State, Option<Timing>) {
    let started = Instant::now();
    let bytes = match std::fs::read(&input.path) {
        Ok(b) => b,
        Err(e) => {
            let st = State {
                id: input.id.clone(),
                input: input.path.display().to_string(),
                sha256: String::new(),
                tool_version: TOOL_VERSION.into(),
                status: "failed".into(),
                reason: Some(format!("cannot read file: {e}")),
                meta: input.meta.clone(),
                output: None,
            };
            // Recorded like any other outcome: the input gets its row in every record set.
            if let Ok(json) = serde_json::to_vec_pretty(&st) {
                let _ = write_atomic(&state_path(&opts.out, &input.id), &json);
            }
            return (st, None);
        }
    };
    let sha256 = format!("{:x}", Sha256::digest(&bytes));
    if !opts.force {
        if let Some(prev) = read_state(&opts.out, &input.id) {
            let doc_ok = prev
                .output
                .as_ref()
                .is_none_or(|o| opts.out.join(o).exists());
            if prev.sha256 == sha256
                && prev.tool_version == TOOL_VERSION
                && doc_ok
                && prev.meta == input.meta
            {
                return (prev, None);
            }
        }
    }
    let name = input
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let options = Options {
        limits: Limits {
            deadline: Some(started + opts.timeout),
            ..Limits::default()
        },
    };
    let result = catch_unwind(AssertUnwindSafe(|| extract_bytes(&name, &bytes, &options)));
    let (status, reason, disclosure): (&str, Option<String>, Option<Disclosure>) = match result {
        Err(_) => (
            "failed",
            Some("internal error (panic) while extracting".into()),
            None,
        ),
        Ok(Err(ExtractError::Pdf(PdfError::Timeout))) => (
            "timeout",
            Some(format!(
                "exceeded the {} s time limit",
                opts.timeout.as_secs()
            )),
            None,
        ),
        Ok(Err(e)) => ("failed", Some(e.to_string()), None),
        Ok(Ok(d)) => {
            if started.elapsed() > opts.timeout {
                (
                    "timeout",
                    Some(format!(
                        "exceeded the {} s time limit",
                        opts.timeout.as_secs()
                    )),
                    None,
                )
            } else if let Some(damage) = d
                .diagnostics
                .iter()
                .find(|x| x.message.starts_with(crate::extract::DAMAGED))
            {
                // Truncated or damaged: say so, with the pages read, never "a scan".
                let reason = Some(damage.message.clone());
                ("damaged", reason, Some(d))
            } else if d.source.text_layer == "none" {
                (
                    "no_text_layer",
                    Some(
                        d.diagnostics
                            .iter()
                            .find(|x| x.message.starts_with("no text layer"))
                            .map_or_else(|| "no text layer".to_string(), |x| x.message.clone()),
                    ),
                    Some(d),
                )
            } else if d.source.text_layer == "partial"
                || d.diagnostics
                    .iter()
                    .any(|x| x.message.starts_with("page unreadable"))
            {
                (
                    "partial",
                    Some("some pages have no text layer (images only)".into()),
                    Some(d),
                )
            } else {
                ("ok", None, Some(d))
            }
        }
    };
    let pages = disclosure
        .as_ref()
        .and_then(|d| d.source.pages)
        .unwrap_or(0);
    let mut output = None;
    let mut status = status.to_string();
    let mut reason = reason;
    if let Some(d) = &disclosure {
        let rel = format!("docs/{}.json", input.id);
        match serde_json::to_vec_pretty(d)
            .map_err(anyhow::Error::from)
            .and_then(|json| write_atomic(&opts.out.join(&rel), &json))
        {
            Ok(()) => output = Some(rel),
            Err(e) => {
                status = "failed".into();
                reason = Some(format!("cannot write output: {e}"));
            }
        }
    }
    let st = State {
        id: input.id.clone(),
        input: input.path.display().to_string(),
        sha256,
        tool_version: TOOL_VERSION.into(),
        status,
        reason,
        meta: input.meta.clone(),
        output,
    };
    if let Ok(json) = serde_json::to_vec_pretty(&st) {
        let _ = write_atomic(&state_path(&opts.out, &input.id), &json);
    }
    (
        st,
        Some(Timing {
            id: input.id.clone(),
            elapsed: started.elapsed(),
            pages,
        }),
    )
}

/// Remove temp files a killed run left behind (its atomic writes never renamed).
fn clean_stale_temps(out: &Path) {
    for dir in [out.to_path_buf(), out.join(".state"), out.join("docs")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') && name.contains(".tmp-") {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// Run a batch; returns the number of inputs processed.
pub fn run(opts: &BatchOptions) -> Result<RunOutcome> {
    let inputs = discover(opts)?;
    std::fs::create_dir_all(opts.out.join(".state"))
        .with_context(|| format!("cannot create the output folder {}", opts.out.display()))?;
    clean_stale_temps(&opts.out);
    let jobs = opts
        .jobs
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    let total = inputs.len();
    let done = AtomicUsize::new(0);
    let pages_done = AtomicUsize::new(0);
    let started = Instant::now();
    let tty = std::io::stderr().is_terminal();
    let bar = (!opts.quiet && tty).then(|| {
        let b = indicatif::ProgressBar::new(total as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} files {per_sec} eta {eta} {msg}",
        ) {
            b.set_style(style);
        }
        b
    });
    let last_line = Mutex::new(Instant::now());
    let timings: Mutex<Vec<Timing>> = Mutex::new(Vec::new());
    let states: Vec<State> = pool.install(|| {
        inputs
            .par_iter()
            .map(|input| {
                let (st, timing) = process(input, opts);
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if let Some(t) = timing {
                    pages_done.fetch_add(t.pages, Ordering::Relaxed);
                    if let Ok(mut v) = timings.lock() {
                        v.push(t);
                    }
                }
                let secs = started.elapsed().as_secs_f64().max(1e-6);
                let pages = pages_done.load(Ordering::Relaxed);
                if let Some(b) = &bar {
                    b.set_position(n as u64);
                    b.set_message(format!("{:.0} pages/s", pages as f64 / secs));
                } else if !opts.quiet {
                    if let Ok(mut last) = last_line.lock() {
                        if last.elapsed() >= Duration::from_secs(5) || n == total {
                            *last = Instant::now();
                            let rate = n as f64 / secs;
                            let eta = if rate > 0.0 { (total - n) as f64 / rate } else { 0.0 };
                            eprintln!("gongkai batch: {n}/{total} files, {rate:.1} files/s, {:.0} pages/s, eta {eta:.0} s", pages as f64 / secs);
                        }
                    }
                }
                st
            })
            .collect()
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let mut ids: Vec<String> = states.iter().map(|s| s.id.clone()).collect();
    // An output folder is a collection that grows: earlier runs' documents stay unless pruned.
    let earlier: Vec<String> = state_ids(&opts.out)
        .into_iter()
        .filter(|id| !ids.contains(id))
        .collect();
    let kept = if opts.prune {
        for id in &earlier {
            remove_document(&opts.out, id);
        }
        0
    } else {
        ids.extend(earlier.iter().cloned());
        earlier.len()
    };
    let summary = aggregate(&opts.out, &ids, opts.csv_bom)?;
    if !opts.quiet {
        let timings = timings.into_inner().unwrap_or_default();
        eprint!(
            "{}",
            human_summary(&summary, &states, &timings, started.elapsed())
        );
        if kept > 0 {
            eprintln!(
                "gongkai batch: {kept} document(s) of earlier runs kept in {} (--prune removes them)",
                opts.out.display()
            );
        }
    }
    let failed = states
        .iter()
        .filter(|s| matches!(s.status.as_str(), "failed" | "timeout" | "damaged"))
        .count();
    Ok(RunOutcome {
        inputs: total,
        failed,
        kept,
    })
}

/// The ids with a state in the output folder, sorted.
fn state_ids(out: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(out.join(".state"))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| {
                    let name = e.file_name().into_string().ok()?;
                    name.strip_suffix(".json").map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

/// Remove one document (its state and JSON) from the output folder.
fn remove_document(out: &Path, id: &str) {
    if let Some(st) = read_state(out, id) {
        if let Some(o) = st.output {
            let _ = std::fs::remove_file(out.join(o));
        }
    }
    let _ = std::fs::remove_file(state_path(out, id));
}

/// Rebuild every aggregate output from `.state` and `docs` for these ids (sorted).
pub fn aggregate(out: &Path, ids: &[String], csv_bom: bool) -> Result<Value> {
    let mut ids: Vec<String> = ids.to_vec();
    ids.sort();
    ids.dedup();
    // One document at a time into every output: memory does not grow with the batch.
    let mut documents =
        crate::output::Sink::create(out, "documents", crate::output::DOCUMENT_COLUMNS, csv_bom)?;
    let mut line_items =
        crate::output::Sink::create(out, "line_items", crate::output::LINE_ITEM_COLUMNS, csv_bom)?;
    let mut checks =
        crate::output::Sink::create(out, "checks", crate::output::CHECK_COLUMNS, csv_bom)?;
    let mut targets = crate::output::Sink::create(
        out,
        "performance_targets",
        crate::output::TARGET_COLUMNS,
        csv_bom,
    )?;
    let mut indicators = crate::output::Sink::create(
        out,
        "performance_indicators",
        crate::output::INDICATOR_COLUMNS,
        csv_bom,
    )?;
    let mut units =
        crate::output::Sink::create(out, "units", crate::output::UNIT_COLUMNS, csv_bom)?;
    let mut narrative_items = crate::output::Sink::create(
        out,
        "narrative_items",
        crate::output::NARRATIVE_ITEM_COLUMNS,
        csv_bom,
    )?;
    let mut db = crate::sqlite::DbWriter::create(&out.join("gongkai.db"))?;
    let mut by_status: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_verdict: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for id in &ids {
        let Some(st) = read_state(out, id) else {
            continue;
        };
        *by_status.entry(st.status.clone()).or_insert(0) += 1;
        if matches!(st.status.as_str(), "failed" | "timeout" | "damaged") {
            failures.push(
                json!({"id": st.id, "input": st.input, "status": st.status, "reason": st.reason}),
            );
        }
        let d: Option<Disclosure> = st
            .output
            .as_ref()
            .and_then(|o| std::fs::read(out.join(o)).ok())
            .and_then(|b| serde_json::from_slice(&b).ok());
        if let Some(d) = &d {
            *by_verdict.entry(d.verdict.status.clone()).or_insert(0) += 1;
        }
        let doc = crate::output::document_record(&st, d.as_ref());
        documents.push(&doc)?;
        db.document(&doc)?;
        if let Some(d) = &d {
            for r in crate::output::line_item_records(&st.id, d) {
                line_items.push(&r)?;
                db.line_item(&r)?;
            }
            for r in crate::output::check_records(&st.id, d) {
                checks.push(&r)?;
                db.check(&r)?;
            }
            for r in crate::output::target_records(&st.id, d) {
                targets.push(&r)?;
                db.target(&r)?;
            }
            for r in crate::output::indicator_records(&st.id, d) {
                indicators.push(&r)?;
                db.indicator(&r)?;
            }
            for r in crate::output::unit_records(&st.id, d) {
                units.push(&r)?;
                db.unit(&r)?;
            }
            for r in crate::output::narrative_item_records(&st.id, d) {
                narrative_items.push(&r)?;
                db.narrative_item(&r)?;
            }
        }
    }
    let (n_docs, n_items, n_checks) = (documents.count, line_items.count, checks.count);
    documents.commit()?;
    line_items.commit()?;
    checks.commit()?;
    let (n_targets, n_indicators) = (targets.count, indicators.count);
    targets.commit()?;
    indicators.commit()?;
    let n_units = units.count;
    units.commit()?;
    let n_narrative_items = narrative_items.count;
    narrative_items.commit()?;
    db.finish()?;
    let summary = json!({
        "tool_version": TOOL_VERSION,
        "documents": n_docs,
        "line_items": n_items,
        "checks": n_checks,
        "performance_targets": n_targets,
        "performance_indicators": n_indicators,
        "units": n_units,
        "narrative_items": n_narrative_items,
        "by_status": by_status,
        "by_verdict": by_verdict,
        "failures": failures,
    });
    write_atomic(
        &out.join("summary.json"),
        &(serde_json::to_vec_pretty(&summary)?),
    )?;
    Ok(summary)
}

fn human_summary(
    summary: &Value,
    states: &[State],
    timings: &[Timing],
    elapsed: Duration,
) -> String {
    let mut s = String::new();
    let processed = timings.len();
    let skipped = states.len().saturating_sub(processed);
    let pages: usize = timings.iter().map(|t| t.pages).sum();
    let secs = elapsed.as_secs_f64().max(1e-6);
    s.push_str(&format!(
        "gongkai batch: {} inputs ({processed} processed, {skipped} already done) in {:.1} s — {:.1} files/s, {:.0} pages/s\n",
        states.len(),
        secs,
        processed as f64 / secs,
        pages as f64 / secs
    ));
    s.push_str(&format!("  status:  {}\n", summary["by_status"]));
    s.push_str(&format!("  verdict: {}\n", summary["by_verdict"]));
    let mut slow: Vec<&Timing> = timings.iter().collect();
    slow.sort_by_key(|t| std::cmp::Reverse(t.elapsed));
    for t in slow.iter().take(3) {
        s.push_str(&format!(
            "  slowest: {} {:.2} s ({} pages)\n",
            t.id,
            t.elapsed.as_secs_f64(),
            t.pages
        ));
    }
    for st in states
        .iter()
        .filter(|s| matches!(s.status.as_str(), "failed" | "timeout"))
        .take(20)
    {
        s.push_str(&format!(
            "  {}: {} — {}\n",
            st.status,
            st.input,
            st.reason.as_deref().unwrap_or("")
        ));
    }
    s
}

/// Merge the outputs of several batch directories (shards) into `out`.
pub fn merge(dirs: &[PathBuf], out: &Path, csv_bom: bool) -> Result<usize> {
    std::fs::create_dir_all(out.join(".state"))?;
    let mut ids = Vec::new();
    for dir in dirs {
        let state_dir = dir.join(".state");
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&state_dir)
            .with_context(|| format!("{} is not a batch output (no .state)", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        entries.sort();
        for p in entries {
            let Ok(bytes) = std::fs::read(&p) else {
                continue;
            };
            let Ok(st) = serde_json::from_slice::<State>(&bytes) else {
                continue;
            };
            if let Some(o) = &st.output {
                let doc = std::fs::read(dir.join(o))
                    .with_context(|| format!("{}: missing {o}", dir.display()))?;
                write_atomic(&out.join(o), &doc)?;
            }
            write_atomic(&state_path(out, &st.id), &bytes)?;
            ids.push(st.id);
        }
    }
    aggregate(out, &ids, csv_bom)?;
    Ok(ids.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_names_and_shards() {
        assert_eq!(
            safe_name(Path::new("a/b c/江苏 2017.pdf")),
            "a_b_c_江苏_2017"
        );
        assert_eq!(safe_name(Path::new("../x.txt")), "x");
        assert_eq!(safe_name(Path::new("///")), "input");
        let long = "长".repeat(200) + ".pdf";
        assert!(safe_name(Path::new(&long)).len() <= 150);
        // Shards partition the ids and are stable.
        let ids: Vec<String> = (0..100).map(|i| format!("doc{i}")).collect();
        let counts: Vec<usize> = (0..3)
            .map(|k| ids.iter().filter(|id| shard_of(id, 3) == k).count())
            .collect();
        assert_eq!(counts.iter().sum::<usize>(), 100);
        assert!(counts.iter().all(|&c| c > 20), "{counts:?}");
        assert_eq!(shard_of("doc7", 3), shard_of("doc7", 3));
    }
}
