//! The regular expressions of the narrative stage, compiled once and shared by the paragraph layer
//! (page numbers, contents lines, paragraph starts) and the sentence layer (numbers with units,
//! the key phrases of `keys` anchored at the amount, changes, shares, quantities).

use std::sync::OnceLock;

use regex::Regex;

use super::keys::KEY_SPECS;

/// Compiled patterns, built once.
pub(super) struct Patterns {
    /// A number with its unit.
    pub(super) token: Regex,
    /// Each key phrase, anchored at the end (the filler after it is matched by hand).
    pub(super) keys: Vec<(usize, Regex)>,
    /// Procurement parts: the whole clause before the amount.
    pub(super) procurement_part: Regex,
    /// A direction word right before a change amount or percent.
    pub(super) direction_end: Regex,
    /// The comparison that makes a direction word a year-on-year change.
    pub(super) marker: Regex,
    /// 与上年持平.
    pub(super) flat: Regex,
    /// 占 (…的) right before a percent.
    pub(super) share_end: Regex,
    /// A final-account clause stating the outcome of a budget named just before (支出决算为).
    pub(super) final_clause: Regex,
    /// The start of an explanation (主要原因是…): amounts after it are not the stated quantities.
    pub(super) reason: Regex,
    /// Performance-target amount clause (共计金额 / 涉及项目预算资金).
    pub(super) perf_amount: Regex,
    pub(super) vehicles: Regex,
    pub(super) office_area: Regex,
    pub(super) staffing_authorized: Regex,
    pub(super) staffing_actual: Regex,
    pub(super) performance_projects: Regex,
    /// A list marker alone ("(一)", "1.", "二、").
    pub(super) marker_only: Regex,
    /// Line starts that open a new paragraph (一、 (一) 1. 1、 (1) 第三部分).
    pub(super) para_start: Regex,
    /// A table-of-contents line (dot leaders followed by a page number).
    pub(super) toc: Regex,
    /// A page number alone on a line.
    pub(super) page_number: Regex,
}

pub(super) fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let re = |s: &str| Regex::new(s).expect("narrative pattern"); // ok: constant
        let keys = KEY_SPECS
            .iter()
            .enumerate()
            .map(|(i, k)| (i, re(&format!("(?:{})$", k.pattern))))
            .collect();
        Patterns {
            token: re(
                r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)(?P<unit>亿元|万元|千元|元|%|辆|平方米|平米|m2|名|人|个)",
            ),
            keys,
            procurement_part: re(
                r"^(?:其中)?(?:政府采购|拟购买|拟采购|采购)?(?P<part>货物|工程|服务)(?:类)?(?:政府)?(?:采购)?(?:预算|支出)*(?:金额|总额)?(?:为|是)?$",
            ),
            direction_end: re(r"(?P<dir>增加|减少|增长|下降|降低|上升|调增|调减)了?$"),
            marker: re(r"(?:比|较|与)(?:上年|去年|上一年度|上一年|[0-9]{4}年度|[0-9]{4}年)|同比"),
            flat: re(
                r"(?:(?:比|较|与)(?:上年|去年|上一年度|上一年|[0-9]{4}年度|[0-9]{4}年)[^,;:。]{0,12}?|同比)(?:持平|相等|一致)",
            ),
            share_end: re(r"占[^,;:。%]{0,30}$"),
            final_clause: re(r"^(?:其中)?(?:支出)?决算(?:数)?(?:为|是)?$"),
            reason: re(r"原因|主要由于|主要是|主要用于"),
            perf_amount: re(
                r"^(?:共计|合计|涉及|共)?(?:项目)?(?:预算)?(?:金额|资金)(?:共计|合计|为|共)?$",
            ),
            vehicles: re(
                r"(?:(?:共有|现有|实有|拥有)(?:各类)?(?:公务用车|公务车辆|车辆|公车)?|(?:公务用车|公务车辆|车辆)(?:保有量|实有数|总数|数量))(?:共|合计|共计|为)?$",
            ),
            office_area: re(r"办公用房.*(?:面积|共|合计)(?:共|合计|共计|为|约)?$"),
            staffing_authorized: re(r"(?:^|[^政业勤属关])编制(?:人数|数|总数)?(?:为|共|共计|合计)?$"),
            staffing_actual: re(
                r"(?:在编在岗|在编在职|在职在编|实有人员|实有人数|在职人员|实际在编人员)(?:人员|人数)?(?:为|共|共计|合计)?$",
            ),
            performance_projects: re(r"绩效目标.*项目(?:共|合计|共计)?(?:为)?$"),
            marker_only: re(
                r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十0-9]{1,3}\)|[0-9]{1,2}[、.)])$",
            ),
            para_start: re(
                r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十0-9]{1,3}\)|[0-9]{1,2}(?:[、)]|\.(?:[^0-9]|$))|第[一二三四五六七八九十]+部分)",
            ),
            toc: re(r"(?:\.{4,}|…{2,}|·{4,}|\.\s\.\s\.)\s*[0-9]{1,3}\s*$"),
            page_number: re(r"^(?:[-─—–]+\s*[0-9]{1,4}\s*[-─—–]+|[0-9]{1,4}|第\s*[0-9]{1,4}\s*页(?:\s*共\s*[0-9]{1,4}\s*页)?)$"),
        }
    })
}
