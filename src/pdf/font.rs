//! The CJK font layer: character codes → unicode text and advance widths.
//!
//! Order of evidence, per code: ToUnicode → (composite) code is UCS-2/UTF-16 itself for UniGB CMaps →
//! CID → Adobe-GB1 table → embedded TrueType cmap → (simple) encoding + Differences glyph names → a
//! known Chinese font declared WinAnsi but holding GBK bytes → U+FFFD with the code kept.

use std::collections::HashMap;

use lopdf::{Dictionary, Object};

use super::cmap::{self, CMap, Target};
use super::{encodings, glyphnames, FontInfo, PdfDocument};

/// One decoded character code.
#[derive(Debug, Clone)]
pub struct DecodedChar {
    /// The code, big-endian over its bytes.
    pub code: u32,
    /// Its length in bytes.
    pub len: u8,
    /// Unicode text, or `None` when the code cannot be decoded (caller emits U+FFFD).
    pub text: Option<String>,
    /// Advance as a fraction of the font size (glyph width / 1000, or × FontMatrix for Type3).
    pub width: f64,
    /// A single-byte code 32, to which word spacing (`Tw`) applies.
    pub is_space_byte: bool,
}

/// How codes split and map to CIDs for a composite (Type0) font.
enum CodeMap {
    Identity,
    Predefined(&'static CMap),
    Embedded(Box<CMap>),
}

enum Kind {
    Simple {
        /// code → text from the encoding (Differences / base encoding / embedded font).
        table: Box<[Option<String>]>,
        /// code → width as fraction of font size.
        widths: Box<[f64]>,
        /// Bytes are GBK (a Chinese system font declared with a single-byte encoding).
        gbk: bool,
    },
    Composite {
        codes: CodeMap,
        /// Codes are UCS-2 / UTF-16BE unicode themselves (UniGB-UCS2-H, UniGB-UTF16-H).
        unicode_codes: bool,
        /// CIDs are Adobe-GB1.
        gb1: bool,
        /// CID → GID for TrueType-based CID fonts (None = identity).
        cid_to_gid: Option<Vec<u16>>,
        /// GID → unicode from the embedded TrueType cmap.
        gid_unicode: HashMap<u16, char>,
        /// CID → width (fraction of font size).
        widths: HashMap<u32, f64>,
        default_width: f64,
    },
}

/// A loaded font, ready to decode strings.
pub struct Font {
    pub info: FontInfo,
    kind: Kind,
    to_unicode: Option<CMap>,
    /// Top and bottom of glyph boxes, as fractions of the font size (above / below baseline).
    pub ascent: f64,
    pub descent: f64,
    /// Vertical writing mode.
    pub vertical: bool,
    /// Problems found while loading (missing encoding data …).
    pub warnings: Vec<String>,
}

/// Font names (as PostScript, pinyin or Chinese) of the Chinese system fonts that producers declare
/// with a single-byte encoding while writing GBK bytes.
const CHINESE_FONT_MARKERS: &[&str] = &[
    "simsun",
    "nsimsun",
    "simhei",
    "simkai",
    "simfang",
    "simli",
    "simyou",
    "fangsong",
    "kaiti",
    "songti",
    "heiti",
    "stsong",
    "stkaiti",
    "stfangsong",
    "stheiti",
    "stxihei",
    "stzhongsong",
    "stxinwei",
    "xiaobiaosong",
    "biaosong",
    "microsoftyahei",
    "yahei",
    "lisu",
    "youyuan",
    "gb2312",
    "gbk",
    "fzxbs",
    "fzhei",
    "fzkai",
    "fzfs",
    "fzsong",
    "fzxiaobiaosong",
    "fzdbs",
    "fzlth",
    "dengxian",
    "宋体",
    "黑体",
    "仿宋",
    "楷体",
    "方正",
    "华文",
    "雅黑",
    "隶书",
    "幼圆",
    "小标宋",
    "等线",
];

fn num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

fn font_name_text(raw: &[u8]) -> String {
    super::decode_text_string(raw)
}

/// Is this (base) font name one of the Chinese system fonts?
pub fn is_chinese_font_name(name: &str) -> bool {
    let lower: String = name
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' ' | ','))
        .collect();
    // Drop a subset prefix "ABCDEF+".
    let lower = match lower.find('+') {
        Some(6) => lower.get(7..).unwrap_or("").to_string(),
        _ => lower,
    };
    CHINESE_FONT_MARKERS.iter().any(|m| lower.contains(m))
}

impl Font {
    /// A placeholder for a font resource that is missing or broken: decodes nothing.
    pub fn missing() -> Font {
        Font {
            info: FontInfo {
                name: "(missing)".into(),
                subtype: String::new(),
                encoding: String::new(),
            },
            kind: Kind::Simple {
                table: vec![None; 256].into_boxed_slice(),
                widths: vec![0.5; 256].into_boxed_slice(),
                gbk: false,
            },
            to_unicode: None,
            ascent: 0.88,
            descent: -0.12,
            vertical: false,
            warnings: vec!["font resource missing or not a dictionary".into()],
        }
    }

    /// Load a font dictionary.
    pub fn load(pdf: &PdfDocument, dict: &Dictionary) -> Font {
        let get = |d: &Dictionary, k: &[u8]| -> Option<Object> {
            d.get(k).ok().map(|o| pdf.resolve(o).clone())
        };
        let subtype = get(dict, b"Subtype")
            .and_then(|o| {
                o.as_name()
                    .ok()
                    .map(|n| String::from_utf8_lossy(n).into_owned())
            })
            .unwrap_or_default();
        let base_name = get(dict, b"BaseFont")
            .and_then(|o| o.as_name().ok().map(font_name_text))
            .unwrap_or_default();
        let mut warnings = Vec::new();
        let to_unicode = dict.get(b"ToUnicode").ok().and_then(|o| {
            let s = pdf.resolve(o).as_stream().ok()?;
            match pdf.stream_bytes(s) {
                Ok(bytes) => Some(CMap::parse(&bytes)),
                Err(e) => {
                    warnings.push(format!("ToUnicode unreadable: {e}"));
                    None
                }
            }
        });
        if subtype == "Type0" {
            return Self::load_composite(pdf, dict, base_name, to_unicode, warnings);
        }
        Self::load_simple(pdf, dict, subtype, base_name, to_unicode, warnings)
    }

    fn load_simple(
        pdf: &PdfDocument,
        dict: &Dictionary,
        subtype: String,
        base_name: String,
        to_unicode: Option<CMap>,
        mut warnings: Vec<String>,
    ) -> Font {
        let resolve = |o: &Object| pdf.resolve(o).clone();
        let descriptor = dict
            .get(b"FontDescriptor")
            .ok()
            .and_then(|o| pdf.resolve(o).as_dict().ok());
        let flags = descriptor
            .and_then(|d| d.get(b"Flags").ok())
            .and_then(|o| num(pdf.resolve(o)))
            .unwrap_or(0.0) as i64;
        let symbolic = flags & 4 != 0;
        let is_type3 = subtype == "Type3";
        // Font matrix: Type3 glyph space → text space; others 1/1000.
        let mut matrix_x = 0.001;
        let mut matrix_y = 0.001;
        if is_type3 {
            if let Some(Object::Array(m)) = dict.get(b"FontMatrix").ok().map(resolve) {
                let v: Vec<f64> = m.iter().filter_map(|o| num(pdf.resolve(o))).collect();
                if let (Some(a), Some(d)) = (v.first(), v.get(3)) {
                    if a.is_finite() && *a != 0.0 {
                        matrix_x = *a;
                    }
                    if d.is_finite() && *d != 0.0 {
                        matrix_y = *d;
                    }
                }
            }
        }

        // Encoding: base table + Differences.
        let mut encoding_desc = String::new();
        let mut names: Vec<Option<String>> = vec![None; 256];
        let enc_obj = dict.get(b"Encoding").ok().map(resolve);
        let mut base: Option<&'static [Option<&'static str>; 256]> = None;
        let mut differences: Option<Vec<Object>> = None;
        match &enc_obj {
            Some(Object::Name(n)) => {
                encoding_desc = String::from_utf8_lossy(n).into_owned();
                base = encodings::base_encoding(n);
            }
            Some(Object::Dictionary(d)) => {
                if let Some(Object::Name(n)) = d.get(b"BaseEncoding").ok().map(resolve) {
                    encoding_desc = String::from_utf8_lossy(&n).into_owned();
                    base = encodings::base_encoding(&n);
                }
                if let Some(Object::Array(a)) = d.get(b"Differences").ok().map(resolve) {
                    differences = Some(a);
                    if encoding_desc.is_empty() {
                        encoding_desc = "Differences".into();
                    } else {
                        encoding_desc.push_str("+Differences");
                    }
                }
            }
            _ => {}
        }
        let embedded_tt = descriptor.and_then(|d| {
            let s = pdf.resolve(d.get(b"FontFile2").ok()?).as_stream().ok()?;
            pdf.stream_bytes(s).ok()
        });
        let tt = embedded_tt.as_deref().and_then(TrueTypeTables::parse);
        if base.is_none() && !is_type3 && !(symbolic && (tt.is_some() || enc_obj.is_none())) {
            base = encodings::base_encoding(if subtype == "TrueType" {
                b"WinAnsiEncoding"
            } else {
                b"StandardEncoding"
            });
        }
        if let Some(base) = base {
            for (slot, n) in names.iter_mut().zip(base.iter()) {
                *slot = n.map(str::to_string);
            }
        }
        if let Some(diffs) = differences {
            let mut code: i64 = 0;
            for item in diffs {
                match pdf.resolve(&item) {
                    Object::Integer(i) => code = *i,
                    Object::Real(r) => code = *r as i64,
                    Object::Name(n) => {
                        if let Some(slot) =
                            usize::try_from(code).ok().and_then(|c| names.get_mut(c))
                        {
                            *slot = Some(String::from_utf8_lossy(n).into_owned());
                        }
                        code += 1;
                    }
                    _ => {}
                }
            }
        }
        let mut table: Vec<Option<String>> = vec![None; 256];
        for (code, name) in names.iter().enumerate() {
            let Some(name) = name else { continue };
            let mut text = glyphnames::glyph_name_to_unicode(name);
            if text.is_none() {
                // A name the glyph list lacks: the embedded TrueType may know it (post table).
                text = tt
                    .as_ref()
                    .and_then(|t| t.gid_by_name.get(name.as_str()))
                    .and_then(|g| tt.as_ref().and_then(|t| t.gid_unicode.get(g)))
                    .map(|c| c.to_string());
            }
            if let Some(slot) = table.get_mut(code) {
                *slot = text;
            }
        }
        // Symbolic TrueType without a usable encoding: code → GID through the font's own
        // (3,0)/(1,0) cmap, then GID → unicode through its unicode cmap.
        if let Some(t) = &tt {
            for (code, slot) in table.iter_mut().enumerate() {
                if slot.is_some() {
                    continue;
                }
                if let Some(g) = t.symbol_gid(code as u8) {
                    if let Some(c) = t.gid_unicode.get(&g) {
                        *slot = Some(c.to_string());
                    }
                }
            }
        }

        // Widths.
        let missing_width = descriptor
            .and_then(|d| d.get(b"MissingWidth").ok())
            .and_then(|o| num(pdf.resolve(o)))
            .unwrap_or(0.0);
        let first = dict
            .get(b"FirstChar")
            .ok()
            .and_then(|o| num(pdf.resolve(o)))
            .unwrap_or(0.0) as i64;
        let default_w = if missing_width > 0.0 {
            missing_width * matrix_x
        } else if is_type3 {
            0.0
        } else {
            0.5
        };
        let mut widths = vec![default_w; 256];
        if let Some(Object::Array(ws)) = dict.get(b"Widths").ok().map(resolve) {
            for (i, w) in ws.iter().enumerate() {
                let code = first + i as i64;
                if let (Some(slot), Some(w)) = (
                    usize::try_from(code).ok().and_then(|c| widths.get_mut(c)),
                    num(pdf.resolve(w)),
                ) {
                    if w.is_finite() {
                        *slot = w * matrix_x;
                    }
                }
            }
        }
        let gbk = to_unicode.is_none()
            && !is_type3
            && is_chinese_font_name(&base_name)
            && matches!(
                encoding_desc.as_str(),
                "" | "WinAnsiEncoding" | "StandardEncoding"
            );
        if gbk {
            encoding_desc = format!(
                "{} (GBK bytes)",
                if encoding_desc.is_empty() {
                    "none"
                } else {
                    &encoding_desc
                }
            );
        }
        let (ascent, descent) = metrics(pdf, descriptor, matrix_y / 0.001);
        if table.iter().all(Option::is_none) && to_unicode.is_none() && !gbk {
            warnings.push(format!("font {base_name}: no encoding information"));
        }
        Font {
            info: FontInfo {
                name: base_name,
                subtype,
                encoding: encoding_desc,
            },
            kind: Kind::Simple {
                table: table.into_boxed_slice(),
                widths: widths.into_boxed_slice(),
                gbk,
            },
            to_unicode,
            ascent,
            descent,
            vertical: false,
            warnings,
        }
    }

    fn load_composite(
        pdf: &PdfDocument,
        dict: &Dictionary,
        base_name: String,
        to_unicode: Option<CMap>,
        mut warnings: Vec<String>,
    ) -> Font {
        let enc = dict.get(b"Encoding").ok().map(|o| pdf.resolve(o));
        let mut encoding_desc = String::new();
        let mut vertical = false;
        let mut unicode_codes = false;
        let codes = match enc {
            Some(Object::Name(n)) => {
                let name = String::from_utf8_lossy(n).into_owned();
                encoding_desc = name.clone();
                vertical = name.ends_with("-V");
                unicode_codes = name.starts_with("UniGB-UCS2") || name.starts_with("UniGB-UTF16");
                if name == "Identity-H" || name == "Identity-V" {
                    CodeMap::Identity
                } else if let Some(c) = cmap::predefined(&name) {
                    CodeMap::Predefined(c)
                } else {
                    warnings.push(format!(
                        "predefined CMap {name} not supported; using Identity"
                    ));
                    CodeMap::Identity
                }
            }
            Some(Object::Stream(s)) => {
                encoding_desc = "embedded CMap".into();
                match pdf.stream_bytes(s) {
                    Ok(b) => {
                        let c = CMap::parse(&b);
                        vertical = c.vertical();
                        CodeMap::Embedded(Box::new(c))
                    }
                    Err(e) => {
                        warnings.push(format!("embedded CMap unreadable: {e}"));
                        CodeMap::Identity
                    }
                }
            }
            _ => CodeMap::Identity,
        };
        let descendant = dict
            .get(b"DescendantFonts")
            .ok()
            .map(|o| pdf.resolve(o))
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .map(|o| pdf.resolve(o))
            .and_then(|o| o.as_dict().ok());
        let mut gb1 = false;
        let mut widths = HashMap::new();
        let mut default_width = 1.0;
        let mut cid_to_gid = None;
        let mut gid_unicode = HashMap::new();
        let mut descriptor = None;
        if let Some(desc) = descendant {
            let ordering = desc
                .get(b"CIDSystemInfo")
                .ok()
                .map(|o| pdf.resolve(o))
                .and_then(|o| o.as_dict().ok())
                .and_then(|d| d.get(b"Ordering").ok())
                .map(|o| pdf.resolve(o))
                .and_then(|o| o.as_str().ok())
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .unwrap_or_default();
            gb1 = ordering == "GB1"
                || matches!(codes, CodeMap::Predefined(_)) && encoding_desc.contains("GB");
            if let Some(dw) = desc.get(b"DW").ok().and_then(|o| num(pdf.resolve(o))) {
                if dw.is_finite() && dw >= 0.0 {
                    default_width = dw / 1000.0;
                }
            }
            if let Some(Object::Array(w)) = desc.get(b"W").ok().map(|o| pdf.resolve(o)) {
                parse_w_array(pdf, w, &mut widths);
            }
            descriptor = desc
                .get(b"FontDescriptor")
                .ok()
                .and_then(|o| pdf.resolve(o).as_dict().ok());
            if let Some(Object::Stream(s)) = desc.get(b"CIDToGIDMap").ok().map(|o| pdf.resolve(o)) {
                if let Ok(b) = pdf.stream_bytes(s) {
                    cid_to_gid = Some(
                        b.chunks_exact(2)
                            .take(1 << 20)
                            .map(|c| u16::from_be_bytes([c[0], c[1]]))
                            .collect(),
                    );
                }
            }
            let tt = descriptor
                .and_then(|d| d.get(b"FontFile2").ok())
                .and_then(|o| pdf.resolve(o).as_stream().ok())
                .and_then(|s| pdf.stream_bytes(s).ok());
            if let Some(t) = tt.as_deref().and_then(TrueTypeTables::parse) {
                gid_unicode = t.gid_unicode;
            }
        }
        let (ascent, descent) = metrics(pdf, descriptor, 1.0);
        if to_unicode.is_none() && !gb1 && !unicode_codes && gid_unicode.is_empty() {
            warnings.push(format!(
                "font {base_name}: no ToUnicode, no known character collection"
            ));
        }
        Font {
            info: FontInfo {
                name: base_name,
                subtype: "Type0".into(),
                encoding: encoding_desc,
            },
            kind: Kind::Composite {
                codes,
                unicode_codes,
                gb1,
                cid_to_gid,
                gid_unicode,
                widths,
                default_width,
            },
            to_unicode,
            ascent,
            descent,
            vertical,
            warnings,
        }
    }

    /// Decode a shown string into characters, appending to `out`.
    pub fn decode(&self, bytes: &[u8], out: &mut Vec<DecodedChar>) {
        match &self.kind {
            Kind::Simple { table, widths, gbk } => {
                let mut i = 0;
                while let Some(&b) = bytes.get(i) {
                    // GBK double-byte character in a font declared single-byte.
                    if *gbk && (0x81..=0xfe).contains(&b) {
                        if let Some(&b2) = bytes.get(i + 1) {
                            if (0x40..=0xfe).contains(&b2) && b2 != 0x7f {
                                let pair = [b, b2];
                                let (t, _, bad) = encoding_rs::GBK.decode(&pair);
                                let w = widths.get(b as usize).copied().unwrap_or(0.5)
                                    + widths.get(b2 as usize).copied().unwrap_or(0.5);
                                out.push(DecodedChar {
                                    code: u32::from(b) << 8 | u32::from(b2),
                                    len: 2,
                                    text: (!bad).then(|| t.into_owned()),
                                    width: w,
                                    is_space_byte: false,
                                });
                                i += 2;
                                continue;
                            }
                        }
                    }
                    let code = u32::from(b);
                    let mut text = self.via_to_unicode(code, 1);
                    if text.is_none() {
                        text = table.get(b as usize).cloned().flatten();
                    }
                    if text.is_none() && (0x20..0x7f).contains(&b) {
                        // Printable ASCII in a font with no usable encoding: producers almost
                        // always mean ASCII here, and the layout/numbers depend on it.
                        text = Some(char::from(b).to_string());
                    }
                    out.push(DecodedChar {
                        code,
                        len: 1,
                        text,
                        width: widths.get(b as usize).copied().unwrap_or(0.5),
                        is_space_byte: b == 32,
                    });
                    i += 1;
                }
            }
            Kind::Composite {
                codes,
                unicode_codes,
                gb1,
                cid_to_gid,
                gid_unicode,
                widths,
                default_width,
            } => {
                let mut rest = bytes;
                while !rest.is_empty() {
                    let (code, len) = match codes {
                        CodeMap::Identity => {
                            let hi = rest.first().copied().unwrap_or(0);
                            match rest.get(1) {
                                Some(&lo) => (u32::from(hi) << 8 | u32::from(lo), 2),
                                None => (u32::from(hi), 1),
                            }
                        }
                        CodeMap::Predefined(c) => c.next_code(rest),
                        CodeMap::Embedded(c) => c.next_code(rest),
                    };
                    let len = len.clamp(1, rest.len());
                    rest = rest.get(len..).unwrap_or(&[]);
                    let cid = match codes {
                        CodeMap::Identity => Some(code),
                        CodeMap::Predefined(c) => cid_of(c, code, len),
                        CodeMap::Embedded(c) => cid_of(c, code, len),
                    };
                    let mut text = self.via_to_unicode(code, len);
                    if text.is_none() && *unicode_codes {
                        text = utf16_code(code, len);
                    }
                    if text.is_none() {
                        if let Some(cid) = cid {
                            if *gb1 {
                                text = cmap::gb1_cid_to_unicode(cid).map(|c| c.to_string());
                            }
                            if text.is_none() && !gid_unicode.is_empty() {
                                let gid = match cid_to_gid {
                                    Some(map) => map.get(cid as usize).copied(),
                                    None => u16::try_from(cid).ok(),
                                };
                                text = gid.and_then(|g| gid_unicode.get(&g)).map(|c| c.to_string());
                            }
                        }
                    }
                    let width = cid
                        .and_then(|c| widths.get(&c).copied())
                        .unwrap_or(*default_width);
                    out.push(DecodedChar {
                        code,
                        len: len as u8,
                        text,
                        width,
                        is_space_byte: len == 1 && code == 32,
                    });
                }
            }
        }
    }

    /// ToUnicode lookup; `begincidrange`-style entries in a ToUnicode CMap hold code points.
    fn via_to_unicode(&self, code: u32, len: usize) -> Option<String> {
        let tu = self.to_unicode.as_ref()?;
        let t = match tu.lookup(code, len)? {
            Target::Unicode(s) => s,
            Target::Cid(c) => char::from_u32(c)?.to_string(),
        };
        // Mappings to nothing, NUL or U+FFFD carry no information: let the fallbacks try.
        if t.is_empty() || t.chars().all(|c| c == '\0' || c == '\u{fffd}') {
            return None;
        }
        Some(t)
    }
}

fn cid_of(c: &CMap, code: u32, len: usize) -> Option<u32> {
    match c.lookup(code, len)? {
        Target::Cid(cid) => Some(cid),
        Target::Unicode(_) => None,
    }
}

/// A UCS-2 / UTF-16BE code (2 or 4 bytes) as text.
fn utf16_code(code: u32, len: usize) -> Option<String> {
    match len {
        2 => char::from_u32(code).map(|c| c.to_string()),
        4 => {
            let units = [(code >> 16) as u16, (code & 0xffff) as u16];
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
}

/// `W` array: `c [w1 w2 …]` and `c_first c_last w` forms.
fn parse_w_array(pdf: &PdfDocument, w: &[Object], out: &mut HashMap<u32, f64>) {
    const MAX_ENTRIES: usize = 1 << 17;
    let mut i = 0;
    while i < w.len() && out.len() < MAX_ENTRIES {
        let Some(first) = w.get(i).and_then(|o| num(pdf.resolve(o))) else {
            i += 1;
            continue;
        };
        match w.get(i + 1).map(|o| pdf.resolve(o)) {
            Some(Object::Array(ws)) => {
                for (k, v) in ws.iter().enumerate() {
                    if let Some(v) = num(pdf.resolve(v)) {
                        out.insert(first as u32 + k as u32, v / 1000.0);
                    }
                }
                i += 2;
            }
            Some(o) => {
                let last = num(o).unwrap_or(first);
                let v = w
                    .get(i + 2)
                    .and_then(|o| num(pdf.resolve(o)))
                    .unwrap_or(1000.0);
                let (a, b) = (first.max(0.0) as u32, last.max(0.0) as u32);
                if b >= a && (b - a) < MAX_ENTRIES as u32 {
                    for c in a..=b {
                        if out.len() >= MAX_ENTRIES {
                            break;
                        }
                        out.insert(c, v / 1000.0);
                    }
                }
                i += 3;
            }
            None => break,
        }
    }
}

/// Ascent / descent as fractions of the font size, from the descriptor when sane.
fn metrics(pdf: &PdfDocument, descriptor: Option<&Dictionary>, scale: f64) -> (f64, f64) {
    let get = |k: &[u8]| {
        descriptor
            .and_then(|d| d.get(k).ok())
            .and_then(|o| num(pdf.resolve(o)))
    };
    let ascent = get(b"Ascent").map(|a| a * scale / 1000.0);
    let descent = get(b"Descent").map(|d| d * scale / 1000.0);
    match (ascent, descent) {
        (Some(a), Some(d)) if a > 0.3 && a < 1.5 && d <= 0.0 && d > -0.6 => (a, d),
        (Some(a), _) if a > 0.3 && a < 1.5 => (a, -0.12),
        _ => (0.88, -0.12),
    }
}

/// What we read from an embedded TrueType program: its unicode cmap reversed, its symbol cmap and
/// its post-table glyph names.
struct TrueTypeTables {
    gid_unicode: HashMap<u16, char>,
    symbol: HashMap<u32, u16>,
    gid_by_name: HashMap<String, u16>,
}

impl TrueTypeTables {
    fn parse(data: &[u8]) -> Option<TrueTypeTables> {
        use ttf_parser::{RawFace, Tag};
        let raw = RawFace::parse(data, 0).ok()?;
        let mut gid_unicode = HashMap::new();
        let mut symbol = HashMap::new();
        if let Some(cmap) = raw
            .table(Tag::from_bytes(b"cmap"))
            .and_then(ttf_parser::cmap::Table::parse)
        {
            for sub in cmap.subtables {
                let platform = sub.platform_id;
                let unicode = sub.is_unicode();
                let mut budget = 1usize << 17;
                sub.codepoints(|cp| {
                    if budget == 0 {
                        return;
                    }
                    budget -= 1;
                    let Some(g) = sub.glyph_index(cp) else { return };
                    if g.0 == 0 {
                        return;
                    }
                    if unicode {
                        if let Some(c) = char::from_u32(cp) {
                            gid_unicode.entry(g.0).or_insert(c);
                        }
                    } else if matches!(
                        platform,
                        ttf_parser::PlatformId::Windows | ttf_parser::PlatformId::Macintosh
                    ) {
                        symbol.entry(cp).or_insert(g.0);
                    }
                });
            }
        }
        let mut gid_by_name = HashMap::new();
        if let Some(post) = raw
            .table(Tag::from_bytes(b"post"))
            .and_then(ttf_parser::post::Table::parse)
        {
            let mut gid: u16 = 0;
            for name in post.names() {
                gid_by_name.entry(name.to_string()).or_insert(gid);
                gid = gid.saturating_add(1);
                if gid == u16::MAX {
                    break;
                }
            }
        }
        Some(TrueTypeTables {
            gid_unicode,
            symbol,
            gid_by_name,
        })
    }

    /// GID for a single-byte code via a (3,0) symbol cmap (codes at 0xF000+) or a (1,0) Mac cmap.
    fn symbol_gid(&self, code: u8) -> Option<u16> {
        self.symbol
            .get(&(0xf000 + u32::from(code)))
            .or_else(|| self.symbol.get(&u32::from(code)))
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_font_names() {
        assert!(is_chinese_font_name("SimSun"));
        assert!(is_chinese_font_name("ABCDEF+FangSong_GB2312"));
        assert!(is_chinese_font_name("宋体"));
        assert!(is_chinese_font_name("FZXiaoBiaoSong-B05S"));
        assert!(is_chinese_font_name("仿宋_GB2312,Bold"));
        assert!(!is_chinese_font_name("Helvetica"));
        assert!(!is_chinese_font_name("TimesNewRomanPSMT"));
    }

    #[test]
    fn utf16_codes() {
        assert_eq!(utf16_code(0x4e2d, 2).as_deref(), Some("中"));
        assert_eq!(utf16_code(0xd840_dc00, 4).as_deref(), Some("\u{20000}"));
        assert_eq!(utf16_code(0xd800, 2), None);
    }
}
