//! Updating the installed app from inside it, as a user on Debian does: version N installed
//! from its `.deb`, set up and synced; the release server offers N+1, and the check at start
//! finds it without being asked. First its package is signed with a key that is not the
//! app's: the install is refused, said as such, and N stays installed; the same for a package
//! changed after it was signed with the right key. Then the good signature
//! ("Check now" finds it): installed with dpkg while the app runs, "Restart now"
//! starts N+1, and N+1 finds the user's connections, settings and bookings as they were (its
//! sync books nothing twice).
//!
//! Needs root (dpkg) or sudo, like the updater itself; installs and then purges the
//! `timebridge` package, so it refuses to run where one is installed already.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common;
use crate::harness::release::{self, Installed, Key, Server};
use crate::harness::sims::World;
use crate::harness::ui::Ui;
use crate::harness::{Driver, SERIAL};

const PACKAGE: &str = "timebridge";
const INSTALLED_APP: &str = "/usr/bin/timebridge-desktop";

/// The pids running the installed app, each with whether its binary was replaced since.
fn installed_app_processes() -> Vec<(u32, bool)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(exe) = std::fs::read_link(entry.path().join("exe")) else {
            continue;
        };
        let exe = exe.to_string_lossy().to_string();
        if exe == INSTALLED_APP {
            found.push((pid, false));
        } else if exe == format!("{INSTALLED_APP} (deleted)") {
            found.push((pid, true));
        }
    }
    found
}

fn preflight() {
    let uid = Command::new("id").arg("-u").output().expect("id");
    let root = String::from_utf8_lossy(&uid.stdout).trim() == "0";
    let sudo = Command::new("sh")
        .args(["-c", "command -v sudo"])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        root && sudo,
        "the update journey installs packages: run it as root with sudo installed (scripts/setup.sh installs sudo)"
    );
    assert_eq!(
        release::installed_version(PACKAGE),
        None,
        "a {PACKAGE} package is installed on this machine; this journey would replace and purge it: remove it first"
    );
}

/// N and N+1 built against `server`, N+1 signed with `good` and with `bad`.
struct Builds {
    n: String,
    next: String,
    n_deb: PathBuf,
    next_deb: PathBuf,
    good_sig: String,
    bad_sig: String,
}

fn build(scratch: &Path, endpoint: &str) -> Builds {
    let good = Key::generate(scratch, "good");
    let bad = Key::generate(scratch, "bad");
    let n = env!("CARGO_PKG_VERSION").to_string();
    let next = release::next_patch(&n);
    let n_deb = release::build_deb(&n, &good, endpoint, scratch);
    // Kept apart: the next build writes into the same bundle directory.
    let kept = scratch.join(n_deb.file_name().unwrap());
    std::fs::copy(&n_deb, &kept).unwrap();
    let next_deb = release::build_deb(&next, &good, endpoint, scratch);
    let good_sig = good.sign(&next_deb, &next);
    let bad_sig = bad.sign(&next_deb, &next);
    Builds {
        n,
        next,
        n_deb: kept,
        next_deb,
        good_sig,
        bad_sig,
    }
}

/// Checks now on the settings page and waits until N+1 is offered.
async fn check_offers(ui: &Ui, next: &str) {
    // Waiting for "available" proves this check only if the card showed something else.
    let before = ui.attr_now("update-state", "data-state").await;
    assert_ne!(before.as_deref(), Some("available"), "before Check now");
    ui.click("update-check").await;
    ui.wait_attr_where("update-state", "data-state", Duration::from_secs(60), |s| {
        s == "available"
    })
    .await;
    let text = ui.text("update-state").await;
    assert!(text.contains(next), "the offer names {next}: {text:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_badly_signed_is_refused_and_a_good_one_installs_and_restarts_into_the_same_data()
{
    let _serial = SERIAL.lock().await;
    preflight();
    let scratch = tempfile::tempdir().unwrap();
    // The server's address goes into the builds' configuration, so it starts first.
    let server = Server::start().await;
    let (dir, endpoint) = (scratch.path().to_path_buf(), server.url("latest.json"));
    let b = tokio::task::spawn_blocking(move || build(&dir, &endpoint))
        .await
        .unwrap();

    // Version N, installed from its package as a user does.
    release::dpkg_install(&b.n_deb);
    let _purge = Installed(PACKAGE);
    assert_eq!(release::installed_version(PACKAGE), Some(b.n.clone()));
    let app = Path::new(INSTALLED_APP);
    assert!(app.is_file(), "the package installs {INSTALLED_APP}");

    // N+1 on offer from the start, signed with a key that is not the app's.
    server.offer(&b.next, &b.next_deb, &b.bad_sig);

    // Set up, synced, and a decision of the user's: the schedule set to hourly.
    let world = World::recent().await;
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let ui = Ui::new(driver.client_of(app).await, "update").await;
    common::wizard(&ui, &world).await;
    common::go_ahead(&ui).await;
    assert_eq!(ui.sync_now(Duration::from_secs(60)).await, "ok");
    common::assert_booked(&world);
    let booked = world.marked_timesheets().len();
    ui.go("settings").await;
    ui.select("settings-schedule", "hourly").await;
    ui.click("settings-save").await;
    ui.wait_for("settings-saved").await;
    assert_eq!(ui.text("update-current").await, b.n);

    // The check at start (20 s after it) found N+1 without "Check now"; installing it is
    // refused: the signature is not the release key's.
    ui.wait_attr_where("update-state", "data-state", Duration::from_secs(60), |s| {
        s == "available"
    })
    .await;
    let offered = ui.text("update-state").await;
    assert!(
        offered.contains(&b.next),
        "the offer names {}: {offered:?}",
        b.next
    );
    ui.shot("offered-at-start").await;
    install_is_refused(&ui, &b.n, "bad-signature-refused").await;

    // The package changed after it was signed (one byte more), with the release key's
    // signature of the real one: refused the same way.
    let tampered = scratch
        .path()
        .join(format!("Timebridge_{}_amd64-changed.deb", b.next));
    let mut bytes = std::fs::read(&b.next_deb).unwrap();
    bytes.push(0);
    std::fs::write(&tampered, bytes).unwrap();
    server.offer(&b.next, &tampered, &b.good_sig);
    check_offers(&ui, &b.next).await;
    install_is_refused(&ui, &b.n, "changed-package-refused").await;

    // The release signed properly: installed while the app runs, then "Restart now".
    server.offer(&b.next, &b.next_deb, &b.good_sig);
    check_offers(&ui, &b.next).await;
    ui.click("update-install").await;
    // The first final state seen decides (a poll's older answer may show for a moment after).
    let ended = ui
        .wait_attr_where(
            "update-state",
            "data-state",
            Duration::from_secs(300),
            |s| s == "installed" || s == "failed",
        )
        .await;
    ui.shot("installed").await;
    let said = ui.text("update-state").await;
    assert_eq!(
        ended,
        "installed",
        "{said:?} {:?}",
        ui.attr_now("update-detail", "id").await
    );
    assert_eq!(release::installed_version(PACKAGE), Some(b.next.clone()));
    // The app keeps its own files owner-only (umask 077); what it installs for every account
    // must not inherit that.
    for (path, mode) in [
        (INSTALLED_APP, 0o755),
        ("/usr/share/applications/Timebridge.desktop", 0o644),
    ] {
        use std::os::unix::fs::PermissionsExt;
        let found = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(found, mode, "{path} is {found:o} after the update");
    }
    let before = installed_app_processes();
    assert!(
        before.iter().any(|(_, replaced)| *replaced),
        "the running app is N, its binary replaced on disk: {before:?}"
    );
    // The app ends while the click is answered: the click's own result says nothing.
    let restart = ui.wait_for("update-restart").await;
    let _ = restart.click().await;
    let restarted = wait_for_restart(&before).await;
    // The restarted app is outside the WebDriver session: end it, then open N+1 in a new one.
    stop(restarted).await;
    ui.close().await;

    let ui = Ui::new(driver.client_of(app).await, "update-after").await;
    ui.go("status").await;
    assert_eq!(ui.text("status-version").await, b.next, "N+1 runs");
    ui.go("settings").await;
    assert_eq!(
        ui.value("settings-schedule").await,
        "hourly",
        "the decision kept"
    );
    assert_eq!(ui.text("update-current").await, b.next);
    ui.shot("after-restart").await;
    // The same connections (tokens in the keychain) and bookings: a sync books nothing twice.
    assert_eq!(ui.sync_now(Duration::from_secs(60)).await, "ok");
    common::assert_booked(&world);
    assert_eq!(world.marked_timesheets().len(), booked);
    ui.close().await;
}

/// Presses Install and finds it refused for its signature, with `n` still installed.
async fn install_is_refused(ui: &Ui, n: &str, shot: &str) {
    ui.click("update-install").await;
    ui.wait_attr_where(
        "update-state",
        "data-state",
        Duration::from_secs(120),
        |s| s == "failed",
    )
    .await;
    // The card also polls the state: an answer read before the failure may show for a
    // moment after it, so wait for the refusal's words.
    let refused = ui
        .wait_text(
            "update-state",
            "signature does not match",
            Duration::from_secs(10),
        )
        .await;
    ui.shot(shot).await;
    assert!(
        refused.contains("signature does not match"),
        "the refusal says why: {refused:?}"
    );
    assert_eq!(
        release::installed_version(PACKAGE).as_deref(),
        Some(n),
        "nothing was installed"
    );
}

/// Waits until the app runs again from the new binary; returns its pid.
async fn wait_for_restart(before: &[(u32, bool)]) -> u32 {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let now = installed_app_processes();
        let old_gone = before
            .iter()
            .all(|(pid, _)| !now.iter().any(|(p, _)| p == pid));
        let fresh = now
            .iter()
            .find(|(pid, replaced)| !replaced && !before.iter().any(|(p, _)| p == pid));
        if let (true, Some((pid, _))) = (old_gone, fresh) {
            return *pid;
        }
        assert!(
            Instant::now() < deadline,
            "no restart into the new binary within 60 s: before {before:?}, now {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Ends the app `pid` (SIGTERM) and waits until it is gone.
async fn stop(pid: u32) {
    let _ = Command::new("kill").arg(pid.to_string()).status();
    let deadline = Instant::now() + Duration::from_secs(20);
    // Gone, or a zombie nobody reaps yet (it has no binary any more).
    while std::fs::read_link(format!("/proc/{pid}/exe")).is_ok() {
        assert!(
            Instant::now() < deadline,
            "the restarted app {pid} did not end"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
