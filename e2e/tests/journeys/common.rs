//! What the journeys share: a fresh app in a fresh data directory, and the first-run wizard
//! filled in against the test's simulators (journeys b–e start from it).

use std::path::Path;
use std::time::Duration;

use crate::harness::sims::{self, World};
use crate::harness::ui::Ui;
use crate::harness::{Driver, SERIAL};
use timebridge_desktop_bench::tray_host::TrayHost;

/// A running app with its data directory; dropping it stops everything.
pub(crate) struct App {
    /// The page driver (declared first: closed before the driver goes).
    pub(crate) ui: Ui,
    /// tauri-driver and the session (bus, keychain).
    pub(crate) driver: Driver,
    /// The app's data directory.
    pub(crate) data: tempfile::TempDir,
    _serial: tokio::sync::MutexGuard<'static, ()>,
}

impl App {
    /// Starts the app on an empty data directory (the first run), screenshots under `journey`.
    pub(crate) async fn fresh(journey: &str) -> Self {
        let serial = SERIAL.lock().await;
        let data = tempfile::tempdir().unwrap();
        let driver = Driver::start(data.path());
        let ui = Ui::new(driver.client().await, journey).await;
        Self {
            ui,
            driver,
            data,
            _serial: serial,
        }
    }

    /// As [`App::fresh`], with a tray host on the app's bus before it starts (so closing the
    /// window keeps the app in the tray).
    pub(crate) async fn fresh_in_tray(journey: &str) -> (Self, TrayHost) {
        let serial = SERIAL.lock().await;
        let data = tempfile::tempdir().unwrap();
        let driver = Driver::start(data.path());
        let tray = TrayHost::start_on(Some(driver.bus_address())).expect("a stand-in tray host");
        let ui = Ui::new(driver.client().await, journey).await;
        let app = Self {
            ui,
            driver,
            data,
            _serial: serial,
        };
        (app, tray)
    }

    /// The data directory.
    pub(crate) fn dir(&self) -> &Path {
        self.data.path()
    }

    /// Closes the window (the app exits) and stops the driver.
    pub(crate) async fn close(self) {
        let Self {
            ui, driver, data, ..
        } = self;
        ui.close().await;
        drop(driver);
        drop(data);
    }
}

/// The first-run wizard with real connections to `world`: Kimai, then the acme Zammad (each
/// tested, then saved), the billing timezone Europe/Berlin, the suggested mapping of
/// "Acme GmbH" accepted; ends on the dashboard. Then the accounting type is mapped to Kimai's
/// "Support" activity on the mappings page if the wizard left it open. Returns every page
/// source seen (for the secret-hygiene check).
pub(crate) async fn wizard(ui: &Ui, world: &World) -> Vec<(String, Vec<u8>)> {
    let mut sources = Vec::new();
    let mut keep = async |ui: &Ui, name: &str| {
        ui.shot(name).await;
        sources.push((
            format!("page source at {name}"),
            ui.source().await.into_bytes(),
        ));
    };
    ui.wait_for("page-setup").await;
    pause_schedule(ui).await;
    keep(ui, "wizard-start").await;
    ui.click("wizard-next").await;

    ui.fill("wizard-kimai-name", "Kimai").await;
    ui.fill("wizard-kimai-url", &world.kimai_url()).await;
    ui.fill("wizard-kimai-token", sims::KIMAI_TOKEN).await;
    ui.click("wizard-kimai-test").await;
    ui.wait_attr("wizard-kimai-result", "data-ok", "true").await;
    keep(ui, "kimai-tested").await;
    ui.click("wizard-kimai-save").await;
    wait_css(ui, "[id^=\"wizard-connection-\"][data-kind=\"kimai\"]").await;
    keep(ui, "kimai-saved").await;
    ui.click("wizard-next").await;

    ui.fill("wizard-zammad-name", "Acme helpdesk").await;
    ui.fill("wizard-zammad-key", sims::KEY).await;
    ui.fill("wizard-zammad-url", &world.zammad_url()).await;
    ui.fill("wizard-zammad-token", sims::ZAMMAD_TOKEN).await;
    ui.select("wizard-zammad-unit", "minutes").await;
    ui.click("wizard-zammad-test").await;
    ui.wait_attr("wizard-zammad-result", "data-ok", "true")
        .await;
    keep(ui, "zammad-tested").await;
    ui.click("wizard-zammad-save").await;
    wait_css(ui, "[id^=\"wizard-connection-\"][data-kind=\"zammad\"]").await;
    ui.wait_for("wizard-zammad-saved").await;
    keep(ui, "zammad-saved").await;

    ui.click("wizard-next").await;
    ui.fill("wizard-timezone", "Europe/Berlin").await;
    keep(ui, "timezone").await;
    ui.click("wizard-next").await;

    ui.wait_for("wizard-suggestion-0").await;
    let suggestion = ui.text("wizard-suggestion-0").await;
    if !suggestion.contains("Acme GmbH") {
        ui.fail(format!(
            "the first suggestion is not Acme GmbH: {suggestion:?}"
        ))
        .await;
    }
    if ui.exists("wizard-suggestion-1").await {
        ui.fail("only Acme GmbH resembles a Kimai customer; Umbrella must not be suggested".into())
            .await;
    }
    ui.click("wizard-suggestion-accept-0").await;
    keep(ui, "suggestion-accepted").await;
    ui.click("wizard-finish").await;
    ui.wait_for("page-dashboard").await;
    keep(ui, "dashboard").await;

    // The accounting type "Remote" (1) books as "Support" (1): the wizard leaves activities
    // to the mappings page.
    ui.go("mappings").await;
    let key = sims::KEY;
    ui.wait_for(&format!("mappings-{key}")).await;
    let row = format!("mapping-type-{key}-1");
    if !ui.exists(&row).await {
        ui.fill(&format!("mapping-type-add-id-{key}"), "1").await;
        pick(ui, &format!("mapping-type-add-activity-{key}"), "1").await;
        ui.click(&format!("mapping-type-add-{key}")).await;
        ui.wait_for(&row).await;
    }
    pick(ui, &row, "1").await;
    ui.click(&format!("mappings-save-{key}")).await;
    ui.wait_for("mappings-saved").await;
    keep(ui, "mappings").await;
    sources
}

/// Pauses background runs (the syncbar's toggle; a stored setting). The schedule runs at
/// every quarter hour of the wall clock: a tick during a journey would hold the sync lock
/// just when the journey presses "Sync now" or "Go ahead", which are then refused as busy.
/// Manual runs (the window's and the tray's) work while paused.
pub(crate) async fn pause_schedule(ui: &Ui) {
    ui.click("sync-pause").await;
    ui.wait_for("sync-paused").await;
}

/// The first sync of the wizard's helpdesk: a sync only plans it (nothing is written until the
/// user's word), the dashboard shows what it would do, and "Go ahead" carries it out.
pub(crate) async fn go_ahead(ui: &Ui) {
    ui.go("dashboard").await;
    let card = format!("first-sync-{}", sims::KEY);
    // An earlier run may have planned it already; else "Sync now" does.
    if ui.attr_now(&card, "data-planned").await.as_deref() != Some("true") {
        assert_eq!(ui.sync_now(Duration::from_secs(60)).await, "ok");
        ui.go("dashboard").await;
    }
    ui.wait_attr(&card, "data-planned", "true").await;
    click_go_ahead(ui).await;
}

/// Clicks the first-sync card's "Go ahead" and waits for that sync to end `ok`.
pub(crate) async fn click_go_ahead(ui: &Ui) {
    let card = format!("first-sync-{}", sims::KEY);
    ui.click(&format!("first-sync-go-{}", sims::KEY)).await;
    ui.wait_gone(&card).await;
    let outcome = ui
        .wait_attr_where(
            "sync-result",
            "data-outcome",
            Duration::from_secs(90),
            |o| !o.is_empty(),
        )
        .await;
    assert_eq!(outcome, "ok", "{}", ui.describe("sync-result").await);
}

/// Picks `value` in an id picker: a select once Kimai's catalog is loaded, else a number input.
pub(crate) async fn pick(ui: &Ui, id: &str, value: &str) {
    let select = format!("select#{id}");
    if wait_css_briefly(ui, &select, Duration::from_secs(10)).await {
        ui.select(id, value).await;
    } else {
        ui.set_value(id, value).await;
    }
}

/// Whether an element matches `css` within `limit`.
async fn wait_css_briefly(ui: &Ui, css: &str, limit: Duration) -> bool {
    let deadline = std::time::Instant::now() + limit;
    loop {
        if !ui.ids_matching(css).await.is_empty() {
            return true;
        }
        if std::time::Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Waits until an element matches `css`; returns the ids of those that do.
pub(crate) async fn wait_css(ui: &Ui, css: &str) -> Vec<String> {
    let deadline = std::time::Instant::now() + crate::harness::ui::WAIT;
    loop {
        let ids = ui.ids_matching(css).await;
        if !ids.is_empty() {
            return ids;
        }
        if std::time::Instant::now() > deadline {
            ui.fail(format!("nothing matches {css:?}")).await;
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Waits until at least one element's id starts with `prefix`; returns those ids.
pub(crate) async fn wait_prefix(ui: &Ui, prefix: &str) -> Vec<String> {
    wait_css(ui, &format!("[id^=\"{prefix}\"]")).await
}

/// Asserts that the Kimai simulator holds exactly one timesheet per own entry of the Acme
/// organization, each as long as the entry (minutes), and nothing else with a marker.
pub(crate) fn assert_booked(world: &World) {
    let own = world.own_entries_of(sims::ACME_ORG);
    assert!(!own.is_empty());
    for entry in &own {
        let t = world
            .timesheet_of(entry.id)
            .unwrap_or_else(|| panic!("no timesheet for Zammad entry {}", entry.id));
        let minutes: i64 = entry.time_unit.trunc().to_string().parse().unwrap();
        assert_eq!(
            sims::seconds(&t),
            minutes * 60,
            "timesheet {} of entry {}",
            t.id,
            entry.id
        );
        assert_eq!(t.project, 1, "Acme Support");
        assert_eq!(t.activity, 1, "Support");
    }
    let marked = world.marked_timesheets();
    assert_eq!(
        marked.len(),
        own.len(),
        "one timesheet per own Acme entry, none for Umbrella or the colleague: {marked:#?}"
    );
}

/// Every page of the navigation, by its id.
pub(crate) const PAGES: [&str; 9] = [
    "dashboard",
    "entries",
    "conflicts",
    "history",
    "billing",
    "mappings",
    "settings",
    "setup",
    "status",
];

/// Entry 1 changed on both sides (50 minutes in Zammad, its timesheet cut to 40 by hand in
/// Kimai), then synced: a conflict. Returns the entry's key.
pub(crate) async fn conflict_on_entry_1(ui: &Ui, world: &World) -> String {
    let sheet = world.timesheet_of(1).expect("entry 1 was booked");
    world.edit_entry_minutes(1, 50);
    assert!(world.kimai.edit_timesheet_as_human(sheet.id, |t| {
        t.end = Some(t.begin + chrono::Duration::minutes(40));
    }));
    assert_eq!(ui.sync_now(Duration::from_secs(60)).await, "ok");
    format!("{}-1", sims::KEY)
}
