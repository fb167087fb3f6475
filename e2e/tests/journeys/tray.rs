//! Journey (h): light in the tray. With a tray host on the bus, closing the window (as a
//! window manager does) destroys it: WebKit's web process goes, the app stays. "Sync now" from
//! the tray menu still books a change; "Open Timebridge" from the tray creates a new window
//! that comes back where the user was: the conflicts page with the unfinished edit as typed,
//! and the entries page with its filters.

use std::time::{Duration, Instant};

use timebridge_desktop_bench::{procs, x11};

use crate::common::{self, App};
use crate::harness::sims::{self, World};
use crate::harness::ui::Ui;

const DRAFT: &str = "Typed before the window closed";

/// The app's process: the copy of the binary under test that runs on `dir`.
fn app_pid(dir: &std::path::Path) -> u32 {
    let wanted = format!("TIMEBRIDGE_DATA_DIR={}", dir.display());
    let pids: Vec<u32> = procs::running(&crate::harness::app_binary())
        .into_iter()
        .filter(|p| {
            std::fs::read(format!("/proc/{p}/environ"))
                .map(|env| env.split(|b| *b == 0).any(|v| v == wanted.as_bytes()))
                .unwrap_or(false)
        })
        .collect();
    assert_eq!(
        pids.len(),
        1,
        "one app process on {}: {pids:?}",
        dir.display()
    );
    pids[0]
}

/// Ends the app when the journey ends, passed or failed: with a tray it outlives its window
/// and the WebDriver session.
struct KillOnDrop(u32);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .arg(self.0.to_string())
            .status();
    }
}

/// Waits until `what` holds, polling every 100 ms for up to `limit`.
async fn until(what: &str, limit: Duration, mut holds: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !holds() {
        assert!(Instant::now() < deadline, "{what} within {limit:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Switches the WebDriver session to the window Open created.
async fn follow_new_window(ui: &Ui, old: &fantoccini::wd::WindowHandle) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let handles = ui.client.windows().await.unwrap_or_default();
        if let Some(new) = handles.into_iter().find(|h| h != old) {
            ui.client
                .switch_to_window(new)
                .await
                .expect("the new window");
            return;
        }
        assert!(Instant::now() < deadline, "no new window within 30 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until what the core keeps of the window (`recall_view`, asked as the UI asks it)
/// holds `text`.
async fn wait_kept(ui: &Ui, text: &str) {
    let ask = "const done = arguments[arguments.length - 1]; \
        window.__TAURI__.core.invoke('recall_view') \
          .then(v => done(JSON.stringify(v)), e => done('refused: ' + e));";
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let kept = ui.client.execute_async(ask, vec![]).await;
        if matches!(&kept, Ok(serde_json::Value::String(s)) if s.contains(text)) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the core does not keep {text:?} within 10 s: {kept:?}"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_to_the_tray_the_window_goes_and_comes_back_where_the_user_was() {
    let world = World::recent().await;
    let (app, tray) = App::fresh_in_tray("tray").await;
    let ui = &app.ui;
    common::wizard(ui, &world).await;
    common::go_ahead(ui).await;
    assert_eq!(ui.sync_now(Duration::from_secs(60)).await, "ok");
    common::assert_booked(&world);
    assert_eq!(tray.item_count(), 1, "the app registered its tray icon");

    // A conflict to edit: entry 1 changed on both sides.
    let key = common::conflict_on_entry_1(ui, &world).await;

    // Where the user is: entries filtered, then the conflict with an unfinished edit.
    ui.go("entries").await;
    common::pick(ui, "entries-filter-instance", sims::KEY).await;
    ui.select("entries-filter-state", "synced").await;
    ui.go("conflicts").await;
    ui.click(&format!("conflict-{key}")).await;
    ui.click("conflict-edit").await;
    ui.wait_for("conflict-edit-form").await;
    ui.fill("conflict-edit-description", DRAFT).await;
    ui.shot("editing").await;
    // The draft reaches the core with the next IPC round trip: wait until the core has it.
    wait_kept(ui, DRAFT).await;

    // Closed as a window manager closes it: the window and its web process go, the app stays.
    let pid = app_pid(app.dir());
    let _end = KillOnDrop(pid);
    let old = ui.client.window().await.expect("the window's handle");
    assert_eq!(x11::close_windows(pid).expect("the X display"), 1);
    let mut asked = Instant::now();
    until("the web process gone", Duration::from_secs(30), || {
        // A request that came too early is repeated, as a user clicks again.
        if asked.elapsed() > Duration::from_secs(2) {
            let _ = x11::close_windows(pid);
            asked = Instant::now();
        }
        !procs::tree(pid)
            .iter()
            .any(|p| p.name.starts_with("WebKitWebProc"))
    })
    .await;
    assert_eq!(x11::window_count(pid).unwrap(), 0, "no window is left");
    let left = procs::tree(pid);
    assert_eq!(left[0].pid, pid, "the app runs on in the tray");
    eprintln!(
        "in the tray: {:?}",
        left.iter()
            .map(|p| (p.name.as_str(), procs::mib(p.rss_kib)))
            .collect::<Vec<_>>()
    );

    // Sync now from the tray books a change made meanwhile.
    let other = world.timesheet_of(2).expect("entry 2 was booked");
    world.edit_entry_minutes(2, 45);
    tray.click("Sync now").expect("Sync now in the tray menu");
    until(
        "the tray's run to book entry 2's change",
        Duration::from_secs(60),
        || {
            world
                .kimai
                .timesheet(other.id)
                .is_some_and(|t| sims::seconds(&t) == 45 * 60)
        },
    )
    .await;
    assert!(
        procs::webkit(&procs::tree(pid))
            .iter()
            .all(|p| !p.name.starts_with("WebKitWebProc")),
        "the tray's run needs no web process"
    );

    // Open from the tray: a new window, on the conflicts page, the edit as typed.
    tray.click("Open Timebridge")
        .expect("Open in the tray menu");
    follow_new_window(ui, &old).await;
    ui.wait_for("page-conflicts").await;
    ui.wait_for("conflict-edit-form").await;
    assert_eq!(ui.value("conflict-edit-description").await, DRAFT);
    assert_eq!(
        ui.attr("conflict-detail", "data-kind").await.as_deref(),
        Some("both_changed")
    );
    ui.shot("reopened-conflicts").await;
    ui.go("entries").await;
    for (id, wanted) in [
        ("entries-filter-instance", sims::KEY),
        ("entries-filter-state", "synced"),
    ] {
        let deadline = Instant::now() + Duration::from_secs(30);
        while ui.value(id).await != wanted {
            assert!(
                Instant::now() < deadline,
                "#{id} is restored to {wanted:?}, not {:?}",
                ui.value(id).await
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    ui.shot("reopened-entries").await;

    // Everything the app wrote (database, WAL, logs) is readable by its owner only.
    let written = owner_only_check(app.dir());
    assert!(written.iter().any(|n| n == "timebridge.db"), "{written:?}");
    app.close().await;
}

/// The paths below `dir`, each asserted to have no group or other permission bits.
fn owner_only_check(dir: &std::path::Path) -> Vec<String> {
    use std::os::unix::fs::PermissionsExt;
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(dir).expect("the data directory") {
        let entry = entry.expect("an entry");
        let path = entry.path();
        let mode = entry.metadata().expect("its metadata").permissions().mode();
        assert_eq!(mode & 0o077, 0, "{} is {mode:o}", path.display());
        seen.push(entry.file_name().to_string_lossy().into_owned());
        if path.is_dir() {
            seen.extend(owner_only_check(&path));
        }
    }
    seen
}
