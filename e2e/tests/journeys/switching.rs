//! Journey (f): switching to Timebridge with bookings already in Kimai. The previous sync
//! service booked the first Acme entry (its `ZAM:T…|TA:…` description, an hour early); the
//! user typed the work of another in by hand. After the wizard, a sync only shows what the
//! first sync would do — nothing reaches Kimai — and the dashboard says so. The user ticks
//! "rewrite" and goes ahead, reviews the possible twin on the entries page, says it is the
//! same work; after the next sync Kimai holds every entry's work exactly once.

use std::time::Duration;

use chrono_tz::Europe::Berlin;
use timebridge_simulators::kimai::switching::{by_hand, previous_service, PreviousEntry};

use crate::common::{self, App};
use crate::harness::sims::{self, World};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_sync_is_shown_first_and_nothing_is_booked_twice() {
    let world = World::recent().await;
    let own = world.own_entries_of(sims::ACME_ORG);
    // Entry 1 (ticket 1, 30 min) by the previous service; entry 3 (ticket 2, 60 min) by hand.
    let (previous, typed) = (&own[0], &own[2]);
    assert_eq!((previous.ticket_id, typed.ticket_id), (1, 2));
    let url = world.zammad_url();
    let host = url.trim_start_matches("http://").trim_end_matches('/');
    let service = previous_service(
        &PreviousEntry {
            host,
            ticket_id: 1,
            ticket_number: "31001",
            title: "Printer offline",
            customer: "Acme GmbH",
            time_accounting_id: previous.id,
            booked: previous.created_at,
            minutes: 30,
        },
        Berlin,
        2,
        1,
        1,
    );
    let service_id = world.kimai.add_timesheet_as_human(service);
    let hand_id = world.kimai.add_timesheet_as_human(by_hand(
        typed.created_at - chrono::Duration::minutes(60),
        60,
        "VPN drops every hour: remote session",
        2,
        1,
        1,
    ));
    let before = world.kimai.timesheets();

    let app = App::fresh("switching").await;
    let ui = &app.ui;
    common::wizard(ui, &world).await;
    ui.go("dashboard").await;
    assert_eq!(ui.sync_now(Duration::from_secs(60)).await, "ok");
    assert_eq!(
        world.kimai.timesheets(),
        before,
        "the first sync waits: nothing written"
    );
    ui.go("dashboard").await;
    let card = format!("first-sync-{}", sims::KEY);
    ui.wait_attr(&card, "data-planned", "true").await;
    ui.shot("first-sync-shown").await;
    let count = async |what: &str| ui.attr(&card, what).await.unwrap_or_default();
    assert_eq!(
        count("data-adopted").await,
        "1",
        "{}",
        ui.describe(&card).await
    );
    assert_eq!(
        count("data-twins").await,
        "1",
        "{}",
        ui.describe(&card).await
    );
    assert_eq!(count("data-creates").await, (own.len() - 2).to_string());
    assert_eq!(count("data-rewritable").await, "1");

    // Go ahead, rewriting the previous service's timesheet.
    ui.check(&format!("first-sync-rewrite-{}", sims::KEY), true)
        .await;
    common::click_go_ahead(ui).await;
    ui.shot("went-ahead").await;
    assert_eq!(world.kimai.timesheets().len(), before.len() + own.len() - 2);
    let rewritten = world
        .timesheet_of(previous.id)
        .expect("the service's timesheet carries Timebridge's marker now");
    assert_eq!(
        rewritten.id, service_id,
        "rewritten in place, not booked again"
    );
    assert!(
        world.timesheet_of(typed.id).is_none(),
        "the twin waits for the user"
    );

    // The review: the waiting entry shows the hand-made timesheet; it is the same work.
    ui.go("entries").await;
    let row = format!("entry-row-{}-{}", sims::KEY, typed.id);
    ui.wait_for(&row).await;
    ui.click(&row).await;
    ui.wait_for("entry-twin").await;
    let detail = ui.text("entry-detail").await;
    ui.shot("possible-twin").await;
    assert!(
        detail.contains(&format!("timesheet {hand_id} (same day"))
            && detail.contains("contains the ticket title"),
        "the pair is shown with its evidence: {detail}"
    );
    ui.click("entry-twin-same").await;
    // The answer is stored: the question goes and the entry says what the next sync does.
    ui.wait_text(
        "entry-detail-note",
        &format!("same work as timesheet {hand_id}: the next sync links them"),
        Duration::from_secs(10),
    )
    .await;
    assert!(
        !ui.exists("entry-twin").await,
        "answered once, not asked again"
    );
    assert_eq!(ui.sync_now(Duration::from_secs(60)).await, "ok");
    ui.shot("linked").await;

    // Every entry's work is in Kimai exactly once: the service's, the hand-made one, and one
    // new timesheet for each other entry.
    let after = world.kimai.timesheets();
    assert_eq!(after.len(), before.len() + own.len() - 2, "{after:#?}");
    assert!(
        after.iter().any(|t| t.id == hand_id),
        "the hand-made one stays"
    );
    for entry in &own {
        let booked =
            [previous.id, typed.id].contains(&entry.id) || world.timesheet_of(entry.id).is_some();
        assert!(booked, "entry {} is booked", entry.id);
    }
    app.close().await;
}
