//! Journey (c): a conflict decided offline. The same entry is edited on both sides, the sync
//! reports the conflict, the servers go away, the user takes Zammad's version; a sync while
//! offline keeps the decision, and once the servers are back the sync writes it to Kimai.

use std::time::Duration;

use chrono::Duration as Span;

use crate::common::{self, App};
use crate::harness::sims::{self, World};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conflict_decided_offline_is_applied_when_the_servers_are_back() {
    let mut world = World::recent().await;
    let app = App::fresh("conflict").await;
    let ui = &app.ui;
    common::wizard(ui, &world).await;
    common::go_ahead(ui).await;
    assert_eq!(ui.sync_now(Duration::from_secs(60)).await, "ok");
    common::assert_booked(&world);

    // A human edits entry 1 (30 minutes) in Zammad, and its timesheet in Kimai.
    let entry = 1;
    let key = format!("{}-{entry}", sims::KEY);
    let sheet = world.timesheet_of(entry).expect("entry 1 was booked");
    world.edit_entry_minutes(entry, 50);
    assert!(world.kimai.edit_timesheet_as_human(sheet.id, |t| {
        t.end = Some(t.begin + Span::minutes(40));
    }));
    assert_eq!(ui.sync_now(Duration::from_secs(60)).await, "ok");
    ui.shot("conflict-synced").await;
    assert_eq!(
        sims::seconds(&world.kimai.timesheet(sheet.id).unwrap()),
        40 * 60,
        "a conflict writes nothing"
    );
    // The badge follows the run's end (its data reloads then).
    let badge = ui
        .wait_text("nav-conflicts-count", "1", Duration::from_secs(10))
        .await;
    assert_eq!(badge.trim(), "1", "the navigation counts the conflict");

    ui.go("conflicts").await;
    let row = format!("conflict-{key}");
    ui.wait_attr(&row, "data-kind", "both_changed").await;
    assert_eq!(ui.number("conflicts-count").await, 1.0);
    ui.click(&row).await;
    ui.wait_for("conflict-detail").await;
    let zammad_side = ui.text("conflict-zammad").await;
    let kimai_side = ui.text("conflict-kimai").await;
    assert_ne!(zammad_side, kimai_side, "both versions are shown");
    ui.shot("conflict-selected").await;

    // Offline: the servers are gone. Deciding needs no server.
    world.stop().await;
    ui.click("conflict-take-zammad").await;
    ui.wait_for("conflicts-stored").await;
    let decided = ui
        .wait_attr_where(&row, "data-decision", crate::harness::ui::WAIT, |d| {
            !d.is_empty()
        })
        .await;
    ui.shot("decided-offline").await;

    assert_eq!(ui.sync_now(Duration::from_secs(90)).await, "offline");
    ui.shot("sync-offline").await;
    ui.go("dashboard").await;
    ui.go("conflicts").await;
    ui.wait_attr(&row, "data-decision", &decided).await;

    // Back online: the decision is applied.
    world.restart().await;
    assert_eq!(ui.sync_now(Duration::from_secs(60)).await, "ok");
    ui.shot("applied").await;
    let now = world
        .kimai
        .timesheet(sheet.id)
        .expect("the timesheet is kept");
    assert_eq!(
        sims::seconds(&now),
        50 * 60,
        "Kimai holds Zammad's 50 minutes"
    );
    ui.go("dashboard").await;
    ui.go("conflicts").await;
    // Drawn only once the loaded list is empty (a page still loading has no rows either).
    ui.wait_for("conflicts-none").await;
    assert!(!ui.exists(&row).await, "the resolved conflict is gone");
    assert_eq!(ui.number("conflicts-count").await, 0.0);
    // The badge has data of its own, reloaded when the run ended: wait for it to empty.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let badge = ui.text("nav-conflicts-count").await;
        if badge.trim().is_empty() || badge.trim() == "0" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the badge still counts {badge:?}"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    ui.shot("resolved").await;
    app.close().await;
}
