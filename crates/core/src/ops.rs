//! The operations both front ends run: a sync or its preview, an undo or its preview, a link
//! rebuild, a billing preview, apply or reversal, the decisions that change what the next
//! sync does (`decisions`), adding, listing and removing connections (`connections`), the
//! settings whose rules both apply and the billing dates (`settings`), the run history
//! (`history`) and the helpdesks' settings (`helpdesks`). The desktop's adapter (the
//! `timebridge-app` crate) and the CLI call these for everything whose rules or answers both
//! must share, so "what a sync needs" (the stored connections, the tokens, the billing
//! timezone) and "what billing needs" are assembled in one place and mean the same to both;
//! they read the store directly only for what one of them alone shows.
//!
//! A [`Workspace`] is one data directory's database and secret store, acting as one
//! [`Actor`]. Its errors are the core's own ([`OpError`]): each front end words them — the
//! desktop's adapter as an error code the UI branches on, the CLI as an exit code and a
//! command to type — and neither adds advice the other lacks about what happened.

mod billing;
mod connections;
pub mod decisions;
mod helpdesks;
mod history;
mod settings;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_edit;
#[cfg(test)]
mod tests_reads;

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};

use crate::billing::BillingError;
use crate::engine::{
    lock_store, Engine, EngineError, Mode, RebuildError, RebuildReport, RunReport, UndoRefusal,
    UndoReport,
};
use crate::secrets::SecretStore;
use crate::setup::{kimai_setup, Setup, SetupError};
use crate::sync::entries::InstanceKey;
use crate::{Actor, ConnectionKind, RunTrigger, Store, StoreError};

pub use billing::{Billed, BillingOrder};
pub use connections::{account_of, Clash, HelpdeskFound, ListedConnection, NewHelpdesk};
pub use decisions::{OpenConflict, OpenDecisions, OpenParked, PARKED_CHOICES};
pub use history::{RunDetail, MAX_RUNS_LISTED};
pub use settings::{check_book_from, BillingDates};

/// Why an operation did not happen (or stopped). Which of them left something half done is
/// said by the wrapped error; none of them loses an entry.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    /// What is stored does not make a working set-up (no Kimai, a token missing, …).
    #[error(transparent)]
    Setup(#[from] SetupError),
    /// The local database, or another run holds the data directory.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The run cannot be undone at all (unknown, a preview, already undone, …).
    #[error(transparent)]
    NotUndoable(#[from] UndoRefusal),
    /// Links could not be rebuilt (Kimai could not be read completely); nothing was written.
    #[error(transparent)]
    Rebuild(RebuildError),
    /// Billing refused or stopped.
    #[error(transparent)]
    Billing(#[from] BillingError),
    /// Billing asked for a sync first, and that sync did not end ok: nothing was billed.
    #[error(
        "the sync before billing (run {run_id}) did not end ok: {}; nothing was billed",
        detail.as_deref().unwrap_or("no details")
    )]
    SyncBeforeBilling {
        /// The sync's run id (`runs show`).
        run_id: i64,
        /// Why it did not end ok, as the run recorded it.
        detail: Option<String>,
    },
    /// A Kimai connection exists already (perhaps added meanwhile).
    #[error("a Kimai connection exists already; Timebridge books into one Kimai")]
    KimaiExists,
    /// The helpdesk key was used before, and Kimai timesheets are linked to it.
    #[error(
        "the key {:?} was used before and Kimai timesheets are linked to it; choose another key",
        .0.as_str()
    )]
    KeyHasHistory(InstanceKey),
    /// Two mapping rules name one scope: only the first would ever apply.
    #[error("two rules for {} {}: only the first would ever apply; remove one", .0.kind(), .0.id())]
    DuplicateRule(crate::sync::mapping::Scope),
    /// "Book time from" names a day that has not begun; nothing was stored.
    #[error("{0} is in the future: book time from a day that has begun")]
    BookFromInFuture(NaiveDate),
    /// A new connection clashes with a stored one; nothing was stored.
    #[error(transparent)]
    Clash(#[from] Clash),
    /// No connection has this id (removed meanwhile, or never there).
    #[error("there is no connection {0}")]
    NoSuchConnection(i64),
    /// No run has this id.
    #[error("there is no run {0}")]
    NoSuchRun(i64),
    /// No helpdesk has this key.
    #[error("there is no helpdesk with the key {:?}", .0.as_str())]
    NoSuchHelpdesk(InstanceKey),
}

impl From<StoreError> for OpError {
    fn from(e: StoreError) -> Self {
        Self::Engine(EngineError::Store(e))
    }
}

impl From<RebuildError> for OpError {
    fn from(e: RebuildError) -> Self {
        match e {
            RebuildError::Engine(e) => Self::Engine(e),
            other => Self::Rebuild(other),
        }
    }
}

/// One data directory's database and secret store, acting as one actor.
#[derive(Clone, Copy)]
pub struct Workspace<'a> {
    store: &'a Store,
    secrets: &'a dyn SecretStore,
    data_dir: &'a Path,
    actor: Actor,
}

impl std::fmt::Debug for Workspace<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace")
            .field("data_dir", &self.data_dir)
            .field("actor", &self.actor)
            .finish_non_exhaustive()
    }
}

/// The data directory's sync lock, held while this lives: no sync or billing run starts
/// meanwhile, in this process or another. Released when dropped.
#[derive(Debug)]
pub struct SyncLock {
    _file: std::fs::File,
}

impl<'a> Workspace<'a> {
    /// The database `store` of the data directory `data_dir` (billing reports go to
    /// `reports/` in it), with the tokens in `secrets`, acting as `actor`.
    pub fn new(
        store: &'a Store,
        secrets: &'a dyn SecretStore,
        data_dir: &'a Path,
        actor: Actor,
    ) -> Self {
        Self {
            store,
            secrets,
            data_dir,
            actor,
        }
    }

    /// Takes the sync lock if it is free: `None` while a sync or billing run holds it (the
    /// caller waits and asks again). Runs asked for meanwhile are refused as busy.
    pub fn try_lock(&self) -> Result<Option<SyncLock>, OpError> {
        match lock_store(self.store) {
            Ok(file) => Ok(Some(SyncLock { _file: file })),
            Err(EngineError::Busy) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Every connection a sync needs, read afresh with its token (so mapping and timezone
    /// edits apply at the next run).
    pub fn setup(&self) -> Result<Setup, OpError> {
        Ok(Setup::load(self.store, self.secrets)?)
    }

    /// The helpdesks a sync reads: every stored Zammad connection with its instance
    /// settings. Needs no token.
    pub fn helpdesks(&self) -> Result<BTreeSet<InstanceKey>, OpError> {
        let mut keys = BTreeSet::new();
        for c in self.store.connections()? {
            if let (ConnectionKind::Zammad, Some(key)) = (c.kind, c.instance) {
                if self.store.instance(&key)?.is_some() {
                    keys.insert(key);
                }
            }
        }
        Ok(keys)
    }

    /// One sync over the stored set-up (a preview writes nothing to Kimai). A run that ends
    /// offline or failed is a report (its outcome says so), not an error.
    pub async fn sync(
        &self,
        now: DateTime<Utc>,
        mode: Mode,
        trigger: RunTrigger,
    ) -> Result<RunReport, OpError> {
        let setup = self.setup()?;
        self.sync_over(&setup, now, mode, trigger).await
    }

    /// [`Workspace::sync`] over a set-up the caller loaded (and may have changed in memory,
    /// as `adopt --preview --helpdesk` does to show a pick before it is stored).
    pub async fn sync_over(
        &self,
        setup: &Setup,
        now: DateTime<Utc>,
        mode: Mode,
        trigger: RunTrigger,
    ) -> Result<RunReport, OpError> {
        Ok(setup
            .engine(self.store, self.actor)
            .run(now, mode, trigger)
            .await?)
    }

    /// Undoes run `run_id` as far as it safely can; each write left says why. Needs only
    /// Kimai (no helpdesk token).
    pub async fn undo(&self, run_id: i64, trigger: RunTrigger) -> Result<UndoReport, OpError> {
        let (kimai, tz) = kimai_setup(self.store, self.secrets)?;
        let report = self
            .kimai_engine(&kimai, tz)
            .undo_run(run_id, trigger)
            .await??;
        Ok(report)
    }

    /// What [`Workspace::undo`] would do now: the same walk with every write left out.
    pub async fn undo_preview(&self, run_id: i64) -> Result<UndoReport, OpError> {
        let (kimai, tz) = kimai_setup(self.store, self.secrets)?;
        let report = self.kimai_engine(&kimai, tz).undo_preview(run_id).await??;
        Ok(report)
    }

    /// Links every marked timesheet of a stored helpdesk that begins on or after `since`
    /// (all without it) to its entry: the way back after the database was lost.
    pub async fn rebuild_links(&self, since: Option<NaiveDate>) -> Result<RebuildReport, OpError> {
        let (kimai, tz) = kimai_setup(self.store, self.secrets)?;
        let keys = self.helpdesks()?;
        Ok(self
            .kimai_engine(&kimai, tz)
            .rebuild_links_for(&keys, since)
            .await?)
    }

    /// The engine for what reads and writes only Kimai (undo, link rebuild).
    fn kimai_engine<'k>(
        &'k self,
        kimai: &'k timebridge_kimai::KimaiClient,
        tz: chrono_tz::Tz,
    ) -> Engine<'k> {
        Engine {
            store: self.store,
            kimai,
            instances: &[],
            tz,
            actor: self.actor,
        }
    }
}
