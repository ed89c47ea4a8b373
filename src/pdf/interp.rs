//! The content-stream interpreter: graphics and text state, form XObjects, glyph placement and
//! ruling-line extraction.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use lopdf::{Dictionary, Object, ObjectId};

use super::font::{DecodedChar, Font};
use super::lexer::{Lexer, Operand};
use super::normalize::normalize;
use super::{
    Diagnostic, FontInfo, Glyph, Page, PageRef, PdfDocument, PdfError, Segment, SegmentKind,
};

/// Affine matrix `[a b c d e f]`, row-vector convention of the PDF spec: p' = p × M.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Matrix(pub [f64; 6]);

impl Matrix {
    pub const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// self × other (apply self first, then other).
    pub fn then(&self, o: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = o.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    pub fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
    }

    /// Transform a vector (no translation).
    pub fn apply_vec(&self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, ..] = self.0;
        (x * a + y * c, x * b + y * d)
    }

    fn translate(tx: f64, ty: f64) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, tx, ty])
    }

    fn is_finite(&self) -> bool {
        self.0.iter().all(|v| v.is_finite())
    }
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Arc<Font>>,
    font_size: f64,
    char_spacing: f64,
    word_spacing: f64,
    hscale: f64,
    leading: f64,
    rise: f64,
    render_mode: u8,
    line_width: f64,
    /// Bounding box of the clipping path (displayed coordinates), where one was set.
    clip: Option<[f64; 4]>,
}

/// A path piece in displayed-page coordinates.
#[derive(Clone, Copy)]
struct PathSeg {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

#[derive(Default)]
struct SubPath {
    segs: Vec<PathSeg>,
    /// Corner points (for rectangle detection), displayed coordinates.
    points: Vec<(f64, f64)>,
    has_curve: bool,
    from_re: bool,
}

struct Interp<'a> {
    pdf: &'a PdfDocument,
    page_no: usize,
    device: Matrix,
    width: f64,
    height: f64,
    gs: GState,
    stack: Vec<GState>,
    tm: Matrix,
    tlm: Matrix,
    path: Vec<SubPath>,
    cur: Option<(f64, f64)>,
    glyphs: Vec<Glyph>,
    segments: Vec<Segment>,
    fonts: Vec<FontInfo>,
    font_index: HashMap<usize, u16>,
    diagnostics: Vec<Diagnostic>,
    ops: usize,
    seq: u32,
    decoded: Vec<DecodedChar>,
    /// Fake-bold detection: (hash of text, grid x, grid y) → glyph index (no allocation per glyph).
    /// Glyphs drawn so far by (text hash, grid cell): looked up 9 times per glyph, so a fast hasher.
    drawn: rustc_hash::FxHashMap<(u64, i32, i32), usize>,
    undecodable: HashMap<u16, (usize, u32)>,
    off_page: usize,
    duplicates: usize,
    images: usize,
    stopped: Option<String>,
    form_stack: Vec<ObjectId>,
    /// `W` / `W*` seen: the path painted next also clips.
    pending_clip: bool,
    clipped: usize,
    clipped_glyphs: Vec<Glyph>,
}

/// Interpret one page.
pub(super) fn run_page(pdf: &PdfDocument, pref: &PageRef, number: usize) -> Result<Page, PdfError> {
    let m = pref.media_box;
    let c = pref
        .crop_box
        .map(|c| {
            [
                c[0].max(m[0]),
                c[1].max(m[1]),
                c[2].min(m[2]),
                c[3].min(m[3]),
            ]
        })
        .filter(|c| c[2] - c[0] > 1.0 && c[3] - c[1] > 1.0)
        .unwrap_or(m);
    let [llx, lly, urx, ury] = c;
    let (device, width, height) = match pref.rotate {
        90 => (
            Matrix([0.0, 1.0, 1.0, 0.0, -lly, -llx]),
            ury - lly,
            urx - llx,
        ),
        180 => (
            Matrix([-1.0, 0.0, 0.0, 1.0, urx, -lly]),
            urx - llx,
            ury - lly,
        ),
        270 => (
            Matrix([0.0, -1.0, -1.0, 0.0, ury, urx]),
            ury - lly,
            urx - llx,
        ),
        _ => (
            Matrix([1.0, 0.0, 0.0, -1.0, -llx, ury]),
            urx - llx,
            ury - lly,
        ),
    };
    let doc = pdf.lopdf();
    let mut content = Vec::new();
    let mut failures = Vec::new();
    let page_dict = doc.get_dictionary(pref.id).map_err(|e| PdfError::Page {
        page: number,
        reason: e.to_string(),
    })?;
    let contents: Vec<&Object> = match page_dict.get(b"Contents").map(|o| pdf.resolve(o)) {
        Ok(Object::Array(a)) => a.iter().collect(),
        Ok(o) => vec![o],
        Err(_) => vec![],
    };
    for c in contents {
        if pdf.is_missing(c) {
            failures
                .push("a content stream is missing (the file is truncated or damaged)".to_string());
            continue;
        }
        match pdf.resolve(c) {
            Object::Stream(s) => match pdf.stream_bytes(s) {
                Ok(b) => {
                    if content.len() + b.len() > pdf.limits().max_stream_bytes {
                        failures.push("page content exceeds the size cap".to_string());
                        break;
                    }
                    content.extend_from_slice(&b);
                    content.push(b'\n');
                }
                Err(e) => failures.push(format!("content stream unreadable: {e}")),
            },
            Object::Null => {}
            _ => failures.push("content is not a stream".to_string()),
        }
    }
    let mut it = Interp {
        pdf,
        page_no: number,
        device,
        width,
        height,
        gs: GState {
            ctm: Matrix::IDENTITY,
            font: None,
            font_size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            hscale: 1.0,
            leading: 0.0,
            rise: 0.0,
            render_mode: 0,
            line_width: 1.0,
            clip: None,
        },
        stack: Vec::new(),
        tm: Matrix::IDENTITY,
        tlm: Matrix::IDENTITY,
        path: Vec::new(),
        cur: None,
        glyphs: Vec::new(),
        segments: Vec::new(),
        fonts: Vec::new(),
        font_index: HashMap::new(),
        diagnostics: Vec::new(),
        ops: 0,
        seq: 0,
        decoded: Vec::new(),
        drawn: rustc_hash::FxHashMap::default(),
        undecodable: HashMap::new(),
        off_page: 0,
        duplicates: 0,
        images: 0,
        stopped: None,
        form_stack: Vec::new(),
        pending_clip: false,
        clipped: 0,
        clipped_glyphs: Vec::new(),
    };
    let damaged = failures.clone();
    for f in failures {
        it.diag(f);
    }
    let empty = Dictionary::new();
    let resources = pref.resources.as_ref().unwrap_or(&empty);
    it.run(&content, resources, 0);
    if let Some(reason) = it.stopped.take() {
        if reason == "timeout" {
            return Err(PdfError::Timeout);
        }
        it.diag(reason);
    }
    it.finish_diagnostics();
    let mut page = Page {
        number,
        width,
        height,
        rotate: pref.rotate,
        glyphs: it.glyphs,
        segments: it.segments,
        fonts: it.fonts,
        diagnostics: it.diagnostics,
        images: it.images,
        clipped: it.clipped_glyphs,
        damaged,
    };
    page.glyphs.shrink_to_fit();
    Ok(page)
}

fn num_at(ops: &[Operand], i: usize) -> f64 {
    ops.get(i)
        .and_then(Operand::as_f64)
        .filter(|v| v.is_finite())
        .unwrap_or(0.0)
}

/// The last `n` numeric operands (operators take theirs from the top of the stack).
fn nums<const N: usize>(ops: &[Operand]) -> Option<[f64; N]> {
    let start = ops.len().checked_sub(N)?;
    let mut out = [0.0; N];
    for (slot, o) in out.iter_mut().zip(ops.get(start..)?) {
        *slot = o.as_f64().filter(|v| v.is_finite())?;
    }
    Some(out)
}

impl<'a> Interp<'a> {
    fn diag(&mut self, message: impl Into<String>) {
        if self.diagnostics.len() < 200 {
            self.diagnostics.push(Diagnostic {
                page: self.page_no,
                message: message.into(),
            });
        }
    }

    fn finish_diagnostics(&mut self) {
        let mut und: Vec<_> = self.undecodable.iter().map(|(k, v)| (*k, *v)).collect();
        und.sort();
        for (font, (count, example)) in und {
            let name = self
                .fonts
                .get(font as usize)
                .map(|f| f.name.clone())
                .unwrap_or_default();
            self.diag(format!(
                "font {name}: {count} undecodable character code(s), e.g. <{example:X}>, shown as U+FFFD"
            ));
        }
        if self.off_page > 0 {
            let n = self.off_page;
            self.diag(format!("{n} glyph(s) outside the page box dropped"));
        }
        if self.clipped > 0 {
            let n = self.clipped;
            self.diag(format!("{n} glyph(s) outside the clipping path dropped"));
        }
        if self.duplicates > 0 {
            let n = self.duplicates;
            self.diag(format!(
                "{n} glyph(s) drawn twice at the same place (fake bold) dropped"
            ));
        }
    }

    fn should_stop(&mut self) -> bool {
        if self.stopped.is_some() {
            return true;
        }
        self.ops += 1;
        let limits = self.pdf.limits();
        if self.ops > limits.max_ops_per_page {
            self.stopped = Some(format!(
                "page stopped after {} operators (cap)",
                limits.max_ops_per_page
            ));
            return true;
        }
        if self.ops.is_multiple_of(1024) {
            if let Some(d) = limits.deadline {
                if Instant::now() > d {
                    self.stopped = Some("timeout".into());
                    return true;
                }
            }
        }
        false
    }

    fn run(&mut self, content: &[u8], resources: &Dictionary, depth: usize) {
        let mut lx = Lexer::new(content);
        let stack_base = self.stack.len();
        while let Some(op) = lx.next() {
            if self.should_stop() {
                break;
            }
            self.operation(op.op, &op.operands, resources, depth);
        }
        // Unbalanced q inside a form or page: restore.
        while self.stack.len() > stack_base {
            if let Some(gs) = self.stack.pop() {
                self.gs = gs;
            }
        }
    }

    fn operation(&mut self, op: &[u8], ops: &[Operand], resources: &Dictionary, depth: usize) {
        match op {
            b"q" if self.stack.len() < 256 => self.stack.push(self.gs.clone()),
            b"Q" => {
                if let Some(gs) = self.stack.pop() {
                    self.gs = gs;
                }
            }
            b"cm" => {
                if let Some(m) = nums::<6>(ops) {
                    let m = Matrix(m);
                    let ctm = m.then(&self.gs.ctm);
                    if ctm.is_finite() {
                        self.gs.ctm = ctm;
                    }
                }
            }
            b"w" => self.gs.line_width = num_at(ops, 0).abs(),
            b"gs" => self.ext_gstate(ops, resources),
            // Path construction.
            b"m" => {
                if let Some([x, y]) = nums::<2>(ops) {
                    let p = self.to_device(x, y);
                    self.path.push(SubPath {
                        points: vec![p],
                        ..Default::default()
                    });
                    self.cur = Some(p);
                }
            }
            b"l" => {
                if let Some([x, y]) = nums::<2>(ops) {
                    let p = self.to_device(x, y);
                    self.line_to(p);
                }
            }
            b"c" | b"v" | b"y" => {
                let p = match op {
                    b"c" => nums::<6>(ops).map(|v| (v[4], v[5])),
                    _ => nums::<4>(ops).map(|v| (v[2], v[3])),
                };
                if let Some((x, y)) = p {
                    let p = self.to_device(x, y);
                    if self.path.is_empty() {
                        self.path.push(SubPath::default());
                    }
                    if let Some(sp) = self.path.last_mut() {
                        sp.has_curve = true;
                        sp.points.push(p);
                    }
                    self.cur = Some(p);
                }
            }
            b"h" => self.close_path(),
            b"re" => {
                if let Some([x, y, w, h]) = nums::<4>(ops) {
                    let pts = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
                        .map(|(px, py)| self.to_device(px, py));
                    let mut sp = SubPath {
                        points: pts.to_vec(),
                        from_re: true,
                        ..Default::default()
                    };
                    for i in 0..4 {
                        let a = pts[i];
                        let b = pts[(i + 1) % 4];
                        sp.segs.push(PathSeg {
                            x0: a.0,
                            y0: a.1,
                            x1: b.0,
                            y1: b.1,
                        });
                    }
                    self.path.push(sp);
                    self.cur = Some(pts[0]);
                }
            }
            // Path painting.
            b"S" => self.paint(true, false),
            b"s" => {
                self.close_path();
                self.paint(true, false)
            }
            b"f" | b"F" | b"f*" => self.paint(false, true),
            b"B" | b"B*" => self.paint(true, true),
            b"b" | b"b*" => {
                self.close_path();
                self.paint(true, true)
            }
            b"W" | b"W*" => self.pending_clip = true,
            b"n" => {
                self.apply_clip();
                self.path.clear();
                self.cur = None;
            }
            // Text state.
            b"BT" => {
                self.tm = Matrix::IDENTITY;
                self.tlm = Matrix::IDENTITY;
            }
            b"ET" => {}
            b"Tc" => self.gs.char_spacing = num_at(ops, 0),
            b"Tw" => self.gs.word_spacing = num_at(ops, 0),
            b"Tz" => self.gs.hscale = num_at(ops, 0) / 100.0,
            b"TL" => self.gs.leading = num_at(ops, 0),
            b"Ts" => self.gs.rise = num_at(ops, 0),
            b"Tr" => self.gs.render_mode = num_at(ops, 0).clamp(0.0, 7.0) as u8,
            b"Tf" => {
                let size = ops.last().and_then(Operand::as_f64).unwrap_or(0.0);
                let name = ops.iter().find_map(|o| match o {
                    Operand::Name(n) => Some(n.as_slice()),
                    _ => None,
                });
                self.gs.font_size = if size.is_finite() { size } else { 0.0 };
                if let Some(name) = name {
                    self.set_font(name, resources);
                }
            }
            b"Td" => {
                if let Some([tx, ty]) = nums::<2>(ops) {
                    self.td(tx, ty);
                }
            }
            b"TD" => {
                if let Some([tx, ty]) = nums::<2>(ops) {
                    self.gs.leading = -ty;
                    self.td(tx, ty);
                }
            }
            b"Tm" => {
                if let Some(m) = nums::<6>(ops) {
                    let m = Matrix(m);
                    if m.is_finite() {
                        self.tm = m;
                        self.tlm = m;
                    }
                }
            }
            b"T*" => self.td(0.0, -self.gs.leading),
            b"Tj" => {
                if let Some(Operand::Str(s)) = ops.last() {
                    self.show(s);
                }
            }
            b"'" => {
                self.td(0.0, -self.gs.leading);
                if let Some(Operand::Str(s)) = ops.last() {
                    self.show(s);
                }
            }
            b"\"" => {
                if ops.len() >= 3 {
                    self.gs.word_spacing = num_at(ops, ops.len() - 3);
                    self.gs.char_spacing = num_at(ops, ops.len() - 2);
                }
                self.td(0.0, -self.gs.leading);
                if let Some(Operand::Str(s)) = ops.last() {
                    self.show(s);
                }
            }
            b"TJ" => {
                if let Some(Operand::Array(items)) = ops.last() {
                    for item in items {
                        match item {
                            Operand::Str(s) => self.show(s),
                            Operand::Number(n) if n.is_finite() => {
                                let adj = -n / 1000.0 * self.gs.font_size;
                                let vertical = self.gs.font.as_ref().is_some_and(|f| f.vertical);
                                let m = if vertical {
                                    Matrix::translate(0.0, adj)
                                } else {
                                    Matrix::translate(adj * self.gs.hscale, 0.0)
                                };
                                self.tm = m.then(&self.tm);
                            }
                            _ => {}
                        }
                    }
                }
            }
            b"Do" => {
                if let Some(Operand::Name(n)) = ops.last() {
                    self.do_xobject(n, resources, depth);
                }
            }
            b"BI" => self.images += 1,
            _ => {}
        }
    }

    fn to_device(&self, x: f64, y: f64) -> (f64, f64) {
        let (ux, uy) = self.gs.ctm.apply(x, y);
        self.device.apply(ux, uy)
    }

    fn line_to(&mut self, p: (f64, f64)) {
        let start = match self.cur {
            Some(c) => c,
            None => {
                self.path.push(SubPath {
                    points: vec![p],
                    ..Default::default()
                });
                self.cur = Some(p);
                return;
            }
        };
        if self.path.is_empty() {
            self.path.push(SubPath::default());
        }
        if let Some(sp) = self.path.last_mut() {
            if sp.segs.len() < 100_000 {
                sp.segs.push(PathSeg {
                    x0: start.0,
                    y0: start.1,
                    x1: p.0,
                    y1: p.1,
                });
                sp.points.push(p);
            }
        }
        self.cur = Some(p);
    }

    fn close_path(&mut self) {
        let Some(sp) = self.path.last_mut() else {
            return;
        };
        if sp.from_re {
            return;
        }
        if let (Some(&first), Some(&last)) = (sp.points.first(), sp.points.last()) {
            if first != last {
                sp.segs.push(PathSeg {
                    x0: last.0,
                    y0: last.1,
                    x1: first.0,
                    y1: first.1,
                });
            }
            self.cur = Some(first);
        }
    }

    fn device_scale(&self) -> f64 {
        let [a, b, c, d, ..] = self.gs.ctm.0;
        (a * d - b * c).abs().sqrt()
    }

    fn push_segment(&mut self, s: Segment) {
        if self.segments.len() < self.pdf.limits().max_segments_per_page {
            self.segments.push(s);
        }
    }

    /// Emit ruling segments from the current path, then clear it.
    /// After `W`: the clipping region shrinks to the current path's bounding box.
    fn apply_clip(&mut self) {
        if !std::mem::take(&mut self.pending_clip) {
            return;
        }
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for p in self.path.iter().flat_map(|sp| sp.points.iter()) {
            x0 = x0.min(p.0);
            y0 = y0.min(p.1);
            x1 = x1.max(p.0);
            y1 = y1.max(p.1);
        }
        if x0 > x1 || y0 > y1 || !(x0.is_finite() && y1.is_finite()) {
            return;
        }
        let b = match self.gs.clip {
            Some(c) => [c[0].max(x0), c[1].max(y0), c[2].min(x1), c[3].min(y1)],
            None => [x0, y0, x1, y1],
        };
        self.gs.clip = Some(b);
    }

    fn paint(&mut self, stroke: bool, fill: bool) {
        self.apply_clip();
        let path = std::mem::take(&mut self.path);
        self.cur = None;
        let lw = (self.gs.line_width * self.device_scale()).max(0.1);
        for sp in &path {
            if stroke && !sp.has_curve {
                for s in &sp.segs {
                    let seq = self.next_seq();
                    self.push_segment(Segment {
                        x0: s.x0,
                        y0: s.y0,
                        x1: s.x1,
                        y1: s.y1,
                        width: lw,
                        kind: SegmentKind::Stroke,
                        seq,
                    });
                }
            }
            if fill && !sp.has_curve {
                if let Some((x0, y0, x1, y1)) =
                    axis_rect(&sp.points).or_else(|| thin_shape(&sp.points))
                {
                    let (w, h) = (x1 - x0, y1 - y0);
                    let seq = self.next_seq();
                    if w.min(h) <= 2.5 {
                        // A thin rectangle is a drawn line.
                        let s = if w >= h {
                            let y = (y0 + y1) / 2.0;
                            (x0, y, x1, y, h)
                        } else {
                            let x = (x0 + x1) / 2.0;
                            (x, y0, x, y1, w)
                        };
                        self.push_segment(Segment {
                            x0: s.0,
                            y0: s.1,
                            x1: s.2,
                            y1: s.3,
                            width: s.4,
                            kind: SegmentKind::ThinFill,
                            seq,
                        });
                    } else if w < self.width * 0.98 || h < self.height * 0.98 {
                        for (a, b, c, d) in [
                            (x0, y0, x1, y0),
                            (x0, y1, x1, y1),
                            (x0, y0, x0, y1),
                            (x1, y0, x1, y1),
                        ] {
                            self.push_segment(Segment {
                                x0: a,
                                y0: b,
                                x1: c,
                                y1: d,
                                width: 0.0,
                                kind: SegmentKind::RectEdge,
                                seq,
                            });
                        }
                    }
                }
            }
        }
    }

    fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.saturating_add(1);
        self.seq
    }

    fn ext_gstate(&mut self, ops: &[Operand], resources: &Dictionary) {
        let Some(Operand::Name(name)) = ops.last() else {
            return;
        };
        let pdf = self.pdf;
        let Some(gs) = dict_entry(pdf, resources, b"ExtGState", name) else {
            return;
        };
        let Ok(gs) = gs.as_dict() else { return };
        if let Ok(lw) = gs.get(b"LW") {
            if let Some(v) = obj_num(pdf.resolve(lw)) {
                self.gs.line_width = v.abs();
            }
        }
        if let Ok(Object::Array(f)) = gs.get(b"Font").map(|o| pdf.resolve(o)) {
            if let (Some(fo), Some(size)) =
                (f.first(), f.get(1).and_then(|o| obj_num(pdf.resolve(o))))
            {
                let font = pdf.font(fo);
                self.gs.font = Some(font);
                self.gs.font_size = size;
            }
        }
    }

    fn set_font(&mut self, name: &[u8], resources: &Dictionary) {
        let pdf = self.pdf;
        let fonts = resources
            .get(b"Font")
            .ok()
            .map(|o| pdf.resolve(o))
            .and_then(|o| o.as_dict().ok());
        let Some(obj) = fonts.and_then(|d| d.get(name).ok()) else {
            self.diag(format!(
                "font /{} not in the page resources",
                String::from_utf8_lossy(name)
            ));
            self.gs.font = Some(Arc::new(Font::missing()));
            return;
        };
        let font = pdf.font(obj);
        if !font.warnings.is_empty() {
            let key = Arc::as_ptr(&font) as usize;
            if !self.font_index.contains_key(&key) {
                for w in font.warnings.clone() {
                    self.diag(w);
                }
            }
        }
        self.gs.font = Some(font);
    }

    fn font_idx(&mut self, font: &Arc<Font>) -> u16 {
        let key = Arc::as_ptr(font) as usize;
        if let Some(&i) = self.font_index.get(&key) {
            return i;
        }
        let i = u16::try_from(self.fonts.len()).unwrap_or(u16::MAX);
        self.fonts.push(font.info.clone());
        self.font_index.insert(key, i);
        i
    }

    fn td(&mut self, tx: f64, ty: f64) {
        self.tlm = Matrix::translate(tx, ty).then(&self.tlm);
        self.tm = self.tlm;
    }

    /// Show a string: decode, place each glyph, advance the text matrix.
    fn show(&mut self, bytes: &[u8]) {
        let Some(font) = self.gs.font.clone() else {
            self.diag("text shown with no font selected");
            return;
        };
        let font_idx = self.font_idx(&font);
        let mut decoded = std::mem::take(&mut self.decoded);
        decoded.clear();
        font.decode(bytes, &mut decoded);
        let fs = self.gs.font_size;
        let th = self.gs.hscale;
        let max_glyphs = self.pdf.limits().max_glyphs_per_page;
        for ch in &decoded {
            let trm = Matrix([fs * th, 0.0, 0.0, fs, 0.0, self.gs.rise])
                .then(&self.tm)
                .then(&self.gs.ctm)
                .then(&self.device);
            let spacing = self.gs.char_spacing
                + if ch.is_space_byte {
                    self.gs.word_spacing
                } else {
                    0.0
                };
            if font.vertical {
                self.place_glyph(ch, &font, font_idx, &trm, true, max_glyphs);
                let ty = -(fs) - spacing;
                self.tm = Matrix::translate(0.0, ty).then(&self.tm);
            } else {
                self.place_glyph(ch, &font, font_idx, &trm, false, max_glyphs);
                let tx = (ch.width * fs + spacing) * th;
                self.tm = Matrix::translate(tx, 0.0).then(&self.tm);
            }
        }
        self.decoded = decoded;
    }

    fn place_glyph(
        &mut self,
        ch: &DecodedChar,
        font: &Font,
        font_idx: u16,
        trm: &Matrix,
        vertical: bool,
        max_glyphs: usize,
    ) {
        if !trm.is_finite() {
            return;
        }
        let (w, asc, desc) = (ch.width.max(0.0), font.ascent, font.descent);
        let corners = if vertical {
            [
                (-0.5, -1.0 + 0.12),
                (0.5, -1.0 + 0.12),
                (-0.5, 0.12),
                (0.5, 0.12),
            ]
        } else {
            [(0.0, desc), (w, desc), (0.0, asc), (w, asc)]
        };
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for (cx, cy) in corners {
            let (x, y) = trm.apply(cx, cy);
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        let origin = trm.apply(0.0, 0.0);
        let (vx, vy) = trm.apply_vec(0.0, 1.0);
        let size = (vx * vx + vy * vy).sqrt();
        let (bx, by) = trm.apply_vec(1.0, 0.0);
        let dir = if vertical {
            90
        } else {
            let angle = by.atan2(bx).to_degrees();
            ((angle / 90.0).round() as i64).rem_euclid(4) as u16 * 90
        };
        let raw = match &ch.text {
            Some(t) => t.clone(),
            None => {
                let e = self.undecodable.entry(font_idx).or_insert((0, ch.code));
                e.0 += 1;
                "\u{fffd}".to_string()
            }
        };
        // Drop glyphs drawn off the visible page: baseline origin past the right or bottom edge, or
        // the whole box before the left or top edge (the test pdftotext applies, so that text pushed
        // below the page by an overflowing paragraph is not read as content).
        if origin.0 > self.width || origin.1 > self.height || x1 < 0.0 || y1 < 0.0 {
            self.off_page += 1;
            return;
        }
        let text = normalize(&raw).into_owned();
        if text.trim().is_empty() {
            return;
        }
        // Text outside the clipping path is not shown (a cell's overflowing second line).
        let hidden = self.gs.clip.is_some_and(|c| {
            let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
            cx < c[0] - 1.0 || cx > c[2] + 1.0 || cy < c[1] - 1.0 || cy > c[3] + 1.0
        });
        // The same character drawn again within a fraction of its size: fake bold.
        let cell = (size * 0.3).max(0.5);
        let gx = (origin.0 / cell).round() as i32;
        let gy = (origin.1 / cell).round() as i32;
        // FNV-1a of the text: collisions only cost a comparison, the text is checked below.
        let key = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        for dx in -1..=1 {
            for dy in -1..=1 {
                if let Some(&i) = self.drawn.get(&(key, gx + dx, gy + dy)) {
                    if let Some(g) = self.glyphs.get(i) {
                        if g.text == text
                            && (g.origin[0] - origin.0).abs() < cell
                            && (g.origin[1] - origin.1).abs() < cell
                            && (g.size - size).abs() < 0.1 * size.max(1.0)
                        {
                            self.duplicates += 1;
                            return;
                        }
                    }
                }
            }
        }
        if self.glyphs.len() >= max_glyphs {
            if self.stopped.is_none() {
                self.stopped = Some(format!("page stopped at {max_glyphs} glyphs (cap)"));
            }
            return;
        }
        let seq = self.next_seq();
        let raw_text = (raw != text).then_some(raw);
        let glyph = Glyph {
            text,
            raw_text,
            raw_code: ch.code,
            font: font_idx,
            size,
            bbox: [x0, y0, x1, y1],
            origin: [origin.0, origin.1],
            render_mode: self.gs.render_mode,
            seq,
            dir,
        };
        if hidden {
            self.clipped += 1;
            if self.clipped_glyphs.len() < max_glyphs {
                self.clipped_glyphs.push(glyph);
            }
            return;
        }
        self.drawn.insert((key, gx, gy), self.glyphs.len());
        self.glyphs.push(glyph);
    }

    fn do_xobject(&mut self, name: &[u8], resources: &Dictionary, depth: usize) {
        let pdf = self.pdf;
        let xobjects = resources
            .get(b"XObject")
            .ok()
            .map(|o| pdf.resolve(o))
            .and_then(|o| o.as_dict().ok());
        let Some(obj) = xobjects.and_then(|d| d.get(name).ok()) else {
            return;
        };
        let id = obj.as_reference().ok();
        let Ok(stream) = pdf.resolve(obj).as_stream() else {
            return;
        };
        let subtype = stream
            .dict
            .get(b"Subtype")
            .ok()
            .and_then(|o| o.as_name().ok());
        if subtype == Some(b"Image".as_slice()) {
            self.images += 1;
            return;
        }
        if subtype != Some(b"Form".as_slice()) {
            return;
        }
        if depth + 1 > pdf.limits().max_form_depth {
            self.diag("form XObjects nested too deeply; inner forms skipped");
            return;
        }
        if let Some(id) = id {
            if self.form_stack.contains(&id) {
                self.diag("form XObject draws itself; cycle broken");
                return;
            }
        }
        let content = match pdf.stream_bytes(stream) {
            Ok(c) => c,
            Err(e) => {
                self.diag(format!("form XObject unreadable: {e}"));
                return;
            }
        };
        let matrix = match stream.dict.get(b"Matrix").map(|o| pdf.resolve(o)) {
            Ok(Object::Array(a)) if a.len() == 6 => {
                let v: Vec<f64> = a.iter().filter_map(|o| obj_num(pdf.resolve(o))).collect();
                match <[f64; 6]>::try_from(v) {
                    Ok(m) => Matrix(m),
                    Err(_) => Matrix::IDENTITY,
                }
            }
            _ => Matrix::IDENTITY,
        };
        let own = stream
            .dict
            .get(b"Resources")
            .ok()
            .map(|o| pdf.resolve(o))
            .and_then(|o| o.as_dict().ok());
        let saved = self.gs.clone();
        let (saved_tm, saved_tlm) = (self.tm, self.tlm);
        let ctm = matrix.then(&self.gs.ctm);
        if ctm.is_finite() {
            self.gs.ctm = ctm;
        }
        if let Some(id) = id {
            self.form_stack.push(id);
        }
        let res = own.unwrap_or(resources);
        self.run(&content, res, depth + 1);
        if id.is_some() {
            self.form_stack.pop();
        }
        self.gs = saved;
        self.tm = saved_tm;
        self.tlm = saved_tlm;
        self.path.clear();
    }
}

fn obj_num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)).filter(|v| v.is_finite()),
        _ => None,
    }
}

fn dict_entry<'a>(
    pdf: &'a PdfDocument,
    resources: &'a Dictionary,
    category: &[u8],
    name: &[u8],
) -> Option<&'a Object> {
    let d = pdf.resolve(resources.get(category).ok()?).as_dict().ok()?;
    Some(pdf.resolve(d.get(name).ok()?))
}

/// The bounding box of a thin filled polygon (at most 2.5 pt across, at most 8 corners): some
/// producers draw each ruling as a sliver with a bevelled end rather than a rectangle.
fn thin_shape(points: &[(f64, f64)]) -> Option<(f64, f64, f64, f64)> {
    if !(3..=8).contains(&points.len()) {
        return None;
    }
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in points {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    let (w, h) = (x1 - x0, y1 - y0);
    (w.min(h) <= 2.5 && w.max(h) >= 3.0).then_some((x0, y0, x1, y1))
}

/// An axis-aligned rectangle from 4 (or 5, closed) corner points, as (x0, y0, x1, y1).
fn axis_rect(points: &[(f64, f64)]) -> Option<(f64, f64, f64, f64)> {
    let pts = match points.len() {
        4 => points,
        5 if points.first() == points.last() => points.get(..4)?,
        _ => return None,
    };
    let xs: Vec<f64> = pts.iter().map(|p| p.0).collect();
    let ys: Vec<f64> = pts.iter().map(|p| p.1).collect();
    let (x0, x1) = (
        xs.iter().cloned().fold(f64::MAX, f64::min),
        xs.iter().cloned().fold(f64::MIN, f64::max),
    );
    let (y0, y1) = (
        ys.iter().cloned().fold(f64::MAX, f64::min),
        ys.iter().cloned().fold(f64::MIN, f64::max),
    );
    let eps = 0.01;
    // Every corner must lie on the box's corners.
    let on_corner = pts.iter().all(|&(x, y)| {
        ((x - x0).abs() < eps || (x - x1).abs() < eps)
            && ((y - y0).abs() < eps || (y - y1).abs() < eps)
    });
    on_corner.then_some((x0, y0, x1, y1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_order() {
        let scale = Matrix([2.0, 0.0, 0.0, 2.0, 0.0, 0.0]);
        let shift = Matrix::translate(10.0, 0.0);
        // Scale first, then shift.
        assert_eq!(scale.then(&shift).apply(1.0, 1.0), (12.0, 2.0));
        assert_eq!(shift.then(&scale).apply(1.0, 1.0), (22.0, 2.0));
    }

    #[test]
    fn rectangles() {
        assert_eq!(
            axis_rect(&[(0.0, 0.0), (5.0, 0.0), (5.0, 1.0), (0.0, 1.0)]),
            Some((0.0, 0.0, 5.0, 1.0))
        );
        assert_eq!(
            axis_rect(&[(0.0, 0.0), (5.0, 1.0), (5.0, 2.0), (0.0, 1.0)]),
            None
        );
        // A ruling drawn as a sliver with a bevelled end (Guangzhou exports).
        assert_eq!(
            thin_shape(&[
                (798.0, 295.69),
                (42.0, 295.69),
                (42.0, 296.44),
                (797.25, 296.44)
            ]),
            Some((42.0, 295.69, 798.0, 296.44))
        );
        assert_eq!(
            thin_shape(&[(0.0, 0.0), (50.0, 0.0), (50.0, 30.0), (0.0, 30.0)]),
            None
        );
    }
}
