//! The servers of a journey with real connections: a Kimai and one Zammad ("acme") simulator
//! running in the test process on loopback (plain `http://127.0.0.1` needs no insecure
//! opt-in), with distinctive tokens so the secret-hygiene checks can find any leak. The
//! journeys act on them "as a human" (edit an entry, edit a timesheet) and read their state to
//! assert what the app really did. [`World::stop`] makes both unreachable; [`World::restart`]
//! serves them again on the same ports with the same data.

use std::net::SocketAddr;

use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;
use timebridge_simulators::kimai::{demo::demo_seed, KimaiSim, Role, SimTimesheet};
use timebridge_simulators::zammad::{SimTimeAccounting, ZammadSeed, ZammadSim};
use timebridge_simulators::{Clock, RunningServer};

/// The Kimai user's token (distinctive, so a leak is found).
pub(crate) const KIMAI_TOKEN: &str = "tbe2e-KimaiTok-7Hq2Vx9LmRw4";
/// The Zammad consultant's token.
pub(crate) const ZAMMAD_TOKEN: &str = "tbe2e-ZammadTok-3Nf8Kp5TyZs1";
/// The Zammad instance key.
pub(crate) const KEY: &str = "acme";
/// The consultant's Zammad user id (whose entries the app books).
pub(crate) const CONSULTANT: i64 = 2;
/// The Zammad organization that resembles the Kimai customer "Acme GmbH" (id 1).
pub(crate) const ACME_ORG: i64 = 1;
/// An organization no Kimai customer resembles.
pub(crate) const OTHER_ORG: i64 = 2;
/// Kimai's "Acme GmbH".
pub(crate) const ACME_CUSTOMER: u64 = 1;

/// One seeded time accounting: ticket, minutes, who.
struct Booking {
    ticket: i64,
    minutes: i64,
    by: i64,
}

/// The entries: tickets 1–3 belong to Acme (org 1), ticket 4 to Umbrella (org 2); user 3 is a
/// colleague (never booked by the consultant's app).
const BOOKINGS: [Booking; 7] = [
    Booking {
        ticket: 1,
        minutes: 30,
        by: CONSULTANT,
    },
    Booking {
        ticket: 1,
        minutes: 45,
        by: CONSULTANT,
    },
    Booking {
        ticket: 2,
        minutes: 60,
        by: CONSULTANT,
    },
    Booking {
        ticket: 2,
        minutes: 20,
        by: 3,
    },
    Booking {
        ticket: 3,
        minutes: 15,
        by: CONSULTANT,
    },
    Booking {
        ticket: 3,
        minutes: 75,
        by: CONSULTANT,
    },
    Booking {
        ticket: 4,
        minutes: 90,
        by: CONSULTANT,
    },
];

/// The Zammad seed: entry `k` of [`BOOKINGS`] is booked at `first + k hours`.
fn zammad_seed(first: DateTime<Utc>) -> ZammadSeed {
    let user = |id: i64, login: &str, token: Option<&str>, perms: &[&str]| {
        serde_json::json!({
            "id": id, "login": login, "firstname": login, "lastname": "Example",
            "email": format!("{login}@example.com"), "token": token,
            "permissions": perms, "group_access": {"1": ["full"]}
        })
    };
    let ticket = |id: i64, org: i64, title: &str| {
        serde_json::json!({
            "id": id, "number": format!("{}", 31000 + id), "title": title, "group_id": 1,
            "organization_id": org, "owner_id": CONSULTANT,
            "created_at": (first - Duration::days(2)).to_rfc3339()
        })
    };
    let entries: Vec<_> = BOOKINGS
        .iter()
        .enumerate()
        .map(|(k, b)| {
            serde_json::json!({
                "id": k as i64 + 1, "ticket_id": b.ticket, "time_unit": format!("{}.0", b.minutes),
                "type_id": 1, "created_by_id": b.by,
                "created_at": (first + Duration::hours(k as i64)).to_rfc3339()
            })
        })
        .collect();
    let seed = serde_json::json!({
        "settings": {"time_accounting": true, "unit": "minute", "unit_custom": "", "types": true},
        "groups": [{"id": 1, "name": "Support"}],
        "organizations": [{"id": ACME_ORG, "name": "Acme GmbH"}, {"id": OTHER_ORG, "name": "Umbrella Research"}],
        "users": [
            user(1, "admin", Some("tbe2e-ZammadAdmin-Zz0"), &["admin", "ticket.agent"]),
            user(CONSULTANT, "consultant", Some(ZAMMAD_TOKEN), &["ticket.agent"]),
            user(3, "colleague", None, &["ticket.agent"]),
        ],
        "types": [{"id": 1, "name": "Remote"}],
        "tickets": [
            ticket(1, ACME_ORG, "Printer offline"),
            ticket(2, ACME_ORG, "VPN drops every hour"),
            ticket(3, ACME_ORG, "Mailbox full"),
            ticket(4, OTHER_ORG, "Lab network down"),
        ],
        "time_accountings": entries,
    });
    serde_json::from_value(seed).expect("a valid Zammad seed")
}

/// Both simulators and where they listen.
pub(crate) struct World {
    /// The Kimai simulator (shared state with its server).
    pub(crate) kimai: KimaiSim,
    /// The Zammad simulator.
    pub(crate) zammad: ZammadSim,
    addrs: (SocketAddr, SocketAddr),
    servers: Option<(RunningServer, RunningServer)>,
}

impl World {
    /// Kimai (the demo customers, projects and activities, no timesheets) and the acme Zammad
    /// whose entries start at `first`.
    pub(crate) async fn start(first: DateTime<Utc>) -> Self {
        Self::start_as(first, Role::User).await
    }

    /// [`World::start`] with the Kimai user in `role` (billing needs a team lead: exporting
    /// timesheets is `edit_export`).
    pub(crate) async fn start_as(first: DateTime<Utc>, role: Role) -> Self {
        Self::from_seed(zammad_seed(first), role).await
    }

    /// Kimai as in [`World::start_as`], Zammad from `zammad_seed`.
    async fn from_seed(zammad_seed: ZammadSeed, role: Role) -> Self {
        // Kimai's catalog only (its timesheets are cleared): no date in it matters.
        let mut kimai_seed = demo_seed(Utc::now());
        kimai_seed.timesheets.clear();
        for user in &mut kimai_seed.users {
            user.token = if user.username == "consultant" {
                user.role = role;
                KIMAI_TOKEN.into()
            } else {
                "tbe2e-KimaiAdmin-Aa0".into()
            };
        }
        let kimai = KimaiSim::from_seed(kimai_seed, Clock::system());
        let zammad = ZammadSim::from_seed(zammad_seed, Clock::system());
        let (k, z) = (kimai.start().await.unwrap(), zammad.start().await.unwrap());
        Self {
            addrs: (k.addr(), z.addr()),
            servers: Some((k, z)),
            kimai,
            zammad,
        }
    }

    /// Entries starting a few hours ago (this month, unless the month began hours ago; then
    /// last month, still inside the sync horizon: the journeys hold on any date).
    pub(crate) async fn recent() -> Self {
        Self::start(Utc::now() - Duration::hours(10)).await
    }

    /// [`World::recent`] with ticket 1 titled `title` (markup a helpdesk user typed, say).
    pub(crate) async fn recent_with_title(title: &str) -> Self {
        let mut seed = zammad_seed(Utc::now() - Duration::hours(10));
        seed.tickets[0].title = title.to_string();
        Self::from_seed(seed, Role::User).await
    }

    /// Kimai's base URL.
    pub(crate) fn kimai_url(&self) -> String {
        format!("http://{}/", self.addrs.0)
    }

    /// Zammad's base URL.
    pub(crate) fn zammad_url(&self) -> String {
        format!("http://{}/", self.addrs.1)
    }

    /// Stops both servers: connections are refused until [`World::restart`].
    pub(crate) async fn stop(&mut self) {
        self.servers = None;
        // Graceful shutdown closes idle connections; give it a moment to let go of the ports.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }

    /// Serves both again on their old ports, with the data they held.
    pub(crate) async fn restart(&mut self) {
        let mut last = None;
        for _ in 0..50 {
            match (
                self.kimai.start_at(self.addrs.0).await,
                self.zammad.start_at(self.addrs.1).await,
            ) {
                (Ok(k), Ok(z)) => {
                    self.servers = Some((k, z));
                    return;
                }
                (k, z) => last = Some(format!("{:?} / {:?}", k.err(), z.err())),
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        panic!("the simulators could not listen on their old ports again: {last:?}");
    }

    /// The consultant's own entries in `org` (what the app must book when `org` is mapped).
    pub(crate) fn own_entries_of(&self, org: i64) -> Vec<SimTimeAccounting> {
        let tickets: Vec<i64> = self
            .zammad
            .tickets()
            .into_iter()
            .filter(|t| t.organization_id == Some(org))
            .map(|t| t.id)
            .collect();
        self.zammad
            .time_accountings()
            .into_iter()
            .filter(|e| e.created_by_id == CONSULTANT && tickets.contains(&e.ticket_id))
            .collect()
    }

    /// The Kimai timesheet whose marker names Zammad entry `id`.
    pub(crate) fn timesheet_of(&self, id: i64) -> Option<SimTimesheet> {
        let marker = format!("[tb:{KEY}:{id}]");
        self.kimai
            .timesheets()
            .into_iter()
            .find(|t| t.description.as_deref().unwrap_or("").contains(&marker))
    }

    /// Every Kimai timesheet that carries a Timebridge marker.
    pub(crate) fn marked_timesheets(&self) -> Vec<SimTimesheet> {
        self.kimai
            .timesheets()
            .into_iter()
            .filter(|t| t.description.as_deref().unwrap_or("").contains("[tb:"))
            .collect()
    }

    /// Changes entry `id`'s minutes as a Zammad admin would.
    pub(crate) fn edit_entry_minutes(&self, id: i64, minutes: i64) {
        assert!(
            self.zammad
                .update_time_accounting_as_admin(id, Some(Decimal::from(minutes)), None),
            "no Zammad entry {id}"
        );
    }
}

/// A timesheet's duration in seconds.
pub(crate) fn seconds(t: &SimTimesheet) -> i64 {
    t.end.map_or(0, |end| (end - t.begin).num_seconds())
}
