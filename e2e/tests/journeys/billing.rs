//! Journey (e): month-end billing of last month. Entries booked last month are
//! synced, the Billing page previews the month (its totals match Kimai), the user applies it
//! (overriding the blocker of an unmapped entry), and Kimai then holds every timesheet of that
//! month exported and tagged `billed:YYYY-MM` — and nothing outside the month touched.

use std::time::Duration;

use chrono::{Datelike, Duration as Span, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;
use timebridge_simulators::kimai::{Role, SimTimesheet};

use crate::common::{self, App};
use crate::harness::sims::World;

/// `YYYY-MM` of a timesheet's begin.
fn month_of(t: &SimTimesheet) -> String {
    t.begin.format("%Y-%m").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn billing_last_month_exports_and_tags_exactly_that_month() {
    // The app bills as of the system clock. Last month's entries are booked on its 15th/16th
    // at 08:00 UTC (mid-month in any zone) and today's entry lies outside it: true on any date.
    let today = Utc::now().date_naive();
    let this_month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap();
    let mid_last = this_month - Span::days(16);
    let month = mid_last.format("%Y-%m").to_string();
    let first = Utc.from_utc_datetime(&mid_last.and_hms_opt(8, 0, 0).unwrap());
    // Exporting timesheets needs Kimai's `edit_export`: the consultant is a team lead here.
    let world = World::start_as(first, Role::Teamlead).await;
    // Outside the month: an entry booked today in Zammad (synced into this month).
    world
        .zammad
        .add_time_accounting_as("consultant", 1, Decimal::from(25), Some(1));

    let app = App::fresh("billing").await;
    let ui = &app.ui;
    common::wizard(ui, &world).await;
    common::go_ahead(ui).await;
    assert_eq!(ui.sync_now(Duration::from_secs(60)).await, "ok");
    let in_month: Vec<SimTimesheet> = world
        .kimai
        .timesheets()
        .into_iter()
        .filter(|t| month_of(t) == month)
        .collect();
    let outside: Vec<SimTimesheet> = world
        .kimai
        .timesheets()
        .into_iter()
        .filter(|t| month_of(t) != month)
        .collect();
    assert_eq!(
        in_month.len(),
        5,
        "last month's five own Acme entries: {in_month:#?}"
    );
    assert_eq!(outside.len(), 1, "today's entry: {outside:#?}");

    ui.go("billing").await;
    ui.fill("billing-month", &month).await;
    ui.click("billing-preview-btn").await;
    ui.wait_for("billing-preview").await;
    ui.wait_attr("billing-total", "data-entries", &in_month.len().to_string())
        .await;
    let hours: f64 = in_month
        .iter()
        .map(|t| crate::harness::sims::seconds(t) as f64 / 3600.0)
        .sum();
    let shown: f64 = ui
        .attr("billing-total", "data-hours")
        .await
        .and_then(|h| h.parse().ok())
        .unwrap_or(-1.0);
    assert!(
        (shown - hours).abs() < 0.005,
        "total {shown} h, Kimai holds {hours} h"
    );
    assert_eq!(ui.number("billing-to-bill").await, in_month.len() as f64);
    ui.shot("preview").await;

    // The Umbrella entry is unmapped: a blocker, overridden with a reason.
    let blockers = ui.ids_with_prefix("billing-blocker-").await;
    if !blockers.is_empty() {
        ui.check("billing-override", true).await;
        ui.fill("billing-override-reason", "Umbrella is billed separately")
            .await;
    }
    ui.shot("ready").await;
    ui.click("billing-apply").await;
    ui.wait_for("billing-confirm").await;
    ui.shot("confirm").await;
    ui.click("billing-confirm-btn").await;
    let state = ui
        .wait_attr_where(
            "billing-result",
            "data-state",
            Duration::from_secs(90),
            |s| s != "running",
        )
        .await;
    ui.shot("applied").await;
    assert_eq!(state, "done", "{}", ui.describe("billing-result").await);
    assert_eq!(
        ui.attr("billing-result", "data-changed").await.as_deref(),
        Some(in_month.len().to_string().as_str())
    );

    let tag = format!("billed:{month}");
    for t in world.kimai.timesheets() {
        if month_of(&t) == month {
            assert!(t.exported, "timesheet {} of {month} exported", t.id);
            assert!(
                t.tags.contains(&tag),
                "timesheet {} tagged {tag}: {:?}",
                t.id,
                t.tags
            );
        } else {
            assert!(!t.exported, "timesheet {} outside {month} untouched", t.id);
            assert!(
                !t.tags.iter().any(|x| x.starts_with("billed:")),
                "timesheet {} outside {month} untagged: {:?}",
                t.id,
                t.tags
            );
        }
    }
    app.close().await;
}
