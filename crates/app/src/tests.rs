//! The facade against the demo world: the simulators in-process, a real SQLite file, the
//! whole path the UI takes — sync, dashboard, entries, conflicts decided offline, history,
//! undo preview against the undo itself.

use std::sync::Arc;

use rust_decimal::Decimal;
use timebridge_types::conflicts::{Decision, ResolveRequest};
use timebridge_types::dashboard::DashboardQuery;
use timebridge_types::entries::{EntryQuery, EntryState};
use timebridge_types::sync::TrayState;
use timebridge_types::{EntryKey, ErrorCode, Field};

use super::test_support::{at, host, host_at};
use super::{App, Host};

async fn synced_demo(tmp: &tempfile::TempDir) -> (Host, Arc<App>) {
    let host = host(tmp);
    assert_eq!(
        host.app_state().unwrap().mode,
        timebridge_types::setup::AppMode::FirstRun
    );
    let app = host.start_demo().await.expect("the demo starts");
    let result = app.sync_now().await.expect("the demo syncs");
    assert_eq!(result.outcome, "ok", "{:?}", result.error);
    assert!(result.created > 0, "{result:?}");
    (host, app)
}

fn first(app: &App, state: EntryState, instance: &str) -> EntryKey {
    let page = app
        .list_entries(&EntryQuery {
            state: Some(state),
            instance: Some(instance.into()),
            limit: 1,
            ..EntryQuery::default()
        })
        .unwrap();
    page.rows
        .first()
        .expect("an entry in that state")
        .key
        .clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_mode_syncs_and_every_page_shows_it_without_a_token_on_disk() {
    let tmp = tempfile::tempdir().unwrap();
    let (host, app) = synced_demo(&tmp).await;
    let state = host.app_state().unwrap();
    assert_eq!(state.mode, timebridge_types::setup::AppMode::Demo);
    assert_eq!((state.has_kimai, state.zammad_count), (true, 2));
    assert!(state.data_dir.ends_with("demo"), "{}", state.data_dir);

    let suggestions = app.mapping_suggestions().await.unwrap();
    let acme = suggestions
        .iter()
        .find(|s| s.organization.name == "Acme Logistics")
        .expect("the unmapped organization gets a suggestion");
    assert_eq!(
        (acme.instance.as_str(), acme.customer.name.as_str()),
        ("acme", "Acme GmbH")
    );
    assert!(
        suggestions
            .iter()
            .all(|s| s.organization.name != "Acme GmbH"),
        "mapped organizations get none: {suggestions:?}"
    );

    let dash = app.dashboard(&DashboardQuery::default()).await.unwrap();
    assert_eq!(dash.totals_unavailable, None);
    assert!(dash.counts.synced > 0, "{:?}", dash.counts);
    assert!(
        dash.counts.needs_mapping > 0,
        "Acme Logistics is left unmapped: {:?}",
        dash.counts
    );
    assert!(dash
        .hours_by_customer
        .iter()
        .any(|c| c.customer == "Acme GmbH"));
    assert!(
        dash.schedule.last.is_some(),
        "the manual run is the last sync"
    );

    let all = app
        .list_entries(&EntryQuery {
            limit: 500,
            ..EntryQuery::default()
        })
        .unwrap();
    let window = app
        .list_entries(&EntryQuery {
            offset: 3,
            limit: 5,
            ..EntryQuery::default()
        })
        .unwrap();
    assert_eq!(window.total, all.total);
    assert_eq!(
        window.rows,
        all.rows[3..8].to_vec(),
        "a window is a slice of the list"
    );
    let synced = all
        .rows
        .iter()
        .filter(|r| r.state == EntryState::Synced)
        .count() as u32;
    assert_eq!(synced, dash.counts.synced);

    let key = first(&app, EntryState::Synced, "globex");
    let detail = app.entry_detail(&key).unwrap();
    let zammad = detail.zammad.expect("Zammad's side");
    assert_eq!(
        zammad.project.name, "Globex Helpdesk",
        "names from Kimai's catalog"
    );
    assert!(detail.placement.is_some() && detail.timesheet_id.is_some());

    let runs = app.list_runs(10).unwrap();
    assert!(runs[0].undoable && runs[0].mode == "sync");
    assert_eq!(
        app.run_audit(runs[0].id).unwrap().len() as u32,
        runs[0].created
    );
    // An unknown run is not a run that wrote nothing.
    assert_eq!(
        app.run_audit(runs[0].id + 1000).unwrap_err().code,
        ErrorCode::NotFound
    );
    assert_eq!(app.tray_state().unwrap().state, TrayState::NeedsAttention);

    let db = std::fs::read(app.core().data_dir().database_file()).unwrap();
    let text = String::from_utf8_lossy(&db);
    assert!(!text.contains("demo-kimai-token") && !text.contains("-token"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_conflict_is_shown_side_by_side_decided_offline_and_applied_by_the_next_sync() {
    let tmp = tempfile::tempdir().unwrap();
    let (_host, app) = synced_demo(&tmp).await;
    // An entry with room before it on its day: 200 minutes ending at its booking time must not
    // reach back past midnight (there the span would start at 00:00 and its end move too).
    let key = app
        .list_entries(&EntryQuery {
            state: Some(EntryState::Synced),
            instance: Some("acme".into()),
            limit: 500,
            ..EntryQuery::default()
        })
        .unwrap()
        .rows
        .into_iter()
        .find(|r| r.begin.as_deref().is_some_and(|b| &b[11..13] >= "04"))
        .expect("a synced entry beginning after 04:00")
        .key;
    let ts = app.entry_detail(&key).unwrap().timesheet_id.unwrap() as u64;
    let world = app.demo_world().unwrap();
    assert!(world.kimai.edit_timesheet_as_human(ts, |t| {
        t.description = Some("edited by hand".into());
    }));
    let acme = &world.zammad.iter().find(|(k, _)| k == "acme").unwrap().1;
    assert!(acme.update_time_accounting_as_admin(
        key.time_accounting_id,
        Some(Decimal::from(200)),
        None
    ));
    let result = app.sync_now().await.unwrap();
    assert_eq!(result.conflicts, 1, "{result:?}");

    let conflicts = app.list_conflicts().unwrap();
    let c = conflicts
        .iter()
        .find(|c| c.key == key)
        .expect("the conflict");
    assert_eq!(c.kind, "both_changed");
    // Zammad's new duration moves the start (the entry still ends when it was booked); the
    // description is the hand edit in Kimai.
    assert_eq!(c.differing, vec![Field::Begin, Field::Description], "{c:?}");
    assert!(c.zammad.is_some() && c.kimai.is_some() && c.base.is_some());
    assert!(!c.reason.is_empty() && c.decided.is_none());

    let other = first(&app, EntryState::Synced, "acme");
    let stored = app
        .resolve_conflicts(&ResolveRequest {
            keys: vec![key.clone(), other.clone()],
            decision: Decision::TakeZammad,
        })
        .unwrap();
    assert_eq!(stored.stored, vec![key.clone()]);
    assert_eq!(stored.refused.len(), 1, "no conflict on {}", other.label());
    let edit = app.resolve_conflicts(&ResolveRequest {
        keys: vec![key.clone()],
        decision: Decision::Edit {
            begin: String::new(),
            end: String::new(),
            project: 1,
            activity: 1,
            description: String::new(),
        },
    });
    assert_eq!(edit.unwrap_err().code, ErrorCode::Validation, "no times");
    assert_eq!(
        app.list_conflicts().unwrap()[0].decided,
        Some(Decision::TakeZammad)
    );

    let result = app.sync_now().await.unwrap();
    assert_eq!(
        (result.outcome.as_str(), result.updated),
        ("ok", 1),
        "{result:?}"
    );
    assert!(app.list_conflicts().unwrap().is_empty());
    let now = world.kimai.timesheet(ts).unwrap();
    assert_ne!(
        now.description.as_deref(),
        Some("edited by hand"),
        "Zammad's version won"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_undo_preview_foresees_the_undo_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (_host, app) = synced_demo(&tmp).await;
    let run = app.list_runs(1).unwrap()[0].clone();
    let key = first(&app, EntryState::Synced, "acme");
    let ts = app.entry_detail(&key).unwrap().timesheet_id.unwrap() as u64;
    let world = app.demo_world().unwrap();
    world
        .kimai
        .edit_timesheet_as_human(ts, |t| t.description = Some("mine now".into()));

    let runs_before = app.list_runs(100).unwrap().len();
    let kimai_before = world.kimai.timesheets();
    let preview = app.undo_preview(run.id).await.unwrap();
    assert!(preview.preview && preview.run_id.is_none());
    assert_eq!(
        app.list_runs(100).unwrap().len(),
        runs_before,
        "no run recorded"
    );
    assert_eq!(
        world.kimai.timesheets(),
        kimai_before,
        "nothing written to Kimai"
    );
    let blocked: Vec<_> = preview
        .not_undone
        .iter()
        .map(|n| (n.key.clone(), n.code.clone()))
        .collect();
    assert_eq!(blocked, vec![(key.clone(), "changed_in_kimai".to_string())]);
    assert_eq!(preview.undone.len() as u32, run.created - 1);
    assert!(preview.undone.iter().all(|u| u.code == "deleted"));

    let undo = app.undo_run(run.id).await.unwrap();
    assert!(!undo.preview && undo.run_id.is_some());
    let codes = |v: &[timebridge_types::history::UndoItem]| {
        v.iter()
            .map(|i| (i.key.clone(), i.code.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        codes(&undo.undone),
        codes(&preview.undone),
        "the preview foresaw the undo"
    );
    assert_eq!(codes(&undo.not_undone), codes(&preview.not_undone));
    let again = app.undo_preview(run.id).await.unwrap();
    assert!(
        again.undone.iter().all(|u| u.code == "already_undone"),
        "{again:?}"
    );
}

/// The demo on the hardest days for "this month": the dashboard's default month is the
/// current month in the billing timezone, which on the 1st shortly after midnight has only
/// minutes in it (and in UTC is still the previous day); billing's default month is the
/// previous month, complete.
#[tokio::test(flavor = "multi_thread")]
async fn the_demo_dashboard_has_this_months_hours_on_the_first_just_after_midnight() {
    for now in ["2026-11-30T23:30:00Z", "2026-12-31T23:30:00Z"] {
        let tmp = tempfile::tempdir().unwrap();
        let host = host_at(&tmp, at(now));
        let app = host.start_demo().await.expect("the demo starts");
        let result = app.sync_now().await.expect("the demo syncs");
        assert_eq!(result.outcome, "ok", "{:?}", result.error);
        let dash = app.dashboard(&DashboardQuery::default()).await.unwrap();
        for customer in ["Acme GmbH", "Globex AG"] {
            assert!(
                dash.hours_by_customer
                    .iter()
                    .any(|c| c.customer == customer && c.seconds > 0),
                "{now}: {customer} has hours this month: {:?}",
                dash.hours_by_customer
            );
        }
        let billing = app
            .billing_preview(&timebridge_types::billing::BillingQuery::default())
            .await
            .unwrap();
        let this_month = at(now)
            .with_timezone(&chrono_tz::Europe::Berlin)
            .format("%Y-%m")
            .to_string();
        assert!(
            billing.month < this_month,
            "{now}: billing defaults to last month"
        );
        assert!(billing.total.entries > 0, "{now}: something to bill");
        app.scheduler().shutdown().await.unwrap();
    }
}

/// Writes Kimai refuses, as the window shows them: their own state with Kimai's words and the
/// fix, a dashboard count, a billing blocker; "Send again" lets one go out at the next sync.
#[tokio::test(flavor = "multi_thread")]
async fn refused_entries_show_with_their_cause_and_can_be_sent_again() {
    let tmp = tempfile::tempdir().unwrap();
    let host = host(&tmp);
    let app = host.start_demo().await.expect("the demo starts");
    let world = app.demo_world().unwrap();
    // Acme's mapped project takes no global activities any more: Kimai refuses its bookings.
    assert!(world
        .kimai
        .edit_project_as_admin(1, |p| p.global_activities = false));
    let result = app.sync_now().await.unwrap();
    assert_eq!(result.outcome, "ok", "{:?}", result.error);

    let refused = app
        .list_entries(&EntryQuery {
            state: Some(EntryState::Refused),
            limit: 500,
            ..EntryQuery::default()
        })
        .unwrap();
    assert!(refused.total > 0);
    let row = &refused.rows[0];
    let note = row.note.as_deref().unwrap_or_default();
    assert!(note.contains("activity_not_allowed"), "{note}");
    assert!(
        row.begin.is_some() && row.duration_seconds.is_some_and(|s| s > 0),
        "the refused write's day and duration are shown: {row:?}"
    );
    let detail = app.entry_detail(&row.key).unwrap();
    assert!(
        detail.zammad.is_some(),
        "what was sent to Kimai: {detail:?}"
    );
    let dash = app.dashboard(&DashboardQuery::default()).await.unwrap();
    assert_eq!(dash.counts.refused, refused.total, "{:?}", dash.counts);

    assert!(app.retry_entry(&row.key).unwrap());
    assert!(!app.retry_entry(&row.key).unwrap(), "no longer refused");
    let after = app
        .list_entries(&EntryQuery {
            state: Some(EntryState::Refused),
            limit: 500,
            ..EntryQuery::default()
        })
        .unwrap();
    assert_eq!(after.total, refused.total - 1);
    app.scheduler().shutdown().await.unwrap();
}

/// Every entry the sync has not booked shows what it is: a parked entry carries its ticket,
/// organization, day and exact time and is found under its own month only; entries on tickets
/// the agent can no longer read are listed as such and counted; the dashboard's ledger adds up.
#[tokio::test(flavor = "multi_thread")]
async fn unbooked_entries_show_their_zammad_facts_and_unreadable_tickets_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let (_host, app) = synced_demo(&tmp).await;
    let parked = app
        .list_entries(&EntryQuery {
            state: Some(EntryState::NeedsMapping),
            limit: 500,
            ..EntryQuery::default()
        })
        .unwrap();
    assert!(parked.total > 0);
    let row = &parked.rows[0];
    let facts = row
        .zammad
        .clone()
        .expect("a parked entry has Zammad's facts");
    assert!(facts.ticket.starts_with('#'), "{facts:?}");
    assert!(facts.organization.is_some(), "{facts:?}");
    assert!(facts.millis.is_some_and(|m| m != 0), "{facts:?}");
    assert_eq!(row.description, facts.ticket, "recognisable by its ticket");
    let month = &facts.day[..7];
    let in_month = |m: &str| {
        app.list_entries(&EntryQuery {
            state: Some(EntryState::NeedsMapping),
            month: Some(m.into()),
            limit: 500,
            ..EntryQuery::default()
        })
        .unwrap()
        .rows
        .iter()
        .any(|r| r.key == row.key)
    };
    assert!(in_month(month));
    assert!(!in_month("2020-01"), "listed under its own month only");
    let detail = app.entry_detail(&row.key).unwrap();
    assert_eq!(detail.facts.as_ref(), Some(&facts));
    assert_eq!(detail.ticket_id, Some(facts.ticket_id));

    // The dashboard's ledger: every row's parts add up to its Zammad time.
    let dash = app.dashboard(&DashboardQuery::default()).await.unwrap();
    assert!(!dash.ledger.is_empty());
    for r in &dash.ledger {
        let parts: i64 = r.parts.iter().map(|p| p.millis).sum();
        assert_eq!(parts, r.zammad_millis, "{r:?}");
    }

    // The consultant loses access to the support group of Acme's helpdesk.
    let world = app.demo_world().unwrap();
    let (_, acme) = world.zammad.iter().find(|(k, _)| k == "acme").unwrap();
    assert!(acme.set_group_access(2, 1, None));
    let synced_before = app.state_counts().unwrap().synced;
    let result = app.sync_now().await.unwrap();
    assert_eq!(result.outcome, "ok", "{:?}", result.error);
    assert_eq!(result.deleted, 0, "their timesheets are kept");
    let unreadable = app
        .list_entries(&EntryQuery {
            state: Some(EntryState::Unreadable),
            limit: 500,
            ..EntryQuery::default()
        })
        .unwrap();
    assert!(unreadable.total > 0);
    assert!(unreadable.rows.iter().all(|r| r.key.instance == "acme"));
    let note = unreadable.rows[0].note.clone().unwrap_or_default();
    assert!(note.contains("no longer readable in Zammad"), "{note}");
    let counts = app.state_counts().unwrap();
    assert_eq!(counts.unreadable, unreadable.total);
    assert_eq!(counts.synced + counts.unreadable, synced_before);

    // Access given back: the next run reads the tickets again and the state is gone.
    assert!(acme.set_group_access(2, 1, Some(&["full"])));
    let result = app.sync_now().await.unwrap();
    assert_eq!(result.outcome, "ok", "{:?}", result.error);
    assert_eq!(app.state_counts().unwrap().unreadable, 0);
    app.scheduler().shutdown().await.unwrap();
}

/// "Book time from" in the settings: saved, shown with the oldest month a full sync reads,
/// and the dashboard says it; a day in the future or not a day is refused.
#[tokio::test(flavor = "multi_thread")]
async fn book_time_from_is_a_setting_with_the_oldest_open_month_beside_it() {
    let tmp = tempfile::tempdir().unwrap();
    let host = host(&tmp);
    let app = host.start_demo().await.expect("the demo starts");
    let mut settings = app.get_settings().unwrap();
    assert_eq!(
        settings.book_from.as_deref(),
        Some("2026-10-01"),
        "first day of last month"
    );
    assert_eq!(settings.oldest_open_month.as_deref(), Some("2026-10"));
    settings.book_from = Some("2026-05-01".into());
    let saved = app.save_settings(settings.clone()).await.unwrap();
    assert_eq!(saved.book_from.as_deref(), Some("2026-05-01"));
    assert_eq!(saved.oldest_open_month.as_deref(), Some("2026-05"));
    let dash = app.dashboard(&DashboardQuery::default()).await.unwrap();
    assert_eq!(dash.oldest_open_month.as_deref(), Some("2026-05"));
    for bad in ["2026-12-24", "May 1st"] {
        settings.book_from = Some(bad.into());
        let e = app.save_settings(settings.clone()).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation, "{bad}: {e:?}");
    }
    assert_eq!(
        app.get_settings().unwrap().book_from.as_deref(),
        Some("2026-05-01")
    );
    app.scheduler().shutdown().await.unwrap();
}
