//! What every stage of a run shares: the engine (one Kimai account and its helpdesks), the
//! run's report, its errors, the sync lock. The stages (`run` and what it calls: scope, read,
//! plan, apply, settle) import this; it imports none of them.

use std::collections::BTreeMap;

use chrono_tz::Tz;
use timebridge_kimai::{KimaiClient, KimaiError};
use timebridge_zammad::ZammadClient;

use super::first_sync::FirstSyncPreview;
use crate::store::audit::Actor;
use crate::store::runs::{RunCounts, RunOutcome};
use crate::sync::entries::InstanceKey;
use crate::sync::mapping::InstanceSettings;
use crate::sync::plan::{Action, SourceKey};
use crate::sync::refusal::Refusal;
use crate::sync::rewrite::Rewrite;
use crate::{Store, StoreError};

/// One Zammad helpdesk to sync.
#[derive(Clone, Debug)]
pub struct InstanceConn {
    /// Its marker key.
    pub key: InstanceKey,
    /// Its client (authenticated as the consultant).
    pub client: ZammadClient,
    /// Its mapping settings.
    pub settings: InstanceSettings,
}

/// Plan and write, or only plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Carry the plan out.
    Apply,
    /// Show what a sync would do; write nothing remote.
    Preview,
    /// Link what Kimai already holds (the previous service's timesheets, twins the user
    /// confirmed, Timebridge's own marked ones) and park entries with a possible twin; create,
    /// change and delete nothing. Recorded in the history as a sync that wrote nothing.
    Adopt,
}

/// What went wrong outside the remote servers (those end a run as offline or failed).
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The local database.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Another sync (this app, the CLI, the scheduler) is running on the same data.
    #[error("another sync is running on this data directory; try again when it has finished")]
    Busy,
    /// The run lock file could not be opened.
    #[error("cannot open the sync lock file {path}: {source}")]
    Lock {
        /// The lock file.
        path: String,
        /// What the OS said.
        source: std::io::Error,
    },
}

/// What a run did.
#[derive(Clone, Debug)]
pub struct RunReport {
    /// The run's id in the history.
    pub run_id: i64,
    /// The plan (for a preview: what would happen).
    pub actions: Vec<Action>,
    /// What was done.
    pub counts: RunCounts,
    /// How the run ended.
    pub outcome: RunOutcome,
    /// Why it did not end well, in words.
    pub error: Option<String>,
    /// Timesheets found by their marker and linked instead of created.
    pub adopted: u32,
    /// Whether the run read the whole horizon (a full reconcile) rather than only what
    /// changed since the last run (see `engine::scope`).
    pub full: bool,
    /// The writes Kimai refused in this run, each with its entry (now parked with it).
    pub refused: Vec<(SourceKey, Refusal)>,
    /// Writes Kimai stored with other times than sent (its own rounding rules).
    pub kimai_adjusted: Vec<KimaiAdjusted>,
    /// Whether this run is the first ever to meet such a write (then the user is told why).
    pub kimai_adjusted_first: bool,
    /// Of `adopted`: timesheets the previous web service wrote, linked with an unknown base.
    pub adopted_legacy: u32,
    /// Previous-service timesheets more than one helpdesk could own (left alone), by id.
    pub legacy_ambiguous: Vec<i64>,
    /// Helpdesks whose first sync waits for the user's go-ahead (`engine::first_sync`):
    /// what it would do. Their actions are in `held`, not in `actions`, unless a preview.
    pub first_sync: Vec<FirstSyncPreview>,
    /// The held helpdesks' planned actions (a sync carried none of them out).
    pub held: Vec<Action>,
    /// Previous-service timesheets rewritten to Zammad's version in this run's plan (the
    /// helpdesk's `rewrite_previous` is on), by entry.
    pub rewrites: BTreeMap<SourceKey, Rewrite>,
    /// Previous-service timesheets that could be rewritten, per helpdesk whose
    /// `rewrite_previous` is off (an offer the user has not taken).
    pub rewritable: BTreeMap<String, u32>,
    /// Requests sent again in this run, per server: a flaky network or a struggling server.
    pub retries: Retries,
    /// The clients' retry counts when the run began.
    pub(crate) retries_before: Retries,
}

/// Requests sent again, per server.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Retries {
    /// To Kimai.
    pub kimai: u64,
    /// To the Zammad helpdesks together.
    pub zammad: u64,
}

/// A write Kimai stored with other times than sent: a rounding rule on the server (not
/// visible in its API). The link keeps what Kimai stored, so the next run does not fight it;
/// the month's ledger shows the difference as "changed in Kimai".
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct KimaiAdjusted {
    /// The Zammad entry whose write Kimai stored with other times.
    pub key: SourceKey,
    /// The Kimai timesheet id.
    pub timesheet_id: i64,
    /// Begin and end as sent (wall-clock, billing timezone).
    pub sent: (chrono::NaiveDateTime, chrono::NaiveDateTime),
    /// Begin and end as Kimai stored them.
    pub stored: (chrono::NaiveDateTime, chrono::NaiveDateTime),
}

/// The engine for one Kimai account and its Zammad helpdesks.
#[derive(Debug)]
pub struct Engine<'a> {
    /// The local state.
    pub store: &'a Store,
    /// The consultant's Kimai.
    pub kimai: &'a KimaiClient,
    /// The Zammad helpdesks a sync reads; empty for an undo or a link rebuild (Kimai only).
    pub instances: &'a [InstanceConn],
    /// The billing timezone.
    pub tz: Tz,
    /// Who started the run (for the audit log).
    pub actor: Actor,
}

/// A remote failure: offline (retry later) or failed (needs a look).
pub(super) fn remote_outcome(retryable: bool) -> RunOutcome {
    if retryable {
        RunOutcome::Offline
    } else {
        RunOutcome::Failed
    }
}

/// Why a run (a sync or an undo) ends before its last step: the outcome its history row gets
/// and the words the user reads. Only what the servers or the user's set-up cause; a local
/// failure is an [`EngineError`] instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Stop {
    /// `offline` (a later run may pass) or `failed` (needs a look).
    pub(super) outcome: RunOutcome,
    /// What happened, naming the server.
    pub(super) message: String,
}

impl Stop {
    /// A request failed: offline when a repeat may pass, failed otherwise.
    pub(super) fn remote(retryable: bool, message: String) -> Self {
        Self {
            outcome: remote_outcome(retryable),
            message,
        }
    }

    /// A Kimai request failed.
    pub(super) fn kimai(e: &KimaiError) -> Self {
        Self::remote(e.is_retryable(), format!("Kimai: {e}"))
    }

    /// Something no repeat fixes (a wrong set-up): the run failed.
    pub(super) fn failed(message: String) -> Self {
        Self {
            outcome: RunOutcome::Failed,
            message,
        }
    }
}

impl Engine<'_> {
    /// Kimai reads and writes wall-clock times in its user's timezone: if that is not the
    /// billing timezone, every time would shift. A sync and an undo refuse rather than guess.
    pub(super) async fn check_kimai_timezone(&self) -> Result<(), Stop> {
        match self.kimai.me().await {
            Ok(me) if me.timezone != self.tz.name() => Err(Stop::failed(format!(
                "the Kimai user's timezone is {}, but the billing timezone is {}; set them to \
                 the same zone (in Kimai's profile or Timebridge's settings)",
                me.timezone,
                self.tz.name()
            ))),
            Ok(_) => Ok(()),
            Err(e) => Err(Stop::kimai(&e)),
        }
    }
}

/// How a stage of a run ends early: stopped with an outcome the run records, or a local
/// failure the caller gets back. Lets every stage use `?` for both.
#[derive(Debug)]
pub(super) enum Halt {
    /// End the run with this outcome.
    Stop(Stop),
    /// The database or the sync lock failed.
    Engine(EngineError),
}

impl From<Stop> for Halt {
    fn from(stop: Stop) -> Self {
        Self::Stop(stop)
    }
}

impl From<EngineError> for Halt {
    fn from(e: EngineError) -> Self {
        Self::Engine(e)
    }
}

impl From<StoreError> for Halt {
    fn from(e: StoreError) -> Self {
        Self::Engine(e.into())
    }
}

/// The sync lock of `store`'s data directory (one sync per data directory, across processes);
/// billing runs take it too, so a billing run and a sync never run at once. Released when the
/// file drops.
pub(crate) fn lock_store(store: &Store) -> Result<std::fs::File, EngineError> {
    let path = store.path().with_extension("sync.lock");
    let lock_error = |source| EngineError::Lock {
        path: path.display().to_string(),
        source,
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(lock_error)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(EngineError::Busy),
        Err(std::fs::TryLockError::Error(e)) => Err(lock_error(e)),
    }
}
