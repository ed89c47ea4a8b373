//! Numbers with their units (万元, %, 辆, 平方米, 人 …) as read from a sentence, money converted to
//! yuan; a number that is part of something else (a longer number, 人次, a date) is no token.
//! Apart from the sentence reading because the unit alone decides which reading applies (money,
//! percent, a count or quantity).

use std::str::FromStr;

use rust_decimal::Decimal;

/// The unit of a number in the text.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(super) enum Unit {
    Money(i64),
    Percent,
    Vehicles,
    Area,
    People,
    Count,
}

pub(super) struct Token {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) value: Decimal,
    pub(super) unit: Unit,
    pub(super) printed: String,
}

/// A number with its unit, converted (money to yuan). None where it is part of something else
/// (a longer number, 人次, a date).
pub(super) fn make_token(
    text: &str,
    start: usize,
    end: usize,
    num: &str,
    unit: &str,
) -> Option<Token> {
    let before = text.get(..start).and_then(|s| s.chars().last());
    if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.') {
        return None;
    }
    let after = text.get(end..).unwrap_or("");
    let unit = match unit {
        "亿元" => Unit::Money(100_000_000),
        "万元" => Unit::Money(10_000),
        "千元" => Unit::Money(1_000),
        "元" => Unit::Money(1),
        "%" => Unit::Percent,
        "辆" => Unit::Vehicles,
        "平方米" | "平米" | "m2" => Unit::Area,
        "名" | "人" => {
            if after.starts_with('次') || after.starts_with('均') || after.starts_with("民") {
                return None;
            }
            Unit::People
        }
        "个" => Unit::Count,
        _ => return None,
    };
    let digits = num.replace(',', "");
    if digits.len() > 20 {
        return None; // keeps every later sum and ratio inside Decimal's range
    }
    let value = Decimal::from_str(&digits).ok()?;
    let value = match unit {
        Unit::Money(f) => value.checked_mul(Decimal::from(f))?,
        _ => value,
    };
    Some(Token {
        start,
        end,
        value,
        unit,
        printed: text.get(start..end).unwrap_or("").to_string(),
    })
}
