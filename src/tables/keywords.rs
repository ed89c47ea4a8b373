//! Keyword tables: printed titles → table kinds, printed column headers → canonical keys
//! (`../shared/design/glossary.md`). Matching is on the meaningful core of the text, in order, the
//! most specific entries first. This is data, not code per province.

use crate::model::TableKind;
use crate::pdf::normalize::squash;

/// (all of these substrings, none of these, kind), first match wins.
const TABLE_KINDS: &[(&[&str], &[&str], TableKind)] = &[
    (&["绩效目标"], &[], TableKind::PerformanceTargets),
    (&["政府采购"], &[], TableKind::Other),
    (&["绩效自评"], &[], TableKind::PerformanceTargets),
    (&["三公"], &[], TableKind::ThreePublic),
    (&["机关运行经费"], &[], TableKind::OperatingCosts),
    (
        &["项目支出"],
        &["一般公共预算", "基本支出", "总表", "功能分类"],
        TableKind::ProjectExpenditure,
    ),
    (
        &["财政拨款收支"],
        &[],
        TableKind::FiscalAppropriationSummary,
    ),
    (
        &["财政拨款收入支出"],
        &["政府性基金", "国有资本"],
        TableKind::FiscalAppropriationSummary,
    ),
    (&["国有资本经营"], &[], TableKind::StateCapital),
    (&["政府性基金", "收入"], &["支出"], TableKind::GovFundIncome),
    (&["政府性基金"], &[], TableKind::GovFundExpenditure),
    (
        &["一般公共预算", "基本支出"],
        &[],
        TableKind::GeneralBudgetBasicExpenditure,
    ),
    // Shenzhen: 一般公共预算支出表（按经济分类）, whose 基本支出 column is the basic expenditure
    // by economic class.
    (
        &["一般公共预算", "经济分类"],
        &["项目支出"],
        TableKind::GeneralBudgetBasicExpenditure,
    ),
    (
        &["一般公共预算", "支出"],
        &[],
        TableKind::GeneralBudgetExpenditure,
    ),
    (&["收支"], &["财政拨款"], TableKind::Summary),
    (&["收入支出决算总表"], &["财政拨款"], TableKind::Summary),
    (&["收入"], &["支出", "财政拨款"], TableKind::Income),
    (&["支出"], &["收入", "财政拨款"], TableKind::Expenditure),
];

/// The kind of a table from its title.
pub fn table_kind(title: &str) -> TableKind {
    let t: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    for (all, none, kind) in TABLE_KINDS {
        if all.iter().all(|k| t.contains(k)) && !none.iter().any(|k| t.contains(k)) {
            return *kind;
        }
    }
    TableKind::Other
}

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnRole {
    /// A joined classification code (科目编码).
    Code,
    /// One level of a code split into 类 | 款 | 项 columns (0, 1, 2).
    CodePart(u8),
    /// The row's item name (科目名称, 项目, 项目名称 …).
    Name,
    /// An amount with its canonical key.
    Amount(&'static str),
    /// Row / column numbering (栏次, 行次).
    Numbering,
    /// A text attribute (项目单位, 项目类型 …).
    Text,
    /// The budget unit a row belongs to (预算单位): a row with no name of its own is that unit's line.
    Unit,
}

/// Column keys by header substring, first match wins; generic keys (total) last.
const AMOUNT_KEYS: &[(&str, &str)] = &[
    ("机关运行经费", "operating_costs"),
    ("上缴上级", "remit_superior"),
    ("对附属单位补助", "affiliate_subsidy"),
    ("经营支出", "operating_expenditure"),
    ("年末结转", "carryover_end"),
    ("结余分配", "surplus_distribution"),
    ("上年结转", "carryover"),
    ("上年结余", "carryover"),
    ("本年收入合计", "total"),
    ("本年收入", "current_income"),
    ("年初结转", "carryover"),
    ("结转和结余", "carryover"),
    ("当年预算", "current_year"),
    ("本年预算", "current_year"),
    ("上年预算", "prior_year"),
    ("上年执行", "prior_year"),
    ("增减", "change"),
    ("执行数", "prior_year"),
    ("政府采购", "procurement"),
    ("人员支出", "personnel"),
    ("人员类", "personnel"),
    ("公用类", "public"),
    ("日常公用", "public"),
    ("公用支出", "public"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
    ("人员经费", "personnel"),
    ("公用经费", "public"),
    ("因公出国", "outbound_travel"),
    ("三公", "three_public"),
    ("公务接待", "reception"),
    ("购置及运行", "vehicle"),
    ("公务用车费", "vehicle"),
    ("购置费", "vehicle_purchase"),
    ("运行维护", "vehicle_operation"),
    ("运行费", "vehicle_operation"),
    ("会议费", "meeting"),
    ("培训费", "training"),
    ("一般公共预算", "general_budget"),
    ("公共财政", "general_budget"),
    ("政府性基金", "gov_fund"),
    ("国有资本经营", "state_capital"),
    ("财政专户", "special_account"),
    ("单位资金", "unit_funds"),
    ("事业单位经营", "operating_income"),
    ("经营收入", "operating_income"),
    ("事业收入", "business_income"),
    ("上级补助", "superior_subsidy"),
    ("附属单位上缴", "affiliate_remit"),
    ("其他收入", "other_income"),
    ("其它收入", "other_income"),
    ("其他资金", "other_income"),
    ("预留机动", "reserve"),
    ("财政拨款", "fiscal_appropriation"),
    ("合计", "total"),
    ("小计", "total"),
    ("总计", "total"),
    ("金额", "total"),
    ("预算数", "total"),
    ("决算数", "total"),
    ("预算额", "total"),
];

/// Keys a parent header lends to a 小计 / 合计 column below it.
const COMPONENT_KEYS: &[&str] = &[
    "three_public",
    "vehicle",
    "outbound_travel",
    "reception",
    "basic",
    "project",
    "personnel",
    "public",
    "carryover",
    "current_year",
    "prior_year",
    "operating_costs",
    "vehicle_purchase",
    "vehicle_operation",
    "meeting",
    "training",
];

/// The amount key for one header text, if it names one. A bare year (2024年) is this year's total.
pub fn amount_key(header: &str) -> Option<&'static str> {
    let h = squash(header);
    for (needle, key) in AMOUNT_KEYS {
        if h.contains(needle) {
            return Some(key);
        }
    }
    // 预算 alone heads the amount column of a one-column table (项目 | 预算).
    if h == "预算" || h == "决算" {
        return Some("total");
    }
    let year_only = h
        .trim_end_matches(['年', '度'])
        .chars()
        .all(|c| c.is_ascii_digit())
        && h.len() >= 4;
    if year_only && h.starts_with("20") {
        return Some("total");
    }
    None
}

/// The role of a column from its header path (top to bottom), for a table of `kind`.
pub fn column_role(path: &[String], kind: TableKind) -> Option<ColumnRole> {
    let last = squash(path.last()?);
    match last.as_str() {
        "类" => return Some(ColumnRole::CodePart(0)),
        "款" => return Some(ColumnRole::CodePart(1)),
        "项" => return Some(ColumnRole::CodePart(2)),
        _ => {}
    }
    if last.contains("栏次") || last.contains("行次") || last == "序号" {
        return Some(ColumnRole::Numbering);
    }
    if last.contains("编码") || last.contains("代码") || last == "科目编号" {
        return Some(ColumnRole::Code);
    }
    // A rate (增减%, 增长率, 执行率) is no amount.
    if last.contains('%') || last.ends_with('率') {
        return Some(ColumnRole::Text);
    }
    if matches!(
        last.as_str(),
        "预算单位" | "单位" | "部门(单位)" | "部门（单位）"
    ) && kind != TableKind::ProjectExpenditure
    {
        return Some(ColumnRole::Unit);
    }
    // 功能科目, 经济科目, 支出项目类别: the item; 年度 labels the rows of a table by year.
    let is_name = last.ends_with("名称")
        || last.ends_with("科目")
        || last.ends_with("类别")
        || last == "年度"
        || matches!(
            last.as_str(),
            "项目" | "科目" | "支出项目" | "收入项目" | "项目(按功能分类)" | "项目（按功能分类）"
        )
        || (last.starts_with("项目")
            && (last.contains("按") || last.contains("分类"))
            && !last.contains("支出"));
    if is_name {
        // In project tables the unit's name is an attribute; the project is the row.
        if kind == TableKind::ProjectExpenditure && (last.contains("单位") || last.contains("部门"))
        {
            return Some(ColumnRole::Text);
        }
        return Some(ColumnRole::Name);
    }
    // Amount: the most specific header level that names a key; a generic total below a specific
    // parent (公务用车购置及运行费 / 小计) takes the parent's key. A label broken over two cells
    // by a fragmented grid (公务接 / 待费) is read joined.
    let mut own = amount_key(&last);
    if own.is_none() && path.len() >= 2 {
        let joined: String = path
            .iter()
            .skip(path.len() - 2)
            .map(|p| squash(p))
            .collect();
        own = amount_key(&joined)
            .filter(|k| !matches!(*k, "total" | "general_budget" | "three_public"));
    }
    if own == Some("total") || own.is_none() {
        for parent in path.iter().rev().skip(1) {
            if let Some(k) = amount_key(parent) {
                // Only a component (公务用车 / 小计, 基本支出 / 小计) passes its key down; a funding
                // source above a 合计 (一般公共预算支出 / 合计) is the table's scope, not the column.
                if COMPONENT_KEYS.contains(&k) {
                    return Some(ColumnRole::Amount(k));
                }
            }
        }
    }
    // Scope from the levels above: a source under 上年结转 is carry-over money of that source;
    // in a 三公 table a source under an item is that item (from the general budget) or the item's
    // money from another source.
    if let Some(k) = own {
        if kind == TableKind::ThreePublic {
            let item = path
                .iter()
                .take(path.len().saturating_sub(1))
                .rev()
                .filter_map(|p| amount_key(p))
                .find(|k| ITEM_SOURCES.iter().any(|(item, _, _)| item == k));
            if let Some(item) = item {
                if let Some((_, _, scoped)) = ITEM_SOURCES
                    .iter()
                    .find(|(i, source, _)| *i == item && *source == k)
                {
                    return Some(ColumnRole::Amount(scoped));
                }
            }
        }
        let above: Vec<&'static str> = path
            .iter()
            .take(path.len().saturating_sub(1))
            .filter_map(|p| amount_key(p))
            .collect();
        if above.contains(&"carryover") {
            if let Some((_, scoped)) = CARRYOVER_SOURCES.iter().find(|(s, _)| *s == k) {
                return Some(ColumnRole::Amount(scoped));
            }
        }
    }
    own.map(ColumnRole::Amount)
}

/// 三公 items printed per funding source: (item, source, key).
const ITEM_SOURCES: &[(&str, &str, &str)] = &[
    ("three_public", "general_budget", "three_public"),
    ("three_public", "gov_fund", "three_public_gov_fund"),
    (
        "three_public",
        "state_capital",
        "three_public_state_capital",
    ),
    ("outbound_travel", "general_budget", "outbound_travel"),
    ("outbound_travel", "gov_fund", "outbound_travel_gov_fund"),
    (
        "outbound_travel",
        "state_capital",
        "outbound_travel_state_capital",
    ),
    ("reception", "general_budget", "reception"),
    ("reception", "gov_fund", "reception_gov_fund"),
    ("reception", "state_capital", "reception_state_capital"),
    ("vehicle", "general_budget", "vehicle"),
    ("vehicle", "gov_fund", "vehicle_gov_fund"),
    ("vehicle", "state_capital", "vehicle_state_capital"),
    ("vehicle_purchase", "general_budget", "vehicle_purchase"),
    ("vehicle_purchase", "gov_fund", "vehicle_purchase_gov_fund"),
    (
        "vehicle_purchase",
        "state_capital",
        "vehicle_purchase_state_capital",
    ),
    ("vehicle_operation", "general_budget", "vehicle_operation"),
    (
        "vehicle_operation",
        "gov_fund",
        "vehicle_operation_gov_fund",
    ),
    (
        "vehicle_operation",
        "state_capital",
        "vehicle_operation_state_capital",
    ),
];

/// Funding sources, and their key when printed under 上年结转(结余).
const CARRYOVER_SOURCES: &[(&str, &str)] = &[
    ("general_budget", "carryover_general_budget"),
    ("gov_fund", "carryover_gov_fund"),
    ("state_capital", "carryover_state_capital"),
    ("special_account", "carryover_special_account"),
    ("unit_funds", "carryover_unit_funds"),
    ("fiscal_appropriation", "carryover_fiscal_appropriation"),
    ("business_income", "carryover_business_income"),
    ("other_income", "carryover_other_income"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn kinds() {
        assert_eq!(table_kind("预算收支总表"), TableKind::Summary);
        assert_eq!(table_kind("部门财务收支预算总表"), TableKind::Summary);
        assert_eq!(
            table_kind("财政拨款收支总表"),
            TableKind::FiscalAppropriationSummary
        );
        assert_eq!(
            table_kind("一般公共预算支出预算表（不含上年结转）"),
            TableKind::GeneralBudgetExpenditure
        );
        assert_eq!(
            table_kind("一般公共预算安排基本支出分经济科目表"),
            TableKind::GeneralBudgetBasicExpenditure
        );
        assert_eq!(
            table_kind("一般公共预算“三公”经费、会议费、培训费支出预算表"),
            TableKind::ThreePublic
        );
        assert_eq!(table_kind("政府性基金预算收入表"), TableKind::GovFundIncome);
        assert_eq!(
            table_kind("政府性基金财政拨款支出预算表"),
            TableKind::GovFundExpenditure
        );
        assert_eq!(
            table_kind("国有资本经营预算收支预算表"),
            TableKind::StateCapital
        );
        assert_eq!(
            table_kind("项目支出预算表（本年预算）"),
            TableKind::ProjectExpenditure
        );
        assert_eq!(table_kind("收入预算总表"), TableKind::Income);
        assert_eq!(table_kind("支出预算总表"), TableKind::Expenditure);
        assert_eq!(table_kind("收入支出决算总表"), TableKind::Summary);
        assert_eq!(
            table_kind("财政拨款收入支出决算总表"),
            TableKind::FiscalAppropriationSummary
        );
        assert_eq!(
            table_kind("一般公共预算财政拨款支出决算表"),
            TableKind::GeneralBudgetExpenditure
        );
        assert_eq!(
            table_kind("财政拨款安排机关运行经费预算表"),
            TableKind::OperatingCosts
        );
        assert_eq!(table_kind("资产负债情况表"), TableKind::Other);
        assert_eq!(table_kind("政府采购支出预算表"), TableKind::Other);
        assert_eq!(
            table_kind("一般公共预算支出表（按经济分类）"),
            TableKind::GeneralBudgetBasicExpenditure
        );
    }

    #[test]
    fn columns() {
        let k = TableKind::Income;
        assert_eq!(
            column_role(&s(&["项目", "科目编码"]), k),
            Some(ColumnRole::Code)
        );
        assert_eq!(
            column_role(&s(&["项目", "科目名称"]), k),
            Some(ColumnRole::Name)
        );
        assert_eq!(
            column_role(&s(&["本年收入", "一般公共预算"]), k),
            Some(ColumnRole::Amount("general_budget"))
        );
        assert_eq!(
            column_role(&s(&["本年收入", "合计"]), k),
            Some(ColumnRole::Amount("total"))
        );
        assert_eq!(
            column_role(&s(&["上年结转"]), k),
            Some(ColumnRole::Amount("carryover"))
        );
        assert_eq!(
            column_role(&s(&["公务用车购置及运行费", "小计"]), k),
            Some(ColumnRole::Amount("vehicle"))
        );
        assert_eq!(
            column_role(&s(&["公务用车购置及运行费", "公务用车购置费"]), k),
            Some(ColumnRole::Amount("vehicle_purchase"))
        );
        assert_eq!(
            column_role(&s(&["功能分类科目编码", "类"]), k),
            Some(ColumnRole::CodePart(0))
        );
        assert_eq!(
            column_role(&s(&["收入", "2024年"]), k),
            Some(ColumnRole::Amount("total"))
        );
        assert_eq!(column_role(&s(&["栏次"]), k), Some(ColumnRole::Numbering));
        assert_eq!(
            column_role(&s(&["“三公”经费", "公务接", "待费"]), k),
            Some(ColumnRole::Amount("reception"))
        );
    }
}
