//! Final accounts (决算) — issue "final accounts and performance targets", must-show 1 and 3.
//!
//! 1. Golden projections of the two Shanghai final-account PDFs: kind, year, unit; every table's
//!    kind, title, unit, pages and columns; the totals; the summary's rows (both sides); every row of
//!    the general-budget table; the 三公 table with its 预算数 / 决算数 columns and their phases.
//!    `tests/expected/final-*.json` were generated once, checked by hand against the rendered pages
//!    and frozen (`GONGKAI_BLESS=1` rewrites them; never bless blindly).
//! 2. The checks on the unaltered files report only the publications' own inconsistencies.
//! 3. Planted inconsistencies in a copy of the model are each caught by the rule meant for them, and
//!    by nothing unrelated.

mod common {
    pub mod schema;
}

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use gongkai::model::{Amount, Disclosure, Severity, Side, TableKind};
use gongkai::narrative::comparisons::Comparison;
use gongkai::narrative::Fact;
use rust_decimal::Decimal;
use serde_json::{json, Value};

const PLANNING: &str = "../shared/corpus/real/shanghai/planning-final-2024.pdf";
const SOCIAL: &str = "../shared/corpus/real/shanghai/social-work-final-2024.pdf";
const TEMPLATE: &str = "../shared/corpus/real/shanghai/final-account-template-blank.pdf";

fn extract(path: &str) -> Disclosure {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    gongkai::extract::extract_file(&p, &Default::default())
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn values(v: &BTreeMap<String, Option<Amount>>) -> Value {
    let m: BTreeMap<&String, Option<String>> = v
        .iter()
        .map(|(k, a)| (k, a.map(|a| a.to_string())))
        .collect();
    json!(m)
}

fn projection(d: &Disclosure) -> Value {
    let tables: Vec<Value> = d
        .tables
        .iter()
        .map(|t| {
            json!({"kind": t.kind.as_str(), "title": t.title, "amount_unit": t.amount_unit,
                   "pages": t.pages, "empty": t.empty, "columns": t.columns,
                   "column_phases": t.column_phases})
        })
        .collect();
    let rows_of = |kind: TableKind| -> Vec<Value> {
        d.tables
            .iter()
            .filter(|t| t.kind == kind)
            .take(1)
            .flat_map(|t| t.rows.iter())
            .map(|r| {
                json!({"side": r.side.map(|s| if s == Side::Income { "income" } else { "expenditure" }),
                       "code": r.code, "name": r.name, "values": values(&r.values)})
            })
            .collect()
    };
    json!({
        "document": {"kind": d.document.kind, "fiscal_year": d.document.fiscal_year,
                     "unit_name": d.document.unit_name},
        "tables": tables,
        "totals": d.totals,
        "summary": rows_of(TableKind::Summary),
        "general_budget_expenditure": rows_of(TableKind::GeneralBudgetExpenditure),
        "three_public": rows_of(TableKind::ThreePublic),
    })
}

#[test]
fn final_account_goldens() {
    let bless = std::env::var("GONGKAI_BLESS").is_ok_and(|v| v == "1");
    for (path, name) in [
        (PLANNING, "final-planning-2024"),
        (SOCIAL, "final-social-work-2024"),
    ] {
        let d = extract(path);
        let full = serde_json::to_value(&d).expect("serializes");
        assert!(common::schema::validate(&full).is_ok(), "{name}: schema");
        let got = projection(&d);
        let gp = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/expected/{name}.json"));
        if bless {
            std::fs::write(
                &gp,
                serde_json::to_string_pretty(&got).expect("json") + "\n",
            )
            .expect("write");
            continue;
        }
        let want: Value =
            serde_json::from_str(&std::fs::read_to_string(&gp).expect("golden")).expect("json");
        for key in [
            "document",
            "tables",
            "totals",
            "summary",
            "general_budget_expenditure",
            "three_public",
        ] {
            assert_eq!(
                got[key],
                want[key],
                "{name}: {key} differs from {}",
                gp.display()
            );
        }
    }
}

#[test]
fn final_account_kinds_and_figures() {
    let d = extract(PLANNING);
    assert_eq!(
        serde_json::to_value(d.document.kind).expect("kind"),
        json!("department_final_account")
    );
    assert_eq!(d.document.fiscal_year, Some(2024));
    assert_eq!(
        d.document.unit_name.as_deref(),
        Some("上海市普陀区规划和自然资源局")
    );
    let t = |v: &str| Some(Amount(v.parse::<Decimal>().expect("decimal")));
    assert_eq!(d.totals.income_total, t("98593800.00"));
    assert_eq!(d.totals.general_budget_expenditure_total, t("97465000.00"));
    assert_eq!(d.totals.three_public_total, t("3900.00"));
    // 三公: 预算数 and 决算数 side by side, phases marked.
    let tp = d
        .tables
        .iter()
        .find(|t| t.kind == TableKind::ThreePublic)
        .expect("三公 table");
    assert_eq!(
        tp.column_phases
            .get("three_public_budget")
            .map(String::as_str),
        Some("budget")
    );
    assert_eq!(
        tp.column_phases.get("three_public").map(String::as_str),
        Some("final")
    );
    assert_eq!(
        tp.column_phases.get("vehicle_purchase").map(String::as_str),
        Some("final")
    );
    let row = tp.rows.first().expect("三公 row");
    assert_eq!(
        row.values.get("three_public_budget").copied().flatten(),
        t("28500.00")
    );
    assert_eq!(row.values.get("reception").copied().flatten(), t("3900.00"));
    // Summary extra rows of a final account.
    let s = d
        .tables
        .iter()
        .find(|t| t.kind == TableKind::Summary)
        .expect("summary");
    let named = |n: &str| {
        s.rows
            .iter()
            .find(|r| r.name == n)
            .and_then(|r| r.values.get("total").copied().flatten())
    };
    assert_eq!(named("年初结转和结余"), t("1128800.00"));
    assert_eq!(named("年末结转和结余"), t("1000000.00"));
    assert!(s.rows.iter().any(|r| r.name == "使用非财政拨款结余"));
    assert!(s.rows.iter().any(|r| r.name == "结余分配"));
    // The 决算 gov-fund table: 合计 printed beside the sub-headers is a row, 本年收入 a column.
    let gf = d
        .tables
        .iter()
        .find(|t| t.kind == TableKind::GovFundExpenditure)
        .expect("gov fund");
    assert_eq!(
        gf.columns,
        [
            "carryover",
            "current_income",
            "total",
            "basic",
            "project",
            "carryover_end"
        ]
    );
    assert!(gf.empty);
    // Income / expenditure tables carry the final-account columns.
    let exp = d
        .tables
        .iter()
        .find(|t| t.kind == TableKind::Expenditure)
        .expect("expenditure");
    for k in [
        "remit_superior",
        "operating_expenditure",
        "affiliate_subsidy",
    ] {
        assert!(exp.columns.iter().any(|c| c == k), "{k}");
    }
}

fn failing(d: &Disclosure) -> Vec<(String, Severity)> {
    d.checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| (c.rule.clone(), c.severity))
        .collect()
}

#[test]
fn unaltered_final_accounts_report_only_their_own_inconsistencies() {
    // planning: the p24 narrative says 基本支出 5377.64万元 where its tables say 5364.75; p22
    // names 2080599 其他行政事业单位养老支出 "机关事业单位退休人员活动费支出" and p24 names
    // 2200199 其他自然资源事务支出 by its name before 2019, "其他国土资源事务支出" (both 0.88 and
    // 45.00万元, the table's figures); p24 puts 2210201 住房公积金 and 2210203 购房补贴 under a
    // 款 "住房保障支出" that the table names 22102 住房改革支出; the p7 head of its tables names the
    // city's bureau, 上海市规划和自然资源局 (tests/publication-errors.tsv).
    let d = extract(PLANNING);
    let f = failing(&d);
    let msgs: Vec<&str> = d
        .checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| c.message.as_str())
        .collect();
    assert_eq!(
        f,
        [
            ("narrative.amounts".to_string(), Severity::Warning),
            ("narrative.item_names".to_string(), Severity::Warning),
            ("narrative.item_names".to_string(), Severity::Warning),
            ("narrative.item_names".to_string(), Severity::Warning),
            ("narrative.item_names".to_string(), Severity::Warning),
            ("consistency.unit_name".to_string(), Severity::Error)
        ],
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("机关事业单位退休人员活动费支出")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m.contains("其他国土资源事务支出")),
        "{msgs:?}"
    );
    assert!(d
        .checks
        .iter()
        .any(|c| !c.passed && c.message.contains("5377.64") && c.message.contains("5364.75")));
    // Completion rates: 9746.50 / 10210.34 = 95.457…%, printed 95.45% (truncated): accepted.
    assert!(d
        .checks
        .iter()
        .any(|c| c.rule == "narrative.comparison" && c.passed && c.message.contains("95.45%")));
    // social work: "年初预算为0万元 … 完成年初预算的95.89%" — the rate is of the 全年预算 321.02.
    let d = extract(SOCIAL);
    let f = failing(&d);
    assert_eq!(f, [("narrative.comparison".to_string(), Severity::Warning)]);
    assert!(d
        .checks
        .iter()
        .any(|c| !c.passed && c.message.contains("321.02")));
}

#[test]
fn the_blank_template_is_structure_without_figures() {
    let d = extract(TEMPLATE);
    assert!(d.document.template);
    assert!(d.diagnostics.iter().any(|g| g.message.contains("template")));
    let kinds: BTreeSet<&str> = d.tables.iter().map(|t| t.kind.as_str()).collect();
    for k in [
        "summary",
        "income",
        "expenditure",
        "general_budget_expenditure",
        "three_public",
    ] {
        assert!(kinds.contains(k), "{k} missing: {kinds:?}");
    }
    assert!(d
        .tables
        .iter()
        .flat_map(|t| &t.rows)
        .all(|r| r.values.values().all(Option::is_none)));
    assert!(d
        .checks
        .iter()
        .any(|c| c.rule == "completeness.placeholders" && !c.passed));
}

/// Re-run the checks on an altered copy of the model.
fn recheck(d: &Disclosure) -> BTreeSet<String> {
    let facts: Vec<Fact> = serde_json::from_value(d.narrative["facts"].clone()).expect("facts");
    let comparisons: Vec<Comparison> =
        serde_json::from_value(d.narrative["comparisons"].clone()).expect("comparisons");
    let items: Vec<gongkai::narrative::items::Item> =
        serde_json::from_value(d.narrative["items"].clone()).expect("items");
    gongkai::checks::run(d, &facts, &comparisons, &items)
        .into_iter()
        .filter(|c| !c.passed)
        .map(|c| c.rule)
        .collect()
}

/// Change the first narrative comparison matching `which`.
fn edit_comparison(
    d: &mut Disclosure,
    which: impl Fn(&Comparison) -> bool,
    edit: impl FnOnce(&mut Comparison),
) {
    let mut comps: Vec<Comparison> =
        serde_json::from_value(d.narrative["comparisons"].clone()).expect("comparisons");
    edit(
        comps
            .iter_mut()
            .find(|c| which(c))
            .expect("a matching statement"),
    );
    d.narrative.insert(
        "comparisons".into(),
        serde_json::to_value(&comps).expect("json"),
    );
}

fn set(d: &mut Disclosure, kind: TableKind, name: &str, key: &str, yuan: &str) {
    let t = d.tables.iter_mut().find(|t| t.kind == kind).expect("table");
    let r = t
        .rows
        .iter_mut()
        .find(|r| r.name == name || r.code.as_deref() == Some(name))
        .expect("row");
    let v: Decimal = yuan.parse().expect("decimal");
    r.values.insert(key.to_string(), Some(Amount(v)));
    // As printed: 万元 with two decimals.
    let mut printed = v / Decimal::from(10_000);
    printed.rescale(2);
    r.raw.insert(key.to_string(), printed.to_string());
}

#[test]
fn planted_inconsistencies_are_caught_by_their_rules() {
    let base = extract(PLANNING);
    let baseline = recheck(&base);
    assert_eq!(
        baseline,
        BTreeSet::from([
            "consistency.unit_name".to_string(),
            "narrative.amounts".to_string(),
            "narrative.item_names".to_string()
        ])
    );
    let new_failures = |d: &Disclosure| -> BTreeSet<String> {
        recheck(d).difference(&baseline).cloned().collect()
    };
    let rules = |v: &[&str]| {
        v.iter()
            .map(|s| s.to_string())
            .collect::<BTreeSet<String>>()
    };

    // Changed cells (table, row name, column, new value in yuan) and the rules they must break.
    type Edit = (TableKind, &'static str, &'static str, &'static str);
    let cases: &[(&str, &[Edit], &[&str])] = &[
        (
            "年初结转和结余 112.88 → 122.88万元: the income side no longer composes",
            &[(TableKind::Summary, "年初结转和结余", "total", "1228800")],
            &["summary.composition"],
        ),
        (
            "年末结转和结余 100.00 → 90.00万元: the expenditure side no longer composes",
            &[(TableKind::Summary, "年末结转和结余", "total", "900000")],
            &["summary.composition"],
        ),
        (
            "三公 公务接待费 决算 0.39 → 0.49万元: the 三公 sum, and the narrative's 0.39 / 13.68%",
            &[(TableKind::ThreePublic, "", "reception", "4900")],
            &["three_public.composition", "narrative.comparison"],
        ),
        (
            "三公 预算数 2.85 → 3.85万元 in the table: the narrative's stated budget disagrees",
            &[
                (TableKind::ThreePublic, "", "three_public_budget", "38500"),
                (TableKind::ThreePublic, "", "reception_budget", "38500"),
            ],
            &["narrative.comparison"],
        ),
    ];
    for (what, edits, expected) in cases {
        let mut d = base.clone();
        for (kind, row, key, yuan) in *edits {
            set(&mut d, *kind, row, key, yuan);
        }
        assert_eq!(new_failures(&d), rules(expected), "{what}");
    }

    // A stated completion rate changed (95.45% → 96.45%).
    let mut d = base.clone();
    edit_comparison(
        &mut d,
        |c| c.key.as_deref() == Some("general_budget_expenditure"),
        |c| c.completion_percent = Some(Decimal::new(9645, 2)),
    );
    assert_eq!(new_failures(&d), rules(&["narrative.comparison"]));

    // "决算数小于预算数" where the outcome exceeds the budget.
    let mut d = base.clone();
    edit_comparison(
        &mut d,
        |c| c.stated_relation.as_deref() == Some("less"),
        |c| c.stated_relation = Some("greater".into()),
    );
    assert_eq!(new_failures(&d), rules(&["narrative.comparison"]));

    // The 政府性基金 table rolls forward: 年初 10.00 + 本年收入 5.00 − 本年支出 8.00 = 年末 7.00万元.
    let mut d = base.clone();
    for (k, v) in [
        ("carryover", "100000"),
        ("current_income", "50000"),
        ("total", "80000"),
        ("basic", "30000"),
        ("project", "50000"),
        ("carryover_end", "70000"),
    ] {
        set(&mut d, TableKind::GovFundExpenditure, "合计", k, v);
    }
    if let Some(t) = d
        .tables
        .iter_mut()
        .find(|t| t.kind == TableKind::GovFundExpenditure)
    {
        t.empty = false;
    }
    assert_eq!(new_failures(&d), rules(&[]));
    set(
        &mut d,
        TableKind::GovFundExpenditure,
        "合计",
        "carryover_end",
        "60000",
    );
    assert_eq!(new_failures(&d), rules(&["row.columns"]));

    // A 项 of the expenditure table: basic 537.64 → 547.64 breaks its 款 sum and its row identity.
    let mut d = base.clone();
    let t = d
        .tables
        .iter_mut()
        .find(|t| t.kind == TableKind::Expenditure)
        .expect("expenditure");
    let r = t
        .rows
        .iter_mut()
        .find(|r| {
            r.code.as_deref().is_some_and(|c| c.len() == 7)
                && r.values
                    .get("basic")
                    .copied()
                    .flatten()
                    .is_some_and(|v| !v.0.is_zero())
        })
        .expect("a 项 with basic expenditure");
    let v = r.values.get("basic").copied().flatten().expect("value").0;
    r.values
        .insert("basic".into(), Some(Amount(v + Decimal::from(100_000))));
    let got = new_failures(&d);
    assert!(
        got.contains("hierarchy.rollup") && got.contains("row.columns"),
        "{got:?}"
    );
    assert!(
        got.is_subset(&rules(&[
            "hierarchy.rollup",
            "row.columns",
            "table.total_row"
        ])),
        "{got:?}"
    );
}

/// A filled 政府性基金 决算 table whose 合计 row shares its grid row with the 本年支出 sub-headers
/// (as the Shanghai template draws it): the figures stay in the 合计 row, the words become headers,
/// and the row rolls forward.
#[test]
fn filled_gov_fund_table_with_total_beside_subheaders() {
    let text = "某某局2024年度部门决算\n\n政府性基金预算财政拨款收入支出决算表\n\n单位：万元\n\n\
项目\t\t年初结转和结余\t本年收入\t本年支出\t\t\t年末结转和结余\n\
功能分类科目编码\t科目名称\t\t\t\t\t\t\n\
合计\t\t10.00\t5.00\t合计\t基本支出\t项目支出\t7.00\n\
212\t城乡社区支出\t10.00\t5.00\t8.00\t3.00\t5.00\t7.00\n";
    let d = gongkai::extract::extract_bytes("gf.txt", text.as_bytes(), &Default::default())
        .expect("reads");
    let t = d
        .tables
        .iter()
        .find(|t| t.kind == TableKind::GovFundExpenditure)
        .expect("table");
    assert_eq!(
        t.columns,
        [
            "carryover",
            "current_income",
            "total",
            "basic",
            "project",
            "carryover_end"
        ]
    );
    let total = t.rows.iter().find(|r| r.name == "合计").expect("合计 row");
    let v = |r: &gongkai::model::Row, k: &str| {
        r.values.get(k).copied().flatten().map(|a| a.to_string())
    };
    assert_eq!(v(total, "carryover").as_deref(), Some("100000.00"));
    assert_eq!(v(total, "carryover_end").as_deref(), Some("70000.00"));
    let row = t
        .rows
        .iter()
        .find(|r| r.code.as_deref() == Some("212"))
        .expect("212");
    assert_eq!(v(row, "total").as_deref(), Some("80000.00"));
    assert!(d.checks.iter().any(|c| c.rule == "row.columns" && c.passed));
    assert!(!d
        .diagnostics
        .iter()
        .any(|g| g.message.contains("not a number")));
}

/// The national 决算 template numbers its rows (行次) and columns (栏次): neither is an amount, and
/// a header row that has a 行次 column is still a header row.
#[test]
fn row_and_column_numbers_are_not_amounts() {
    let text = "某某局2023年度部门决算\n\n收入支出决算总表\n\n公开01表\n\n\
部门：某某局\t\t\t\t\t金额单位：万元\n\
收入\t\t\t支出\t\t\n\
项目\t行次\t金额\t项目\t行次\t金额\n\
栏次\t\t1\t栏次\t\t2\n\
一、一般公共预算财政拨款收入\t1\t100.00\t一、一般公共服务支出\t32\t80.00\n\
二、政府性基金预算财政拨款收入\t2\t\t二、外交支出\t33\t10.00\n\
本年收入合计\t12\t100.00\t本年支出合计\t60\t90.00\n\
使用非财政拨款结余\t13\t\t结余分配\t61\t\n\
年初结转和结余\t14\t10.00\t年末结转和结余\t62\t20.00\n\
总计\t16\t110.00\t总计\t64\t110.00\n";
    let d = gongkai::extract::extract_bytes("national.txt", text.as_bytes(), &Default::default())
        .expect("reads");
    let s = d
        .tables
        .iter()
        .find(|t| t.kind == TableKind::Summary)
        .expect("summary");
    assert_eq!(s.columns, ["total"]);
    assert_eq!(s.rows.len(), 12);
    let total_of = |side: Side, name: &str| {
        s.rows
            .iter()
            .find(|r| r.side == Some(side) && r.name == name)
            .and_then(|r| r.values.get("total").copied().flatten())
            .map(|a| a.to_string())
    };
    assert_eq!(
        total_of(Side::Income, "本年收入合计").as_deref(),
        Some("1000000.00")
    );
    assert_eq!(
        total_of(Side::Income, "年初结转和结余").as_deref(),
        Some("100000.00")
    );
    assert_eq!(
        total_of(Side::Expenditure, "一、一般公共服务支出").as_deref(),
        Some("800000.00")
    );
    assert_eq!(
        total_of(Side::Expenditure, "年末结转和结余").as_deref(),
        Some("200000.00")
    );
    assert_eq!(
        total_of(Side::Expenditure, "总计").as_deref(),
        Some("1100000.00")
    );
    // The roll-forward of the summary holds on both sides.
    let composition: Vec<bool> = d
        .checks
        .iter()
        .filter(|c| c.rule == "summary.composition")
        .map(|c| c.passed)
        .collect();
    assert_eq!(composition, [true, true]);
}

/// The national template nests the other way round — 预算数 | 决算数 above the items: the phases
/// come from the level above, and both phases' 三公 sums are checked.
#[test]
fn three_public_with_phases_above_the_items() {
    let text = "某某局2023年度部门决算\n\n一般公共预算财政拨款“三公”经费支出决算表\n\n公开07表\n\n金额单位：万元\n\
预算数\t\t\t\t\t\t决算数\t\t\t\t\t\n\
合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\t合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\n\
\t\t小计\t公务用车购置费\t公务用车运行费\t\t\t\t小计\t公务用车购置费\t公务用车运行费\t\n\
1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12\n\
30.00\t10.00\t15.00\t5.00\t10.00\t5.00\t25.00\t8.00\t14.00\t5.00\t9.00\t3.00\n";
    let d = gongkai::extract::extract_bytes("tp.txt", text.as_bytes(), &Default::default())
        .expect("reads");
    let t = d
        .tables
        .iter()
        .find(|t| t.kind == TableKind::ThreePublic)
        .expect("三公");
    assert_eq!(
        t.column_phases.get("reception_budget").map(String::as_str),
        Some("budget")
    );
    assert_eq!(
        t.column_phases.get("vehicle_operation").map(String::as_str),
        Some("final")
    );
    let row = t.rows.first().expect("row");
    let v = |k: &str| row.values.get(k).copied().flatten().map(|a| a.to_string());
    assert_eq!(v("total_budget").as_deref(), Some("300000.00"));
    assert_eq!(v("vehicle_purchase_budget").as_deref(), Some("50000.00"));
    assert_eq!(v("reception").as_deref(), Some("30000.00"));
    // The headline figure is this year's outcome (决算数): 8 + 3 + 14 万元.
    assert_eq!(
        d.totals
            .three_public_total
            .map(|a| a.to_string())
            .as_deref(),
        Some("250000.00")
    );
    let sums: Vec<bool> = d
        .checks
        .iter()
        .filter(|c| c.rule == "three_public.composition")
        .map(|c| c.passed)
        .collect();
    assert_eq!(sums, [true, true, true, true]);
    // A wrong 预算数 sum is caught.
    let broken = text.replace("30.00\t10.00", "31.00\t10.00");
    let d = gongkai::extract::extract_bytes("tp.txt", broken.as_bytes(), &Default::default())
        .expect("reads");
    assert!(d.checks.iter().any(|c| c.rule == "three_public.composition"
        && !c.passed
        && c.message.contains("预算数")));
}

/// National-template shapes: the basic-expenditure table printing 人员经费 | 公用经费 side by side
/// (its grand total is their sum), and the 财政拨款 summary checked even where the summary is absent.
#[test]
fn national_basic_table_and_appropriation_summary() {
    let text = "某某局2023年度部门决算\n\n一般公共预算财政拨款基本支出决算表\n\n公开07表\n\n金额单位：万元\n\
人员经费\t\t\t公用经费\t\t\n\
科目编码\t科目名称\t决算数\t科目编码\t科目名称\t决算数\n\
301\t工资福利支出\t50.00\t302\t商品和服务支出\t8.00\n\
30101\t基本工资\t30.00\t30201\t办公费\t5.00\n\
30102\t津贴补贴\t20.00\t30202\t印刷费\t3.00\n\
人员经费合计\t\t50.00\t公用经费合计\t\t8.00\n\n\
财政拨款收入支出决算总表\n\n公开05表\n\n金额单位：万元\n\
收入\t\t\t支出\t\t\t\t\t\n\
项目\t行次\t金额\t项目\t行次\t合计\t一般公共预算财政拨款\t政府性基金预算财政拨款\t国有资本经营预算财政拨款\n\
栏次\t\t1\t栏次\t\t2\t3\t4\t5\n\
一、一般公共预算财政拨款\t1\t100.00\t一、一般公共服务支出\t33\t90.00\t90.00\t\t\n\
本年收入合计\t3\t100.00\t本年支出合计\t60\t90.00\t90.00\t\t\n\
年初财政拨款结转和结余\t4\t5.00\t年末财政拨款结转和结余\t61\t15.00\t15.00\t\t\n\
总计\t8\t105.00\t总计\t64\t105.00\t105.00\t\t\n";
    let d = gongkai::extract::extract_bytes("national.txt", text.as_bytes(), &Default::default())
        .expect("reads");
    let basic = d
        .tables
        .iter()
        .find(|t| t.kind == TableKind::GeneralBudgetBasicExpenditure)
        .expect("basic table");
    assert_eq!(basic.columns, ["personnel", "public"]);
    assert_eq!(
        d.totals
            .general_budget_basic_total
            .map(|a| a.to_string())
            .as_deref(),
        Some("580000.00")
    );
    let composed: Vec<(bool, &str)> = d
        .checks
        .iter()
        .filter(|c| c.rule == "summary.composition" && c.severity == Severity::Error)
        .map(|c| (c.passed, c.message.as_str()))
        .collect();
    assert_eq!(composed.len(), 2, "{composed:?}");
    assert!(composed.iter().all(|(ok, m)| *ok && m.contains("105.00")));
    // 年末财政拨款结转和结余 changed to 16.00: the expenditure side no longer composes.
    let broken = text.replace("61\t15.00\t15.00", "61\t16.00\t16.00");
    let d = gongkai::extract::extract_bytes("national.txt", broken.as_bytes(), &Default::default())
        .expect("reads");
    assert!(d
        .checks
        .iter()
        .any(|c| c.rule == "summary.composition" && !c.passed && c.message.contains("支出总计")));
}
