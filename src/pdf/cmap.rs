//! CMaps: the parser for embedded / ToUnicode CMaps and the predefined Adobe-GB1 CMaps shipped with
//! the crate (data/cmap/, Adobe BSD-3-Clause, see data/cmap/LICENSE-Adobe.txt).
//!
//! Mappings are kept as ranges (never expanded) in one sorted, non-overlapping `Vec` per code byte
//! length, so a lookup is a binary search and a hostile `<00000000> <FFFFFFFF>` range costs nothing.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::OnceLock;

/// What a CMap maps a code to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A CID (from `cidchar` / `cidrange`).
    Cid(u32),
    /// Unicode text (from `bfchar` / `bfrange`), already decoded from UTF-16BE.
    Unicode(String),
}

/// Caps keeping a hostile CMap from using unbounded memory.
const MAX_ENTRIES: usize = 1 << 20;
const MAX_POOL_BYTES: usize = 1 << 24;
const MAX_CODESPACES: usize = 1024;
/// A bfrange destination longer than this is not a real text mapping.
const MAX_DST_BYTES: usize = 512;

/// How a range's codes map: `code - lo` is added to the base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Val {
    Cid(u32),
    /// UTF-16BE bytes `pool[off..off+len]`, incremented (big-endian, with carry) by `code-lo+skew`.
    Bf {
        off: u32,
        len: u32,
        skew: u32,
    },
    /// Element `start + code - lo` of `arr` (bfrange array form).
    Arr {
        start: u32,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    lo: u32,
    hi: u32,
    val: Val,
}

impl Entry {
    /// The sub-range `[a, b]` (inside `[lo, hi]`) with its value shifted to match.
    fn slice(&self, a: u32, b: u32) -> Entry {
        let d = a.wrapping_sub(self.lo);
        let val = match self.val {
            Val::Cid(c) => Val::Cid(c.wrapping_add(d)),
            Val::Bf { off, len, skew } => Val::Bf {
                off,
                len,
                skew: skew.wrapping_add(d),
            },
            Val::Arr { start } => Val::Arr {
                start: start.wrapping_add(d),
            },
        };
        Entry { lo: a, hi: b, val }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Codespace {
    len: usize,
    lo: [u8; 4],
    hi: [u8; 4],
}

/// A parsed CMap: codespace ranges (to split a byte string into codes) and code → target mappings.
#[derive(Debug, Default, Clone)]
pub struct CMap {
    codespaces: Vec<Codespace>,
    /// Mappings per code length 1..=4 (index len-1), sorted by `lo`, non-overlapping.
    maps: [Vec<Entry>; 4],
    /// `notdefchar` / `notdefrange`, consulted only when `maps` has nothing.
    notdef: [Vec<Entry>; 4],
    /// UTF-16BE destination bytes of bf mappings.
    pool: Vec<u8>,
    /// (offset, length) in `pool` for each element of bfrange arrays.
    arr: Vec<(u32, u32)>,
    vertical: bool,
    name: Option<String>,
    usecmap: Option<String>,
    /// Code length used when there are no codespace ranges.
    inferred_len: usize,
}

impl CMap {
    /// Parse CMap program bytes. Never panics; malformed parts are skipped. A `/Name usecmap` is
    /// resolved against [`predefined`].
    pub fn parse(data: &[u8]) -> CMap {
        let mut cm = CMap::default();
        Parser {
            lx: Lexer { data, pos: 0 },
            cm: &mut cm,
            entries: 0,
        }
        .run();
        for i in 0..4 {
            cm.maps[i] = resolve(std::mem::take(&mut cm.maps[i]));
            cm.notdef[i] = resolve(std::mem::take(&mut cm.notdef[i]));
        }
        if let Some(parent) = cm
            .usecmap
            .as_deref()
            .filter(|u| Some(*u) != cm.name.as_deref())
        {
            if let Some(p) = predefined(parent) {
                cm.use_parent(p);
            }
        }
        cm.infer_len();
        cm
    }

    fn infer_len(&mut self) {
        let used: Vec<usize> = (0..4)
            .filter(|&i| !self.maps[i].is_empty())
            .map(|i| i + 1)
            .collect();
        self.inferred_len = if used.contains(&2) {
            2
        } else if let [only] = used.as_slice() {
            *only
        } else {
            1
        };
    }

    /// Merge `parent` underneath this CMap (the `usecmap` operator or a `/UseCMap` stream entry):
    /// its codespaces and mappings are added, and this CMap's own mappings win where they overlap.
    pub fn use_parent(&mut self, parent: &CMap) {
        if self.pool.len().saturating_add(parent.pool.len()) > MAX_POOL_BYTES {
            return;
        }
        let pool_base = self.pool.len() as u32;
        let arr_base = self.arr.len() as u32;
        self.pool.extend_from_slice(&parent.pool);
        self.arr.extend(
            parent
                .arr
                .iter()
                .map(|&(o, l)| (o.wrapping_add(pool_base), l)),
        );
        let shift = |e: &Entry| {
            let val = match e.val {
                Val::Cid(c) => Val::Cid(c),
                Val::Bf { off, len, skew } => Val::Bf {
                    off: off.wrapping_add(pool_base),
                    len,
                    skew,
                },
                Val::Arr { start } => Val::Arr {
                    start: start.wrapping_add(arr_base),
                },
            };
            Entry { val, ..*e }
        };
        for i in 0..4 {
            for (mine, theirs) in [
                (&mut self.maps[i], &parent.maps[i]),
                (&mut self.notdef[i], &parent.notdef[i]),
            ] {
                if theirs.is_empty() {
                    continue;
                }
                let mut all: Vec<Entry> = theirs.iter().map(shift).collect();
                all.append(mine);
                *mine = resolve(all);
            }
        }
        for cs in &parent.codespaces {
            if !self.codespaces.contains(cs) && self.codespaces.len() < MAX_CODESPACES {
                self.codespaces.push(*cs);
            }
        }
        self.codespaces.sort_by_key(|c| c.len);
        self.infer_len();
    }

    /// True when the CMap maps nothing (no mappings of any kind).
    pub fn is_empty(&self) -> bool {
        self.maps.iter().all(|m| m.is_empty())
    }

    /// True when the program declared codespace ranges (otherwise code lengths are inferred).
    pub fn has_codespace(&self) -> bool {
        !self.codespaces.is_empty()
    }

    /// The `/CMapName` the program defines, if any.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The name given to `usecmap`, if any (resolved already when it is a predefined CMap).
    pub fn usecmap_name(&self) -> Option<&str> {
        self.usecmap.as_deref()
    }

    /// Split the next code off `bytes` using the codespace ranges: returns (code, byte length).
    /// Always consumes at least one byte when `bytes` is non-empty.
    pub fn next_code(&self, bytes: &[u8]) -> (u32, usize) {
        let Some(&first) = bytes.first() else {
            return (0, 0);
        };
        if self.codespaces.is_empty() {
            let n = self.inferred_len.clamp(1, 4).min(bytes.len());
            return (be(bytes.get(..n).unwrap_or_default()), n);
        }
        // PDF 32000-1 9.7.6.2: try the shortest codes first; a code matches a range when every
        // byte lies within that range's bounds for its position.
        for cs in &self.codespaces {
            let Some(code) = bytes.get(..cs.len) else {
                break;
            };
            let inside = code
                .iter()
                .zip(cs.lo.iter().zip(cs.hi.iter()))
                .all(|(b, (l, h))| l <= b && b <= h);
            if inside {
                return (be(code), cs.len);
            }
        }
        // No match: consume as many bytes as the shortest range whose first byte fits (a partial
        // match), else as the shortest range, so the text stays in step with the codespace.
        let n = self
            .codespaces
            .iter()
            .find(|cs| cs.lo[0] <= first && first <= cs.hi[0])
            .or(self.codespaces.first())
            .map_or(1, |cs| cs.len)
            .clamp(1, bytes.len());
        (be(bytes.get(..n).unwrap_or_default()), n)
    }

    /// Look a code (with its byte length) up. `notdefrange` mappings answer only for codes that
    /// have no other mapping.
    pub fn lookup(&self, code: u32, len: usize) -> Option<Target> {
        let i = len.checked_sub(1)?;
        let e = find(self.maps.get(i)?, code).or_else(|| find(self.notdef.get(i)?, code))?;
        let d = code.wrapping_sub(e.lo);
        match e.val {
            Val::Cid(c) => Some(Target::Cid(c.wrapping_add(d))),
            Val::Bf { off, len, skew } => {
                let src = self.pool_slice(off, len)?;
                Some(Target::Unicode(utf16_add(src, d.wrapping_add(skew))))
            }
            Val::Arr { start } => {
                let &(off, len) = self.arr.get(start.wrapping_add(d) as usize)?;
                Some(Target::Unicode(utf16_add(self.pool_slice(off, len)?, 0)))
            }
        }
    }

    /// True for vertical writing (`/WMode 1`).
    pub fn vertical(&self) -> bool {
        self.vertical
    }

    fn pool_slice(&self, off: u32, len: u32) -> Option<&[u8]> {
        let start = off as usize;
        self.pool.get(start..start.checked_add(len as usize)?)
    }
}

/// The entry containing `code` in a sorted, non-overlapping list.
fn find(v: &[Entry], code: u32) -> Option<&Entry> {
    let i = v.partition_point(|e| e.lo <= code);
    v.get(i.checked_sub(1)?).filter(|e| code <= e.hi)
}

/// Big-endian value of up to 4 bytes.
fn be(b: &[u8]) -> u32 {
    b.iter().take(4).fold(0u32, |a, &x| (a << 8) | x as u32)
}

/// Add `n` to big-endian `src` (with carry, dropping overflow) and decode the result as UTF-16BE.
/// An odd length gets a leading zero byte, so a one-byte destination is one code point.
fn utf16_add(src: &[u8], n: u32) -> String {
    let mut buf: Vec<u8> = Vec::with_capacity(src.len() + 1);
    if src.len() % 2 == 1 {
        buf.push(0);
    }
    buf.extend_from_slice(src);
    let mut carry = n as u64;
    for b in buf.iter_mut().rev() {
        if carry == 0 {
            break;
        }
        let s = *b as u64 + (carry & 0xFF);
        *b = s as u8;
        carry = (carry >> 8) + (s >> 8);
    }
    let units = buf
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect()
}

/// Sort entries by `lo` and make them non-overlapping; where ranges overlap the later one (in input
/// order) wins, as a later definition (or the child of a `usecmap`) overrides an earlier one.
fn resolve(mut v: Vec<Entry>) -> Vec<Entry> {
    // Fast path: already disjoint once sorted (the usual case).
    let mut sorted = v.clone();
    sorted.sort_by_key(|e| e.lo);
    if sorted.windows(2).all(|w| w[0].hi < w[1].lo) {
        return sorted;
    }
    drop(sorted);
    let mut map: BTreeMap<u32, Entry> = BTreeMap::new();
    for e in v.drain(..) {
        let mut hit: Vec<u32> = Vec::new();
        if let Some((&k, old)) = map.range(..e.lo).next_back() {
            if old.hi >= e.lo {
                hit.push(k);
            }
        }
        hit.extend(map.range(e.lo..=e.hi).map(|(&k, _)| k));
        for k in hit {
            let Some(old) = map.remove(&k) else { continue };
            if old.lo < e.lo {
                map.insert(old.lo, old.slice(old.lo, e.lo - 1));
            }
            if old.hi > e.hi {
                map.insert(e.hi + 1, old.slice(e.hi + 1, old.hi));
            }
        }
        map.insert(e.lo, e);
    }
    map.into_values().collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok<'a> {
    /// Raw hex digits between `<` and `>`.
    Hex(&'a [u8]),
    /// Raw bytes between `(` and `)`, escapes not yet processed.
    Lit(&'a [u8]),
    Name(&'a [u8]),
    Int(i64),
    Kw(&'a [u8]),
    ArrOpen,
    ArrClose,
}

struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\0')
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

impl<'a> Lexer<'a> {
    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    /// Bytes from `pos` while `keep` holds.
    fn take_while(&mut self, keep: impl Fn(u8) -> bool) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(&keep) {
            self.pos += 1;
        }
        self.data.get(start..self.pos).unwrap_or_default()
    }

    fn next_tok(&mut self) -> Option<Tok<'a>> {
        loop {
            let c = self.peek()?;
            self.pos += 1;
            match c {
                c if is_ws(c) => {}
                b'%' => {
                    self.take_while(|b| b != b'\n' && b != b'\r');
                }
                b'[' => return Some(Tok::ArrOpen),
                b']' => return Some(Tok::ArrClose),
                // Dictionaries and procedures carry nothing a CMap lookup needs.
                b'{' | b'}' | b')' => {}
                b'>' => {
                    if self.peek() == Some(b'>') {
                        self.pos += 1;
                    }
                }
                b'<' => {
                    if self.peek() == Some(b'<') {
                        self.pos += 1;
                        continue;
                    }
                    let s = self.take_while(|b| b != b'>');
                    self.pos += 1;
                    return Some(Tok::Hex(s));
                }
                b'(' => return Some(Tok::Lit(self.literal())),
                b'/' => return Some(Tok::Name(self.take_while(|b| !is_ws(b) && !is_delim(b)))),
                _ => {
                    self.pos -= 1;
                    let w = self.take_while(|b| !is_ws(b) && !is_delim(b));
                    if w.is_empty() {
                        self.pos += 1;
                        continue;
                    }
                    return Some(parse_int(w).map_or(Tok::Kw(w), Tok::Int));
                }
            }
        }
    }

    /// Raw body of a literal string (after the opening paren), honouring nesting and `\` escapes.
    fn literal(&mut self) -> &'a [u8] {
        let start = self.pos;
        let mut depth = 1u32;
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                b'\\' => self.pos += 1,
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return self.data.get(start..self.pos - 1).unwrap_or_default();
                    }
                }
                _ => {}
            }
        }
        self.pos = self.pos.min(self.data.len());
        self.data.get(start..).unwrap_or_default()
    }
}

fn parse_int(w: &[u8]) -> Option<i64> {
    let (neg, digits) = match w.first()? {
        b'-' => (true, w.get(1..)?),
        b'+' => (false, w.get(1..)?),
        _ => (false, w),
    };
    if digits.is_empty() || digits.len() > 18 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let v = digits.iter().fold(0i64, |a, &d| a * 10 + (d - b'0') as i64);
    Some(if neg { -v } else { v })
}

fn hex_val(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// The bytes of a string token into `out` (cleared first); false for other tokens.
fn string_bytes(tok: &Tok, out: &mut Vec<u8>) -> bool {
    out.clear();
    match *tok {
        Tok::Hex(h) => {
            let mut hi: Option<u8> = None;
            for v in h.iter().filter_map(|&b| hex_val(b)) {
                match hi.take() {
                    Some(x) => out.push(x << 4 | v),
                    None => hi = Some(v),
                }
            }
            if let Some(x) = hi {
                out.push(x << 4);
            }
            true
        }
        Tok::Lit(s) => {
            let mut it = s.iter().copied().peekable();
            while let Some(c) = it.next() {
                if c != b'\\' {
                    out.push(c);
                    continue;
                }
                let Some(e) = it.next() else { break };
                match e {
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'\r' => {
                        if it.peek() == Some(&b'\n') {
                            it.next();
                        }
                    }
                    b'\n' => {}
                    b'0'..=b'7' => {
                        let mut v = (e - b'0') as u32;
                        for _ in 0..2 {
                            match it.peek() {
                                Some(&d @ b'0'..=b'7') => {
                                    v = v * 8 + (d - b'0') as u32;
                                    it.next();
                                }
                                _ => break,
                            }
                        }
                        out.push(v as u8);
                    }
                    other => out.push(other),
                }
            }
            true
        }
        _ => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Codespace,
    BfChar,
    BfRange,
    CidChar,
    CidRange,
    NotdefChar,
    NotdefRange,
}

impl Section {
    fn from_kw(k: &[u8]) -> Option<Section> {
        Some(match k {
            b"begincodespacerange" => Section::Codespace,
            b"beginbfchar" => Section::BfChar,
            b"beginbfrange" => Section::BfRange,
            b"begincidchar" => Section::CidChar,
            b"begincidrange" => Section::CidRange,
            b"beginnotdefchar" => Section::NotdefChar,
            b"beginnotdefrange" => Section::NotdefRange,
            _ => return None,
        })
    }

    fn arity(self) -> usize {
        match self {
            Section::Codespace | Section::BfChar | Section::CidChar | Section::NotdefChar => 2,
            _ => 3,
        }
    }
}

enum Item<'a> {
    Tok(Tok<'a>),
    Arr(Vec<Tok<'a>>),
}

struct Parser<'a, 'c> {
    lx: Lexer<'a>,
    cm: &'c mut CMap,
    entries: usize,
}

impl<'a> Parser<'a, '_> {
    fn run(&mut self) {
        // The last two operands, for `/WMode 1 def`, `/CMapName /X def`, `/X usecmap`.
        let mut prev: [Option<Tok<'a>>; 2] = [None, None];
        let mut pending = self.lx.next_tok();
        while let Some(tok) = pending.take() {
            if let Tok::Kw(k) = tok {
                if let Some(sec) = Section::from_kw(k) {
                    pending = self.section(sec).or_else(|| self.lx.next_tok());
                    prev = [None, None];
                    continue;
                }
                match (k, prev) {
                    (b"def", [Some(Tok::Name(b"WMode")), Some(Tok::Int(n))]) => {
                        self.cm.vertical = n == 1
                    }
                    (b"def", [Some(Tok::Name(b"CMapName")), Some(Tok::Name(n))]) => {
                        self.cm.name = Some(String::from_utf8_lossy(n).into_owned());
                    }
                    (b"usecmap", [_, Some(Tok::Name(n))]) => {
                        self.cm.usecmap = Some(String::from_utf8_lossy(n).into_owned());
                    }
                    _ => {}
                }
            }
            prev = [prev[1], Some(tok)];
            pending = self.lx.next_tok();
        }
    }

    /// Read the records of one section up to its `end…` keyword. Returns a keyword that ended the
    /// section without being its `end…` (a missing end), for the caller to handle.
    fn section(&mut self, sec: Section) -> Option<Tok<'a>> {
        let mut items: Vec<Item<'a>> = Vec::with_capacity(3);
        let mut buf = Vec::new();
        let mut buf2 = Vec::new();
        while let Some(tok) = self.lx.next_tok() {
            match tok {
                Tok::Kw(k) if k.starts_with(b"end") => return None,
                Tok::Kw(_) => return Some(tok),
                Tok::ArrOpen => {
                    let mut elems = Vec::new();
                    while let Some(t) = self.lx.next_tok() {
                        match t {
                            Tok::ArrClose => break,
                            Tok::Kw(_) | Tok::ArrOpen => return Some(t),
                            _ if elems.len() < MAX_ENTRIES => elems.push(t),
                            _ => {}
                        }
                    }
                    items.push(Item::Arr(elems));
                }
                Tok::ArrClose => {}
                _ => items.push(Item::Tok(tok)),
            }
            if items.len() == sec.arity() {
                self.record(sec, &items, &mut buf, &mut buf2);
                items.clear();
            }
        }
        None
    }

    fn record(&mut self, sec: Section, items: &[Item<'a>], buf: &mut Vec<u8>, buf2: &mut Vec<u8>) {
        let tok = |i: usize| match items.get(i) {
            Some(Item::Tok(t)) => Some(*t),
            _ => None,
        };
        let Some(first) = tok(0) else { return };
        if !string_bytes(&first, buf) || buf.is_empty() || buf.len() > 4 {
            return;
        }
        let len = buf.len();
        let lo = be(buf);
        if sec == Section::Codespace {
            let Some(hi_tok) = tok(1) else { return };
            if !string_bytes(&hi_tok, buf2)
                || buf2.len() != len
                || self.cm.codespaces.len() >= MAX_CODESPACES
            {
                return;
            }
            let mut cs = Codespace {
                len,
                lo: [0; 4],
                hi: [0; 4],
            };
            cs.lo[..len].copy_from_slice(buf);
            cs.hi[..len].copy_from_slice(buf2);
            let pos = self.cm.codespaces.partition_point(|c| c.len <= len);
            self.cm.codespaces.insert(pos, cs);
            return;
        }
        let (hi, value_idx) = match sec {
            Section::BfChar | Section::CidChar | Section::NotdefChar => (lo, 1),
            _ => {
                let Some(hi_tok) = tok(1) else { return };
                if !string_bytes(&hi_tok, buf2) || buf2.is_empty() {
                    return;
                }
                // A `hi` of another length is malformed; keep it within this code length.
                let max = if len == 4 {
                    u32::MAX
                } else {
                    (1u32 << (8 * len)) - 1
                };
                let hi = if buf2.len() == len {
                    be(buf2)
                } else {
                    max.min(be(buf2))
                };
                (hi, 2)
            }
        };
        if hi < lo {
            return;
        }
        let val = match (sec, items.get(value_idx)) {
            (
                Section::CidChar | Section::CidRange | Section::NotdefChar | Section::NotdefRange,
                Some(Item::Tok(t)),
            ) => {
                match *t {
                    Tok::Int(n) => match u32::try_from(n) {
                        Ok(c) => Val::Cid(c),
                        Err(_) => return,
                    },
                    // Lenient: a CID written as a hex string.
                    Tok::Hex(_) if string_bytes(t, buf2) && !buf2.is_empty() && buf2.len() <= 4 => {
                        Val::Cid(be(buf2))
                    }
                    _ => return,
                }
            }
            (Section::BfChar | Section::BfRange, Some(Item::Tok(t))) => {
                let Some((off, len)) = self.push_dst(t, buf2) else {
                    return;
                };
                Val::Bf { off, len, skew: 0 }
            }
            (Section::BfRange, Some(Item::Arr(elems))) => {
                let start = self.cm.arr.len() as u32;
                let count = (hi - lo) as usize + 1;
                for t in elems.iter().take(count) {
                    if self.cm.arr.len() >= MAX_ENTRIES {
                        return;
                    }
                    let d = self.push_dst(t, buf2).unwrap_or((0, 0));
                    self.cm.arr.push(d);
                }
                let n = elems.len().min(count);
                if n == 0 {
                    return;
                }
                let hi = lo + (n as u32 - 1);
                self.push_entry(
                    sec,
                    len,
                    Entry {
                        lo,
                        hi,
                        val: Val::Arr { start },
                    },
                );
                return;
            }
            _ => return,
        };
        self.push_entry(sec, len, Entry { lo, hi, val });
    }

    fn push_entry(&mut self, sec: Section, len: usize, e: Entry) {
        if self.entries >= MAX_ENTRIES {
            return;
        }
        self.entries += 1;
        let target = if matches!(sec, Section::NotdefChar | Section::NotdefRange) {
            &mut self.cm.notdef
        } else {
            &mut self.cm.maps
        };
        if let Some(v) = target.get_mut(len - 1) {
            v.push(e);
        }
    }

    /// Store a bf destination (string, or glyph name) as UTF-16BE in the pool.
    fn push_dst(&mut self, t: &Tok, buf: &mut Vec<u8>) -> Option<(u32, u32)> {
        if let Tok::Name(n) = t {
            let s = std::str::from_utf8(n)
                .ok()
                .and_then(super::glyphnames::glyph_name_to_unicode)?;
            buf.clear();
            buf.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        } else if !string_bytes(t, buf) {
            return None;
        }
        if buf.len() > MAX_DST_BYTES || self.cm.pool.len() + buf.len() > MAX_POOL_BYTES {
            return None;
        }
        let off = self.cm.pool.len() as u32;
        self.cm.pool.extend_from_slice(buf);
        Some((off, buf.len() as u32))
    }
}

/// The predefined CMaps we ship (Adobe-GB1 only: the documents are simplified Chinese).
static PREDEFINED: [(&str, &[u8]); 12] = [
    ("GB-EUC-H", include_bytes!("../../data/cmap/GB-EUC-H.z")),
    ("GB-EUC-V", include_bytes!("../../data/cmap/GB-EUC-V.z")),
    ("GBK-EUC-H", include_bytes!("../../data/cmap/GBK-EUC-H.z")),
    ("GBK-EUC-V", include_bytes!("../../data/cmap/GBK-EUC-V.z")),
    ("GBKp-EUC-H", include_bytes!("../../data/cmap/GBKp-EUC-H.z")),
    ("GBKp-EUC-V", include_bytes!("../../data/cmap/GBKp-EUC-V.z")),
    ("GBK2K-H", include_bytes!("../../data/cmap/GBK2K-H.z")),
    ("GBK2K-V", include_bytes!("../../data/cmap/GBK2K-V.z")),
    (
        "UniGB-UCS2-H",
        include_bytes!("../../data/cmap/UniGB-UCS2-H.z"),
    ),
    (
        "UniGB-UCS2-V",
        include_bytes!("../../data/cmap/UniGB-UCS2-V.z"),
    ),
    (
        "UniGB-UTF16-H",
        include_bytes!("../../data/cmap/UniGB-UTF16-H.z"),
    ),
    (
        "UniGB-UTF16-V",
        include_bytes!("../../data/cmap/UniGB-UTF16-V.z"),
    ),
];

static PREDEFINED_CELLS: [OnceLock<CMap>; 12] = [const { OnceLock::new() }; 12];

static GB1_UCS2: &[u8] = include_bytes!("../../data/cmap/Adobe-GB1-UCS2.z");

fn inflate(z: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    // Our own data, but still bounded.
    let _ = flate2::read::ZlibDecoder::new(z)
        .take(16 << 20)
        .read_to_end(&mut out);
    out
}

/// A predefined CMap by its PDF name (e.g. `GBK-EUC-H`), parsed once from the data shipped with the
/// crate. `None` for names we do not ship.
pub fn predefined(name: &str) -> Option<&'static CMap> {
    let i = PREDEFINED.iter().position(|(n, _)| *n == name)?;
    let (_, z) = PREDEFINED.get(i)?;
    Some(
        PREDEFINED_CELLS
            .get(i)?
            .get_or_init(|| CMap::parse(&inflate(z))),
    )
}

/// Adobe-GB1 CID → Unicode, from Adobe's `Adobe-GB1-UCS2` resource.
pub fn gb1_cid_to_unicode(cid: u32) -> Option<char> {
    static TABLE: OnceLock<Vec<char>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let cm = CMap::parse(&inflate(GB1_UCS2));
        let top = cm.maps[1]
            .last()
            .map_or(0, |e| e.hi as usize + 1)
            .min(1 << 16);
        let mut t = vec!['\0'; top];
        for e in &cm.maps[1] {
            for cid in e.lo..=e.hi.min((top as u32).saturating_sub(1)) {
                if let Some(Target::Unicode(s)) = cm.lookup(cid, 2) {
                    if let (Some(c), Some(slot)) = (s.chars().next(), t.get_mut(cid as usize)) {
                        *slot = c;
                    }
                }
            }
        }
        t
    });
    // CID 0 is .notdef (mapped to U+FFFD by Adobe): not a character.
    table
        .get(cid as usize)
        .copied()
        .filter(|&c| c != '\0' && c != '\u{FFFD}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cid_of(cm: &CMap, bytes: &[u8]) -> Option<u32> {
        let (code, n) = cm.next_code(bytes);
        assert_eq!(n, bytes.len(), "code length for {bytes:02x?}");
        match cm.lookup(code, n)? {
            Target::Cid(c) => Some(c),
            Target::Unicode(_) => None,
        }
    }

    #[test]
    fn gbk_euc_h() {
        let cm = predefined("GBK-EUC-H").unwrap();
        assert!(!cm.vertical());
        let cid = cid_of(cm, &[0xD6, 0xD0]).unwrap();
        assert_eq!(gb1_cid_to_unicode(cid), Some('中'));
        // A one-byte ASCII code.
        let cid = cid_of(cm, b"A").unwrap();
        assert_eq!(gb1_cid_to_unicode(cid), Some('A'));
    }

    #[test]
    fn gb_euc_h() {
        let cm = predefined("GB-EUC-H").unwrap();
        let cid = cid_of(cm, &[0xB0, 0xA1]).unwrap();
        assert_eq!(gb1_cid_to_unicode(cid), Some('啊'));
    }

    #[test]
    fn gbkp_euc_h() {
        let cm = predefined("GBKp-EUC-H").unwrap();
        assert_eq!(cid_of(cm, b"A"), Some(34));
        assert_eq!(gb1_cid_to_unicode(34), Some('A'));
    }

    #[test]
    fn unigb_ucs2_h() {
        let cm = predefined("UniGB-UCS2-H").unwrap();
        let cid = cid_of(cm, &[0x4E, 0x2D]).unwrap();
        assert_eq!(gb1_cid_to_unicode(cid), Some('中'));
    }

    #[test]
    fn unigb_utf16_h_surrogates() {
        let cm = predefined("UniGB-UTF16-H").unwrap();
        // U+20087 (𠂇) as a surrogate pair: one 4-byte code.
        let bytes = [0xD8, 0x40, 0xDC, 0x87, 0x4E, 0x2D];
        let (code, n) = cm.next_code(&bytes);
        assert_eq!((code, n), (0xD840DC87, 4));
        let (code2, n2) = cm.next_code(&bytes[4..]);
        assert_eq!((code2, n2), (0x4E2D, 2));
        let cid = match cm.lookup(code2, 2) {
            Some(Target::Cid(c)) => c,
            other => panic!("{other:?}"),
        };
        assert_eq!(gb1_cid_to_unicode(cid), Some('中'));
    }

    #[test]
    fn vertical_variants_use_horizontal() {
        let v = predefined("GBK-EUC-V").unwrap();
        let h = predefined("GBK-EUC-H").unwrap();
        assert!(v.vertical());
        assert_eq!(v.usecmap_name(), Some("GBK-EUC-H"));
        // Inherited mapping and codespace.
        assert_eq!(cid_of(v, &[0xD6, 0xD0]), cid_of(h, &[0xD6, 0xD0]));
        // Overridden: the vertical form of the ideographic comma (A1A2).
        assert_eq!(cid_of(v, &[0xA1, 0xA2]), Some(575));
        assert_ne!(cid_of(h, &[0xA1, 0xA2]), Some(575));
        for name in [
            "GB-EUC-V",
            "GBKp-EUC-V",
            "GBK2K-V",
            "UniGB-UCS2-V",
            "UniGB-UTF16-V",
        ] {
            let cm = predefined(name).unwrap();
            assert!(cm.vertical() && !cm.is_empty(), "{name}");
        }
        assert!(predefined("Identity-H").is_none());
    }

    #[test]
    fn gbk2k_four_byte() {
        let cm = predefined("GBK2K-H").unwrap();
        let (code, n) = cm.next_code(&[0x81, 0x30, 0x84, 0x36, 0x41]);
        assert_eq!((code, n), (0x81308436, 4));
        assert_eq!(cm.lookup(code, n), Some(Target::Cid(22354)));
        // Unmapped but inside the codespace: consumed whole, no mapping.
        assert_eq!(cm.next_code(&[0x81, 0x30, 0x81, 0x30]), (0x81308130, 4));
        assert_eq!(cm.lookup(0x81308130, 4), None);
        assert_eq!(cm.next_code(&[0x41, 0x42]), (0x41, 1));
    }

    #[test]
    fn to_unicode_bfrange_and_bfchar() {
        let src = b"%!PS\n/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
            /CMapName /Adobe-Identity-UCS def /CMapType 2 def\n\
            1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
            3 beginbfchar\n<0003> <0020>\n<0010> <D840DC87>\n<0011> <00660069> endbfchar\n\
            2 beginbfrange\n<0020> <0022> [<4E2D> <6587> <D840DC87>]\n\
            <0030> <0032> <5F00>\n<00FE> <0101> <00FF>\nendbfrange\n\
            endcmap CMapName currentdict /CMap defineresource pop end end\n";
        let cm = CMap::parse(src);
        assert_eq!(cm.name(), Some("Adobe-Identity-UCS"));
        let u = |code| cm.lookup(code, 2);
        let s = |x: &str| Some(Target::Unicode(x.to_string()));
        assert_eq!(u(0x0003), s(" "));
        assert_eq!(u(0x0010), s("\u{20087}"));
        assert_eq!(u(0x0011), s("fi"));
        assert_eq!(u(0x0020), s("中"));
        assert_eq!(u(0x0021), s("文"));
        assert_eq!(u(0x0022), s("\u{20087}"));
        assert_eq!(u(0x0023), None);
        assert_eq!(u(0x0031), s("\u{5F01}"));
        assert_eq!(u(0x0032), s("\u{5F02}"));
        // Increment carries past the last byte.
        assert_eq!(u(0x0101), s("\u{0102}"));
        // Codes of another byte length do not match.
        assert_eq!(cm.lookup(0x20, 1), None);
        assert_eq!(cm.next_code(&[0x00, 0x20, 0x00]), (0x0020, 2));
        // Odd trailing byte: still consumed.
        assert_eq!(cm.next_code(&[0x41]), (0x41, 1));
    }

    #[test]
    fn cidrange_in_to_unicode() {
        let src = b"begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
            2 begincidrange <5f00> <5f00> 24320 <0041> <0042> 65 endcidrange endcmap";
        let cm = CMap::parse(src);
        assert_eq!(cm.lookup(0x5F00, 2), Some(Target::Cid(24320)));
        assert_eq!(cm.lookup(0x0042, 2), Some(Target::Cid(66)));
    }

    #[test]
    fn no_codespace_infers_length() {
        let cm = CMap::parse(b"1 beginbfchar <0041> <0042> endbfchar");
        assert!(!cm.has_codespace());
        assert_eq!(cm.next_code(&[0x00, 0x41, 0x00]), (0x41, 2));
        assert_eq!(cm.next_code(&[0x00]), (0, 1));
        let cm = CMap::parse(b"1 beginbfchar <41> <0042> endbfchar");
        assert_eq!(cm.next_code(&[0x41, 0x41]), (0x41, 1));
        assert_eq!(cm.lookup(0x41, 1), Some(Target::Unicode("B".into())));
    }

    #[test]
    fn later_definitions_override() {
        let src = b"1 begincodespacerange <00> <FF> endcodespacerange\n\
            1 begincidrange <00> <FF> 100 endcidrange 1 begincidchar <10> 7 endcidchar\n\
            1 beginnotdefrange <00> <FF> 1 endnotdefrange";
        let cm = CMap::parse(src);
        assert_eq!(cm.lookup(0x0F, 1), Some(Target::Cid(115)));
        assert_eq!(cm.lookup(0x10, 1), Some(Target::Cid(7)));
        assert_eq!(cm.lookup(0x11, 1), Some(Target::Cid(117)));
    }

    #[test]
    fn malformed_does_not_panic() {
        let inputs: [&[u8]; 12] = [
            b"",
            b"begincodespacerange",
            b"1 begincodespacerange <00> endcodespacerange",
            b"2 beginbfrange <0000> <FFFF> [<41> <42",
            b"beginbfrange <FFFFFFFF> <FFFFFFFF> <FFFF> endbfrange",
            b"beginbfrange <FF> <00> <41> endbfrange beginbfchar (A) /B (\\101\\",
            b"begincidrange <00000000> <FFFFFFFF> 4294967295 endcidrange",
            b"begincidrange <0102030405> <0102030406> 1 endcidrange <<>> ] [ } {",
            b"beginbfchar <00> <D800> <01> <DC00D800> <02> <> <> <41> endbfchar",
            b"/WMode def usecmap /WMode usecmap /GBK-EUC-V usecmap (((((",
            b"1 begincodespacerange <80> <7F> <8080 endcodespacerange",
            &[0xFF, b'<', 0x00, 0x80, b'(', b'\\'],
        ];
        for inp in inputs {
            let cm = CMap::parse(inp);
            for bytes in [&[][..], &[0xFF][..], &[0x81, 0x30, 0x81][..], &[0; 9][..]] {
                let (code, n) = cm.next_code(bytes);
                assert!(n >= 1 || bytes.is_empty());
                for len in 0..6 {
                    let _ = cm.lookup(code, len);
                }
            }
            for code in [0u32, 1, 0xFFFF, 0xFFFF_FFFF] {
                for len in 0..6 {
                    let _ = cm.lookup(code, len);
                }
            }
        }
        // Wrapping increments at the very top of the code space stay within bounds.
        let cm = CMap::parse(b"beginbfrange <FFFFFFFE> <FFFFFFFF> <FFFF> endbfrange");
        assert!(cm.lookup(0xFFFF_FFFF, 4).is_some());
        let cm = CMap::parse(b"/GBK-EUC-H usecmap");
        assert!(!cm.is_empty());
    }

    #[test]
    fn cid_to_unicode_edges() {
        assert_eq!(gb1_cid_to_unicode(0), None);
        assert_eq!(gb1_cid_to_unicode(u32::MAX), None);
        assert_eq!(gb1_cid_to_unicode(34), Some('A'));
    }
}
