//! Tests for billing months.

use chrono::NaiveDate;

use super::{Month, MonthError};

fn month(year: i32, month: u32) -> Month {
    Month::new(year, month).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn parses_and_displays() {
    let parsed: Month = "2026-03".parse().unwrap();
    assert_eq!((parsed.year(), parsed.month()), (2026, 3));
    assert_eq!(parsed.to_string(), "2026-03");
    assert_eq!(month(987, 1).to_string(), "0987-01");
    assert_eq!("0987-01".parse::<Month>(), Ok(month(987, 1)));
}

#[test]
fn rejects_bad_text() {
    for bad in [
        "2026-3", "26-03", "2026/03", "", " 2026-03", "2026-03 ", "+026-03", "2026-1a", "2026-003",
    ] {
        assert_eq!(
            bad.parse::<Month>(),
            Err(MonthError::Format(bad.to_owned())),
            "{bad:?}"
        );
    }
    for (bad, m) in [("2026-00", 0), ("2026-13", 13)] {
        assert_eq!(
            bad.parse::<Month>(),
            Err(MonthError::OutOfRange {
                year: 2026,
                month: m
            })
        );
    }
    assert!(MonthError::Format("2026-3".into())
        .to_string()
        .contains("YYYY-MM"));
    assert!(Month::new(2026, 0).is_err());
    assert!(Month::new(i32::MAX, 1).is_err());
}

#[test]
fn days_and_neighbours() {
    let cases = [
        (month(2026, 2), date(2026, 2, 1), date(2026, 2, 28)),
        (month(2024, 2), date(2024, 2, 1), date(2024, 2, 29)),
        (month(2026, 4), date(2026, 4, 1), date(2026, 4, 30)),
        (month(2026, 12), date(2026, 12, 1), date(2026, 12, 31)),
    ];
    for (m, first, last) in cases {
        assert_eq!((m.first_day(), m.last_day()), (first, last), "{m}");
    }
    assert_eq!(month(2026, 1).previous(), month(2025, 12));
    assert_eq!(month(2026, 3).previous(), month(2026, 2));
    assert_eq!(month(2026, 12).next(), month(2027, 1));
    assert_eq!(month(2026, 3).next(), month(2026, 4));
    let last = Month::of(NaiveDate::MAX);
    assert_eq!(last.next(), last);
    assert_eq!(last.last_day(), NaiveDate::MAX);
    let first = Month::of(NaiveDate::MIN);
    assert_eq!(first.previous(), first);
}

#[test]
fn of_and_contains() {
    assert_eq!(Month::of(date(2026, 3, 31)), month(2026, 3));
    assert_eq!(Month::of(date(2026, 4, 1)), month(2026, 4));
    let march = month(2026, 3);
    assert!(march.contains(date(2026, 3, 1)));
    assert!(march.contains(date(2026, 3, 31)));
    assert!(!march.contains(date(2026, 4, 1)));
    assert!(!march.contains(date(2025, 3, 15)));
}

#[test]
fn orders_chronologically() {
    let mut months = [
        month(2026, 2),
        month(2025, 12),
        month(2026, 1),
        month(2025, 11),
    ];
    months.sort();
    let text: Vec<String> = months.iter().map(ToString::to_string).collect();
    assert_eq!(text, ["2025-11", "2025-12", "2026-01", "2026-02"]);
}

#[test]
fn serde_as_string() {
    assert_eq!(
        serde_json::to_string(&month(2026, 3)).unwrap(),
        r#""2026-03""#
    );
    assert_eq!(
        serde_json::from_str::<Month>(r#""2026-11""#).unwrap(),
        month(2026, 11)
    );
    let err = serde_json::from_str::<Month>(r#""2026-13""#).unwrap_err();
    assert!(err.to_string().contains("2026-13"), "{err}");
    assert!(serde_json::from_str::<Month>("202603").is_err());
}
