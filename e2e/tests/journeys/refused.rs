//! Journey (g): writes Kimai refuses. The mapped project takes no global activities, so Kimai
//! refuses every booking: the dashboard counts them, the Entries page shows each as "Refused by
//! Kimai" with Kimai's answer and the fix, billing names them as blockers of their month and
//! its ledger lists them as refused time. The user maps Acme to another project on the
//! Mappings page; Sync now books every one of them there and the month's ledger shows nothing
//! of Acme's time missing from Kimai.

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
    common::go_ahead(ui).await;
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

    // The ledger of the month: Acme Support's Zammad time is all refused.
    ui.wait_for("billing-ledger-row-1").await;
    let zammad = ui.attr("billing-ledger-row-1", "data-zammad").await;
    assert_eq!(
        ui.attr("billing-ledger-row-1", "data-missing").await,
        zammad,
        "{}",
        ui.describe("billing-ledger").await
    );
    assert!(!common::wait_css(
        ui,
        "[data-kind=\"refused\"][data-reason=\"activity_not_allowed\"]"
    )
    .await
    .is_empty());

    // Acme's rollout project runs on; the user maps Acme's organization to it in the UI.
    assert!(world.kimai.edit_project_as_admin(2, |p| p.end = None));
    ui.go("mappings").await;
    let key = sims::KEY;
    ui.wait_for(&format!("mapping-rule-{key}-0")).await;
    ui.click(&format!("mapping-remove-{key}-0")).await;
    ui.select("mapping-add-scope", "organization").await;
    ui.fill("mapping-add-scope-id", &sims::ACME_ORG.to_string())
        .await;
    common::pick(ui, "mapping-add-customer", "1").await;
    common::pick(ui, "mapping-add-project", "2").await;
    ui.click("mapping-add").await;
    ui.wait_for(&format!("mapping-rule-{key}-0")).await;
    assert_eq!(
        ui.attr(&format!("mapping-rule-{key}-0"), "data-project")
            .await
            .as_deref(),
        Some("2")
    );
    ui.click(&format!("mappings-save-{key}")).await;
    ui.wait_for("mappings-saved").await;
    ui.shot("remapped").await;

    assert_eq!(ui.sync_now(Duration::from_secs(60)).await, "ok");
    for entry in &own {
        let t = world
            .timesheet_of(entry.id)
            .unwrap_or_else(|| panic!("no timesheet for Zammad entry {}", entry.id));
        assert_eq!(t.project, 2, "booked on the project it is mapped to now");
    }
    assert_eq!(world.marked_timesheets().len(), own.len());
    ui.go("dashboard").await;
    ui.wait_attr("dash-count-refused", "data-value", "0").await;

    // The month's ledger: nothing of Acme's time is missing from Kimai any more.
    ui.go("billing").await;
    ui.fill("billing-month", &month).await;
    ui.click("billing-preview-btn").await;
    ui.wait_for("billing-ledger-row-2").await;
    ui.shot("ledger-booked").await;
    assert_eq!(
        ui.attr("billing-ledger-row-2", "data-missing")
            .await
            .as_deref(),
        Some("0"),
        "{}",
        ui.describe("billing-ledger").await
    );
    assert_eq!(
        ui.attr("billing-ledger-row-2", "data-parts").await,
        ui.attr("billing-ledger-row-2", "data-zammad").await
    );
    assert!(
        !ui.exists("billing-ledger-row-1").await,
        "no Acme Support time left"
    );
    app.close().await;
}
