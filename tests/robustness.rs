//! Robustness: damaged copies of the corpus PDFs must never crash or hang `gongkai extract` (the whole pipeline: text layer, layout, tables, forms, checks).
//!
//! Every corpus PDF is mutated in a fixed, seeded set of ways (truncation, byte flips, zeroed
//! ranges, cut stream data, broken cross-reference offsets, appended data, and mutations of the
//! *decoded* stream data, which reach our own content-stream, CMap and font code), written to a
//! temporary directory and run through the real binary as a child process. Each run must finish
//! within [`TIMEOUT`], must not die from a signal (abort, stack overflow), and must exit with 0
//! (read), 1 (some pages failed) or 2 (unreadable) — never 101, Rust's exit code for a panic.
//!
//! The corpus is `../shared/corpus` beside the repository (override with `GONGKAI_CORPUS`).
//! Everything is deterministic: the same corpus gives the same mutants. The temporary directory is
//! removed at the end when everything passed and kept (its path is printed) when something failed,
//! so the failing files can be inspected. Run with `cargo test --release --test robustness`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Decoded-stream mutants whose source lopdf could not load (they get raw flips instead).
static DECODE_FALLBACKS: AtomicUsize = AtomicUsize::new(0);
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Longest a single `gongkai extract` run may take.
const TIMEOUT: Duration = Duration::from_secs(20);
/// Child processes run at once (the binary itself also uses threads for pages).
const PARALLEL: usize = 3;

/// One way of damaging a file. Each is applied `reps` times per source file with different seeds.
#[derive(Debug, Clone, Copy)]
enum Mutation {
    /// Keep only the first n bytes.
    Truncate(usize),
    /// Keep a random-length prefix.
    TruncateRandom,
    /// XOR n random bytes with a random non-zero value.
    Flip(usize),
    /// Overwrite a random range (up to 4 KiB) with zeros.
    ZeroRange,
    /// Delete a chunk from the middle of one `stream … endstream` body.
    CutStream,
    /// Delete a chunk from the middle of every `stream … endstream` body.
    CutEveryStream,
    /// Point `startxref` at a random offset.
    StartxrefRandom,
    /// Move `startxref` a few bytes off its target.
    StartxrefShift,
    /// Garble the offsets of a classic xref table (or flip bytes of an xref stream).
    XrefEntries,
    /// Insert a copy of a random chunk of the file at a random place.
    DuplicateChunk,
    /// Append the whole file to itself.
    AppendCopy,
    /// Append random bytes.
    AppendGarbage,
    /// Decode every stream (content, CMap, font …), flip 10 of its bytes, store it uncompressed.
    DecodedFlip,
    /// Decode every stream and truncate it at a random point.
    DecodedTruncate,
    /// Decode every stream and insert random PDF tokens (operators, brackets, numbers, names).
    DecodedTokens,
}

/// The mutations applied to each source file, with their repetition counts.
const PLAN: &[(Mutation, usize)] = &[
    (Mutation::Truncate(0), 1),
    (Mutation::Truncate(10), 1),
    (Mutation::Truncate(100), 1),
    (Mutation::TruncateRandom, 3),
    (Mutation::Flip(1), 2),
    (Mutation::Flip(10), 2),
    (Mutation::Flip(100), 2),
    (Mutation::ZeroRange, 2),
    (Mutation::CutStream, 3),
    (Mutation::CutEveryStream, 1),
    (Mutation::StartxrefRandom, 1),
    (Mutation::StartxrefShift, 1),
    (Mutation::XrefEntries, 1),
    (Mutation::DuplicateChunk, 1),
    (Mutation::AppendCopy, 1),
    (Mutation::AppendGarbage, 1),
    (Mutation::DecodedFlip, 4),
    (Mutation::DecodedTruncate, 4),
    (Mutation::DecodedTokens, 4),
];

/// Tokens spliced into decoded streams by [`Mutation::DecodedTokens`].
const TOKENS: &[&str] = &[
    "q",
    "Q",
    "BT",
    "ET",
    "Tj",
    "TJ",
    "'",
    "\"",
    "Tf",
    "Td",
    "TD",
    "Tm",
    "T*",
    "Tc",
    "Tw",
    "Tz",
    "TL",
    "Ts",
    "Tr",
    "cm",
    "Do",
    "gs",
    "re",
    "m",
    "l",
    "c",
    "h",
    "f",
    "S",
    "W",
    "n",
    "BI",
    "ID",
    "EI",
    "BDC",
    "BMC",
    "EMC",
    "d0",
    "d1",
    "[",
    "]",
    "<<",
    ">>",
    "(",
    ")",
    "<",
    ">",
    "(\\",
    "<FFFE",
    "/F1",
    "/Im0",
    "/Fm0",
    "0",
    "1",
    "-1",
    "0.001",
    "1e308",
    "-3.4e38",
    "99999999999",
    "NaN",
    "begincodespacerange",
    "endcodespacerange",
    "beginbfchar",
    "endbfchar",
    "beginbfrange",
    "endbfrange",
    "begincidrange",
    "endcidrange",
    "usecmap",
    "/Identity-H",
    "/GBK-EUC-H",
    "<00>",
    "<0000>",
    "<FFFF>",
    "<FFFFFFFF>",
    "<00000000>",
];

/// xorshift64* — small, deterministic, good enough to pick offsets.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform-ish in `0..n` (0 when n is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn byte(&mut self) -> u8 {
        self.next() as u8
    }
}

/// FNV-1a, to derive a seed from (file, mutation, repetition).
fn seed_for(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.iter().chain(b"\0") {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// `(start, end)` of the data of every `stream\r?\n … endstream`.
fn stream_spans(data: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut at = 0;
    while let Some(i) = find(data, b"stream", at) {
        at = i + 6;
        if i >= 3 && &data[i - 3..i] == b"end" {
            continue;
        }
        let start = match data.get(at..at + 2) {
            Some([b'\r', b'\n']) => at + 2,
            Some([b'\n', _]) | Some([b'\r', _]) => at + 1,
            _ => continue,
        };
        if let Some(end) = find(data, b"endstream", start) {
            spans.push((start, end));
            at = end + 9;
        }
    }
    spans
}

/// Delete a chunk from the middle of `data[start..end]`; returns how many bytes went.
fn cut_middle(data: &mut Vec<u8>, (start, end): (usize, usize), rng: &mut Rng) -> usize {
    let len = end - start;
    if len < 4 {
        return 0;
    }
    let from = start + len / 4 + rng.below(len / 2);
    let n = (1 + rng.below(len / 2)).min(end - from);
    data.drain(from..from + n);
    n
}

fn flip(data: &mut [u8], n: usize, rng: &mut Rng) {
    for _ in 0..n {
        if data.is_empty() {
            return;
        }
        let i = rng.below(data.len());
        data[i] ^= rng.byte() | 1;
    }
}

/// Digits of the `startxref` offset: (start, end) in `data`.
fn startxref_digits(data: &[u8]) -> Option<(usize, usize)> {
    let mut i = rfind(data, b"startxref")? + 9;
    while data.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
        i += 1;
    }
    let start = i;
    while data.get(i).is_some_and(|b| b.is_ascii_digit()) {
        i += 1;
    }
    (i > start).then_some((start, i))
}

fn set_startxref(data: &mut Vec<u8>, value: usize) {
    match startxref_digits(data) {
        Some((s, e)) => {
            data.splice(s..e, value.to_string().into_bytes());
        }
        None => data.extend_from_slice(format!("\nstartxref\n{value}\n%%EOF\n").as_bytes()),
    }
}

/// Classic xref entries `nnnnnnnnnn ggggg n`: positions of their 10 offset digits.
fn xref_entries(data: &[u8]) -> Vec<usize> {
    let is_entry = |w: &[u8]| {
        w[..10].iter().all(u8::is_ascii_digit)
            && w[10] == b' '
            && w[11..16].iter().all(u8::is_ascii_digit)
            && w[16] == b' '
            && w[17] == b'n'
    };
    data.windows(18)
        .enumerate()
        .filter(|(_, w)| is_entry(w))
        .map(|(i, _)| i)
        .collect()
}

/// Decode every stream worth mutating, apply `mutate` to its data and store it uncompressed.
fn mutate_decoded(src: &[u8], rng: &mut Rng, mutate: impl Fn(&mut Vec<u8>, &mut Rng)) -> Vec<u8> {
    let Ok(mut doc) = lopdf::Document::load_mem(src) else {
        // Not loadable as it is: fall back to raw flips so the plan's count stays fixed.
        DECODE_FALLBACKS.fetch_add(1, Ordering::SeqCst);
        let mut out = src.to_vec();
        flip(&mut out, 10, rng);
        return out;
    };
    for obj in doc.objects.values_mut() {
        let lopdf::Object::Stream(s) = obj else {
            continue;
        };
        let name = |k: &[u8]| s.dict.get(k).and_then(|o| o.as_name()).unwrap_or(b"");
        if name(b"Subtype") == b"Image" || matches!(name(b"Type"), b"XRef" | b"ObjStm") {
            continue;
        }
        let Ok(mut data) = s.get_plain_content_with_limit(64 << 20) else {
            continue;
        };
        mutate(&mut data, rng);
        s.set_plain_content(data);
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("lopdf save to memory");
    out
}

/// Apply one mutation to a copy of `src`.
fn mutate(src: &[u8], m: Mutation, rng: &mut Rng) -> Vec<u8> {
    let mut d = src.to_vec();
    let len = d.len();
    match m {
        Mutation::Truncate(n) => d.truncate(n),
        Mutation::TruncateRandom => d.truncate(rng.below(len)),
        Mutation::Flip(n) => flip(&mut d, n, rng),
        Mutation::ZeroRange => {
            let from = rng.below(len);
            let n = (1 + rng.below(4096)).min(len - from);
            d[from..from + n].fill(0);
        }
        Mutation::CutStream => {
            let spans = stream_spans(&d);
            let span = spans.get(rng.below(spans.len())).copied();
            cut_middle(&mut d, span.unwrap_or((0, len)), rng);
        }
        Mutation::CutEveryStream => {
            // Last to first, so earlier spans stay valid.
            for span in stream_spans(&d).into_iter().rev() {
                cut_middle(&mut d, span, rng);
            }
        }
        Mutation::StartxrefRandom => set_startxref(&mut d, rng.below(len * 2 + 1)),
        Mutation::StartxrefShift => {
            let old = startxref_digits(&d)
                .and_then(|(s, e)| std::str::from_utf8(&d[s..e]).ok()?.parse().ok())
                .unwrap_or(len / 2);
            let shift = 1 + rng.below(16);
            let new = if rng.below(2) == 0 {
                old + shift
            } else {
                old.saturating_sub(shift)
            };
            set_startxref(&mut d, new);
        }
        Mutation::XrefEntries => {
            let entries = xref_entries(&d);
            if entries.is_empty() {
                // Cross-reference stream: damage the bytes where startxref points.
                let at = startxref_digits(&d)
                    .and_then(|(s, e)| std::str::from_utf8(&d[s..e]).ok()?.parse().ok())
                    .filter(|&at: &usize| at < len)
                    .unwrap_or(0);
                let end = (at + 512).min(len);
                flip(&mut d[at..end], 10, rng);
            }
            for at in entries {
                if rng.below(2) == 0 {
                    for b in &mut d[at..at + 10] {
                        *b = b'0' + rng.below(10) as u8;
                    }
                }
            }
        }
        Mutation::DuplicateChunk => {
            let from = rng.below(len);
            let chunk = d[from..(from + 1 + rng.below(8192)).min(len)].to_vec();
            let at = rng.below(len + 1);
            d.splice(at..at, chunk);
        }
        Mutation::AppendCopy => d.extend_from_slice(src),
        Mutation::AppendGarbage => {
            let n = 1 + rng.below(8192);
            d.extend((0..n).map(|_| rng.byte()));
        }
        Mutation::DecodedFlip => d = mutate_decoded(src, rng, |s, r| flip(s, 10, r)),
        Mutation::DecodedTruncate => {
            d = mutate_decoded(src, rng, |s, r| s.truncate(r.below(s.len() + 1)))
        }
        Mutation::DecodedTokens => {
            d = mutate_decoded(src, rng, |s, r| {
                for _ in 0..20 {
                    let at = r.below(s.len() + 1);
                    let tok = format!(" {} ", TOKENS[r.below(TOKENS.len())]);
                    s.splice(at..at, tok.into_bytes());
                }
            })
        }
    }
    d
}

/// All PDFs under `dir`, recursively, sorted.
fn pdfs_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| Some(e.ok()?.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            pdfs_under(&p, out);
        } else if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
            out.push(p);
        }
    }
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("GONGKAI_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    }
}

/// One mutated file to run.
struct Job {
    source: usize,
    mutation: Mutation,
    rep: usize,
}

impl Job {
    fn label(&self) -> String {
        let m: String = format!("{:?}", self.mutation)
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        format!("{m}-{}", self.rep)
    }
}

/// How a child process ended: `None` when it was killed for running past [`TIMEOUT`].
struct Outcome {
    status: Option<ExitStatus>,
    elapsed: Duration,
    stderr_tail: String,
}

fn run_binary(file: &Path, stderr_file: &Path) -> Outcome {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("extract")
        .arg(file)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(stderr_file).expect("create stderr file"))
        .spawn()
        .expect("spawn gongkai");
    let status = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break Some(status);
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stderr = std::fs::read(stderr_file).unwrap_or_default();
    let stderr = String::from_utf8_lossy(&stderr);
    let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
    let stderr_tail = tail.into_iter().rev().collect::<Vec<_>>().join("\n");
    Outcome {
        status,
        elapsed: started.elapsed(),
        stderr_tail,
    }
}

/// What is wrong with an outcome, if anything.
fn problem(job: &Job, out: &Outcome) -> Option<String> {
    let Some(status) = out.status else {
        return Some(format!("timed out after {TIMEOUT:?}"));
    };
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return Some(format!("killed by signal {sig} (abort / stack overflow?)"));
        }
    }
    match status.code() {
        Some(101) => Some("panicked (exit code 101)".into()),
        Some(2) => None,
        // A prefix of 100 bytes or less cannot hold a page tree: it must be rejected as unreadable.
        Some(c @ (0 | 1)) if matches!(job.mutation, Mutation::Truncate(n) if n <= 100) => Some(
            format!("exit code {c} for a {:?} file (expected 2)", job.mutation),
        ),
        Some(0 | 1) => None,
        other => Some(format!("unexpected exit status {other:?}")),
    }
}

/// Deletes the scratch directory unless told to keep it.
struct Scratch {
    dir: PathBuf,
    keep: bool,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if self.keep {
            eprintln!("mutated files kept in {}", self.dir.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[test]
fn mutated_corpus_never_crashes_or_hangs() {
    let corpus = corpus_dir();
    let mut sources = Vec::new();
    pdfs_under(&corpus, &mut sources);
    assert!(
        !sources.is_empty(),
        "no PDFs under {} (set GONGKAI_CORPUS to the shared corpus)",
        corpus.display()
    );
    let names: Vec<String> = sources
        .iter()
        .map(|p| {
            p.strip_prefix(&corpus)
                .unwrap_or(p)
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let contents: Vec<Vec<u8>> = sources
        .iter()
        .map(|p| std::fs::read(p).expect("read corpus file"))
        .collect();

    let jobs: Vec<Job> = (0..sources.len())
        .flat_map(|source| {
            PLAN.iter().flat_map(move |&(mutation, reps)| {
                (0..reps).map(move |rep| Job {
                    source,
                    mutation,
                    rep,
                })
            })
        })
        .collect();
    let per_file: usize = PLAN.iter().map(|&(_, reps)| reps).sum();
    assert_eq!(per_file, 36);
    assert_eq!(jobs.len(), sources.len() * per_file);
    assert!(
        jobs.len() >= 300,
        "only {} mutants from {} sources",
        jobs.len(),
        sources.len()
    );

    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir =
        std::env::temp_dir().join(format!("gongkai-robustness-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    let mut scratch = Scratch { dir, keep: false };

    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let generated = AtomicUsize::new(0);
    // Per job: (label, exit code or None, elapsed); failures separately.
    let results = Mutex::new(Vec::new());
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..PARALLEL {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(job) = jobs.get(i) else { break };
                let label = job.label();
                let seed = seed_for(&[names[job.source].as_bytes(), label.as_bytes()]);
                let data = mutate(&contents[job.source], job.mutation, &mut Rng::new(seed));
                let file = scratch.dir.join(format!("{i:04}-{label}.pdf"));
                std::fs::write(&file, &data).expect("write mutant");
                generated.fetch_add(1, Ordering::SeqCst);

                let out = run_binary(&file, &file.with_extension("stderr"));
                let code = out.status.and_then(|s| s.code());
                results
                    .lock()
                    .unwrap()
                    .push((job.mutation, code, out.elapsed));
                match problem(job, &out) {
                    Some(what) => failures.lock().unwrap().push(format!(
                        "{} [{label}, {} bytes, from {}]: {what}\n    stderr: {}",
                        file.display(),
                        data.len(),
                        names[job.source],
                        out.stderr_tail.replace('\n', "\n            ")
                    )),
                    None => {
                        let _ = std::fs::remove_file(&file);
                        let _ = std::fs::remove_file(file.with_extension("stderr"));
                    }
                }
            });
        }
    });
    let elapsed = started.elapsed();
    let results = results.into_inner().unwrap();
    let mut failures = failures.into_inner().unwrap();
    failures.sort();

    // Summary: exit codes per mutation kind, and the slowest run.
    println!(
        "{} mutants of {} files in {elapsed:.1?}",
        results.len(),
        sources.len()
    );
    for &(m, _) in PLAN {
        let tag = format!("{m:?}");
        let count = |c: Option<i32>| {
            results
                .iter()
                .filter(|r| format!("{:?}", r.0) == tag && r.1 == c)
                .count()
        };
        println!(
            "  {tag:<18} exit 0: {:>3}  exit 1: {:>3}  exit 2: {:>3}",
            count(Some(0)),
            count(Some(1)),
            count(Some(2))
        );
    }
    if let Some(slowest) = results.iter().map(|r| r.2).max() {
        println!("  slowest run: {slowest:.2?}");
    }
    let fallbacks = DECODE_FALLBACKS.load(Ordering::SeqCst);
    println!("  decoded-stream mutants that fell back to raw flips: {fallbacks}");

    assert_eq!(generated.load(Ordering::SeqCst), jobs.len());
    assert_eq!(results.len(), jobs.len());
    if !failures.is_empty() {
        scratch.keep = true;
        panic!(
            "{} of {} mutated files crashed or hung gongkai:\n{}",
            failures.len(),
            jobs.len(),
            failures.join("\n")
        );
    }
}
