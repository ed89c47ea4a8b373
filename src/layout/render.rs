//! Debug renderings of the layout stage: grids as text, and an SVG of what the recognizer saw.

use std::fmt::Write;

use super::{Grid, PageLayout};
use crate::pdf::Page;

/// A grid as text rows, cells separated by ` | `; merged cells repeat their text once, spanned
/// slots show `〃`.
pub fn grid_text(grid: &Grid) -> String {
    let m = grid.matrix();
    let mut out = String::new();
    for (r, row) in m.iter().enumerate() {
        let mut cells = Vec::new();
        for slot in row {
            let t = match slot.and_then(|i| grid.cells.get(i).map(|c| (i, c))) {
                Some((_, c)) if c.row == r && grid.xs.get(c.col).is_some() => c.text.clone(),
                Some(_) => "〃".to_string(),
                None => "∅".to_string(),
            };
            cells.push(t);
        }
        // Collapse repeats of the same merged cell across columns.
        let mut collapsed: Vec<String> = Vec::new();
        let mut last: Option<usize> = None;
        for (k, slot) in row.iter().enumerate() {
            if slot.is_some() && *slot == last {
                continue;
            }
            last = *slot;
            collapsed.push(cells.get(k).cloned().unwrap_or_default());
        }
        let _ = writeln!(out, "{:>3}: {}", r, collapsed.join(" | "));
    }
    out
}

/// Lines and grids of a page as text.
pub fn layout_text(layout: &PageLayout) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "page {} ({:.0} × {:.0} pt): {} lines outside grids, {} grids",
        layout.page,
        layout.width,
        layout.height,
        layout.lines.len(),
        layout.grids.len()
    );
    for l in &layout.lines {
        let _ = writeln!(out, "  line y={:.1}: {}", l.bbox[1], l.text());
    }
    for (i, t) in layout.aligned.iter().enumerate() {
        let _ = writeln!(
            out,
            "aligned table {i} (no rulings): {} rows × {} bands",
            t.rows.len(),
            t.xs.len().saturating_sub(1)
        );
        for (r, row) in t.rows.iter().enumerate() {
            let cells: Vec<&str> = row
                .cells
                .iter()
                .map(|c| c.as_ref().map(|c| c.0.as_str()).unwrap_or(""))
                .collect();
            let _ = writeln!(out, "{r:>3}: {}", cells.join(" | "));
        }
    }
    for (i, g) in layout.grids.iter().enumerate() {
        let _ = writeln!(
            out,
            "grid {i}: {} rows × {} cols, bbox [{:.1} {:.1} {:.1} {:.1}]",
            g.n_rows(),
            g.n_cols(),
            g.bbox[0],
            g.bbox[1],
            g.bbox[2],
            g.bbox[3]
        );
        out.push_str(&grid_text(g));
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An SVG of the page: glyph boxes (grey) with their text, ruling segments (red) and detected cells
/// (blue), so a person can see what the recognizers saw.
pub fn svg(page: &Page, layout: &PageLayout) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.1} {h:.1}" font-family="sans-serif">"#,
        w = page.width,
        h = page.height
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    for g in &layout.grids {
        for c in &g.cells {
            let [x0, y0, x1, y1] = c.bbox;
            let _ = writeln!(
                s,
                r#"<rect x="{x0:.1}" y="{y0:.1}" width="{:.1}" height="{:.1}" fill="rgb(220,230,255)" fill-opacity="0.5" stroke="blue" stroke-width="0.6"><title>r{} c{} {}×{}: {}</title></rect>"#,
                x1 - x0,
                y1 - y0,
                c.row,
                c.col,
                c.rowspan,
                c.colspan,
                esc(&c.text)
            );
        }
    }
    for seg in &page.segments {
        let _ = writeln!(
            s,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="red" stroke-width="0.4"/>"#,
            seg.x0, seg.y0, seg.x1, seg.y1
        );
    }
    for g in &page.glyphs {
        let [x0, y0, x1, y1] = g.bbox;
        let _ = writeln!(
            s,
            r#"<rect x="{x0:.1}" y="{y0:.1}" width="{:.1}" height="{:.1}" fill="none" stroke="grey" stroke-width="0.2"/><text x="{x0:.1}" y="{:.1}" font-size="{:.1}">{}</text>"#,
            (x1 - x0).max(0.1),
            (y1 - y0).max(0.1),
            g.origin[1],
            g.size.max(1.0) * 0.9,
            esc(&g.text)
        );
    }
    s.push_str("</svg>\n");
    s
}
