//! The sync engine end to end against the simulators: real HTTP, a real SQLite file.

mod support;

use std::collections::BTreeMap;

use chrono::Duration;
use rust_decimal::Decimal;
use timebridge_core::engine::{InstanceConn, Mode};
use timebridge_core::sync::entries::{InstanceKey, Marker};
use timebridge_core::sync::mapping::{InstanceSettings, MappingRule, Scope};
use timebridge_core::sync::plan::{Action, ConflictKind};
use timebridge_core::sync::time::TimeUnit;
use timebridge_core::{RunOutcome, RunTrigger};
use timebridge_http::{BaseUrl, Secret};
use timebridge_simulators::zammad::{demo::demo_seeds, ZammadSim};
use timebridge_simulators::{Clock, Fault, FaultKind};
use timebridge_zammad::ZammadClient;

use support::demo::demo_world as world;
use support::http;

#[tokio::test]
async fn first_sync_creates_each_entry_once_and_a_rerun_writes_nothing() {
    let w = world().await;
    let preview = w
        .engine()
        .run(w.now, Mode::Preview, RunTrigger::Cli)
        .await
        .unwrap();
    let planned = preview
        .actions
        .iter()
        .filter(|a| matches!(a, Action::Create { .. }))
        .count();
    assert!(
        planned > 5,
        "the demo month has entries to book: {planned}: {:#?}",
        preview
    );
    assert_eq!(w.kimai_writes(), 0, "a preview writes nothing");
    assert!(w.marked().is_empty());

    let first = w.sync().await;
    assert_eq!(first.outcome, RunOutcome::Ok, "{:?}", first.error);
    assert_eq!(first.counts.created as usize, planned);
    assert_eq!(w.marked().len(), planned);
    assert!(
        first.counts.parked > 0,
        "Acme Logistics is unmapped: parked, not dropped"
    );

    w.kimai_sim.knobs().reset_counts();
    let second = w.sync().await;
    assert_eq!(second.outcome, RunOutcome::Ok, "{:?}", second.error);
    assert!(
        second.actions.iter().all(|a| !a.writes_remote()),
        "{:#?}",
        second.actions
    );
    assert_eq!(w.kimai_writes(), 0, "a re-run makes zero writes");
}

#[tokio::test]
async fn source_edits_user_edits_and_deletes_flow_through() {
    let w = world().await;
    w.sync().await;
    let marked = w.marked();
    // A new entry by the consultant on a mapped ticket (ticket 2: organization 1 = Acme GmbH).
    let new_id = w
        .zammad_sim
        .add_time_accounting_as("consultant", 2, Decimal::from(45), Some(1));
    // The user edits one synced timesheet's description in Kimai.
    let (&(_, edited_entry), &edited_ts) = marked.iter().next().unwrap();
    assert!(w.kimai_sim.edit_timesheet_as_human(edited_ts, |t| {
        t.description = Some(format!(
            "{} (checked)",
            t.description.clone().unwrap_or_default()
        ));
    }));
    // An entry is deleted in Zammad (admins may), another timesheet in Kimai.
    let (&(_, gone_entry), _) = marked.iter().nth(1).unwrap();
    assert!(w.zammad_sim.delete_time_accounting_as_admin(gone_entry));
    let (&(_, orphan_entry), &deleted_ts) = marked.iter().nth(2).unwrap();
    assert!(w.kimai_sim.delete_timesheet_as_human(deleted_ts));

    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(run.counts.created, 1, "{:#?}", run.actions);
    assert_eq!(run.counts.kept_user_edits, 1);
    assert_eq!(run.counts.deleted, 1);
    let now_marked = w.marked();
    assert!(now_marked.contains_key(&("acme".into(), new_id)));
    assert!(
        !now_marked.contains_key(&("acme".into(), gone_entry)),
        "deleted at the source"
    );
    let edited = w
        .kimai_sim
        .timesheets()
        .into_iter()
        .find(|t| t.id == edited_ts)
        .unwrap();
    assert!(
        edited.description.unwrap().ends_with("(checked)"),
        "the user's edit is kept"
    );
    assert!(run.actions.iter().any(|a| matches!(a,
        Action::Conflict { kind: ConflictKind::DeletedInKimai, key, .. } if key.time_accounting_id == orphan_entry)));
    assert_eq!(w.store.conflicts().unwrap().len(), 1);
    let _ = edited_entry;
}

#[tokio::test]
async fn a_create_whose_answer_is_lost_is_adopted_not_duplicated() {
    let w = world().await;
    // Five creates reach Kimai, but each connection breaks before the answer arrives: a run
    // settles one lost answer itself (`engine::lost`), but five in a row mean the server is
    // failing, so the run stops and leaves them to the next one.
    w.kimai_sim.knobs().add_fault(
        Fault::always(FaultKind::Reset)
            .on_path("/api/timesheets")
            .on_method("POST")
            .times(5),
    );
    let crashed = w.sync().await;
    assert_eq!(crashed.outcome, RunOutcome::Offline, "{:?}", crashed.error);
    // Creates sent together with them (several are in flight at once) were answered and
    // committed; the reset ones happened without their answer.
    assert_eq!(crashed.counts.failed, 5);
    assert_eq!(
        w.marked().len(),
        crashed.counts.created as usize + 5,
        "the writes happened"
    );
    assert_eq!(
        w.store.pending_outbox().unwrap().len(),
        5,
        "left as sent for the next run"
    );

    let next = w.sync().await;
    assert_eq!(next.outcome, RunOutcome::Ok, "{:?}", next.error);
    assert_eq!(next.adopted, 5, "found by their marker");
    assert!(w.store.pending_outbox().unwrap().is_empty());
    let preview = w
        .engine()
        .run(w.now, Mode::Preview, RunTrigger::Cli)
        .await
        .unwrap();
    assert!(
        preview.actions.iter().all(|a| !a.writes_remote()),
        "converged: {:#?}",
        preview.actions
    );
    w.marked(); // panics on any duplicate
}

#[tokio::test]
async fn an_unreachable_kimai_ends_the_run_offline_with_nothing_lost() {
    let w = world().await;
    w.kimai_sim
        .knobs()
        .add_fault(Fault::always(FaultKind::Status { status: 503 }));
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Offline);
    assert!(run.error.unwrap().contains("Kimai"));
    w.kimai_sim.knobs().clear_faults();
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert!(run.counts.created > 0);
    let _ = Duration::zero();
}

#[tokio::test]
async fn two_helpdesks_with_overlapping_ids_never_cross_links() {
    let mut w = world().await;
    let (_, globex) = demo_seeds(w.now)
        .into_iter()
        .find(|(n, _)| n == "globex")
        .unwrap();
    let globex_sim = ZammadSim::from_seed(globex, Clock::manual(w.now));
    let server = globex_sim.start().await.unwrap();
    let client = ZammadClient::new(
        BaseUrl::parse(&server.url(), false).unwrap(),
        Secret::new("demo-zammad-globex-token"),
        http(),
    )
    .unwrap();
    let mut settings = InstanceSettings::new(TimeUnit::Hours);
    // Globex AG (organization 1 in its own helpdesk) → Globex Helpdesk (project 3).
    settings.rules = vec![MappingRule {
        scope: Scope::Organization(1),
        customer: 2,
        project: 3,
        activity: None,
    }];
    settings.activity_by_type = BTreeMap::from([(1, 1), (2, 1), (3, 1)]);
    w.instances.push(InstanceConn {
        key: InstanceKey::new("globex").unwrap(),
        client,
        settings,
    });

    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    let marked = w.marked();
    let acme: Vec<i64> = marked
        .keys()
        .filter(|(i, _)| i == "acme")
        .map(|(_, id)| *id)
        .collect();
    let globex: Vec<i64> = marked
        .keys()
        .filter(|(i, _)| i == "globex")
        .map(|(_, id)| *id)
        .collect();
    assert!(!acme.is_empty() && !globex.is_empty());
    assert!(
        acme.iter().any(|id| globex.contains(id)),
        "the same entry ids exist in both helpdesks"
    );
    // Each timesheet went to its own helpdesk's project.
    for ts in w.kimai_sim.timesheets() {
        if let Ok(Some(m)) = Marker::find(ts.description.as_deref().unwrap_or_default()) {
            let expected = if m.instance.as_str() == "acme" { 1 } else { 3 };
            assert_eq!(ts.project, expected, "{:?}", ts.description);
        }
    }
    let again = w
        .engine()
        .run(w.now, Mode::Preview, RunTrigger::Cli)
        .await
        .unwrap();
    assert!(
        again.actions.iter().all(|a| !a.writes_remote()),
        "{:#?}",
        again.actions
    );
    drop(server);
}

#[tokio::test]
async fn a_second_sync_on_the_same_data_is_refused_while_one_runs() {
    let w = world().await;
    let lock_path = w.store.path().with_extension("sync.lock");
    let held = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .unwrap();
    held.try_lock().unwrap();
    let err = w
        .engine()
        .run(w.now, Mode::Apply, RunTrigger::Cli)
        .await
        .unwrap_err();
    assert!(
        matches!(err, timebridge_core::engine::EngineError::Busy),
        "{err:?}"
    );
    assert_eq!(w.kimai_writes(), 0);
    drop(held);
    assert_eq!(w.sync().await.outcome, RunOutcome::Ok);
}

#[tokio::test]
async fn a_billing_timezone_other_than_kimais_is_refused_not_guessed() {
    let w = world().await;
    let mut engine = w.engine();
    engine.tz = chrono_tz::America::New_York;
    let run = engine
        .run(w.now, Mode::Apply, RunTrigger::Cli)
        .await
        .unwrap();
    assert_eq!(run.outcome, RunOutcome::Failed);
    assert!(run.error.unwrap().contains("Europe/Berlin"));
    assert_eq!(w.kimai_writes(), 0);
}

#[tokio::test]
async fn a_token_of_another_zammad_user_is_refused() {
    let mut w = world().await;
    w.sync().await;
    let before = w.marked();
    w.instances[0].settings.zammad_user_id = Some(999);
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Failed);
    assert!(run.error.unwrap().contains("999"));
    assert_eq!(w.marked(), before, "nothing deleted or created");
}

#[tokio::test]
async fn a_run_left_running_by_a_killed_process_is_marked_interrupted_by_the_next() {
    let w = world().await;
    let killed = w
        .store
        .start_run(RunTrigger::Cli, timebridge_core::RunMode::Sync)
        .unwrap();
    let next = w.sync().await;
    assert_eq!(next.outcome, RunOutcome::Ok, "{:?}", next.error);
    let row = w.store.run(killed).unwrap().unwrap();
    assert_eq!(row.outcome, RunOutcome::Interrupted);
    assert!(row.finished_at.is_some());
    assert_eq!(
        w.store.run(next.run_id).unwrap().unwrap().outcome,
        RunOutcome::Ok
    );
}
