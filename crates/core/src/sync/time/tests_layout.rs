//! Tests for laying out a day's entries without overlaps.

use chrono_tz::America::New_York;
use chrono_tz::Europe::Berlin;
use chrono_tz::Tz;

use super::tests_placement::{day, local, utc};
use super::{lay_out_day, place_ending_at, DayEntry, EntryId, PlacementError, Span};

fn entry(id: i64, created_at: &str, duration_secs: i64) -> DayEntry {
    DayEntry {
        id: EntryId(id),
        created_at: utc(created_at),
        duration_secs,
    }
}

/// Lays out and checks every span's real duration and that no two spans overlap.
fn layout(entries: &[DayEntry], tz: Tz) -> Vec<(i64, String, String)> {
    let placed = lay_out_day(entries, tz).unwrap();
    for pair in placed.windows(2) {
        assert!(pair[0].1.end <= pair[1].1.begin, "overlap: {pair:?}");
    }
    placed
        .iter()
        .map(|(id, span)| {
            let wanted = entries.iter().find(|e| e.id == *id).unwrap().duration_secs;
            assert_eq!(span.duration_secs(tz), wanted, "entry {id:?}");
            let date = entries.iter().find(|e| e.id == *id).unwrap().created_at;
            assert_eq!(span.date, date.with_timezone(&tz).date_naive());
            let fmt = |t: chrono::NaiveDateTime| t.format("%m-%d %H:%M").to_string();
            (id.0, fmt(span.begin), fmt(span.end))
        })
        .collect()
}

fn expect(rows: &[(i64, &str, &str)]) -> Vec<(i64, String, String)> {
    rows.iter()
        .map(|(id, b, e)| (*id, (*b).to_owned(), (*e).to_owned()))
        .collect()
}

#[test]
fn three_overlapping_entries_stack_backwards() {
    // Booked at 10:00, 10:10, 10:20 local, 30 min each, given out of order.
    let berlin = [
        entry(3, "2026-03-03T09:20:00Z", 1800),
        entry(1, "2026-03-03T09:00:00Z", 1800),
        entry(2, "2026-03-03T09:10:00Z", 1800),
    ];
    let new_york = [
        entry(3, "2026-03-03T15:20:00Z", 1800),
        entry(1, "2026-03-03T15:00:00Z", 1800),
        entry(2, "2026-03-03T15:10:00Z", 1800),
    ];
    let want = expect(&[
        (1, "03-03 08:50", "03-03 09:20"),
        (2, "03-03 09:20", "03-03 09:50"),
        (3, "03-03 09:50", "03-03 10:20"),
    ]);
    assert_eq!(layout(&berlin, Berlin), want);
    assert_eq!(layout(&new_york, New_York), want);
}

#[test]
fn non_overlapping_entries_keep_their_default_place() {
    let entries = [
        entry(7, "2026-03-03T09:00:00Z", 900),
        entry(8, "2026-03-03T12:00:00Z", 1800),
    ];
    let want = expect(&[
        (7, "03-03 09:45", "03-03 10:00"),
        (8, "03-03 12:30", "03-03 13:00"),
    ]);
    assert_eq!(layout(&entries, Berlin), want);
}

#[test]
fn same_booking_time_orders_by_id() {
    let entries = [
        entry(5, "2026-03-03T09:00:00Z", 600),
        entry(4, "2026-03-03T09:00:00Z", 600),
    ];
    let want = expect(&[
        (4, "03-03 09:40", "03-03 09:50"),
        (5, "03-03 09:50", "03-03 10:00"),
    ]);
    assert_eq!(layout(&entries, Berlin), want);
}

#[test]
fn no_room_before_midnight_lays_out_forward() {
    // Booked 00:10, 00:20, 00:30 local, 30 min each: the backward pass hits 00:00.
    let entries = [
        entry(1, "2026-03-04T23:10:00Z", 1800),
        entry(2, "2026-03-04T23:20:00Z", 1800),
        entry(3, "2026-03-04T23:30:00Z", 1800),
    ];
    let want = expect(&[
        (1, "03-05 00:00", "03-05 00:30"),
        (2, "03-05 00:30", "03-05 01:00"),
        (3, "03-05 01:00", "03-05 01:30"),
    ]);
    assert_eq!(layout(&entries, Berlin), want);
    let new_york = [
        entry(1, "2026-03-05T05:10:00Z", 1800),
        entry(2, "2026-03-05T05:20:00Z", 1800),
        entry(3, "2026-03-05T05:30:00Z", 1800),
    ];
    assert_eq!(layout(&new_york, New_York), want);
}

#[test]
fn repeated_hour_entries_end_before_it() {
    // New York 2026-11-01: booked at 01:30 EDT and 01:30 EST (the repeated hour).
    let entries = [
        entry(1, "2026-11-01T05:30:00Z", 1200),
        entry(2, "2026-11-01T06:30:00Z", 1200),
    ];
    let want = expect(&[
        (1, "11-01 00:19", "11-01 00:39"),
        (2, "11-01 00:39", "11-01 00:59"),
    ]);
    assert_eq!(layout(&entries, New_York), want);
    // Berlin 2026-10-25: 02:30 CEST, 02:30 CET, 03:30 CET.
    let berlin = [
        entry(1, "2026-10-25T00:30:00Z", 1200),
        entry(2, "2026-10-25T01:30:00Z", 1200),
        entry(3, "2026-10-25T02:30:00Z", 1800),
    ];
    let want = expect(&[
        (1, "10-25 01:19", "10-25 01:39"),
        (2, "10-25 01:39", "10-25 01:59"),
        (3, "10-25 03:00", "10-25 03:30"),
    ]);
    assert_eq!(layout(&berlin, Berlin), want);
}

#[test]
fn single_entry_matches_default_placement() {
    for (created, secs, tz) in [
        ("2026-10-25T00:30:00Z", 9000, Berlin),
        ("2026-03-29T01:30:00Z", 3600, Berlin),
        ("2026-03-05T05:10:00Z", 1800, New_York),
    ] {
        let alone = place_ending_at(utc(created), secs, tz).unwrap();
        let laid = lay_out_day(&[entry(9, created, secs)], tz).unwrap();
        assert_eq!(laid, vec![(EntryId(9), alone)]);
    }
    assert_eq!(lay_out_day(&[], Berlin), Ok(Vec::new()));
}

#[test]
fn layout_errors() {
    // 23:30 UTC on 03-03 is 00:30 on 03-04 in Berlin.
    let mixed = [
        entry(1, "2026-03-03T09:00:00Z", 600),
        entry(2, "2026-03-03T23:30:00Z", 600),
    ];
    assert_eq!(
        lay_out_day(&mixed, Berlin),
        Err(PlacementError::DifferentDays {
            id: EntryId(2),
            expected: day("2026-03-03"),
            found: day("2026-03-04"),
        })
    );
    let full = [
        entry(1, "2026-03-03T23:10:00Z", 13 * 3600),
        entry(2, "2026-03-03T23:20:00Z", 13 * 3600),
    ];
    assert_eq!(
        lay_out_day(&full, Berlin),
        Err(PlacementError::NoRoom {
            date: day("2026-03-04"),
            duration_secs: 26 * 3600
        })
    );
    let negative = [
        entry(1, "2026-03-03T09:00:00Z", 600),
        entry(2, "2026-03-03T09:30:00Z", -60),
    ];
    assert_eq!(
        lay_out_day(&negative, Berlin),
        Err(PlacementError::NonPositiveDuration(-60))
    );
    let span = Span {
        begin: local("2026-03-03 09:50"),
        end: local("2026-03-03 10:00"),
        date: day("2026-03-03"),
    };
    assert_eq!(
        lay_out_day(&mixed[..1], Berlin),
        Ok(vec![(EntryId(1), span)])
    );
}
