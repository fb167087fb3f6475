//! Tauri commands: one-liners into the core's app facade (`timebridge_app`). Every
//! command takes at most one argument, `req`; errors cross as `ApiError` with a code. A command
//! that changes what the tray shows refreshes it.

use tauri::{AppHandle, Runtime, State};
use timebridge_types::billing::{
    BillingApplyRequest, BillingPreviewView, BillingQuery, BillingResultView, BillingRunView,
    OpenReportRequest,
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
use timebridge_types::{ApiError, EntryKey, ErrorCode, StatusView};

use crate::events;
use crate::state::AppState;
use crate::updates::Updates;

type Res<T> = Result<T, ApiError>;
type St<'a> = State<'a, AppState>;

/// Every command, for `invoke_handler` (the list `timebridge_types::cmd::ALL` names).
pub(crate) fn handler<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static
{
    tauri::generate_handler![
        get_status,
        app_state,
        start_demo,
        list_connections,
        check_kimai,
        check_zammad,
        save_kimai,
        save_zammad,
        remove_connection,
        test_connection,
        kimai_catalog,
        mapping_suggestions,
        dashboard,
        list_entries,
        entry_detail,
        retry_entry,
        confirm_unit,
        decide_twin,
        preview_sync,
        first_sync_go_ahead,
        list_conflicts,
        resolve_conflicts,
        list_runs,
        run_audit,
        undo_preview,
        undo_run,
        get_mappings,
        save_mappings,
        get_settings,
        save_settings,
        sync_now,
        schedule_status,
        set_paused,
        tray_state,
        billing_preview,
        billing_apply,
        billing_reverse,
        billing_runs,
        open_report,
        remember_view,
        recall_view,
        update_status,
        check_update,
        install_update,
        restart_app
    ]
}

#[tauri::command]
pub(crate) async fn get_status<R: Runtime>(app: AppHandle<R>, state: St<'_>) -> Res<StatusView> {
    let mut status = state.host.status()?;
    // The desktop package's version: the one the updater compares and the installer shows.
    status.app_version = app.package_info().version.to_string();
    Ok(status)
}
#[tauri::command]
pub(crate) async fn app_state(state: St<'_>) -> Res<AppStateView> {
    state.host.app_state()
}
#[tauri::command]
pub(crate) async fn start_demo<R: Runtime>(app: AppHandle<R>, state: St<'_>) -> Res<AppStateView> {
    events::follow(&app, state.host.start_demo().await?);
    // The first sync starts at once; the window follows it through `sync://progress`.
    let handle = app.clone();
    tauri::async_runtime::spawn(async move { crate::tray::sync_now(&handle).await });
    state.host.app_state()
}
#[tauri::command]
pub(crate) async fn list_connections(state: St<'_>) -> Res<Vec<ConnectionView>> {
    state.app()?.list_connections()
}
#[tauri::command]
pub(crate) async fn check_kimai(state: St<'_>, req: KimaiForm) -> Res<CheckView> {
    Ok(state.app()?.check_kimai(&req).await)
}
#[tauri::command]
pub(crate) async fn check_zammad(state: St<'_>, req: ZammadForm) -> Res<CheckView> {
    Ok(state.app()?.check_zammad(&req).await)
}
#[tauri::command]
pub(crate) async fn save_kimai(state: St<'_>, req: KimaiForm) -> Res<ConnectionView> {
    state.app()?.save_kimai(&req).await
}
#[tauri::command]
pub(crate) async fn save_zammad(state: St<'_>, req: ZammadForm) -> Res<ConnectionView> {
    state.app()?.save_zammad(&req).await
}
#[tauri::command]
pub(crate) async fn remove_connection(state: St<'_>, req: ConnectionId) -> Res<()> {
    state.app()?.remove_connection(req.id)
}
#[tauri::command]
pub(crate) async fn test_connection(state: St<'_>, req: ConnectionId) -> Res<CheckView> {
    state.app()?.test_connection(req.id).await
}
#[tauri::command]
pub(crate) async fn kimai_catalog(state: St<'_>) -> Res<KimaiCatalogView> {
    state.app()?.kimai_catalog().await
}
#[tauri::command]
pub(crate) async fn mapping_suggestions(state: St<'_>) -> Res<Vec<MappingSuggestion>> {
    state.app()?.mapping_suggestions().await
}
#[tauri::command]
pub(crate) async fn dashboard(state: St<'_>, req: DashboardQuery) -> Res<DashboardView> {
    state.app()?.dashboard(&req).await
}
#[tauri::command]
pub(crate) async fn list_entries(state: St<'_>, req: EntryQuery) -> Res<EntryPage> {
    state.app()?.list_entries(&req)
}
#[tauri::command]
pub(crate) async fn entry_detail(state: St<'_>, req: EntryKey) -> Res<EntryDetail> {
    state.app()?.entry_detail(&req)
}
#[tauri::command]
pub(crate) async fn retry_entry<R: Runtime>(
    app: AppHandle<R>,
    state: St<'_>,
    req: EntryKey,
) -> Res<bool> {
    let result = state.app()?.retry_entry(&req);
    crate::tray::refresh_tray(&app);
    result
}
#[tauri::command]
pub(crate) async fn decide_twin<R: Runtime>(
    app: AppHandle<R>,
    state: St<'_>,
    req: TwinAnswer,
) -> Res<bool> {
    let result = state.app()?.decide_twin(&req);
    crate::tray::refresh_tray(&app);
    result
}
#[tauri::command]
pub(crate) async fn confirm_unit(state: St<'_>, req: ConfirmUnitRequest) -> Res<ConnectionView> {
    state.app()?.confirm_unit(&req).await
}
#[tauri::command]
pub(crate) async fn preview_sync(state: St<'_>) -> Res<SyncPreviewView> {
    state.app()?.preview_sync().await
}
#[tauri::command]
pub(crate) async fn list_conflicts(state: St<'_>) -> Res<Vec<ConflictView>> {
    state.app()?.list_conflicts()
}
#[tauri::command]
pub(crate) async fn resolve_conflicts<R: Runtime>(
    app: AppHandle<R>,
    state: St<'_>,
    req: ResolveRequest,
) -> Res<ResolveResult> {
    let result = state.app()?.resolve_conflicts(&req);
    crate::tray::refresh_tray(&app);
    result
}
#[tauri::command]
pub(crate) async fn list_runs(state: St<'_>, req: RunsQuery) -> Res<Vec<RunView>> {
    state.app()?.list_runs(req.limit)
}
#[tauri::command]
pub(crate) async fn run_audit(state: St<'_>, req: RunId) -> Res<Vec<AuditView>> {
    state.app()?.run_audit(req.id)
}
#[tauri::command]
pub(crate) async fn undo_preview(state: St<'_>, req: RunId) -> Res<UndoView> {
    state.app()?.undo_preview(req.id).await
}
#[tauri::command]
pub(crate) async fn undo_run(state: St<'_>, req: RunId) -> Res<UndoView> {
    state.app()?.undo_run(req.id).await
}
#[tauri::command]
pub(crate) async fn get_mappings(state: St<'_>) -> Res<Vec<InstanceMappingsView>> {
    state.app()?.get_mappings()
}
#[tauri::command]
pub(crate) async fn save_mappings(
    state: St<'_>,
    req: InstanceMappingsView,
) -> Res<InstanceMappingsView> {
    state.app()?.save_mappings(req)
}
#[tauri::command]
pub(crate) async fn get_settings(state: St<'_>) -> Res<SettingsView> {
    state.app()?.get_settings()
}
#[tauri::command]
pub(crate) async fn save_settings<R: Runtime>(
    app: AppHandle<R>,
    state: St<'_>,
    req: SettingsView,
) -> Res<SettingsView> {
    let saved = state.app()?.save_settings(req).await?;
    crate::tray::refresh_tray(&app);
    crate::autostart::apply(&app, saved.launch_at_login).map_err(|message| {
        ApiError::new(
            ErrorCode::Internal,
            format!("Settings saved, but {message}"),
        )
    })?;
    Ok(saved)
}
#[tauri::command]
pub(crate) async fn sync_now(state: St<'_>) -> Res<SyncResultView> {
    state.app()?.sync_now().await
}
#[tauri::command]
pub(crate) async fn first_sync_go_ahead(state: St<'_>, req: GoAheadRequest) -> Res<SyncResultView> {
    state.app()?.first_sync_go_ahead(&req).await
}
#[tauri::command]
pub(crate) async fn schedule_status(state: St<'_>) -> Res<ScheduleView> {
    Ok(state.app()?.schedule_status())
}
#[tauri::command]
pub(crate) async fn set_paused<R: Runtime>(
    app: AppHandle<R>,
    state: St<'_>,
    req: PauseRequest,
) -> Res<ScheduleView> {
    let view = state.app()?.set_paused(req.paused);
    crate::tray::refresh_tray(&app);
    view
}
#[tauri::command]
pub(crate) async fn tray_state(state: St<'_>) -> Res<TrayView> {
    state.app()?.tray_state()
}
#[tauri::command]
pub(crate) async fn billing_preview(state: St<'_>, req: BillingQuery) -> Res<BillingPreviewView> {
    state.app()?.billing_preview(&req).await
}
#[tauri::command]
pub(crate) async fn billing_apply(
    state: St<'_>,
    req: BillingApplyRequest,
) -> Res<BillingResultView> {
    state.app()?.billing_apply(&req).await
}
#[tauri::command]
pub(crate) async fn billing_reverse(state: St<'_>, req: RunId) -> Res<BillingResultView> {
    state.app()?.billing_reverse(req.id).await
}
#[tauri::command]
pub(crate) async fn billing_runs(state: St<'_>) -> Res<Vec<BillingRunView>> {
    state.app()?.billing_runs()
}
#[tauri::command]
pub(crate) async fn open_report<R: Runtime>(
    app: AppHandle<R>,
    state: St<'_>,
    req: OpenReportRequest,
) -> Res<()> {
    crate::reports::open(&app, &state.app()?.billing_runs()?, req)
}
#[tauri::command]
pub(crate) async fn remember_view(state: St<'_>, req: RememberRequest) -> Res<()> {
    state.host.view_memory().remember(&req)
}
#[tauri::command]
pub(crate) async fn recall_view(state: St<'_>) -> Res<ViewMemoryView> {
    // Every load of the UI asks for this once, right after painting its frame: the desktop
    // measurements time cold starts and reopenings by this line.
    tracing::info!("window ready: the UI asked for where the user was");
    crate::trim::give_back_soon("the window opened");
    Ok(state.host.view_memory().recall())
}
#[tauri::command]
pub(crate) async fn update_status(updates: State<'_, Updates>) -> Res<UpdateView> {
    Ok(updates.view())
}
#[tauri::command]
pub(crate) async fn check_update<R: Runtime>(app: AppHandle<R>) -> Res<UpdateView> {
    Ok(crate::updates::check(&app).await)
}
#[tauri::command]
pub(crate) async fn install_update<R: Runtime>(app: AppHandle<R>) -> Res<UpdateView> {
    crate::updates::install(&app)
}
#[tauri::command]
pub(crate) async fn restart_app<R: Runtime>(app: AppHandle<R>) -> Res<()> {
    crate::updates::restart(&app)
}
