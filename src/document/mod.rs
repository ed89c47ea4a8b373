//! The `document` stage: across pages, the document's kind, year and unit; each table's title,
//! label, amount unit and page span, with tables continued over pages joined and their repeated
//! headers dropped. PDF layouts and plain-text input both arrive here as [`Block`]s.

pub mod identity;
pub mod lines;
pub mod text_input;

use std::collections::HashMap;

use crate::layout::PageLayout;
use crate::model::{Diagnostic, DocumentKind};
use lines::LineKind;

/// One slot of a dense table row (one per grid column).
#[derive(Debug, Clone)]
pub struct Slot {
    pub text: String,
    /// Cell identity within its table piece: merged cells share it.
    pub id: usize,
    /// This row / column is where the (possibly merged) cell starts.
    pub first_row: bool,
    pub first_col: bool,
    /// Horizontal extent of the column (PDF input), to realign continued pieces.
    pub x: Option<(f64, f64)>,
    /// How far the text starts right of the cell's left edge, in glyph sizes (PDF input): item
    /// names are indented by level where no code says it.
    pub indent: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct RawRow {
    pub slots: Vec<Slot>,
    pub page: usize,
    pub bbox: Option<[f64; 4]>,
}

impl RawRow {
    /// Texts of the cells starting in this row, joined (for comparing repeated headers).
    pub fn signature(&self) -> String {
        self.signature_cells().collect::<Vec<_>>().join("|")
    }
    /// The row's non-blank cell texts, each once. Blank cells are left out: a piece whose grid has
    /// an empty margin column repeats the same header.
    pub fn signature_cells(&self) -> impl Iterator<Item = &str> {
        self.slots
            .iter()
            .filter(|s| s.first_col && !s.text.trim().is_empty())
            .map(|s| s.text.as_str())
    }
    pub fn is_blank(&self) -> bool {
        self.slots.iter().all(|s| s.text.trim().is_empty())
    }
}

/// A table as it appears on one page (a ruled grid, or a run of tab-separated lines).
#[derive(Debug, Clone)]
pub struct RawTable {
    pub page: usize,
    pub rows: Vec<RawRow>,
    /// Column boundaries (PDF input).
    pub xs: Option<Vec<f64>>,
    /// Merged cells are explicit (ruled PDF grid); plain text needs them inferred.
    pub explicit_merges: bool,
}

#[derive(Debug, Clone)]
pub struct TextLine {
    pub text: String,
    pub page: usize,
    pub bbox: Option<[f64; 4]>,
}

#[derive(Debug, Clone)]
pub enum Block {
    Line(TextLine),
    Table(RawTable),
}

/// A table assembled across pages, before recognition.
#[derive(Debug, Clone, Default)]
pub struct TableDraft {
    pub title: Option<String>,
    pub label: Option<String>,
    pub unit: Option<String>,
    /// The unit named in the table's head (编制单位：…), as printed.
    pub unit_name: Option<String>,
    pub pages: Vec<usize>,
    pub rows: Vec<RawRow>,
    pub explicit_merges: bool,
    pub notes: Vec<String>,
    /// Column boundaries of the first piece (PDF input).
    pub xs: Option<Vec<f64>>,
}

/// Document-level facts and the assembled tables.
#[derive(Debug, Clone)]
pub struct DocumentDraft {
    pub kind: DocumentKind,
    pub fiscal_year: Option<i32>,
    pub unit_name: Option<String>,
    pub title: Option<String>,
    /// Every line outside tables, in order (the narrative stage reads these).
    pub lines: Vec<TextLine>,
    pub tables: Vec<TableDraft>,
    pub diagnostics: Vec<Diagnostic>,
    /// Years printed alone in a grid row (（2026年度） above a form).
    pub stated_years: Vec<i32>,
}

/// Blocks of a PDF: per page, lines and grids interleaved by vertical position.
pub fn blocks_from_layouts(layouts: &[PageLayout]) -> Vec<Block> {
    let mut out = Vec::new();
    for lay in layouts {
        let mut items: Vec<(f64, Block)> = Vec::new();
        for l in &lay.lines {
            items.push((
                l.bbox[1],
                Block::Line(TextLine {
                    text: l.text(),
                    page: lay.page,
                    bbox: Some(l.bbox),
                }),
            ));
        }
        for g in &lay.grids {
            items.push((g.bbox[1], Block::Table(raw_from_grid(g))));
        }
        for t in &lay.aligned {
            let top = t.rows.first().map(|r| r.bbox[1]).unwrap_or(0.0);
            items.push((top, Block::Table(raw_from_aligned(t))));
        }
        items.sort_by(|a, b| a.0.total_cmp(&b.0));
        out.extend(items.into_iter().map(|(_, b)| b));
    }
    out
}

fn raw_from_aligned(t: &crate::layout::aligned::AlignedTable) -> RawTable {
    let mut id = 0usize;
    let rows = t
        .rows
        .iter()
        .map(|r| RawRow {
            slots: r
                .cells
                .iter()
                .enumerate()
                .map(|(k, c)| {
                    id += 1;
                    let band = match (t.xs.get(k), t.xs.get(k + 1)) {
                        (Some(&a), Some(&b)) => Some((a, b)),
                        _ => None,
                    };
                    Slot {
                        text: c.as_ref().map(|c| c.0.clone()).unwrap_or_default(),
                        id,
                        first_row: true,
                        first_col: true,
                        x: c.as_ref().map(|c| (c.1, c.2)).or(band),
                        indent: None,
                    }
                })
                .collect(),
            page: t.page,
            bbox: Some(r.bbox),
        })
        .collect();
    RawTable {
        page: t.page,
        rows,
        xs: Some(t.xs.clone()),
        explicit_merges: false,
    }
}

fn raw_from_grid(g: &crate::layout::Grid) -> RawTable {
    let m = g.matrix();
    let mut rows = Vec::new();
    for (r, row) in m.iter().enumerate() {
        let mut slots = Vec::with_capacity(row.len());
        for (k, slot) in row.iter().enumerate() {
            let x = match (g.xs.get(k), g.xs.get(k + 1)) {
                (Some(&a), Some(&b)) => Some((a, b)),
                _ => None,
            };
            match slot.and_then(|i| g.cells.get(i).map(|c| (i, c))) {
                Some((i, c)) => slots.push(Slot {
                    text: c.text.clone(),
                    id: i,
                    first_row: c.row == r,
                    first_col: c.col == k,
                    // The cell's whole extent: a merged cell is realigned by all of it.
                    x: Some((c.bbox[0], c.bbox[2])),
                    indent: c.indent,
                }),
                None => slots.push(Slot {
                    text: String::new(),
                    id: usize::MAX - k,
                    first_row: true,
                    first_col: true,
                    x,
                    indent: None,
                }),
            }
        }
        let top = g.ys.get(r).copied().unwrap_or(g.bbox[1]);
        let bottom = g.ys.get(r + 1).copied().unwrap_or(g.bbox[3]);
        rows.push(RawRow {
            slots,
            page: g.page,
            bbox: Some([g.bbox[0], top, g.bbox[2], bottom]),
        });
    }
    RawTable {
        page: g.page,
        rows,
        xs: Some(g.xs.clone()),
        explicit_merges: true,
    }
}

/// Assemble tables and document facts from blocks.
pub fn assemble(blocks: Vec<Block>) -> DocumentDraft {
    let mut doc = DocumentDraft {
        kind: DocumentKind::Unknown,
        fiscal_year: None,
        unit_name: None,
        title: None,
        lines: Vec::new(),
        tables: Vec::new(),
        diagnostics: Vec::new(),
        stated_years: Vec::new(),
    };
    // Context gathered since the last table piece.
    let mut title: Option<(String, usize)> = None;
    let mut label: Option<String> = None;
    let mut unit: Option<String> = None;
    // The unit named since the last table piece: the head of the next table.
    let mut head_unit_name: Option<String> = None;
    let mut doc_unit: Option<String> = None;
    let mut narrative_since_table = 0usize;
    let mut unit_names: HashMap<String, usize> = HashMap::new();
    let mut first_unit_name: Vec<String> = Vec::new();
    // Unit names labelled in grid cells (部门名称 | …): used where no line names the unit.
    let mut labelled_in_grids: HashMap<String, usize> = HashMap::new();

    let mut prev_line: Option<(String, usize)> = None;
    let mut handle_line = |text: &str,
                           page: usize,
                           title: &mut Option<(String, usize)>,
                           label: &mut Option<String>,
                           unit: &mut Option<String>,
                           head_unit_name: &mut Option<String>,
                           narrative: &mut usize,
                           tables: &mut Vec<TableDraft>,
                           prev_line: &mut Option<(String, usize)>| {
        let mut facts = lines::classify(text);
        // A title wrapped onto a second line: "…“三公”经费、会议费、培训费支出预" + "算表".
        if let Some((prev, prev_page)) = prev_line.take() {
            if prev_page == page {
                let joined = format!("{prev} {text}");
                let j = lines::classify(&joined);
                // A cover line ("某某局2024年度部门预算") above a complete title is no first half.
                let cover_above_title =
                    matches!(facts.kind, LineKind::Title(_)) && lines::is_cover_title(&prev);
                if matches!(j.kind, LineKind::Title(_))
                    && !cover_above_title
                    && (!matches!(facts.kind, LineKind::Title(_))
                        || lines::could_continue_title(&prev))
                {
                    facts = j;
                }
            }
        }
        if !matches!(facts.kind, LineKind::Title(_)) && lines::could_continue_title(text) {
            *prev_line = Some((text.to_string(), page));
        }
        if let Some(u) = &facts.unit {
            *unit = Some(u.clone());
        }
        if let Some(n) = &facts.unit_name {
            *head_unit_name = Some(n.clone());
            *unit_names.entry(n.clone()).or_insert(0) += 1;
            if first_unit_name.is_empty() {
                first_unit_name.push(n.clone());
            }
        }
        if let Some(l) = &facts.label {
            *label = Some(l.clone());
        }
        match facts.kind {
            LineKind::Title(t) => *title = Some((t, page)),
            LineKind::Note(n) => {
                match title.take() {
                    None => {
                        if let Some(t) = tables.last_mut() {
                            t.notes.push(n);
                        }
                    }
                    // A title and its 本表无数据 note with no grid between (an empty table printed
                    // without rulings): the table exists, empty.
                    Some((t, p)) => tables.push(TableDraft {
                        title: Some(t),
                        label: label.take(),
                        unit: unit.clone(),
                        unit_name: head_unit_name.take(),
                        pages: vec![p],
                        notes: vec![n],
                        ..Default::default()
                    }),
                }
            }
            LineKind::Narrative => {
                *narrative += 1;
                // A title is printed right above its table: prose in between means it was a
                // heading or a table-of-contents entry.
                *title = None;
            }
            LineKind::Meta | LineKind::Other => {}
        }
    };

    for block in split_at_meta_rows(blocks) {
        match block {
            Block::Line(l) => {
                handle_line(
                    &l.text,
                    l.page,
                    &mut title,
                    &mut label,
                    &mut unit,
                    &mut head_unit_name,
                    &mut narrative_since_table,
                    &mut doc.tables,
                    &mut prev_line,
                );
                doc.lines.push(l);
            }
            Block::Table(t) => {
                // Notes drawn inside a grid arrive as lines (split_at_meta_rows); a piece left
                // with only blank rows carries nothing.
                if t.rows.iter().all(RawRow::is_blank) {
                    continue;
                }
                for r in &t.rows {
                    let cells: Vec<&str> = r
                        .slots
                        .iter()
                        .filter(|s| s.first_col && s.first_row)
                        .map(|s| s.text.as_str())
                        .collect();
                    let (name, year) = lines::row_facts(&cells);
                    if let Some(n) = name {
                        *labelled_in_grids.entry(n).or_insert(0) += 1;
                    }
                    doc.stated_years.extend(year);
                }
                if unit.is_some() {
                    doc_unit = unit.clone();
                }
                prev_line = None;
                // The same title again on the next page: the table continues (续表).
                let same_title_again = match (&title, doc.tables.last()) {
                    (Some((t_text, _)), Some(last)) => {
                        let base = t_text
                            .trim_end_matches("(续)")
                            .trim_end_matches("（续）")
                            .trim_end_matches("续表");
                        // Performance-target forms repeat one title per project: no continuation,
                        // unless the page repeats the table's first rows (the column header of a
                        // list of projects, one row each).
                        last.title.as_deref() == Some(base)
                            && (!base.contains("绩效") || repeats_head(&last.rows, &t.rows))
                            && last.pages.last().is_some_and(|&p| p + 1 == t.page)
                    }
                    _ => false,
                };
                if same_title_again {
                    title = None;
                }
                let continues =
                    title.is_none() && narrative_since_table <= 2 && !doc.tables.is_empty();
                if !continues && title.is_none() && !t.rows.iter().any(row_has_number) {
                    // A box drawn around text (a table of contents, a signature block): its rows
                    // are lines, not a table.
                    for r in &t.rows {
                        let text = row_text(r);
                        if !text.is_empty() {
                            doc.lines.push(TextLine {
                                text,
                                page: r.page,
                                bbox: r.bbox,
                            });
                        }
                    }
                    continue;
                }
                if continues {
                    if let Some(last) = doc.tables.last_mut() {
                        append_piece(last, t);
                    }
                } else {
                    let (tt, _) = title.take().unzip();
                    if tt.is_none() {
                        doc.diagnostics.push(Diagnostic::warning(
                            "table without a recognizable title",
                            Some(t.page),
                        ));
                    }
                    let mut draft = TableDraft {
                        title: tt,
                        label: label.take(),
                        unit: unit.clone().or_else(|| doc_unit.clone()),
                        unit_name: head_unit_name.take(),
                        pages: vec![t.page],
                        rows: Vec::new(),
                        explicit_merges: t.explicit_merges,
                        notes: Vec::new(),
                        xs: t.xs.clone(),
                    };
                    draft.rows = t.rows;
                    doc.tables.push(draft);
                }
                unit = None;
                label = None;
                head_unit_name = None;
                narrative_since_table = 0;
            }
        }
    }
    lines::document_facts(&mut doc, &unit_names, first_unit_name.first().cloned());
    if doc.unit_name.is_none() {
        doc.unit_name = labelled_in_grids
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(n, _)| n);
    }
    doc
}

/// Text of a row's cells, in order, separated by spaces.
fn row_text(r: &RawRow) -> String {
    r.slots
        .iter()
        .filter(|s| s.first_col && s.first_row && !s.text.trim().is_empty())
        .map(|s| s.text.trim())
        .collect::<Vec<_>>()
        .join(" ")
}

fn row_has_number(r: &RawRow) -> bool {
    r.slots.iter().any(|s| {
        matches!(
            crate::tables::amount::parse(&s.text),
            crate::tables::amount::Parsed::Number { .. }
        )
    })
}

/// Grids often draw the title, the unit line and notes as rows of the same ruled grid, and one grid
/// may hold the end of one table and the start of the next: split every table block at such rows,
/// which become lines.
fn split_at_meta_rows(blocks: Vec<Block>) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    for b in blocks {
        match b {
            Block::Table(t) => {
                let RawTable {
                    page,
                    rows,
                    xs,
                    explicit_merges,
                } = t;
                let mut piece: Vec<RawRow> = Vec::new();
                // Cells of rows taken out as lines may reach down into the next rows (a title
                // cell merged over the header's margin): blank them there.
                let mut taken: std::collections::HashSet<usize> = std::collections::HashSet::new();
                let flush = |piece: &mut Vec<RawRow>, out: &mut Vec<Block>| {
                    if !piece.is_empty() {
                        let page = piece.first().map(|r| r.page).unwrap_or(page);
                        out.push(Block::Table(RawTable {
                            page,
                            rows: std::mem::take(piece),
                            xs: xs.clone(),
                            explicit_merges,
                        }));
                    }
                };
                for mut r in rows {
                    for slot in r.slots.iter_mut() {
                        if !slot.first_row && taken.contains(&slot.id) {
                            slot.text.clear();
                            slot.first_row = true;
                            slot.id += usize::MAX / 2;
                        }
                    }
                    let text = row_text(&r);
                    let meta = !text.is_empty()
                        && (lines::is_meta_row(&text)
                            || matches!(lines::classify(&text).kind, lines::LineKind::Note(_)));
                    if meta {
                        taken.extend(r.slots.iter().map(|s| s.id));
                        flush(&mut piece, &mut out);
                        out.push(Block::Line(TextLine {
                            text,
                            page: r.page,
                            bbox: r.bbox,
                        }));
                    } else {
                        piece.push(r);
                    }
                }
                flush(&mut piece, &mut out);
            }
            line => out.push(line),
        }
    }
    out
}

/// Does a piece repeat the table's column header of a list of projects (项目名称 … 绩效目标 …
/// 绩效指标) in its first rows? A form names one project per page, and its 绩效指标 heads a block
/// of rows, never a column beside 项目名称.
fn repeats_head(table: &[RawRow], piece: &[RawRow]) -> bool {
    fn list_header(rows: &[RawRow]) -> Option<&RawRow> {
        rows.iter().take(3).find(|r| {
            let cells: Vec<&str> = r.signature_cells().collect();
            cells.iter().any(|c| c.starts_with("项目名称"))
                && cells.contains(&"绩效目标")
                && cells.contains(&"绩效指标")
        })
    }
    match (list_header(table), list_header(piece)) {
        (Some(a), Some(b)) => a.signature() == b.signature(),
        _ => false,
    }
}

/// Append a continuation piece: realign its columns to the table's, drop repeated header rows.
fn append_piece(draft: &mut TableDraft, mut piece: RawTable) {
    if !draft.pages.contains(&piece.page) {
        draft.pages.push(piece.page);
    }
    // Repeated header: leading rows identical to the table's leading rows.
    let mut drop = 0;
    while drop < piece.rows.len() && drop < draft.rows.len() && drop < 8 {
        let (Some(a), Some(b)) = (piece.rows.get(drop), draft.rows.get(drop)) else {
            break;
        };
        if a.signature() == b.signature() && !a.is_blank() {
            drop += 1;
        } else {
            break;
        }
    }
    piece.rows.drain(..drop);
    let width = draft.rows.first().map(|r| r.slots.len()).unwrap_or(0);
    // Forms (绩效目标表) change their column structure from block to block and are read by their
    // labels: keep each piece's own cells.
    let is_form = draft
        .title
        .as_deref()
        .map(crate::tables::keywords::table_kind)
        == Some(crate::model::TableKind::PerformanceTargets);
    for mut row in piece.rows {
        if row.slots.len() != width && width > 0 && !is_form {
            row = realign(row, draft.xs.as_deref(), width);
        }
        draft.rows.push(row);
    }
}

/// Map a row with a different column count onto `width` columns by horizontal overlap (PDF), or by
/// padding / truncating from the right (text).
fn realign(row: RawRow, xs: Option<&[f64]>, width: usize) -> RawRow {
    let mut slots: Vec<Slot> = (0..width)
        .map(|k| Slot {
            text: String::new(),
            id: usize::MAX - 1000 - k,
            first_row: true,
            first_col: true,
            x: xs.and_then(|v| Some((*v.get(k)?, *v.get(k + 1)?))),
            indent: None,
        })
        .collect();
    for (i, s) in row.slots.into_iter().enumerate() {
        if !s.first_col {
            continue;
        }
        let continued = !s.first_row;
        let target = match (xs, s.x) {
            (Some(xs), Some((a, b))) => {
                let left: Option<usize> = None;
                let mut best = left;
                let mut best_overlap = 0.0;
                for k in 0..width {
                    if let (Some(&c0), Some(&c1)) = (xs.get(k), xs.get(k + 1)) {
                        let overlap = b.min(c1) - a.max(c0);
                        if left.is_none() && overlap > best_overlap {
                            best_overlap = overlap;
                            best = Some(k);
                        }
                    }
                }
                best
            }
            _ => Some(i.min(width.saturating_sub(1))),
        };
        if let Some(slot) = target.and_then(|k| slots.get_mut(k)) {
            if continued {
                // A cell reaching down from the row above stays a continuation.
                if slot.text.is_empty() {
                    slot.text = s.text;
                    slot.id = s.id;
                    slot.first_row = false;
                }
            } else if slot.text.is_empty() || !slot.first_row {
                slot.text = s.text;
                slot.id = s.id;
                slot.first_row = true;
                // Keep the cell's own extent: the tables stage places it by overlap.
                slot.x = s.x;
            } else if !s.text.is_empty() {
                slot.text.push_str(&s.text);
            }
        }
    }
    RawRow {
        slots,
        page: row.page,
        bbox: row.bbox,
    }
}
