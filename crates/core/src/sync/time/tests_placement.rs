//! Tests for placing one entry: day boundary, month end, DST both ways, seconds, errors.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::America::{New_York, Santiago};
use chrono_tz::Europe::Berlin;
use chrono_tz::Tz;

use super::{place_ending_at, to_whole_minutes, Month, PlacementError, Span};

pub(super) fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

pub(super) fn local(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

pub(super) fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// (what, zone, created_at UTC, duration s, expected begin, expected end, expected date)
type Case = (
    &'static str,
    Tz,
    &'static str,
    i64,
    &'static str,
    &'static str,
    &'static str,
);

#[rustfmt::skip]
const CASES: &[Case] = &[
    // Plain weekdays: end at created_at.
    ("berlin weekday", Berlin, "2026-03-03T09:15:00Z", 1800, "2026-03-03 09:45", "2026-03-03 10:15", "2026-03-03"),
    ("ny weekday", New_York, "2026-03-03T15:15:00Z", 1800, "2026-03-03 09:45", "2026-03-03 10:15", "2026-03-03"),
    // Created 00:10 local for 30 min: shifted to start at 00:00 of its own day.
    ("berlin 00:10", Berlin, "2026-03-04T23:10:00Z", 1800, "2026-03-05 00:00", "2026-03-05 00:30", "2026-03-05"),
    ("ny 00:10", New_York, "2026-03-05T05:10:00Z", 1800, "2026-03-05 00:00", "2026-03-05 00:30", "2026-03-05"),
    // Month end: the same instant is April 1st in Berlin, March 31st in New York.
    ("berlin month end", Berlin, "2026-03-31T23:50:00Z", 1800, "2026-04-01 01:20", "2026-04-01 01:50", "2026-04-01"),
    ("ny month end", New_York, "2026-03-31T23:50:00Z", 1800, "2026-03-31 19:20", "2026-03-31 19:50", "2026-03-31"),
    ("ny month end late", New_York, "2026-04-01T03:50:00Z", 1800, "2026-03-31 23:20", "2026-03-31 23:50", "2026-03-31"),
    // Spring forward: spans across the skipped hour keep their real length.
    ("berlin spring gap", Berlin, "2026-03-29T01:30:00Z", 3600, "2026-03-29 01:30", "2026-03-29 03:30", "2026-03-29"),
    ("berlin spring end at 03:00", Berlin, "2026-03-29T01:00:00Z", 1800, "2026-03-29 01:30", "2026-03-29 03:00", "2026-03-29"),
    ("ny spring gap", New_York, "2026-03-08T07:30:00Z", 3600, "2026-03-08 01:30", "2026-03-08 03:30", "2026-03-08"),
    // Spring day has 23 h: the whole day fits exactly.
    ("berlin spring whole day", Berlin, "2026-03-29T21:00:00Z", 23 * 3600, "2026-03-29 00:00", "2026-03-30 00:00", "2026-03-29"),
    // Fall back, booked inside the repeated hour (either occurrence): ends at the last
    // unambiguous minute before it.
    ("berlin repeated 1st", Berlin, "2026-10-25T00:30:00Z", 1200, "2026-10-25 01:39", "2026-10-25 01:59", "2026-10-25"),
    ("berlin repeated 2nd", Berlin, "2026-10-25T01:30:00Z", 1200, "2026-10-25 01:39", "2026-10-25 01:59", "2026-10-25"),
    ("ny repeated 1st", New_York, "2026-11-01T05:30:00Z", 1200, "2026-11-01 00:39", "2026-11-01 00:59", "2026-11-01"),
    ("ny repeated 2nd", New_York, "2026-11-01T06:30:00Z", 1200, "2026-11-01 00:39", "2026-11-01 00:59", "2026-11-01"),
    // Booked after the repeated hour, but the begin would fall inside it: moved earlier.
    ("berlin begin repeated", Berlin, "2026-10-25T02:10:00Z", 5400, "2026-10-25 00:29", "2026-10-25 01:59", "2026-10-25"),
    // Spanning the whole repeated hour is fine: 3 real hours, 2 wall-clock hours.
    ("berlin across repeated", Berlin, "2026-10-25T02:30:00Z", 10800, "2026-10-25 01:30", "2026-10-25 03:30", "2026-10-25"),
    ("ny across repeated", New_York, "2026-11-01T07:30:00Z", 10800, "2026-11-01 00:30", "2026-11-01 02:30", "2026-11-01"),
    // Nothing valid before the booking time (day start): earliest valid span after it.
    ("berlin repeated, no room before", Berlin, "2026-10-25T00:30:00Z", 9000, "2026-10-25 01:30", "2026-10-25 03:00", "2026-10-25"),
    // Fall day has 25 h: the whole day fits exactly, ending at 24:00.
    ("berlin fall whole day", Berlin, "2026-10-25T12:00:00Z", 25 * 3600, "2026-10-25 00:00", "2026-10-26 00:00", "2026-10-25"),
    // Santiago 2026-09-06: 00:00 is skipped (00:00 -04 → 01:00 -03); the day starts at 01:00.
    ("santiago midnight gap", Santiago, "2026-09-06T04:10:00Z", 1800, "2026-09-06 01:00", "2026-09-06 01:30", "2026-09-06"),
    // Seconds: end rounded up to the minute, begin moved with it.
    ("berlin seconds", Berlin, "2026-03-03T09:15:20.5Z", 1800, "2026-03-03 09:46", "2026-03-03 10:16", "2026-03-03"),
    ("ny seconds", New_York, "2026-03-03T15:15:01Z", 1800, "2026-03-03 09:46", "2026-03-03 10:16", "2026-03-03"),
    ("berlin 7.5 min", Berlin, "2026-03-03T09:15:20Z", 450, "2026-03-03 10:08", "2026-03-03 10:16", "2026-03-03"),
    ("berlin 20 s", Berlin, "2026-03-03T09:15:00Z", 20, "2026-03-03 10:14", "2026-03-03 10:15", "2026-03-03"),
    // 23:59:30 local rounds up to 24:00, still on its own day.
    ("berlin end at midnight", Berlin, "2026-03-03T22:59:30Z", 600, "2026-03-03 23:50", "2026-03-04 00:00", "2026-03-03"),
];

#[test]
fn placement_table() {
    for &(what, tz, created, secs, begin, end, date) in CASES {
        let span =
            place_ending_at(utc(created), secs, tz).unwrap_or_else(|e| panic!("{what}: {e}"));
        let expected = Span {
            begin: local(begin),
            end: local(end),
            date: day(date),
        };
        assert_eq!(span, expected, "{what}");
        assert_eq!(span.duration_secs(tz), to_whole_minutes(secs), "{what}");
    }
}

#[test]
fn month_follows_local_date() {
    let berlin = place_ending_at(utc("2026-03-31T23:50:00Z"), 1800, Berlin).unwrap();
    let new_york = place_ending_at(utc("2026-03-31T23:50:00Z"), 1800, New_York).unwrap();
    assert_eq!(Month::of(berlin.date).to_string(), "2026-04");
    assert_eq!(Month::of(new_york.date).to_string(), "2026-03");
}

#[test]
fn whole_minutes() {
    let cases = [
        (1, 60),
        (29, 60),
        (89, 60),
        (90, 120),
        (450, 480),
        (1800, 1800),
        (0, 0),
        (-30, -30),
    ];
    for (secs, expected) in cases {
        assert_eq!(to_whole_minutes(secs), expected, "{secs}");
    }
}

#[test]
fn placement_errors() {
    let at = utc("2026-03-03T09:15:00Z");
    assert_eq!(
        place_ending_at(at, 0, Berlin),
        Err(PlacementError::NonPositiveDuration(0))
    );
    assert_eq!(
        place_ending_at(at, -300, Berlin),
        Err(PlacementError::NonPositiveDuration(-300))
    );
    let too_long = |created: &str, secs: i64, tz: Tz, date: &str, day_secs: i64| {
        assert_eq!(
            place_ending_at(utc(created), secs, tz),
            Err(PlacementError::LongerThanDay {
                date: day(date),
                duration_secs: secs,
                day_secs
            })
        );
    };
    too_long("2026-03-03T09:15:00Z", 86_460, Berlin, "2026-03-03", 86_400);
    too_long("2026-03-29T12:00:00Z", 86_400, Berlin, "2026-03-29", 82_800);
    too_long(
        "2026-03-08T17:00:00Z",
        82_860,
        New_York,
        "2026-03-08",
        82_800,
    );
    too_long(
        "2026-11-01T17:00:00Z",
        90_060,
        New_York,
        "2026-11-01",
        90_000,
    );
}

#[test]
fn span_duration_is_real_time() {
    // Hand-made spans (not produced by placement) across both changes.
    let spring = Span {
        begin: local("2026-03-29 01:00"),
        end: local("2026-03-29 04:00"),
        date: day("2026-03-29"),
    };
    assert_eq!(spring.duration_secs(Berlin), 7200);
    let fall = Span {
        begin: local("2026-10-25 01:00"),
        end: local("2026-10-25 04:00"),
        date: day("2026-10-25"),
    };
    assert_eq!(fall.duration_secs(Berlin), 14_400);
    assert_eq!(fall.duration_secs(New_York), 10_800);
    // A skipped begin falls back to the wall-clock difference.
    let skipped = Span {
        begin: local("2026-03-29 02:30"),
        end: local("2026-03-29 03:30"),
        date: day("2026-03-29"),
    };
    assert_eq!(skipped.duration_secs(Berlin), 3600);
}
