//! Timesheets a consultant already has in Kimai when switching to Timebridge, for tests and
//! scenarios: those the previous web service (Zammad-Kimai-Time-Tracking-Sync) wrote, and
//! those typed in by hand.
//!
//! The previous service began each description with `ZAM:T<ticket id>|TA:<time accounting
//! id>` on its own line, followed by `Ticket-<number>`, `Zammad Ticket ID`, `Time Accounting
//! ID`, `Customer`, `Title` and `Zammad URL: https://<host>/#ticket/zoom/<id>` lines, and
//! tagged them `source:zammad`. It sent Zammad's `created_at` — a UTC time — as the begin's
//! wall-clock time, which Kimai reads in its user's timezone: in Europe/Berlin each lands one
//! or two hours early, so work booked just after local midnight sits on the previous day.

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Tz;

use super::SimTimesheet;

/// What the previous service knew of one entry.
#[derive(Clone, Debug)]
pub struct PreviousEntry<'a> {
    /// The helpdesk's host as in its URLs (`zammad.example.com`, with a port if any).
    pub host: &'a str,
    /// The ticket id.
    pub ticket_id: i64,
    /// The ticket number (`31001`).
    pub ticket_number: &'a str,
    /// The ticket's title.
    pub title: &'a str,
    /// The customer's name.
    pub customer: &'a str,
    /// The time accounting id.
    pub time_accounting_id: i64,
    /// When the entry was booked in Zammad.
    pub booked: DateTime<Utc>,
    /// Its length in minutes.
    pub minutes: i64,
}

fn blank(
    user: u64,
    project: u64,
    activity: u64,
    begin: DateTime<Utc>,
    minutes: i64,
) -> SimTimesheet {
    SimTimesheet {
        id: 0,
        user,
        project,
        activity,
        begin,
        end: Some(begin + Duration::minutes(minutes)),
        timezone: String::new(),
        description: None,
        tags: Vec::new(),
        exported: false,
        billable: true,
        fixed_rate: None,
        hourly_rate: None,
        meta: Default::default(),
        modified_at: None,
    }
}

/// The timesheet the previous service wrote for `entry`, for Kimai user `user` whose
/// timezone is `tz` (its begin on the UTC clock reading, as the service placed it).
pub fn previous_service(
    entry: &PreviousEntry<'_>,
    tz: Tz,
    user: u64,
    project: u64,
    activity: u64,
) -> SimTimesheet {
    let wall = entry.booked.naive_utc();
    let begin = tz
        .from_local_datetime(&wall)
        .earliest()
        .map_or(entry.booked, |t| t.with_timezone(&Utc));
    let (ticket, ta) = (entry.ticket_id, entry.time_accounting_id);
    SimTimesheet {
        description: Some(format!(
            "ZAM:T{ticket}|TA:{ta}\nTicket-{}\nZammad Ticket ID: {ticket}\nTime Accounting ID: \
             {ta}\nCustomer: {}\nTitle: {}\nZammad URL: https://{}/#ticket/zoom/{ticket}",
            entry.ticket_number, entry.customer, entry.title, entry.host
        )),
        tags: vec!["source:zammad".into()],
        ..blank(user, project, activity, begin, entry.minutes)
    }
}

/// A timesheet typed in by hand: `minutes` from `begin`, with `text`.
pub fn by_hand(
    begin: DateTime<Utc>,
    minutes: i64,
    text: &str,
    user: u64,
    project: u64,
    activity: u64,
) -> SimTimesheet {
    SimTimesheet {
        description: Some(text.into()),
        ..blank(user, project, activity, begin, minutes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_service_put_work_after_local_midnight_on_the_previous_day() {
        let booked = Utc.with_ymd_and_hms(2026, 11, 9, 23, 30, 0).unwrap(); // 00:30 Berlin
        let entry = PreviousEntry {
            host: "zammad.example.com",
            ticket_id: 12,
            ticket_number: "31012",
            title: "Printer offline",
            customer: "Acme GmbH",
            time_accounting_id: 7,
            booked,
            minutes: 30,
        };
        let ts = previous_service(&entry, chrono_tz::Europe::Berlin, 2, 1, 1);
        let local = ts.begin.with_timezone(&chrono_tz::Europe::Berlin);
        assert_eq!(
            local.format("%Y-%m-%d %H:%M").to_string(),
            "2026-11-09 23:30"
        );
        let text = ts.description.unwrap();
        assert!(text.starts_with("ZAM:T12|TA:7\nTicket-31012\n"), "{text}");
        assert!(text.ends_with("Zammad URL: https://zammad.example.com/#ticket/zoom/12"));
        assert_eq!(ts.tags, ["source:zammad"]);
        assert_eq!(ts.end.unwrap() - ts.begin, Duration::minutes(30));
    }
}
