//! Desktop measurements: cold start to the first meaningful paint, idle memory one
//! minute after start with the window open and in the tray only, memory during a sync of
//! ~10,000 entries, and the size of the .deb bundle.
//!
//! Runs the real app binary in demo mode (its simulators in-process, so the memory numbers
//! include them) with a data directory of its own. Needs an X display and a session bus:
//! `scripts/measure-desktop.sh` provides both and builds the release app first.
//!
//! - First meaningful paint: the UI renders its frame, then asks for the app state; the shell
//!   logs "window ready" at that first call. Measured from spawn to that log line.
//! - Memory: resident set size of the app and every process under it (WebKit's web and network
//!   processes), from /proc, sampled every 100 ms.
//! - Tray only: a login launch (`--minimized`) with a StatusNotifier watcher name owned on the
//!   bus by this tool, so the app believes a tray host exists and keeps its window hidden.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clap::Parser;

#[derive(Parser)]
#[command(about = "Measures the desktop app: start time, idle and sync memory, bundle size")]
struct Args {
    /// The app binary (a release build with embedded assets).
    #[arg(long, default_value = "target/release/timebridge-desktop")]
    app: PathBuf,
    /// Where the .deb bundle is looked for.
    #[arg(long, default_value = "target/release/bundle/deb")]
    deb_dir: PathBuf,
    /// Seconds to wait before the idle samples.
    #[arg(long, default_value_t = 60)]
    idle_secs: u64,
    /// Tickets per demo helpdesk for the large sync (13,500 ≈ 10,000 timesheets in the horizon).
    #[arg(long, default_value_t = 13500)]
    tickets: u32,
}

/// Resident set size in KiB of `pid` and all its descendants.
fn tree_rss_kib(pid: u32) -> u64 {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for entry in dir.flatten() {
            let Ok(p) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
            // The command name may contain spaces: the ppid is the 2nd field after ')'.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok());
            if let Some(ppid) = ppid {
                parents.push((p, ppid));
            }
        }
    }
    let mut tree = vec![pid];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(
            parents
                .iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    tree.iter().map(|p| rss_kib(*p)).sum()
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// The app under measurement, killed on drop.
struct Running {
    child: Child,
    data: tempfile::TempDir,
    started: Instant,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    fn start(app: &Path, extra_args: &[&str], envs: &[(&str, String)]) -> Self {
        let data = tempfile::tempdir().expect("a temporary data directory");
        let started = Instant::now();
        let child = Command::new(app)
            .args(extra_args)
            .env("TIMEBRIDGE_DATA_DIR", data.path())
            .env("TIMEBRIDGE_DEMO", "1")
            .env("RUST_LOG", "info")
            .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", app.display()));
        Self {
            child,
            data,
            started,
        }
    }

    fn logs(&self) -> String {
        let mut all = String::new();
        if let Ok(dir) = std::fs::read_dir(self.data.path().join("logs")) {
            for entry in dir.flatten() {
                all.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
            }
        }
        all
    }

    /// Waits until the logs contain `needle` `count` times, sampling memory meanwhile;
    /// returns (elapsed since spawn, peak tree RSS in KiB).
    fn wait_log(&mut self, needle: &str, count: usize, limit: Duration) -> (Duration, u64) {
        let mut peak = 0;
        loop {
            peak = peak.max(tree_rss_kib(self.child.id()));
            if self.logs().matches(needle).count() >= count {
                return (self.started.elapsed(), peak);
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the app exited ({status}) before logging {needle:?}");
            }
            assert!(
                self.started.elapsed() < limit,
                "no {needle:?} in the logs within {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Memory after the app has idled until `secs` after its start.
    fn idle_rss(&self, secs: u64) -> u64 {
        let until = Duration::from_secs(secs);
        if let Some(rest) = until.checked_sub(self.started.elapsed()) {
            std::thread::sleep(rest);
        }
        tree_rss_kib(self.child.id())
    }
}

/// Owns the StatusNotifier watcher name, as a tray host would, while alive.
fn fake_tray_host() -> dbus::blocking::Connection {
    let conn = dbus::blocking::Connection::new_session()
        .expect("a session bus (run under scripts/measure-desktop.sh)");
    conn.request_name("org.kde.StatusNotifierWatcher", false, true, false)
        .expect("the watcher name");
    conn
}

fn main() {
    let args = Args::parse();
    assert!(
        args.app.is_file(),
        "{} is missing: build it with `npx tauri build` (scripts/scripts/measure-desktop.sh does)",
        args.app.display()
    );
    let limit = Duration::from_secs(600);
    println!("app: {}", args.app.display());

    // 1. Window open: cold start, then idle.
    let mut window = Running::start(&args.app, &[], &[]);
    let (paint, _) = window.wait_log("window ready", 1, limit);
    println!(
        "cold start to first meaningful paint: {} ms",
        paint.as_millis()
    );
    window.wait_log("sync run finished", 1, limit);
    let idle_window = window.idle_rss(args.idle_secs);
    println!(
        "idle RSS {} s after start, window open: {}",
        args.idle_secs,
        mib(idle_window)
    );
    drop(window);

    // 2. Tray only: a login launch with a tray host on the bus.
    let host = fake_tray_host();
    let mut tray = Running::start(&args.app, &["--minimized"], &[]);
    tray.wait_log("sync run finished", 1, limit);
    let idle_tray = tray.idle_rss(args.idle_secs);
    println!(
        "idle RSS {} s after start, tray only: {}",
        args.idle_secs,
        mib(idle_tray)
    );
    drop(tray);
    drop(host);

    // 3. A large first sync (the demo's first run, scaled).
    let mut large = Running::start(
        &args.app,
        &[],
        &[("TIMEBRIDGE_DEMO_TICKETS", args.tickets.to_string())],
    );
    let (ready, _) = large.wait_log("sync run started", 1, limit);
    let (done, peak) = large.wait_log("sync run finished", 1, Duration::from_secs(3600));
    let db = large.data.path().join("demo").join("timebridge.db");
    let linked =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .and_then(|c| c.query_row("SELECT COUNT(*) FROM links", [], |r| r.get::<_, i64>(0)))
            .map_or_else(|e| format!("unknown ({e})"), |n| n.to_string());
    let logs = large.logs();
    let outcome = logs
        .lines()
        .find(|l| l.contains("sync run finished"))
        .unwrap_or("");
    println!(
        "large sync ({} tickets per helpdesk, {linked} timesheets linked): {:.1} s, peak RSS {} ({outcome})",
        args.tickets,
        (done - ready).as_secs_f64(),
        mib(peak)
    );
    drop(large);

    // 4. The bundle.
    let deb = std::fs::read_dir(&args.deb_dir).ok().and_then(|d| {
        d.flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "deb"))
    });
    match deb.and_then(|p| Some((p.metadata().ok()?.len(), p))) {
        Some((bytes, path)) => println!(
            ".deb bundle: {:.1} MiB ({})",
            bytes as f64 / 1_048_576.0,
            path.display()
        ),
        None => println!(".deb bundle: not found in {}", args.deb_dir.display()),
    }
}
