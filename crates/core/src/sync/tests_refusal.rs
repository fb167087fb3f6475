//! Classification by structure and by what the core knows, never by Kimai's (translated)
//! words; and when a refusal stops holding.

use chrono::{DateTime, NaiveDate, Utc};

use super::*;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn answer(status: u16, fields: &[&str], messages: &[&str]) -> KimaiAnswer {
    KimaiAnswer {
        status,
        fields: fields.iter().map(|f| f.to_string()).collect(),
        messages: messages.iter().map(|m| m.to_string()).collect(),
    }
}

fn project(start: Option<&str>, end: Option<&str>) -> ProjectState {
    ProjectState {
        start: start.map(day),
        end: end.map(day),
        visible: true,
        global_activities: true,
    }
}

#[test]
fn project_dates_decide_ended_and_not_started_whatever_the_language() {
    let today = day("2026-11-18");
    let ended = project(None, Some("2026-10-21"));
    for words in [
        "The project is finished at that time.",
        "Das Projekt ist zu diesem Zeitpunkt beendet.",
    ] {
        let a = answer(400, &["begin"], &[words]);
        assert_eq!(
            classify(&a, false, day("2026-10-22"), Some(&ended), today),
            RefusalCode::ProjectEnded
        );
    }
    let later = project(Some("2026-12-01"), None);
    let a = answer(400, &["begin"], &["x"]);
    assert_eq!(
        classify(&a, false, day("2026-11-02"), Some(&later), today),
        RefusalCode::ProjectNotStarted
    );
}

#[test]
fn field_paths_decide_the_rest() {
    let today = day("2026-11-18");
    let d = day("2026-11-10");
    let fine = project(None, None);
    let cases = [
        (
            answer(400, &["activity"], &["x"]),
            RefusalCode::ActivityNotAllowed,
        ),
        (answer(400, &["project"], &["x"]), RefusalCode::Disabled),
        (answer(400, &["duration"], &["x"]), RefusalCode::TooLong),
        (answer(400, &["begin"], &["x"]), RefusalCode::Overlap),
        (
            answer(400, &[], &["This period is locked"]),
            RefusalCode::LockedPeriod,
        ),
        (answer(400, &["tags.0"], &["x"]), RefusalCode::Other),
        (answer(403, &[], &[]), RefusalCode::Permission),
    ];
    for (a, code) in cases {
        assert_eq!(classify(&a, false, d, Some(&fine), today), code, "{a:?}");
    }
    assert_eq!(
        classify(&answer(403, &[], &[]), true, d, None, today),
        RefusalCode::LockedPeriod,
        "a 403 on a change: exported or in a locked period"
    );
    assert_eq!(
        classify(
            &answer(400, &["begin"], &["x"]),
            false,
            day("2026-11-19"),
            None,
            today
        ),
        RefusalCode::FutureTime
    );
    assert_eq!(
        classify(&answer(400, &["begin"], &["x"]), false, d, None, today),
        RefusalCode::Other,
        "times refused, project unknown: no guess"
    );
}

#[test]
fn a_refusal_holds_the_same_write_for_a_day_unless_the_project_changes() {
    let at = DateTime::parse_from_rfc3339("2026-11-18T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let write = TimesheetFields {
        begin: day("2026-10-22").and_hms_opt(9, 0, 0).unwrap(),
        end: day("2026-10-22").and_hms_opt(9, 30, 0).unwrap(),
        project: 2,
        activity: 1,
        description: "d".into(),
        tags: vec![],
    };
    let ended = project(None, Some("2026-10-21"));
    let r = Refusal {
        code: RefusalCode::ProjectEnded,
        answer: answer(400, &["begin"], &["x"]),
        write: write.clone(),
        project: Some(ended.clone()),
        refused_at: at,
    };
    let hour = chrono::Duration::hours(1);
    assert!(r.holds(&write, Some(&ended), at + hour));
    assert!(
        r.holds(&write, None, at + hour),
        "project not read: as it was"
    );
    assert!(
        !r.holds(&write, Some(&ended), at + RETRY_AFTER),
        "tried once a day"
    );
    let extended = project(None, Some("2026-12-31"));
    assert!(
        !r.holds(&write, Some(&extended), at + hour),
        "the project changed"
    );
    let mut other = write.clone();
    other.project = 1;
    assert!(
        !r.holds(&other, Some(&ended), at + hour),
        "the entry or its mapping changed"
    );
    assert!(r.summary().contains("project_ended") && r.summary().contains('x'));
}
