//! Recognized tables as text, for the `tables` debug command.

use std::fmt::Write;

use crate::model::Disclosure;

/// Every table (or those starting on `page`) with its kind, columns and rows.
pub fn tables_text(d: &Disclosure, page: Option<usize>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:?} year={:?} unit={:?} title={:?}",
        d.document.kind, d.document.fiscal_year, d.document.unit_name, d.document.title
    );
    for (i, t) in d.tables.iter().enumerate() {
        if page.is_some_and(|p| t.pages.first() != Some(&p)) {
            continue;
        }
        let _ = writeln!(
            out,
            "\n#{i} {} {:?} label={:?} pages={:?} unit={:?} empty={}{}",
            t.kind.as_str(),
            t.title.as_deref().unwrap_or(""),
            t.label,
            t.pages,
            t.amount_unit,
            t.empty,
            t.note
                .as_deref()
                .map(|n| format!(" note={n:?}"))
                .unwrap_or_default()
        );
        let _ = writeln!(
            out,
            "    columns: {}",
            t.columns
                .iter()
                .zip(&t.column_headers)
                .map(|(k, h)| format!("{k}={h}"))
                .collect::<Vec<_>>()
                .join("  ")
        );
        for (j, r) in t.rows.iter().enumerate() {
            let vals: Vec<String> = t
                .columns
                .iter()
                .filter(|c| r.values.contains_key(*c))
                .map(|c| match r.values.get(c).copied().flatten() {
                    Some(a) => format!("{c}={a}"),
                    None => format!("{c}=·"),
                })
                .collect();
            let side = r.side.map(|s| format!("{s:?}/")).unwrap_or_default();
            let _ = writeln!(
                out,
                "  {j:>3} p{} {side}{:?} {:<9} {}  {}",
                r.page,
                r.role,
                r.code.as_deref().unwrap_or("-"),
                r.name,
                vals.join(" ")
            );
        }
    }
    for diag in &d.diagnostics {
        let _ = writeln!(
            out,
            "! {} {}{}",
            diag.level,
            diag.message,
            diag.page
                .map(|p| format!(" (page {p})"))
                .unwrap_or_default()
        );
    }
    out
}
