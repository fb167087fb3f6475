//! Demo data: two plausible Zammad instances ("acme", unit minutes; "globex", unit hours) with
//! three months of tickets and time accountings — corrections, zeros and a colleague's entries
//! included — so the demo mode and manual tests show every case the sync must handle.
//! Deterministic for a given `now` (a fixed pseudo-random sequence, no system randomness).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Timelike, Utc};
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
