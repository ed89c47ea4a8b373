//! 项目支出绩效目标表 printed as a list (Guangzhou): one row per project under a header
//! 项目名称 | 总计 | 财政拨款 | 财政专户拨款 | 其他资金 | 绩效目标 | 绩效指标; a unit's line (its
//! name and amounts, no goal) heads that unit's projects; each project's indicators are packed in
//! one cell: "1、1-产出指标,11-数量指标,专职环保员数量;实施周期指标值:≦核定人数,年度指标值:≦核定人数;2、…".

use rust_decimal::Decimal;

use super::amount::{self, Parsed};
use crate::document::RawRow;
use crate::model::{Amount, Diagnostic, Indicator, PerformanceTarget};
use crate::pdf::normalize::squash;

/// Level-1 names an indicator item starts with.
const LEVEL1: &[&str] = &["产出指标", "效益指标", "满意度指标", "成本指标"];

/// The columns of a list header.
struct Columns {
    name: usize,
    goal: usize,
    indicators: usize,
    /// (column, printed header): 总计 first when printed.
    funds: Vec<(usize, String)>,
}

/// Text of the cell starting at column `k`, normalized; empty for a continuation of a merged cell.
fn cell(row: &RawRow, k: usize) -> String {
    row.slots
        .get(k)
        .filter(|s| s.first_row && s.first_col)
        .map(|s| squash(&s.text))
        .unwrap_or_default()
}

/// The header row: 项目名称…, 绩效目标, 绩效指标 and amount columns between.
fn columns(row: &RawRow) -> Option<Columns> {
    let texts: Vec<String> = (0..row.slots.len()).map(|k| cell(row, k)).collect();
    let name = texts.iter().position(|t| t.starts_with("项目名称"))?;
    let goal = texts.iter().position(|t| t == "绩效目标")?;
    let indicators = texts.iter().position(|t| t == "绩效指标")?;
    let funds: Vec<(usize, String)> = (name + 1..goal)
        .filter(|&k| !texts[k].is_empty())
        .map(|k| (k, texts[k].trim_end_matches([':', '：']).to_string()))
        .collect();
    (name < goal && goal < indicators && !funds.is_empty()).then_some(Columns {
        name,
        goal,
        indicators,
        funds,
    })
}

/// The projects of a list-layout table, or `None` when the rows are not one.
pub fn recognize(
    rows: &[RawRow],
    table_unit: Option<&str>,
) -> Option<(Vec<PerformanceTarget>, Vec<Diagnostic>)> {
    let (at, cols) = rows
        .iter()
        .take(4)
        .enumerate()
        .find_map(|(i, r)| columns(r).map(|c| (i, c)))?;
    let department = rows[..at].iter().find_map(|r| {
        (0..r.slots.len()).find_map(|k| {
            let t = cell(r, k);
            let rest = t.strip_prefix("部门名称")?;
            Some(rest.trim_start_matches([':', '：']).to_string()).filter(|s| !s.is_empty())
        })
    });
    let factor = table_unit
        .and_then(amount::unit_factor)
        .unwrap_or(Decimal::ONE);
    let mut out: Vec<PerformanceTarget> = Vec::new();
    let mut diags = Vec::new();
    let mut unit: Option<String> = None;
    for row in &rows[at + 1..] {
        let name = cell(row, cols.name);
        let goal = cell(row, cols.goal);
        let packed = cell(row, cols.indicators);
        let amounts: Vec<(&str, String, Option<Decimal>)> = cols
            .funds
            .iter()
            .map(|(k, h)| {
                let raw = cell(row, *k);
                let v = match amount::parse(&raw) {
                    Parsed::Number { value, .. } => value.checked_mul(factor),
                    _ => None,
                };
                (h.as_str(), raw, v)
            })
            .collect();
        let any_amount = amounts.iter().any(|(_, _, v)| v.is_some());
        if name.is_empty() && !any_amount {
            // The rest of the project above, cut by the grid (goal or indicators continued).
            if let Some(t) = out.last_mut() {
                if !goal.is_empty() {
                    t.goal_annual
                        .get_or_insert_with(String::new)
                        .push_str(&goal);
                }
                t.indicators.extend(indicators(&packed, row.page));
            }
            continue;
        }
        if name.trim_end_matches([':', '：']) == "合计"
            || name.trim_end_matches([':', '：']) == "总计"
        {
            continue;
        }
        if goal.is_empty() && packed.is_empty() {
            // A unit's line: its projects follow.
            unit = Some(name);
            continue;
        }
        let mut t = PerformanceTarget {
            project_name: (!name.is_empty()).then_some(name),
            department: department.clone(),
            implementing_unit: unit.clone(),
            funds_unit: table_unit.map(str::to_string),
            goal_annual: (!goal.is_empty()).then_some(goal),
            indicators: indicators(&packed, row.page),
            pages: vec![row.page],
            ..Default::default()
        };
        for (i, (header, raw, value)) in amounts.into_iter().enumerate() {
            if raw.is_empty() {
                continue;
            }
            if i == 0 && (header.contains("总计") || header.contains("合计")) {
                t.funds_annual.total = value.map(Amount);
                t.funds_annual.raw.insert("total".to_string(), raw);
            } else {
                // 财政拨款 / 财政专户拨款 / 其他资金: no line of the national form's funds block.
                t.other_fields.insert(header.to_string(), raw);
            }
        }
        if !packed.is_empty() && t.indicators.is_empty() {
            diags.push(Diagnostic::warning(
                "performance indicators printed in one cell could not be split into items",
                Some(row.page),
            ));
        }
        if t.project_name.is_none() {
            diags.push(Diagnostic::warning(
                "performance-target form without a 项目名称",
                Some(row.page),
            ));
        }
        out.push(t);
    }
    Some((out, diags))
}

/// The indicator items packed in one cell, each as its 实施期 and its 年度 indicator.
fn indicators(packed: &str, page: usize) -> Vec<Indicator> {
    let starts = item_starts(packed);
    let mut out = Vec::new();
    for (n, &(_, body)) in starts.iter().enumerate() {
        let end = starts.get(n + 1).map_or(packed.len(), |&(s, _)| s);
        let Some(item) = packed.get(body..end) else {
            continue;
        };
        let item = item.trim_end_matches([';', '；', ' ']);
        // 1-产出指标,11-数量指标,<三级指标>;实施周期指标值:<值>,年度指标值:<值>
        let mut parts = item.splitn(3, [',', '，']);
        let level1 = parts.next().map(strip_code);
        let level2 = parts.next().map(strip_code);
        let rest = parts.next().unwrap_or("");
        let (level3, values) = match rest.find("实施周期指标值") {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let level3 = level3.trim_end_matches([';', '；', ',', '，']).to_string();
        let (period, annual) = match values.find("年度指标值") {
            Some(i) => (&values[..i], &values[i..]),
            None => (values, ""),
        };
        let value = |s: &str, label: &str| {
            let v = s
                .strip_prefix(label)
                .unwrap_or(s)
                .trim_start_matches([':', '：'])
                .trim_end_matches([',', '，', ';', '；'])
                .to_string();
            (!v.is_empty()).then_some(v)
        };
        for (target, v) in [
            ("period", value(period, "实施周期指标值")),
            ("annual", value(annual, "年度指标值")),
        ] {
            out.push(Indicator {
                target: target.to_string(),
                level1: level1.clone(),
                level2: level2.clone(),
                level3: (!level3.is_empty()).then(|| level3.clone()),
                value: v,
                page,
                ..Default::default()
            });
        }
    }
    out
}

/// "11-数量指标" → "数量指标".
fn strip_code(s: &str) -> String {
    s.trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches(['-', '－'])
        .to_string()
}

/// Where each item starts ("2、1-产出指标"), and where its text after the numbering begins.
fn item_starts(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, _) in s.char_indices() {
        let at_boundary = i == 0 || s[..i].ends_with([';', '；']);
        if !at_boundary {
            continue;
        }
        let rest = &s[i..];
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            continue;
        }
        let after = &rest[digits..];
        let Some(sep) = after
            .chars()
            .next()
            .filter(|c| matches!(c, '、' | '.' | '．'))
        else {
            continue;
        };
        let body = i + digits + sep.len_utf8();
        let level = strip_code(&s[body..]);
        if LEVEL1.iter().any(|l| level.starts_with(l)) {
            out.push((i, body));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_indicators_split_into_items() {
        let packed = "1.1-产出指标,11-数量指标,项目专职环保员数量;实施周期指标值:≦核定人数,年度指标值:≦核定人数;2、1-产出指标,12-质量指标,专职环保员队伍管理规范化;实施周期指标值:考察是否符合规范,合规得满分,不合规不得分。,年度指标值:是;1、2-效益指标,22-社会效益,环保信访投诉办结率;实施周期指标值:≥90%,年度指标值:≥90%;";
        let got = indicators(packed, 3);
        assert_eq!(got.len(), 6);
        let row = |i: usize| {
            let x = &got[i];
            (
                x.target.as_str(),
                x.level1.as_deref(),
                x.level2.as_deref(),
                x.level3.as_deref(),
                x.value.as_deref(),
            )
        };
        assert_eq!(
            row(0),
            (
                "period",
                Some("产出指标"),
                Some("数量指标"),
                Some("项目专职环保员数量"),
                Some("≦核定人数")
            )
        );
        assert_eq!(row(1).4, Some("≦核定人数"));
        // A value with commas of its own stays whole.
        assert_eq!(row(2).4, Some("考察是否符合规范,合规得满分,不合规不得分。"));
        assert_eq!(row(3).4, Some("是"));
        assert_eq!(
            row(5),
            (
                "annual",
                Some("效益指标"),
                Some("社会效益"),
                Some("环保信访投诉办结率"),
                Some("≥90%")
            )
        );
        assert!(got.iter().all(|x| x.page == 3));
        assert!(indicators("通过开展检查员队伍建设", 1).is_empty());
    }
}
