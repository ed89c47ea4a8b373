//! Ruled tables: ruling segments → snapped, joined edges → intersections → cells → grids
//! (the "lines" strategy of pdfplumber, written for our segments), and the glyphs of each cell.

use std::collections::{BTreeMap, HashMap};

use crate::pdf::{Glyph, Page, Segment};

/// Tolerances in points.
const SNAP: f64 = 3.0;
const JOIN: f64 = 3.0;
const INTERSECT: f64 = 1.5;
const MIN_EDGE: f64 = 3.0;
/// A segment is horizontal / vertical when its other extent is below this.
const AXIS: f64 = 1.0;

/// One cell of a grid, possibly merged over several rows or columns.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Cell {
    pub row: usize,
    pub col: usize,
    pub rowspan: usize,
    pub colspan: usize,
    /// [x0, top, x1, bottom].
    pub bbox: [f64; 4],
    /// Text of the cell, wrapped lines joined.
    pub text: String,
    /// Left offset of the text's first line from the cell's left edge, in glyph sizes.
    pub indent: Option<f64>,
}

/// A ruled table on one page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Grid {
    pub page: usize,
    pub bbox: [f64; 4],
    /// Column boundaries (len = columns + 1) and row boundaries (len = rows + 1).
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
    pub cells: Vec<Cell>,
}

impl Grid {
    pub fn n_rows(&self) -> usize {
        self.ys.len().saturating_sub(1)
    }
    pub fn n_cols(&self) -> usize {
        self.xs.len().saturating_sub(1)
    }

    /// Dense view: for each row and column, the index of the cell covering it.
    pub fn matrix(&self) -> Vec<Vec<Option<usize>>> {
        let mut m = vec![vec![None; self.n_cols()]; self.n_rows()];
        for (i, c) in self.cells.iter().enumerate() {
            for r in c.row..(c.row + c.rowspan).min(self.n_rows()) {
                for k in c.col..(c.col + c.colspan).min(self.n_cols()) {
                    if let Some(slot) = m.get_mut(r).and_then(|row| row.get_mut(k)) {
                        *slot = Some(i);
                    }
                }
            }
        }
        m
    }
}

#[derive(Debug, Clone, Copy)]
struct Edge {
    /// Fixed coordinate (y for horizontal, x for vertical) and the extent along the other axis.
    at: f64,
    lo: f64,
    hi: f64,
}

/// Snap nearly-equal fixed coordinates together, then join collinear pieces that touch.
fn snap_and_join(mut edges: Vec<Edge>) -> Vec<Edge> {
    edges.sort_by(|a, b| a.at.total_cmp(&b.at));
    // Snap: clusters of fixed coordinates within SNAP of their running mean.
    let mut i = 0;
    while i < edges.len() {
        let mut j = i + 1;
        let mut sum = edges.get(i).map_or(0.0, |e| e.at);
        while j < edges.len() {
            let mean = sum / (j - i) as f64;
            match edges.get(j) {
                Some(e) if (e.at - mean).abs() <= SNAP => {
                    sum += e.at;
                    j += 1;
                }
                _ => break,
            }
        }
        let mean = sum / (j - i) as f64;
        for e in edges.get_mut(i..j).into_iter().flatten() {
            e.at = mean;
        }
        i = j;
    }
    // Join: per fixed coordinate, merge overlapping or nearly-touching pieces.
    let mut by_at: BTreeMap<i64, Vec<Edge>> = BTreeMap::new();
    for e in edges {
        by_at
            .entry((e.at * 100.0).round() as i64)
            .or_default()
            .push(e);
    }
    let mut out = Vec::new();
    for (_, mut group) in by_at {
        group.sort_by(|a, b| a.lo.total_cmp(&b.lo));
        let mut cur: Option<Edge> = None;
        for e in group {
            match cur.as_mut() {
                Some(c) if e.lo <= c.hi + JOIN => c.hi = c.hi.max(e.hi),
                _ => {
                    if let Some(c) = cur.take() {
                        out.push(c);
                    }
                    cur = Some(e);
                }
            }
        }
        if let Some(c) = cur {
            out.push(c);
        }
    }
    out.retain(|e| e.hi - e.lo >= MIN_EDGE);
    out
}

/// Split segments into horizontal and vertical edges.
fn edges(segments: &[Segment]) -> (Vec<Edge>, Vec<Edge>) {
    let mut h = Vec::new();
    let mut v = Vec::new();
    for s in segments {
        let (dx, dy) = ((s.x1 - s.x0).abs(), (s.y1 - s.y0).abs());
        if dy <= AXIS && dx > 0.0 {
            h.push(Edge {
                at: (s.y0 + s.y1) / 2.0,
                lo: s.x0.min(s.x1),
                hi: s.x0.max(s.x1),
            });
        } else if dx <= AXIS && dy > 0.0 {
            v.push(Edge {
                at: (s.x0 + s.x1) / 2.0,
                lo: s.y0.min(s.y1),
                hi: s.y0.max(s.y1),
            });
        }
    }
    (snap_and_join(h), snap_and_join(v))
}

/// Find the ruled grids of a page and fill their cells with text.
/// Returns the grids and, for each glyph, whether it was placed in a grid.
pub fn grids(page: &Page) -> (Vec<Grid>, Vec<bool>) {
    let (h, v) = edges(&page.segments);
    let mut used = vec![false; page.glyphs.len()];
    if h.len() < 2 || v.len() < 2 || h.len() * v.len() > 4_000_000 {
        return (Vec::new(), used);
    }
    // Intersections: point → (h edge ids, v edge ids).
    let key = |x: f64, y: f64| ((x * 10.0).round() as i64, (y * 10.0).round() as i64);
    let mut points: HashMap<(i64, i64), (Vec<usize>, Vec<usize>)> = HashMap::new();
    for (vi, ve) in v.iter().enumerate() {
        for (hi, he) in h.iter().enumerate() {
            if ve.at >= he.lo - INTERSECT
                && ve.at <= he.hi + INTERSECT
                && he.at >= ve.lo - INTERSECT
                && he.at <= ve.hi + INTERSECT
            {
                let e = points.entry(key(ve.at, he.at)).or_default();
                e.0.push(hi);
                e.1.push(vi);
            }
        }
    }
    // Points by row (same y) and by column (same x), sorted.
    let mut by_y: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut by_x: HashMap<i64, Vec<i64>> = HashMap::new();
    for &(x, y) in points.keys() {
        by_y.entry(y).or_default().push(x);
        by_x.entry(x).or_default().push(y);
    }
    for l in by_y.values_mut().chain(by_x.values_mut()) {
        l.sort_unstable();
    }
    let shares = |a: &[usize], b: &[usize]| a.iter().any(|x| b.contains(x));
    let mut cells: Vec<[i64; 4]> = Vec::new();
    let mut sorted: Vec<(i64, i64)> = points.keys().copied().collect();
    sorted.sort_unstable_by_key(|&(x, y)| (y, x));
    for &(x, y) in &sorted {
        let Some(p) = points.get(&(x, y)) else {
            continue;
        };
        let below: Vec<i64> = by_x
            .get(&x)
            .map(|l| l.iter().copied().filter(|&yy| yy > y).collect())
            .unwrap_or_default();
        let right: Vec<i64> = by_y
            .get(&y)
            .map(|l| l.iter().copied().filter(|&xx| xx > x).collect())
            .unwrap_or_default();
        'found: for &by in &below {
            let Some(b) = points.get(&(x, by)) else {
                continue;
            };
            if !shares(&p.1, &b.1) {
                continue;
            }
            for &rx in &right {
                let Some(r) = points.get(&(rx, y)) else {
                    continue;
                };
                if !shares(&p.0, &r.0) {
                    continue;
                }
                if let Some(br) = points.get(&(rx, by)) {
                    if shares(&br.1, &r.1) && shares(&br.0, &b.0) {
                        cells.push([x, y, rx, by]);
                        break 'found;
                    }
                }
            }
        }
    }
    // Group cells sharing corners into tables (union-find).
    let mut parent: Vec<usize> = (0..cells.len()).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while let Some(&q) = p.get(i) {
            if q == i {
                break;
            }
            let g = p.get(q).copied().unwrap_or(q);
            if let Some(slot) = p.get_mut(i) {
                *slot = g;
            }
            i = q;
        }
        i
    }
    let mut corner_owner: HashMap<(i64, i64), usize> = HashMap::new();
    for (i, c) in cells.iter().enumerate() {
        for corner in [(c[0], c[1]), (c[2], c[1]), (c[0], c[3]), (c[2], c[3])] {
            match corner_owner.get(&corner) {
                Some(&j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    if let Some(slot) = parent.get_mut(a) {
                        *slot = b;
                    }
                }
                None => {
                    corner_owner.insert(corner, i);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<[i64; 4]>> = BTreeMap::new();
    for (i, c) in cells.iter().enumerate() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(*c);
    }
    let mut out: Vec<Grid> = Vec::new();
    for (_, cs) in groups {
        // A single box (a frame around a page or a text box) is not a table.
        if cs.len() < 2 {
            continue;
        }
        let mut xs: Vec<i64> = cs.iter().flat_map(|c| [c[0], c[2]]).collect();
        let mut ys: Vec<i64> = cs.iter().flat_map(|c| [c[1], c[3]]).collect();
        xs.sort_unstable();
        xs.dedup();
        ys.sort_unstable();
        ys.dedup();
        let col_of = |x: i64| xs.binary_search(&x).unwrap_or(0);
        let row_of = |y: i64| ys.binary_search(&y).unwrap_or(0);
        let f = |v: i64| v as f64 / 10.0;
        let mut grid_cells: Vec<Cell> = cs
            .iter()
            .map(|c| {
                let (c0, c1, r0, r1) = (col_of(c[0]), col_of(c[2]), row_of(c[1]), row_of(c[3]));
                Cell {
                    row: r0,
                    col: c0,
                    rowspan: r1.saturating_sub(r0).max(1),
                    colspan: c1.saturating_sub(c0).max(1),
                    bbox: [f(c[0]), f(c[1]), f(c[2]), f(c[3])],
                    text: String::new(),
                    indent: None,
                }
            })
            .collect();
        grid_cells.sort_by_key(|c| (c.row, c.col));
        let (Some(&x0), Some(&x1), Some(&y0), Some(&y1)) =
            (xs.first(), xs.last(), ys.first(), ys.last())
        else {
            continue;
        };
        out.push(Grid {
            page: page.number,
            bbox: [f(x0), f(y0), f(x1), f(y1)],
            xs: xs.iter().map(|&v| f(v)).collect(),
            ys: ys.iter().map(|&v| f(v)).collect(),
            cells: grid_cells,
        });
    }
    out.sort_by(|a, b| {
        a.bbox[1]
            .total_cmp(&b.bbox[1])
            .then(a.bbox[0].total_cmp(&b.bbox[0]))
    });
    fill_text(page, &mut out, &mut used);
    (out, used)
}

/// A table row printed just above or below a grid without its own ruling (the first row of a page
/// whose top border was drawn on the previous page): a line touching the grid whose words fall into
/// two or more of its columns becomes a row of the grid. Returns the lines left over.
pub fn attach_adjacent_rows(grids: &mut [Grid], lines: Vec<super::Line>) -> Vec<super::Line> {
    let mut rest = Vec::with_capacity(lines.len());
    for line in lines {
        let h = (line.bbox[3] - line.bbox[1]).max(1.0);
        let target = grids.iter_mut().find(|g| {
            let inside_x = line.bbox[0] >= g.bbox[0] - 2.0 && line.bbox[2] <= g.bbox[2] + 2.0;
            let above = line.bbox[3] <= g.bbox[1] + 1.0 && g.bbox[1] - line.bbox[3] < 1.2 * h;
            let below = line.bbox[1] >= g.bbox[3] - 1.0 && line.bbox[1] - g.bbox[3] < 1.2 * h;
            inside_x && (above || below) && g.n_cols() >= 2
        });
        let Some(g) = target else {
            rest.push(line);
            continue;
        };
        // A title above the grid is no row of it: its words run across column boundaries.
        let straddles = line.words.iter().any(|w| {
            g.xs.iter()
                .any(|&x| w.bbox[0] < x - 0.5 * w.size && w.bbox[2] > x + 0.5 * w.size)
        });
        if straddles {
            rest.push(line);
            continue;
        }
        // Words by column.
        let mut texts: Vec<String> = vec![String::new(); g.n_cols()];
        for w in &line.words {
            let cx = (w.bbox[0] + w.bbox[2]) / 2.0;
            let col =
                g.xs.partition_point(|&x| x <= cx)
                    .saturating_sub(1)
                    .min(g.n_cols().saturating_sub(1));
            if let Some(t) = texts.get_mut(col) {
                t.push_str(&w.text);
            }
        }
        if texts.iter().filter(|t| !t.is_empty()).count() < 2 {
            rest.push(line);
            continue;
        }
        let above = line.bbox[3] <= g.bbox[1] + 1.0;
        let (top, bottom) = if above {
            (line.bbox[1].min(g.bbox[1] - 1.0), g.bbox[1])
        } else {
            (g.bbox[3], line.bbox[3].max(g.bbox[3] + 1.0))
        };
        let row = if above {
            for c in g.cells.iter_mut() {
                c.row += 1;
            }
            g.ys.insert(0, top);
            g.bbox[1] = top;
            0
        } else {
            g.ys.push(bottom);
            g.bbox[3] = bottom;
            g.n_rows() - 1
        };
        for (col, text) in texts.into_iter().enumerate() {
            let (Some(&x0), Some(&x1)) = (g.xs.get(col), g.xs.get(col + 1)) else {
                continue;
            };
            g.cells.push(Cell {
                row,
                col,
                rowspan: 1,
                colspan: 1,
                bbox: [x0, top, x1, bottom],
                text,
                indent: None,
            });
        }
        g.cells.sort_by_key(|c| (c.row, c.col));
    }
    rest
}

/// Put each glyph into the cell containing its centre and join each cell's lines.
fn fill_text(page: &Page, grids: &mut [Grid], used: &mut [bool]) {
    for grid in grids.iter_mut() {
        let matrix = grid.matrix();
        let mut per_cell: Vec<Vec<&Glyph>> = vec![Vec::new(); grid.cells.len()];
        for (gi, g) in page.glyphs.iter().enumerate() {
            let cx = (g.bbox[0] + g.bbox[2]) / 2.0;
            let cy = (g.bbox[1] + g.bbox[3]) / 2.0;
            if cx < grid.bbox[0] || cx > grid.bbox[2] || cy < grid.bbox[1] || cy > grid.bbox[3] {
                continue;
            }
            let col = grid.xs.partition_point(|&x| x <= cx).saturating_sub(1);
            let row = grid.ys.partition_point(|&y| y <= cy).saturating_sub(1);
            if let Some(Some(ci)) = matrix.get(row).and_then(|r| r.get(col)) {
                if let Some(list) = per_cell.get_mut(*ci) {
                    list.push(g);
                    if let Some(u) = used.get_mut(gi) {
                        *u = true;
                    }
                }
            }
        }
        for (cell, glyphs) in grid.cells.iter_mut().zip(per_cell) {
            cell.text = super::join_glyph_lines(&glyphs);
            cell.indent = indent_of(cell.bbox[0], &glyphs);
        }
    }
}

/// How far a cell's text starts right of its left edge, in glyph sizes: the first (topmost)
/// line's left end.
fn indent_of(left: f64, glyphs: &[&Glyph]) -> Option<f64> {
    let top = glyphs
        .iter()
        .filter(|g| g.dir == 0)
        .map(|g| g.bbox[1])
        .fold(f64::MAX, f64::min);
    let first_line: Vec<&&Glyph> = glyphs
        .iter()
        .filter(|g| g.dir == 0 && g.bbox[1] < top + 0.5 * g.size.max(1.0))
        .collect();
    let x0 = first_line
        .iter()
        .map(|g| g.bbox[0])
        .fold(f64::MAX, f64::min);
    let size = first_line.iter().map(|g| g.size).fold(0.0, f64::max);
    (size > 0.5 && x0 < f64::MAX).then(|| ((x0 - left) / size).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::SegmentKind;

    fn seg(x0: f64, y0: f64, x1: f64, y1: f64) -> Segment {
        Segment {
            x0,
            y0,
            x1,
            y1,
            width: 0.5,
            kind: SegmentKind::Stroke,
            seq: 0,
        }
    }

    #[test]
    fn two_by_two_with_merged_header() {
        // Rows at y 100, 120, 140; columns at x 0, 50, 100; the top row is one merged cell.
        let mut segs = vec![
            seg(0.0, 100.0, 100.0, 100.0),
            seg(0.0, 120.0, 60.0, 120.0),
            seg(58.0, 120.2, 100.0, 120.2), // joined and snapped with the piece before
            seg(0.0, 140.0, 100.0, 140.0),
            seg(0.0, 100.0, 0.0, 140.0),
            seg(100.0, 100.0, 100.0, 140.0),
            seg(50.0, 120.0, 50.0, 140.0),
        ];
        segs.push(seg(300.0, 300.0, 300.0, 300.5)); // noise
        let page = Page {
            number: 1,
            width: 595.0,
            height: 842.0,
            rotate: 0,
            glyphs: vec![],
            segments: segs,
            fonts: vec![],
            diagnostics: vec![],
            images: 0,
            clipped: vec![],
            damaged: Vec::new(),
        };
        let (gs, _) = grids(&page);
        assert_eq!(gs.len(), 1);
        let g = &gs[0];
        assert_eq!((g.n_rows(), g.n_cols()), (2, 2));
        assert_eq!(g.cells.len(), 3);
        assert_eq!(
            (g.cells[0].row, g.cells[0].col, g.cells[0].colspan),
            (0, 0, 2)
        );
        assert_eq!(
            (g.cells[2].row, g.cells[2].col, g.cells[2].colspan),
            (1, 1, 1)
        );
        assert_eq!(g.matrix()[0], vec![Some(0), Some(0)]);
    }
}
