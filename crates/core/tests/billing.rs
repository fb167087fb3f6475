//! Billing runs against the simulators (real HTTP, a real SQLite file): apply tags and exports
//! every timesheet of the month in scope exactly once and nothing else, a second apply writes
//! nothing, blockers stop it unless overridden (the reason recorded), no export permission
//! stops at the first export and the run resumes once granted, reverse restores the
//! before-state and refuses records changed since, and a billed entry changed in Zammad later
//! becomes a conflict, never an update.

mod support;

use std::collections::BTreeSet;

use chrono::Duration;
use support::{key, local, world, World, KIMAI_TOKEN, UNMAPPED_TICKET};
use timebridge_core::billing::{Billing, BillingError, Blocker, RunState, DEFAULT_STALE_AFTER};
use timebridge_core::sync::plan::{Action, ConflictKind};
use timebridge_core::sync::time::Month;
use timebridge_simulators::kimai::{Role, SeedUser, SimTimesheet};

const TAG: &str = "billed:2026-10";

fn october() -> Month {
    "2026-10".parse().unwrap()
}

fn billing(w: &World) -> Billing<'_> {
    Billing {
        store: &w.store,
        kimai: &w.kimai,
        tz: w.tz,
        data_dir: w.store.path().parent().unwrap().to_path_buf(),
        stale_after: DEFAULT_STALE_AFTER,
    }
}

/// Gives the consultant a Kimai role (the default `ROLE_USER` may not export).
fn promote(w: &World, role: Role) {
    w.kimai_sim.add_user(SeedUser {
        id: 2,
        username: "consultant".into(),
        token: KIMAI_TOKEN.into(),
        role,
        timezone: w.tz.name().into(),
    });
}

/// A timesheet booked in Kimai by hand.
fn manual(w: &World, project: u64, wall: &str, tags: &[&str], exported: bool) -> u64 {
    let begin = local(w.tz, wall);
    w.kimai_sim.add_timesheet_as_human(SimTimesheet {
        id: 0,
        user: 2,
        project,
        activity: 1,
        begin,
        end: Some(begin + Duration::minutes(60)),
        timezone: w.tz.name().into(),
        description: Some(format!("by hand {wall}")),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        exported,
        billable: true,
        fixed_rate: None,
        hourly_rate: None,
        meta: Default::default(),
        modified_at: None,
    })
}

fn sheet(w: &World, id: u64) -> SimTimesheet {
    w.kimai_sim.timesheet(id).unwrap()
}

fn sorted(mut tags: Vec<String>) -> Vec<String> {
    tags.sort();
    tags
}

/// Tag writes (PATCH of a timesheet) and export toggles that reached Kimai.
fn writes(w: &World) -> (u64, u64, u64) {
    let exports = w.kimai_requests("PATCH /api/timesheets/{id}/export");
    let patches = w.kimai_requests("PATCH") - exports;
    (patches, exports, w.kimai_requests("POST"))
}

/// Two October entries of Acme (synced), one in November; by hand: Acme October with another
/// tag, Acme October exported elsewhere, Globex October, Acme September.
struct Scene {
    w: World,
    synced_oct: Vec<u64>,
    synced_nov: u64,
    tagged: u64,
    foreign_export: u64,
    globex: u64,
    september: u64,
}

async fn scene(role: Role) -> Scene {
    let tz = chrono_tz::Europe::Berlin;
    let w = world(&[
        (1, 1, 30, Some(1), local(tz, "2026-10-06 10:00")),
        (2, 2, 45, Some(1), local(tz, "2026-10-31 23:30")),
        (3, 1, 20, Some(1), local(tz, "2026-11-03 10:00")),
    ])
    .await;
    let report = w.sync().await;
    assert_eq!(report.counts.created, 3, "{:?}", report.error);
    w.kimai.create_tag("urgent").await.unwrap();
    promote(&w, role);
    let ts = |id| w.timesheet_of(id).id;
    Scene {
        synced_oct: vec![ts(1), ts(2)],
        synced_nov: ts(3),
        tagged: manual(&w, 1, "2026-10-12 09:00", &["urgent"], false),
        foreign_export: manual(&w, 1, "2026-10-13 09:00", &[], true),
        globex: manual(&w, 3, "2026-10-14 09:00", &[], false),
        september: manual(&w, 1, "2026-09-30 09:00", &[], false),
        w,
    }
}

#[tokio::test]
async fn apply_bills_the_scope_once_keeps_other_tags_and_a_second_apply_writes_nothing() {
    let s = scene(Role::Admin).await;
    let w = &s.w;
    w.kimai_sim.knobs().reset_counts();
    let acme = BTreeSet::from([1]);
    let r = billing(w)
        .apply(october(), &acme, None, w.now)
        .await
        .unwrap();
    assert_eq!(r.state, Some(RunState::Done));
    let mut want: Vec<i64> = s.synced_oct.iter().map(|&i| i as i64).collect();
    want.push(s.tagged as i64);
    want.sort_unstable();
    assert_eq!(r.billed, want);
    assert_eq!(r.preview.already_exported, vec![s.foreign_export as i64]);
    assert!(!r.month_closed, "Globex is not billed yet");
    assert_eq!((r.tagged, r.exported, r.tag_created), (3, 3, true));
    assert_eq!(writes(w), (3, 3, 1), "3 tags, 3 exports, 1 new tag");
    for id in s.synced_oct.iter().chain([&s.tagged]) {
        let t = sheet(w, *id);
        assert!(t.exported, "{id} exported");
        assert_eq!(t.tags.iter().filter(|t| *t == TAG).count(), 1, "{id}");
    }
    assert_eq!(
        sorted(sheet(w, s.tagged).tags),
        vec![TAG.to_string(), "urgent".into()],
        "other tags kept"
    );
    assert_eq!(
        sorted(sheet(w, s.synced_oct[0]).tags),
        vec![TAG.to_string(), "zammad".into()]
    );
    for id in [s.globex, s.september, s.synced_nov, s.foreign_export] {
        let t = sheet(w, id);
        assert!(!t.tags.iter().any(|t| t == TAG), "{id} untouched");
    }
    assert!(!sheet(w, s.globex).exported && !sheet(w, s.september).exported);
    assert!(!sheet(w, s.synced_nov).exported);
    let files = r.report.unwrap();
    let dir = w.store.path().parent().unwrap();
    let csv = std::fs::read_to_string(dir.join(&files.csv)).unwrap();
    assert!(
        files.csv.starts_with("reports/billing-2026-10-"),
        "{}",
        files.csv
    );
    assert!(
        csv.contains("Acme GmbH") && !csv.contains("Globex"),
        "{csv}"
    );
    assert_eq!(csv.matches(",billed,").count(), 3, "{csv}");
    assert!(std::fs::read_to_string(dir.join(&files.html))
        .unwrap()
        .contains("<table>"));

    // Again: nothing to do, not one write.
    let again = billing(w)
        .apply(october(), &acme, None, w.now)
        .await
        .unwrap();
    assert_eq!(again.run_id, None);
    assert_eq!(writes(w), (3, 3, 1), "the second apply wrote nothing");
    assert_eq!(again.preview.already_billed.len(), 3);

    // Then Globex: every October timesheet is billed, so the month closes for the sync.
    let g = billing(w)
        .apply(october(), &BTreeSet::from([2]), None, w.now)
        .await
        .unwrap();
    assert_eq!(g.billed, vec![s.globex as i64]);
    assert!(g.month_closed);
    assert!(w
        .store
        .closed_months()
        .unwrap()
        .contains(&"2026-10".parse().unwrap()));
    assert_eq!(w.store.billing_runs().unwrap().len(), 2);
}

#[tokio::test]
async fn blockers_stop_apply_unless_overridden_and_the_override_is_recorded() {
    let s = scene(Role::Admin).await;
    let w = &s.w;
    // An entry of a ticket whose organization has no mapping: parked, a blocker.
    let parked = w.book(
        UNMAPPED_TICKET,
        15,
        Some(1),
        local(w.tz, "2026-10-20 10:00"),
    );
    let report = w.sync().await;
    assert_eq!(report.counts.parked, 1);
    w.kimai_sim.knobs().reset_counts();
    let all = BTreeSet::new();
    let err = billing(w)
        .apply(october(), &all, None, w.now)
        .await
        .unwrap_err();
    let BillingError::Blocked { blockers, .. } = err else {
        panic!("blocked expected: {err}")
    };
    assert!(
        matches!(&blockers[..], [Blocker::Parked { entry, .. }] if *entry == format!("acme#{parked}")),
        "{blockers:?}"
    );
    assert_eq!(writes(w), (0, 0, 0), "nothing written when blocked");
    // A stale sync blocks as well.
    let later = w.now + Duration::hours(2);
    let err = billing(w).preview(october(), &all, later).await.unwrap();
    assert!(err
        .blockers
        .iter()
        .any(|b| matches!(b, Blocker::StaleSync { .. })));

    let r = billing(w)
        .apply(october(), &all, Some("mapping comes next month"), w.now)
        .await
        .unwrap();
    assert_eq!(r.state, Some(RunState::Done));
    let run = w.store.billing_run(r.run_id.unwrap()).unwrap().unwrap();
    assert_eq!(
        run.override_reason.as_deref(),
        Some("mapping comes next month")
    );
    assert_eq!(run.overridden, blockers);
}

#[tokio::test]
async fn reverse_restores_tags_and_export_and_refuses_a_record_changed_since() {
    let s = scene(Role::Admin).await;
    let w = &s.w;
    let r = billing(w)
        .apply(october(), &BTreeSet::new(), None, w.now)
        .await
        .unwrap();
    assert!(r.month_closed);
    let run_id = r.run_id.unwrap();
    let changed = s.synced_oct[1];
    w.kimai_sim.edit_timesheet_as_human(changed, |t| {
        t.description = Some("edited after billing".into())
    });
    let rev = billing(w).reverse(run_id).await.unwrap();
    assert_eq!(rev.state, RunState::PartlyReversed);
    assert_eq!(rev.refused.len(), 1);
    assert_eq!(rev.refused[0].timesheet_id, changed as i64);
    assert_eq!(rev.refused[0].reason, "changed_since");
    assert!(
        rev.refused[0].message.contains("description"),
        "{:?}",
        rev.refused
    );
    assert!(rev.month_reopened);
    assert!(!w
        .store
        .closed_months()
        .unwrap()
        .contains(&"2026-10".parse().unwrap()));
    assert_eq!(sorted(sheet(w, s.tagged).tags), vec!["urgent".to_string()]);
    assert_eq!(sheet(w, s.synced_oct[0]).tags, vec!["zammad".to_string()]);
    for id in [s.tagged, s.synced_oct[0], s.globex] {
        assert!(!sheet(w, id).exported, "{id} un-exported");
    }
    let changed_now = sheet(w, changed);
    assert!(changed_now.exported && changed_now.tags.iter().any(|t| t == TAG));
    assert!(
        sheet(w, s.foreign_export).exported,
        "exported before: not ours to undo"
    );
    // Reversing again touches only what is left, and still refuses it.
    w.kimai_sim.knobs().reset_counts();
    let again = billing(w).reverse(run_id).await.unwrap();
    assert_eq!(again.reversed, Vec::<i64>::new());
    assert_eq!(again.refused.len(), 1);
    assert_eq!(writes(w), (0, 0, 0));
}

#[tokio::test]
async fn no_export_permission_stops_at_the_first_export_and_the_run_resumes_once_granted() {
    let s = scene(Role::User).await;
    let w = &s.w;
    w.kimai_sim.knobs().reset_counts();
    let all = BTreeSet::new();
    let err = billing(w)
        .apply(october(), &all, None, w.now)
        .await
        .unwrap_err();
    let BillingError::NoExportPermission { run_id, .. } = err else {
        panic!("no permission expected: {err}")
    };
    assert!(err.to_string().contains("no permission to export"), "{err}");
    assert_eq!(
        writes(w),
        (1, 1, 1),
        "one tag, one refused export, the new tag"
    );
    assert_eq!(
        w.store.billing_run(run_id).unwrap().unwrap().state,
        RunState::Failed
    );
    // Another month cannot start while this run is unfinished.
    let sept: Month = "2026-09".parse().unwrap();
    assert!(matches!(
        billing(w).apply(sept, &all, Some("x"), w.now).await,
        Err(BillingError::Unfinished { id, .. }) if id == run_id
    ));
    promote(w, Role::Teamlead);
    let r = billing(w)
        .apply(october(), &all, None, w.now)
        .await
        .unwrap();
    assert!(r.resumed);
    assert_eq!(r.run_id, Some(run_id));
    assert_eq!(r.state, Some(RunState::Done));
    // The first record's tag was already there: tagged once, never again.
    assert_eq!((r.tagged, r.exported), (3, 4));
    for id in s.synced_oct.iter().chain([&s.tagged, &s.globex]) {
        let t = sheet(w, *id);
        assert!(t.exported);
        assert_eq!(t.tags.iter().filter(|t| *t == TAG).count(), 1);
    }
}

#[tokio::test]
async fn a_later_zammad_change_of_a_billed_entry_is_a_conflict_never_an_update() {
    let s = scene(Role::Admin).await;
    let w = &s.w;
    let r = billing(w)
        .apply(october(), &BTreeSet::new(), None, w.now)
        .await
        .unwrap();
    assert!(r.month_closed);
    let before = w.timesheet_of(1);
    w.change_minutes(1, 50);
    w.kimai_sim.knobs().reset_counts();
    let report = w.sync().await;
    assert!(
        report.actions.iter().any(|a| matches!(a,
            Action::Conflict { key: k, kind: ConflictKind::BilledChangedAtSource, .. } if *k == key(1))),
        "{:?}",
        report.actions
    );
    assert!(
        !report.actions.iter().any(|a| a.writes_remote()),
        "{:?}",
        report.actions
    );
    assert_eq!(writes(w), (0, 0, 0));
    assert_eq!(
        w.timesheet_of(1),
        before,
        "the billed timesheet is unchanged"
    );
}
