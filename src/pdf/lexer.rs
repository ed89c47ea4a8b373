//! Content-stream lexer: bytes → operations (operator + operands).
//!
//! Written by hand rather than using lopdf's content parser so that it is streaming (no whole-page
//! `Vec<Operation>`), skips inline image data without copying it, never panics, and bounds nesting
//! and operand counts on hostile input.

/// Deepest array / dictionary nesting kept; deeper input is skipped.
const MAX_NESTING: usize = 32;
/// Operands kept per operator; more than this on the stack is garbage and is dropped.
const MAX_OPERANDS: usize = 4096;
/// Longest string kept (bytes).
const MAX_STRING: usize = 1 << 20;

/// One operand of a content-stream operator.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Number(f64),
    Name(Vec<u8>),
    /// Literal or hex string, decoded to its bytes.
    Str(Vec<u8>),
    Array(Vec<Operand>),
    /// Dictionaries (marked-content properties, inline images) are only needed as a whole for
    /// `/ActualText`-like features we don't use; keep key/value pairs flat.
    Dict(Vec<(Vec<u8>, Operand)>),
    Bool(bool),
    Null,
}

impl Operand {
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Operand::Number(n) => Some(*n),
            _ => None,
        }
    }
}

/// An operator with its operands.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation<'a> {
    pub op: &'a [u8],
    pub operands: Vec<Operand>,
}

/// Streaming lexer over a content stream.
pub struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
    operands: Vec<Operand>,
}

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

enum Tok<'a> {
    Operand(Operand),
    ArrayStart,
    ArrayEnd,
    DictStart,
    DictEnd,
    Keyword(&'a [u8]),
}

impl<'a> Lexer<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Lexer {
            data,
            pos: 0,
            operands: Vec::new(),
        }
    }

    /// Byte offset reached so far.
    pub fn position(&self) -> usize {
        self.pos
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn skip_white_and_comments(&mut self) {
        while let Some(b) = self.peek() {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn regular_run(&mut self) -> &'a [u8] {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if is_white(b) || is_delim(b) {
                break;
            }
            self.pos += 1;
        }
        self.data.get(start..self.pos).unwrap_or(&[])
    }

    fn literal_string(&mut self) -> Vec<u8> {
        // Caller consumed '('.
        let mut out = Vec::new();
        let mut depth = 1usize;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    out.push(b);
                }
                b'\\' => {
                    let Some(e) = self.peek() else { break };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xff) as u8);
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(b),
            }
            if out.len() > MAX_STRING {
                out.truncate(MAX_STRING);
            }
        }
        out
    }

    fn hex_string(&mut self) -> Vec<u8> {
        // Caller consumed '<'.
        let mut out = Vec::new();
        let mut hi: Option<u8> = None;
        while let Some(b) = self.peek() {
            self.pos += 1;
            if b == b'>' {
                break;
            }
            if let Some(v) = hex_val(b) {
                match hi.take() {
                    None => hi = Some(v),
                    Some(h) => {
                        if out.len() < MAX_STRING {
                            out.push(h << 4 | v)
                        }
                    }
                }
            }
        }
        if let Some(h) = hi {
            out.push(h << 4);
        }
        out
    }

    fn name(&mut self) -> Vec<u8> {
        // Caller consumed '/'.
        let raw = self.regular_run();
        let mut out = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            let b = raw.get(i).copied().unwrap_or(0);
            if b == b'#' {
                let h = raw.get(i + 1).and_then(|&c| hex_val(c));
                let l = raw.get(i + 2).and_then(|&c| hex_val(c));
                if let (Some(h), Some(l)) = (h, l) {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
            }
            out.push(b);
            i += 1;
        }
        out
    }

    fn token(&mut self) -> Option<Tok<'a>> {
        self.skip_white_and_comments();
        let b = self.peek()?;
        match b {
            b'(' => {
                self.pos += 1;
                Some(Tok::Operand(Operand::Str(self.literal_string())))
            }
            b'<' => {
                if self.data.get(self.pos + 1) == Some(&b'<') {
                    self.pos += 2;
                    Some(Tok::DictStart)
                } else {
                    self.pos += 1;
                    Some(Tok::Operand(Operand::Str(self.hex_string())))
                }
            }
            b'>' => {
                self.pos += 1;
                if self.peek() == Some(b'>') {
                    self.pos += 1;
                }
                Some(Tok::DictEnd)
            }
            b'[' => {
                self.pos += 1;
                Some(Tok::ArrayStart)
            }
            b']' => {
                self.pos += 1;
                Some(Tok::ArrayEnd)
            }
            b'{' | b'}' | b')' => {
                // Stray delimiters (PostScript procedures are not allowed in content streams).
                self.pos += 1;
                Some(Tok::Keyword(&[]))
            }
            b'/' => {
                self.pos += 1;
                Some(Tok::Operand(Operand::Name(self.name())))
            }
            _ => {
                let word = self.regular_run();
                if word.is_empty() {
                    // Defensive: never loop without progress.
                    self.pos += 1;
                    return Some(Tok::Keyword(&[]));
                }
                if let Some(n) = parse_number(word) {
                    return Some(Tok::Operand(Operand::Number(n)));
                }
                match word {
                    b"true" => Some(Tok::Operand(Operand::Bool(true))),
                    b"false" => Some(Tok::Operand(Operand::Bool(false))),
                    b"null" => Some(Tok::Operand(Operand::Null)),
                    _ => Some(Tok::Keyword(word)),
                }
            }
        }
    }

    /// Read a composite object (after its opening token), bounded in depth.
    fn composite(&mut self, is_array: bool, depth: usize) -> Operand {
        let mut items: Vec<Operand> = Vec::new();
        while let Some(tok) = self.token() {
            match tok {
                Tok::Operand(o) => {
                    if items.len() < MAX_OPERANDS {
                        items.push(o)
                    }
                }
                Tok::ArrayStart | Tok::DictStart => {
                    let nested_is_array = matches!(tok, Tok::ArrayStart);
                    if depth + 1 >= MAX_NESTING {
                        self.skip_composite();
                    } else {
                        let o = self.composite(nested_is_array, depth + 1);
                        if items.len() < MAX_OPERANDS {
                            items.push(o);
                        }
                    }
                }
                Tok::ArrayEnd if is_array => break,
                Tok::DictEnd if !is_array => break,
                Tok::ArrayEnd | Tok::DictEnd => break,
                // An operator inside an array means the array was not closed; stop here.
                Tok::Keyword(k) if !k.is_empty() => {
                    // Put the position back so the operator is seen by the caller.
                    self.pos -= k.len();
                    break;
                }
                Tok::Keyword(_) => {}
            }
        }
        if is_array {
            Operand::Array(items)
        } else {
            let mut pairs = Vec::new();
            let mut it = items.into_iter();
            while let Some(k) = it.next() {
                let v = it.next().unwrap_or(Operand::Null);
                if let Operand::Name(k) = k {
                    pairs.push((k, v));
                }
            }
            Operand::Dict(pairs)
        }
    }

    /// Skip a too-deep composite without recursion.
    fn skip_composite(&mut self) {
        let mut depth = 1usize;
        while depth > 0 {
            match self.token() {
                None => break,
                Some(Tok::ArrayStart | Tok::DictStart) => depth += 1,
                Some(Tok::ArrayEnd | Tok::DictEnd) => depth -= 1,
                Some(_) => {}
            }
        }
    }

    /// Skip inline image data after `ID`: up to whitespace + `EI` + whitespace/end.
    fn skip_inline_image(&mut self) {
        // One whitespace byte follows ID.
        self.pos += 1;
        let data = self.data;
        let mut i = self.pos;
        while i + 1 < data.len() {
            if data.get(i) == Some(&b'E')
                && data.get(i + 1) == Some(&b'I')
                && i > 0
                && data.get(i - 1).is_some_and(|&b| is_white(b))
                && data.get(i + 2).is_none_or(|&b| is_white(b) || is_delim(b))
            {
                self.pos = i + 2;
                return;
            }
            i += 1;
        }
        self.pos = data.len();
    }

    /// The next operation, or `None` at the end of the stream.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Operation<'a>> {
        loop {
            let tok = self.token()?;
            match tok {
                Tok::Operand(o) => {
                    if self.operands.len() < MAX_OPERANDS {
                        self.operands.push(o);
                    }
                }
                Tok::ArrayStart => {
                    let o = self.composite(true, 0);
                    if self.operands.len() < MAX_OPERANDS {
                        self.operands.push(o);
                    }
                }
                Tok::DictStart => {
                    let o = self.composite(false, 0);
                    if self.operands.len() < MAX_OPERANDS {
                        self.operands.push(o);
                    }
                }
                Tok::ArrayEnd | Tok::DictEnd => {}
                Tok::Keyword([]) => {}
                Tok::Keyword(b"BI") => {
                    // Inline image: key/value pairs up to ID, then binary data up to EI.
                    self.operands.clear();
                    loop {
                        match self.token() {
                            None => return None,
                            Some(Tok::Keyword(b"ID")) => break,
                            Some(Tok::Keyword(b"EI")) => break,
                            Some(_) => {}
                        }
                    }
                    self.skip_inline_image();
                    return Some(Operation {
                        op: b"BI",
                        operands: Vec::new(),
                    });
                }
                Tok::Keyword(k) => {
                    let operands = std::mem::take(&mut self.operands);
                    return Some(Operation { op: k, operands });
                }
            }
        }
    }
}

/// Parse a PDF number (`12`, `-3.5`, `.5`, `+1.`). Also accepts the malformed `--1` and `1-2`-ish
/// forms some producers emit by reading the longest numeric prefix.
pub fn parse_number(word: &[u8]) -> Option<f64> {
    let first = *word.first()?;
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return None;
    }
    let mut i = 0;
    let mut neg = false;
    while let Some(&c) = word.get(i) {
        match c {
            b'-' => neg = !neg,
            b'+' => {}
            _ => break,
        }
        i += 1;
    }
    let mut int: f64 = 0.0;
    let mut frac: f64 = 0.0;
    let mut scale = 1.0;
    let mut seen_digit = false;
    let mut seen_dot = false;
    while let Some(&c) = word.get(i) {
        match c {
            b'0'..=b'9' => {
                seen_digit = true;
                if seen_dot {
                    scale /= 10.0;
                    frac += f64::from(c - b'0') * scale;
                } else {
                    int = int * 10.0 + f64::from(c - b'0');
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => break,
        }
        i += 1;
    }
    if !seen_digit {
        // "." or "-" alone: not a number, unless the rest is empty (treat as 0 like Acrobat).
        return if i == word.len() && i > 0 && first != b'.' {
            None
        } else if i == word.len() && word == b"." {
            Some(0.0)
        } else {
            None
        };
    }
    if i != word.len() {
        return None;
    }
    let v = int + frac;
    if !v.is_finite() {
        return None;
    }
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(data: &[u8]) -> Vec<(String, Vec<Operand>)> {
        let mut lx = Lexer::new(data);
        let mut out = Vec::new();
        while let Some(op) = lx.next() {
            out.push((String::from_utf8_lossy(op.op).into_owned(), op.operands));
        }
        out
    }

    #[test]
    fn text_operators() {
        let v = ops(b"BT /F1 12 Tf 1 0 0 1 72.5 -.5 Tm (a\\(b\\)\\101) Tj [<4E2D> -250 (x)] TJ ET");
        assert_eq!(v.len(), 6);
        assert_eq!(v[1].0, "Tf");
        assert_eq!(
            v[1].1,
            vec![Operand::Name(b"F1".to_vec()), Operand::Number(12.0)]
        );
        assert_eq!(v[2].1[5], Operand::Number(-0.5));
        assert_eq!(v[3].1, vec![Operand::Str(b"a(b)A".to_vec())]);
        assert_eq!(
            v[4].1,
            vec![Operand::Array(vec![
                Operand::Str(vec![0x4e, 0x2d]),
                Operand::Number(-250.0),
                Operand::Str(b"x".to_vec())
            ])]
        );
    }

    #[test]
    fn inline_image_skipped() {
        let v = ops(b"q BI /W 2 /H 2 /BPC 8 ID \x00EI\xff\x01 EI Q 1 0 0 RG");
        let names: Vec<_> = v.iter().map(|o| o.0.as_str()).collect();
        assert_eq!(names, vec!["q", "BI", "Q", "RG"]);
    }

    #[test]
    fn hostile_input_terminates() {
        let deep = vec![b'['; 100_000];
        assert!(ops(&deep).is_empty());
        let v = ops(b"<< /A [1 2 (unterminated");
        assert!(v.is_empty());
        assert_eq!(ops(b"1 2 3 --4 x").last().map(|o| o.1.len()), Some(4));
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number(b"-.002"), Some(-0.002));
        assert_eq!(parse_number(b"+17"), Some(17.0));
        assert_eq!(parse_number(b"4."), Some(4.0));
        assert_eq!(parse_number(b"--4"), Some(4.0));
        assert_eq!(parse_number(b"abc"), None);
        assert_eq!(parse_number(b"1.2.3"), None);
    }
}
