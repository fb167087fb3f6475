//! The simulated instance's data and the one mutation path every write goes through, so the
//! side effects Zammad has on each save — the ticket total recomputed, `updated_at` bumped
//! **only when the total changes** (docs/api-notes.md §24) — cannot be bypassed by a route or a test helper.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::seed::{SeedSettings, SeedType, SeedUser, ZammadSeed};
use super::webhook::{WebhookAttempt, WebhookConfig};

/// A ticket as the simulator stores it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimTicket {
    /// The id.
    pub id: i64,
    /// The number (a string, as in Zammad).
    pub number: String,
    /// The title.
    pub title: String,
    /// The group.
    pub group_id: i64,
    /// The organization.
    pub organization_id: Option<i64>,
    /// The customer.
    pub customer_id: Option<i64>,
    /// The owner.
    pub owner_id: Option<i64>,
    /// The total of its time accountings (`None` before the first one).
    pub time_unit: Option<Decimal>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Last changed by.
    pub updated_by_id: i64,
}

/// A time accounting as the simulator stores it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimTimeAccounting {
    /// The id.
    pub id: i64,
    /// The ticket.
    pub ticket_id: i64,
    /// The amount (two decimals, as the `decimal(6,2)` column).
    pub time_unit: Decimal,
    /// The activity type.
    pub type_id: Option<i64>,
    /// The creator.
    pub created_by_id: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// The whole instance.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) settings: SeedSettings,
    pub(crate) users: Vec<SeedUser>,
    pub(crate) groups: BTreeMap<i64, String>,
    pub(crate) organizations: BTreeMap<i64, String>,
    pub(crate) types: BTreeMap<i64, SeedType>,
    pub(crate) tickets: BTreeMap<i64, SimTicket>,
    pub(crate) entries: BTreeMap<i64, SimTimeAccounting>,
    next_entry_id: i64,
    pub(crate) created_at: DateTime<Utc>,
    /// Tickets saved since the webhook queue was last drained.
    pub(crate) saved_tickets: Vec<i64>,
    pub(crate) webhook: Option<WebhookConfig>,
    pub(crate) webhook_log: Vec<WebhookAttempt>,
}

/// Zammad's timestamp format: UTC, milliseconds, `Z`.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A decimal column as Zammad serialises it: a string with at least one decimal.
pub(crate) fn dec(d: Decimal) -> String {
    let mut d = d.normalize();
    if d.scale() == 0 {
        d.rescale(1);
    }
    d.to_string()
}

impl State {
    pub(crate) fn from_seed(seed: ZammadSeed, now: DateTime<Utc>) -> Self {
        let mut tickets: BTreeMap<i64, SimTicket> = seed
            .tickets
            .into_iter()
            .map(|t| {
                let ticket = SimTicket {
                    id: t.id,
                    number: t.number.unwrap_or_else(|| (31000 + t.id).to_string()),
                    title: t.title,
                    group_id: t.group_id,
                    organization_id: t.organization_id,
                    customer_id: t.customer_id,
                    owner_id: t.owner_id,
                    time_unit: None,
                    created_at: t.created_at,
                    updated_at: t.updated_at.unwrap_or(t.created_at),
                    updated_by_id: 1,
                };
                (t.id, ticket)
            })
            .collect();
        let entries: BTreeMap<i64, SimTimeAccounting> = seed
            .time_accountings
            .into_iter()
            .filter(|e| tickets.contains_key(&e.ticket_id))
            .map(|e| {
                let entry = SimTimeAccounting {
                    id: e.id,
                    ticket_id: e.ticket_id,
                    time_unit: e.time_unit.round_dp(2),
                    type_id: e.type_id,
                    created_by_id: e.created_by_id,
                    created_at: e.created_at,
                    updated_at: e.created_at,
                };
                (e.id, entry)
            })
            .collect();
        for e in entries.values() {
            let t = tickets.get_mut(&e.ticket_id).expect("filtered above");
            t.time_unit = Some(t.time_unit.unwrap_or_default() + e.time_unit);
            t.updated_at = t.updated_at.max(e.created_at);
        }
        Self {
            settings: seed.settings,
            users: seed.users,
            groups: seed.groups.into_iter().map(|g| (g.id, g.name)).collect(),
            organizations: seed
                .organizations
                .into_iter()
                .map(|o| (o.id, o.name))
                .collect(),
            types: seed.types.into_iter().map(|t| (t.id, t)).collect(),
            next_entry_id: entries.keys().max().copied().unwrap_or(0) + 1,
            tickets,
            entries,
            created_at: now,
            saved_tickets: Vec::new(),
            webhook: None,
            webhook_log: Vec::new(),
        }
    }

    /// Recomputes a ticket's total; saves (bumps `updated_at`) only if it changed.
    fn update_ticket_total(&mut self, ticket_id: i64, by: i64, now: DateTime<Utc>) {
        let sum: Decimal = self
            .entries
            .values()
            .filter(|e| e.ticket_id == ticket_id)
            .map(|e| e.time_unit)
            .sum();
        if let Some(t) = self.tickets.get_mut(&ticket_id) {
            if t.time_unit != Some(sum) {
                t.time_unit = Some(sum);
                t.updated_at = now;
                t.updated_by_id = by;
                self.saved_tickets.push(ticket_id);
            }
        }
    }

    pub(crate) fn create_entry(
        &mut self,
        ticket_id: i64,
        time_unit: Decimal,
        type_id: Option<i64>,
        by: i64,
        now: DateTime<Utc>,
    ) -> SimTimeAccounting {
        let id = self.next_entry_id;
        self.next_entry_id += 1;
        let entry = SimTimeAccounting {
            id,
            ticket_id,
            time_unit: time_unit.round_dp(2),
            type_id,
            created_by_id: by,
            created_at: now,
            updated_at: now,
        };
        self.entries.insert(id, entry.clone());
        self.update_ticket_total(ticket_id, by, now);
        entry
    }

    pub(crate) fn update_entry(
        &mut self,
        id: i64,
        time_unit: Option<Decimal>,
        type_id: Option<Option<i64>>,
        by: i64,
        now: DateTime<Utc>,
    ) -> Option<SimTimeAccounting> {
        let entry = self.entries.get_mut(&id)?;
        if let Some(tu) = time_unit {
            entry.time_unit = tu.round_dp(2);
        }
        if let Some(ty) = type_id {
            entry.type_id = ty;
        }
        entry.updated_at = now;
        let entry = entry.clone();
        self.update_ticket_total(entry.ticket_id, by, now);
        Some(entry)
    }

    pub(crate) fn delete_entry(&mut self, id: i64, by: i64, now: DateTime<Utc>) -> bool {
        match self.entries.remove(&id) {
            Some(e) => {
                self.update_ticket_total(e.ticket_id, by, now);
                true
            }
            None => false,
        }
    }

    /// Hard-deletes a ticket and (`dependent: :destroy`) all its time accountings.
    pub(crate) fn delete_ticket(&mut self, id: i64) -> bool {
        self.entries.retain(|_, e| e.ticket_id != id);
        self.tickets.remove(&id).is_some()
    }

    pub(crate) fn entry_json(e: &SimTimeAccounting) -> Value {
        json!({
            "id": e.id, "ticket_id": e.ticket_id, "ticket_article_id": null,
            "time_unit": dec(e.time_unit), "type_id": e.type_id,
            "created_by_id": e.created_by_id,
            "created_at": ts(e.created_at), "updated_at": ts(e.updated_at),
        })
    }

    pub(crate) fn ticket_json(&self, t: &SimTicket, expand: bool) -> Value {
        let mut v = json!({
            "id": t.id, "group_id": t.group_id, "priority_id": 2, "state_id": 2,
            "organization_id": t.organization_id, "number": t.number, "title": t.title,
            "owner_id": t.owner_id.unwrap_or(1), "customer_id": t.customer_id.unwrap_or(1),
            "note": null, "first_response_at": null, "close_at": null,
            "last_contact_at": null, "create_article_type_id": 5,
            "create_article_sender_id": 2, "article_count": 1, "pending_time": null,
            "type": null, "time_unit": t.time_unit.map(dec), "preferences": {},
            "checklist_id": null, "created_by_id": 1, "updated_by_id": t.updated_by_id,
            "created_at": ts(t.created_at), "updated_at": ts(t.updated_at),
        });
        if expand {
            let ids: Vec<i64> = self
                .entries
                .values()
                .filter(|e| e.ticket_id == t.id)
                .map(|e| e.id)
                .collect();
            v["ticket_time_accounting_ids"] = json!(ids);
            v["group"] = json!(self.groups.get(&t.group_id));
            v["organization"] = json!(t.organization_id.and_then(|o| self.organizations.get(&o)));
        }
        v
    }

    pub(crate) fn user_json(&self, u: &SeedUser) -> Value {
        json!({
            "id": u.id, "login": u.login, "firstname": u.firstname, "lastname": u.lastname,
            "email": u.email, "active": u.active, "role_ids": u.role_ids,
            "organization_id": u.organization_id,
            "organization_ids": u.organization_id.into_iter().collect::<Vec<_>>(),
            "group_ids": u.group_access, "preferences": {}, "verified": false,
            "created_at": ts(self.created_at), "updated_at": ts(self.created_at),
        })
    }

    pub(crate) fn organization_json(&self, id: i64, name: &str) -> Value {
        json!({
            "id": id, "name": name, "shared": true, "domain": "", "domain_assignment": false,
            "active": true, "note": "", "vip": false, "member_ids": [],
            "secondary_member_ids": [], "created_by_id": 1, "updated_by_id": 1,
            "created_at": ts(self.created_at), "updated_at": ts(self.created_at),
        })
    }

    pub(crate) fn type_json(&self, t: &SeedType) -> Value {
        json!({
            "id": t.id, "name": t.name, "note": null, "active": t.active,
            "created_by_id": 1, "updated_by_id": 1,
            "created_at": ts(self.created_at), "updated_at": ts(self.created_at),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_always_have_a_fraction() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(dec(d("15")), "15.0");
        assert_eq!(dec(d("15.25")), "15.25");
        assert_eq!(dec(d("-5.00")), "-5.0");
        assert_eq!(dec(d("0")), "0.0");
    }
}
