//! A new helpdesk's first sync is a preview until the user says go. Before switching, most
//! users already have Kimai timesheets for the same work (typed by hand, or written by the
//! previous sync service); the first sync decides what becomes of all of them at once, so
//! the user sees it first: how many timesheets it would create, how many it links (adopts)
//! instead, how many entries wait as possible twins of hand-made bookings, and how many of
//! the previous service's timesheets could be rewritten.
//!
//! A connection made by the wizard, `connections add` or the demo starts with
//! `InstanceSettings::awaiting_go_ahead`. Every run (the scheduler's too) then plans that
//! helpdesk as usual but carries out none of its actions and moves none of its cursors — the
//! other helpdesks sync as usual — and keeps the helpdesk's counts here, so the dashboard,
//! `status` and `sync` can show them. [`go_ahead`] lifts the hold; the next run is then the
//! helpdesk's real first sync.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::sync::entries::InstanceKey;
use crate::sync::plan::{Action, ParkReason};
use crate::{Store, StoreError};

fn setting(instance: &str) -> String {
    format!("sync.first_sync.{instance}")
}

/// What a helpdesk's first sync would do, as the last run planned it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirstSyncPreview {
    /// The helpdesk's key.
    pub instance: String,
    /// The run that planned it (a preview or a run that held the helpdesk).
    pub run_id: i64,
    /// When.
    pub planned_at: Option<DateTime<Utc>>,
    /// Timesheets it would create.
    pub creates: u32,
    /// Timesheets it would link instead: written by the previous service, or carrying
    /// Timebridge's own marker (another installation's, a lost database's).
    pub adopted: u32,
    /// Of `adopted`: the previous service's.
    pub adopted_previous: u32,
    /// Of those: the ones whose description and day could be rewritten
    /// (`sync::rewrite`; done only when the helpdesk's `rewrite_previous` is on).
    pub rewritable: u32,
    /// Entries that would wait as possible twins of hand-made bookings.
    pub possible_twins: u32,
    /// Differences between linked timesheets and Zammad, waiting for the user.
    pub conflicts: u32,
    /// Entries parked for another reason (no mapping, …).
    pub parked: u32,
    /// Other writes (updates of adopted timesheets the user already decided, …).
    pub other_writes: u32,
}

impl FirstSyncPreview {
    /// The counts of `actions` (the helpdesk's part of a plan) and of its adoptions.
    pub(super) fn of(
        instance: &str,
        run_id: i64,
        now: DateTime<Utc>,
        actions: &[&Action],
        adopted: (u32, u32),
        rewritable: u32,
    ) -> Self {
        let mut p = Self {
            instance: instance.to_string(),
            run_id,
            planned_at: Some(now),
            adopted: adopted.0 + adopted.1,
            adopted_previous: adopted.1,
            rewritable,
            ..Self::default()
        };
        for action in actions {
            match action {
                Action::Create { .. } => p.creates += 1,
                Action::Park {
                    reason: ParkReason::PossibleTwin { .. },
                    ..
                } => p.possible_twins += 1,
                Action::Park { .. } => p.parked += 1,
                Action::Conflict { .. } => p.conflicts += 1,
                Action::Update { .. } | Action::Delete { .. } => p.other_writes += 1,
                Action::KeepUserEdit { .. } | Action::Rebase { .. } | Action::ForgetLink { .. } => {
                }
            }
        }
        p
    }
}

/// Keeps `preview` as its helpdesk's latest.
pub(super) fn record(store: &Store, preview: &FirstSyncPreview) -> Result<(), StoreError> {
    let text = serde_json::to_string(preview).unwrap_or_default();
    store.set_app_setting(&setting(&preview.instance), &text)
}

/// Every helpdesk whose first sync waits for the user's go-ahead, with what the last run
/// planned for it (`None` until a run has planned it), by key.
pub fn awaiting(store: &Store) -> Result<BTreeMap<String, Option<FirstSyncPreview>>, StoreError> {
    let mut out = BTreeMap::new();
    for instance in store.instances()? {
        if !instance.settings.awaiting_go_ahead {
            continue;
        }
        let key = instance.key.as_str().to_string();
        let preview = store
            .app_setting(&setting(&key))?
            .and_then(|text| serde_json::from_str(&text).ok());
        out.insert(key, preview);
    }
    Ok(out)
}

/// The user's go-ahead for `key`'s first sync: the next run carries it out. `false` when the
/// helpdesk was not waiting (or is unknown).
pub fn go_ahead(store: &Store, key: &InstanceKey) -> Result<bool, StoreError> {
    go_ahead_with(store, key, None)
}

/// [`go_ahead`], also setting whether the previous service's timesheets are rewritten
/// (`Some`: as the user chose with the go-ahead; nothing changes when it was not waiting).
pub fn go_ahead_with(
    store: &Store,
    key: &InstanceKey,
    rewrite_previous: Option<bool>,
) -> Result<bool, StoreError> {
    let Some(mut instance) = store.instance(key)? else {
        return Ok(false);
    };
    if !instance.settings.awaiting_go_ahead {
        return Ok(false);
    }
    instance.settings.awaiting_go_ahead = false;
    if let Some(on) = rewrite_previous {
        instance.settings.rewrite_previous = on;
    }
    store.save_instance(&instance)?;
    store.clear_app_setting(&setting(key.as_str()))?;
    Ok(true)
}
