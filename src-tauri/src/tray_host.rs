//! Is there a system tray that would show our icon?
//!
//! On Linux Tauri's tray goes through libayatana-appindicator, which needs a StatusNotifier host
//! (`org.kde.StatusNotifierWatcher` on the session bus). Without one, creating the icon still
//! "succeeds" but nothing is shown, and hiding the window on close would leave the user with
//! no way back. So we ask the bus first; when in doubt we report "absent", which only means
//! closing the window quits the app (nothing is lost).

/// Whether a tray icon would be visible.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TrayHost {
    Present,
    /// Absent, with the reason for the log line.
    #[cfg_attr(
        not(target_os = "linux"),
        expect(dead_code, reason = "macOS and Windows always have a tray")
    )]
    Absent(String),
}

/// Detects a tray host.
#[cfg(target_os = "linux")]
pub(crate) fn detect() -> TrayHost {
    use std::time::Duration;

    const WATCHER: &str = "org.kde.StatusNotifierWatcher";
    let conn = match dbus::blocking::Connection::new_session() {
        Ok(conn) => conn,
        Err(e) => return TrayHost::Absent(format!("no D-Bus session bus: {e}")),
    };
    let proxy = conn.with_proxy(
        "org.freedesktop.DBus",
        "/org/freedesktop/DBus",
        Duration::from_secs(2),
    );
    let owned: Result<(bool,), _> =
        proxy.method_call("org.freedesktop.DBus", "NameHasOwner", (WATCHER,));
    match owned {
        Ok((true,)) => TrayHost::Present,
        Ok((false,)) => TrayHost::Absent(format!("no {WATCHER} on the session bus")),
        Err(e) => TrayHost::Absent(format!("cannot ask the session bus: {e}")),
    }
}

/// Detects a tray host: macOS and Windows always have one.
#[cfg(not(target_os = "linux"))]
pub(crate) fn detect() -> TrayHost {
    TrayHost::Present
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// Run under a private bus (`scripts/with-display.sh` does): there the watcher is absent
    /// until this test claims its name, as a tray host would.
    #[test]
    fn a_tray_host_is_seen_exactly_when_the_watcher_name_is_owned() {
        let bus = dbus::blocking::Connection::new_session()
            .expect("a D-Bus session bus: run under dbus-run-session (scripts/with-display.sh)");
        let before = detect();
        if let TrayHost::Absent(why) = &before {
            assert!(why.contains("StatusNotifierWatcher"), "{why}");
            bus.request_name("org.kde.StatusNotifierWatcher", false, true, true)
                .unwrap();
        }
        assert_eq!(
            detect(),
            TrayHost::Present,
            "a watcher on the bus is a tray host"
        );
    }
}
