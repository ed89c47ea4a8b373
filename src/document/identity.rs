//! Which part of a disclosure a file is, and identities that link files and units: one
//! disclosure published in several files (情况说明 + 报表, a 绩效目标表 file of its own) shares a
//! `disclosure_id`; one unit spelled several ways (中国共产党…委员会宣传部 / 中共…委宣传部) shares
//! a `unit_id`, its scope (本级) kept apart.

use sha2::{Digest, Sha256};

use crate::model::{DocumentKind, Table, TableKind};
use crate::pdf::normalize::squash;

/// The tables that make a disclosure's figures (not forms, not tables of no known kind).
fn is_core(t: &Table) -> bool {
    t.kind.holds_budget_figures() && t.kind != TableKind::ProjectExpenditure
}

/// `whole` (narrative and tables), `tables` (报表 only), `notes` (情况说明 only) or
/// `performance_targets` (a file of 绩效目标表 only), from what the file holds: its tables and
/// its pages of prose (sentences on a page without a table).
pub fn part(tables: &[Table], prose_pages: usize) -> &'static str {
    let core = tables.iter().filter(|t| is_core(t)).count();
    let forms = tables
        .iter()
        .filter(|t| t.kind == TableKind::PerformanceTargets)
        .count();
    match (core, forms) {
        (0, f) if f > 0 && prose_pages == 0 => "performance_targets",
        (0, _) => "notes",
        (_, _) if prose_pages == 0 => "tables",
        _ => "whole",
    }
}

/// A unit's name in one spelling: 中国共产党 → 中共, 委员会 kept, the scope (本级) and brackets
/// removed. Returns (normalized name, scope).
pub fn normalize_unit(name: &str) -> (String, Option<String>) {
    let mut n = squash(name).replace('（', "(").replace('）', ")");
    let mut scope = None;
    for s in ["(本级)", "本级", "(汇总)"] {
        if n.ends_with(s) {
            n.truncate(n.len() - s.len());
            scope = Some(s.trim_matches(['(', ')']).to_string());
            break;
        }
    }
    if let Some(rest) = n.strip_prefix("中国共产党") {
        n = format!("中共{rest}");
    }
    // 中共某市委员会宣传部 and 中共某市委宣传部 are one unit.
    n = n
        .replace("市委员会", "市委")
        .replace("省委员会", "省委")
        .replace("区委员会", "区委");
    (n, scope)
}

fn short_hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    format!("{:x}", h.finalize()).chars().take(16).collect()
}

/// `unit_id` of a normalized unit name.
pub fn unit_id(normalized: &str) -> String {
    short_hash(&["unit", normalized])
}

/// `disclosure_id`: one per unit, scope, year and budget / final account, whatever file carries
/// it (a department's budget and its 本级 budget are two disclosures).
pub fn disclosure_id(
    normalized: &str,
    scope: Option<&str>,
    year: Option<i32>,
    kind: DocumentKind,
) -> Option<String> {
    let family = match kind {
        DocumentKind::DepartmentBudget | DocumentKind::UnitBudget => "budget",
        DocumentKind::DepartmentFinalAccount | DocumentKind::UnitFinalAccount => "final",
        DocumentKind::Unknown => return None,
    };
    let year = year?.to_string();
    Some(match scope {
        None => short_hash(&["disclosure", normalized, &year, family]),
        Some(scope) => short_hash(&["disclosure", normalized, scope, &year, family]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_unit_share_an_id() {
        let (a, sa) = normalize_unit("中国共产党广州市委员会宣传部");
        let (b, sb) = normalize_unit("中共广州市委宣传部");
        assert_eq!(a, "中共广州市委宣传部");
        assert_eq!(a, b);
        assert_eq!((sa, sb), (None, None));
        let (c, sc) = normalize_unit("深圳市财政局（本级）");
        assert_eq!((c.as_str(), sc.as_deref()), ("深圳市财政局", Some("本级")));
        assert_eq!(unit_id(&a), unit_id(&b));
        assert_ne!(unit_id(&a), unit_id(&c));
        assert_eq!(
            disclosure_id(&c, None, Some(2026), DocumentKind::DepartmentBudget),
            disclosure_id(&c, None, Some(2026), DocumentKind::UnitBudget)
        );
        assert_ne!(
            disclosure_id(&c, None, Some(2026), DocumentKind::DepartmentBudget),
            disclosure_id(&c, sc.as_deref(), Some(2026), DocumentKind::UnitBudget)
        );
        assert_eq!(
            disclosure_id(&c, None, None, DocumentKind::DepartmentBudget),
            None
        );
    }
}
