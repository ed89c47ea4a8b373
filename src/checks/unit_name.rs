//! consistency.unit_name: one document, one unit. Every table head that names a unit (编制单位：…)
//! and every sentence that names the subject of the disclosure (the cover's "某局2026年部门预算",
//! "现将某局2026年部门预算公开如下") names the document's unit, in any of its spellings, or one of
//! the units whose parts the file carries. A table or a heading (the cover, "某局2024年度部门决算表"
//! above the tables) naming another unit is an error (copied from another unit's file, or the file
//! mixes units); a sentence naming another unit is a warning (it may speak of a parent department).

use super::ctx::{check, in_text, loc};
use super::{Ctx, Rule};
use crate::document::identity::same_unit;
use crate::model::{Check, Location, Severity};
use crate::narrative::unit_mentions::UnitMention;

/// consistency.unit_name.
pub struct UnitName;

const RULE: &str = "consistency.unit_name";

impl Rule for UnitName {
    fn family(&self) -> &'static str {
        RULE
    }

    fn eval(&self, cx: &Ctx, out: &mut Vec<Check>) {
        let d = cx.d;
        let Some(own) = d.document.unit_name.as_deref() else {
            return;
        };
        let known = |name: &str| {
            same_unit(name, own) || d.units.iter().any(|u| same_unit(name, &u.unit_name))
        };
        // Table heads: one finding per name printed, with every table that prints it.
        let mut heads: Vec<(&str, Vec<Location>, Vec<String>)> = Vec::new();
        for (ti, t) in d.tables.iter().enumerate() {
            let Some(name) = t.unit_name.as_deref() else {
                continue;
            };
            let at = loc(ti, None, None, t.pages.first().copied());
            let what = format!(
                "{} p{}",
                t.title.as_deref().unwrap_or("untitled table"),
                t.pages.first().copied().unwrap_or(0)
            );
            match heads.iter_mut().find(|(n, _, _)| *n == name) {
                Some((_, l, w)) => {
                    l.push(at);
                    w.push(what);
                }
                None => heads.push((name, vec![at], vec![what])),
            }
        }
        for (name, locations, tables) in heads {
            let ok = known(name);
            let shown = tables
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join("; ");
            let more = if tables.len() > 3 {
                format!(" and {} more", tables.len() - 3)
            } else {
                String::new()
            };
            let message = if ok {
                format!(
                    "{} table head(s) name the document's unit ({name})",
                    tables.len()
                )
            } else {
                format!(
                    "the head of {shown}{more} names {name}, another unit than the document's ({own})"
                )
            };
            out.push(check(RULE, Severity::Error, ok, message, locations));
        }
        // Prose: one finding per name, at its first page.
        let mentions: Vec<UnitMention> = d
            .narrative
            .get("unit_mentions")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default();
        let mut seen: Vec<&str> = Vec::new();
        for m in &mentions {
            if seen.contains(&m.name.as_str()) {
                continue;
            }
            seen.push(&m.name);
            let ok = known(&m.name);
            let message = if ok {
                format!("the text names the document's unit ({})", m.name)
            } else {
                format!(
                    "page {} names {}, another unit than the document's ({own}): \"{}\"",
                    m.page,
                    m.name,
                    m.sentence.chars().take(80).collect::<String>()
                )
            };
            // A heading (a cover, the head of the tables) names the unit as a table head does.
            let severity = if m.heading {
                Severity::Error
            } else {
                Severity::Warning
            };
            out.push(check(
                RULE,
                severity,
                ok,
                message,
                vec![in_text(Some("unit_name".to_string()), Some(m.page))],
            ));
        }
    }
}
