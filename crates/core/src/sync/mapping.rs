//! Which Kimai customer, project and activity a Zammad entry goes to, per Zammad instance.
//!
//! Rules are explicit and chosen by the user (the UI may *suggest*, never apply): the most
//! specific rule wins — a single ticket, then the ticket's organization, then its customer
//! (a Zammad user), then its group. No rule, or no activity for the entry's accounting type,
//! parks the entry as "needs mapping": it is never dropped and never matched by a
//! similar-looking name.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::entries::DescriptionTemplate;
use super::plan::ParkReason;
use super::time::{RoundingRule, TimeUnit};

/// What a rule applies to, most specific first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Scope {
    /// One ticket (by its id).
    Ticket(i64),
    /// Every ticket of a Zammad organization.
    Organization(i64),
    /// Every ticket of a Zammad customer (user id).
    Customer(i64),
    /// Every ticket in a Zammad group.
    Group(i64),
}

impl Scope {
    /// What kind of scope: `ticket`, `organization`, `customer` or `group`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Ticket(_) => "ticket",
            Self::Organization(_) => "organization",
            Self::Customer(_) => "customer",
            Self::Group(_) => "group",
        }
    }

    /// The Zammad id it names.
    pub fn id(&self) -> i64 {
        match *self {
            Self::Ticket(id) | Self::Organization(id) | Self::Customer(id) | Self::Group(id) => id,
        }
    }
}

/// Where entries of a scope are booked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingRule {
    /// What it applies to.
    pub scope: Scope,
    /// Kimai customer (for display and checks; the project decides).
    pub customer: i64,
    /// Kimai project.
    pub project: i64,
    /// An activity for every entry of this scope, overriding the type mapping.
    #[serde(default)]
    pub activity: Option<i64>,
}

/// How a day's entries are laid out in time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Each entry ends when it was booked (the default).
    #[default]
    EndAtBooking,
    /// A day's entries are laid out back to back without overlaps.
    NoOverlaps,
}

/// Everything the user set for one Zammad instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceSettings {
    /// What `time_unit` means in this helpdesk (Zammad never converts).
    pub time_unit: TimeUnit,
    /// The timesheet description (the marker is appended).
    #[serde(default)]
    pub description: DescriptionTemplate,
    /// Optional rounding of each entry's duration.
    #[serde(default = "RoundingRule::none")]
    pub rounding: RoundingRule,
    /// Tags added to every timesheet (created in Kimai first if needed).
    #[serde(default)]
    pub tags: Vec<String>,
    /// How entries are placed in time.
    #[serde(default)]
    pub layout: Layout,
    /// Scope rules.
    #[serde(default)]
    pub rules: Vec<MappingRule>,
    /// Kimai activity per Zammad accounting type id.
    #[serde(default)]
    pub activity_by_type: BTreeMap<i64, i64>,
    /// Kimai activity for entries without an accounting type.
    #[serde(default)]
    pub activity_without_type: Option<i64>,
    /// The Zammad user the connection was set up for: a run refuses a token that now belongs
    /// to someone else (their entries are not ours; ours would all look deleted).
    #[serde(default)]
    pub zammad_user_id: Option<i64>,
    /// Exact day totals: each timesheet stays whole minutes, but a day's entries of one
    /// ticket, project and activity are rounded by their running sum (booking order), so each
    /// such day's total stays within half a minute of Zammad's (`time::running_minutes`). On
    /// for helpdesks added since it exists; off for older ones, whose timesheets it would
    /// change. Not applied with a rounding rule (that rounds each entry on purpose).
    #[serde(default)]
    pub exact_day_totals: bool,
    /// The helpdesk's `time_accounting_unit` setting `time_unit` was chosen (or confirmed)
    /// against, with the custom label for `custom` (`custom:Stunden`). A full run compares it
    /// with the setting now: a change parks new entries until the user confirms the unit.
    /// `None` for connections made before it was kept: the next full run records it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zammad_unit_setting: Option<String>,
    /// A new connection's first sync waits for the user's go-ahead: until then every run
    /// only previews this helpdesk (what it would create, adopt and ask about) and writes
    /// nothing for it (`engine::first_sync`). Off for connections made before it existed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub awaiting_go_ahead: bool,
    /// Rewrite the timesheets the previous sync service wrote for this helpdesk to
    /// Timebridge's description and marker, and move those on the wrong (UTC) day to their
    /// local day — only where nothing else differs and Kimai allows it (`sync::rewrite`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rewrite_previous: bool,
    /// The user picked this helpdesk as the owner of previous-service timesheets that
    /// several helpdesks could own (no `Zammad URL` line, or helpdesks on one host).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub owns_previous_ambiguous: bool,
}

/// The ticket facts mapping looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TicketScope {
    /// The ticket (Zammad's internal id), for a rule on one ticket.
    pub ticket_id: i64,
    /// Its organization, if any.
    pub organization_id: Option<i64>,
    /// Its customer (a Zammad user).
    pub customer_id: Option<i64>,
    /// Its group, for a rule on a group.
    pub group_id: Option<i64>,
}

/// Where one entry goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    /// Kimai customer.
    pub customer: i64,
    /// Kimai project.
    pub project: i64,
    /// Kimai activity.
    pub activity: i64,
}

impl InstanceSettings {
    /// Settings with a unit and nothing mapped yet.
    pub fn new(time_unit: TimeUnit) -> Self {
        Self {
            time_unit,
            description: DescriptionTemplate::default(),
            rounding: RoundingRule::none(),
            tags: Vec::new(),
            layout: Layout::default(),
            zammad_unit_setting: None,
            exact_day_totals: false,
            awaiting_go_ahead: false,
            rewrite_previous: false,
            owns_previous_ambiguous: false,
            rules: Vec::new(),
            activity_by_type: BTreeMap::new(),
            activity_without_type: None,
            zammad_user_id: None,
        }
    }

    /// The most specific rule covering `ticket`.
    fn rule_for(&self, ticket: &TicketScope) -> Option<&MappingRule> {
        let candidates = [
            Some(Scope::Ticket(ticket.ticket_id)),
            ticket.organization_id.map(Scope::Organization),
            ticket.customer_id.map(Scope::Customer),
            ticket.group_id.map(Scope::Group),
        ];
        candidates
            .into_iter()
            .flatten()
            .find_map(|scope| self.rules.iter().find(|r| r.scope == scope))
    }

    /// Where an entry of `ticket` with accounting type `type_id` goes, or why it is parked.
    pub fn resolve(
        &self,
        ticket: &TicketScope,
        type_id: Option<i64>,
    ) -> Result<Target, ParkReason> {
        let Some(rule) = self.rule_for(ticket) else {
            return Err(ParkReason::NeedsMapping {
                detail: match ticket.organization_id {
                    Some(org) => format!(
                        "no mapping for ticket {} (organization {org})",
                        ticket.ticket_id
                    ),
                    None => format!(
                        "no mapping for ticket {} (no organization)",
                        ticket.ticket_id
                    ),
                },
            });
        };
        let activity = rule.activity.or_else(|| match type_id {
            Some(t) => self.activity_by_type.get(&t).copied(),
            None => self.activity_without_type,
        });
        let Some(activity) = activity else {
            return Err(ParkReason::NeedsMapping {
                detail: match type_id {
                    Some(t) => format!("no Kimai activity for accounting type {t}"),
                    None => "no Kimai activity for entries without an accounting type".into(),
                },
            });
        };
        Ok(Target {
            customer: rule.customer,
            project: rule.project,
            activity,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> InstanceSettings {
        let mut s = InstanceSettings::new(TimeUnit::Minutes);
        s.rules = vec![
            MappingRule {
                scope: Scope::Group(1),
                customer: 9,
                project: 90,
                activity: None,
            },
            MappingRule {
                scope: Scope::Organization(5),
                customer: 1,
                project: 10,
                activity: None,
            },
            MappingRule {
                scope: Scope::Ticket(42),
                customer: 1,
                project: 11,
                activity: Some(7),
            },
            MappingRule {
                scope: Scope::Customer(3),
                customer: 2,
                project: 20,
                activity: None,
            },
        ];
        s.activity_by_type.insert(100, 3);
        s.activity_without_type = Some(4);
        s
    }

    fn ticket(id: i64, org: Option<i64>, customer: Option<i64>, group: Option<i64>) -> TicketScope {
        TicketScope {
            ticket_id: id,
            organization_id: org,
            customer_id: customer,
            group_id: group,
        }
    }

    #[test]
    fn the_most_specific_rule_wins() {
        let s = settings();
        let t = |id, org, cust, grp| s.resolve(&ticket(id, org, cust, grp), Some(100)).unwrap();
        assert_eq!(
            t(42, Some(5), Some(3), Some(1)).project,
            11,
            "ticket beats organization"
        );
        assert_eq!(
            t(1, Some(5), Some(3), Some(1)).project,
            10,
            "organization beats customer"
        );
        assert_eq!(
            t(1, None, Some(3), Some(1)).project,
            20,
            "customer beats group"
        );
        assert_eq!(t(1, None, None, Some(1)).project, 90, "group last");
    }

    #[test]
    fn activity_comes_from_the_rule_then_the_type() {
        let s = settings();
        assert_eq!(
            s.resolve(&ticket(42, None, None, None), Some(100))
                .unwrap()
                .activity,
            7
        );
        assert_eq!(
            s.resolve(&ticket(1, Some(5), None, None), Some(100))
                .unwrap()
                .activity,
            3
        );
        assert_eq!(
            s.resolve(&ticket(1, Some(5), None, None), None)
                .unwrap()
                .activity,
            4
        );
    }

    #[test]
    fn unmapped_organizations_and_types_are_parked_with_a_reason() {
        let s = settings();
        match s.resolve(&ticket(1, Some(6), None, None), Some(100)) {
            Err(ParkReason::NeedsMapping { detail }) => assert!(detail.contains("organization 6")),
            other => panic!("{other:?}"),
        }
        match s.resolve(&ticket(1, Some(5), None, None), Some(101)) {
            Err(ParkReason::NeedsMapping { detail }) => assert!(detail.contains("type 101")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn settings_round_trip_as_json() {
        let s = settings();
        let json = serde_json::to_string(&s).unwrap();
        let back: InstanceSettings = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
    }
}
