//! consistency.magnitude: a narrative figure that is the table's figure in the wrong unit — the
//! digits of 万元 printed with 元 (774.48元 for 774.48万元) or the other way round — is that
//! mistake, not a different amount. The amount rules hand their mismatches here first.

use rust_decimal::Decimal;

use super::ctx::check;
use crate::model::{Check, Location, Severity};

const RULE: &str = "consistency.magnitude";

/// The finding when `stated` (yuan) is `table` (yuan) off by exactly a factor of 10,000 within
/// the stated figure's rounding `tol` (scaled with it); None otherwise.
pub(super) fn finding(
    stated: Decimal,
    table: Decimal,
    tol: Decimal,
    printed: &str,
    sentence: &str,
    page: usize,
    locations: Vec<Location>,
) -> Option<Check> {
    let wan = Decimal::from(10_000);
    if stated.is_zero() || table.is_zero() {
        return None;
    }
    let (as_printed, meant) = if (stated * wan - table).abs() <= tol * wan {
        ("元", "万元")
    } else if (stated - table * wan).abs() <= tol {
        ("万元", "元")
    } else {
        return None;
    };
    Some(check(
        RULE,
        Severity::Warning,
        false,
        format!(
            "{printed} is the tables' figure in {meant}, printed as {as_printed} (× 10,000) (page {page}: \"{}\")",
            sentence.chars().take(80).collect::<String>()
        ),
        locations,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_factor_of_ten_thousand_is_a_unit_slip() {
        let table = Decimal::from(7_744_800); // 774.48万元
        let tol = Decimal::new(5, 3); // 774.48元 printed to 2 decimals
        let f = finding(
            Decimal::new(77448, 2),
            table,
            tol,
            "774.48元",
            "…",
            3,
            vec![],
        );
        assert!(f.is_some_and(|c| c.rule == RULE && c.message.contains("in 万元")));
        // A different amount is no unit slip.
        assert!(finding(
            Decimal::new(77458, 2),
            table,
            tol,
            "774.58元",
            "…",
            3,
            vec![]
        )
        .is_none());
        assert!(finding(
            Decimal::from(7_744_800),
            table,
            tol,
            "774.48万元",
            "…",
            3,
            vec![]
        )
        .is_none());
    }
}
