//! Recognized tables as text, for the `tables` debug command.

use std::fmt::Write;

use crate::model::{Amount, Disclosure, PerformanceTarget};

/// Every table (or those starting on a page of `only`) with its kind, columns and rows.
pub fn tables_text(d: &Disclosure, only: Option<std::ops::RangeInclusive<usize>>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} year={} unit={} title={}",
        d.document.kind.as_str(),
        d.document
            .fiscal_year
            .map_or_else(|| "-".to_string(), |y| y.to_string()),
        or_dash(&d.document.unit_name),
        or_dash(&d.document.title)
    );
    for (i, t) in d.tables.iter().enumerate() {
        if only
            .as_ref()
            .is_some_and(|r| !t.pages.first().is_some_and(|p| r.contains(p)))
        {
            continue;
        }
        let _ = writeln!(
            out,
            "\n#{i} {} {} label={} pages={} unit={} empty={}{}",
            t.kind.as_str(),
            t.title.as_deref().unwrap_or(""),
            or_dash(&t.label),
            pages(&t.pages),
            or_dash(&t.amount_unit),
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
            // Structure: level, parent row, indentation of the name (glyph sizes).
            let level = r
                .level
                .map(|l| format!("L{l}"))
                .unwrap_or_else(|| "L-".into());
            let parent = r
                .parent
                .map(|p| format!("^{p}"))
                .unwrap_or_else(|| "^-".into());
            let indent = r.indent.map(|x| format!(" ⇥{x:.1}")).unwrap_or_default();
            let _ = writeln!(
                out,
                "  {j:>3} p{} {side}{} {level} {parent}{indent} {:<9} {}  {}",
                r.page,
                r.role.as_str(),
                r.code.as_deref().unwrap_or("-"),
                r.name,
                vals.join(" ")
            );
        }
        for (f, p) in t.targets.iter().enumerate() {
            out.push_str(&target_text(f, p));
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

/// An optional printed value, `-` when absent.
fn or_dash(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("-")
}

/// Pages as `7`, `7-9` (a run) or `7,9`.
fn pages(p: &[usize]) -> String {
    let run = p.windows(2).all(|w| w[1] == w[0] + 1);
    match (p.first(), p.last()) {
        (None, _) | (_, None) => "-".to_string(),
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) if run => format!("{a}-{b}"),
        _ => p
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(","),
    }
}

/// One performance-target form: its fields, funds and indicator rows.
fn target_text(index: usize, p: &PerformanceTarget) -> String {
    let mut out = String::new();
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "·".into());
    let money = |a: Option<Amount>| a.map(|a| a.to_string()).unwrap_or_else(|| "·".into());
    let short = |v: &Option<String>| {
        let s = opt(v);
        let cut: String = s.chars().take(40).collect();
        if cut.len() < s.len() {
            format!("{cut}…")
        } else {
            cut
        }
    };
    let _ = writeln!(
        out,
        "  form {index} p{}: {} | 主管部门 {} | 实施单位 {} | {} | 项目期 {}",
        pages(&p.pages),
        opt(&p.project_name),
        opt(&p.department),
        opt(&p.implementing_unit),
        opt(&p.project_attribute),
        opt(&p.project_period)
    );
    for (label, f) in [("实施期", &p.funds_period), ("年度", &p.funds_annual)] {
        let _ = writeln!(
            out,
            "    funds {label} ({}): total={} central={} provincial={} local={} self_raised={} other={}",
            opt(&p.funds_unit),
            money(f.total),
            money(f.central),
            money(f.provincial),
            money(f.local),
            money(f.self_raised),
            money(f.other)
        );
    }
    for (label, v) in [
        ("项目概况", &p.overview),
        ("立项依据", &p.basis),
        ("必要性", &p.necessity),
        ("制度措施", &p.measures),
        ("实施计划", &p.plan),
        ("实施期目标", &p.goal_period),
        ("年度目标", &p.goal_annual),
    ] {
        let _ = writeln!(out, "    {label}: {}", short(v));
    }
    for i in &p.indicators {
        let _ = writeln!(
            out,
            "    p{} {:<6} {} / {} / {} = {}",
            i.page,
            i.target,
            opt(&i.level1),
            opt(&i.level2),
            opt(&i.level3),
            opt(&i.value)
        );
    }
    out
}
