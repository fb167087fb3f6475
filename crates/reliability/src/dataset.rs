//! A generated data set both harnesses share: a Kimai with two customers and a Zammad with a
//! few hundred entries spread over three months (the oldest out of the sync horizon), so a
//! sync writes hundreds of records and a billing run has a real month to close. Deterministic
//! for a seed and an instant, so a crash trial and its crash-free reference hold the same data.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use rand::{rngs::StdRng, Rng, SeedableRng};
use rust_decimal::Decimal;
use timebridge_core::sync::mapping::{InstanceSettings, MappingRule, Scope};
use timebridge_core::sync::time::TimeUnit;
use timebridge_simulators::kimai::{
    KimaiSeed, Role, SeedActivity, SeedCustomer, SeedProject, SeedUser, SimTimesheet,
};
use timebridge_simulators::zammad::{
    SeedGroup, SeedOrganization, SeedSettings, SeedTicket, SeedTimeAccounting, SeedType,
    SeedUser as ZammadUser, ZammadSeed,
};

/// The billing timezone of the data set (and the Kimai user's).
pub const TZ: Tz = chrono_tz::Europe::Berlin;
/// The Kimai token of the consultant.
pub const KIMAI_TOKEN: &str = "reliability-kimai-token";
/// The Zammad token of the consultant.
pub const ZAMMAD_TOKEN: &str = "reliability-zammad-token";
/// The consultant in Zammad (entries of user 3, a colleague, are never synced).
pub const OWN: i64 = 2;
/// The consultant in Kimai.
pub const KIMAI_USER: u64 = 2;
/// The Zammad instance key (and marker prefix `[tb:acme:`).
pub const INSTANCE: &str = "acme";
/// Tickets in the crash harness's data set (the soak asks for more: more pages to fail).
pub const TICKETS: i64 = 12;

/// The first day of the month `back` months before the month of `now` (Berlin).
pub fn month_start(now: DateTime<Utc>, back: u32) -> NaiveDate {
    let today = now.with_timezone(&TZ).date_naive();
    let mut first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    for _ in 0..back {
        first = (first - Duration::days(1)).with_day(1).unwrap_or(first);
    }
    first
}

/// A local wall time in Berlin as an instant.
pub fn at(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let naive = day.and_hms_opt(hour, minute, 0).unwrap_or_default();
    TZ.from_local_datetime(&naive)
        .earliest()
        .map_or_else(|| naive.and_utc(), |t| t.with_timezone(&Utc))
}

/// The two seeds.
#[derive(Clone, Debug)]
pub struct DataSet {
    /// Kimai: the consultant (team lead, may export), customers, projects, activities, and a
    /// few timesheets booked by hand.
    pub kimai: KimaiSeed,
    /// Zammad: tickets of two organizations and their time entries.
    pub zammad: ZammadSeed,
}

/// `entries` time entries on `tickets` tickets (at least [`TICKETS`]) from the first day two
/// months back until two hours before `now` (about one in ten by a colleague).
pub fn generate(seed: u64, entries: usize, tickets: i64, now: DateTime<Utc>) -> DataSet {
    let tickets = tickets.max(TICKETS);
    let mut rng = StdRng::seed_from_u64(seed);
    let start = at(month_start(now, 2), 0, 0);
    let span = (now - Duration::hours(2) - start).num_minutes().max(60);
    let mut accountings: Vec<SeedTimeAccounting> = (0..entries)
        .map(|_| {
            let created_at = start + Duration::minutes(rng.random_range(0..span));
            SeedTimeAccounting {
                id: 0,
                ticket_id: rng.random_range(1..=tickets),
                time_unit: Decimal::from(rng.random_range(5..=180_i64)),
                type_id: Some(rng.random_range(1..=2)),
                created_by_id: if rng.random_bool(0.1) { 3 } else { OWN },
                created_at,
            }
        })
        .collect();
    accountings.sort_by_key(|a| a.created_at);
    for (i, a) in accountings.iter_mut().enumerate() {
        a.id = i as i64 + 1;
    }
    let prev = month_start(now, 1);
    let by_hand = |id, project, day: NaiveDate| SimTimesheet {
        id,
        user: KIMAI_USER,
        project,
        activity: 1,
        begin: at(day, 7, 0),
        end: Some(at(day, 7, 30)),
        timezone: TZ.name().into(),
        description: Some(format!("booked by hand {id}")),
        tags: Vec::new(),
        exported: false,
        billable: true,
        fixed_rate: None,
        hourly_rate: None,
        meta: BTreeMap::new(),
        modified_at: Some(at(day, 8, 0)),
    };
    let mut kimai = kimai_seed();
    kimai.timesheets = vec![
        by_hand(1, 1, prev + Duration::days(3)),
        by_hand(2, 2, prev + Duration::days(11)),
        by_hand(3, 1, month_start(now, 2) + Duration::days(5)),
    ];
    DataSet {
        kimai,
        zammad: zammad_seed(start - Duration::days(1), tickets, accountings),
    }
}

fn kimai_seed() -> KimaiSeed {
    let project = |id, customer, name: &str| SeedProject {
        id,
        name: name.into(),
        customer,
        start: None,
        end: None,
        global_activities: true,
        visible: true,
        hourly_rate: None,
    };
    let activity = |id, name: &str| SeedActivity {
        id,
        name: name.into(),
        project: None,
        visible: true,
    };
    let customer = |id, name: &str| SeedCustomer {
        id,
        name: name.into(),
        visible: true,
    };
    KimaiSeed {
        users: vec![SeedUser {
            id: KIMAI_USER,
            username: "consultant".into(),
            token: KIMAI_TOKEN.into(),
            role: Role::Teamlead,
            timezone: TZ.name().into(),
        }],
        customers: vec![customer(1, "Acme GmbH"), customer(2, "Globex AG")],
        projects: vec![
            project(1, 1, "Acme Support"),
            project(2, 2, "Globex Helpdesk"),
        ],
        activities: vec![activity(1, "Support"), activity(2, "Consulting")],
        tags: vec!["zammad".into()],
        meta_fields: Vec::new(),
        timesheets: Vec::new(),
    }
}

fn zammad_user(id: i64, login: &str, token: Option<&str>) -> ZammadUser {
    let mut permissions = vec!["ticket.agent".to_string()];
    if id == 1 {
        permissions.push("admin".into());
    }
    ZammadUser {
        id,
        login: login.into(),
        firstname: login.into(),
        lastname: "Test".into(),
        email: format!("{login}@example.com"),
        active: true,
        permissions,
        token: token.map(Into::into),
        token_permissions: None,
        group_access: BTreeMap::from([("1".to_string(), vec!["full".to_string()])]),
        organization_id: None,
        role_ids: vec![2],
    }
}

fn zammad_seed(
    tickets_created: DateTime<Utc>,
    tickets: i64,
    entries: Vec<SeedTimeAccounting>,
) -> ZammadSeed {
    let ticket = |id: i64| SeedTicket {
        id,
        number: Some(format!("{}", 41000 + id)),
        title: format!("Reliability ticket {id}"),
        group_id: 1,
        organization_id: Some(1 + (id + 1) % 2),
        customer_id: None,
        owner_id: None,
        created_at: tickets_created,
        updated_at: None,
    };
    let kind = |id, name: &str| SeedType {
        id,
        name: name.into(),
        active: true,
    };
    ZammadSeed {
        settings: SeedSettings {
            time_accounting: true,
            unit: "minute".into(),
            unit_custom: String::new(),
            types: true,
            elasticsearch: false,
        },
        users: vec![
            zammad_user(1, "admin", None),
            zammad_user(OWN, "consultant", Some(ZAMMAD_TOKEN)),
            zammad_user(3, "colleague", None),
        ],
        groups: vec![SeedGroup {
            id: 1,
            name: "Support".into(),
        }],
        organizations: vec![
            SeedOrganization {
                id: 1,
                name: "Acme GmbH".into(),
            },
            SeedOrganization {
                id: 2,
                name: "Globex AG".into(),
            },
        ],
        tickets: (1..=tickets).map(ticket).collect(),
        types: vec![kind(1, "Remote"), kind(2, "On site")],
        time_accountings: entries,
    }
}

/// The mapping: Acme GmbH → Acme Support, Globex AG → Globex Helpdesk; Remote → Support,
/// On site → Consulting; every timesheet tagged `zammad`.
pub fn settings() -> InstanceSettings {
    let mut settings = InstanceSettings::new(TimeUnit::Minutes);
    settings.rules = vec![
        MappingRule {
            scope: Scope::Organization(1),
            customer: 1,
            project: 1,
            activity: None,
        },
        MappingRule {
            scope: Scope::Organization(2),
            customer: 2,
            project: 2,
            activity: None,
        },
    ];
    settings.activity_by_type = BTreeMap::from([(1, 1), (2, 2)]);
    settings.tags = vec!["zammad".into()];
    settings
}
