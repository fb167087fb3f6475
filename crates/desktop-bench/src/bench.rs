//! The measurements themselves, in the order the crate's documentation gives.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use timebridge_desktop_bench::tray_host::TrayHost;
use timebridge_desktop_bench::{procs, x11};

use crate::report::{self, Budget, Sample, Table};
use crate::world::{self, App, Sims};

#[derive(Parser)]
#[command(
    about = "Measures the desktop app: tray and window memory, idle CPU, reopen and start times"
)]
struct Args {
    /// The app binary (a release build with embedded assets).
    #[arg(long, default_value = "target/release/timebridge-desktop")]
    app: PathBuf,
    /// The CLI that sets up the account.
    #[arg(long, default_value = "target/release/timebridge")]
    cli: PathBuf,
    /// The simulators' binary.
    #[arg(long, default_value = "target/release/timebridge-sim")]
    sim: PathBuf,
    /// Where the .deb bundle is looked for.
    #[arg(long, default_value = "target/release/bundle/deb")]
    deb_dir: PathBuf,
    /// Tickets per demo helpdesk (13,500 ≈ 10,000 timesheets in the sync horizon).
    #[arg(long, default_value_t = 13500)]
    tickets: u32,
    /// Runs of everything.
    #[arg(long, default_value_t = 3)]
    runs: u32,
    /// Seconds after a start (or an Open) before the first idle sample.
    #[arg(long, default_value_t = 60)]
    settle_secs: u64,
    /// Seconds after the start of the second tray sample; idle CPU is taken over this long
    /// from the first sample.
    #[arg(long, default_value_t = 600)]
    long_secs: u64,
    /// In the tray, with the window open and after it was closed, wait this long (printing the app's pid) before going on:
    /// time to look at the process by hand (smaps, gdb).
    #[arg(long, default_value_t = 0)]
    hold_secs: u64,
    /// Exit with 1 when a budget is missed.
    #[arg(long)]
    check: bool,
}

/// The tray menu's Open entry (English, the app's default language).
const LABEL_OPEN: &str = "Open Timebridge";

pub(crate) fn main() {
    let args = Args::parse();
    for bin in [&args.app, &args.cli, &args.sim] {
        assert!(
            bin.is_file(),
            "{} is missing: scripts/measure-desktop.sh builds it",
            bin.display()
        );
    }
    let mut table = Table::default();
    for run in 1..=args.runs {
        println!("run {run} of {}", args.runs);
        measure(&args, &mut table);
    }
    println!();
    table.print();
    print_bundle(&args);
    if args.check && !table.all_met() {
        eprintln!("a budget was missed");
        std::process::exit(1);
    }
}

/// One run of every measurement, each into `table`.
fn measure(args: &Args, table: &mut Table) {
    let settle = Duration::from_secs(args.settle_secs);
    let long = Duration::from_secs(args.long_secs);
    let step = Duration::from_millis(100);
    let sims = Sims::start(&args.sim, args.tickets);
    let data = tempfile::tempdir().expect("a data directory");
    world::configure(&args.cli, data.path(), &sims);
    let host = TrayHost::start().expect("a stand-in tray host");
    warm_up_display(args);

    // 1. The first sync with the window closed.
    let mut app = App::start(&args.app, data.path(), &["--minimized", "--sync-now"]);
    let (took, peak, webkit) = app.wait_log("sync run finished", 1, step);
    let linked = world::links(data.path());
    println!(
        "  first sync, window closed: {linked} timesheets linked in {:.1} s, peak {:.1} MiB, {webkit} WebKit processes",
        took.as_secs_f64(),
        procs::mib(peak)
    );
    table.add(Budget::SyncPeak, Sample::peak_rss(peak));
    assert_eq!(
        webkit, 0,
        "a WebKit process ran while the window was closed"
    );
    drop(app);

    // 2. Tray only, on the synced account.
    let app = App::start(&args.app, data.path(), &["--minimized"]);
    app.idle_until(settle);
    let first = app.tree();
    let runs_before = app.count("sync run finished");
    app.idle_until(long);
    let second = app.tree();
    app.idle_until(settle + long);
    let last = app.tree();
    let scheduled = app.count("sync run finished") - runs_before;
    let cpu = procs::cpu_secs(&last) - procs::cpu_secs(&first);
    println!(
        "  tray only: {:.1} MiB at {} s, {:.1} MiB at {} s (PSS {:.1} / {:.1}), {} processes; CPU {cpu:.2} s over {} s ({scheduled} scheduled runs in it)",
        procs::mib(procs::rss_kib(&first)),
        settle.as_secs(),
        procs::mib(procs::rss_kib(&second)),
        long.as_secs(),
        procs::mib(procs::pss_kib(&first)),
        procs::mib(procs::pss_kib(&second)),
        first.len(),
        long.as_secs(),
    );
    table.add(Budget::TraySettled, Sample::memory(&first));
    table.add(Budget::TrayLong, Sample::memory(&second));
    table.add(Budget::IdleCpu, Sample::secs(cpu));

    hold(args, &app, "in the tray");

    // 3. Open from the tray, idle, close, reopen.
    let mut app = app;
    let opened = open_from_tray(&host, &mut app);
    app.idle_until(app.age() + settle);
    let window = app.tree();
    println!(
        "  open from the tray: {} ms; window open after {} s: {:.1} MiB (PSS {:.1}): {}",
        opened.as_millis(),
        settle.as_secs(),
        procs::mib(procs::rss_kib(&window)),
        procs::mib(procs::pss_kib(&window)),
        report::split(&window)
    );
    table.add(Budget::WindowIdle, Sample::memory(&window));
    table.add(Budget::Reopen, Sample::millis(opened));
    hold(args, &app, "window open");
    let closed = close_window(&app);
    app.idle_until(app.age() + Duration::from_secs(5));
    let tray_again = app.tree();
    println!(
        "  closed: WebKit's web process gone after {} ms; 5 s later {:.1} MiB (PSS {:.1}): {}",
        closed.as_millis(),
        procs::mib(procs::rss_kib(&tray_again)),
        procs::mib(procs::pss_kib(&tray_again)),
        report::split(&tray_again)
    );
    table.add(Budget::TrayAfterClose, Sample::memory(&tray_again));
    hold(args, &app, "closed");
    let reopened = open_from_tray(&host, &mut app);
    println!("  reopen after a close: {} ms", reopened.as_millis());
    table.add(Budget::Reopen, Sample::millis(reopened));
    drop(app);

    // 4. A cold start with the window.
    let before = App::logged(data.path(), "window ready");
    let mut app = App::start(&args.app, data.path(), &[]);
    let (cold, _, _) = app.wait_log("window ready", before + 1, Duration::from_millis(5));
    println!(
        "  cold start to first meaningful paint: {} ms",
        cold.as_millis()
    );
    table.add(Budget::ColdStart, Sample::millis(cold));
}

/// The first GTK program on an X display probes OpenGL (Mesa's software driver and LLVM: about
/// 50 MiB that stay mapped in that process) and caches the answer on the root window; every
/// later one reads the cache. A desktop session has run many GTK programs before Timebridge,
/// the fresh Xvfb of a measurement none: so the app is started once in the tray and ended
/// before anything is measured, as the session's first GTK program.
fn warm_up_display(args: &Args) {
    let empty = tempfile::tempdir().expect("a data directory");
    let mut app = App::start(&args.app, empty.path(), &["--minimized"]);
    app.wait_log("tray icon created", 1, Duration::from_millis(50));
}

/// Waits `--hold-secs` (if any) with the app's pid printed.
fn hold(args: &Args, app: &App, what: &str) {
    if args.hold_secs > 0 {
        println!(
            "  holding {} s ({what}): the app is pid {}",
            args.hold_secs,
            app.pid()
        );
        std::thread::sleep(Duration::from_secs(args.hold_secs));
    }
}

/// Clicks Open in the tray menu and waits for the fresh UI's "window ready" line.
fn open_from_tray(host: &TrayHost, app: &mut App) -> Duration {
    let before = app.count("window ready");
    let until = std::time::Instant::now() + Duration::from_secs(30);
    while host.item_count() == 0 {
        assert!(
            std::time::Instant::now() < until,
            "the app registered no tray item"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let start = std::time::Instant::now();
    host.click(LABEL_OPEN).expect("Open in the tray menu");
    app.wait_log("window ready", before + 1, Duration::from_millis(5));
    start.elapsed()
}

/// Closes the window as a window manager does; returns how long WebKit's web process took
/// to go. The network process may stay (WebKitGTK keeps it for the app's web context).
fn close_window(app: &App) -> Duration {
    let start = std::time::Instant::now();
    let asked = x11::close_windows(app.pid()).expect("the X display");
    assert_eq!(asked, 1, "one window to close");
    let mut last_ask = start;
    loop {
        let tree = app.tree();
        if !tree.iter().any(|p| p.name.starts_with("WebKitWebProc")) {
            return start.elapsed();
        }
        // A window that has only just been shown may miss the request (seen with a debug
        // build 3 s after Open): ask again, as a user clicks again.
        if last_ask.elapsed() > Duration::from_secs(2) {
            let _ = x11::close_windows(app.pid());
            last_ask = std::time::Instant::now();
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "WebKit's web process is still there 30 s after the window closed: {}; the app's window lines: {:#?}",
            report::split(&tree),
            app.lines("window")
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn print_bundle(args: &Args) {
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
