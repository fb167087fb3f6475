//! Reading both sides for one run, completely or not at all.
//!
//! A read either returns everything it promised or an error: the planner must never see a
//! partial list as the truth (that is how tools delete hours after a hiccup). What a read did
//! not cover is left out, and the planner treats what is left out as *unread*.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use futures_util::StreamExt;
use timebridge_kimai::{KimaiClient, KimaiError, Timesheet, TimesheetQuery};
use timebridge_zammad::{Ticket, ZammadClient, ZammadError};

use super::read_ahead;
use crate::sync::desired::TicketInfo;
use crate::sync::entries::{SourceEntry, TicketFacts};
use crate::sync::mapping::TicketScope;
use crate::sync::plan::{KimaiRecord, TimesheetFields};

/// One Zammad instance as read this run.
#[derive(Clone, Debug, Default)]
pub struct ZammadRead {
    /// The connected agent.
    pub user_id: i64,
    /// Every entry on the tickets read (all agents').
    pub entries: Vec<SourceEntry>,
    /// The tickets read completely (their entries are all in `entries`).
    pub tickets: BTreeMap<i64, TicketInfo>,
    /// Accounting type names, when the token may list them (admins only).
    pub type_names: BTreeMap<i64, String>,
    /// The newest ticket `updated_at` read (the server's clock): the next incremental cursor.
    pub newest_update: Option<DateTime<Utc>>,
    /// Whether a ticket found was left unread (no permission to read it or its entries): then
    /// an entry missing from every ticket read proves nothing.
    pub skipped_any: bool,
    /// The tickets Zammad refused to show the agent (the ticket or its entries).
    pub unreadable: BTreeSet<i64>,
}

/// Reads the tickets updated since `since` and all their entries, plus `also_tickets`
/// (tickets of linked entries that must be looked at again); a ticket that no longer exists
/// is simply absent from the result's tickets and recorded in `deleted_tickets`.
pub async fn read_zammad(
    client: &ZammadClient,
    since: DateTime<Utc>,
    also_tickets: &BTreeSet<i64>,
) -> Result<(ZammadRead, BTreeSet<i64>), ZammadError> {
    let me = client.me().await?;
    let mut tickets: BTreeMap<i64, Ticket> = client
        .search_tickets_updated_since(since)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let mut read = ZammadRead {
        user_id: me.id,
        ..ZammadRead::default()
    };
    let deleted = read_linked_tickets(client, also_tickets, &mut tickets, &mut read).await?;
    read.newest_update = tickets.values().map(|t| t.updated_at).max();
    // Organization names first: no request may wait inside the read-ahead loop below, whose
    // buffered requests hold the transport's permits until the loop polls them again (a
    // request waiting there for a permit would wait forever).
    let organizations = organization_names(client, &tickets).await?;
    // Each ticket's entries are read ahead (several at a time, in ticket order).
    let ahead = read_ahead::entries_of(client, tickets.keys().copied().collect());
    let mut ahead = std::pin::pin!(ahead);
    let mut done = 0;
    crate::progress::report(crate::progress::Phase::Reading, 0, tickets.len());
    while let Some((id, accountings)) = ahead.next().await {
        done += 1;
        crate::progress::report(crate::progress::Phase::Reading, done, tickets.len());
        let Some(ticket) = tickets.get(&id) else {
            continue;
        };
        // An agent with only read access to the ticket's group may not read its entries
        // (docs/api-notes.md §18); they cannot have booked time there either. The ticket stays unread.
        let accountings = match accountings {
            Ok(list) => list,
            Err(ZammadError::Forbidden { detail, .. }) => {
                tracing::debug!(ticket = ticket.id, %detail, "entries not readable; ticket skipped");
                read.skipped_any = true;
                read.unreadable.insert(ticket.id);
                continue;
            }
            Err(e) => return Err(e),
        };
        read.entries
            .extend(accountings.into_iter().map(|ta| SourceEntry {
                id: ta.id,
                ticket_id: ta.ticket_id,
                type_id: ta.type_id,
                created_by_id: ta.created_by_id,
                created_at: ta.created_at,
                time_unit: ta.time_unit,
            }));
        read.tickets
            .insert(ticket.id, ticket_info(ticket, &organizations));
    }
    // Agents may not list types (admin only): descriptions then go without type names.
    match client.time_accounting_types().await {
        Ok(types) => read.type_names = types.into_iter().map(|t| (t.id, t.name)).collect(),
        Err(ZammadError::Forbidden { .. }) => {}
        Err(e) => return Err(e),
    }
    Ok((read, deleted))
}

/// Adds the tickets of linked entries the search did not return (`also_tickets`) to
/// `tickets`; returns those that no longer exist. A ticket moved to a group the agent cannot
/// read is recorded in `read` as unread; the run goes on.
async fn read_linked_tickets(
    client: &ZammadClient,
    also_tickets: &BTreeSet<i64>,
    tickets: &mut BTreeMap<i64, Ticket>,
    read: &mut ZammadRead,
) -> Result<BTreeSet<i64>, ZammadError> {
    let mut deleted = BTreeSet::new();
    let missing: Vec<i64> = also_tickets
        .iter()
        .copied()
        .filter(|id| !tickets.contains_key(id))
        .collect();
    for id in missing {
        match client.ticket(id).await {
            Ok(t) => {
                tickets.insert(t.id, t);
            }
            Err(ZammadError::NotFound { .. }) => {
                deleted.insert(id);
            }
            Err(ZammadError::Forbidden {
                token_scope: false,
                detail,
            }) => {
                tracing::debug!(ticket = id, %detail, "linked ticket not readable; left unread");
                read.skipped_any = true;
                read.unreadable.insert(id);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(deleted)
}

/// The names of the tickets' organizations. An expanded search already names them; only
/// tickets read one by one need a lookup.
async fn organization_names(
    client: &ZammadClient,
    tickets: &BTreeMap<i64, Ticket>,
) -> Result<BTreeMap<i64, String>, ZammadError> {
    let mut organizations: BTreeMap<i64, String> = tickets
        .values()
        .filter_map(|t| Some((t.organization_id?, t.organization.clone()?)))
        .collect();
    let unnamed: BTreeSet<i64> = tickets
        .values()
        .filter_map(|t| t.organization_id)
        .filter(|org| !organizations.contains_key(org))
        .collect();
    for org in unnamed {
        let name = client.organization(org).await?.name;
        organizations.insert(org, name);
    }
    Ok(organizations)
}

/// What the mapping and the descriptions need of a ticket.
fn ticket_info(ticket: &Ticket, organizations: &BTreeMap<i64, String>) -> TicketInfo {
    let organization = ticket
        .organization_id
        .and_then(|org| organizations.get(&org).cloned());
    TicketInfo {
        facts: TicketFacts {
            number: ticket.number.clone(),
            title: ticket.title.clone(),
            organization,
            type_name: None,
            ticket_id: ticket.id,
        },
        scope: TicketScope {
            ticket_id: ticket.id,
            organization_id: ticket.organization_id,
            customer_id: ticket.customer_id,
            group_id: Some(ticket.group_id),
        },
    }
}

/// A Kimai timesheet as the planner compares it: wall-clock times in the billing timezone.
pub fn kimai_record(ts: &Timesheet, tz: Tz) -> KimaiRecord {
    let begin = ts.begin.with_timezone(&tz).naive_local();
    // A running timesheet is never one of ours (we always send an end): compare as zero-length.
    let end = ts.end.map_or(begin, |e| e.with_timezone(&tz).naive_local());
    KimaiRecord {
        fields: TimesheetFields {
            begin,
            end,
            project: ts.project,
            activity: ts.activity,
            description: ts.description.clone().unwrap_or_default(),
            tags: ts.tags.clone(),
        }
        .normalized(),
        exported: ts.exported,
    }
}

/// The user's own timesheets that begin at or after `from` (wall-clock, user timezone),
/// all pages, by id.
pub async fn read_kimai(
    client: &KimaiClient,
    from: NaiveDateTime,
) -> Result<BTreeMap<i64, Timesheet>, KimaiError> {
    listing(
        client,
        TimesheetQuery {
            begin: Some(from),
            ..TimesheetQuery::default()
        },
    )
    .await
}

/// Every page of a timesheet query, by id.
async fn listing(
    client: &KimaiClient,
    query: TimesheetQuery,
) -> Result<BTreeMap<i64, Timesheet>, KimaiError> {
    Ok(client
        .timesheets_all(&query)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect())
}

/// The user's timesheets modified since `since` (Kimai's `modified_after`: UTC, inclusive):
/// an incremental run's Kimai read. Deletions never show here; only a full read finds them.
pub async fn read_kimai_modified(
    client: &KimaiClient,
    since: DateTime<Utc>,
) -> Result<BTreeMap<i64, Timesheet>, KimaiError> {
    listing(
        client,
        TimesheetQuery {
            modified_after: Some(since),
            ..TimesheetQuery::default()
        },
    )
    .await
}

/// Looks up timesheets by id (linked ones outside the listing), several at a time (see
/// `read_ahead`): `None` when deleted.
pub async fn read_kimai_ids(
    client: &KimaiClient,
    ids: impl IntoIterator<Item = i64>,
) -> Result<BTreeMap<i64, Option<Timesheet>>, KimaiError> {
    let mut out = BTreeMap::new();
    let ahead = read_ahead::timesheets_by_id(client, ids.into_iter().collect());
    let mut ahead = std::pin::pin!(ahead);
    while let Some((id, found)) = ahead.next().await {
        match found {
            Ok(ts) => {
                out.insert(id, Some(ts));
            }
            Err(KimaiError::NotFound) => {
                out.insert(id, None);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}
