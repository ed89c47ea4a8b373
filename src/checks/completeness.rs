//! completeness.tables, completeness.year, completeness.placeholders: the required tables are
//! there, one fiscal year throughout, no placeholder text left.

use crate::pdf::normalize::squash;

use super::ctx::{check, in_text, info, loc};
use super::{Ctx, Rule};
use crate::model::{Check, Disclosure, DocumentKind, Location, Severity, TableKind};

/// completeness.tables, completeness.year, completeness.placeholders.
pub struct Completeness;

impl Rule for Completeness {
    fn family(&self) -> &'static str {
        "completeness"
    }

    fn eval(&self, cx: &Ctx, out: &mut Vec<Check>) {
        completeness_rules(cx.d, out);
    }
}

fn completeness_rules(d: &Disclosure, out: &mut Vec<Check>) {
    let is_budget = matches!(
        d.document.kind,
        DocumentKind::DepartmentBudget | DocumentKind::UnitBudget
    );
    let is_final = matches!(
        d.document.kind,
        DocumentKind::DepartmentFinalAccount | DocumentKind::UnitFinalAccount
    );
    let part = d.document.part.as_deref();
    if d.tables.is_empty() {
        out.push(info(
            "completeness.tables",
            "the document holds no tables (a narrative-only publication?)",
        ));
    } else if matches!(part, Some("notes" | "performance_targets")) {
        out.push(info(
            "completeness.tables",
            format!(
                "a {} file: the disclosure's tables are in another file (same disclosure_id)",
                part.unwrap_or_default()
            ),
        ));
    } else if d.document.template {
        out.push(info(
            "completeness.tables",
            "a blank template: its tables are structure only",
        ));
    } else if is_budget || is_final {
        let required: &[(TableKind, &str)] = if is_budget {
            &[
                (TableKind::Summary, "收支总表"),
                (TableKind::Income, "收入总表"),
                (TableKind::Expenditure, "支出总表"),
                (TableKind::FiscalAppropriationSummary, "财政拨款收支总表"),
                (TableKind::GeneralBudgetExpenditure, "一般公共预算支出表"),
                (
                    TableKind::GeneralBudgetBasicExpenditure,
                    "一般公共预算基本支出表",
                ),
                (TableKind::ThreePublic, "“三公”经费支出表"),
            ]
        } else {
            // The nine tables of a 部门决算 disclosure.
            &[
                (TableKind::Summary, "收入支出决算总表"),
                (TableKind::Income, "收入决算表"),
                (TableKind::Expenditure, "支出决算表"),
                (
                    TableKind::FiscalAppropriationSummary,
                    "财政拨款收入支出决算总表",
                ),
                (
                    TableKind::GeneralBudgetExpenditure,
                    "一般公共预算财政拨款支出决算表",
                ),
                (
                    TableKind::GeneralBudgetBasicExpenditure,
                    "一般公共预算财政拨款基本支出决算表",
                ),
                (TableKind::ThreePublic, "财政拨款“三公”经费支出决算表"),
                (
                    TableKind::GovFundExpenditure,
                    "政府性基金预算财政拨款收入支出决算表",
                ),
                (
                    TableKind::StateCapital,
                    "国有资本经营预算财政拨款收入支出决算表",
                ),
            ]
        };
        for &(kind, name) in required {
            match d.tables.iter().enumerate().find(|(_, t)| t.kind == kind) {
                None => out.push(check(
                    "completeness.tables",
                    Severity::Warning,
                    false,
                    format!("required table {name} is missing"),
                    Vec::new(),
                )),
                Some((ti, t)) => {
                    let ok = !t.empty || t.note.is_some();
                    out.push(check(
                        "completeness.tables",
                        Severity::Warning,
                        ok,
                        if ok {
                            format!("{name} present")
                        } else {
                            format!("{name} is empty without a note saying so")
                        },
                        vec![loc(ti, None, None, t.pages.first().copied())],
                    ));
                }
            }
        }
    }
    // completeness.year: every year printed in a table title is the fiscal year.
    if let Some(year) = d.document.fiscal_year {
        let mut bad = 0;
        for (ti, t) in d.tables.iter().enumerate() {
            let title = t.title.clone().unwrap_or_default();
            for y in years_in(&title) {
                if y != year {
                    bad += 1;
                    out.push(check(
                        "completeness.year",
                        Severity::Warning,
                        false,
                        format!("table \"{title}\" says {y}, the document is for {year}"),
                        vec![loc(ti, None, None, t.pages.first().copied())],
                    ));
                }
            }
        }
        if bad == 0 {
            out.push(check(
                "completeness.year",
                Severity::Warning,
                true,
                format!("one fiscal year ({year}) throughout"),
                Vec::new(),
            ));
        }
    } else {
        out.push(info("completeness.year", "fiscal year not found"));
    }
    // completeness.placeholders
    let mut found = Vec::new();
    let mut look = |text: &str, l: Location| {
        let t = squash(text);
        if t.contains("XX")
            || t.contains("××")
            || t.contains("待填写")
            || t.contains("xx")
            || t.contains("XXX")
        {
            found.push((text.to_string(), l));
        }
    };
    if let Some(u) = &d.document.unit_name {
        look(u, in_text(None, None));
    }
    if let Some(t) = &d.document.title {
        look(t, in_text(None, None));
    }
    for (ti, t) in d.tables.iter().enumerate() {
        for (ri, r) in t.rows.iter().enumerate() {
            look(&r.name, loc(ti, Some(ri), None, Some(r.page)));
            for raw in r.raw.values() {
                look(raw, loc(ti, Some(ri), None, Some(r.page)));
            }
        }
    }
    if found.is_empty() {
        out.push(check(
            "completeness.placeholders",
            Severity::Warning,
            true,
            "no placeholders".into(),
            Vec::new(),
        ));
    } else {
        let texts: Vec<String> = found.iter().take(5).map(|(t, _)| t.clone()).collect();
        out.push(check(
            "completeness.placeholders",
            Severity::Warning,
            false,
            format!(
                "{} placeholder text(s) left, e.g. {}",
                found.len(),
                texts.join(", ")
            ),
            found.into_iter().map(|(_, l)| l).take(50).collect(),
        ));
    }
}

fn years_in(s: &str) -> Vec<i32> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    for i in 0..chars.len().saturating_sub(4) {
        let w: String = chars
            .get(i..i + 4)
            .map(|c| c.iter().collect())
            .unwrap_or_default();
        let before_digit = i > 0 && chars.get(i - 1).is_some_and(|c| c.is_ascii_digit());
        if w.starts_with("20")
            && w.chars().all(|c| c.is_ascii_digit())
            && !before_digit
            && chars.get(i + 4) == Some(&'年')
        {
            if let Ok(y) = w.parse() {
                out.push(y);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years() {
        assert_eq!(years_in("2024年预算收支总表"), vec![2024]);
        assert_eq!(years_in("表12024年"), Vec::<i32>::new());
    }
}
