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

/// Whether two printed names can be one unit: after [`normalize_unit`], one holds the other
/// (中共江苏省委办公厅 / 江苏省委办公厅, a name cut at a line end), or the shorter is the longer
/// with words left out, no administrative level among them, and the two end alike (省人大办公厅 /
/// 江苏省人民代表大会常务委员会办公厅). Doubtful pairs count as one unit: a different unit must differ
/// plainly.
pub fn same_unit(a: &str, b: &str) -> bool {
    let (a, _) = normalize_unit(a);
    let (b, _) = normalize_unit(b);
    let strip = |s: &str| -> String {
        let mut out = String::new();
        let mut depth = 0usize;
        for c in s.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                _ if depth == 0 => out.push(c),
                _ => {}
            }
        }
        out
    };
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (a, b)
    } else {
        (b, a)
    };
    if short.is_empty() || long.contains(&short) || long.contains(&strip(&short)) {
        return true;
    }
    // A bracketed second name (上海市财务会计综合管理事务中心(上海市财政科学研究所)).
    if long.contains('(')
        && long
            .split(['(', ')'])
            .any(|p| !p.is_empty() && p.contains(&short))
    {
        return true;
    }
    let (short, long) = (strip(&short), strip(&long));
    // The shorter name read into the longer, left to right: words may be left out (常委会, 人民政府)
    // and the higher levels before it (江苏, 上海市), but not a level after its start (上海市规划和
    // 自然资源局 is not 上海市普陀区规划和自然资源局).
    let long: Vec<char> = long.chars().collect();
    let mut at = 0usize;
    let mut started = false;
    for c in short.chars() {
        let Some(i) = long.get(at..).and_then(|r| r.iter().position(|&l| l == c)) else {
            return false;
        };
        if started
            && long[at..at + i]
                .iter()
                .any(|l| "省市区县州旗镇乡".contains(*l))
        {
            return false;
        }
        started = true;
        at += i + 1;
    }
    let common_end = short
        .chars()
        .rev()
        .zip(long.iter().rev())
        .take_while(|(x, y)| x == *y)
        .count();
    common_end >= 2
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
    #[test]
    fn same_unit_across_spellings_and_not_across_units() {
        use super::same_unit;
        assert!(same_unit(
            "中国共产党江苏省委员会办公厅",
            "中共江苏省委办公厅"
        ));
        assert!(same_unit("江苏省委办公厅", "中共江苏省委办公厅"));
        assert!(same_unit("中国共产党江苏省委员会办", "中共江苏省委办公厅"));
        assert!(same_unit(
            "江苏省人大常委会办公厅",
            "江苏省人民代表大会常务委员会办公厅"
        ));
        assert!(same_unit(
            "普陀区万里街道办事处",
            "上海市普陀区人民政府万里街道办事处"
        ));
        assert!(same_unit("深圳市财政局(本级)", "深圳市财政局"));
        assert!(same_unit(
            "上海市财政科学研究所",
            "上海市财务会计综合管理事务中心(上海市财政科学研究所)"
        ));
        assert!(!same_unit("上海市普陀区教育局", "上海市普陀区商务委员会"));
        assert!(!same_unit("上海市教育局", "上海市普陀区教育局"));
        assert!(!same_unit("苏州市数据局", "无锡市数据局"));
        assert!(same_unit("省人大办公厅", "江苏省人大常委会办公厅"));
        assert!(!same_unit(
            "上海市规划和自然资源局",
            "上海市普陀区规划和自然资源局"
        ));
    }

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
