//! classification.code_name: a code printed with a name that is not its name — against the
//! national names of the fiscal year (`data/classification/`: the 类 and 款 of the 支出功能分类, the
//! 类 and 款 of the 部门预算支出经济分类), and, for every code (项 included), against the name the
//! same document prints for it in its other tables.

use std::collections::BTreeMap;

use super::ctx::{check, info, loc};
use super::{Ctx, Rule};
use crate::model::{Check, Location, Severity, TableKind};
use crate::narrative::item_rows::without_enumerator;
use crate::pdf::normalize::squash;

const RULE: &str = "classification.code_name";

/// The names with the years each was in force (code, name, from, to): 支出功能分类 类 and 款,
/// 部门预算支出经济分类 类 and 款.
const CLASSES: &str = include_str!("../../data/classification/function-classes.tsv");
const SECTIONS: &str = include_str!("../../data/classification/function-sections.tsv");
const ECONOMIC: &str = include_str!("../../data/classification/economic.tsv");

/// classification.code_name.
pub struct CodeName;

impl Rule for CodeName {
    fn family(&self) -> &'static str {
        RULE
    }

    fn eval(&self, cx: &Ctx, out: &mut Vec<Check>) {
        let d = cx.d;
        // code → (printed name, its location), first printing of each name.
        let mut printed: BTreeMap<&str, Vec<(String, Location)>> = BTreeMap::new();
        for (ti, t) in d.tables.iter().enumerate() {
            if t.empty {
                continue;
            }
            // Function codes (2…) in the tables by function, economic codes (3…) in the tables
            // of 基本支出 by economic nature.
            let prefix = if by_function(t.kind) {
                '2'
            } else if by_economic_nature(t.kind) {
                '3'
            } else {
                continue;
            };
            for (ri, r) in t.rows.iter().enumerate() {
                let Some(code) = r.code.as_deref().filter(|c| c.starts_with(prefix)) else {
                    continue;
                };
                let name = norm(&r.name);
                if name.is_empty() {
                    continue;
                }
                let names = printed.entry(code).or_default();
                if !names.iter().any(|(n, _)| *n == name) {
                    names.push((name, loc(ti, Some(ri), None, Some(r.page))));
                }
            }
        }
        if printed.is_empty() {
            out.push(info(RULE, "no function codes in the tables"));
            return;
        }
        let year = d.document.fiscal_year;
        let mut agreeing = 0;
        for (code, names) in &printed {
            let national = year.and_then(|y| national_name(code, y));
            if let Some(national) = national {
                for (name, at) in names {
                    if same(name, national) {
                        agreeing += 1;
                        continue;
                    }
                    out.push(check(
                        RULE,
                        Severity::Warning,
                        false,
                        format!(
                            "{code} is printed as {name}; in {} its name is {national}",
                            year.unwrap_or_default()
                        ),
                        vec![at.clone()],
                    ));
                }
            }
            if names.len() > 1 && !names.iter().all(|(n, _)| same(n, &names[0].0)) {
                let shown: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
                out.push(check(
                    RULE,
                    Severity::Warning,
                    false,
                    format!(
                        "{code} is printed with different names in the document's tables: {}",
                        shown.join(" / ")
                    ),
                    names.iter().map(|(_, at)| at.clone()).collect(),
                ));
            } else if national.is_none() {
                agreeing += 1;
            }
        }
        out.push(check(
            RULE,
            Severity::Warning,
            true,
            format!("{agreeing} code names agree"),
            Vec::new(),
        ));
    }
}

/// Tables whose rows are 支出功能分类 lines.
fn by_function(kind: TableKind) -> bool {
    matches!(
        kind,
        TableKind::Income
            | TableKind::Expenditure
            | TableKind::GeneralBudgetExpenditure
            | TableKind::GovFundExpenditure
            | TableKind::StateCapital
    )
}

/// Tables whose rows are 部门预算支出经济分类 lines.
fn by_economic_nature(kind: TableKind) -> bool {
    matches!(
        kind,
        TableKind::GeneralBudgetBasicExpenditure | TableKind::OperatingCosts
    )
}

/// A printed name without spacing, enumerator ("四、") or leading 其中.
fn norm(name: &str) -> String {
    let s = squash(name);
    without_enumerator(&s)
        .trim_start_matches("其中:")
        .to_string()
}

/// Equal, equal but for the trailing 支出 some tables leave off, or one cut short in its cell
/// (a prefix of at least four characters of the other).
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (
        a.strip_suffix("支出").unwrap_or(a),
        b.strip_suffix("支出").unwrap_or(b),
    );
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    a == b || (short.chars().count() >= 4 && long.starts_with(short))
}

/// The national name of `code` in force in `year`, if the data covers it: a function 类 (3
/// digits) or 款 (5), an economic 类 or 款.
fn national_name(code: &str, year: i32) -> Option<&'static str> {
    let data = match (code.chars().next(), code.len()) {
        (Some('2'), 3) => CLASSES,
        (Some('2'), 5) => SECTIONS,
        (Some('3'), 3 | 5) => ECONOMIC,
        _ => return None,
    };
    data.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("code\t"))
        .find_map(|l| {
            let mut f = l.split('\t');
            let (c, name, from, to) = (f.next()?, f.next()?, f.next()?, f.next().unwrap_or(""));
            let from: i32 = from.parse().ok()?;
            let to: i32 = to.trim().parse().unwrap_or(i32::MAX);
            (c == code && (from..=to).contains(&year)).then_some(name)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_names_by_year() {
        assert_eq!(national_name("210", 2018), Some("医疗卫生与计划生育支出"));
        assert_eq!(national_name("210", 2026), Some("卫生健康支出"));
        assert_eq!(national_name("224", 2018), None);
        assert_eq!(national_name("201", 2012), None);
        assert_eq!(national_name("20805", 2018), Some("行政事业单位离退休"));
        assert_eq!(national_name("20805", 2019), None);
        assert_eq!(national_name("20805", 2024), Some("行政事业单位养老支出"));
        assert_eq!(national_name("30217", 2026), Some("公务接待费"));
        assert_eq!(national_name("30217", 2017), None);
        assert_eq!(national_name("2010101", 2026), None);
        assert!(same("一般公共服务", "一般公共服务支出"));
        assert_eq!(norm("四、公共安全支出"), "公共安全支出");
        assert_eq!(norm("一般公共服务支出"), "一般公共服务支出");
        assert!(same("生态环境国际合作及履", "生态环境国际合作及履约"));
        assert!(!same("行政运行", "行政运行管理"[..6].trim()));
    }
}
