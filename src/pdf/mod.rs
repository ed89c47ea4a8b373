//! The `pdf` stage: PDF bytes → per page, positioned glyphs and ruling-line segments.
//!
//! lopdf parses the file (xref repair, object streams, empty-password decryption); everything from the
//! page tree down — the content-stream interpreter and the CJK font layer — is our own, because the
//! off-the-shelf text extractors panic or guess on the GBK-family fonts Chinese publishers use.
//!
//! Output coordinates are points in the page *as displayed*: origin at the top-left corner of the
//! CropBox after `/Rotate`, x to the right, y downward (like pdfplumber's `x0, top, x1, bottom`).

pub mod cmap;
pub mod encodings;
pub mod font;
pub mod glyphnames;
mod interp;
pub mod lexer;
pub mod normalize;
pub mod radicals;

use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use lopdf::{Dictionary, Object, ObjectId};
use serde::Serialize;

pub use font::Font;

/// Resource caps for untrusted input.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Input file size accepted (bytes).
    pub max_file_bytes: usize,
    /// Largest single stream after decompression (bytes).
    pub max_stream_bytes: usize,
    /// Objects accepted in one document.
    pub max_objects: usize,
    /// Pages accepted in one document.
    pub max_pages: usize,
    /// Content-stream operators interpreted per page, forms included.
    pub max_ops_per_page: usize,
    /// Glyphs kept per page.
    pub max_glyphs_per_page: usize,
    /// Ruling segments kept per page.
    pub max_segments_per_page: usize,
    /// Nesting of form XObjects.
    pub max_form_depth: usize,
    /// Wall-clock deadline; interpretation stops (with a diagnostic) when it passes.
    pub deadline: Option<Instant>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 512 << 20,
            max_stream_bytes: 64 << 20,
            max_objects: 2_000_000,
            max_pages: 10_000,
            max_ops_per_page: 5_000_000,
            max_glyphs_per_page: 400_000,
            max_segments_per_page: 400_000,
            max_form_depth: 12,
            deadline: None,
        }
    }
}

/// Why a document or page could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("not a PDF file (no %PDF header)")]
    NotPdf,
    #[error("file too large: {0} bytes")]
    TooLarge(usize),
    #[error("cannot parse PDF: {0}")]
    Parse(String),
    #[error("document is encrypted with a password")]
    Encrypted,
    #[error("too many objects: {0}")]
    TooManyObjects(usize),
    #[error("page {0} does not exist")]
    NoSuchPage(usize),
    #[error("page {page}: {reason}")]
    Page { page: usize, reason: String },
    #[error("time limit exceeded")]
    Timeout,
}

/// One drawn character, after decoding and normalization.
#[derive(Debug, Clone, Serialize)]
pub struct Glyph {
    /// Normalized text (NFKC, radicals unified); usually one character, may be empty or several.
    pub text: String,
    /// The text as decoded, before normalization, when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_text: Option<String>,
    /// The character code as it appeared in the string (1–4 bytes, big-endian).
    pub raw_code: u32,
    /// Index into [`Page::fonts`].
    pub font: u16,
    /// Effective size in points (font size × text and graphics scaling).
    pub size: f64,
    /// [x0, top, x1, bottom] in displayed-page points.
    pub bbox: [f64; 4],
    /// Baseline start in displayed-page points.
    pub origin: [f64; 2],
    /// Text render mode (`Tr`); 3 is invisible (OCR layers), 7 clip-only.
    pub render_mode: u8,
    /// Order in which the glyph was drawn on the page.
    pub seq: u32,
    /// Writing direction of the baseline in displayed space: 0 = left→right, 90 = top→bottom, etc.
    pub dir: u16,
}

/// How a ruling segment was drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SegmentKind {
    /// A stroked straight path piece.
    Stroke,
    /// A filled rectangle thin enough to be a line (reduced to its centre line).
    ThinFill,
    /// An edge of a larger filled rectangle (cell shading; often coincides with rulings).
    RectEdge,
}

/// A straight line piece in displayed-page points.
#[derive(Debug, Clone, Serialize)]
pub struct Segment {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    /// Stroke width or rectangle thickness, in points.
    pub width: f64,
    pub kind: SegmentKind,
    pub seq: u32,
}

/// A non-fatal problem found while reading a page.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub page: usize,
    pub message: String,
}

/// Summary of a font used on a page.
#[derive(Debug, Clone, Serialize)]
pub struct FontInfo {
    pub name: String,
    pub subtype: String,
    pub encoding: String,
}

/// Everything the text layer found on one page.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// 1-based page number.
    pub number: usize,
    /// Displayed width and height in points (after Rotate).
    pub width: f64,
    pub height: f64,
    pub rotate: i64,
    pub glyphs: Vec<Glyph>,
    pub segments: Vec<Segment>,
    pub fonts: Vec<FontInfo>,
    pub diagnostics: Vec<Diagnostic>,
    /// Images drawn (image XObjects and inline images): a page with images and no glyphs is scanned.
    pub images: usize,
    /// Glyphs drawn outside the clipping path: not visible, so not content, but kept for a text
    /// view that compares with tools that ignore clipping (`gongkai text --unclipped`).
    pub clipped: Vec<Glyph>,
    /// What of the page's content could not be read (a content stream missing from a truncated
    /// file, undecodable, or beyond the decompression cap): such a page is damaged, not blank.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub damaged: Vec<String>,
}

/// A loaded PDF: the lopdf object graph, the flattened page list and a per-document font cache.
pub struct PdfDocument {
    doc: lopdf::Document,
    pages: Vec<PageRef>,
    fonts: Mutex<HashMap<ObjectId, Arc<Font>>>,
    limits: Limits,
    /// Problems found while loading (xref repaired, pages skipped …).
    pub diagnostics: Vec<String>,
}

/// A leaf of the page tree with its inherited attributes resolved.
#[derive(Clone)]
struct PageRef {
    id: ObjectId,
    resources: Option<Dictionary>,
    media_box: [f64; 4],
    crop_box: Option<[f64; 4]>,
    rotate: i64,
}

/// Metadata from the document information dictionary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Metadata {
    pub producer: Option<String>,
    pub creator: Option<String>,
    pub title: Option<String>,
}

impl PdfDocument {
    /// Load from bytes with default limits.
    pub fn load(bytes: &[u8]) -> Result<PdfDocument, PdfError> {
        Self::load_with_limits(bytes, Limits::default())
    }

    /// Load from bytes. Never panics: a panic inside the parser becomes an error.
    pub fn load_with_limits(bytes: &[u8], limits: Limits) -> Result<PdfDocument, PdfError> {
        if bytes.len() > limits.max_file_bytes {
            return Err(PdfError::TooLarge(bytes.len()));
        }
        let head = bytes.get(..bytes.len().min(1024)).unwrap_or(&[]);
        if !head.windows(5).any(|w| w == b"%PDF-") {
            return Err(PdfError::NotPdf);
        }
        let opts = lopdf::LoadOptions {
            max_decompressed_size: Some(limits.max_stream_bytes),
            ..Default::default()
        };
        let doc = catch_unwind(AssertUnwindSafe(|| {
            lopdf::Document::load_mem_with_options(bytes, opts)
        }))
        .map_err(|_| PdfError::Parse("parser panicked".into()))?
        .map_err(|e| {
            let msg = e.to_string();
            if msg.to_lowercase().contains("password") || msg.to_lowercase().contains("decrypt") {
                PdfError::Encrypted
            } else {
                PdfError::Parse(msg)
            }
        })?;
        if doc.objects.len() > limits.max_objects {
            return Err(PdfError::TooManyObjects(doc.objects.len()));
        }
        let mut diagnostics = Vec::new();
        if let Some(rec) = &doc.xref_recovery {
            diagnostics.push(format!("cross-reference table repaired ({rec:?})"));
        }
        let mut pages = Vec::new();
        collect_pages(&doc, &mut pages, &mut diagnostics, limits.max_pages);
        if pages.is_empty() {
            return Err(PdfError::Parse("no pages found".into()));
        }
        Ok(PdfDocument {
            doc,
            pages,
            fonts: Mutex::new(HashMap::new()),
            limits,
            diagnostics,
        })
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Set the deadline checked inside the interpreter loops.
    pub fn set_deadline(&mut self, deadline: Option<Instant>) {
        self.limits.deadline = deadline;
    }

    /// Producer / Creator / Title from the Info dictionary.
    pub fn metadata(&self) -> Metadata {
        let info = self
            .doc
            .trailer
            .get(b"Info")
            .ok()
            .and_then(|o| self.doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok());
        let get = |k: &[u8]| -> Option<String> {
            let o = info?.get(k).ok()?;
            let (_, o) = self.doc.dereference(o).ok()?;
            let s = o.as_str().ok()?;
            let t = decode_text_string(s);
            let t = t.trim().to_string();
            (!t.is_empty()).then_some(t)
        };
        Metadata {
            producer: get(b"Producer"),
            creator: get(b"Creator"),
            title: get(b"Title"),
        }
    }

    /// Interpret page `number` (1-based). A panic inside becomes an error for this page only.
    pub fn page(&self, number: usize) -> Result<Page, PdfError> {
        let pref = self
            .pages
            .get(number.wrapping_sub(1))
            .ok_or(PdfError::NoSuchPage(number))?;
        catch_unwind(AssertUnwindSafe(|| interp::run_page(self, pref, number))).map_err(|_| {
            PdfError::Page {
                page: number,
                reason: "internal error while interpreting the page".into(),
            }
        })?
    }

    pub(crate) fn lopdf(&self) -> &lopdf::Document {
        &self.doc
    }

    /// Resolve a reference (bounded chain).
    /// Whether `o` refers to an object the file does not hold (cut off a truncated file).
    pub(crate) fn is_missing(&self, o: &Object) -> bool {
        matches!(o, Object::Reference(id) if self.doc.get_object(*id).is_err())
    }

    pub(crate) fn resolve<'a>(&'a self, o: &'a Object) -> &'a Object {
        match self.doc.dereference(o) {
            Ok((_, o)) => o,
            Err(_) => &Object::Null,
        }
    }

    /// Font for a font dictionary, cached by object id when it is an indirect object.
    pub(crate) fn font(&self, obj: &Object) -> Arc<Font> {
        let id = match obj {
            Object::Reference(id) => Some(*id),
            _ => None,
        };
        if let Some(id) = id {
            if let Ok(cache) = self.fonts.lock() {
                if let Some(f) = cache.get(&id) {
                    return f.clone();
                }
            }
        }
        let dict = self.resolve(obj).as_dict().ok();
        let font = Arc::new(match dict {
            Some(d) => Font::load(self, d),
            None => Font::missing(),
        });
        if let Some(id) = id {
            if let Ok(mut cache) = self.fonts.lock() {
                cache.insert(id, font.clone());
            }
        }
        font
    }

    /// Decompressed bytes of a stream, within the stream cap.
    pub(crate) fn stream_bytes(&self, s: &lopdf::Stream) -> Result<Vec<u8>, String> {
        if s.dict.get(b"Filter").is_err() {
            return Ok(s.content.clone());
        }
        s.decompressed_content_with_limit(self.limits.max_stream_bytes)
            .or_else(|e| {
                // Truncated flate data: keep what inflates (many damaged files still render);
                // data that inflates beyond the cap is refused, not cut.
                match partial_inflate(&s.content, self.limits.max_stream_bytes) {
                    Some(b) if b.len() >= self.limits.max_stream_bytes => Err(format!(
                        "the stream inflates beyond the decompression cap of {} MB",
                        self.limits.max_stream_bytes >> 20
                    )),
                    Some(b) => Ok(b),
                    None => Err(e.to_string()),
                }
            })
    }
}

/// Inflate as much of a (possibly truncated) zlib stream as possible.
fn partial_inflate(data: &[u8], cap: usize) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    let mut dec = flate2::read::ZlibDecoder::new(data).take(cap as u64);
    let mut buf = [0u8; 16384];
    loop {
        match dec.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(buf.get(..n).unwrap_or(&[])),
            Err(_) => break,
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Decode a PDF text string (UTF-16BE with BOM, UTF-8 with BOM, else PDFDocEncoding ≈ Latin-1;
/// GBK bytes are common in Chinese producers' Info dictionaries, so try that too).
pub fn decode_text_string(s: &[u8]) -> String {
    if let Some(rest) = s.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| {
                u16::from_be_bytes([
                    c.first().copied().unwrap_or(0),
                    c.get(1).copied().unwrap_or(0),
                ])
            })
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = s.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if let Ok(t) = std::str::from_utf8(s) {
        return t.to_string();
    }
    let (t, _, had_errors) = encoding_rs::GBK.decode(s);
    if !had_errors {
        return t.into_owned();
    }
    s.iter().map(|&b| char::from(b)).collect()
}

fn num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

fn rect(doc: &lopdf::Document, o: &Object) -> Option<[f64; 4]> {
    let (_, o) = doc.dereference(o).ok()?;
    let a = o.as_array().ok()?;
    if a.len() != 4 {
        return None;
    }
    let mut v = [0.0; 4];
    for (slot, item) in v.iter_mut().zip(a) {
        let (_, item) = doc.dereference(item).ok()?;
        *slot = num(item)?;
        if !slot.is_finite() {
            return None;
        }
    }
    // Normalize corners.
    Some([
        v[0].min(v[2]),
        v[1].min(v[3]),
        v[0].max(v[2]),
        v[1].max(v[3]),
    ])
}

/// Walk the page tree (iteratively, with a visited set) resolving inherited attributes.
fn collect_pages(
    doc: &lopdf::Document,
    out: &mut Vec<PageRef>,
    diags: &mut Vec<String>,
    max_pages: usize,
) {
    let root = doc
        .trailer
        .get(b"Root")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())
        .and_then(|d| d.get(b"Pages").ok())
        .and_then(|o| o.as_reference().ok());
    let Some(root) = root else {
        // Fall back to lopdf's own page list (it scans for /Type /Page when the tree is broken).
        for id in doc.get_pages().values() {
            if out.len() >= max_pages {
                break;
            }
            if let Ok(d) = doc.get_dictionary(*id) {
                out.push(page_ref(doc, *id, d, None, None, None, None));
            }
        }
        if out.is_empty() {
            diags.push("no page tree".into());
        }
        return;
    };
    struct Inh {
        resources: Option<Dictionary>,
        media: Option<[f64; 4]>,
        crop: Option<[f64; 4]>,
        rotate: Option<i64>,
    }
    let mut stack: Vec<(ObjectId, Arc<Inh>)> = vec![(
        root,
        Arc::new(Inh {
            resources: None,
            media: None,
            crop: None,
            rotate: None,
        }),
    )];
    let mut seen = HashSet::new();
    while let Some((id, inh)) = stack.pop() {
        if !seen.insert(id) || out.len() >= max_pages {
            continue;
        }
        let Ok(dict) = doc.get_dictionary(id) else {
            diags.push(format!("page tree node {} {} is missing", id.0, id.1));
            continue;
        };
        let is_pages = dict.get(b"Kids").is_ok() && !dict.has_type(b"Page");
        if is_pages {
            let resources = dict
                .get(b"Resources")
                .ok()
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_dict().ok().cloned())
                .or_else(|| inh.resources.clone());
            let child = Arc::new(Inh {
                resources,
                media: dict
                    .get(b"MediaBox")
                    .ok()
                    .and_then(|o| rect(doc, o))
                    .or(inh.media),
                crop: dict
                    .get(b"CropBox")
                    .ok()
                    .and_then(|o| rect(doc, o))
                    .or(inh.crop),
                rotate: dict
                    .get(b"Rotate")
                    .ok()
                    .and_then(|o| doc.dereference(o).ok())
                    .and_then(|(_, o)| num(o))
                    .map(|r| r as i64)
                    .or(inh.rotate),
            });
            let kids = dict
                .get(b"Kids")
                .ok()
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_array().ok());
            if let Some(kids) = kids {
                // Push in reverse so pages come out in order.
                for k in kids.iter().rev() {
                    if let Ok(kid) = k.as_reference() {
                        stack.push((kid, child.clone()));
                    }
                }
            }
        } else {
            out.push(page_ref(
                doc,
                id,
                dict,
                inh.resources.as_ref(),
                inh.media,
                inh.crop,
                inh.rotate,
            ));
        }
    }
    if out.len() >= max_pages {
        diags.push(format!("page count capped at {max_pages}"));
    }
}

fn page_ref(
    doc: &lopdf::Document,
    id: ObjectId,
    dict: &Dictionary,
    resources: Option<&Dictionary>,
    media: Option<[f64; 4]>,
    crop: Option<[f64; 4]>,
    rotate: Option<i64>,
) -> PageRef {
    let own_resources = dict
        .get(b"Resources")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok().cloned());
    let media_box = dict
        .get(b"MediaBox")
        .ok()
        .and_then(|o| rect(doc, o))
        .or(media)
        .filter(|r| r[2] - r[0] > 1.0 && r[3] - r[1] > 1.0)
        .unwrap_or([0.0, 0.0, 595.0, 842.0]);
    let crop_box = dict
        .get(b"CropBox")
        .ok()
        .and_then(|o| rect(doc, o))
        .or(crop);
    let rotate = dict
        .get(b"Rotate")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| num(o))
        .map(|r| r as i64)
        .or(rotate)
        .unwrap_or(0);
    PageRef {
        id,
        resources: own_resources.or_else(|| resources.cloned()),
        media_box,
        crop_box,
        rotate: rotate.rem_euclid(360) / 90 * 90,
    }
}
