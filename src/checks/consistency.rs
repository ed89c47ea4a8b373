//! consistency.dates: the dates the narrative reports figures as of fit the fiscal year — a final
//! account of year Y reports as of a date in Y (its 12月31日); a budget of Y as of a date in Y−1
//! or early in Y (the figures known when it was drawn up).

use super::ctx::{check, in_text, info};
use super::{Ctx, Rule};
use crate::model::{Check, DocumentKind, Severity};
use crate::narrative::dates::StatedDate;

/// consistency.dates.
pub struct Dates;

impl Rule for Dates {
    fn family(&self) -> &'static str {
        "consistency.dates"
    }

    fn eval(&self, cx: &Ctx, out: &mut Vec<Check>) {
        const RULE: &str = "consistency.dates";
        let dates: Vec<StatedDate> =
            cx.d.narrative
                .get("dates")
                .and_then(|v| serde_json::from_value(v.clone()).ok())
                .unwrap_or_default();
        let Some(y) = cx.d.document.fiscal_year else {
            return;
        };
        if dates.is_empty() {
            out.push(info(RULE, "no 截至 date in the narrative"));
            return;
        }
        let final_account = matches!(
            cx.d.document.kind,
            DocumentKind::DepartmentFinalAccount | DocumentKind::UnitFinalAccount
        );
        for date in &dates {
            let (ok, expected) = if final_account {
                (date.year == y, format!("{y}"))
            } else {
                (
                    date.year == y - 1 || date.year == y,
                    format!("{} or {y}", y - 1),
                )
            };
            out.push(check(
                RULE,
                Severity::Warning,
                ok,
                format!(
                    "{} {} a {y} {} (expected {expected}; page {}: \"{}\")",
                    date.printed,
                    if ok { "fits" } else { "does not fit" },
                    if final_account {
                        "final account"
                    } else {
                        "budget"
                    },
                    date.page,
                    date.sentence.chars().take(80).collect::<String>()
                ),
                vec![in_text(Some("date".to_string()), Some(date.page))],
            ));
        }
    }
}
