//! The `model` stage: the output contract of `../shared/design/schema.md` as Rust types.
//!
//! Amounts are [`Amount`]: an exact `Decimal` number of yuan, serialized as a string with two
//! decimals, beside the text printed in the document.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, Serializer};

pub const SCHEMA_VERSION: &str = "1";

/// An exact amount in yuan (元), serialized as `"7744800.00"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct Amount(pub Decimal);

impl Amount {
    pub fn yuan(&self) -> Decimal {
        self.0
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut d = self.0;
        d.rescale(2);
        s.serialize_str(&d.to_string())
    }
}

impl TryFrom<String> for Amount {
    type Error = rust_decimal::Error;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse::<Decimal>().map(Amount)
    }
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = self.0;
        d.rescale(2);
        write!(f, "{d}")
    }
}

/// The whole output for one input document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Disclosure {
    pub schema_version: String,
    pub source: Source,
    pub document: DocumentInfo,
    pub totals: Totals,
    pub tables: Vec<Table>,
    /// Stated facts from the narrative parts (filled by the narrative stage).
    pub narrative: BTreeMap<String, serde_json::Value>,
    pub checks: Vec<Check>,
    /// clean / warnings / errors, from the `checks` on what was read completely.
    #[serde(default)]
    pub verdict: Verdict,
    /// How completely the document was read: its tables' worst, and file-level facts.
    #[serde(default)]
    pub extraction: Extraction,
    pub diagnostics: Vec<Diagnostic>,
    /// A department file whose tables also print each subordinate unit's lines: one part per
    /// unit, linked to this disclosure (empty otherwise).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<UnitPart>,
}

/// A subordinate unit's disclosure inside a department's file: who it is, where its rows are,
/// and its own headline totals.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnitPart {
    /// As printed in the tables.
    pub unit_name: String,
    pub unit_name_normalized: String,
    pub unit_id: String,
    /// 本级: the department's own offices, apart from its subordinate units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_scope: Option<String>,
    /// unit_budget | unit_final_account
    pub kind: DocumentKind,
    pub disclosure_id: Option<String>,
    /// The department's disclosure (`document.disclosure_id`) whose file prints this unit.
    pub parent_disclosure_id: Option<String>,
    pub pages: Vec<usize>,
    /// Its rows, by table: indices into `tables[table_index].rows`.
    pub rows: Vec<UnitRows>,
    pub totals: Totals,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnitRows {
    pub table_index: usize,
    pub table_kind: TableKind,
    pub rows: Vec<usize>,
}

/// The per-document verdict a batch summary or a warehouse filter uses.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Verdict {
    /// clean | warnings | errors
    pub status: String,
    pub errors: usize,
    pub warnings: usize,
    pub passed: usize,
}

impl Default for Verdict {
    /// No check failed (none ran yet).
    fn default() -> Self {
        Verdict {
            status: "clean".into(),
            errors: 0,
            warnings: 0,
            passed: 0,
        }
    }
}

/// How completely and how certainly a table (or a whole document) was read — apart from whether
/// the publication is right, which `verdict` judges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extraction {
    pub status: ExtractionStatus,
    /// Why it is not `complete`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<ExtractionReason>,
}

/// `complete`: everything printed was placed and named; `partial`: something was not (an
/// unplaced cell, a nameless row, an unread page); `suspect`: the figures fail in the pattern of
/// a misreading.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtractionStatus {
    #[default]
    Complete,
    Partial,
    Suspect,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtractionReason {
    /// unplaced_cells, nameless_amount_rows, unknown_columns, no_amount_unit, identity_pattern,
    /// unreadable_pages, partial_text_layer, missing_tables, missing_header_fields, …
    pub code: String,
    pub message: String,
    pub page: Option<usize>,
}

impl Extraction {
    /// Record a reason; the status becomes at least `status`.
    pub fn add(
        &mut self,
        status: ExtractionStatus,
        code: &str,
        message: impl Into<String>,
        page: Option<usize>,
    ) {
        self.status = self.status.max(status);
        let message = message.into();
        // One reason per code and page: the message of the first, a count is not needed.
        if !self
            .reasons
            .iter()
            .any(|r| r.code == code && r.page == page)
        {
            self.reasons.push(ExtractionReason {
                code: code.to_string(),
                message,
                page,
            });
        }
    }
    pub fn is_complete(&self) -> bool {
        self.status == ExtractionStatus::Complete
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Source {
    pub file: String,
    pub sha256: String,
    pub pages: Option<usize>,
    pub producer: Option<String>,
    /// full | partial | none (scanned) | text (plain-text input)
    pub text_layer: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    DepartmentBudget,
    UnitBudget,
    DepartmentFinalAccount,
    UnitFinalAccount,
    Unknown,
}

impl DocumentKind {
    /// The name the JSON uses: `department_budget` ….
    pub fn as_str(&self) -> &'static str {
        match self {
            DocumentKind::DepartmentBudget => "department_budget",
            DocumentKind::UnitBudget => "unit_budget",
            DocumentKind::DepartmentFinalAccount => "department_final_account",
            DocumentKind::UnitFinalAccount => "unit_final_account",
            DocumentKind::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub kind: DocumentKind,
    pub fiscal_year: Option<i32>,
    pub unit_name: Option<String>,
    pub title: Option<String>,
    /// A blank template (placeholders such as 上海市XX局 and no figures), not data.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub template: bool,
    /// Which part of a disclosure this file is: whole | tables (报表) | notes (情况说明) |
    /// performance_targets (a 绩效目标表 file).
    #[serde(default)]
    pub part: Option<String>,
    /// The same for every file of one disclosure (unit, year, budget / final account).
    #[serde(default)]
    pub disclosure_id: Option<String>,
    /// One unit across its spellings; its scope (本级) apart.
    #[serde(default)]
    pub unit_id: Option<String>,
    #[serde(default)]
    pub unit_name_normalized: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_scope: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Totals {
    pub income_total: Option<Amount>,
    pub expenditure_total: Option<Amount>,
    pub general_budget_expenditure_total: Option<Amount>,
    pub general_budget_basic_total: Option<Amount>,
    pub general_budget_project_total: Option<Amount>,
    pub three_public_total: Option<Amount>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    Summary,
    Income,
    Expenditure,
    FiscalAppropriationSummary,
    GeneralBudgetExpenditure,
    GeneralBudgetBasicExpenditure,
    GovFundIncome,
    GovFundExpenditure,
    StateCapital,
    ThreePublic,
    OperatingCosts,
    ProjectExpenditure,
    PerformanceTargets,
    Other,
}

impl TableKind {
    /// A table of budget figures: not a performance form, not a table of no known kind.
    pub fn holds_budget_figures(&self) -> bool {
        !matches!(self, TableKind::Other | TableKind::PerformanceTargets)
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            TableKind::Summary => "summary",
            TableKind::Income => "income",
            TableKind::Expenditure => "expenditure",
            TableKind::FiscalAppropriationSummary => "fiscal_appropriation_summary",
            TableKind::GeneralBudgetExpenditure => "general_budget_expenditure",
            TableKind::GeneralBudgetBasicExpenditure => "general_budget_basic_expenditure",
            TableKind::GovFundIncome => "gov_fund_income",
            TableKind::GovFundExpenditure => "gov_fund_expenditure",
            TableKind::StateCapital => "state_capital",
            TableKind::ThreePublic => "three_public",
            TableKind::OperatingCosts => "operating_costs",
            TableKind::ProjectExpenditure => "project_expenditure",
            TableKind::PerformanceTargets => "performance_targets",
            TableKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowRole {
    Detail,
    Subtotal,
    Total,
    Breakdown,
}

impl RowRole {
    /// The name the JSON uses: `detail` ….
    pub fn as_str(&self) -> &'static str {
        match self {
            RowRole::Detail => "detail",
            RowRole::Subtotal => "subtotal",
            RowRole::Total => "total",
            RowRole::Breakdown => "breakdown",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Income,
    Expenditure,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Table {
    pub kind: TableKind,
    pub title: Option<String>,
    pub label: Option<String>,
    pub pages: Vec<usize>,
    pub amount_unit: Option<String>,
    /// The unit named in the table's head (编制单位：…), as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_name: Option<String>,
    pub empty: bool,
    /// Canonical amount column keys present, in printed order.
    pub columns: Vec<String>,
    /// Printed header text of each column in `columns` (header rows joined with `/`).
    pub column_headers: Vec<String>,
    /// Where a table shows both budget and actual figures: `budget` / `final` per column key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub column_phases: BTreeMap<String, String>,
    pub rows: Vec<Row>,
    /// A note printed with the table (e.g. 本表无数据).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Performance-target forms (绩效目标表): one record per project form; their rows stay empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<PerformanceTarget>,
    /// How completely and certainly this table was read.
    #[serde(default)]
    pub extraction: Extraction,
}

/// One performance-target form (项目支出绩效目标表 / 整体绩效目标表), as printed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PerformanceTarget {
    /// 项目名称 (for a unit-wide form: 部门/单位名称).
    pub project_name: Option<String>,
    /// 主管部门(及代码), as printed: "067-阳泉市退役军人事务局".
    pub department: Option<String>,
    /// The code printed before the department name, if any: "067".
    pub department_code: Option<String>,
    /// 实施单位.
    pub implementing_unit: Option<String>,
    /// 项目属性.
    pub project_attribute: Option<String>,
    /// 项目期, as printed ("2年", "99年").
    pub project_period: Option<String>,
    /// The unit the form prints its funds in (项目资金（元）).
    pub funds_unit: Option<String>,
    /// Funds over the implementation period (实施期资金总额 and its sources), in yuan.
    pub funds_period: Funds,
    /// Funds of this year (年度资金总额 and its sources), in yuan.
    pub funds_annual: Funds,
    /// 项目概况.
    pub overview: Option<String>,
    /// 立项依据.
    pub basis: Option<String>,
    /// 项目设立必要性.
    pub necessity: Option<String>,
    /// 保证项目实施的制度、措施.
    pub measures: Option<String>,
    /// 项目实施计划.
    pub plan: Option<String>,
    /// 实施期目标 (总体目标 over the implementation period).
    pub goal_period: Option<String>,
    /// 年度目标.
    pub goal_annual: Option<String>,
    /// Indicator rows, in printed order.
    pub indicators: Vec<Indicator>,
    /// Labelled fields the recognizer has no name for, as printed (label → text).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub other_fields: BTreeMap<String, String>,
    /// Self-evaluation forms (绩效自评表): 实际完成情况 beside the 年度目标.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_achieved: Option<String>,
    /// Self-evaluation forms: one line per funds row (年度资金总额, 其中: 当年财政拨款 …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub execution: Vec<ExecutionLine>,
    /// Self-evaluation forms: 总分 as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_score: Option<String>,
    pub pages: Vec<usize>,
}

/// A funds row of a self-evaluation form: budget, execution and score.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExecutionLine {
    /// The row's label as printed (年度资金总额, 其中：当年财政拨款, 上年结转资金, 其他资金).
    pub line: String,
    /// 年初预算数 (yuan).
    pub initial_budget: Option<Amount>,
    /// 全年预算数 (yuan).
    pub full_year_budget: Option<Amount>,
    /// 全年执行数 (yuan).
    pub executed: Option<Amount>,
    /// 执行率 as printed ("95.00%").
    pub execution_rate: Option<String>,
    /// 分值 and 得分 as printed.
    pub max_score: Option<String>,
    pub score: Option<String>,
}

/// Amounts of one funding column of a performance-target form (yuan; null where blank).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Funds {
    /// 资金总额.
    pub total: Option<Amount>,
    /// 中央财政资金.
    pub central: Option<Amount>,
    /// 省级财政资金.
    pub provincial: Option<Amount>,
    /// 市县（区）财政资金.
    pub local: Option<Amount>,
    /// 单位自筹.
    pub self_raised: Option<Amount>,
    /// 其他资金.
    pub other: Option<Amount>,
    /// Printed text of each amount read, by the key above.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub raw: BTreeMap<String, String>,
}

/// One indicator row: 一级 / 二级 / 三级指标 and 指标值. Level-1 and level-2 names printed in
/// vertically merged cells are carried down to the rows they cover.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// `period` (实施期目标) or `annual` (年度目标).
    pub target: String,
    pub level1: Option<String>,
    pub level2: Option<String>,
    /// 三级指标 as printed (forms often cut it short).
    pub level3: Option<String>,
    /// 指标值 as printed ("≥90%", "500元/人/次").
    pub value: Option<String>,
    /// Self-evaluation forms: 实际完成值, 分值, 得分, 偏差原因分析及改进措施, as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_score: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deviation: Option<String>,
    pub page: usize,
}

impl Table {
    /// The grand total of a basic-expenditure table: its total column, or — where 人员经费 and
    /// 公用经费 are printed in columns of their own (national 决算 template) — their sum.
    pub fn basic_grand_total(&self) -> Option<Decimal> {
        // A table by economic class printing 基本支出 beside 项目支出: its 基本支出 column.
        if self.columns.iter().any(|c| c == "basic") && self.columns.iter().any(|c| c == "project")
        {
            return self.grand_total("basic");
        }
        self.grand_total("total").or_else(|| {
            match (self.grand_total("personnel"), self.grand_total("public")) {
                (None, None) => None,
                (a, b) => a.unwrap_or_default().checked_add(b.unwrap_or_default()),
            }
        })
    }

    /// The table's grand total in column `key`: its 合计 / 总计 row; where a table prints only one
    /// total per column group (决算 基本支出表: 人员经费合计 beside 公用经费合计), their sum.
    pub fn grand_total(&self, key: &str) -> Option<Decimal> {
        use crate::pdf::normalize::squash;
        let totals: Vec<&Row> = self
            .rows
            .iter()
            .filter(|r| r.role == RowRole::Total && r.side.is_none() && r.code.is_none())
            .collect();
        if let Some(plain) = totals
            .iter()
            .find(|r| matches!(squash(&r.name).as_str(), "合计" | "总计" | ""))
        {
            return plain.values.get(key).copied().flatten().map(|a| a.0);
        }
        let mut groups: Vec<usize> = totals.iter().map(|r| r.group_index).collect();
        groups.dedup();
        if groups.len() == totals.len() && totals.len() > 1 {
            let vals: Vec<Decimal> = totals
                .iter()
                .filter_map(|r| r.values.get(key).copied().flatten().map(|a| a.0))
                .collect();
            return (!vals.is_empty()).then(|| vals.iter().sum());
        }
        totals
            .first()
            .and_then(|r| r.values.get(key).copied().flatten())
            .map(|a| a.0)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    pub code: Option<String>,
    pub name: String,
    pub role: RowRole,
    /// Summary tables: which side of the table the row is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    /// Summary tables with a second expenditure block (Jiangsu: by use — 基本/项目/预留).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub values: BTreeMap<String, Option<Amount>>,
    /// Printed text of each value (as in the document, before conversion to yuan).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub raw: BTreeMap<String, String>,
    /// Text columns of the row (项目单位, 项目类型 …), by printed header.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    /// The budget unit whose line this is or under whose line the row stands (tables listing
    /// several units: a 预算单位 column, or rows named by 单位名称).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Index (in `rows`) of the row this one is part of: 款 → its 类, 类 → the 合计 row, a unit's
    /// items → the unit's line; null for a top row.
    #[serde(default)]
    pub parent: Option<usize>,
    /// Depth: 类 1 / 款 2 / 项 3 for classification codes, nesting depth by indentation or
    /// numbering otherwise; 0 for a table's or unit's total line.
    #[serde(default)]
    pub level: Option<u8>,
    /// Which column group of the table the row was read from (summary tables have several).
    #[serde(skip)]
    pub group_index: usize,
    /// Indentation of the name in its cell, in glyph sizes (PDF input), for `level`.
    #[serde(skip)]
    pub indent: Option<f64>,
    pub page: usize,
    pub bbox: Option<[f64; 4]>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Location {
    pub table: Option<usize>,
    pub row: Option<usize>,
    pub column: Option<String>,
    pub page: Option<usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Check {
    pub rule: String,
    pub severity: Severity,
    pub passed: bool,
    pub message: String,
    pub locations: Vec<Location>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Diagnostic {
    pub level: String,
    pub message: String,
    pub page: Option<usize>,
}

impl Diagnostic {
    pub fn warning(message: impl Into<String>, page: Option<usize>) -> Self {
        Diagnostic {
            level: "warning".into(),
            message: message.into(),
            page,
        }
    }
    pub fn info(message: impl Into<String>, page: Option<usize>) -> Self {
        Diagnostic {
            level: "info".into(),
            message: message.into(),
            page,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_serialize_with_two_decimals() {
        let a = Amount(Decimal::new(77_448, 2) * Decimal::from(10_000));
        assert_eq!(
            serde_json::to_string(&a).ok().as_deref(),
            Some("\"7744800.00\"")
        );
        let b: Amount = serde_json::from_str("\"12.5\"").unwrap_or(Amount(Decimal::ZERO));
        assert_eq!(b.to_string(), "12.50");
    }
}
