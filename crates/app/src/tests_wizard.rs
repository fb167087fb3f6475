//! The first-run wizard and settings through the facade, against the simulators: specific
//! check problems, saving (token to the secret store only), the catalog, schedule settings
//! taking effect, and the error codes the UI branches on.

use std::sync::Arc;
use timebridge_types::dashboard::GoAheadRequest;

use timebridge_types::settings::{Language, SchedulePreset};
use timebridge_types::setup::{KimaiForm, TimeUnitDto, ZammadForm};
use timebridge_types::sync::TrayState;
use timebridge_types::ErrorCode;

use super::test_support::test_now;
use super::{tray_view, App, DemoWorld};
use timebridge_core::ops::Workspace;
use timebridge_core::schedule::{LastRun, ScheduleStatus, SchedulerState, SyncOutcome, Trigger};
use timebridge_core::secrets::{MemoryStore, SecretStore};
use timebridge_core::setup::{zammad_account, KIMAI_ACCOUNT};
use timebridge_core::{Actor, Clock, Core, DataDir};

fn app(tmp: &tempfile::TempDir) -> (App, Arc<MemoryStore>) {
    let core = Core::open(DataDir::at(tmp.path()), None).unwrap();
    let secrets = Arc::new(MemoryStore::default());
    let app = App::with_clock(Arc::new(core), secrets.clone(), Clock::fixed(test_now()));
    (app.unwrap(), secrets)
}

fn kimai_form(url: &str, token: &str) -> KimaiForm {
    KimaiForm {
        name: "Kimai".into(),
        url: url.into(),
        token: token.into(),
        allow_insecure_http: false,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_wizard_checks_saves_and_loads_the_catalog() {
    let tmp = tempfile::tempdir().unwrap();
    let (app, secrets) = app(&tmp);
    let (_world, urls) = DemoWorld::start(&Clock::fixed(test_now())).await.unwrap();
    let (kimai_url, zammad_url) = (&urls[0], &urls[1]);

    let wrong = app.check_kimai(&kimai_form(kimai_url, "nope")).await;
    assert!(!wrong.ok);
    assert_eq!(wrong.problem.unwrap().code, "auth_failed");
    let swapped = app
        .check_kimai(&kimai_form(zammad_url, "demo-kimai-token"))
        .await;
    assert_eq!(swapped.problem.unwrap().code, "not_kimai");
    let err = app
        .save_kimai(&kimai_form(kimai_url, "nope"))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::AuthFailed);
    assert!(
        app.list_connections().unwrap().is_empty(),
        "a failed save stores nothing"
    );
    assert!(secrets.get(KIMAI_ACCOUNT).unwrap().is_none());
    let sync = app.sync_now().await.unwrap_err();
    assert_eq!(sync.code, ErrorCode::NotConfigured, "{sync:?}");

    let ok = app
        .check_kimai(&kimai_form(kimai_url, "demo-kimai-token"))
        .await;
    assert!(ok.ok, "{ok:?}");
    assert_eq!(ok.timezone.as_deref(), Some("Europe/Berlin"));
    let kimai = app
        .save_kimai(&kimai_form(kimai_url, " demo-kimai-token\n"))
        .await
        .unwrap();
    assert!(kimai.token_stored);
    assert_eq!(
        secrets.get(KIMAI_ACCOUNT).unwrap().unwrap().expose(),
        "demo-kimai-token"
    );
    assert_eq!(
        app.get_settings().unwrap().billing_timezone.as_deref(),
        Some("Europe/Berlin"),
        "the Kimai user's timezone becomes the billing timezone"
    );
    let form = ZammadForm {
        name: "Acme".into(),
        key: "acme".into(),
        url: zammad_url.clone(),
        token: "demo-zammad-acme-token".into(),
        time_unit: TimeUnitDto::Hours,
        allow_insecure_http: false,
        unit_differs_from_zammad: false,
    };
    // The helpdesk's setting says "minute": the check names it, and hours must be confirmed.
    assert_eq!(
        app.check_zammad(&form).await.time_unit,
        Some(TimeUnitDto::Minutes)
    );
    let differs = app.save_zammad(&form).await.unwrap_err();
    assert_eq!(differs.code, ErrorCode::Validation);
    assert!(differs.message.contains("15 hours"), "{differs:?}");
    assert!(app.list_connections().unwrap().len() == 1, "nothing stored");
    let form = ZammadForm {
        time_unit: TimeUnitDto::Minutes,
        ..form
    };
    let zammad = app.save_zammad(&form).await.unwrap();
    assert_eq!(zammad.time_unit, Some(TimeUnitDto::Minutes));
    assert_eq!(
        app.save_zammad(&form).await.unwrap_err().code,
        ErrorCode::Validation
    );
    // A second key over the same helpdesk would book its entries twice: refused, as the CLI
    // refuses it (one rule in the core).
    let second = ZammadForm {
        name: "Acme again".into(),
        key: "acme2".into(),
        ..form.clone()
    };
    let refused = app.save_zammad(&second).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::Validation);
    assert!(
        refused.message.contains("is already the connection"),
        "{refused:?}"
    );
    assert_eq!(app.list_connections().unwrap().len(), 2);
    assert!(app.test_connection(zammad.id).await.unwrap().ok);

    let catalog = app.kimai_catalog().await.unwrap();
    assert!(catalog.customers.iter().any(|c| c.name == "Globex AG"));
    assert!(catalog
        .projects
        .iter()
        .any(|p| p.name == "Acme Support" && p.customer == 1));
    // A new helpdesk's first sync waits for the go-ahead: planned, shown, nothing done.
    let held = app.sync_now().await.unwrap();
    assert_eq!(held.outcome, "ok");
    assert_eq!(held.awaiting_go_ahead, vec!["acme".to_string()]);
    assert_eq!((held.created, held.parked), (0, 0), "{held:?}");
    let waiting = app.first_sync_views().unwrap();
    assert_eq!(waiting.len(), 1);
    assert!(waiting[0].planned && waiting[0].parked > 0, "{waiting:?}");
    assert_eq!(waiting[0].name, form.name);
    // The card's box decides the rewrite, also against an earlier "on".
    let store = app.core().store();
    let key = timebridge_core::sync::entries::InstanceKey::new("acme").unwrap();
    let mut instance = store.instance(&key).unwrap().unwrap();
    instance.settings.rewrite_previous = true;
    store.save_instance(&instance).unwrap();
    let go = GoAheadRequest {
        instance: "acme".into(),
        rewrite_previous: false,
    };
    let result = app.first_sync_go_ahead(&go).await.unwrap();
    let settings = store.instance(&key).unwrap().unwrap().settings;
    assert!(!settings.rewrite_previous && !settings.awaiting_go_ahead);
    assert_eq!(result.outcome, "ok");
    assert!(result.awaiting_go_ahead.is_empty());
    assert!(result.parked > 0, "nothing is mapped yet: {result:?}");
    assert!(app.first_sync_views().unwrap().is_empty());
    assert_eq!(
        app.first_sync_go_ahead(&go).await.unwrap_err().code,
        ErrorCode::Validation,
        "it went ahead already"
    );

    app.remove_connection(zammad.id).unwrap();
    assert!(
        secrets.get(&zammad_account("acme")).unwrap().is_none(),
        "its token went too"
    );
    assert_eq!(app.list_connections().unwrap().len(), 1);
    let db = std::fs::read(app.core().data_dir().database_file()).unwrap();
    assert!(!String::from_utf8_lossy(&db).contains("demo-kimai-token"));
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_apply_to_the_scheduler_and_persist() {
    let tmp = tempfile::tempdir().unwrap();
    let (app, _) = app(&tmp);
    let mut s = app.get_settings().unwrap();
    assert_eq!(s.schedule, SchedulePreset::Every15Minutes);
    assert!(s.notifications && !s.launch_at_login && !s.paused);
    s.schedule = SchedulePreset::Custom {
        cron: "every now and then".into(),
    };
    let err = app.save_settings(s.clone()).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    s.schedule = SchedulePreset::Hourly;
    s.paused = true;
    s.billing_timezone = Some("Mars/Olympus".into());
    assert_eq!(
        app.save_settings(s.clone()).await.unwrap_err().code,
        ErrorCode::Validation
    );
    s.billing_timezone = Some("Europe/Vienna".into());
    let saved = app.save_settings(s).await.unwrap();
    assert_eq!(saved.billing_timezone.as_deref(), Some("Europe/Vienna"));
    let status = app.schedule_status();
    assert_eq!(status.cron, "0 0 * * * *");
    assert_eq!(status.phase, timebridge_types::sync::SchedulePhase::Paused);
    drop(app);

    let (reopened, _) = self::app(&tmp);
    assert_eq!(
        reopened.schedule_status().cron,
        "0 0 * * * *",
        "read back at start"
    );
    assert!(reopened.get_settings().unwrap().paused);
    assert!(!reopened
        .set_paused(false)
        .unwrap()
        .phase
        .eq(&timebridge_types::sync::SchedulePhase::Paused));
    assert!(!reopened.get_settings().unwrap().paused);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sync_holding_the_data_dir_refuses_another_with_sync_running() {
    let tmp = tempfile::tempdir().unwrap();
    let (app, _) = app(&tmp);
    let (_world, urls) = DemoWorld::start(&Clock::fixed(test_now())).await.unwrap();
    app.save_kimai(&kimai_form(&urls[0], "demo-kimai-token"))
        .await
        .unwrap();
    let _lock = app
        .try_quiet_lock()
        .unwrap()
        .expect("no run holds the lock");
    let err = app.sync_now().await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SyncRunning, "{err:?}");
    assert!(err.retryable);
    assert_eq!(
        app.preview_sync().await.unwrap_err().code,
        ErrorCode::SyncRunning
    );
}

#[test]
fn the_tray_shows_syncing_then_errors_then_attention() {
    let at = test_now();
    let mut status = ScheduleStatus {
        state: SchedulerState::Running,
        cron: "0 */15 * * * *".into(),
        running_since: Some(at),
        last_run: None,
        next_run: None,
        consecutive_failures: 0,
        last_error: None,
        skipped_ticks: 0,
    };
    assert_eq!(
        tray_view(&status, 3, 0, Language::En).state,
        TrayState::Syncing
    );
    let finished = |outcome| LastRun {
        trigger: Trigger::Schedule,
        started_at: at,
        finished_at: at,
        outcome,
        summary: None,
        error: None,
    };
    status.state = SchedulerState::Idle;
    status.last_run = Some(finished(SyncOutcome::Failed));
    status.last_error = Some("Kimai: the token was rejected".into());
    let view = tray_view(&status, 3, 0, Language::En);
    assert_eq!(view.state, TrayState::Error);
    assert!(
        view.tooltip.contains("token was rejected"),
        "{}",
        view.tooltip
    );
    status.last_run = Some(finished(SyncOutcome::Offline));
    assert_eq!(
        tray_view(&status, 0, 0, Language::En).state,
        TrayState::Offline
    );
    status.last_run = Some(finished(SyncOutcome::Succeeded));
    let view = tray_view(&status, 2, 1, Language::En);
    assert_eq!((view.state, view.conflicts), (TrayState::NeedsAttention, 2));
    assert!(view.last_sync.is_some());
    assert_eq!(
        tray_view(&status, 0, 0, Language::En).state,
        TrayState::Idle
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tray_tooltip_follows_the_language_setting() {
    let tmp = tempfile::tempdir().unwrap();
    let (app, _) = app(&tmp);
    assert_eq!(
        app.tray_state().unwrap().tooltip,
        "Timebridge: not synced yet"
    );
    let mut s = app.get_settings().unwrap();
    s.language = Language::De;
    app.save_settings(s).await.unwrap();
    assert_eq!(
        app.tray_state().unwrap().tooltip,
        "Timebridge: noch nicht synchronisiert",
        "German at once after saving"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_stored_before_the_update_check_existed_keep_every_value_and_check_on() {
    let tmp = tempfile::tempdir().unwrap();
    let (app, _) = app(&tmp);
    // A row as an earlier version stored it: every field but `checkForUpdates`.
    let mut earlier = app.get_settings().unwrap();
    earlier.schedule = SchedulePreset::Hourly;
    earlier.paused = true;
    earlier.notifications = false;
    earlier.launch_at_login = true;
    earlier.check_for_updates = false;
    let mut row = serde_json::to_value(&earlier).unwrap();
    assert!(row
        .as_object_mut()
        .unwrap()
        .remove("checkForUpdates")
        .is_some());
    app.store()
        .set_app_setting("app.settings", &row.to_string())
        .unwrap();
    let s = app.get_settings().unwrap();
    assert_eq!(s.schedule, SchedulePreset::Hourly, "{s:?}");
    assert!(s.paused && !s.notifications && s.launch_at_login, "{s:?}");
    assert!(s.check_for_updates, "on unless switched off: {s:?}");
    let mut off = s.clone();
    off.check_for_updates = false;
    app.save_settings(off).await.unwrap();
    assert!(!app.get_settings().unwrap().check_for_updates);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_quiet_lock_waits_for_a_run_and_holds_off_the_next_one() {
    let tmp = tempfile::tempdir().unwrap();
    let (app, _) = app(&tmp);
    // A run from another process holds the data directory's lock (the CLI's `sync`).
    let store = timebridge_core::Store::open(app.store().path()).unwrap();
    let secrets = timebridge_core::secrets::MemoryStore::default();
    let other = Workspace::new(&store, &secrets, tmp.path(), Actor::Cli);
    let run = other.try_lock().unwrap().expect("no run yet");
    assert!(
        app.try_quiet_lock().unwrap().is_none(),
        "a run holds the lock"
    );
    drop(run);
    let quiet = app
        .try_quiet_lock()
        .unwrap()
        .expect("free once the run ended");
    assert!(
        other.try_lock().unwrap().is_none(),
        "the quiet lock holds off runs"
    );
    drop(quiet);
    assert!(other.try_lock().unwrap().is_some());
}
