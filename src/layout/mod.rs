//! The `layout` stage: glyphs → words → lines in reading order, and a `pdftotext -layout`-like text
//! rendering that keeps columns apart with runs of spaces.
//!
//! Tolerances are relative to the glyphs' font size, so the same code serves 9 pt table cells and
//! 22 pt titles, A4 portrait and A3 landscape.

pub mod aligned;
pub mod grid;
pub mod render;

use crate::pdf::{Glyph, Page};

pub use grid::{Cell, Grid};

/// What the layout stage produced for one page: ruled grids, and the lines of text outside them.
#[derive(Debug, Clone)]
pub struct PageLayout {
    pub page: usize,
    pub width: f64,
    pub height: f64,
    pub lines: Vec<Line>,
    pub grids: Vec<Grid>,
    /// Tables without rulings, found from text alignment.
    pub aligned: Vec<aligned::AlignedTable>,
}

/// Lines and grids of a page.
pub fn analyze(page: &Page) -> PageLayout {
    let (mut grids, used) = grid::grids(page);
    let rest: Vec<&Glyph> = page
        .glyphs
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(g, _)| g)
        .collect();
    let mut lines = lines_from(&rest, page.width, page.height);
    if !grids.is_empty() {
        lines = grid::attach_adjacent_rows(&mut grids, lines);
    }
    let aligned = aligned::find(page.number, &lines);
    if !aligned.is_empty() {
        let used: std::collections::HashSet<usize> = aligned
            .iter()
            .flat_map(|t| t.lines.iter().copied())
            .collect();
        lines = lines
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !used.contains(i))
            .map(|(_, l)| l)
            .collect();
    }
    PageLayout {
        page: page.number,
        width: page.width,
        height: page.height,
        lines,
        grids,
        aligned,
    }
}

/// Text of a set of glyphs (a table cell): lines in reading order joined without a separator, except
/// a space between two ASCII letters or digits (wrapped CJK names must come out unbroken).
pub fn join_glyph_lines(glyphs: &[&Glyph]) -> String {
    let mut out = String::new();
    let lines = lines_from(glyphs, 0.0, 0.0);
    // A line as wide as the widest was wrapped because it was full: a number it cuts
    // (≥18 | 0人/年) is one number.
    let widest = lines.iter().map(|l| l.bbox[2]).fold(f64::MIN, f64::max);
    let mut prev_full = false;
    for line in &lines {
        let t = line.text();
        if let (Some(a), Some(b)) = (out.chars().last(), t.chars().next()) {
            let cut_number = a.is_ascii_digit() && b.is_ascii_digit() && prev_full;
            if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() && !cut_number {
                out.push(' ');
            }
        }
        let size = line.words.last().map(|w| w.size).unwrap_or(0.0);
        prev_full = line.bbox[2] >= widest - size;
        out.push_str(&t);
    }
    out
}

/// A run of glyphs on one line without a visible gap.
#[derive(Debug, Clone)]
pub struct Word {
    pub text: String,
    /// [x0, top, x1, bottom] in displayed-page points.
    pub bbox: [f64; 4],
    pub size: f64,
}

/// Glyphs sharing a baseline band, left to right.
#[derive(Debug, Clone)]
pub struct Line {
    pub words: Vec<Word>,
    pub bbox: [f64; 4],
}

impl Line {
    /// Words joined with single spaces.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for (i, w) in self.words.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(&w.text);
        }
        s
    }
}

/// Horizontal-writing view of a glyph: coordinates rotated so its baseline runs left → right.
#[derive(Clone, Copy)]
struct Placed<'a> {
    g: &'a Glyph,
    x0: f64,
    x1: f64,
    top: f64,
    bottom: f64,
}

fn rotate_box(g: &Glyph, width: f64, height: f64) -> [f64; 4] {
    let [x0, y0, x1, y1] = g.bbox;
    match g.dir {
        90 => [y0, width - x1, y1, width - x0],
        180 => [width - x1, height - y1, width - x0, height - y0],
        270 => [height - y1, x0, height - y0, x1],
        _ => [x0, y0, x1, y1],
    }
}

/// Group a page's glyphs into lines in reading order (top to bottom, then left to right).
/// Text in other directions (rotated table headers, vertical stamps) follows the horizontal text.
pub fn lines(page: &Page) -> Vec<Line> {
    let all: Vec<&Glyph> = page.glyphs.iter().collect();
    lines_from(&all, page.width, page.height)
}

fn lines_from(glyphs: &[&Glyph], width: f64, height: f64) -> Vec<Line> {
    let mut out = Vec::new();
    for dir in [0u16, 90, 270, 180] {
        let placed: Vec<Placed> = glyphs
            .iter()
            .filter(|g| g.dir == dir)
            .map(|g| {
                let [x0, top, x1, bottom] = rotate_box(g, width, height);
                Placed {
                    g,
                    x0,
                    x1,
                    top,
                    bottom,
                }
            })
            .collect();
        if !placed.is_empty() {
            out.extend(lines_of(placed));
        }
    }
    out
}

fn lines_of(mut placed: Vec<Placed>) -> Vec<Line> {
    let center = |p: &Placed| (p.top + p.bottom) / 2.0;
    placed.sort_by(|a, b| center(a).total_cmp(&center(b)).then(a.x0.total_cmp(&b.x0)));
    // Band clustering: a glyph joins the current line while its centre lies within half a
    // glyph height of the line's running centre.
    let mut groups: Vec<Vec<Placed>> = Vec::new();
    let mut band_center = f64::NAN;
    let mut band_height = 0.0;
    for p in placed {
        let h = (p.bottom - p.top).max(0.1);
        let c = center(&p);
        let joins =
            !band_center.is_nan() && (c - band_center).abs() <= 0.5 * h.min(band_height).max(0.1);
        if joins {
            if let Some(g) = groups.last_mut() {
                g.push(p);
                let n = g.len() as f64;
                band_center += (c - band_center) / n;
                band_height = band_height.max(h);
            }
        } else {
            groups.push(vec![p]);
            band_center = c;
            band_height = h;
        }
    }
    groups.into_iter().map(make_line).collect()
}

fn make_line(mut glyphs: Vec<Placed>) -> Line {
    glyphs.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let mut words: Vec<Word> = Vec::new();
    let mut prev_x1 = f64::NAN;
    for p in &glyphs {
        let size = p.g.size.max(1.0);
        let gap = p.x0 - prev_x1;
        // A figure right against the next column's label ("774.48一、一般公共服务支出") is two
        // words even when the gap is small.
        let digit_to_cjk = words
            .last()
            .and_then(|w| w.text.chars().last())
            .is_some_and(|c| c.is_ascii_digit())
            && p.g
                .text
                .chars()
                .next()
                .is_some_and(|c| !c.is_ascii() && c.is_alphabetic())
            && gap > 0.5;
        let new_word = prev_x1.is_nan() || gap > 0.25 * size || digit_to_cjk;
        if new_word {
            words.push(Word {
                text: p.g.text.clone(),
                bbox: [p.x0, p.top, p.x1, p.bottom],
                size,
            });
        } else if let Some(w) = words.last_mut() {
            w.text.push_str(&p.g.text);
            w.bbox[1] = w.bbox[1].min(p.top);
            w.bbox[2] = w.bbox[2].max(p.x1);
            w.bbox[3] = w.bbox[3].max(p.bottom);
        }
        prev_x1 = if prev_x1.is_nan() {
            p.x1
        } else {
            prev_x1.max(p.x1)
        };
    }
    let bbox = words
        .iter()
        .fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |b, w| {
            [
                b[0].min(w.bbox[0]),
                b[1].min(w.bbox[1]),
                b[2].max(w.bbox[2]),
                b[3].max(w.bbox[3]),
            ]
        });
    Line { words, bbox }
}

/// Display width in columns: CJK and full-width characters take two.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            if (0x1100..=0x115f).contains(&u)
                || (0x2e80..=0xa4cf).contains(&u)
                || (0xac00..=0xd7a3).contains(&u)
                || (0xf900..=0xfaff).contains(&u)
                || (0xfe30..=0xfe4f).contains(&u)
                || (0xff00..=0xff60).contains(&u)
                || (0xffe0..=0xffe6).contains(&u)
                || (0x20000..=0x3fffd).contains(&u)
            {
                2
            } else {
                1
            }
        })
        .sum()
}

/// Render a page as text in reading order, columns kept apart by runs of spaces (like
/// `pdftotext -layout`): each word is placed at the column its x position maps to.
pub fn render_text(page: &Page) -> String {
    let lines = lines(page);
    // One column = half the median glyph size (a CJK glyph is two columns wide).
    let mut sizes: Vec<f64> = page
        .glyphs
        .iter()
        .map(|g| g.size)
        .filter(|s| *s > 0.5)
        .collect();
    sizes.sort_by(f64::total_cmp);
    let median = sizes.get(sizes.len() / 2).copied().unwrap_or(10.0).max(1.0);
    let unit = median / 2.0;
    let mut out = String::new();
    let mut prev_bottom: Option<f64> = None;
    for line in &lines {
        if let Some(pb) = prev_bottom {
            let h = (line.bbox[3] - line.bbox[1]).max(1.0);
            if line.bbox[1] - pb > 1.2 * h {
                out.push('\n');
            }
        }
        prev_bottom = Some(line.bbox[3]);
        let mut col = 0usize;
        for (i, w) in line.words.iter().enumerate() {
            let target = (w.bbox[0] / unit).round().max(0.0) as usize;
            let min_gap = if i == 0 { 0 } else { 1 };
            let pad = target.saturating_sub(col).max(min_gap);
            for _ in 0..pad.min(400) {
                out.push(' ');
            }
            col += pad;
            out.push_str(&w.text);
            col += display_width(&w.text);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(text: &str, x: f64, y: f64, size: f64) -> Glyph {
        let w = if text.is_ascii() { size * 0.5 } else { size };
        Glyph {
            text: text.into(),
            raw_text: None,
            raw_code: 0,
            font: 0,
            size,
            bbox: [x, y - size * 0.88, x + w, y + size * 0.12],
            origin: [x, y],
            render_mode: 0,
            seq: 0,
            dir: 0,
        }
    }

    fn page(glyphs: Vec<Glyph>) -> Page {
        Page {
            number: 1,
            width: 595.0,
            height: 842.0,
            rotate: 0,
            glyphs,
            segments: vec![],
            fonts: vec![],
            diagnostics: vec![],
            images: 0,
            clipped: vec![],
            damaged: Vec::new(),
        }
    }

    #[test]
    fn lines_and_columns() {
        let p = page(vec![
            glyph("合", 100.0, 200.0, 10.0),
            glyph("计", 110.0, 200.0, 10.0),
            glyph("1", 300.0, 200.5, 10.0),
            glyph("2", 305.0, 200.5, 10.0),
            glyph("项", 100.0, 220.0, 10.0),
        ]);
        let ls = lines(&p);
        assert_eq!(ls.len(), 2);
        assert_eq!(ls[0].text(), "合计 12");
        assert_eq!(ls[1].text(), "项");
        let t = render_text(&p);
        let first = t.lines().next().unwrap_or("");
        assert!(first.trim_start().starts_with("合计"));
        assert!(
            first.contains("合计     "),
            "columns separated by a run of spaces: {first:?}"
        );
        assert_eq!(display_width("合计12"), 6);
    }
}
