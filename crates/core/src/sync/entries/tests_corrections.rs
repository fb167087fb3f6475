//! Table-driven tests for the correction rule.

use chrono::{Duration, TimeZone, Utc};

use super::{apply_corrections, explain, Corrected, Effective, Signed, Unapplied};

/// `(id, ticket, type, month, minute of the month's booking order, minutes)`.
type Row = (i64, i64, Option<i64>, &'static str, i64, i64);

fn signed(rows: &[Row]) -> Vec<Signed> {
    let base = Utc
        .with_ymd_and_hms(2026, 10, 1, 8, 0, 0)
        .single()
        .expect("valid time");
    rows.iter()
        .map(|&(id, ticket_id, type_id, month, at, min)| Signed {
            id,
            ticket_id,
            type_id,
            month: month.parse().unwrap(),
            created_at: base + Duration::minutes(at),
            secs: min * 60,
        })
        .collect()
}

fn eff(id: i64, min: i64, reduced_by: &[(i64, i64)]) -> Effective {
    Effective {
        id,
        secs: min * 60,
        reduced_by: reduced_by.iter().map(|&(c, m)| (c, m * 60)).collect(),
    }
}

fn unapplied(correction_id: i64, min: i64) -> Unapplied {
    Unapplied {
        correction_id,
        secs_left: min * 60,
    }
}

const T: i64 = 812;
const N: &str = "2026-11";

#[test]
fn correction_table() {
    let cases: Vec<(&str, Vec<Row>, Corrected)> = vec![
        (
            "no corrections",
            vec![(1, T, Some(1), N, 0, 90), (2, T, Some(1), N, 5, 30)],
            Corrected {
                effective: vec![eff(1, 90, &[]), eff(2, 30, &[])],
                ..Corrected::default()
            },
        ),
        (
            "single correction reduces the latest earlier entry",
            vec![
                (1, T, Some(1), N, 0, 45),
                (2, T, Some(1), N, 5, 90),
                (12, T, Some(1), N, 9, -30),
            ],
            Corrected {
                effective: vec![eff(1, 45, &[]), eff(2, 60, &[(12, 30)])],
                ..Corrected::default()
            },
        ),
        (
            "larger than the latest entry spills to the previous one",
            vec![
                (1, T, Some(1), N, 0, 60),
                (2, T, Some(1), N, 5, 30),
                (12, T, Some(1), N, 9, -45),
            ],
            Corrected {
                effective: vec![eff(1, 45, &[(12, 15)])],
                cancelled: vec![2],
                ..Corrected::default()
            },
        ),
        (
            "exact cancellation",
            vec![(1, T, Some(1), N, 0, 30), (12, T, Some(1), N, 9, -30)],
            Corrected {
                cancelled: vec![1],
                ..Corrected::default()
            },
        ),
        (
            "more than everything earlier: remainder unapplied",
            vec![(1, T, Some(1), N, 0, 30), (12, T, Some(1), N, 9, -50)],
            Corrected {
                cancelled: vec![1],
                unapplied: vec![unapplied(12, 20)],
                ..Corrected::default()
            },
        ),
        (
            "correction in another month is unapplied",
            vec![
                (1, T, Some(1), "2026-10", 0, 60),
                (12, T, Some(1), N, 9, -30),
            ],
            Corrected {
                effective: vec![eff(1, 60, &[])],
                unapplied: vec![unapplied(12, 30)],
                ..Corrected::default()
            },
        ),
        (
            "correction of another type is unapplied",
            vec![(1, T, Some(1), N, 0, 60), (12, T, Some(2), N, 9, -30)],
            Corrected {
                effective: vec![eff(1, 60, &[])],
                unapplied: vec![unapplied(12, 30)],
                ..Corrected::default()
            },
        ),
        (
            "no type is a type of its own",
            vec![(1, T, Some(1), N, 0, 60), (12, T, None, N, 9, -30)],
            Corrected {
                effective: vec![eff(1, 60, &[])],
                unapplied: vec![unapplied(12, 30)],
                ..Corrected::default()
            },
        ),
        (
            "correction on another ticket is unapplied",
            vec![(1, T, Some(1), N, 0, 60), (12, 900, Some(1), N, 9, -30)],
            Corrected {
                effective: vec![eff(1, 60, &[])],
                unapplied: vec![unapplied(12, 30)],
                ..Corrected::default()
            },
        ),
        (
            "zero entries are ignored",
            vec![(1, T, Some(1), N, 0, 60), (5, T, Some(1), N, 3, 0)],
            Corrected {
                effective: vec![eff(1, 60, &[])],
                ignored_zero: vec![5],
                ..Corrected::default()
            },
        ),
        (
            "correction before any positive entry is unapplied; later entries untouched",
            vec![(12, T, Some(1), N, 0, -30), (1, T, Some(1), N, 5, 60)],
            Corrected {
                effective: vec![eff(1, 60, &[])],
                unapplied: vec![unapplied(12, 30)],
                ..Corrected::default()
            },
        ),
        (
            "two corrections: the second continues where the first left off",
            vec![
                (1, T, Some(1), N, 0, 60),
                (2, T, Some(1), N, 5, 30),
                (12, T, Some(1), N, 9, -20),
                (13, T, Some(1), N, 12, -20),
            ],
            Corrected {
                effective: vec![eff(1, 50, &[(13, 10)])],
                cancelled: vec![2],
                ..Corrected::default()
            },
        ),
        (
            "a correction only reaches entries booked before it",
            vec![
                (1, T, Some(1), N, 0, 60),
                (12, T, Some(1), N, 5, -15),
                (2, T, Some(1), N, 9, 30),
                (13, T, Some(1), N, 12, -10),
            ],
            Corrected {
                effective: vec![eff(1, 45, &[(12, 15)]), eff(2, 20, &[(13, 10)])],
                ..Corrected::default()
            },
        ),
        (
            "same time: the lower id is earlier",
            vec![
                (3, T, Some(1), N, 0, 30),
                (2, T, Some(1), N, 0, -15),
                (1, T, Some(1), N, 0, 60),
            ],
            Corrected {
                effective: vec![eff(1, 45, &[(2, 15)]), eff(3, 30, &[])],
                ..Corrected::default()
            },
        ),
        ("nothing in, nothing out", vec![], Corrected::default()),
    ];
    for (name, rows, expected) in cases {
        assert_eq!(apply_corrections(&signed(&rows)), expected, "{name}");
    }
}

#[test]
fn shuffled_input_gives_the_same_output() {
    let rows: Vec<Row> = vec![
        (1, T, Some(1), N, 0, 60),
        (2, T, Some(1), N, 5, 30),
        (3, T, Some(2), N, 6, 15),
        (4, 900, Some(1), N, 7, 45),
        (5, T, Some(1), "2026-10", 1, 20),
        (12, T, Some(1), N, 9, -45),
        (13, 900, Some(1), N, 10, -60),
        (14, T, Some(2), N, 11, 0),
    ];
    let expected = Corrected {
        effective: vec![eff(1, 45, &[(12, 15)]), eff(3, 15, &[]), eff(5, 20, &[])],
        cancelled: vec![2, 4],
        ignored_zero: vec![14],
        unapplied: vec![unapplied(13, 15)],
    };
    let mut input = signed(&rows);
    assert_eq!(apply_corrections(&input), expected);
    input.reverse();
    assert_eq!(apply_corrections(&input), expected);
    // Every rotation of the reversed order, as a cheap deterministic shuffle.
    for _ in 0..input.len() {
        input.rotate_left(3);
        input.swap(0, 5);
        assert_eq!(apply_corrections(&input), expected);
    }
}

#[test]
fn extreme_amounts_do_not_overflow() {
    let mut input = signed(&[(1, T, Some(1), N, 0, 1), (12, T, Some(1), N, 9, 0)]);
    input[1].secs = i64::MIN;
    let out = apply_corrections(&input);
    assert_eq!(out.cancelled, [1]);
    assert_eq!(out.unapplied, [unapplied_secs(12, i64::MAX - 59)]);
    // Nothing to net at all: 2^63 seconds left saturates.
    let out = apply_corrections(&input[1..]);
    assert_eq!(out.unapplied, [unapplied_secs(12, i64::MAX)]);
    let mut big = signed(&[(1, T, Some(1), N, 0, 0)]);
    big[0].secs = i64::MAX;
    assert_eq!(apply_corrections(&big).effective[0].secs, i64::MAX);
}

fn unapplied_secs(correction_id: i64, secs_left: i64) -> Unapplied {
    Unapplied {
        correction_id,
        secs_left,
    }
}

#[test]
fn explain_lines() {
    assert_eq!(
        explain(&eff(2, 60, &[(12, 30)])),
        "90 min − 30 min (correction #12) = 60 min"
    );
    assert_eq!(explain(&eff(1, 90, &[])), "90 min");
    assert_eq!(
        explain(&eff(1, 45, &[(12, 10), (13, 5)])),
        "60 min − 10 min (correction #12) − 5 min (correction #13) = 45 min"
    );
    let odd = Effective {
        id: 1,
        secs: 90,
        reduced_by: vec![(12, 45)],
    };
    assert_eq!(odd.original_secs(), 135);
    assert_eq!(
        explain(&odd),
        "2 min 15 s − 45 s (correction #12) = 1 min 30 s"
    );
}

#[test]
fn corrected_serializes_for_the_preview() {
    let out = apply_corrections(&signed(&[
        (1, T, Some(1), N, 0, 90),
        (12, T, Some(1), N, 9, -30),
        (13, 900, None, N, 9, -5),
        (14, T, None, N, 9, 0),
    ]));
    assert_eq!(
        serde_json::to_string(&out).expect("json"),
        r#"{"effective":[{"id":1,"secs":3600,"reduced_by":[[12,1800]]}],"cancelled":[],"#
            .to_owned()
            + r#""ignored_zero":[14],"unapplied":[{"correction_id":13,"secs_left":300}]}"#
    );
}
