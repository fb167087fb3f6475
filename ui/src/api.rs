//! One typed async function per command. Components call these, never `ipc` directly, so a
//! renamed command or request type is a compile error here and nowhere else.

use timebridge_types::billing::{
    BillingApplyRequest, BillingPreviewView, BillingQuery, BillingResultView, BillingRunView,
    OpenReportRequest, ReportFormat,
};
use timebridge_types::conflicts::{ConflictView, ResolveRequest, ResolveResult};
use timebridge_types::dashboard::{DashboardQuery, DashboardView, GoAheadRequest};
use timebridge_types::entries::{EntryDetail, EntryPage, EntryQuery, SyncPreviewView, TwinAnswer};
use timebridge_types::history::{AuditView, RunId, RunView, RunsQuery, UndoView};
use timebridge_types::settings::{InstanceMappingsView, SettingsView};
use timebridge_types::setup::{
    AppStateView, CheckView, ConfirmUnitRequest, ConnectionId, ConnectionView, KimaiCatalogView,
    KimaiForm, MappingSuggestion, ZammadForm,
};
use timebridge_types::sync::{PauseRequest, ScheduleView, SyncResultView, TrayView};
use timebridge_types::updates::UpdateView;
use timebridge_types::view::{RememberRequest, ViewMemoryView};
use timebridge_types::{cmd, ApiError, EntryKey, StatusView};

use crate::ipc::call;

type Res<T> = Result<T, ApiError>;

/// Calls a command without a request.
async fn get<T: serde::de::DeserializeOwned>(name: &str) -> Res<T> {
    call::<(), T>(name, None).await
}

/// The status page's data, or the start-up error.
pub(crate) async fn get_status() -> Res<StatusView> {
    get(cmd::GET_STATUS).await
}
/// First run, normal or demo.
pub(crate) async fn app_state() -> Res<AppStateView> {
    get(cmd::APP_STATE).await
}
/// "Try with demo data".
pub(crate) async fn start_demo() -> Res<AppStateView> {
    get(cmd::START_DEMO).await
}
/// The configured connections (never a token).
pub(crate) async fn list_connections() -> Res<Vec<ConnectionView>> {
    get(cmd::LIST_CONNECTIONS).await
}
/// Checks a Kimai form without storing it.
pub(crate) async fn check_kimai(req: &KimaiForm) -> Res<CheckView> {
    call(cmd::CHECK_KIMAI, Some(req)).await
}
/// Checks a Zammad form without storing it.
pub(crate) async fn check_zammad(req: &ZammadForm) -> Res<CheckView> {
    call(cmd::CHECK_ZAMMAD, Some(req)).await
}
/// Checks and stores the Kimai connection (token to the keychain).
pub(crate) async fn save_kimai(req: &KimaiForm) -> Res<ConnectionView> {
    call(cmd::SAVE_KIMAI, Some(req)).await
}
/// Checks and stores a Zammad connection (token to the keychain).
pub(crate) async fn save_zammad(req: &ZammadForm) -> Res<ConnectionView> {
    call(cmd::SAVE_ZAMMAD, Some(req)).await
}
/// Removes a connection and its token.
pub(crate) async fn remove_connection(id: i64) -> Res<()> {
    call(cmd::REMOVE_CONNECTION, Some(&ConnectionId { id })).await
}
/// Tests a stored connection with its stored token.
pub(crate) async fn test_connection(id: i64) -> Res<CheckView> {
    call(cmd::TEST_CONNECTION, Some(&ConnectionId { id })).await
}
/// Kimai customers, projects and activities.
pub(crate) async fn kimai_catalog() -> Res<KimaiCatalogView> {
    get(cmd::KIMAI_CATALOG).await
}
/// Mapping suggestions to confirm (never applied on their own).
pub(crate) async fn mapping_suggestions() -> Res<Vec<MappingSuggestion>> {
    get(cmd::MAPPING_SUGGESTIONS).await
}
/// The dashboard of a month (`None`: this month).
pub(crate) async fn dashboard(req: &DashboardQuery) -> Res<DashboardView> {
    call(cmd::DASHBOARD, Some(req)).await
}
/// One page of entries.
pub(crate) async fn list_entries(req: &EntryQuery) -> Res<EntryPage> {
    call(cmd::LIST_ENTRIES, Some(req)).await
}
/// One entry in detail.
pub(crate) async fn entry_detail(req: &EntryKey) -> Res<EntryDetail> {
    call(cmd::ENTRY_DETAIL, Some(req)).await
}
/// Sends a refused entry again at the next sync.
pub(crate) async fn retry_entry(req: &EntryKey) -> Res<bool> {
    call(cmd::RETRY_ENTRY, Some(req)).await
}

/// The user's word on an entry waiting as a possible twin.
pub(crate) async fn decide_twin(req: &TwinAnswer) -> Res<bool> {
    call(cmd::DECIDE_TWIN, Some(req)).await
}

/// Confirms what one unit of a helpdesk means after its unit setting changed.
pub(crate) async fn confirm_unit(req: &ConfirmUnitRequest) -> Res<ConnectionView> {
    call(cmd::CONFIRM_UNIT, Some(req)).await
}
/// A helpdesk's first sync goes ahead (held for the user's word until now).
pub(crate) async fn first_sync_go_ahead(req: &GoAheadRequest) -> Res<SyncResultView> {
    call(cmd::FIRST_SYNC_GO_AHEAD, Some(req)).await
}
/// What the next sync would do.
pub(crate) async fn preview_sync() -> Res<SyncPreviewView> {
    get(cmd::PREVIEW_SYNC).await
}
/// Open conflicts.
pub(crate) async fn list_conflicts() -> Res<Vec<ConflictView>> {
    get(cmd::LIST_CONFLICTS).await
}
/// Stores decisions (works offline; applied at the next sync).
pub(crate) async fn resolve_conflicts(req: &ResolveRequest) -> Res<ResolveResult> {
    call(cmd::RESOLVE_CONFLICTS, Some(req)).await
}
/// The latest runs.
pub(crate) async fn list_runs(limit: u32) -> Res<Vec<RunView>> {
    call(cmd::LIST_RUNS, Some(&RunsQuery { limit })).await
}
/// What a run wrote.
pub(crate) async fn run_audit(id: i64) -> Res<Vec<AuditView>> {
    call(cmd::RUN_AUDIT, Some(&RunId { id })).await
}
/// What undoing a run would do (writes nothing).
pub(crate) async fn undo_preview(id: i64) -> Res<UndoView> {
    call(cmd::UNDO_PREVIEW, Some(&RunId { id })).await
}
/// Undoes a run.
pub(crate) async fn undo_run(id: i64) -> Res<UndoView> {
    call(cmd::UNDO_RUN, Some(&RunId { id })).await
}
/// Every helpdesk's mappings.
pub(crate) async fn get_mappings() -> Res<Vec<InstanceMappingsView>> {
    get(cmd::GET_MAPPINGS).await
}
/// Replaces one helpdesk's mappings.
pub(crate) async fn save_mappings(req: &InstanceMappingsView) -> Res<InstanceMappingsView> {
    call(cmd::SAVE_MAPPINGS, Some(req)).await
}
/// The app's settings.
pub(crate) async fn get_settings() -> Res<SettingsView> {
    get(cmd::GET_SETTINGS).await
}
/// Saves the settings (schedule and pause take effect at once).
pub(crate) async fn save_settings(req: &SettingsView) -> Res<SettingsView> {
    call(cmd::SAVE_SETTINGS, Some(req)).await
}
/// Runs a sync now; progress arrives as `sync://progress` events.
pub(crate) async fn sync_now() -> Res<SyncResultView> {
    get(cmd::SYNC_NOW).await
}
/// The background schedule.
pub(crate) async fn schedule_status() -> Res<ScheduleView> {
    get(cmd::SCHEDULE_STATUS).await
}
/// Pauses or resumes background sync.
pub(crate) async fn set_paused(paused: bool) -> Res<ScheduleView> {
    call(cmd::SET_PAUSED, Some(&PauseRequest { paused })).await
}
/// The tray's state (the window shows the same counts).
pub(crate) async fn tray_state() -> Res<TrayView> {
    get(cmd::TRAY_STATE).await
}
/// A billing preview.
pub(crate) async fn billing_preview(req: &BillingQuery) -> Res<BillingPreviewView> {
    call(cmd::BILLING_PREVIEW, Some(req)).await
}
/// Applies a billing run.
pub(crate) async fn billing_apply(req: &BillingApplyRequest) -> Res<BillingResultView> {
    call(cmd::BILLING_APPLY, Some(req)).await
}
/// Reverses a billing run.
pub(crate) async fn billing_reverse(id: i64) -> Res<BillingResultView> {
    call(cmd::BILLING_REVERSE, Some(&RunId { id })).await
}
/// Billing runs, newest first.
pub(crate) async fn billing_runs() -> Res<Vec<BillingRunView>> {
    get(cmd::BILLING_RUNS).await
}
/// Opens a billing run's report with the system's default application.
pub(crate) async fn open_report(run_id: i64, format: ReportFormat) -> Res<()> {
    call(
        cmd::OPEN_REPORT,
        Some(&OpenReportRequest { run_id, format }),
    )
    .await
}
/// Keeps (or forgets) one value of where the user is, in the core.
pub(crate) async fn remember_view(key: &str, value: Option<String>) -> Res<()> {
    let req = RememberRequest {
        key: key.to_string(),
        value,
    };
    call(cmd::REMEMBER_VIEW, Some(&req)).await
}
/// Where the user was before the window closed.
pub(crate) async fn recall_view() -> Res<ViewMemoryView> {
    get(cmd::RECALL_VIEW).await
}
/// What the updater knows (no network).
pub(crate) async fn update_status() -> Res<UpdateView> {
    get(cmd::UPDATE_STATUS).await
}
/// Asks the release server now.
pub(crate) async fn check_update() -> Res<UpdateView> {
    get(cmd::CHECK_UPDATE).await
}
/// Starts installing the version on offer.
pub(crate) async fn install_update() -> Res<UpdateView> {
    get(cmd::INSTALL_UPDATE).await
}
/// Restarts into the installed version.
pub(crate) async fn restart_app() -> Res<()> {
    get(cmd::RESTART_APP).await
}
