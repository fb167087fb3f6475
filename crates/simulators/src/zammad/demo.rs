//! Demo data: two plausible Zammad instances ("acme", unit minutes; "globex", unit hours) with
//! three months of tickets and time accountings — corrections, zeros and a colleague's entries
//! included — so the demo mode and manual tests show every case the sync must handle.
//! Deterministic for a given `now` (a fixed pseudo-random sequence, no system randomness).
//!
//! Alive on any day: besides the three months spread at random over tickets, each instance has
//! a few of the consultant's own entries on mapped tickets spread over last month and between
//! the start of the current month (Europe/Berlin, the demo's billing timezone) and `now` — also
//! on the 1st shortly after midnight — so the dashboard's "this month" is never empty and last
//! month always has something to bill.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Europe::Berlin;
use rust_decimal::Decimal;

use super::seed::{
    SeedGroup, SeedOrganization, SeedSettings, SeedTicket, SeedTimeAccounting, SeedType, SeedUser,
    ZammadSeed,
};

/// Groups: 1 Support (consultant: full), 2 Management (consultant: read only).
const SUPPORT: i64 = 1;
const MANAGEMENT: i64 = 2;
/// User ids.
const ADMIN: i64 = 1;
const CONSULTANT: i64 = 2;
const COLLEAGUE: i64 = 3;

/// Tickets per demo instance.
pub const DEMO_TICKETS: i64 = 40;

/// The demo instances: `("acme", …)` and `("globex", …)`.
pub fn demo_seeds(now: DateTime<Utc>) -> Vec<(String, ZammadSeed)> {
    demo_seeds_with(now, DEMO_TICKETS)
}

/// The demo instances with `tickets` tickets each (the same shape, scaled: the desktop
/// measurements sync ~10,000 timesheets with about 13,500 per instance).
pub fn demo_seeds_with(now: DateTime<Utc>, tickets: i64) -> Vec<(String, ZammadSeed)> {
    let acme = ["Acme GmbH", "Acme Logistics"];
    vec![
        (
            "acme".to_string(),
            instance("acme", "minute", &acme, now, 11, tickets),
        ),
        (
            "globex".to_string(),
            instance("globex", "hour", &["Globex AG"], now, 29, tickets),
        ),
    ]
}

/// A tiny deterministic generator (LCG), so the data does not depend on `rand`'s versions.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below.max(1)
    }
}

fn user(id: i64, login: &str, first: &str, last: &str, token: Option<String>) -> SeedUser {
    SeedUser {
        id,
        login: login.to_string(),
        firstname: first.to_string(),
        lastname: last.to_string(),
        email: format!("{login}@example.com"),
        active: true,
        permissions: vec!["ticket.agent".to_string()],
        token,
        token_permissions: None,
        group_access: BTreeMap::from([
            (SUPPORT.to_string(), vec!["full".to_string()]),
            (MANAGEMENT.to_string(), vec!["read".to_string()]),
        ]),
        organization_id: None,
        role_ids: vec![2],
    }
}

const TITLES: [&str; 10] = [
    "Printer offline",
    "VPN drops every hour",
    "New laptop setup",
    "Mailbox full",
    "ERP export fails",
    "Password reset",
    "Backup check",
    "Firewall rule request",
    "Slow file share",
    "Onboarding new employee",
];

fn instance(
    name: &str,
    unit: &str,
    orgs: &[&str],
    now: DateTime<Utc>,
    salt: u64,
    count: i64,
) -> ZammadSeed {
    let mut rng = Lcg(salt);
    let mut admin = user(
        ADMIN,
        "admin",
        "Ada",
        "Admin",
        Some(format!("demo-zammad-{name}-admin-token")),
    );
    admin.permissions = vec!["admin".to_string(), "ticket.agent".to_string()];
    admin.group_access = BTreeMap::from([
        (SUPPORT.to_string(), vec!["full".to_string()]),
        (MANAGEMENT.to_string(), vec!["full".to_string()]),
    ]);
    let consultant = user(
        CONSULTANT,
        "consultant",
        "Conny",
        "Consultant",
        Some(format!("demo-zammad-{name}-token")),
    );
    let colleague = user(COLLEAGUE, "colleague", "Colin", "Colleague", None);
    let per_unit = if unit == "hour" { 1 } else { 15 };
    let base = (now - Duration::days(90)).with_nanosecond(0).unwrap_or(now);
    let mut tickets = Vec::new();
    let mut entries = Vec::new();
    for i in 1..=count {
        let created =
            base + Duration::minutes((i * 90 * 24 * 60 / (count + 1)) + rng.next(300) as i64);
        tickets.push(SeedTicket {
            id: i,
            number: Some(format!(
                "{}",
                if name == "acme" { 31000 } else { 52000 } + i
            )),
            title: format!("{} #{i}", TITLES[rng.next(TITLES.len() as u64) as usize]),
            group_id: if i % 8 == 0 { MANAGEMENT } else { SUPPORT },
            organization_id: Some(1 + (i % orgs.len() as i64)),
            customer_id: None,
            owner_id: Some(CONSULTANT),
            created_at: created,
            updated_at: None,
        });
        let count = rng.next(4);
        for k in 0..count {
            let at = created + Duration::minutes(30 + (k as i64) * 200 + rng.next(120) as i64);
            if at >= now {
                break;
            }
            let by = if rng.next(4) == 0 {
                COLLEAGUE
            } else {
                CONSULTANT
            };
            let amount = match rng.next(12) {
                0 => Decimal::ZERO,
                1 => -Decimal::from(per_unit),
                n if unit == "hour" => Decimal::new(25 * (n as i64 % 8 + 1), 2),
                n => Decimal::from(15 * (n % 6 + 1)),
            };
            entries.push(SeedTimeAccounting {
                id: entries.len() as i64 + 1,
                ticket_id: i,
                time_unit: amount,
                type_id: Some(1 + rng.next(3) as i64),
                created_by_id: by,
                created_at: at,
            });
        }
    }
    steady_entries(&mut entries, now, count, unit);
    ZammadSeed {
        settings: SeedSettings {
            time_accounting: true,
            unit: unit.to_string(),
            unit_custom: String::new(),
            types: true,
            elasticsearch: false,
        },
        users: vec![admin, consultant, colleague],
        groups: vec![
            SeedGroup {
                id: SUPPORT,
                name: "Support".to_string(),
            },
            SeedGroup {
                id: MANAGEMENT,
                name: "Management".to_string(),
            },
        ],
        organizations: orgs
            .iter()
            .enumerate()
            .map(|(i, n)| SeedOrganization {
                id: i as i64 + 1,
                name: n.to_string(),
            })
            .collect(),
        tickets,
        types: ["Remote", "On site", "Phone"]
            .iter()
            .enumerate()
            .map(|(i, n)| SeedType {
                id: i as i64 + 1,
                name: n.to_string(),
                active: true,
            })
            .collect(),
        time_accountings: entries,
    }
}

/// The start of `now`'s month in Europe/Berlin, as an instant.
fn month_start(now: DateTime<Utc>) -> DateTime<Utc> {
    let local = now.with_timezone(&Berlin);
    let first = NaiveDate::from_ymd_opt(local.year(), local.month(), 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|t| Berlin.from_local_datetime(&t).earliest());
    // Midnight always exists in Berlin (its changes are at 02:00 and 03:00).
    first.map_or(now, |t| t.to_utc())
}

/// Entries that make every demo lively whatever the date: four over last month and three
/// between the start of this month and `now`, each spread evenly over its stretch. They are
/// the consultant's own, half an hour (or half an hour's worth of hours) each, on mapped
/// Support tickets (even ids: organization 1 in both instances). Nothing lands at the very
/// instant a stretch begins or at `now`.
fn steady_entries(
    entries: &mut Vec<SeedTimeAccounting>,
    now: DateTime<Utc>,
    tickets: i64,
    unit: &str,
) {
    let this_month = month_start(now);
    let last_month = month_start(this_month - Duration::days(1));
    let amount = if unit == "hour" {
        Decimal::new(5, 1)
    } else {
        Decimal::from(30)
    };
    for (start, end, n) in [(last_month, this_month, 4usize), (this_month, now, 3)] {
        for j in 1..=n as i32 {
            let at = (start + (end - start) * j / (n as i32 + 1))
                .with_nanosecond(0)
                .unwrap_or(start);
            if at <= start || at >= now {
                continue;
            }
            // Even ids below 12 but 8 (a Management ticket): Support, organization 1.
            let ticket = [2, 4, 6, 10][j as usize - 1]
                .min(tickets - tickets % 2)
                .max(1);
            entries.push(SeedTimeAccounting {
                id: entries.len() as i64 + 1,
                ticket_id: ticket,
                time_unit: amount,
                type_id: Some(1),
                created_by_id: CONSULTANT,
                created_at: at,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_is_deterministic_and_has_every_case() {
        let now = DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z")
            .unwrap()
            .to_utc();
        let a = serde_json::to_string(&demo_seeds(now)).unwrap();
        assert_eq!(a, serde_json::to_string(&demo_seeds(now)).unwrap());
        for (_, seed) in demo_seeds(now) {
            assert_eq!(seed.tickets.len(), DEMO_TICKETS as usize);
            let e = &seed.time_accountings;
            assert!(
                e.iter().any(|e| e.time_unit.is_sign_negative()),
                "corrections"
            );
            assert!(e.iter().any(|e| e.time_unit.is_zero()), "zeros");
            assert!(e.iter().any(|e| e.created_by_id == COLLEAGUE), "colleague");
            assert!(e.iter().all(|e| e.created_at <= now));
        }
    }

    #[test]
    fn a_scaled_demo_keeps_its_shape_with_more_tickets() {
        let now = DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z")
            .unwrap()
            .to_utc();
        for (_, seed) in demo_seeds_with(now, 400) {
            assert_eq!(seed.tickets.len(), 400);
            let own = seed
                .time_accountings
                .iter()
                .filter(|e| e.created_by_id == CONSULTANT)
                .count();
            assert!(own > 300, "about one own entry per ticket: {own}");
            assert!(seed.time_accountings.iter().all(|e| e.created_at <= now));
        }
    }
}

#[cfg(test)]
mod alive_tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    /// The consultant's own positive time on mapped tickets in the Berlin month of `t`.
    fn own_time_in_month(seed: &ZammadSeed, month_of: DateTime<Utc>) -> usize {
        let month = |t: DateTime<Utc>| {
            let l = t.with_timezone(&Berlin);
            (l.year(), l.month())
        };
        seed.time_accountings
            .iter()
            .filter(|e| e.created_by_id == CONSULTANT && e.time_unit > Decimal::ZERO)
            .filter(|e| {
                let t = &seed.tickets[(e.ticket_id - 1) as usize];
                t.organization_id == Some(1) && t.group_id == SUPPORT
            })
            .filter(|e| month(e.created_at) == month(month_of))
            .count()
    }

    #[test]
    fn the_demo_has_time_this_month_and_last_month_on_every_hard_date() {
        // Berlin: the 1st at 00:30, the last day at 23:30, DST changes, the year's turn,
        // 29 February, and instants that are already the next day in UTC+14 or still the
        // previous day in New York.
        for now in [
            "2026-12-31T23:30:00Z", // 1 January 00:30 Berlin
            "2026-12-06T10:00:00Z",
            "2026-11-30T22:30:00Z", // 30 November 23:30 Berlin
            "2026-03-29T01:30:00Z", // spring forward, 03:30 Berlin
            "2026-10-25T00:30:00Z", // fall back, 02:30 (first) Berlin
            "2028-02-29T11:00:00Z",
            "2027-02-28T23:00:00Z", // 1 March 00:00 Berlin exactly: the month has no time yet
            "2027-03-31T22:01:00Z", // 1 April 00:01 Berlin (summer time)
        ] {
            let now = at(now);
            for (name, seed) in demo_seeds(now) {
                assert!(seed.time_accountings.iter().all(|e| e.created_at < now));
                let last_month = month_start(now) - Duration::days(1);
                assert!(
                    own_time_in_month(&seed, last_month) >= 3,
                    "{name} at {now}: last month is complete"
                );
                let this_month = own_time_in_month(&seed, now);
                if now - month_start(now) >= Duration::minutes(1) {
                    assert!(this_month >= 3, "{name} at {now}: {this_month} this month");
                }
            }
        }
    }
}
