//! The validation engine on deliberately altered copies of the reference document (issue: trust,
//! must-show 1 and 2). Each alteration must be reported by the right rule at the right place, and
//! nothing else may change: the failing checks of the altered copy are exactly those of the
//! original plus the expected ones.

use std::collections::BTreeSet;

use gongkai::extract::{extract_bytes, Options};
use gongkai::model::{Check, Disclosure, TableKind};

const SEED: &str = "../shared/corpus/seed/yangquan-veterans-service-center-2024.txt";

fn seed() -> String {
    std::fs::read_to_string(SEED).expect("seed text readable")
}

fn run(text: &str) -> Disclosure {
    extract_bytes("seed.txt", text.as_bytes(), &Options::default()).expect("text extracts")
}

fn failing(d: &Disclosure) -> BTreeSet<(String, String)> {
    d.checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| (c.rule.clone(), c.message.clone()))
        .collect()
}

/// Replace the `nth` (0-based) line equal to `line` (compared without surrounding whitespace).
fn replace_line(text: &str, line: &str, nth: usize, with: &str) -> String {
    let mut seen = 0;
    let mut out = Vec::new();
    let mut done = false;
    for l in text.lines() {
        if !done && l.trim_end() == line.trim_end() {
            if seen == nth {
                out.push(with.to_string());
                done = true;
                continue;
            }
            seen += 1;
        }
        out.push(l.to_string());
    }
    assert!(done, "line {line:?} #{nth} not found in the seed");
    out.join("\n")
}

/// The checks that fail in the altered copy but not in the original.
fn new_failures(altered: &Disclosure, original: &Disclosure) -> Vec<Check> {
    let before = failing(original);
    altered
        .checks
        .iter()
        .filter(|c| !c.passed && !before.contains(&(c.rule.clone(), c.message.clone())))
        .cloned()
        .collect()
}

fn rules(checks: &[Check]) -> BTreeSet<&str> {
    checks.iter().map(|c| c.rule.as_str()).collect()
}

#[test]
fn the_original_reports_its_own_contradictions() {
    let d = run(&seed());
    // The reference document's narrative says 支出预算0万元 and 财政拨款收支总预算0万元 beside tables
    // totalling 774.48万元: both must be reported, and no table identity fails.
    let msgs: Vec<&str> = d
        .checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| c.message.as_str())
        .collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("expenditure_total 0万元") && m.contains("774.48万元")),
        "{msgs:#?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("fiscal_appropriation_total 0万元") && m.contains("774.48万元")),
        "{msgs:#?}"
    );
    assert_eq!(d.verdict.errors, 0, "{msgs:#?}");
    assert_eq!(d.verdict.status, "warnings");
    assert!(
        d.checks
            .iter()
            .all(|c| c.passed || c.rule.starts_with("narrative.")),
        "{msgs:#?}"
    );
}

#[test]
fn a_changed_leaf_amount_breaks_its_class_sum() {
    let original = run(&seed());
    // In 表五 (general budget), 2080505 from 11.05 to 12.05 (total and basic).
    let altered_text = replace_line(
        &seed(),
        "2080505\t机关事业单位基本养老保险缴费支出\t11.05\t11.05\t",
        1,
        "2080505\t机关事业单位基本养老保险缴费支出\t12.05\t12.05\t",
    );
    let altered = run(&altered_text);
    let new = new_failures(&altered, &original);
    assert_eq!(
        rules(&new),
        BTreeSet::from(["hierarchy.rollup"]),
        "{new:#?}"
    );
    let gb = altered
        .tables
        .iter()
        .position(|t| t.kind == TableKind::GeneralBudgetExpenditure)
        .expect("gb table");
    let parent_row = altered.tables[gb]
        .rows
        .iter()
        .position(|r| r.code.as_deref() == Some("20805"))
        .expect("20805 row");
    let leaf_row = altered.tables[gb]
        .rows
        .iter()
        .position(|r| r.code.as_deref() == Some("2080505"))
        .expect("leaf row");
    for c in &new {
        assert_eq!(c.locations[0].table, Some(gb));
        assert_eq!(c.locations[0].row, Some(parent_row));
        assert!(
            c.locations.iter().any(|l| l.row == Some(leaf_row)),
            "{c:#?}"
        );
        assert!(
            c.message.contains("16.57万元") && c.message.contains("17.57万元"),
            "{}",
            c.message
        );
    }
    // Both printed columns of the row are reported.
    let cols: BTreeSet<_> = new
        .iter()
        .filter_map(|c| c.locations[0].column.clone())
        .collect();
    assert_eq!(
        cols,
        BTreeSet::from(["basic".to_string(), "total".to_string()])
    );
}

#[test]
fn a_changed_total_is_reported_where_it_is() {
    let original = run(&seed());
    let altered = run(&replace_line(
        &seed(),
        "合计\t\t774.48\t115.52\t658.96",
        0,
        "合计\t\t784.48\t115.52\t658.96",
    ));
    let new = new_failures(&altered, &original);
    // The 合计 row no longer adds up over its classes nor over its columns, and the narrative's
    // 一般公共预算当年支出 774.48万元 no longer matches it.
    assert_eq!(
        rules(&new),
        BTreeSet::from(["table.total_row", "row.columns", "narrative.amounts"]),
        "{new:#?}"
    );
    let gb = altered
        .tables
        .iter()
        .position(|t| t.kind == TableKind::GeneralBudgetExpenditure)
        .expect("gb table");
    let total = new
        .iter()
        .find(|c| c.rule == "table.total_row")
        .expect("total rule");
    assert_eq!(total.locations[0].table, Some(gb));
    assert_eq!(total.locations[0].row, Some(0));
    assert_eq!(total.locations[0].column.as_deref(), Some("total"));
    assert!(total.message.contains("784.48万元"), "{}", total.message);
    assert_eq!(
        altered
            .totals
            .general_budget_expenditure_total
            .map(|a| a.to_string())
            .as_deref(),
        Some("7844800.00")
    );
}

#[test]
fn an_unbalanced_summary_is_an_error() {
    let original = run(&seed());
    let altered = run(&replace_line(
        &seed(),
        "收入总计\t774.48\t支出总计\t774.48\t774.48\t",
        0,
        "收入总计\t774.48\t支出总计\t775.48\t774.48\t",
    ));
    let new = new_failures(&altered, &original);
    assert_eq!(
        rules(&new),
        BTreeSet::from([
            "summary.balance",
            "summary.composition",
            "narrative.amounts"
        ]),
        "{new:#?}"
    );
    let balance = new
        .iter()
        .find(|c| c.rule == "summary.balance")
        .expect("balance");
    assert!(
        balance.message.contains("774.48万元") && balance.message.contains("775.48万元"),
        "{}",
        balance.message
    );
    assert_eq!(altered.verdict.status, "errors");
    let summary = altered
        .tables
        .iter()
        .position(|t| t.kind == TableKind::Summary)
        .expect("summary");
    assert!(balance.locations.iter().all(|l| l.table == Some(summary)));
}

#[test]
fn a_narrative_figure_that_disagrees_is_a_warning() {
    let original = run(&seed());
    let text = seed().replace(
        "一般公共预算当年支出774.48万元,主要用于以下方面",
        "一般公共预算当年支出777.48万元,主要用于以下方面",
    );
    assert_ne!(text, seed(), "the sentence is in the seed");
    let altered = run(&text);
    let new = new_failures(&altered, &original);
    assert_eq!(
        rules(&new),
        BTreeSet::from(["narrative.amounts"]),
        "{new:#?}"
    );
    assert!(
        new[0].message.contains("777.48万元") && new[0].message.contains("774.48万元"),
        "{}",
        new[0].message
    );
    assert_eq!(altered.verdict.errors, 0);
}

#[test]
fn a_missing_table_is_reported() {
    let original = run(&seed());
    // Drop 表十 (the 三公 table): its label, title, unit lines, rows and note.
    let text = seed();
    let start = text.find("预算公开表10").expect("label");
    let end = start + text[start..].find("注：本表无数据").expect("note") + "注：本表无数据".len();
    let altered = run(&format!("{}{}", &text[..start], &text[end..]));
    assert!(altered
        .tables
        .iter()
        .all(|t| t.kind != TableKind::ThreePublic));
    let new = new_failures(&altered, &original);
    assert_eq!(
        rules(&new),
        BTreeSet::from(["completeness.tables"]),
        "{new:#?}"
    );
    assert!(new[0].message.contains("三公"), "{}", new[0].message);
}

/// Must-show 2: the unaltered budget corpus reports no error; the only warnings are the
/// publications' own contradictions, listed here with what the page says.
#[test]
fn the_budget_corpus_reports_only_real_inconsistencies() {
    let budgets = [
        "jiangsu/fayuan-2017.pdf",
        "jiangsu/jianchayuan-2017.pdf",
        "jiangsu/jianchayuan-2018.pdf",
        "jiangsu/renda-2017.pdf",
        "jiangsu/renda-2019.pdf",
        "jiangsu/renda-2019-tables.pdf",
        "jiangsu/weiban-2017.pdf",
        "jiangsu/weiban-2017-tables.pdf",
        "jiangsu/weiban-2018.pdf",
        "jiangsu/weiban-2018-tables.pdf",
        "jiangsu/zhengxie-2017.pdf",
        "jiangsu/zhengxie-2017-tables.pdf",
        "jiangsu/zhengxie-2019.pdf",
        "jiangsu/zhengxie-2019-tables.pdf",
        "shanghai/wanli-street-2024.pdf",
        "shanghai/gov-office-dept-2025.pdf",
        "shanghai/commerce-unit-2025.pdf",
    ];
    for file in budgets {
        let path = std::path::Path::new("../shared/corpus/real").join(file);
        let d = gongkai::extract::extract_file(&path, &Options::default()).expect("extracts");
        let failed: Vec<String> = d
            .checks
            .iter()
            .filter(|c| !c.passed)
            .map(|c| format!("{} {}", c.rule, c.message))
            .collect();
        assert_eq!(d.verdict.errors, 0, "{file}: {failed:#?}");
        // Each the publication's own, read off the rendered page (rule, words of the finding).
        let expected: &[(&str, &str)] = match file {
            // p19 prints 基本支出 both as 12323.48 and as 12323.46万元; p22 says +3401.59万元 is
            // +129.97% on 6032.55万元, which is +129.29%.
            "jiangsu/jianchayuan-2017.pdf" => &[
                ("narrative.amounts", "12323.46万元"),
                ("narrative.change", "129.97%"),
            ],
            // p21 calls 2040502 一般行政管理事务 "一般行政事务管理"; p22 提租补贴 1959.99, +865.57:
            // +79.09%, printed 79.05%.
            "jiangsu/fayuan-2017.pdf" => &[
                ("narrative.item_names", "一般行政事务管理"),
                ("narrative.item_change", "79.05%"),
            ],
            // p26: 一般行政管理事务 3,666, +21.8 is +0.60% (printed 0.06%); 检察监督支出 1,895,
            // −134 is −6.60% (printed 0.66%); 2080504 未归口管理的行政单位离退休 named
            // "未归口管理行政单位离退休费".
            "jiangsu/jianchayuan-2018.pdf" => &[
                ("narrative.item_change", "0.06%"),
                ("narrative.item_change", "0.66%"),
                ("narrative.item_names", "未归口管理行政单位离退休费"),
            ],
            // p8: 行政运行 6106.99, +101.48 is +1.69% (printed 1.66%: the change over this year).
            "jiangsu/weiban-2017.pdf" => &[("narrative.item_change", "1.66%")],
            // p9: 住房公积金 headed 350.35万元 (the table's 3,503,499元), its body says 352.67.
            "shanghai/wanli-street-2024.pdf" => &[("narrative.item_heading", "352.67万元")],
            _ => &[],
        };
        assert_eq!(failed.len(), expected.len(), "{file}: {failed:#?}");
        for (rule, words) in expected {
            assert!(
                failed
                    .iter()
                    .any(|f| f.starts_with(rule) && f.contains(words)),
                "{file}: {rule} {words}: {failed:#?}"
            );
        }
    }
}
