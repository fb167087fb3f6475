//! The demo content: a consultant with a few customers, a project that ended last month (so
//! `ignoreDates` matters) and about 30 manual timesheets over the last three months — enough
//! for the app to look lived-in. Deterministic for a given `now`.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use rust_decimal::Decimal;

use super::model::{
    KimaiSeed, Role, SeedActivity, SeedCustomer, SeedProject, SeedUser, SimTimesheet,
};
use super::wire;

/// The demo seed relative to `now`.
pub fn demo_seed(now: DateTime<Utc>) -> KimaiSeed {
    let tz = "Europe/Berlin";
    let today = now.with_timezone(&wire::tz(tz)).date_naive();
    let this_month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    let last_month_end = this_month - Duration::days(1);
    let rollout_start = last_month_end - Duration::days(120);
    let user = |id, name: &str, token: &str, role| SeedUser {
        id,
        username: name.into(),
        token: token.into(),
        role,
        timezone: tz.into(),
    };
    let customer = |id, name: &str| SeedCustomer {
        id,
        name: name.into(),
        visible: true,
    };
    let project = |id, name: &str, customer, rate: i64| SeedProject {
        id,
        name: name.into(),
        customer,
        start: None,
        end: None,
        global_activities: true,
        visible: true,
        hourly_rate: Some(Decimal::from(rate)),
    };
    let activity = |id, name: &str, project| SeedActivity {
        id,
        name: name.into(),
        project,
        visible: true,
    };
    let mut rollout = project(2, "Acme Rollout 2026", 1, 110);
    rollout.start = Some(rollout_start);
    rollout.end = Some(last_month_end);
    let mut seed = KimaiSeed {
        users: vec![
            user(1, "admin", "demo-kimai-admin-token", Role::SuperAdmin),
            user(2, "consultant", "demo-kimai-token", Role::User),
        ],
        customers: vec![
            customer(1, "Acme GmbH"),
            customer(2, "Globex AG"),
            customer(3, "Initech Ltd"),
        ],
        projects: vec![
            project(1, "Acme Support", 1, 95),
            rollout,
            project(3, "Globex Helpdesk", 2, 90),
            project(4, "Initech Maintenance", 3, 85),
        ],
        activities: vec![
            activity(1, "Support", None),
            activity(2, "Consulting", None),
            activity(3, "Travel", None),
            activity(4, "Rollout", Some(2)),
        ],
        tags: vec!["zammad".into()],
        meta_fields: Vec::new(),
        timesheets: Vec::new(),
    };
    // ~30 working days spread over the last three months, one record each, 08:00–17:00 Berlin.
    let descriptions = [
        "Monthly review call",
        "Server patching",
        "User onboarding",
        "Firewall change request",
        "Backup restore test",
        "Workshop preparation",
    ];
    let mut day = today - Duration::days(90);
    let mut n: u64 = 0;
    while day < today && n < 30 {
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && day.ordinal().is_multiple_of(2)
        {
            let (project, activity) = match n % 4 {
                1 if day <= last_month_end && day >= rollout_start => (2, 4),
                1 => (1, 2),
                2 => (3, 1),
                3 => (4, 1),
                _ => (1, 1),
            };
            let start_h = 8 + (n % 6) as u32;
            let minutes = 30 + 15 * (n % 8) as i64;
            let local = day.and_time(NaiveTime::from_hms_opt(start_h, 0, 0).unwrap_or_default());
            if let Some(begin) = wire::local_to_utc(local, tz) {
                seed.timesheets.push(SimTimesheet {
                    id: n + 1,
                    user: 2,
                    project,
                    activity,
                    begin,
                    end: Some(begin + Duration::minutes(minutes)),
                    timezone: tz.into(),
                    description: Some(descriptions[(n as usize) % descriptions.len()].into()),
                    tags: Vec::new(),
                    exported: day < this_month - Duration::days(31),
                    billable: true,
                    fixed_rate: None,
                    hourly_rate: None,
                    meta: Default::default(),
                    modified_at: Some(begin + Duration::minutes(minutes)),
                });
            }
            n += 1;
        }
        day += Duration::days(1);
    }
    seed
}
