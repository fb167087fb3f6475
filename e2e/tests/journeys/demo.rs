//! Journey (a): "Try with demo data" on a first run. The wizard's demo button opens the
//! dashboard of the demo (its simulators run inside the app); after the first sync the counts
//! show synced entries and, by the demo's design, entries waiting for a mapping ("Acme
//! Logistics" is left unmapped); each customer's figures agree with each other.

use std::time::Duration;

use crate::common::{self, App};
use crate::harness::ui::Ui;

/// Starts the demo from the wizard and waits for its first sync to be counted.
pub(crate) async fn start_demo(ui: &Ui) {
    ui.wait_for("page-setup").await;
    ui.shot("first-run").await;
    ui.click("wizard-demo").await;
    ui.wait_for("page-dashboard").await;
    ui.wait_for("demo-badge").await;
    // The demo may sync on its own; "Sync now" while it runs is refused (`sync_running`).
    let outcome = ui.sync_now(Duration::from_secs(90)).await;
    assert!(
        outcome == "ok" || outcome == "error",
        "the demo's sync: {}",
        ui.describe("sync-result").await
    );
    ui.wait_attr_where(
        "dash-count-synced",
        "data-value",
        Duration::from_secs(90),
        |v| v.parse::<u32>().is_ok_and(|n| n > 0),
    )
    .await;
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.005
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_syncs_and_its_dashboard_figures_agree() {
    let app = App::fresh("demo").await;
    let ui = &app.ui;
    start_demo(ui).await;
    ui.shot("dashboard-synced").await;

    let synced = ui.number("dash-count-synced").await;
    let needs_mapping = ui.number("dash-count-needs-mapping").await;
    assert!(synced > 0.0);
    assert!(
        needs_mapping > 0.0,
        "Acme Logistics is unmapped in the demo: its entries wait for a mapping"
    );
    for id in [
        "dash-count-pending",
        "dash-count-conflicts",
        "dash-count-errors",
        "dash-count-offline",
    ] {
        assert!(ui.number(id).await >= 0.0, "{id}");
    }
    assert_eq!(
        ui.number("dash-count-offline").await,
        0.0,
        "the demo is reachable"
    );

    let customers: Vec<String> = common::wait_prefix(ui, "dash-hours-")
        .await
        .into_iter()
        .map(|id| id.trim_start_matches("dash-hours-").to_string())
        .filter(|c| c != "total")
        .collect();
    assert!(
        !customers.is_empty(),
        "the demo's customers have hours this month"
    );
    let mut reconciled = 0;
    for c in &customers {
        let hours = ui.number(&format!("dash-hours-{c}")).await;
        assert!(hours >= 0.0);
        assert!(
            ui.exists(&format!("dash-bar-{c}")).await,
            "a bar for customer {c}"
        );
        if !ui.exists(&format!("dash-recon-{c}")).await {
            continue;
        }
        reconciled += 1;
        let zammad = ui.number(&format!("dash-recon-zammad-{c}")).await;
        let kimai = ui.number(&format!("dash-recon-kimai-{c}")).await;
        let diff = ui.number(&format!("dash-recon-diff-{c}")).await;
        let other = ui.number(&format!("dash-recon-other-{c}")).await;
        assert!(
            close(kimai + other, hours),
            "customer {c}: linked {kimai} h + booked by hand {other} h != the customer's {hours} h"
        );
        assert!(
            close(zammad - kimai, diff),
            "customer {c}: Zammad {zammad} - Kimai {kimai} != difference {diff}"
        );
        let explained = ui.ids_with_prefix(&format!("dash-diff-{c}-")).await;
        if explained.is_empty() {
            assert!(
                close(zammad, kimai),
                "customer {c}: no difference listed, yet Zammad {zammad} != Kimai {kimai}"
            );
        }
    }
    assert!(
        reconciled > 0,
        "the demo's helpdesks reconcile at least one customer"
    );
    let mut sum = 0.0;
    for c in &customers {
        sum += ui.number(&format!("dash-hours-{c}")).await;
    }
    let total = ui.number("dash-hours-total").await;
    assert!(close(sum, total), "customers' hours {sum} != total {total}");
    app.close().await;
}
