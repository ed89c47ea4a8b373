//! The facts of one sentence: its numbers read left to right, each amount named by the key phrase
//! right before it, with the change and share stated after it attached. The reading state (the
//! open fact group, a pending change, a budget figure awaiting its outcome) lives for one sentence
//! only; what stays open at its end is handed to the next.

use rust_decimal::Decimal;

use super::filler;
use super::keys::{SpecKind, KEY_SPECS, SUBJECT_ENDS};
use super::patterns::patterns;
use super::token::{make_token, Token, Unit};
use super::{truncate_chars, Change, Fact};
use crate::model::Amount;

/// Longest sentence kept in a fact (characters).
const SENTENCE_MAX: usize = 300;

/// A year-on-year change being read, not yet attached.
struct PendingChange {
    change: Change,
    start: usize,
    end: usize,
    /// The change opens its sentence: it speaks of the previous sentence's last fact.
    at_sentence_start: bool,
}

/// The reading state of one sentence.
pub(super) struct Sentence<'a> {
    text: &'a str,
    page: usize,
    prev_open: Option<Vec<usize>>,
    /// Facts of the last recognized amount (two for 收、支预算总计), while nothing else intervened.
    last_group: Option<Vec<usize>>,
    /// The sentence's first fact group (a change after a 其中 list may be its).
    head: Option<Vec<usize>>,
    pending: Option<PendingChange>,
    /// A key named with its budget figure (年初预算为 X) whose outcome (决算为 Y) follows.
    budget_key: Option<String>,
    /// A performance-project count waiting for its amount.
    perf: Option<usize>,
    /// At least one token was read before (for "the change opens its sentence").
    seen_token: bool,
    /// Byte offset of the clause being read.
    clause_start: usize,
    /// Where a 其中 breakdown starts after the head fact.
    breakdown_at: Option<usize>,
    /// The sentence speaks of procurement (货物 / 工程 / 服务 are its parts).
    procurement: bool,
    /// Key prefix for 基本支出 / 项目支出: the sentence speaks of 一般公共预算 or 财政拨款 only,
    /// not of all funds.
    scope: &'static str,
}

impl<'a> Sentence<'a> {
    pub(super) fn new(text: &'a str, page: usize, prev_open: Option<Vec<usize>>) -> Self {
        Sentence {
            text,
            page,
            prev_open,
            last_group: None,
            head: None,
            pending: None,
            budget_key: None,
            perf: None,
            seen_token: false,
            clause_start: 0,
            breakdown_at: None,
            procurement: text.contains("采购") || text.contains("购买"),
            scope: if text.contains("一般公共预算") {
                "general_budget_"
            } else if text.contains("财政拨款") {
                "fiscal_appropriation_"
            } else {
                ""
            },
        }
    }

    /// Read the sentence, appending facts; returns the group still open at its end (for a change
    /// stated in the next sentence: "…5853.96 万元。与上年持平。").
    pub(super) fn run(mut self, facts: &mut Vec<Fact>) -> Option<Vec<usize>> {
        let p = patterns();
        let text = self.text;
        let mut events: Vec<(usize, usize, Option<Token>)> = Vec::new();
        for c in p.token.captures_iter(text) {
            let (Some(m), Some(num), Some(unit)) = (c.get(0), c.name("num"), c.name("unit")) else {
                continue;
            };
            if let Some(tok) = make_token(text, m.start(), m.end(), num.as_str(), unit.as_str()) {
                events.push((tok.start, tok.end, Some(tok)));
            }
        }
        for m in p.flat.find_iter(text) {
            events.push((m.start(), m.end(), None));
        }
        events.sort_by_key(|e| e.0);
        let mut last_end = 0usize;
        for (start, end, tok) in events {
            if start < last_end {
                continue;
            }
            let gap = text.get(last_end..start).unwrap_or("");
            // Reasons and explanations follow; their amounts are not the stated quantities.
            if p.reason.is_match(gap) {
                break;
            }
            if self.head.is_some() && self.breakdown_at.is_none() {
                self.breakdown_at = gap.find("其中").map(|i| last_end + i);
            }
            match tok {
                None => self.flat(facts, last_end, start, end),
                Some(tok) => self.token(facts, gap, last_end, tok),
            }
            last_end = end;
        }
        self.finish_change(facts);
        let open = self.last_group.take();
        open.filter(|g| {
            g.iter()
                .all(|&i| facts.get(i).is_some_and(|f| f.change.is_none()))
        })
    }

    fn sentence_text(&self) -> String {
        truncate_chars(self.text, SENTENCE_MAX)
    }

    fn flat(&mut self, facts: &mut [Fact], gap_start: usize, start: usize, end: usize) {
        self.finish_change(facts);
        let printed = self.text.get(start..end).unwrap_or("").to_string();
        let at_start = !self.seen_token && gap_start == 0 && start <= 3;
        self.pending = Some(PendingChange {
            change: Change {
                direction: "flat".to_string(),
                amount: None,
                percent: None,
                printed,
            },
            start,
            end,
            at_sentence_start: at_start,
        });
        self.finish_change(facts);
        self.seen_token = true;
    }

    fn token(&mut self, facts: &mut Vec<Fact>, gap: &str, gap_start: usize, tok: Token) {
        let p = patterns();
        let first_token = !self.seen_token;
        self.seen_token = true;
        // The clause: the gap after its last comma or colon.
        let clause_off = gap
            .char_indices()
            .filter(|(_, c)| matches!(c, ',' | ':' | '，' | '：'))
            .map(|(i, c)| i + c.len_utf8())
            .next_back()
            .unwrap_or(0);
        let clause = gap
            .get(clause_off..)
            .unwrap_or("")
            .trim_start_matches(['、', '及', '和']);
        self.clause_start = gap_start + gap.len() - clause.len();
        let text = self.text;

        if let Some(dir) = p.direction_end.captures(gap).and_then(|c| c.name("dir")) {
            let direction = match dir.as_str() {
                "减少" | "下降" | "降低" | "调减" => "decrease",
                _ => "increase",
            };
            if tok.unit == Unit::Percent {
                if let Some(pc) = self.pending.as_mut() {
                    // Only the percent said right after the amount ("…万元,增长 6.59%").
                    let close = gap.chars().count() <= 6;
                    if close && pc.change.percent.is_none() && pc.change.direction == direction {
                        pc.change.percent = Some(tok.value);
                        pc.end = tok.end;
                        pc.change.printed = text.get(pc.start..pc.end).unwrap_or("").to_string();
                        return;
                    }
                }
            }
            self.finish_change(facts);
            let Some(mk) = p.marker.find_iter(gap).last() else {
                // A direction word with no comparison (增加基本支出 …): neither fact nor change.
                self.last_group = None;
                return;
            };
            let start = gap_start + mk.start();
            let at_start = first_token && start <= 3;
            let (amount, percent) = match tok.unit {
                Unit::Money(_) => (Some(Amount(tok.value)), None),
                Unit::Percent => (None, Some(tok.value)),
                _ => {
                    self.last_group = None;
                    return;
                }
            };
            self.pending = Some(PendingChange {
                change: Change {
                    direction: direction.to_string(),
                    amount,
                    percent,
                    printed: text.get(start..tok.end).unwrap_or("").to_string(),
                },
                start,
                end: tok.end,
                at_sentence_start: at_start,
            });
            return;
        }
        self.finish_change(facts);

        match tok.unit {
            Unit::Percent => {
                if p.share_end.is_match(clause) {
                    if let Some(g) = &self.last_group {
                        for &i in g {
                            if let Some(f) = facts.get_mut(i) {
                                if f.share_percent.is_none() && f.amount.is_some() {
                                    f.share_percent = Some(tok.value);
                                }
                            }
                        }
                    }
                }
                // Other percents (完成预算的 95%) say nothing we record; the group stays open
                // only for a share directly after its amount.
            }
            Unit::Money(_) => self.money(facts, clause, tok, first_token),
            Unit::Vehicles | Unit::Area | Unit::People | Unit::Count => {
                self.quantity(facts, clause, tok)
            }
        }
    }

    fn push_fact(&self, facts: &mut Vec<Fact>, key: &str, tok: &Token) -> usize {
        let (amount, quantity) = match tok.unit {
            Unit::Money(_) => (Some(Amount(tok.value)), None),
            _ => (None, Some(tok.value)),
        };
        facts.push(Fact {
            key: key.to_string(),
            amount,
            quantity,
            printed: tok.printed.clone(),
            change: None,
            share_percent: None,
            sentence: self.sentence_text(),
            page: self.page,
        });
        facts.len().saturating_sub(1)
    }

    fn open_group(&mut self, group: Vec<usize>) {
        if self.head.is_none() {
            self.head = Some(group.clone());
        }
        self.last_group = Some(group);
    }

    fn money(&mut self, facts: &mut Vec<Fact>, clause: &str, tok: Token, first_token: bool) {
        let p = patterns();
        let text = self.text;
        // A rate ("≤2万元/个") or a threshold ("20万元以上") is not a stated total.
        let after = text.get(tok.end..).unwrap_or("");
        let before_char = text.get(..tok.start).and_then(|s| s.chars().last());
        if after.starts_with('/')
            || after.starts_with("以上")
            || after.starts_with("以下")
            || after.starts_with("(含)")
            || before_char.is_some_and(|c| matches!(c, '≤' | '≥' | '<' | '>' | '≦' | '≧' | '约'))
        {
            self.last_group = None;
            return;
        }
        // The amount of a performance-project count just stated (…项目6个,共计金额658.96万元).
        if let Some(i) = self.perf.take() {
            if p.perf_amount.is_match(clause) {
                if let Some(f) = facts.get_mut(i) {
                    f.amount = Some(Amount(tok.value));
                    f.printed = format!("{};{}", f.printed, tok.printed);
                }
                self.last_group = None;
                return;
            }
        }
        // The outcome of a budget figure named just before (年初预算为 X 万元,支出决算为 Y 万元).
        if p.final_clause.is_match(clause) {
            if let Some(key) = self.budget_key.take() {
                let i = self.push_fact(facts, &key, &tok);
                self.open_group(vec![i]);
                return;
            }
        }
        if self.procurement {
            if let Some(part) = p
                .procurement_part
                .captures(clause)
                .and_then(|c| c.name("part"))
            {
                let key = match part.as_str() {
                    "货物" => "procurement_goods",
                    "工程" => "procurement_works",
                    _ => "procurement_services",
                };
                let i = self.push_fact(facts, key, &tok);
                self.open_group(vec![i]);
                return;
            }
        }
        let Some((keys, budget_basis)) = self.match_key(clause, first_token) else {
            self.last_group = None;
            return;
        };
        if budget_basis {
            // A budget figure in a final account: its outcome comes next and is the fact.
            self.budget_key = keys.first().cloned();
            self.last_group = None;
            return;
        }
        self.budget_key = None;
        let group: Vec<usize> = keys
            .iter()
            .map(|k| self.push_fact(facts, k, &tok))
            .collect();
        self.open_group(group);
    }

    /// The key(s) a clause names right before its amount, and whether the amount is a budget
    /// figure (年初预算 / 全年预算 / 调整预算) rather than the stated quantity itself.
    fn match_key(&self, clause: &str, first_token: bool) -> Option<(Vec<String>, bool)> {
        let p = patterns();
        // (key spec, keyword start, keyword end, filler)
        let mut best: Option<(usize, usize, usize, &str)> = None;
        let ends = filler::starts(clause);
        for (i, re) in &p.keys {
            // The key phrase reaches the amount through filler only: it ends where filler starts;
            // the earliest start wins, then the longest phrase.
            let found = ends
                .iter()
                .rev()
                .filter_map(|&p| Some((re.find(clause.get(..p)?)?, p)))
                .min_by_key(|(m, _)| m.start());
            let Some((kw, p)) = found else {
                continue;
            };
            let f = clause.get(p..).unwrap_or("");
            let Some(spec) = KEY_SPECS.get(*i) else {
                continue;
            };
            let total = matches!(spec.key, "income_total" | "expenditure_total");
            if total && !total_lead_ok(clause.get(..kw.start()).unwrap_or("")) {
                continue;
            }
            if spec.kind == SpecKind::Bare && !(first_token && self.bare_ok(clause, kw.start())) {
                continue;
            }
            let better = match best {
                None => true,
                // Every candidate reaches the amount through filler only; the one starting
                // earliest is the whole phrase ("“三公”经费财政拨款支出" is 三公, not 财政拨款支出).
                Some((_, s, e, _)) => kw.start() < s || (kw.start() == s && kw.end() > e),
            };
            if better {
                best = Some((*i, kw.start(), kw.end(), f));
            }
        }
        let (i, kw_start, _, filler) = best?;
        let spec = KEY_SPECS.get(i)?;
        // "货物类政府采购支出预算" is a part, not the total.
        let lead_kw = clause.get(..kw_start).unwrap_or("");
        if spec.key == "procurement_total"
            && ["货物", "工程", "服务", "货物类", "工程类", "服务类"]
                .iter()
                .any(|w| lead_kw.ends_with(w))
        {
            return None;
        }
        // Words before the key phrase that make the amount something else: a change of it,
        // a share, a reason.
        let lead = clause.get(..kw_start).unwrap_or("");
        const SPOILERS: &[&str] = &[
            "增加",
            "减少",
            "增长",
            "下降",
            "调增",
            "调减",
            "新增",
            "上升",
            "降低",
            "占",
            "原因",
            "用于",
            "相比",
            "比上年",
            "较上年",
            "上年度",
            "上一年",
            "以前年度",
            "执行数",
        ];
        if SPOILERS.iter().any(|w| lead.contains(w)) {
            return None;
        }
        let budget_basis = ["年初", "全年", "调整"].iter().any(|w| filler.contains(w));
        let keys = match spec.kind {
            SpecKind::Both => vec!["income_total".to_string(), "expenditure_total".to_string()],
            SpecKind::Scoped => {
                vec![format!("{}{}", self.scope, spec.key)]
            }
            _ => vec![spec.key.to_string()],
        };
        Some((keys, budget_basis))
    }

    /// A bare 收入预算 / 支出预算 names the total only when nothing qualifies it: the sentence's first
    /// amount, no heading or classification before it ("(一)公共安全支出(类)…:2018年预算支出合计"
    /// is a function class), not 本年收入预算 / 事业收入预算.
    fn bare_ok(&self, clause: &str, kw_start: usize) -> bool {
        let lead = clause.get(..kw_start).unwrap_or("");
        if lead.ends_with("本年") || lead.contains("其中") || lead.contains("拨款") {
            return false;
        }
        let before = self.text.get(..self.clause_start).unwrap_or("");
        if before.contains(':') || before.contains("(类)") || before.contains("(款)") {
            return false;
        }
        total_lead_ok(lead)
    }

    fn quantity(&mut self, facts: &mut Vec<Fact>, clause: &str, tok: Token) {
        let p = patterns();
        self.last_group = None;
        let key = match tok.unit {
            Unit::Vehicles if p.vehicles.is_match(clause) => "vehicles",
            Unit::Area if p.office_area.is_match(clause) => "office_area",
            Unit::People if clause.starts_with("其中") => return,
            Unit::People if p.staffing_actual.is_match(clause) => "staffing_actual",
            Unit::People if p.staffing_authorized.is_match(clause) => "staffing_authorized",
            Unit::Count if p.performance_projects.is_match(clause) => {
                let i = self.push_fact(facts, "performance_projects", &tok);
                self.perf = Some(i);
                return;
            }
            _ => return,
        };
        self.push_fact(facts, key, &tok);
    }

    /// Attach the pending change to the fact(s) it speaks of.
    fn finish_change(&mut self, facts: &mut [Fact]) {
        let Some(pc) = self.pending.take() else {
            return;
        };
        let nearest = match &self.last_group {
            Some(g) => Some(g.clone()),
            None if pc.at_sentence_start && self.head.is_none() => self.prev_open.take(),
            None => None,
        };
        let Some(nearest) = nearest else {
            return;
        };
        // After "总计 X，其中：A，B，比上年增加…" the change may be the total's: take the one the
        // numbers agree with.
        let breakdown = self.breakdown_at.is_some_and(|q| q < pc.start);
        let head = self
            .head
            .as_ref()
            .and_then(|g| (*g != nearest && breakdown).then(|| g.clone()));
        let target = match head {
            Some(h)
                if !consistent(facts, &nearest, &pc.change)
                    && consistent(facts, &h, &pc.change) =>
            {
                h
            }
            _ => nearest,
        };
        for i in target {
            if let Some(f) = facts.get_mut(i) {
                if f.change.is_none() && f.amount.is_some() {
                    f.change = Some(pc.change.clone());
                }
            }
        }
    }
}

/// A total (收入总计, 收、支预算总计) is the document's own only when nothing qualifies it: it opens
/// the clause (after a list marker such as "(一)") or follows the unit name or the year, not
/// "其他资金收入预算总计" or "财政专户管理资金收入预算总计".
fn total_lead_ok(lead: &str) -> bool {
    let p = patterns();
    if lead.is_empty() || p.marker_only.is_match(lead) {
        return true;
    }
    lead.chars()
        .last()
        .is_some_and(|c| SUBJECT_ENDS.contains(c))
}

/// Whether a change with amount and percent agrees with a group's amount (prior = current − change).
fn consistent(facts: &[Fact], group: &[usize], change: &Change) -> bool {
    let (Some(x), Some(pct)) = (change.amount, change.percent) else {
        return false;
    };
    let Some(current) = group
        .first()
        .and_then(|&i| facts.get(i))
        .and_then(|f| f.amount)
    else {
        return false;
    };
    let signed = if change.direction == "decrease" {
        -x.0
    } else {
        x.0
    };
    let prior = current.0 - signed;
    if prior <= Decimal::ZERO {
        return false;
    }
    let Some(expected) = signed
        .checked_div(prior)
        .and_then(|r| r.checked_mul(Decimal::from(100)))
    else {
        return false;
    };
    let decimals = pct.scale().min(26);
    let tol = Decimal::new(5, decimals + 1) + Decimal::new(1, 1);
    (expected.abs() - pct).abs() <= tol
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use crate::model::Amount;
    use crate::narrative::test_util::{d, lines, yuan};
    use crate::narrative::{extract, Change};

    #[test]
    fn totals_with_change_attached_to_the_total() {
        let facts = extract(&lines(&["2024年度阳泉市退役军人服务中心预算收入总计774.48万元，其中：本年收入774.48万元，上年结转0万元，比上年增加258.05万元，增长49.97%，主要原因是今年新增城连共建工作专项经费。；本年单位预算支出总计774.48万元，其中：本年预算安排774.48万元，上年结转0万元，比上年增加258.05万元，增长49.97%，主要原因是今年新增城连共建工作专项经费。"]));
        let keys: Vec<&str> = facts.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "income_total",
                "current_year_income",
                "carryover",
                "expenditure_total",
                "carryover"
            ]
        );
        let income = &facts[0];
        assert_eq!(income.amount, yuan("7744800"));
        assert_eq!(income.printed, "774.48万元");
        let change = income.change.as_ref().map(|c| {
            (
                c.direction.as_str(),
                c.amount,
                c.percent,
                c.printed.as_str(),
            )
        });
        assert_eq!(
            change,
            Some((
                "increase",
                yuan("2580500"),
                Some(d("49.97")),
                "比上年增加258.05万元,增长49.97%"
            ))
        );
        assert_eq!(facts[2].amount, yuan("0"));
        assert_eq!(facts[2].change, None);
        assert_eq!(facts[3].amount, yuan("7744800"));
        assert!(facts[3].change.is_some());
        assert_eq!(facts[4].change, None);
    }

    #[test]
    fn several_facts_in_one_clause() {
        let facts = extract(&lines(&[
            "2024年度阳泉市退役军人服务中心支出预算0万元，其中：基本支出0万元，占0%；项目支出0万元，占0%。",
        ]));
        let got: Vec<(&str, Option<Amount>, Option<Decimal>)> = facts
            .iter()
            .map(|f| (f.key.as_str(), f.amount, f.share_percent))
            .collect();
        assert_eq!(
            got,
            [
                ("expenditure_total", yuan("0"), None),
                ("basic", yuan("0"), Some(d("0"))),
                ("project", yuan("0"), Some(d("0"))),
            ]
        );
    }

    #[test]
    fn general_budget_expenditure_with_change() {
        let facts = extract(&lines(&[
            "(一) 一般公共预算当年支出规模变化情况",
            "2024年度阳泉市退役军人服务中心一般公共预算当年支出774.48万元，比上年增加258.05万元，增长49.97%。",
            "2024年度阳泉市退役军人服务中心一般公共预算当年支出774.48万元,主要用于以下方面:一般公共服务支出0.24万元;社会保障和就业支出760.42万元,占98.18%;卫生健康支出5.14万元,占0.66%。",
        ]));
        assert_eq!(facts.len(), 2);
        let f = &facts[0];
        assert_eq!(f.key, "general_budget_expenditure");
        assert_eq!(f.amount, yuan("7744800"));
        assert_eq!(
            f.change,
            Some(Change {
                direction: "increase".into(),
                amount: yuan("2580500"),
                percent: Some(d("49.97")),
                printed: "比上年增加258.05万元,增长49.97%".into(),
            })
        );
        assert_eq!(facts[1].key, "general_budget_expenditure");
        assert_eq!(facts[1].share_percent, None);
    }

    #[test]
    fn basic_personnel_public_and_procurement() {
        let facts = extract(&lines(&[
            "2024年度阳泉市退役军人服务中心一般公共预算安排基本支出0万元,其中:人员经费0万元,主要包括:无;公用经费0万元,主要包括:无。",
            "2024年阳泉市退役军人服务中心政府采购预算总额43.45万元。其中:政府采购货物预算13.80万元、政府采购工程预算0万元、政府采购服务预算29.65万元。",
        ]));
        let got: Vec<(&str, Option<Amount>)> =
            facts.iter().map(|f| (f.key.as_str(), f.amount)).collect();
        assert_eq!(
            got,
            [
                ("general_budget_basic", yuan("0")),
                ("personnel", yuan("0")),
                ("public", yuan("0")),
                ("procurement_total", yuan("434500")),
                ("procurement_goods", yuan("138000")),
                ("procurement_works", yuan("0")),
                ("procurement_services", yuan("296500")),
            ]
        );
    }

    #[test]
    fn performance_vehicles_area() {
        let facts = extract(&lines(&[
            "2024年阳泉市退役军人服务中心纳入绩效目标管理的二级项目6个,共计金额658.96万元。其中:其他运转类项目0个,涉及金额0万元;特定目标类项目6个,涉及金额658.96万元。公开项目绩效目标5个,涉及项目金额358.96万元,占部门(单位)项目支出总额的54%。",
            "截至2023年12月31日，阳泉市退役军人服务中心共有公务用车编制0辆，实有0辆，其中：领导用车0辆。",
            "截至2023年12月31日，阳泉市退役军人服务中心使用的办公用房建筑总面积250平方米。",
            "截至2023年12月31日，阳泉市退役军人服务中心占有使用价值50万元（原值）以上的通用设备0台（套）。",
        ]));
        let got: Vec<(&str, Option<Amount>, Option<Decimal>)> = facts
            .iter()
            .map(|f| (f.key.as_str(), f.amount, f.quantity))
            .collect();
        assert_eq!(
            got,
            [
                ("performance_projects", yuan("6589600"), Some(d("6"))),
                ("vehicles", None, Some(d("0"))),
                ("office_area", None, Some(d("250"))),
            ]
        );
    }

    #[test]
    fn three_public_final_account_and_decrease() {
        let facts = extract(&lines(&[
            "“三公”经费财政拨款支出年初预算为 2.85 万元,支出决算为 0.39 万元,完成预算的 13.68%,其中:因公出国(境)费决算为 0.00 万元,完成预算的 0.00%;公务用车购置及运行维护费支出决算为 0.00 万元;公务接待费支出决算为 0.39 万元。",
            "(二)公务用车购置及运行费46.56万元,比2023年预算减少1.5万元,下降3.12%。其中:公务用车购置费25万元;公务用车运行费21.56万元。",
        ]));
        let got: Vec<(&str, Option<Amount>)> =
            facts.iter().map(|f| (f.key.as_str(), f.amount)).collect();
        assert_eq!(
            got,
            [
                ("three_public", yuan("3900")),
                ("outbound_travel", yuan("0")),
                ("vehicle", yuan("0")),
                ("reception", yuan("3900")),
                ("vehicle", yuan("465600")),
                ("vehicle_purchase", yuan("250000")),
                ("vehicle_operation", yuan("215600")),
            ]
        );
        let c = facts.get(4).and_then(|f| f.change.clone());
        assert_eq!(
            c.map(|c| (c.direction, c.amount, c.percent)),
            Some(("decrease".to_string(), yuan("15000"), Some(d("3.12"))))
        );
    }

    #[test]
    fn units_full_width_and_rejections() {
        let facts = extract(&lines(&[
            "本单位“三公”经费预算１,２３４.５６万元。机关运行经费3.5亿元。公务接待费12元。",
            "政府采购预算总额 ≤2万元/个",
            "一、收支预算总表情况说明......5",
            "1 2 3    774.48    0    12.00",
            "主要原因是增加基本支出 844.15 万元",
        ]));
        let got: Vec<(&str, Option<Amount>)> =
            facts.iter().map(|f| (f.key.as_str(), f.amount)).collect();
        assert_eq!(
            got,
            [
                ("three_public", yuan("12345600")),
                ("operating_costs", yuan("350000000")),
                ("reception", yuan("12")),
            ]
        );
    }

    #[test]
    fn staffing() {
        let facts = extract(&lines(&[
            "江苏省人民检察院行政政法人员编制 496 人,机构设置包括 23 个内设机构。",
            "其中行政编制 199 名、行政附属编制 104 名。实际在编在职人员 274 名,离退休人员 150 名。全年安排团组 0 个、累计 0 人次。",
        ]));
        let got: Vec<(&str, Option<Decimal>)> =
            facts.iter().map(|f| (f.key.as_str(), f.quantity)).collect();
        assert_eq!(
            got,
            [
                ("staffing_authorized", Some(d("496"))),
                ("staffing_actual", Some(d("274"))),
            ]
        );
    }
}
