//! Golden test for performance-target forms (issue: final accounts and performance targets,
//! must-show 2).
//!
//! The reference document (a Shanxi city-level unit budget) carries six 项目支出绩效目标表. Their
//! records — project name, 主管部门, 实施单位, 项目属性, 项目期, funds per period and year in yuan,
//! the text fields, both goals and every indicator row — are frozen in
//! `tests/expected/performance-seed.json`, checked by hand against the seed text once. The same
//! records must come out of the project's sample PDF generated from that text (ruled grid, cells
//! split over pages), so the PDF path and the text path are held to one answer.
//! `GONGKAI_BLESS=1` rewrites the golden file; never bless blindly.

use std::path::Path;

use gongkai::model::{Disclosure, PerformanceTarget, TableKind};
use serde_json::Value;

fn extract(path: &str) -> Disclosure {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    gongkai::extract::extract_file(&p, &Default::default())
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn targets(d: &Disclosure) -> Vec<PerformanceTarget> {
    d.tables
        .iter()
        .filter(|t| t.kind == TableKind::PerformanceTargets)
        .flat_map(|t| t.targets.iter().cloned())
        .collect()
}

/// The record without what legitimately differs between text and PDF input (pages, printed raw
/// amount text is the same but pages are not).
fn comparable(t: &PerformanceTarget) -> Value {
    let mut v = serde_json::to_value(t).expect("serializes");
    if let Some(o) = v.as_object_mut() {
        o.remove("pages");
        if let Some(Value::Array(inds)) = o.get_mut("indicators") {
            for i in inds {
                if let Some(io) = i.as_object_mut() {
                    io.remove("page");
                }
            }
        }
    }
    v
}

const SEED: &str = "../shared/corpus/seed/yangquan-veterans-service-center-2024.txt";
const SAMPLE: &str = "samples/yangquan-veterans-service-center-2024.pdf";

#[test]
fn seed_performance_targets_match_the_golden_file() {
    let got: Vec<Value> = targets(&extract(SEED)).iter().map(comparable).collect();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expected/performance-seed.json");
    if std::env::var("GONGKAI_BLESS").is_ok_and(|v| v == "1") {
        let text = serde_json::to_string_pretty(&got).expect("json") + "\n";
        std::fs::write(&path, text).expect("golden written");
        return;
    }
    let want: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("golden file"))
            .expect("golden json");
    assert_eq!(got.len(), want.len(), "number of forms");
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g, w, "form {i} differs from the golden file");
    }
}

#[test]
fn six_projects_with_their_funds_in_yuan() {
    let t = targets(&extract(SEED));
    let names: Vec<&str> = t.iter().filter_map(|p| p.project_name.as_deref()).collect();
    assert_eq!(
        names,
        [
            "退役军人服务中心工作经费",
            "双拥创建活动",
            "2022年慰问驻军和军队离退休干部",
            "自主就业退役士兵职业教育和技能培训生活补助费",
            "对部分就业困难军人进行帮扶就业",
            "对部分就业困难军人进行帮扶就业",
        ]
    );
    let yuan = |a: Option<gongkai::model::Amount>| a.map(|a| a.to_string());
    let period: Vec<Option<String>> = t.iter().map(|p| yuan(p.funds_period.total)).collect();
    let annual: Vec<Option<String>> = t.iter().map(|p| yuan(p.funds_annual.total)).collect();
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        period,
        [
            s("774000.00"),
            s("771000.00"),
            s("300000.00"),
            s("259200.00"),
            s("2350000.00"),
            s("2600000.00")
        ]
    );
    // The third form prints no annual figures (the cells are empty).
    assert_eq!(
        annual,
        [
            s("150000.00"),
            s("480000.00"),
            None,
            s("129600.00"),
            s("2350000.00"),
            s("250000.00")
        ]
    );
    // Form 5 books its year's money as provincial, its period's as local.
    assert_eq!(yuan(t[4].funds_annual.provincial), s("2350000.00"));
    assert_eq!(yuan(t[4].funds_period.local), s("2350000.00"));
    for p in &t {
        assert_eq!(p.department.as_deref(), Some("067-阳泉市退役军人事务局"));
        assert_eq!(p.department_code.as_deref(), Some("067"));
        assert_eq!(
            p.implementing_unit.as_deref(),
            Some("阳泉市退役军人服务中心")
        );
        assert_eq!(p.funds_unit.as_deref(), Some("元"));
    }
    let periods: Vec<&str> = t
        .iter()
        .filter_map(|p| p.project_period.as_deref())
        .collect();
    assert_eq!(periods, ["2年", "99年", "99年", "2年", "99年", "99年"]);
    // Indicator rows: both halves (实施期 and 年度), levels carried down merged cells.
    let counts: Vec<usize> = t.iter().map(|p| p.indicators.len()).collect();
    assert_eq!(counts, [28, 10, 12, 16, 14, 14]);
    let sat = t[2]
        .indicators
        .iter()
        .find(|i| i.level3.as_deref() == Some("部队官兵满意度") && i.target == "period")
        .expect("satisfaction indicator");
    assert_eq!(sat.level1.as_deref(), Some("满意度指标"));
    assert_eq!(sat.level2.as_deref(), Some("服务对象满意度"));
    assert_eq!(sat.value.as_deref(), Some(">95%"));
    // A cut label (服务对象满意度指) is still a level-2 name, not an indicator.
    assert!(t
        .iter()
        .flat_map(|p| &p.indicators)
        .all(|i| i.level3.as_deref() != Some("服务对象满意度指")));
}

#[test]
fn the_generated_pdf_gives_the_same_records_as_the_text() {
    let text: Vec<Value> = targets(&extract(SEED)).iter().map(comparable).collect();
    let pdf: Vec<Value> = targets(&extract(SAMPLE)).iter().map(comparable).collect();
    assert_eq!(text.len(), 6);
    assert_eq!(pdf.len(), text.len());
    for (i, (a, b)) in text.iter().zip(&pdf).enumerate() {
        assert_eq!(a, b, "form {i}: PDF and text differ");
    }
}

#[test]
fn a_changed_source_breaks_the_funds_sum() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED);
    let text = std::fs::read_to_string(&path).expect("seed");
    let fails = |t: &str| -> Vec<String> {
        let d = gongkai::extract::extract_bytes("seed.txt", t.as_bytes(), &Default::default())
            .expect("reads");
        d.checks
            .iter()
            .filter(|c| c.rule == "performance.funds" && !c.passed)
            .map(|c| c.message.clone())
            .collect()
    };
    assert!(fails(&text).is_empty());
    // The first form's 市县(区)财政资金 for the implementation period: 774,000 → 764,000.
    let at = text.find("市县(区)财政资金\t774,000").expect("funds line");
    let mut altered = text.clone();
    altered.replace_range(
        at..at + "市县(区)财政资金\t774,000".len(),
        "市县(区)财政资金\t764,000",
    );
    let f = fails(&altered);
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0].contains("退役军人服务中心工作经费")
            && f[0].contains("774000.00")
            && f[0].contains("764000.00")
    );
}

/// Guangzhou prints its 项目支出绩效目标表 as a list (one row per project, a unit's line above its
/// projects, the indicators packed in one cell), its column header repeated on each of 140
/// pages. Figures read off the rendered pages 1 and 140 (`pdftoppm -png`).
#[test]
fn guangzhou_list_layout_gives_one_target_per_project_row() {
    let d = extract("../shared/corpus/national/guangdong/guangzhou-sthjj-2026-xmjx.pdf");
    let perf: Vec<_> = d
        .tables
        .iter()
        .filter(|t| t.kind == TableKind::PerformanceTargets)
        .collect();
    assert_eq!(perf.len(), 1, "one table over its pages");
    assert_eq!(perf[0].pages.len(), 140);
    let ts = targets(&d);
    assert_eq!(ts.len(), 300);

    let first = &ts[0];
    assert_eq!(
        first.project_name.as_deref(),
        Some("广州市镇(街)园区环保监督检查员经费(越秀区)")
    );
    assert_eq!(first.implementing_unit.as_deref(), Some("广州市生态环境局"));
    assert_eq!(first.funds_unit.as_deref(), Some("万元"));
    assert_eq!(
        first.funds_annual.total.map(|a| a.0.to_string()).as_deref(),
        Some("2380000.00")
    );
    assert_eq!(
        first.funds_annual.raw.get("total").map(String::as_str),
        Some("238.00")
    );
    assert_eq!(
        first.other_fields.get("财政拨款").map(String::as_str),
        Some("238.00")
    );
    assert!(first
        .goal_annual
        .as_deref()
        .unwrap_or("")
        .starts_with("通过开展广州市建立镇(街)园区"));
    // Six items, each with its 实施期 and its 年度 value.
    assert_eq!(first.indicators.len(), 12);
    let i0 = &first.indicators[0];
    assert_eq!(
        (
            i0.target.as_str(),
            i0.level1.as_deref(),
            i0.level2.as_deref(),
            i0.level3.as_deref(),
            i0.value.as_deref()
        ),
        (
            "period",
            Some("产出指标"),
            Some("数量指标"),
            Some("项目专职环保员数量"),
            Some("≦核定人数")
        )
    );
    let i5 = &first.indicators[5];
    assert_eq!(
        (
            i5.target.as_str(),
            i5.level3.as_deref(),
            i5.value.as_deref()
        ),
        ("annual", Some("专职环保员队伍管理规范化"), Some("是"))
    );
    assert_eq!(
        ts[1].funds_annual.total.map(|a| a.0.to_string()).as_deref(),
        Some("6195000.00")
    );

    let last = ts.last().expect("a last project");
    assert_eq!(last.project_name.as_deref(), Some("机构运行辅助经费"));
    assert_eq!(last.pages, vec![140]);
    assert_eq!(
        last.funds_annual.total.map(|a| a.0.to_string()).as_deref(),
        Some("140000.00")
    );
    assert_eq!(last.indicators.len(), 10);
    assert_eq!(last.indicators[0].level1.as_deref(), Some("成本指标"));

    // 合计 37,367.86 万元; the projects sum to 37,367.99 (each of 300 rounded to 0.01 万元).
    let sum: rust_decimal::Decimal = ts
        .iter()
        .filter_map(|t| t.funds_annual.total)
        .map(|a| a.0)
        .sum();
    assert_eq!(sum.to_string(), "373679900.00");
    assert_eq!(
        d.extraction.status,
        gongkai::model::ExtractionStatus::Complete
    );
}
