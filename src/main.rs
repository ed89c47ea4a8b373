//! `gongkai` command line.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use rayon::prelude::*;

use gongkai::layout;
use gongkai::pdf::{Page, PdfDocument, PdfError};

/// A page or a range of pages, 1-based: `7` or `3-5`.
#[derive(Debug, Clone, Copy)]
struct Pages {
    first: usize,
    last: usize,
}

impl std::str::FromStr for Pages {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let num = |t: &str| {
            t.trim()
                .parse::<usize>()
                .ok()
                .filter(|&n| n >= 1)
                .ok_or_else(|| format!("{t:?} is not a page number (1, 2, …)"))
        };
        let (first, last) = match s.split_once('-') {
            Some((a, b)) => (num(a)?, num(b)?),
            None => (num(s)?, num(s)?),
        };
        if first > last {
            return Err(format!("{s}: the range runs backwards"));
        }
        Ok(Pages { first, last })
    }
}

impl Pages {
    /// Every page of the range, checked against the document's page count.
    fn within(self, count: usize) -> Result<std::ops::RangeInclusive<usize>> {
        anyhow::ensure!(
            self.last <= count,
            "page {} does not exist (the document has {count} pages)",
            self.last
        );
        Ok(self.first..=self.last)
    }
}

#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    about = "Chinese government budget and final-account disclosures → validated JSON"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print every glyph and ruling segment as JSON lines (text layer debugging).
    Glyphs {
        /// The PDF.
        file: PathBuf,
        /// Only this page or range (1-based: 7, 3-5).
        #[arg(short, long)]
        page: Option<Pages>,
    },
    /// Extract disclosures (PDF or tab-separated text) to JSON: one file as a JSON document,
    /// several files or directories as JSON Lines (one document per line, in order).
    /// Exit status: 0 all read, 2 some input could not be read (its line says why).
    Extract {
        /// Files (`-` for stdin), or directories searched recursively for *.pdf and *.txt.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Write the output here instead of stdout.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Validate disclosures: the accounting identities and the narrative against the tables.
    /// Exit status: 0 no errors, 1 errors found, 2 a file could not be read.
    Check {
        /// Files (`-` for stdin), or directories searched recursively for *.pdf and *.txt.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// text (a readable report) or json (one object per file, one per line).
        #[arg(long, default_value = "text")]
        format: String,
        /// Also list the checks that passed.
        #[arg(short, long)]
        all: bool,
    },
    /// Extract many inputs in parallel into a directory of per-document JSON plus NDJSON, CSV and
    /// SQLite tables; resumable (inputs already done with the same content and version are skipped).
    ///
    /// The output folder grows: documents of earlier runs stay unless --prune. Every input named
    /// gets a row, found or not. Exit status: 0 every input was read (ok, partial or no text
    /// layer), 1 some input failed, was damaged or timed out (its row says why), 2 the batch could not run (bad
    /// arguments, an unreadable manifest, an output folder that cannot be written).
    Batch {
        /// Files, or directories searched recursively for *.pdf and *.txt.
        inputs: Vec<PathBuf>,
        /// A CSV (with a `path` column) or JSON-lines manifest; other columns are carried as metadata.
        #[arg(short, long)]
        manifest: Option<PathBuf>,
        /// The output folder (created; it grows across runs).
        #[arg(short, long)]
        out: PathBuf,
        /// Parallel workers (default: all cores).
        #[arg(short, long)]
        jobs: Option<usize>,
        /// Seconds per file before it is stopped with status timeout.
        #[arg(long, default_value_t = 60)]
        timeout: u64,
        /// No progress and no summary.
        #[arg(short, long)]
        quiet: bool,
        /// Redo inputs already done.
        #[arg(short, long)]
        force: bool,
        /// Process shard K of N (e.g. 2/8): a deterministic part of the inputs.
        #[arg(long)]
        shard: Option<String>,
        /// Start the CSV files with a UTF-8 byte-order mark (for Excel).
        #[arg(long)]
        csv_bom: bool,
        /// Remove the documents of earlier runs whose input is not among this run's.
        #[arg(long)]
        prune: bool,
    },
    /// Combine the outputs of several batch directories (shards) into one.
    Merge {
        /// The batch output folders to combine.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// The output folder.
        #[arg(short, long)]
        out: PathBuf,
        /// Start the CSV files with a UTF-8 byte-order mark (for Excel).
        #[arg(long)]
        csv_bom: bool,
    },
    /// Show the recognized tables as text grids (debugging the tables stage).
    Tables {
        /// The PDF (or tab-separated text).
        file: PathBuf,
        /// Only tables that start on this page or range (7, 3-5).
        #[arg(short, long)]
        page: Option<Pages>,
    },
    /// Show the layout stage for a page: lines outside tables and the ruled grids with their cells.
    Layout {
        /// The PDF.
        file: PathBuf,
        /// Page (1-based).
        #[arg(short, long, default_value_t = 1)]
        page: usize,
        /// Also write an SVG of glyph boxes, ruling lines and detected cells to this file.
        #[arg(long)]
        svg: Option<PathBuf>,
    },
    /// Print the text in reading order, columns separated by runs of spaces; pages end with a form feed.
    Text {
        /// The PDF.
        file: PathBuf,
        /// Only this page or range (1-based: 7, 3-5).
        #[arg(short, long)]
        page: Option<Pages>,
        /// Also text hidden by clipping paths (as pdftotext prints it).
        #[arg(long)]
        unclipped: bool,
    },
}

/// Exit codes: 0 all pages read, 1 some pages failed (the rest are printed), 2 unreadable input.
fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // A closed pipe (`gongkai extract X.pdf | head -1`) ends the command quietly.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gongkai: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Files named, with directories expanded to the *.pdf and *.txt files under them (sorted).
fn expand(files: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for f in files {
        if f.is_dir() {
            out.extend(gongkai::batch::files_under(f)?);
        } else {
            out.push(f.clone());
        }
    }
    Ok(out)
}

/// One input extracted: a file, or stdin for `-`.
fn read_input(path: &std::path::Path) -> Result<gongkai::model::Disclosure> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        io::Read::read_to_end(&mut io::stdin().lock(), &mut bytes).context("cannot read stdin")?;
        return gongkai::extract::extract_bytes("-", &bytes, &Default::default()).context("stdin");
    }
    gongkai::extract::extract_file(path, &Default::default())
        .with_context(|| format!("{}", path.display()))
}

/// Whether the error is a write to a pipe whose reader has gone.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>().map(io::Error::kind) == Some(io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == Some(io::ErrorKind::BrokenPipe)
    })
}

/// Write to stdout, returning the error (a closed pipe) instead of panicking as `print!` does.
fn write_stdout(s: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(s.as_bytes())?;
    out.flush()
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Glyphs { file, page } => {
            let doc = open(&file)?;
            let pages = read_pages(&doc, page)?;
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            let mut failed = Vec::new();
            for (n, p) in pages {
                match p {
                    Ok(p) => write_glyphs(&mut out, &p)?,
                    Err(e) => failed.push((n, e)),
                }
            }
            out.flush()?;
            Ok(report_failures(&file, &failed))
        }
        Command::Extract { files, output } => {
            let inputs = expand(&files)?;
            let single = files.len() == 1 && inputs.len() == 1 && !files[0].is_dir();
            if single {
                let d = read_input(&inputs[0])?;
                let json = serde_json::to_string_pretty(&d)? + "\n";
                match output {
                    Some(path) => std::fs::write(&path, json)
                        .with_context(|| format!("cannot write {}", path.display()))?,
                    None => write_stdout(&json)?,
                }
                return Ok(ExitCode::SUCCESS);
            }
            // Several inputs: JSON Lines, a line per input, a failed one saying why.
            let sink: Box<dyn Write> = match &output {
                Some(path) => Box::new(
                    std::fs::File::create(path)
                        .with_context(|| format!("cannot write {}", path.display()))?,
                ),
                None => Box::new(io::stdout().lock()),
            };
            let mut out = BufWriter::new(sink);
            let mut worst = 0u8;
            for input in &inputs {
                let line = match read_input(input) {
                    Ok(d) => serde_json::to_string(&d)?,
                    Err(e) => {
                        worst = 2;
                        eprintln!("gongkai: {e:#}");
                        serde_json::json!({
                            "source": {"file": input.display().to_string()},
                            "status": "failed",
                            "reason": format!("{e:#}"),
                        })
                        .to_string()
                    }
                };
                writeln!(out, "{line}")?;
            }
            out.flush()?;
            Ok(ExitCode::from(worst))
        }
        Command::Check { files, format, all } => {
            let mut worst = 0u8;
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            for file in &expand(&files)? {
                match read_input(file) {
                    Ok(d) => {
                        if d.verdict.errors > 0 {
                            worst = worst.max(1);
                        }
                        if format == "json" {
                            let v = serde_json::json!({
                                "file": file.display().to_string(),
                                "verdict": d.verdict,
                                "checks": d.checks,
                            });
                            writeln!(out, "{v}")?;
                        } else {
                            out.write_all(report(file, &d, all).as_bytes())?;
                        }
                    }
                    Err(e) => {
                        worst = 2;
                        eprintln!("gongkai: {e:#}");
                    }
                }
            }
            out.flush()?;
            Ok(ExitCode::from(worst))
        }
        Command::Batch {
            inputs,
            manifest,
            out,
            jobs,
            timeout,
            quiet,
            force,
            shard,
            csv_bom,
            prune,
        } => {
            let shard = match shard {
                None => None,
                Some(s) => {
                    let (k, n) = s.split_once('/').context("--shard takes K/N, e.g. 1/4")?;
                    let (k, n): (usize, usize) = (k.trim().parse()?, n.trim().parse()?);
                    anyhow::ensure!(n >= 1 && k >= 1 && k <= n, "--shard K/N needs 1 ≤ K ≤ N");
                    Some((k, n))
                }
            };
            anyhow::ensure!(
                !inputs.is_empty() || manifest.is_some(),
                "give input files, directories or --manifest"
            );
            let opts = gongkai::batch::BatchOptions {
                inputs,
                manifest,
                out,
                jobs,
                timeout: std::time::Duration::from_secs(timeout.max(1)),
                quiet,
                force,
                shard,
                csv_bom,
                prune,
            };
            let outcome = gongkai::batch::run(&opts)?;
            Ok(if outcome.failed > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Merge { dirs, out, csv_bom } => {
            let n = gongkai::batch::merge(&dirs, &out, csv_bom)?;
            eprintln!("gongkai merge: {n} documents into {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Tables { file, page } => {
            let d = read_input(&file)?;
            let range = match (page, d.source.pages) {
                (Some(p), Some(n)) => {
                    Some(p.within(n).with_context(|| format!("{}", file.display()))?)
                }
                (Some(p), None) => Some(p.first..=p.last),
                (None, _) => None,
            };
            write_stdout(&gongkai::tables::render::tables_text(&d, range))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Layout { file, page, svg } => {
            let doc = open(&file)?;
            let pages = read_pages(
                &doc,
                Some(Pages {
                    first: page,
                    last: page,
                }),
            )?;
            let mut failed = Vec::new();
            for (n, p) in pages {
                match p {
                    Ok(p) => {
                        let lay = layout::analyze(&p);
                        write_stdout(&layout::render::layout_text(&lay))?;
                        if let Some(path) = &svg {
                            std::fs::write(path, layout::render::svg(&p, &lay))
                                .with_context(|| format!("cannot write {}", path.display()))?;
                        }
                    }
                    Err(e) => failed.push((n, e)),
                }
            }
            Ok(report_failures(&file, &failed))
        }
        Command::Text {
            file,
            page,
            unclipped,
        } => {
            let doc = open(&file)?;
            let pages = read_pages(&doc, page)?;
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            let mut failed = Vec::new();
            for (n, p) in pages {
                match p {
                    Ok(mut p) => {
                        if unclipped {
                            let hidden = std::mem::take(&mut p.clipped);
                            p.glyphs.extend(hidden);
                        }
                        out.write_all(layout::render_text(&p).as_bytes())?
                    }
                    Err(e) => failed.push((n, e)),
                }
                out.write_all(b"\x0c")?;
            }
            out.flush()?;
            Ok(report_failures(&file, &failed))
        }
    }
}

/// A readable check report: the verdict, then each finding with where its values are.
fn report(file: &std::path::Path, d: &gongkai::model::Disclosure, all: bool) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: {} ({} errors, {} warnings, {} passed) — {} {} {}",
        file.display(),
        d.verdict.status,
        d.verdict.errors,
        d.verdict.warnings,
        d.verdict.passed,
        d.document.kind.as_str(),
        d.document
            .fiscal_year
            .map(|y| y.to_string())
            .unwrap_or_default(),
        d.document.unit_name.as_deref().unwrap_or("")
    );
    for c in &d.checks {
        if c.passed && !all {
            continue;
        }
        if c.severity == gongkai::model::Severity::Info && !all {
            continue;
        }
        let mark = if c.passed {
            "ok   "
        } else if c.severity == gongkai::model::Severity::Error {
            "ERROR"
        } else {
            "warn "
        };
        let _ = writeln!(s, "  {mark} {:<28} {}", c.rule, c.message);
        let places: Vec<String> = c
            .locations
            .iter()
            .take(6)
            .map(|l| {
                let table = l.table.and_then(|t| d.tables.get(t));
                let row = l.row.and_then(|r| table.and_then(|t| t.rows.get(r)));
                let mut p = String::new();
                if let Some(page) = l.page {
                    p.push_str(&format!("p{page}"));
                }
                if let Some(t) = table {
                    p.push_str(&format!(
                        " {}",
                        t.title.as_deref().unwrap_or(t.kind.as_str())
                    ));
                }
                if let Some(r) = row {
                    p.push_str(&format!(
                        " / {}{}",
                        r.code
                            .as_deref()
                            .map(|c| format!("{c} "))
                            .unwrap_or_default(),
                        r.name
                    ));
                }
                if let Some(col) = &l.column {
                    p.push_str(&format!(" [{col}]"));
                }
                p
            })
            .filter(|p| !p.is_empty())
            .collect();
        if !places.is_empty() && !c.passed {
            let _ = writeln!(s, "        at {}", places.join("; "));
        }
    }
    s
}

fn open(file: &PathBuf) -> Result<PdfDocument> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let doc = PdfDocument::load(&bytes).with_context(|| format!("{}", file.display()))?;
    for d in &doc.diagnostics {
        eprintln!("gongkai: {}: {d}", file.display());
    }
    Ok(doc)
}

type PageResult = (usize, Result<Page, PdfError>);

/// Interpret the requested pages in parallel, returned in page order.
fn read_pages(doc: &PdfDocument, only: Option<Pages>) -> Result<Vec<PageResult>> {
    let numbers: Vec<usize> = match only {
        Some(p) => p.within(doc.page_count())?.collect(),
        None => (1..=doc.page_count()).collect(),
    };
    Ok(numbers.into_par_iter().map(|n| (n, doc.page(n))).collect())
}

fn write_glyphs(out: &mut impl Write, p: &Page) -> Result<()> {
    #[derive(serde::Serialize)]
    struct G<'a> {
        page: usize,
        #[serde(rename = "type")]
        kind: &'static str,
        #[serde(flatten)]
        glyph: &'a gongkai::pdf::Glyph,
        font_name: &'a str,
    }
    #[derive(serde::Serialize)]
    struct S<'a> {
        page: usize,
        #[serde(rename = "type")]
        kind: &'static str,
        #[serde(flatten)]
        segment: &'a gongkai::pdf::Segment,
    }
    for g in &p.glyphs {
        let font_name = p
            .fonts
            .get(g.font as usize)
            .map(|f| f.name.as_str())
            .unwrap_or("");
        serde_json::to_writer(
            &mut *out,
            &G {
                page: p.number,
                kind: "glyph",
                glyph: g,
                font_name,
            },
        )?;
        out.write_all(b"\n")?;
    }
    for s in &p.segments {
        serde_json::to_writer(
            &mut *out,
            &S {
                page: p.number,
                kind: "segment",
                segment: s,
            },
        )?;
        out.write_all(b"\n")?;
    }
    for d in &p.diagnostics {
        eprintln!("gongkai: page {}: {}", d.page, d.message);
    }
    Ok(())
}

fn report_failures(file: &std::path::Path, failed: &[(usize, PdfError)]) -> ExitCode {
    if failed.is_empty() {
        return ExitCode::SUCCESS;
    }
    let list: Vec<String> = failed.iter().map(|(n, _)| n.to_string()).collect();
    for (n, e) in failed {
        eprintln!("gongkai: {}: page {n} failed: {e}", file.display());
    }
    eprintln!(
        "gongkai: {}: {} page(s) failed: {}",
        file.display(),
        failed.len(),
        list.join(", ")
    );
    ExitCode::from(1)
}
