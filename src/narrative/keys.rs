//! The registry of key phrases: which words right before an amount name which quantity (the
//! keys listed in the module doc), and the characters that may stand before a total. Kept as data
//! apart from the reading, so that a phrase is added or narrowed in one place.

/// Key phrases for money facts, most specific first. `both` marks combined income/expenditure
/// totals (收、支预算总计) that yield two facts; `bare` marks phrases that are totals only when
/// nothing qualifies them (收入预算 at the start of a clause, not 事业收入预算).
pub(super) struct KeySpec {
    pub(super) key: &'static str,
    pub(super) pattern: &'static str,
    pub(super) kind: SpecKind,
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum SpecKind {
    Plain,
    Both,
    Bare,
    /// 基本支出 / 项目支出: scoped by 一般公共预算 / 财政拨款 in the sentence.
    Scoped,
}

pub(super) const KEY_SPECS: &[KeySpec] = &[
    KeySpec {
        key: "fiscal_appropriation_total",
        pattern: r"财政拨款(?:收支|收、支|收入、支出|收入支出|收入和支出)(?:预算|决算)?(?:总预算|总决算|总计|总额)",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "fiscal_appropriation_total",
        pattern: r"财政拨款(?:收入|支出)(?:预算|决算)?总计",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "income_total",
        pattern: r"(?:收支|收、支|收入、支出|收入支出|收入和支出)(?:预算|决算)?(?:总预算|总决算|总计|总额)",
        kind: SpecKind::Both,
    },
    KeySpec {
        key: "income_total",
        pattern: r"(?:预算收入总计|收入预算总计|收入决算总计|收入总计|收入总预算|收入预算总额|收入总额)",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "expenditure_total",
        pattern: r"(?:预算支出总计|支出预算总计|支出决算总计|支出总计|支出总预算|支出预算总额|支出总额)",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "income_total",
        pattern: r"(?:收入预算|预算收入)",
        kind: SpecKind::Bare,
    },
    KeySpec {
        key: "expenditure_total",
        pattern: r"(?:支出预算|预算支出)",
        kind: SpecKind::Bare,
    },
    KeySpec {
        key: "current_year_income",
        pattern: r"本年收入",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "current_year_expenditure",
        pattern: r"本年支出",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "carryover",
        pattern: r"上年结转(?:和结余|结余)?",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "general_budget_income",
        pattern: r"一般公共预算(?:财政)?(?:拨款)?(?:补助)?收入",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "general_budget_expenditure",
        pattern: r"一般公共预算(?:财政)?(?:拨款)?(?:当年)?(?:预算)?支出",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "general_budget",
        pattern: r"一般公共预算(?:财政)?(?:拨款)?",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "gov_fund_income",
        pattern: r"政府性基金(?:预算)?(?:财政)?(?:拨款)?收入",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "gov_fund_expenditure",
        pattern: r"政府性基金(?:预算)?(?:财政)?(?:拨款)?(?:当年)?(?:预算)?支出",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "gov_fund",
        pattern: r"政府性基金(?:预算)?(?:财政)?(?:拨款)?",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "state_capital_income",
        pattern: r"国有资本经营(?:预算)?(?:财政)?(?:拨款)?收入",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "state_capital_expenditure",
        pattern: r"国有资本经营(?:预算)?(?:财政)?(?:拨款)?(?:当年)?(?:预算)?支出",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "state_capital",
        pattern: r"国有资本经营(?:预算)?(?:财政)?(?:拨款)?",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "fiscal_appropriation_income",
        pattern: r"财政拨款收入",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "fiscal_appropriation_expenditure",
        pattern: r"财政拨款(?:预算)?支出",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "basic",
        pattern: r"基本支出",
        kind: SpecKind::Scoped,
    },
    KeySpec {
        key: "project",
        pattern: r"项目支出",
        kind: SpecKind::Scoped,
    },
    KeySpec {
        key: "personnel",
        pattern: r"人员经费",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "public",
        pattern: r"公用经费",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "three_public",
        pattern: r#"[“"']?三公[”"']?经费"#,
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "outbound_travel",
        pattern: r"因公出国\(境\)(?:费用|费)?|因公出国境费|因公出国费",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "reception",
        pattern: r"公务接待(?:费用|费)?",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "vehicle",
        pattern: r"公务用车购置(?:及|和)运行(?:维护|维修)?(?:费用|费)?",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "vehicle_purchase",
        pattern: r"公务用车购置(?:费用|费)?",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "vehicle_operation",
        pattern: r"公务用车运行(?:维护|维修)?(?:费用|费)?",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "operating_costs",
        pattern: r"机关运行经费",
        kind: SpecKind::Plain,
    },
    KeySpec {
        key: "procurement_total",
        pattern: r"政府采购(?:预算|支出)?(?:总额|总金额|合计|总计)?",
        kind: SpecKind::Plain,
    },
];

/// Last characters of a unit name or a year ("…服务中心", "2024年度").
pub(super) const SUBJECT_ENDS: &str = "年度心处厅局院会委室所站队校馆团部门位司办府";

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use crate::model::Amount;
    use crate::narrative::extract;
    use crate::narrative::test_util::{d, lines, yuan};

    #[test]
    fn income_breakdown_with_shares() {
        let facts = extract(&lines(&["2024年度阳泉市退役军人服务中心预算收入774.48万元，主要包括一般公共预算拨款收入774.48万元，占100.00%；政府性基金预算拨款收入0万元，占0%；国有资本经营预算拨款收入0万元，占0%；财政专户管理资金收入0万元，占0%；单位资金0万元，占0%；上年结转0万元，占0%。"]));
        let got: Vec<(&str, Option<Amount>, Option<Decimal>)> = facts
            .iter()
            .map(|f| (f.key.as_str(), f.amount, f.share_percent))
            .collect();
        assert_eq!(
            got,
            [
                ("income_total", yuan("7744800"), None),
                ("general_budget_income", yuan("7744800"), Some(d("100.00"))),
                ("gov_fund_income", yuan("0"), Some(d("0"))),
                ("state_capital_income", yuan("0"), Some(d("0"))),
                ("carryover", yuan("0"), Some(d("0"))),
            ]
        );
    }

    #[test]
    fn fiscal_appropriation_total_and_parts() {
        let facts = extract(&lines(&["2024年度阳泉市退役军人服务中心财政拨款收支总预算0万元。其中：一般公共预算拨款0万元，政府性基金预算拨款0万元，国有资本经营预算拨款0万元。其中：当年拨款收入0万元，上年结转收入0万元。支出包括：无。"]));
        let keys: Vec<&str> = facts.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "fiscal_appropriation_total",
                "general_budget",
                "gov_fund",
                "state_capital",
                "carryover"
            ]
        );
        assert!(facts.iter().all(|f| f.amount == yuan("0")));
    }

    #[test]
    fn qualified_totals_and_classes_are_not_totals() {
        let facts = extract(&lines(&[
            "2.其他资金收入预算总计15万元,与上年相比增加9.45万元,增长170.27%。",
            "(一)公共安全支出(类)检察(款):2018年预算支出合计16,444.36万元。",
            "2017年度部门支出预算安排与2016年度相比(2016年度部门支出预算安排为8,648.07万元),增加498.72万元,增长5.77%。",
            "(8)公务接待费(款)支出16万元。",
            "其中,货物类政府采购支出预算259.32万元,占20.40%。",
            "1.一般公共服务支出10528.33万元,主要用于在职人员工资福利支出。",
        ]));
        let got: Vec<(&str, Option<Amount>, Option<Decimal>)> = facts
            .iter()
            .map(|f| (f.key.as_str(), f.amount, f.share_percent))
            .collect();
        assert_eq!(
            got,
            [("procurement_goods", yuan("2593200"), Some(d("20.40")))]
        );
    }
}
