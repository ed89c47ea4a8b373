//! Planted inconsistencies in the narrative of real PDFs (issue: every statement of the narrative
//! checked): a figure, a rate, a name, a share, a procurement part or a year is changed inside
//! the page's content stream, the copy goes through the whole pipeline, and exactly the rule for
//! that kind of statement must newly fail.

use std::collections::BTreeSet;
use std::path::Path;

use gongkai::model::Disclosure;
use lopdf::Document;
use regex::bytes::Regex;

const HANGZHOU: &str = "../shared/corpus/national/zhejiang/hangzhou-sfj-2026.pdf";
const WANLI: &str = "../shared/corpus/real/shanghai/wanli-street-2024.pdf";
const SHENZHEN: &str = "../shared/corpus/national/guangdong/shenzhen-czj-2026.pdf";

fn path(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The file with the first match of `pattern` in the content of `page` replaced by `to`
/// (`$1`… refer to the pattern's groups).
fn altered(file: &str, page: u32, pattern: &str, to: &str) -> Vec<u8> {
    let mut doc = Document::load(path(file)).expect("loads");
    let id = *doc.get_pages().get(&page).expect("page");
    let content = doc.get_page_content(id);
    let re = Regex::new(pattern).expect("pattern");
    assert!(re.is_match(&content), "{pattern} not on page {page}");
    let changed = re.replace(&content, to.as_bytes()).into_owned();
    doc.change_page_content(id, changed)
        .expect("content replaced");
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("saves");
    out
}

/// The file with the first match of `pattern` replaced in the first stream holding it (pages
/// that draw their text through a form XObject); the pattern carries enough context to be unique.
fn altered_stream(file: &str, pattern: &str, to: &str) -> Vec<u8> {
    let mut doc = Document::load(path(file)).expect("loads");
    let re = Regex::new(pattern).expect("pattern");
    let hit = doc.objects.iter_mut().find_map(|(_, o)| {
        let stream = o.as_stream_mut().ok()?;
        let content = stream.decompressed_content().ok()?;
        re.is_match(&content).then_some((stream, content))
    });
    let (stream, content) = hit.unwrap_or_else(|| panic!("{pattern} in no stream"));
    let changed = re.replace(&content, to.as_bytes()).into_owned();
    stream.set_plain_content(changed);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("saves");
    out
}

fn read(bytes: &[u8]) -> Disclosure {
    if let Some(p) = std::env::var_os("GK_DUMP") {
        std::fs::write(p, bytes).expect("dump");
    }
    gongkai::extract::extract_bytes("altered.pdf", bytes, &Default::default()).expect("reads")
}

/// (rule, message) of every failed check.
fn failing(d: &Disclosure) -> BTreeSet<(String, String)> {
    d.checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| (c.rule.clone(), c.message.clone()))
        .collect()
}

/// The rules of the findings on the altered copy that the original does not have (the
/// originals' own findings, such as wanli's p9 heading, stay out).
fn newly_failing(file: &str, bytes: Vec<u8>) -> BTreeSet<String> {
    let original = std::fs::read(path(file)).expect("pdf");
    let baseline = failing(&read(&original));
    failing(&read(&bytes))
        .difference(&baseline)
        .map(|(rule, _)| rule.clone())
        .collect()
}

/// The messages of the failed checks of `rule`.
fn messages<'a>(d: &'a Disclosure, rule: &str) -> Vec<&'a str> {
    d.checks
        .iter()
        .filter(|c| c.rule == rule && !c.passed)
        .map(|c| c.message.as_str())
        .collect()
}

fn set(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn hangzhou_item_statements() {
    // p7 "公共安全支出(类)司法(款)行政运行(项)8,553.80万元 … 比上年执行数增加2,017.17万元,增长
    // 30.9%": the table's 行政运行 is 8,553.80.
    let amount = altered(HANGZHOU, 7, r"\(8,553\.80\)", "(8,554.80)");
    assert_eq!(
        newly_failing(HANGZHOU, amount),
        set(&["narrative.item_amount"])
    );
    let rate = altered(HANGZHOU, 7, r"\(30\.9%\)", "(39.0%)");
    assert_eq!(
        newly_failing(HANGZHOU, rate),
        set(&["narrative.item_change"])
    );
    // 行政运行 → 运行行政 (glyph codes 行 0060, 政 0012, 运 0124 of the page's font): the amount
    // still ties the statement to 2040401 行政运行, whose name is now different.
    let names = altered(
        HANGZHOU,
        7,
        r"<0060>(-?[0-9]+)<0012>(-?[0-9]+)<0124>(-?[0-9]+)<0060>",
        "<0124>$1<0060>$2<0060>$3<0012>",
    );
    assert_eq!(
        newly_failing(HANGZHOU, names),
        set(&["narrative.item_names"])
    );
}

#[test]
fn hangzhou_structure_shares_and_procurement() {
    // p6: 一般公共服务(类) 14.0% and 社会保障和就业(类) 8.1% swapped: the shares still sum to 100%.
    let shares = altered(HANGZHOU, 6, r"\(14\.0%\)(.*?)\(8\.1%\)", "(8.1%)$1(14.0%)");
    assert_eq!(newly_failing(HANGZHOU, shares), set(&["narrative.shares"]));
    // p15: 政府采购预算 8,525.96 = 货物 4,721.40 + 工程 1,071.61 + 服务 2,732.95; 货物 → 4,731.40.
    let procurement = altered(HANGZHOU, 15, r"\(4,721\.40\)", "(4,731.40)");
    assert_eq!(
        newly_failing(HANGZHOU, procurement),
        set(&["narrative.procurement"])
    );
}

#[test]
fn wanli_heading_figure_against_its_body() {
    // p6 “…专项普查活动(项)”25.77万元 … 2024年预算安排25.77万元: the heading's 7 (glyph 001A)
    // before the last becomes 8 (001B): 25.87 against the body's 25.77.
    let heading = altered(
        WANLI,
        6,
        r"(<0101>Tj\s*ET\s*BT\s*[^<]*<0015>Tj[^<]*<0018>Tj[^<]*<0011>Tj[^<]*)<001A>",
        "${1}<001B>",
    );
    assert_eq!(
        newly_failing(WANLI, heading),
        set(&["narrative.item_heading"])
    );
}

#[test]
fn shenzhen_comparison_with_the_wrong_year() {
    // p6 "2026年…部门预算收入37,385.88万元,较2025年年初预算减少16,640.31万元": 2025 → 2026.
    let year = altered_stream(SHENZHEN, r"(\(37,385\.88\).*?)\(2025\)", "${1}(2026)");
    assert_eq!(
        newly_failing(SHENZHEN, year),
        set(&["narrative.year_reference"])
    );
}

#[test]
fn hangzhou_three_public_operating_costs_and_dates() {
    // p14 "2026年安排公务接待费预算74.00万元": the 三公 table's 公务接待费 is 74.00.
    let reception = altered(HANGZHOU, 14, r"\(74\.00\)", "(75.00)");
    assert_eq!(
        newly_failing(HANGZHOU, reception),
        set(&["narrative.three_public_items"])
    );
    // p15 机关运行经费 12,237.94万元 → 12,337.94: above its table and above the 公用经费.
    let costs = altered(HANGZHOU, 15, r"\(12,237\.94\)", "(12,337.94)");
    assert_eq!(
        newly_failing(HANGZHOU, costs),
        set(&["narrative.operating_costs"])
    );
    // p15 "截至2025年12月31日,本部门共有车辆56辆" → 截至2023年…: not the year before 2026.
    let date = altered(
        HANGZHOU,
        15,
        r"(?s)\(2025\)(.{0,400}?\(12\).{0,400}?\(31\))",
        "(2023)$1",
    );
    assert_eq!(newly_failing(HANGZHOU, date), set(&["consistency.dates"]));
}

#[test]
fn hangzhou_figure_in_the_wrong_unit() {
    // p7 "行政运行(项)8,553.80万元": the 万 (glyph 0106) dropped, 8,553.80元 is the table's
    // 8,553.80万元 in the wrong unit.
    let unit = altered(
        HANGZHOU,
        7,
        r"(\(8,553\.80\)\] TJ /FAAAFB 16 Tf \[-?[0-9]+)<0106>",
        "$1 ",
    );
    assert_eq!(
        newly_failing(HANGZHOU, unit),
        set(&["consistency.magnitude"])
    );
}

#[test]
fn suzhou_code_printed_with_another_name() {
    // p19 一般公共预算支出表 "221 住房保障支出": 住 and 房 (glyphs 013B, 01FC) swapped, 房住保障支出
    // is not 221's name, nor the name the document's other tables print for it.
    const SUZHOU: &str = "../shared/corpus/national/jiangsu/suzhou-jtysj-2026.pdf";
    let name = altered(
        SUZHOU,
        19,
        r"(?s)(\(221\)\] TJ.{0,300}?\[)<013B01FC",
        "${1}<01FC013B",
    );
    assert_eq!(
        newly_failing(SUZHOU, name),
        set(&["classification.code_name"])
    );
}

#[test]
fn suzhou_table_headed_with_another_unit() {
    // p8 公开01表 收支总表, head "部门:苏州市交通运输局": 交 and 运 (glyphs 0065, 0053 of the page's
    // font) swapped, the head names 苏州市运通交输局 while the other twelve tables and the cover
    // name 苏州市交通运输局.
    const SUZHOU: &str = "../shared/corpus/national/jiangsu/suzhou-jtysj-2026.pdf";
    let head = altered(
        SUZHOU,
        8,
        r"012C012D00820065006600530067010E>",
        "012C012D00820053006600650067010E>",
    );
    let d = read(&head);
    let found = messages(&d, "consistency.unit_name");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("苏州市运通交输局"), "{found:?}");
    assert!(found[0].contains("收支总表 p8"), "{found:?}");
    assert_eq!(newly_failing(SUZHOU, head), set(&["consistency.unit_name"]));
}

#[test]
fn hangzhou_asset_counts() {
    // p15 "截至2025年12月31日,本部门共有车辆56辆,其中,一般公务用车0辆、执法执勤用车35辆、特种专业
    // 技术用车21辆、其他用车0辆": 35 → 36, the parts sum to 57.
    let parts = altered(HANGZHOU, 15, r"\(35\)", "(36)");
    assert_eq!(newly_failing(HANGZHOU, parts), set(&["narrative.assets"]));
    // p15 "2026年部门预算安排购置车辆6辆" → 4: fewer than the 5 the 三公 statement (p14) buys
    // with its 公务用车购置费, and fewer than its own parts (0 + 4 + 2 + 0).
    let bought = altered(
        HANGZHOU,
        15,
        r"(?s)(\(2,732\.95\).*?\(2026\).*?)\(6\)",
        "${1}(4)",
    );
    let d = read(&bought);
    let found = messages(&d, "narrative.assets");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found
        .iter()
        .any(|m| m.contains("buys 5 vehicle(s)") && m.contains("4 in all")));
    assert!(found.iter().any(|m| m.contains("4 ≠ 6")));
    assert_eq!(newly_failing(HANGZHOU, bought), set(&["narrative.assets"]));
}

#[test]
fn shenzhen_vehicles_held_stated_twice() {
    // p10 "截至2025年10月,本单位共有车辆3辆" → 4 辆; p12 states 3 as of the same month.
    let held = altered_stream(
        SHENZHEN,
        r"(?s)(\(1\.20\).*?\(2025\).*?\(10\).*?)\(3\)",
        "${1}(4)",
    );
    let d = read(&held);
    let found = messages(&d, "narrative.assets");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("共有车辆4辆 (page 10)"), "{found:?}");
    assert_eq!(newly_failing(SHENZHEN, held), set(&["narrative.assets"]));
}

#[test]
fn suzhou_economic_code_printed_with_another_name() {
    // p25 机关运行经费 table "30217 公务接待费": 接 and 待 (glyphs 0224, 0225) swapped. 公务待接费 is
    // not 30217's name in the 2026 部门预算支出经济分类, nor the name p20 prints for it.
    const SUZHOU: &str = "../shared/corpus/national/jiangsu/suzhou-jtysj-2026.pdf";
    let name = altered(
        SUZHOU,
        25,
        r"<003F0026022402250045>",
        "<003F0026022502240045>",
    );
    let d = read(&name);
    let found = messages(&d, "classification.code_name");
    assert!(
        found
            .iter()
            .any(|m| m.contains("30217 is printed as 公务待接费; in 2026 its name is 公务接待费")),
        "{found:?}"
    );
    assert_eq!(
        newly_failing(SUZHOU, name),
        set(&["classification.code_name"])
    );
}
