//! How much a run reads: a **full reconcile** of the horizon (this and last month), or an
//! **incremental** read of what changed since the last successful run.
//!
//! Incremental reads are for the background timer: Zammad tickets updated since a cursor (the
//! newest `updated_at` seen, minus an overlap — the server's clock, not the laptop's) and Kimai
//! timesheets modified since a cursor (`modified_after`, UTC, minus an overlap). What an
//! incremental run does not read is *unread*, and the planner decides nothing from it, so an
//! incremental run can never delete or overwrite on the strength of a partial read. What only a
//! full read sees — deletions on either side, a Zammad edit that keeps the ticket total and so
//! does not move the ticket's `updated_at` (docs/api-notes.md §24), a user's edit in Kimai of an entry Zammad
//! did not change — waits for the next full reconcile, which runs:
//! - for every manual run (CLI `sync`, "Sync now"): a person asking expects everything;
//! - when no full reconcile succeeded in the last [`FULL_EVERY`], or since the month changed;
//! - for an instance that never completed a sync (the whole run, Kimai included), one without
//!   a cursor yet, whose mapping settings changed since the last complete run (a new rule releases parked entries of any age), or that lays a day's
//!   entries out without overlaps (a day's placement needs all of the day's entries).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use super::shared::InstanceConn;
use crate::store::runs::RunTrigger;
use crate::sync::mapping::Layout;
use crate::sync::time::Month;
use crate::{Store, StoreError};

/// A scheduled run reads everything again when the last full reconcile is older than this.
pub const FULL_EVERY: Duration = Duration::hours(6);
/// Cursors step back this far, so a change committed while a run was reading is seen again.
pub const OVERLAP: Duration = Duration::minutes(10);

const FULL_AT: &str = "full_reconcile_at";
const KIMAI_CURSOR: &str = "kimai:modified_after";

fn zammad_cursor(key: &str) -> String {
    format!("zammad:{key}:tickets_updated_at")
}

fn settings_cursor(key: &str) -> String {
    format!("zammad:{key}:settings")
}

/// The instance's mapping settings as the last complete run saw them: a change (a new rule
/// can release parked entries of any age) makes the next run read that instance fully.
pub(super) fn fingerprint(conn: &InstanceConn) -> String {
    serde_json::to_string(&conn.settings).unwrap_or_default()
}

fn parse(value: Option<String>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(&value?)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// What this run reads.
#[derive(Clone, Debug, Default)]
pub(super) struct Scope {
    /// Kimai: modified since (incremental), or `None` for the whole horizon.
    kimai_since: Option<DateTime<Utc>>,
    /// Zammad, per instance key: tickets updated since (incremental); absent = whole horizon.
    zammad_since: BTreeMap<String, DateTime<Utc>>,
}

impl Scope {
    /// Decides the scope of a run started by `trigger` at `now`.
    pub(super) fn decide(
        store: &Store,
        tz: Tz,
        now: DateTime<Utc>,
        trigger: RunTrigger,
        instances: &[InstanceConn],
    ) -> Result<Self, StoreError> {
        if trigger != RunTrigger::Schedule {
            return Ok(Self::default());
        }
        let Some(last_full) = parse(store.cursor(FULL_AT)?) else {
            return Ok(Self::default());
        };
        let month = |t: DateTime<Utc>| Month::of(t.with_timezone(&tz).date_naive());
        if now - last_full >= FULL_EVERY || month(last_full) != month(now) || last_full > now {
            return Ok(Self::default());
        }
        let Some(kimai_since) = parse(store.cursor(KIMAI_CURSOR)?) else {
            return Ok(Self::default());
        };
        let mut zammad_since = BTreeMap::new();
        for conn in instances {
            if conn.settings.layout == Layout::NoOverlaps {
                continue;
            }
            let seen = store.cursor(&settings_cursor(conn.key.as_str()))?;
            // A helpdesk that never synced completely: its first run reads everything, Kimai
            // included (adoption and twin matching compare with every timesheet).
            if seen.is_none() {
                return Ok(Self::default());
            }
            if seen.as_deref() != Some(fingerprint(conn).as_str()) {
                continue;
            }
            if let Some(since) = parse(store.cursor(&zammad_cursor(conn.key.as_str()))?) {
                zammad_since.insert(conn.key.as_str().to_string(), since);
            }
        }
        Ok(Self {
            kimai_since: Some(kimai_since),
            zammad_since,
        })
    }

    /// Whether everything in the horizon is read.
    pub(super) fn is_full(&self, instances: &[InstanceConn]) -> bool {
        self.kimai_since.is_none()
            && instances
                .iter()
                .all(|c| !self.zammad_since.contains_key(c.key.as_str()))
    }

    /// Kimai: `Some(t)` = only what was modified since `t`.
    pub(super) fn kimai_since(&self) -> Option<DateTime<Utc>> {
        self.kimai_since
    }

    /// Zammad instance `key`: `Some(t)` = only tickets updated since `t`.
    pub(super) fn zammad_since(&self, key: &str) -> Option<DateTime<Utc>> {
        self.zammad_since.get(key).copied()
    }
}

/// Whether helpdesk `key` ever completed a sync (its first one reads every open month).
pub(super) fn has_synced(store: &Store, key: &str) -> Result<bool, StoreError> {
    Ok(store.cursor(&settings_cursor(key))?.is_some())
}

/// When the last full reconcile (a complete sync) succeeded, if ever: billing refuses to
/// bill on a stale picture.
pub fn last_full_reconcile(store: &Store) -> Result<Option<DateTime<Utc>>, StoreError> {
    Ok(parse(store.cursor(FULL_AT)?))
}

/// After a successful run: the cursors move to what it read (`newest` = the newest ticket
/// `updated_at` per instance, as the server stamped it), and a full run records itself.
pub(super) fn record(
    store: &Store,
    full: bool,
    now: DateTime<Utc>,
    newest: &BTreeMap<String, DateTime<Utc>>,
    instances: &[InstanceConn],
) -> Result<(), StoreError> {
    let stamp = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let old: BTreeMap<&String, Option<DateTime<Utc>>> = newest
        .keys()
        .map(|key| Ok((key, parse(store.cursor(&zammad_cursor(key))?))))
        .collect::<Result<_, StoreError>>()?;
    store.write(|w| {
        w.set_cursor(KIMAI_CURSOR, &stamp(now - OVERLAP))?;
        for (key, t) in newest {
            // Never backwards: an incremental run that saw nothing newer keeps the position.
            let new = *t - OVERLAP;
            if old.get(key).copied().flatten().is_none_or(|o| new > o) {
                w.set_cursor(&zammad_cursor(key), &stamp(new))?;
            }
        }
        for conn in instances {
            w.set_cursor(&settings_cursor(conn.key.as_str()), &fingerprint(conn))?;
        }
        if full {
            w.set_cursor(FULL_AT, &stamp(now))?;
        }
        Ok(())
    })
}
