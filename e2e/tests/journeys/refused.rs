//! Journey (g): writes Kimai refuses. The mapped project takes no global activities, so Kimai
//! refuses every booking: the dashboard counts them, the Entries page shows each as "Refused by
//! Kimai" with Kimai's answer and the fix, billing names them as blockers of their month. Once
//! the project allows the activity again, Sync now books every one of them.

use std::time::Duration;

use chrono_tz::Europe::Berlin;

use crate::common::{self, App};
use crate::harness::sims::{self, World};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_entries_are_shown_and_booked_once_the_cause_is_fixed() {
    let world = World::recent().await;
    assert!(world
        .kimai
        .edit_project_as_admin(1, |p| p.global_activities = false));
    let app = App::fresh("refused").await;
    let ui = &app.ui;
    common::wizard(ui, &world).await;
    assert_eq!(ui.sync_now(Duration::from_secs(60)).await, "ok");
    assert!(
        world.marked_timesheets().is_empty(),
        "Kimai refused every booking"
    );
    let own = world.own_entries_of(sims::ACME_ORG);

    ui.go("dashboard").await;
    ui.wait_attr("dash-count-refused", "data-value", &own.len().to_string())
        .await;
    ui.shot("dashboard").await;

    ui.go("entries").await;
    let rows = common::wait_css(ui, "[id^=\"entry-row-\"][data-state=\"refused\"]").await;
    assert_eq!(rows.len(), own.len(), "{rows:?}");
    ui.click(&rows[0]).await;
    ui.wait_for("entry-retry").await;
    let detail = ui.text("entry-detail").await;
    ui.shot("refused-entry").await;
    assert!(
        detail.contains("activity_not_allowed") && detail.contains("Refused by Kimai"),
        "the state, Kimai's cause and the fix: {detail}"
    );

    // Billing the month of the first entry names the refusals as blockers.
    let month = own[0]
        .created_at
        .with_timezone(&Berlin)
        .format("%Y-%m")
        .to_string();
    ui.go("billing").await;
    ui.fill("billing-month", &month).await;
    ui.click("billing-preview-btn").await;
    ui.wait_for("billing-preview").await;
    ui.wait_for("billing-blockers").await;
    let mut refused = 0;
    for id in ui.ids_with_prefix("billing-blocker-").await {
        if ui.text(&id).await.contains("refused by Kimai") {
            refused += 1;
        }
    }
    ui.shot("billing-blockers").await;
    assert!(refused > 0, "{}", ui.describe("billing-blockers").await);

    // The admin allows the activity on the project: the next sync books them all.
    assert!(world
        .kimai
        .edit_project_as_admin(1, |p| p.global_activities = true));
    assert_eq!(ui.sync_now(Duration::from_secs(60)).await, "ok");
    common::assert_booked(&world);
    ui.go("dashboard").await;
    ui.wait_attr("dash-count-refused", "data-value", "0").await;
    ui.shot("booked").await;
    app.close().await;
}
