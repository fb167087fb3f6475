//! Journey (d): undoing a sync from the history. The preview lists exactly the timesheets the
//! run created; after the undo Kimai no longer holds them.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::common::{self, App};
use crate::harness::sims::{self, World};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undoing_a_sync_deletes_the_timesheets_it_created() {
    let world = World::recent().await;
    let app = App::fresh("undo").await;
    let ui = &app.ui;
    common::wizard(ui, &world).await;
    common::go_ahead(ui).await;
    assert_eq!(ui.sync_now(Duration::from_secs(60)).await, "ok");
    common::assert_booked(&world);
    let created: BTreeSet<String> = world
        .own_entries_of(sims::ACME_ORG)
        .iter()
        .map(|e| format!("{}-{}", sims::KEY, e.id))
        .collect();

    ui.go("history").await;
    let undo_buttons = common::wait_prefix(ui, "run-undo-").await;
    assert_eq!(
        undo_buttons.len(),
        1,
        "only the sync that wrote can be undone: {undo_buttons:?}"
    );
    let run = undo_buttons[0].trim_start_matches("run-undo-").to_string();
    ui.wait_attr(&format!("run-{run}"), "data-outcome", "ok")
        .await;
    ui.click(&undo_buttons[0]).await;
    ui.wait_for("undo-preview").await;
    ui.wait_for("undo-will").await;
    let will: BTreeSet<String> = ui
        .ids_with_prefix("undo-will-")
        .await
        .into_iter()
        .map(|id| id.trim_start_matches("undo-will-").to_string())
        .collect();
    ui.shot("undo-preview").await;
    assert_eq!(
        will, created,
        "the preview lists every timesheet the run created"
    );
    assert!(
        ui.ids_with_prefix("undo-wont-").await.is_empty(),
        "nothing blocks this undo"
    );
    assert_eq!(
        world.marked_timesheets().len(),
        created.len(),
        "a preview writes nothing"
    );

    ui.click("undo-confirm").await;
    let outcome = ui
        .wait_attr_where(
            "undo-result",
            "data-outcome",
            Duration::from_secs(60),
            |o| !o.is_empty(),
        )
        .await;
    ui.shot("undone").await;
    assert_eq!(outcome, "ok", "{}", ui.describe("undo-result").await);
    let left = world.marked_timesheets();
    assert!(left.is_empty(), "the undo deleted them all: {left:#?}");
    app.close().await;
}
