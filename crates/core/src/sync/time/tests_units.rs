//! Tests for `time_unit` conversion and billing rounding.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::{RoundingMode, RoundingRule, TimeUnit, UnitError};

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn custom(factor: &str) -> TimeUnit {
    TimeUnit::Custom {
        minutes_per_unit: dec(factor),
    }
}

#[test]
fn converts_units_to_seconds() {
    let cases = [
        (TimeUnit::Minutes, "15.0", 900),
        (TimeUnit::Hours, "0.25", 900),
        (TimeUnit::QuarterHours, "1", 900),
        (TimeUnit::Minutes, "-5.0", -300),
        (TimeUnit::Hours, "0.1", 360),
        (TimeUnit::Hours, "1.5", 5400),
        (TimeUnit::QuarterHours, "-2", -1800),
        (TimeUnit::Minutes, "0", 0),
        (TimeUnit::Minutes, "0.0083", 0),
        // Half a second rounds away from zero, on both sides.
        (TimeUnit::Minutes, "0.025", 2),
        (TimeUnit::Minutes, "-0.025", -2),
        (TimeUnit::Hours, "0.33", 1188),
        (custom("7.5"), "1", 450),
        (custom("7.5"), "2", 900),
        (custom("7.5"), "-1", -450),
        (custom("0.5"), "3", 90),
    ];
    for (unit, value, expected) in cases {
        assert_eq!(
            unit.duration_secs(dec(value)),
            Ok(expected),
            "{unit:?} × {value}"
        );
    }
}

#[test]
fn rejects_overflow_and_bad_factors() {
    assert_eq!(
        TimeUnit::Hours.duration_secs(dec("1e20")),
        Err(UnitError::Overflow { value: dec("1e20") })
    );
    assert_eq!(
        TimeUnit::Minutes.duration_secs(Decimal::MAX),
        Err(UnitError::Overflow {
            value: Decimal::MAX
        })
    );
    assert_eq!(
        custom("0").duration_secs(dec("1")),
        Err(UnitError::NonPositiveFactor(dec("0")))
    );
    assert_eq!(
        custom("-7.5").duration_secs(dec("1")),
        Err(UnitError::NonPositiveFactor(dec("-7.5")))
    );
    assert_eq!(
        custom(&Decimal::MAX.to_string()).duration_secs(dec("1")),
        Err(UnitError::Overflow {
            value: Decimal::MAX
        })
    );
}

#[test]
fn time_unit_serde_is_snake_case_tagged() {
    let cases = [
        (TimeUnit::Minutes, r#"{"kind":"minutes"}"#),
        (TimeUnit::Hours, r#"{"kind":"hours"}"#),
        (TimeUnit::QuarterHours, r#"{"kind":"quarter_hours"}"#),
        (
            custom("7.5"),
            r#"{"kind":"custom","minutes_per_unit":"7.5"}"#,
        ),
    ];
    for (unit, json) in cases {
        assert_eq!(serde_json::to_string(&unit).unwrap(), json);
        assert_eq!(serde_json::from_str::<TimeUnit>(json).unwrap(), unit);
    }
}

fn rule(mode: RoundingMode, step_minutes: u32, minimum_minutes: u32) -> RoundingRule {
    RoundingRule {
        mode,
        step_minutes,
        minimum_minutes,
    }
}

#[test]
fn rounding_table() {
    use RoundingMode::{Down, Nearest, Up};
    let cases = [
        (RoundingRule::none(), 1234, 1234),
        (RoundingRule::none(), 1, 1),
        (rule(Nearest, 15, 0), 449, 0),
        (rule(Nearest, 15, 0), 450, 900), // exactly half a step rounds up
        (rule(Nearest, 15, 0), 900, 900),
        (rule(Nearest, 15, 0), 1349, 900),
        (rule(Nearest, 15, 0), 1350, 1800),
        (rule(Nearest, 6, 0), 179, 0),
        (rule(Nearest, 6, 0), 180, 360),
        (rule(Up, 15, 0), 900, 900), // already on a step: unchanged
        (rule(Up, 15, 0), 901, 1800),
        (rule(Up, 15, 0), 1, 900),
        (rule(Down, 15, 0), 1799, 900),
        (rule(Down, 15, 0), 899, 0),
        (rule(Down, 15, 15), 899, 900), // minimum after rounding
        (rule(Nearest, 0, 15), 60, 900),
        (rule(Nearest, 0, 15), 1000, 1000),
        (rule(Up, 15, 30), 60, 1800),
        (rule(Up, 15, 30), 1801, 2700),
        // Corrections and zero are not timesheets: unchanged.
        (rule(Up, 15, 15), 0, 0),
        (rule(Up, 15, 15), -300, -300),
        (rule(Up, 15, 0), i64::MAX, i64::MAX),
    ];
    for (rule, secs, expected) in cases {
        assert_eq!(rule.apply(secs), expected, "{rule:?} on {secs} s");
    }
}

#[test]
fn rounding_rule_serde_and_default() {
    let json = r#"{"mode":"up","step_minutes":15,"minimum_minutes":30}"#;
    let parsed: RoundingRule = serde_json::from_str(json).unwrap();
    assert_eq!(parsed, rule(RoundingMode::Up, 15, 30));
    assert_eq!(serde_json::to_string(&parsed).unwrap(), json);
    assert_eq!(RoundingRule::default(), RoundingRule::none());
    assert_eq!(RoundingRule::none().step_minutes, 0);
}
