//! Printed amounts → exact decimals. Never a float.

use rust_decimal::Decimal;

/// The result of reading one amount cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// Blank, `-`, `—`, `/`, `0` with a dash style placeholder … : no value.
    Blank,
    /// A number as printed (in the table's unit), with the count of decimals printed.
    Number { value: Decimal, decimals: u32 },
    /// Not an amount (text).
    Text,
}

/// Characters that stand for "no amount" when they are the whole cell.
fn is_placeholder(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| {
            matches!(
                c,
                '-' | '—' | '–' | '－' | '/' | '─' | '━' | '\u{2010}'
                    ..='\u{2015}' | '*' | '…' | '.'
            )
        })
}

/// Parse `1,234.56`, `1234.5`, `-12.00`, `(12.00)`, `（12.00）`, `12.00-`, `—`, blank.
pub fn parse(cell: &str) -> Parsed {
    let s: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() || is_placeholder(&s) {
        return Parsed::Blank;
    }
    let (neg, body) = if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        (true, inner.to_string())
    } else if let Some(inner) = s.strip_prefix('（').and_then(|r| r.strip_suffix('）')) {
        (true, inner.to_string())
    } else if let Some(inner) = s
        .strip_prefix('-')
        .or_else(|| s.strip_prefix('－'))
        .or_else(|| s.strip_prefix('—'))
    {
        (true, inner.to_string())
    } else {
        (false, s.clone())
    };
    // Digits with thousands separators and at most one decimal point.
    let mut digits = String::with_capacity(body.len());
    let mut seen_dot = false;
    let mut decimals = 0u32;
    let mut seen_digit = false;
    for c in body.chars() {
        match c {
            '0'..='9' => {
                digits.push(c);
                seen_digit = true;
                if seen_dot {
                    decimals += 1;
                }
            }
            ',' | '，' if !seen_dot => {}
            '.' if !seen_dot => {
                seen_dot = true;
                digits.push('.');
            }
            _ => return Parsed::Text,
        }
    }
    // At most 20 characters: sums over whole tables of such figures stay far inside Decimal's range.
    if !seen_digit || digits.len() > 20 {
        return Parsed::Text;
    }
    match digits.parse::<Decimal>() {
        Ok(v) => Parsed::Number {
            value: if neg { -v } else { v },
            decimals,
        },
        Err(_) => Parsed::Text,
    }
}

/// The multiplier from a printed unit to yuan.
pub fn unit_factor(unit: &str) -> Option<Decimal> {
    match unit {
        "元" => Some(Decimal::ONE),
        "万元" => Some(Decimal::from(10_000)),
        "千元" => Some(Decimal::from(1_000)),
        "百万元" => Some(Decimal::from(1_000_000)),
        "亿元" => Some(Decimal::from(100_000_000)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Option<String> {
        match parse(s) {
            Parsed::Number { value, .. } => Some(value.to_string()),
            _ => None,
        }
    }

    #[test]
    fn printed_forms() {
        assert_eq!(num("1,234.56").as_deref(), Some("1234.56"));
        assert_eq!(num(" 774.48 ").as_deref(), Some("774.48"));
        assert_eq!(num("-12.00").as_deref(), Some("-12.00"));
        assert_eq!(num("(12.00)").as_deref(), Some("-12.00"));
        assert_eq!(num("（3.5）").as_deref(), Some("-3.5"));
        assert_eq!(num("0").as_deref(), Some("0"));
        assert_eq!(num("156,211,123").as_deref(), Some("156211123"));
        assert_eq!(parse("—"), Parsed::Blank);
        assert_eq!(parse("-"), Parsed::Blank);
        assert_eq!(parse(""), Parsed::Blank);
        assert_eq!(parse("行政运行"), Parsed::Text);
        assert_eq!(parse("1.2.3"), Parsed::Text);
        assert_eq!(parse("12.5%"), Parsed::Text);
        assert_eq!(
            parse("1.50"),
            Parsed::Number {
                value: Decimal::new(150, 2),
                decimals: 2
            }
        );
    }

    #[test]
    fn units() {
        assert_eq!(unit_factor("万元"), Some(Decimal::from(10_000)));
        assert_eq!(unit_factor("元"), Some(Decimal::ONE));
        assert_eq!(unit_factor("美元"), None);
    }
}
