//! Performance-target forms (项目支出绩效目标表, 整体绩效目标表) → [`PerformanceTarget`] records.
//!
//! These are forms, not tables: label cells followed by value cells (项目名称 | …, 主管部门及代码 | … |
//! 实施单位 | …), a funds block whose rows hold two label/amount pairs (实施期 | 年度), free-text
//! fields, the two goal texts, and indicator rows 一级 | 二级 | 三级指标 | 指标值, repeated for the
//! annual half. Exports shift cells between columns, cut labels short (体目标, 服务对象满意度指) and
//! print merged labels on any row of their span, so the recognizer reads each row's non-empty cells
//! in order and classifies them by what they say, not by where they sit.

use rust_decimal::Decimal;

use super::amount::{self, Parsed};
use super::clean_name;
use crate::document::RawRow;
use crate::model::{Amount, Diagnostic, ExecutionLine, Funds, Indicator, PerformanceTarget};
use crate::pdf::normalize::squash;

/// Level-1 names of the national indicator framework (财政部 项目支出绩效指标体系).
const LEVEL1: &[&str] = &["产出指标", "效益指标", "满意度指标", "成本指标"];
/// Level-2 names. 成本指标 is level 1 in the 2021 framework and level 2 (under 产出指标) before.
const LEVEL2: &[&str] = &[
    "数量指标",
    "质量指标",
    "时效指标",
    "成本指标",
    "经济效益指标",
    "社会效益指标",
    "生态效益指标",
    "可持续影响指标",
    "服务对象满意度指标",
    "经济成本指标",
    "社会成本指标",
    "生态环境成本指标",
];

/// Header words of the indicator block.
const INDICATOR_HEADERS: &[&str] = &["一级指标", "二级指标", "三级指标", "指标值", "绩效指标"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    One,
    Two,
    /// 成本指标: either, decided by the row.
    Either,
}

/// Is this cell an indicator-level name (possibly cut short: 服务对象满意度指)?
fn level_of(cell: &str) -> Option<Level> {
    let c = squash(cell);
    let n = c.chars().count();
    let matches = |names: &[&str]| {
        names
            .iter()
            .any(|name| *name == c || (n >= 4 && name.starts_with(c.as_str())))
    };
    let one = matches(LEVEL1);
    let two = matches(LEVEL2);
    match (one, two) {
        (true, true) => Some(Level::Either),
        (true, false) => Some(Level::One),
        (false, true) => Some(Level::Two),
        // Any other short name ending in 指标 is a category the list does not know.
        (false, false)
            if c.ends_with("指标") && n <= 10 && !INDICATOR_HEADERS.contains(&c.as_str()) =>
        {
            Some(Level::Two)
        }
        _ => None,
    }
}

/// The form fields, by what their label says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    ProjectName,
    Department,
    ImplementingUnit,
    Attribute,
    Period,
    Funds,
    Overview,
    Basis,
    Necessity,
    Measures,
    Plan,
    GoalsHeader,
    Goal,
    IndicatorHeader,
    Footer,
}

/// Label words → field, tried in order (a label holding several takes the first).
const FIELD_WORDS: &[(&[&str], Field)] = &[
    (&["主管部门"], Field::Department),
    (&["实施单位"], Field::ImplementingUnit),
    (&["项目属性"], Field::Attribute),
    (&["项目资金", "资金情况"], Field::Funds),
    (&["项目概况", "项目简介"], Field::Overview),
    (&["立项依据"], Field::Basis),
    (&["必要性"], Field::Necessity),
    (&["措施"], Field::Measures),
    (&["实施计划"], Field::Plan),
];

fn field_of(label: &str) -> Option<Field> {
    let l = squash(label);
    let l = l.trim_end_matches([':', '：']);
    if l.is_empty() || l.chars().count() > 16 {
        return None;
    }
    let has = |s: &str| l.contains(s);
    let names_unit = l.ends_with("名称") && (has("部门") || has("单位"));
    if has("项目名称") || names_unit {
        return Some(Field::ProjectName);
    }
    if matches!(l, "项目期" | "项目日期" | "实施期限" | "项目周期") {
        return Some(Field::Period);
    }
    if let Some((_, f)) = FIELD_WORDS
        .iter()
        .find(|(words, _)| words.iter().any(|w| has(w)))
    {
        return Some(*f);
    }
    Some(
        if has("实施期目标") || (has("年度目标") && l.chars().count() <= 5) {
            Field::GoalsHeader
        } else if l.ends_with("目标") && l.chars().count() <= 6 {
            Field::Goal
        } else if INDICATOR_HEADERS.contains(&l) {
            Field::IndicatorHeader
        } else if has("负责人") || has("经办人") || has("联系电话") || has("填报日期")
        {
            Field::Footer
        } else {
            return None;
        },
    )
}

/// A self-evaluation funds header cell: 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分.
fn eval_column(cell: &str) -> Option<&'static str> {
    let c = squash(cell);
    if c.contains("年初预算") {
        Some("initial_budget")
    } else if c.contains("全年预算") || c.contains("调整预算") {
        Some("full_year_budget")
    } else if c.contains("执行数") || c.contains("实际支出") {
        Some("executed")
    } else if c.contains("执行率") {
        Some("execution_rate")
    } else if c == "分值" {
        Some("max_score")
    } else if c == "得分" {
        Some("score")
    } else {
        None
    }
}

/// Which funding line a label names.
fn fund_key(label: &str) -> Option<&'static str> {
    let l = squash(label);
    let l = l.trim_start_matches("其中").trim_start_matches([':', '：']);
    if l.contains("资金总额") || l.contains("总金额") {
        Some("total")
    } else if l.contains("中央") {
        Some("central")
    } else if l.contains("省级") || l.starts_with("省") {
        Some("provincial")
    } else if l.contains("市县") || l.contains("市级") || l.contains("县级") || l.contains("区级")
    {
        Some("local")
    } else if l.contains("自筹") {
        Some("self_raised")
    } else if l.contains("其他资金") || l == "其他" {
        Some("other")
    } else {
        None
    }
}

fn set_fund(f: &mut Funds, key: &str, value: Option<Decimal>, raw: &str) {
    let slot = match key {
        "total" => &mut f.total,
        "central" => &mut f.central,
        "provincial" => &mut f.provincial,
        "local" => &mut f.local,
        "self_raised" => &mut f.self_raised,
        _ => &mut f.other,
    };
    *slot = value.map(Amount);
    if !raw.is_empty() {
        f.raw.insert(key.to_string(), raw.to_string());
    }
}

/// The non-empty cells of a row that start there, in column order.
fn cells(row: &RawRow) -> Vec<String> {
    row.slots
        .iter()
        .filter(|s| s.first_row && s.first_col)
        .map(|s| clean_name(&s.text))
        .filter(|t| !t.is_empty())
        .collect()
}

/// Does the row start a new form (its 项目名称 line)?
fn starts_form(cells: &[String]) -> bool {
    cells
        .first()
        .is_some_and(|c| field_of(c) == Some(Field::ProjectName))
}

#[derive(Default)]
struct State {
    target: PerformanceTarget,
    /// A label whose value was not on its row (项目期 | on one row, 99年 on the next).
    pending: Option<Field>,
    in_funds: bool,
    in_goals: bool,
    in_indicators: bool,
    /// The goal header named both halves (实施期目标 and 年度目标), in this order.
    halves: Vec<&'static str>,
    level1: Option<String>,
    level2: [Option<String>; 2],
    /// The signature line (负责人 / 经办人 / 填报日期) ends the form.
    done: bool,
    /// The unit a label cell prints (预算金额（万元）).
    unit_hint: Option<String>,
    /// Self-evaluation forms (绩效自评表): the funds columns in printed order
    /// (initial_budget, full_year_budget, executed, max_score, execution_rate, score).
    eval_columns: Vec<&'static str>,
    /// Self-evaluation goals: 预期目标 | 实际完成情况.
    eval_goals: bool,
    /// Self-evaluation indicators: 指标值 followed by 实际完成值 | 分值 | 得分 | 偏差原因.
    eval_indicators: bool,
    /// Page of the last indicator row, and where its indicators start in `indicators`.
    last_indicator_row: Option<(usize, usize)>,
}

impl State {
    fn set(&mut self, field: Field, value: String) {
        let t = &mut self.target;
        let slot = match field {
            Field::ProjectName => &mut t.project_name,
            Field::Department => &mut t.department,
            Field::ImplementingUnit => &mut t.implementing_unit,
            Field::Attribute => &mut t.project_attribute,
            Field::Period => &mut t.project_period,
            Field::Overview => &mut t.overview,
            Field::Basis => &mut t.basis,
            Field::Necessity => &mut t.necessity,
            Field::Measures => &mut t.measures,
            Field::Plan => &mut t.plan,
            _ => return,
        };
        match slot {
            Some(prev) if matches!(field, Field::Overview | Field::Basis | Field::Plan) => {
                prev.push_str(&value)
            }
            Some(_) => {}
            None => *slot = Some(value),
        }
    }

    fn is_blank(&self) -> bool {
        let t = &self.target;
        *t == PerformanceTarget {
            pages: t.pages.clone(),
            ..Default::default()
        }
    }

    fn finish(mut self) -> PerformanceTarget {
        if let Some(d) = self.target.department.as_deref() {
            // 067-阳泉市退役军人事务局 / [067]阳泉… : the code before the name.
            let code: String = d
                .trim_start_matches(['[', '【', '('])
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            if !code.is_empty() {
                self.target.department_code = Some(code);
            }
        }
        self.target
    }
}

/// Read the performance-target forms of one table's rows.
pub fn recognize(
    rows: &[RawRow],
    table_unit: Option<&str>,
) -> (Vec<PerformanceTarget>, Vec<Diagnostic>) {
    if let Some(list) = super::performance_list::recognize(rows, table_unit) {
        return list;
    }
    let mut out = Vec::new();
    let mut diags = Vec::new();
    let mut st: Option<State> = None;
    for row in rows {
        let cells = cells(row);
        if cells.is_empty() {
            continue;
        }
        if starts_form(&cells) {
            if let Some(done) = st.take() {
                // Rows above the first 项目名称 (a "(2024年度)" line drawn inside the grid) are no form.
                if !done.is_blank() {
                    out.push(done.finish());
                }
            }
        }
        let s = st.get_or_insert_with(State::default);
        if s.target.pages.last() != Some(&row.page) {
            s.target.pages.push(row.page);
        }
        read_row(s, &cells, row.page, table_unit);
    }
    if let Some(done) = st {
        out.push(done.finish());
    }
    for t in &out {
        if t.project_name.is_none() {
            diags.push(Diagnostic::warning(
                "performance-target form without a 项目名称",
                t.pages.first().copied(),
            ));
        }
    }
    (out, diags)
}

fn read_row(s: &mut State, cells: &[String], page: usize, table_unit: Option<&str>) {
    // A unit printed in a label cell (预算金额（万元）, 项目资金（元）) is the form's own.
    if s.unit_hint.is_none() {
        s.unit_hint = cells.iter().find_map(|c| {
            let c = squash(c);
            ["万元", "元"]
                .into_iter()
                .find(|u| c.contains(&format!("({u})")) || c.contains(&format!("（{u}）")))
                .map(str::to_string)
        });
    }
    let hint = s.unit_hint.clone();
    let table_unit = hint.as_deref().or(table_unit);
    let first = cells.first().map(String::as_str).unwrap_or("");
    let first_field = field_of(first);
    if s.done && first_field != Some(Field::Footer) {
        return;
    }
    // Rows above the form's name line (a "(2024年度)" caption drawn inside the grid).
    if s.target.project_name.is_none()
        && !cells
            .iter()
            .any(|c| field_of(c).is_some() || fund_key(c).is_some())
    {
        return;
    }
    // Self-evaluation: 总分 | 100 | 95 (the last figure is the score).
    if squash(first).starts_with("总分") {
        s.target.total_score = cells
            .iter()
            .skip(1)
            .rev()
            .find(|c| matches!(amount::parse(c), Parsed::Number { .. }))
            .cloned();
        s.in_indicators = false;
        return;
    }
    // The indicator block runs to the footer.
    if s.in_indicators && !matches!(first_field, Some(Field::Footer | Field::ProjectName)) {
        if cells
            .iter()
            .any(|c| field_of(c) == Some(Field::IndicatorHeader))
            && cells
                .iter()
                .all(|c| field_of(c) == Some(Field::IndicatorHeader))
        {
            return; // a repeated header on a continuation page
        }
        read_indicator_row(s, cells, page);
        return;
    }
    if cells
        .iter()
        .any(|c| squash(c) == "一级指标" || squash(c) == "三级指标")
    {
        s.in_indicators = true;
        s.in_goals = false;
        s.in_funds = false;
        s.eval_indicators = cells
            .iter()
            .any(|c| squash(c).contains("完成值") || squash(c).contains("实际完成"));
        if s.halves.is_empty() {
            let n = cells.iter().filter(|c| squash(c) == "三级指标").count();
            s.halves = if n >= 2 {
                vec!["period", "annual"]
            } else {
                vec!["annual"]
            };
        }
        return;
    }
    // Self-evaluation: the funds header (年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分).
    let eval_cols: Vec<&'static str> = cells.iter().filter_map(|c| eval_column(c)).collect();
    if eval_cols.len() >= 3 {
        s.eval_columns = eval_cols;
        s.in_funds = true;
        if s.target.funds_unit.is_none() {
            s.target.funds_unit = table_unit.map(str::to_string).or(Some("元".into()));
        }
        return;
    }
    if !s.eval_columns.is_empty() && s.in_funds && read_execution_row(s, cells) {
        return;
    }
    // Self-evaluation goals: 预期目标 | 实际完成情况.
    if cells.iter().any(|c| squash(c).contains("预期目标"))
        && cells.iter().any(|c| squash(c).contains("实际完成"))
    {
        s.in_funds = false;
        s.in_goals = true;
        s.eval_goals = true;
        return;
    }
    match first_field {
        Some(Field::Funds) => {
            s.in_funds = true;
            let l = squash(first);
            let unit = ["万元", "元"]
                .into_iter()
                .find(|u| l.contains(&format!("({u})")) || l.contains(&format!("（{u}）")));
            s.target.funds_unit = unit
                .map(str::to_string)
                .or_else(|| table_unit.map(str::to_string))
                .or(Some("元".into()));
            read_funds_row(s, cells.get(1..).unwrap_or(&[]));
            return;
        }
        Some(Field::GoalsHeader) => {
            s.in_funds = false;
            s.in_goals = true;
            let joined: String = cells.iter().map(|c| squash(c)).collect();
            let mut halves = Vec::new();
            if joined.contains("实施期目标") {
                halves.push("period");
            }
            if joined.contains("年度目标") {
                halves.push("annual");
            }
            // 实施期目标 | … on one row and 年度目标 on the next: keep both.
            for h in halves {
                if !s.halves.contains(&h) {
                    s.halves.push(h);
                }
            }
            return;
        }
        _ => {}
    }
    if s.in_funds && first_field.is_none() && cells.iter().any(|c| fund_key(c).is_some()) {
        read_funds_row(s, cells);
        return;
    }
    if s.in_goals && !matches!(first_field, Some(Field::IndicatorHeader | Field::Footer)) {
        let texts: Vec<&String> = if first_field == Some(Field::Goal) {
            cells.iter().skip(1).collect()
        } else {
            cells.iter().collect()
        };
        let mut texts = texts.into_iter();
        if s.eval_goals {
            if s.target.goal_annual.is_none() {
                s.target.goal_annual = texts.next().cloned();
                s.target.goal_achieved = texts.next().cloned();
            }
            return;
        }
        if s.target.goal_period.is_none() && s.target.goal_annual.is_none() {
            let halves = if s.halves.is_empty() {
                vec!["period", "annual"]
            } else {
                s.halves.clone()
            };
            for h in halves {
                if let Some(t) = texts.next() {
                    if h == "period" {
                        s.target.goal_period = Some(t.clone());
                    } else {
                        s.target.goal_annual = Some(t.clone());
                    }
                }
            }
        }
        return;
    }
    // A form with one goal and no 实施期目标 | 年度目标 header (整体绩效目标表: 年度总体目标 | …).
    if first_field == Some(Field::Goal) && !s.in_goals && cells.len() >= 2 {
        let text = cells.get(1..).unwrap_or(&[]).join("");
        let l = squash(first);
        if l.contains("实施期") || l.contains("长期") {
            s.target.goal_period.get_or_insert(text);
        } else {
            s.target.goal_annual.get_or_insert(text);
        }
        return;
    }
    // 金额合计 | 200.50 (整体绩效目标表): the year's total.
    if first_field.is_none()
        && (squash(first).contains("金额合计") || squash(first).contains("资金合计"))
    {
        if let Some(v) = cells
            .iter()
            .skip(1)
            .find(|c| matches!(amount::parse(c), Parsed::Number { .. }))
        {
            let factor = s
                .target
                .funds_unit
                .as_deref()
                .or(table_unit)
                .and_then(amount::unit_factor)
                .unwrap_or(Decimal::ONE);
            if let Parsed::Number { value, .. } = amount::parse(v) {
                if s.target.funds_unit.is_none() {
                    s.target.funds_unit = table_unit.map(str::to_string);
                }
                set_fund(
                    &mut s.target.funds_annual,
                    "total",
                    value.checked_mul(factor),
                    v,
                );
            }
            return;
        }
    }
    if first_field == Some(Field::Footer) {
        s.in_indicators = false;
        s.done = true;
        return;
    }
    if s.done {
        return; // below the signature line: not part of the form
    }
    s.in_funds = false;
    // Label | value [| label | value …]; a label without a value takes the next row's first cell.
    let mut i = 0;
    while let Some(c) = cells.get(i) {
        match field_of(c) {
            Some(f) if !matches!(f, Field::Goal | Field::GoalsHeader | Field::IndicatorHeader) => {
                let value = cells.get(i + 1).filter(|v| field_of(v).is_none());
                match value {
                    Some(v) => {
                        let v = if matches!(
                            f,
                            Field::Overview
                                | Field::Basis
                                | Field::Necessity
                                | Field::Measures
                                | Field::Plan
                        ) {
                            // Long texts: everything after the label.
                            cells.get(i + 1..).unwrap_or(&[]).concat()
                        } else {
                            v.clone()
                        };
                        s.set(f, v);
                        s.pending = None;
                        if matches!(
                            f,
                            Field::Overview
                                | Field::Basis
                                | Field::Necessity
                                | Field::Measures
                                | Field::Plan
                        ) {
                            return;
                        }
                        i += 2;
                    }
                    None => {
                        s.pending = Some(f);
                        i += 1;
                    }
                }
            }
            _ => {
                if let Some(f) = s.pending.take() {
                    s.set(f, c.clone());
                } else if i == 0 && cells.len() >= 2 {
                    // An unknown label with its text.
                    s.target
                        .other_fields
                        .entry(c.clone())
                        .or_insert_with(|| cells.get(1..).unwrap_or(&[]).join(" | "));
                    return;
                }
                i += 1;
            }
        }
    }
}

/// A self-evaluation funds row: its label, then one cell per header column in printed order.
/// Returns false when the row is not one (the funds block has ended).
fn read_execution_row(s: &mut State, cells: &[String]) -> bool {
    let Some(label_at) = cells
        .iter()
        .position(|c| !matches!(amount::parse(c), Parsed::Number { .. }) && !c.ends_with('%'))
    else {
        return false;
    };
    let label = cells.get(label_at).map(String::as_str).unwrap_or("");
    if fund_key(label).is_none()
        && !squash(label).contains("资金")
        && !squash(label).contains("拨款")
    {
        return false;
    }
    let factor = s
        .target
        .funds_unit
        .as_deref()
        .and_then(amount::unit_factor)
        .unwrap_or(Decimal::ONE);
    let mut line = ExecutionLine {
        line: label.trim_start_matches("项目资金").to_string(),
        ..Default::default()
    };
    let values = cells.get(label_at + 1..).unwrap_or(&[]);
    for (col, v) in s.eval_columns.iter().zip(values) {
        let money = || match amount::parse(v) {
            Parsed::Number { value, .. } => value.checked_mul(factor).map(Amount),
            _ => None,
        };
        match *col {
            "initial_budget" => line.initial_budget = money(),
            "full_year_budget" => line.full_year_budget = money(),
            "executed" => line.executed = money(),
            "execution_rate" => line.execution_rate = Some(v.clone()),
            "max_score" => line.max_score = Some(v.clone()),
            _ => line.score = Some(v.clone()),
        }
    }
    s.target.execution.push(line);
    true
}

/// `实施期资金总额： | 774,000 | 年度资金总额： | 150,000`: the first pair of a line is the
/// implementation period's, the second the year's (unless the label says which).
fn read_funds_row(s: &mut State, cells: &[String]) {
    let factor = s
        .target
        .funds_unit
        .as_deref()
        .and_then(amount::unit_factor)
        .unwrap_or(Decimal::ONE);
    let mut seen = 0;
    let mut i = 0;
    while let Some(c) = cells.get(i) {
        let Some(key) = fund_key(c) else {
            i += 1;
            continue;
        };
        let l = squash(c);
        let annual = if l.contains("年度") {
            true
        } else if l.contains("实施期") {
            false
        } else {
            seen >= 1
        };
        seen += 1;
        let raw = cells
            .get(i + 1)
            .filter(|v| fund_key(v).is_none())
            .cloned()
            .unwrap_or_default();
        let value = match amount::parse(&raw) {
            Parsed::Number { value, .. } => value.checked_mul(factor),
            _ => None,
        };
        let raw_used = !raw.is_empty() && value.is_some();
        let funds = if annual {
            &mut s.target.funds_annual
        } else {
            &mut s.target.funds_period
        };
        set_fund(funds, key, value, if raw_used { &raw } else { "" });
        i += if raw_used || !raw.is_empty() { 2 } else { 1 };
    }
}

/// One indicator row: `[一级] [二级] 三级 值 [二级] 三级 值`, with cells shifted or missing.
fn read_indicator_row(s: &mut State, cells: &[String], page: usize) {
    // A page break inside a row: the rest of a wrapped 三级指标 alone at the top of the next page.
    if let (Some((last_page, start)), [only]) = (s.last_indicator_row, cells) {
        if last_page != page && level_of(only).is_none() {
            if let Some(ind) = s.target.indicators.get_mut(start) {
                if let Some(l3) = ind.level3.as_mut() {
                    l3.push_str(only);
                    s.last_indicator_row = None;
                    return;
                }
            }
        }
    }
    let start = s.target.indicators.len();
    read_indicator_cells(s, cells, page);
    if s.target.indicators.len() > start {
        s.last_indicator_row = Some((page, start));
    }
}

fn read_indicator_cells(s: &mut State, cells: &[String], page: usize) {
    let halves = if s.halves.is_empty() {
        vec!["annual"]
    } else {
        s.halves.clone()
    };
    // Self-evaluation rows carry 三级 | 指标值 | 实际完成值 | 分值 | 得分 | 偏差原因 in one half.
    let group = if s.eval_indicators { 6 } else { 2 };
    // The level names later in the row (the annual half repeats only level 2).
    let mut half = 0usize;
    let mut pair: Vec<String> = Vec::new();
    let mut got_level2 = false;
    let mut emitted = vec![false; halves.len()];
    let emit = |s: &mut State, half: usize, pair: &mut Vec<String>, emitted: &mut Vec<bool>| {
        if pair.is_empty() {
            return;
        }
        let Some(target) = halves.get(half) else {
            pair.clear();
            return;
        };
        let level2 = s.level2.get(half).cloned().flatten();
        s.target.indicators.push(Indicator {
            target: (*target).to_string(),
            level1: s.level1.clone(),
            level2,
            level3: pair.first().cloned(),
            value: pair.get(1).cloned(),
            actual: pair.get(2).cloned(),
            max_score: pair.get(3).cloned(),
            score: pair.get(4).cloned(),
            deviation: pair.get(5).cloned(),
            page,
        });
        if let Some(e) = emitted.get_mut(half) {
            *e = true;
        }
        pair.clear();
    };
    for (k, c) in cells.iter().enumerate() {
        let mut level = level_of(c);
        // A cut name (服务对象满意度) where this half already has its level 2 is the 三级指标.
        let exact = LEVEL1.iter().chain(LEVEL2).any(|n| *n == squash(c));
        if level == Some(Level::Two) && !exact && got_level2 && pair.is_empty() {
            level = None;
        }
        if let Some(level) = level {
            if !pair.is_empty() {
                // A level name after content: the next half begins.
                emit(s, half, &mut pair, &mut emitted);
                half += 1;
                got_level2 = false;
            }
            let rest_has_same = cells
                .get(k + 1..)
                .is_some_and(|r| r.iter().any(|x| squash(x) == squash(c)));
            let is_one = match level {
                Level::One => half == 0,
                Level::Two => false,
                // 成本指标: level 1 only where a level-2 name follows it (成本指标 | 经济成本指标,
                // the 2021 framework); otherwise the level-2 category under 产出指标.
                Level::Either => {
                    half == 0
                        && !rest_has_same
                        && cells
                            .get(k + 1)
                            .is_some_and(|n| level_of(n) == Some(Level::Two))
                }
            };
            if is_one {
                s.level1 = Some(c.clone());
                s.level2 = [None, None];
                got_level2 = false;
            } else {
                if got_level2 {
                    half += 1;
                }
                if let Some(l2) = s.level2.get_mut(half) {
                    *l2 = Some(c.clone());
                }
                got_level2 = true;
            }
            continue;
        }
        pair.push(c.clone());
        if pair.len() == group {
            emit(s, half, &mut pair, &mut emitted);
            half += 1;
            got_level2 = false;
        }
    }
    emit(s, half, &mut pair, &mut emitted);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<RawRow> {
        text.lines()
            .enumerate()
            .map(|(i, line)| RawRow {
                slots: line
                    .split('\t')
                    .enumerate()
                    .map(|(k, t)| crate::document::Slot {
                        text: t.to_string(),
                        id: i * 100 + k,
                        first_row: true,
                        first_col: true,
                        x: None,
                        indent: None,
                    })
                    .collect(),
                page: 7,
                bbox: None,
            })
            .collect()
    }

    #[test]
    fn unit_wide_form() {
        let (forms, diags) = recognize(
            &rows(
                "部门（单位）名称\t某某局\t\t\t\n年度主要任务\t任务名称\t主要内容\t预算金额（万元）\n\t行政运行\t保障机关运转\t120.50\n金额合计\t\t\t200.50\n年度总体目标\t保障机关正常运转。\t\t\t\n年度绩效指标\t一级指标\t二级指标\t三级指标\t指标值\n\t产出指标\t数量指标\t执法检查次数\t≥12次\n\t\t质量指标\t检查覆盖率\t100%\n\t满意度指标\t服务对象满意度指标\t服务对象满意度\t≥90%",
            ),
            None,
        );
        assert!(diags.is_empty());
        assert_eq!(forms.len(), 1);
        let f = &forms[0];
        assert_eq!(f.project_name.as_deref(), Some("某某局"));
        assert_eq!(f.funds_unit.as_deref(), Some("万元"));
        assert_eq!(f.funds_annual.total, Some(Amount(Decimal::from(2_005_000))));
        assert_eq!(f.goal_annual.as_deref(), Some("保障机关正常运转。"));
        assert_eq!(f.goal_period, None);
        type Row<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);
        let ind: Vec<Row> = f
            .indicators
            .iter()
            .map(|i| {
                (
                    i.target.as_str(),
                    i.level2.as_deref(),
                    i.level3.as_deref(),
                    i.value.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            ind,
            [
                (
                    "annual",
                    Some("数量指标"),
                    Some("执法检查次数"),
                    Some("≥12次")
                ),
                ("annual", Some("质量指标"), Some("检查覆盖率"), Some("100%")),
                (
                    "annual",
                    Some("服务对象满意度指标"),
                    Some("服务对象满意度"),
                    Some("≥90%")
                ),
            ]
        );
        assert_eq!(f.indicators[2].level1.as_deref(), Some("满意度指标"));
        assert_eq!(
            f.other_fields.get("行政运行").map(String::as_str),
            Some("保障机关运转 | 120.50")
        );
    }

    #[test]
    fn self_evaluation_form() {
        let (forms, _) = recognize(
            &rows(
                "项目名称\t社区治理项目\t\t\n主管部门\t某某区民政局\t实施单位\t某某街道\n项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n\t年度资金总额\t100.00\t120.00\t114.00\t10\t95.00%\t9.5\n\t其中：当年财政拨款\t100.00\t120.00\t114.00\n\t上年结转资金\t0.00\t0.00\t0.00\n年度总体目标\t预期目标\t实际完成情况\n\t完成社区治理任务。\t已完成。\n绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n\t产出指标\t数量指标\t服务社区数\t≥10个\t12个\t20\t20\t无\n\t\t时效指标\t完成时间\t年底前\t11月\t10\t10\t无\n总分\t100\t95.5",
            ),
            None,
        );
        assert_eq!(forms.len(), 1);
        let f = &forms[0];
        assert_eq!(f.project_name.as_deref(), Some("社区治理项目"));
        assert_eq!(f.implementing_unit.as_deref(), Some("某某街道"));
        assert_eq!(f.execution.len(), 3);
        let total = &f.execution[0];
        assert_eq!(total.line, "年度资金总额");
        assert_eq!(total.initial_budget, Some(Amount(Decimal::from(1_000_000))));
        assert_eq!(
            total.full_year_budget,
            Some(Amount(Decimal::from(1_200_000)))
        );
        assert_eq!(total.executed, Some(Amount(Decimal::from(1_140_000))));
        assert_eq!(total.execution_rate.as_deref(), Some("95.00%"));
        assert_eq!(total.score.as_deref(), Some("9.5"));
        assert_eq!(
            f.execution[1].executed,
            Some(Amount(Decimal::from(1_140_000)))
        );
        assert_eq!(f.execution[1].score, None);
        assert_eq!(f.goal_annual.as_deref(), Some("完成社区治理任务。"));
        assert_eq!(f.goal_achieved.as_deref(), Some("已完成。"));
        assert_eq!(f.indicators.len(), 2);
        let i = &f.indicators[0];
        assert_eq!(
            (
                i.level1.as_deref(),
                i.level2.as_deref(),
                i.level3.as_deref()
            ),
            (Some("产出指标"), Some("数量指标"), Some("服务社区数"))
        );
        assert_eq!(i.value.as_deref(), Some("≥10个"));
        assert_eq!(i.actual.as_deref(), Some("12个"));
        assert_eq!(i.max_score.as_deref(), Some("20"));
        assert_eq!(i.score.as_deref(), Some("20"));
        assert_eq!(i.deviation.as_deref(), Some("无"));
        assert_eq!(f.indicators[1].level2.as_deref(), Some("时效指标"));
        assert_eq!(f.total_score.as_deref(), Some("95.5"));
    }

    #[test]
    fn level_names_even_cut_short() {
        assert_eq!(level_of("产出指标"), Some(Level::One));
        assert_eq!(level_of("服务对象满意度指"), Some(Level::Two));
        assert_eq!(level_of("服务对象满意度"), Some(Level::Two));
        assert_eq!(level_of("成本指标"), Some(Level::Either));
        assert_eq!(level_of("退役军人满意度"), None);
        assert_eq!(level_of("三级指标"), None);
    }

    #[test]
    fn fields_from_cut_labels() {
        assert_eq!(field_of("体目标"), Some(Field::Goal));
        assert_eq!(field_of("正项目实施的制度、措施"), Some(Field::Measures));
        assert_eq!(field_of("项目日期"), Some(Field::Period));
        assert_eq!(field_of("主管部门及代码"), Some(Field::Department));
        assert_eq!(fund_key("市县(区)财政资 金"), Some("local"));
        assert_eq!(fund_key("其中：中央财政资金"), Some("central"));
        assert_eq!(fund_key("实施期资金总额："), Some("total"));
    }
}
