//! Desktop measurements of the release app (docs/performance.md), against the simulators in
//! a process of their own and a data directory set up with the CLI, as a user's would be:
//!
//! 0. the app is started once and ended, as the display's first GTK program (see
//!    `warm_up_display`);
//! 1. **first sync, window closed**: `--minimized --sync-now` on a fresh account of
//!    `--tickets` tickets per helpdesk (13,500 ≈ 10,000 timesheets); peak memory of the app's
//!    process tree until "sync run finished"; no WebKit process may appear;
//! 2. **tray only**: the synced account, `--minimized`; memory at `--settle-secs` and at
//!    `--long-secs` after the start, CPU time over the `--long-secs` after settling (the
//!    schedule stays on: a scheduled run in that window counts, and is reported);
//! 3. **reopen**: Open from the tray menu (a stand-in tray host clicks it as a panel does) to
//!    the UI's "window ready" line; then the window idles `--settle-secs` (memory per
//!    process), is closed as a window manager closes it (the WebKit processes must go), and is
//!    reopened from the tray again;
//! 4. **cold start**: a fresh start with the window to "window ready".
//!
//! "window ready" is logged when a freshly loaded UI, having painted its frame, asks the core
//! where the user was. Memory is the resident set (and the proportional set) of the app and
//! every process under it, from /proc. `--check` exits with 1 when a budget is missed.
//! Needs an X display and a session bus with a keychain: `scripts/measure-desktop.sh`.

//!
//! Linux only: it reads /proc, closes X11 windows and stands in for the StatusNotifier tray.

#[cfg(target_os = "linux")]
mod bench;
#[cfg(target_os = "linux")]
mod report;
#[cfg(target_os = "linux")]
mod world;

#[cfg(target_os = "linux")]
fn main() {
    bench::main();
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("timebridge-desktop-bench measures the Linux desktop (/proc, X11, the tray); it runs on Linux only");
    std::process::exit(2);
}
