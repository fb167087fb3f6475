//! The contract between the Leptos UI (compiled to wasm32) and the Tauri shell.
//!
//! Both sides depend on this crate, so a renamed field or command breaks the build instead of
//! failing silently at run time. It must stay wasm-safe: serde only, no tokio, reqwest or
//! rusqlite. Conversions from core errors live in the core crate (the orphan rule allows it
//! there), so this crate needs no feature flags.

pub mod billing;
mod common;
pub mod conflicts;
pub mod dashboard;
pub mod entries;
mod error;
pub mod history;
pub mod settings;
pub mod setup;
mod status;
pub mod sync;
pub mod updates;
pub mod view;

pub use common::{EntryKey, Field, FieldsView, MonthString, Named};
pub use error::{ApiError, ApiResult, ErrorCode};
pub use status::StatusView;

/// Names of the Tauri commands, shared by `generate_handler!` users and the UI's `invoke`.
///
/// Every command takes at most one argument, named `req`, so Tauri's camelCase renaming of
/// argument names can never break a call.
pub mod cmd {
    /// Returns a [`crate::StatusView`] or the start-up error.
    pub const GET_STATUS: &str = "get_status";

    // First run and connections (`crate::setup`).
    /// → [`crate::setup::AppStateView`]: first run, normal or demo; picks the start page.
    pub const APP_STATE: &str = "app_state";
    /// → `AppStateView`: "Try with demo data" (simulators in-process, separate data dir).
    pub const START_DEMO: &str = "start_demo";
    /// → `Vec<ConnectionView>`.
    pub const LIST_CONNECTIONS: &str = "list_connections";
    /// `req: KimaiForm` → `CheckView` (nothing stored).
    pub const CHECK_KIMAI: &str = "check_kimai";
    /// `req: ZammadForm` → `CheckView` (nothing stored).
    pub const CHECK_ZAMMAD: &str = "check_zammad";
    /// `req: KimaiForm` → `ConnectionView`; checks first, token to the keychain.
    pub const SAVE_KIMAI: &str = "save_kimai";
    /// `req: ZammadForm` → `ConnectionView`; checks first, token to the keychain.
    pub const SAVE_ZAMMAD: &str = "save_zammad";
    /// `req: ConnectionId` → `()`; the token leaves the keychain too.
    pub const REMOVE_CONNECTION: &str = "remove_connection";
    /// `req: ConnectionId` → `CheckView` with the stored token.
    pub const TEST_CONNECTION: &str = "test_connection";
    /// → `KimaiCatalogView` (customers, projects, activities).
    pub const KIMAI_CATALOG: &str = "kimai_catalog";
    /// → `Vec<MappingSuggestion>` for every helpdesk (to confirm; never applied).
    pub const MAPPING_SUGGESTIONS: &str = "mapping_suggestions";

    // Dashboard, entries, conflicts.
    /// `req: DashboardQuery` → [`crate::dashboard::DashboardView`].
    pub const DASHBOARD: &str = "dashboard";
    /// `req: EntryQuery` → [`crate::entries::EntryPage`].
    pub const LIST_ENTRIES: &str = "list_entries";
    /// `req: EntryKey` → [`crate::entries::EntryDetail`].
    pub const ENTRY_DETAIL: &str = "entry_detail";
    /// `req: EntryKey` → `bool`: an entry Kimai refused is sent again at the next sync
    /// (`false`: it was not refused).
    pub const RETRY_ENTRY: &str = "retry_entry";
    /// `req: ConfirmUnitRequest` → [`crate::setup::ConnectionView`]: the helpdesk's unit
    /// setting is read now and kept with the unit; entries parked because it changed are
    /// booked at the next sync.
    pub const CONFIRM_UNIT: &str = "confirm_unit";
    /// `req: TwinAnswer` → `bool`: the user's word on an entry waiting as a possible twin
    /// (`false`: it was not waiting as one). Works offline; the next sync acts.
    pub const DECIDE_TWIN: &str = "decide_twin";
    /// → [`crate::entries::SyncPreviewView`]: what the next sync would do.
    pub const PREVIEW_SYNC: &str = "preview_sync";
    /// `req: GoAheadRequest` → `SyncResultView`: a helpdesk's first sync, held for the
    /// user's word, goes ahead now (refused with `sync_running` while a run is going).
    pub const FIRST_SYNC_GO_AHEAD: &str = "first_sync_go_ahead";
    /// → `Vec<ConflictView>`.
    pub const LIST_CONFLICTS: &str = "list_conflicts";
    /// `req: ResolveRequest` → `ResolveResult`; stored at once, works offline.
    pub const RESOLVE_CONFLICTS: &str = "resolve_conflicts";

    // History and undo.
    /// `req: RunsQuery` → `Vec<RunView>`.
    pub const LIST_RUNS: &str = "list_runs";
    /// `req: RunId` → `Vec<AuditView>`.
    pub const RUN_AUDIT: &str = "run_audit";
    /// `req: RunId` → `UndoView` with `preview: true`; writes nothing.
    pub const UNDO_PREVIEW: &str = "undo_preview";
    /// `req: RunId` → `UndoView`.
    pub const UNDO_RUN: &str = "undo_run";

    // Mappings and settings.
    /// → `Vec<InstanceMappingsView>`.
    pub const GET_MAPPINGS: &str = "get_mappings";
    /// `req: InstanceMappingsView` → the same, as stored.
    pub const SAVE_MAPPINGS: &str = "save_mappings";
    /// → `SettingsView`.
    pub const GET_SETTINGS: &str = "get_settings";
    /// `req: SettingsView` → `SettingsView` (the schedule and pause take effect at once).
    pub const SAVE_SETTINGS: &str = "save_settings";

    // Sync and schedule.
    /// → `SyncResultView`; refused with `sync_running` while a run is going.
    pub const SYNC_NOW: &str = "sync_now";
    /// → `ScheduleView`.
    pub const SCHEDULE_STATUS: &str = "schedule_status";
    /// `req: PauseRequest` → `ScheduleView`.
    pub const SET_PAUSED: &str = "set_paused";
    /// → `TrayView`.
    pub const TRAY_STATE: &str = "tray_state";

    // Billing.
    /// `req: BillingQuery` → `BillingPreviewView`.
    pub const BILLING_PREVIEW: &str = "billing_preview";
    /// `req: BillingApplyRequest` → `BillingResultView`.
    pub const BILLING_APPLY: &str = "billing_apply";
    /// `req: RunId` (a billing run) → `BillingResultView`.
    pub const BILLING_REVERSE: &str = "billing_reverse";
    /// → `Vec<BillingRunView>`.
    pub const BILLING_RUNS: &str = "billing_runs";
    /// `req: OpenReportRequest` → `()`: opens a billing run's report with the default app.
    pub const OPEN_REPORT: &str = "open_report";

    // The window.
    /// `req: RememberRequest` → `()`: keeps (or forgets) one value of where the user is.
    pub const REMEMBER_VIEW: &str = "remember_view";
    /// → `ViewMemoryView`: what the window kept before it was closed. The UI calls it once,
    /// right after its frame is painted (the desktop measurements time it).
    pub const RECALL_VIEW: &str = "recall_view";

    // Updates of the desktop app (`crate::updates`).
    /// → `UpdateView`: what the updater knows now (never touches the network).
    pub const UPDATE_STATUS: &str = "update_status";
    /// → `UpdateView`: asks the release server now ("Check now").
    pub const CHECK_UPDATE: &str = "check_update";
    /// → `UpdateView`: starts installing the update on offer (after a running sync ends);
    /// follow it with `update_status`.
    pub const INSTALL_UPDATE: &str = "install_update";
    /// → `()`: restarts the app into the installed version (refused unless one is installed).
    pub const RESTART_APP: &str = "restart_app";

    /// Every command name, so the shell can test that each is registered.
    pub const ALL: &[&str] = &[
        GET_STATUS,
        APP_STATE,
        START_DEMO,
        LIST_CONNECTIONS,
        CHECK_KIMAI,
        CHECK_ZAMMAD,
        SAVE_KIMAI,
        SAVE_ZAMMAD,
        REMOVE_CONNECTION,
        TEST_CONNECTION,
        KIMAI_CATALOG,
        MAPPING_SUGGESTIONS,
        DASHBOARD,
        LIST_ENTRIES,
        ENTRY_DETAIL,
        RETRY_ENTRY,
        CONFIRM_UNIT,
        DECIDE_TWIN,
        PREVIEW_SYNC,
        FIRST_SYNC_GO_AHEAD,
        LIST_CONFLICTS,
        RESOLVE_CONFLICTS,
        LIST_RUNS,
        RUN_AUDIT,
        UNDO_PREVIEW,
        UNDO_RUN,
        GET_MAPPINGS,
        SAVE_MAPPINGS,
        GET_SETTINGS,
        SAVE_SETTINGS,
        SYNC_NOW,
        SCHEDULE_STATUS,
        SET_PAUSED,
        TRAY_STATE,
        BILLING_PREVIEW,
        BILLING_APPLY,
        BILLING_REVERSE,
        BILLING_RUNS,
        OPEN_REPORT,
        REMEMBER_VIEW,
        RECALL_VIEW,
        UPDATE_STATUS,
        CHECK_UPDATE,
        INSTALL_UPDATE,
        RESTART_APP,
    ];
}

/// Names of events the shell emits to the UI (`area://what`). Most only trigger refetches;
/// `sync://progress` carries a [`crate::sync::SyncProgress`].
pub mod event {
    /// The status (connections, schema) changed; the UI refetches it.
    pub const STATUS_CHANGED: &str = "status://changed";
    /// Payload [`crate::sync::SyncProgress`]: a run started, moved on or finished (also runs
    /// started from the tray or the schedule).
    pub const SYNC_PROGRESS: &str = "sync://progress";
    /// A run finished (no payload): refetch dashboard, entries, conflicts and history.
    pub const SYNC_FINISHED: &str = "sync://finished";
    /// Payload [`crate::sync::ScheduleView`]: the schedule's state changed.
    pub const SCHEDULE_CHANGED: &str = "schedule://changed";
    /// The tray's "Review N conflicts…" was chosen: show the conflicts page.
    pub const SHOW_CONFLICTS: &str = "nav://conflicts";
    /// Payload [`crate::updates::UpdateView`]: the updater's state changed (a check at start
    /// or the daily one found a version, an install finished or failed).
    pub const UPDATE_CHANGED: &str = "update://changed";

    /// Every event name (for the capability file and tests).
    pub const ALL: &[&str] = &[
        STATUS_CHANGED,
        SYNC_PROGRESS,
        SYNC_FINISHED,
        SCHEDULE_CHANGED,
        SHOW_CONFLICTS,
        UPDATE_CHANGED,
    ];
}

#[cfg(test)]
mod tests;
