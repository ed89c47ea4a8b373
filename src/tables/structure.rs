//! Row structure: each row's `level` and `parent`, so that a user can sum a table without double
//! counting. Classification codes give the levels (类 1 / 款 2 / 项 3); where a table prints no
//! codes, the names' indentation or their numbering (一、 / （一） / 1.) does. A parent is the
//! nearest row above at a lower level within the same block (a unit's rows, a side of a summary);
//! a total line printed after its items adopts them. Rows that have children are subtotals, so
//! the `detail` rows of one column of one group add up to the group's total.

use crate::model::{Row, RowRole};
use crate::pdf::normalize::squash;

/// Fill `level` and `parent` of every row, and mark rows with children as subtotals. Returns the
/// choices made between readings (for diagnostics).
pub(super) fn assign(rows: &mut [Row]) -> Vec<String> {
    let mut notes = Vec::new();
    let mut start = 0;
    while start < rows.len() {
        let key = |r: &Row| (r.group_index, r.side);
        let k = key(&rows[start]);
        let end = (start..rows.len())
            .find(|&i| key(&rows[i]) != k)
            .unwrap_or(rows.len());
        if let Some(n) = assign_group(rows, start, end) {
            notes.push(n);
        }
        start = end;
    }
    adopt_across_blocks(rows);
    let mut has_child = vec![false; rows.len()];
    for r in rows.iter() {
        if let Some(p) = r.parent {
            if r.role != RowRole::Breakdown {
                if let Some(h) = has_child.get_mut(p) {
                    *h = true;
                }
            }
        }
    }
    for (r, h) in rows.iter_mut().zip(has_child) {
        if h && r.role == RowRole::Detail {
            r.role = RowRole::Subtotal;
        }
    }
    notes
}

/// Side-by-side blocks of the same columns (决算 基本支出表: 人员经费 | 公用经费 | 公用经费) where
/// one total spans the last two: a block without a total of its own has its top rows counted in
/// the total of the block before it with the same columns.
fn adopt_across_blocks(rows: &mut [Row]) {
    let keys = |r: &Row| r.values.keys().cloned().collect::<Vec<String>>();
    let mut groups: Vec<usize> = rows.iter().map(|r| r.group_index).collect();
    groups.dedup();
    for w in groups.windows(2) {
        let [a, b] = [w[0], w[1]];
        let has_total = |g: usize| {
            rows.iter()
                .any(|r| r.group_index == g && r.role == RowRole::Total && r.side.is_none())
        };
        if has_total(b) {
            continue;
        }
        let Some(t) = rows
            .iter()
            .position(|r| r.group_index == a && r.role == RowRole::Total && r.side.is_none())
        else {
            continue;
        };
        let Some(first_b) = rows.iter().find(|r| r.group_index == b) else {
            continue;
        };
        if keys(first_b) != keys(&rows[t]) {
            continue;
        }
        for r in rows.iter_mut().filter(|r| r.group_index == b) {
            if r.parent.is_none() && r.level == Some(1) {
                r.parent = Some(t);
            }
        }
    }
}

/// A unit's own line in a table listing several units (its name in the 预算单位 column).
fn is_unit_line(r: &Row) -> bool {
    r.code.is_none() && r.unit.as_deref() == Some(r.name.as_str())
}

/// Level of a classification code: 3 digits → 1, 5 → 2, 7 → 3, 9 → 4.
fn code_level(code: &str) -> Option<u8> {
    match code.len() {
        3 | 5 | 7 | 9 => Some(((code.len() - 1) / 2) as u8),
        _ => None,
    }
}

/// Depth from a name's numbering: 一、 1, （一） 2, 1. / 1、 3, （1） 4.
fn numbering_level(name: &str) -> Option<u8> {
    let n = squash(name);
    let mut c = n.chars();
    let first = c.next()?;
    let second = c.next();
    let cjk_digit = |ch: char| "一二三四五六七八九十".contains(ch);
    if cjk_digit(first) && matches!(second, Some('、' | '.' | '．')) {
        return Some(1);
    }
    if cjk_digit(first) && second.is_some_and(cjk_digit) {
        let rest: String = n.chars().skip_while(|ch| cjk_digit(*ch)).collect();
        if rest.starts_with('、') {
            return Some(1);
        }
    }
    if matches!(first, '(' | '（') {
        return match second {
            Some(ch) if cjk_digit(ch) => Some(2),
            Some(ch) if ch.is_ascii_digit() => Some(4),
            _ => None,
        };
    }
    if first.is_ascii_digit() {
        let rest: String = n.chars().skip_while(|ch| ch.is_ascii_digit()).collect();
        if rest.starts_with(['.', '、', '．']) && !rest.starts_with("..") {
            return Some(3);
        }
    }
    None
}

/// Levels from indentation: the distinct indents of the group's item rows, in order, clustered
/// within a third of a glyph.
fn indent_levels(rows: &[Row]) -> Vec<Option<u8>> {
    let mut stops: Vec<f64> = rows
        .iter()
        .filter(|r| r.role != RowRole::Total)
        .filter_map(|r| r.indent)
        .collect();
    stops.sort_by(f64::total_cmp);
    let mut clusters: Vec<f64> = Vec::new();
    for x in stops {
        match clusters.last() {
            Some(&c) if x - c < 0.35 => {}
            _ => clusters.push(x),
        }
    }
    // One indent for all rows says nothing about levels.
    if clusters.len() < 2 || clusters.len() > 6 {
        return vec![None; rows.len()];
    }
    rows.iter()
        .map(|r| {
            let x = r.indent?;
            let rank = clusters.iter().rposition(|&c| x >= c - 0.35)?;
            Some(rank as u8 + 1)
        })
        .collect()
}

fn assign_group(rows: &mut [Row], start: usize, end: usize) -> Option<String> {
    let group = rows.get(start..end)?;
    let coded = group.iter().any(|r| r.code.is_some());
    let mut by_indent = if coded {
        vec![None; group.len()]
    } else {
        indent_levels(group)
    };
    // Where items are numbered (一、 / （一） / 1.), the numbering gives their levels, and a
    // name indented under a numbered item is one level below it; indentation alone is not
    // compared across the two (a 上年结转 line or a total may be printed further left).
    let numbered = group
        .iter()
        .filter(|r| numbering_level(&r.name).is_some())
        .count();
    if numbered >= 2 {
        // The styles in use, in their order (一、 > （一） > 1. > （1）), give the depths: 1、 right
        // under 一、 is level 2 where no （一） is printed.
        let mut styles: Vec<u8> = group
            .iter()
            .filter_map(|r| numbering_level(&r.name))
            .collect();
        styles.sort_unstable();
        styles.dedup();
        let depth = |n: u8| styles.iter().position(|&s| s == n).map(|p| p as u8 + 1);
        // Indent clusters, and the depth the numbered rows give each.
        let mut xs: Vec<f64> = group.iter().filter_map(|r| r.indent).collect();
        xs.sort_by(f64::total_cmp);
        let mut clusters: Vec<f64> = Vec::new();
        for x in xs {
            if clusters.last().is_none_or(|&c| x - c >= 0.35) {
                clusters.push(x);
            }
        }
        let cluster_of = |x: f64| clusters.iter().rposition(|&c| x >= c - 0.35);
        let mut depth_at: Vec<Option<u8>> = vec![None; clusters.len()];
        for r in group {
            if let (Some(n), Some(c)) = (
                numbering_level(&r.name).and_then(depth),
                r.indent.and_then(cluster_of),
            ) {
                if let Some(d) = depth_at.get_mut(c) {
                    *d = Some(d.map_or(n, |d| d.min(n)));
                }
            }
        }
        let mut last: Option<(u8, usize)> = None;
        for (r, l) in group.iter().zip(by_indent.iter_mut()) {
            let c = r.indent.and_then(cluster_of);
            if let Some(n) = numbering_level(&r.name).and_then(depth) {
                last = c.map(|c| (n, c));
                *l = Some(n);
            } else {
                // At the indent of numbered rows: their depth; deeper than the numbered row
                // above: one level per indent step below it.
                *l = match (c, last) {
                    (Some(c), _) if depth_at.get(c).copied().flatten().is_some() => {
                        depth_at.get(c).copied().flatten()
                    }
                    (Some(c), Some((n, lc))) if c > lc => Some(n + (c - lc) as u8),
                    _ => None,
                };
            }
        }
    }
    let (levels, parents) = tree(group, &by_indent);
    // Indentation is a reading, not a given: keep the tree it gives only where the figures bear it
    // out (most parents equal the sum of their parts); else levels come from numbering alone.
    let rejected = by_indent.iter().any(Option::is_some) && !borne_out(group, &parents);
    let (levels, parents) = if rejected {
        tree(group, &vec![None; group.len()])
    } else {
        (levels, parents)
    };
    for (i, r) in rows.iter_mut().skip(start).take(end - start).enumerate() {
        r.level = levels.get(i).copied().flatten();
        r.parent = parents.get(i).copied().flatten().map(|p| p + start);
    }
    rejected.then(|| {
        "the names' indentation does not match the table's sums: levels come from codes and numbering only".to_string()
    })
}

/// Do most parents of this tree equal the sum of their parts in the first
/// amount column both print, within the rounding of their printed digits?
fn borne_out(group: &[Row], parents: &[Option<usize>]) -> bool {
    let (mut ok, mut bad) = (0usize, 0usize);
    for (p, parent) in group.iter().enumerate() {
        let kids: Vec<&Row> = group
            .iter()
            .zip(parents)
            .filter(|(r, q)| **q == Some(p) && r.role != RowRole::Breakdown)
            .map(|(r, _)| r)
            .collect();
        if kids.is_empty() {
            continue;
        }
        let Some((key, Some(stated))) = parent
            .values
            .iter()
            .find(|(_, v)| v.is_some())
            .map(|(k, v)| (k, v.map(|a| a.0)))
        else {
            continue;
        };
        let sum: rust_decimal::Decimal = kids
            .iter()
            .filter_map(|r| r.values.get(key).copied().flatten())
            .map(|a| a.0)
            .sum();
        let tol = half_unit(parent, key) * rust_decimal::Decimal::from(kids.len() + 1);
        if (sum - stated).abs() <= tol {
            ok += 1;
        } else {
            bad += 1;
        }
    }
    ok + bad == 0 || ok * 4 >= (ok + bad) * 3
}

/// Half a unit of the last printed digit of a row's value, in yuan.
fn half_unit(r: &Row, key: &str) -> rust_decimal::Decimal {
    use rust_decimal::Decimal;
    let (Some(raw), Some(Some(v))) = (r.raw.get(key), r.values.get(key)) else {
        return Decimal::ZERO;
    };
    let decimals = raw
        .rsplit_once('.')
        .map(|(_, f)| f.chars().filter(char::is_ascii_digit).count() as u32)
        .unwrap_or(0);
    let printed: String = raw
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let factor = printed
        .parse::<Decimal>()
        .ok()
        .filter(|p| !p.is_zero())
        .and_then(|p| v.0.checked_div(p))
        .map(|f| f.abs().round())
        .unwrap_or(Decimal::ONE);
    Decimal::new(5, decimals + 1) * factor
}

/// Levels and parents of a group's rows, from codes, then `by_indent`, then numbering.
fn tree(group: &[Row], by_indent: &[Option<u8>]) -> (Vec<Option<u8>>, Vec<Option<usize>>) {
    // Levels.
    let levels: Vec<Option<u8>> = group
        .iter()
        .zip(by_indent)
        .map(|(r, ind)| {
            if r.role == RowRole::Total || is_unit_line(r) {
                return Some(0);
            }
            if let Some(c) = &r.code {
                return code_level(c);
            }
            if r.role == RowRole::Breakdown {
                return None;
            }
            ind.or_else(|| numbering_level(&r.name))
        })
        .collect();
    // Parents: a stack of open rows (index, level); block heads (totals, unit lines) at level 0.
    let mut parents: Vec<Option<usize>> = vec![None; group.len()];
    let mut stack: Vec<(usize, u8)> = Vec::new();
    let mut root: Option<usize> = None;
    let mut last_item: Option<usize> = None;
    // Rows since the last total printed after its items, waiting for it to adopt them.
    let mut open: Vec<usize> = Vec::new();
    for (i, r) in group.iter().enumerate() {
        if r.role == RowRole::Breakdown {
            parents[i] = last_item;
            continue;
        }
        // A line of figures without name or code is not placed (its extraction is in doubt).
        if r.name.trim().is_empty() && r.code.is_none() {
            continue;
        }
        let unit_line = is_unit_line(r);
        if r.role == RowRole::Total && r.code.is_none() && !unit_line {
            if i == 0 || (open.is_empty() && stack.is_empty()) {
                // A total printed above its items heads them.
                root = Some(i);
                stack.clear();
            } else {
                // A total printed below its items adopts the items above it without a parent.
                for &j in &open {
                    if parents[j].is_none() && j != i {
                        parents[j] = Some(i);
                    }
                }
                open.clear();
                stack.clear();
            }
            open.push(i);
            last_item = Some(i);
            continue;
        }
        if unit_line {
            // A unit's line: the first heads the table, the others head their own block.
            match root {
                Some(rt) if rt != i => parents[i] = Some(rt),
                _ => {
                    if r.role == RowRole::Total {
                        root = Some(i);
                    }
                }
            }
            stack.clear();
            stack.push((i, 0));
            last_item = Some(i);
            continue;
        }
        // A row whose depth nothing tells is left unplaced (a total printed below may adopt it).
        let Some(level) = levels[i] else {
            open.push(i);
            last_item = Some(i);
            continue;
        };
        let code = r.code.as_deref();
        while let Some(&(p, pl)) = stack.last() {
            let prefix_ok = match (code, group.get(p).and_then(|x| x.code.as_deref())) {
                (Some(c), Some(pc)) => c.len() > pc.len() && c.starts_with(pc),
                _ => true,
            };
            if pl < level && prefix_ok {
                break;
            }
            stack.pop();
        }
        parents[i] = stack.last().map(|&(p, _)| p).or(root);
        if parents[i].is_none() {
            open.push(i);
        }
        stack.push((i, level));
        last_item = Some(i);
    }
    // 三公 items listed down the side: 公务用车购置费 and 运行维护费 are parts of 公务用车购置及运行费.
    let mut levels = levels;
    if let Some(v) = group
        .iter()
        .position(|r| squash(&r.name).contains("购置及运行"))
    {
        for (i, r) in group.iter().enumerate().skip(v + 1) {
            let n = squash(&r.name);
            if r.code.is_none() && (n.contains("购置费") || n.contains("运行维护费")) {
                parents[i] = Some(v);
                levels[i] = Some(levels[v].unwrap_or(1) + 1);
            }
        }
    }
    (levels, parents)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn row(code: Option<&str>, name: &str, role: RowRole) -> Row {
        Row {
            code: code.map(str::to_string),
            name: name.to_string(),
            role,
            side: None,
            group: None,
            values: BTreeMap::new(),
            raw: BTreeMap::new(),
            attributes: BTreeMap::new(),
            unit: None,
            parent: None,
            level: None,
            group_index: 0,
            indent: None,
            page: 1,
            bbox: None,
        }
    }

    #[test]
    fn codes_give_levels_and_parents() {
        let mut rows = vec![
            row(None, "合计", RowRole::Total),
            row(Some("201"), "一般公共服务支出", RowRole::Detail),
            row(Some("20101"), "人大事务", RowRole::Detail),
            row(Some("2010101"), "行政运行", RowRole::Detail),
            row(Some("2010102"), "一般行政管理事务", RowRole::Detail),
            row(Some("208"), "社会保障和就业支出", RowRole::Detail),
            row(Some("20805"), "行政事业单位养老支出", RowRole::Detail),
        ];
        assign(&mut rows);
        let got: Vec<(Option<u8>, Option<usize>, RowRole)> =
            rows.iter().map(|r| (r.level, r.parent, r.role)).collect();
        assert_eq!(
            got,
            vec![
                (Some(0), None, RowRole::Total),
                (Some(1), Some(0), RowRole::Subtotal),
                (Some(2), Some(1), RowRole::Subtotal),
                (Some(3), Some(2), RowRole::Detail),
                (Some(3), Some(2), RowRole::Detail),
                (Some(1), Some(0), RowRole::Subtotal),
                (Some(2), Some(5), RowRole::Detail),
            ]
        );
    }

    #[test]
    fn unit_blocks_restart_the_code_tree() {
        let unit = |name: &str, role| {
            let mut r = row(None, name, role);
            r.unit = Some(name.to_string());
            r
        };
        let dept = unit("某局", RowRole::Total);
        let a = unit("某局(本级)", RowRole::Subtotal);
        let b = unit("某中心", RowRole::Subtotal);
        let mut rows = vec![
            dept,
            a,
            row(Some("205"), "教育支出", RowRole::Detail),
            row(Some("20508"), "进修及培训", RowRole::Detail),
            b,
            row(Some("205"), "教育支出", RowRole::Detail),
            row(Some("20508"), "进修及培训", RowRole::Detail),
        ];
        assign(&mut rows);
        let parents: Vec<Option<usize>> = rows.iter().map(|r| r.parent).collect();
        assert_eq!(
            parents,
            vec![None, Some(0), Some(1), Some(2), Some(0), Some(4), Some(5)]
        );
    }

    #[test]
    fn a_total_below_adopts_its_items_and_indents_nest() {
        let mut rows = vec![
            row(None, "一、一般公共预算拨款收入", RowRole::Detail),
            row(None, "二、政府性基金预算拨款收入", RowRole::Detail),
            row(None, "本年收入合计", RowRole::Total),
            row(None, "上年结转结余", RowRole::Detail),
            row(None, "收入总计", RowRole::Total),
        ];
        assign(&mut rows);
        let parents: Vec<Option<usize>> = rows.iter().map(|r| r.parent).collect();
        assert_eq!(parents, vec![Some(2), Some(2), Some(4), Some(4), None]);

        let mut rows = vec![
            row(None, "合计", RowRole::Total),
            row(None, "科学技术支出", RowRole::Detail),
            row(None, "技术研究与开发", RowRole::Detail),
            row(None, "科技成果转化与扩散", RowRole::Detail),
            row(None, "卫生健康支出", RowRole::Detail),
            row(None, "行政事业单位医疗", RowRole::Detail),
        ];
        for (r, x) in rows.iter_mut().zip([0.1, 0.1, 1.1, 2.1, 0.1, 1.1]) {
            r.indent = Some(x);
        }
        assign(&mut rows);
        let got: Vec<(Option<u8>, Option<usize>)> =
            rows.iter().map(|r| (r.level, r.parent)).collect();
        assert_eq!(
            got,
            vec![
                (Some(0), None),
                (Some(1), Some(0)),
                (Some(2), Some(1)),
                (Some(3), Some(2)),
                (Some(1), Some(0)),
                (Some(2), Some(4)),
            ]
        );
        assert_eq!(numbering_level("（一）一般公共预算"), Some(2));
        assert_eq!(numbering_level("1.一般公共预算资金"), Some(3));
        assert_eq!(numbering_level("十一、住房保障支出"), Some(1));
    }
}
