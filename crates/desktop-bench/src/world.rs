//! The measured setting: the simulators in a process of their own (so their data is not
//! counted), a data directory set up against them with the real `timebridge` CLI (tokens to
//! the session's keychain), and the app started on it.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use timebridge_desktop_bench::procs;

/// The simulators' process, killed on drop.
pub(crate) struct Sims {
    child: Child,
    /// Kimai's address.
    pub(crate) kimai: String,
    /// The helpdesks: (key, address).
    pub(crate) zammad: Vec<(String, String)>,
}

impl Drop for Sims {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Sims {
    /// Starts `timebridge-sim` with the demo data scaled to `tickets` per helpdesk and reads
    /// its addresses from its banner.
    pub(crate) fn start(sim: &Path, tickets: u32) -> Self {
        let mut child = Command::new(sim)
            .args(["--tickets", &tickets.to_string()])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", sim.display()));
        let out = BufReader::new(child.stdout.take().expect("piped"));
        let (mut kimai, mut zammad) = (None, Vec::new());
        for line in out.lines() {
            let line = line.expect("the simulators' banner");
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                ["kimai", url, ..] => kimai = Some(url.to_string()),
                ["zammad", url, name, ..] => {
                    let key = name.trim_matches(|c| c == '(' || c == ')').to_string();
                    zammad.push((key, url.to_string()));
                }
                _ if line.starts_with("Simulators running") => break,
                _ => {}
            }
        }
        Self {
            child,
            kimai: kimai.expect("the simulators named Kimai's address"),
            zammad,
        }
    }
}

/// Runs the CLI on `dir`, feeding `stdin`; panics with its output when it fails.
fn cli(cli: &Path, dir: &Path, args: &[&str], stdin: &str) {
    let mut child = Command::new(cli)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", cli.display()));
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(stdin.as_bytes())
        .expect("the token");
    let out = child.wait_with_output().expect("the CLI ran");
    assert!(
        out.status.success(),
        "timebridge {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Sets up `dir` as a user would with the CLI: Kimai, both demo helpdesks with the demo's
/// mappings, and the go-ahead for their first sync.
pub(crate) fn configure(cli_bin: &Path, dir: &Path, sims: &Sims) {
    let run = |args: &[&str], stdin: &str| cli(cli_bin, dir, args, stdin);
    run(
        &[
            "connections",
            "add",
            "kimai",
            "--name",
            "Kimai",
            "--url",
            &sims.kimai,
            "--token-stdin",
        ],
        "demo-kimai-token",
    );
    for (key, url) in &sims.zammad {
        let token = format!("demo-zammad-{key}-token");
        run(
            &[
                "connections",
                "add",
                "zammad",
                "--key",
                key,
                "--name",
                key,
                "--url",
                url,
                "--token-stdin",
            ],
            &token,
        );
        // As the demo maps them: organization 1 to the customer's main project.
        let project = if key == "globex" { "3" } else { "1" };
        run(
            &[
                "mappings",
                "add-rule",
                key,
                "--scope",
                "organization",
                "--id",
                "1",
                "--project",
                project,
            ],
            "",
        );
        for (ty, activity) in [("1", "1"), ("2", "1"), ("3", "2"), ("none", "1")] {
            run(
                &[
                    "mappings",
                    "set-activity",
                    key,
                    "--type",
                    ty,
                    "--activity",
                    activity,
                ],
                "",
            );
        }
        run(&["mappings", "set", key, "--exact-day-totals", "on"], "");
        run(&["connections", "go-ahead", key], "");
    }
}

/// The app under measurement, killed on drop.
pub(crate) struct App {
    child: Child,
    log_dir: PathBuf,
    started: Instant,
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl App {
    /// Starts the app on `dir` with `args`.
    pub(crate) fn start(app: &Path, dir: &Path, args: &[&str]) -> Self {
        let started = Instant::now();
        let child = Command::new(app)
            .args(args)
            .env("TIMEBRIDGE_DATA_DIR", dir)
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", app.display()));
        Self {
            child,
            log_dir: dir.join("logs"),
            started,
        }
    }

    /// The process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The app and its processes now.
    pub(crate) fn tree(&self) -> Vec<procs::Proc> {
        procs::tree(self.pid())
    }

    /// Time since the start.
    pub(crate) fn age(&self) -> Duration {
        self.started.elapsed()
    }

    /// The log lines that hold `needle`.
    pub(crate) fn lines(&self, needle: &str) -> Vec<String> {
        log_text(&self.log_dir)
            .lines()
            .filter(|l| l.contains(needle))
            .map(str::to_string)
            .collect()
    }

    /// How often the logs hold `needle`.
    pub(crate) fn count(&self, needle: &str) -> usize {
        log_text(&self.log_dir).matches(needle).count()
    }

    /// How often the logs of the app on `dir` hold `needle` (before it is started).
    pub(crate) fn logged(dir: &Path, needle: &str) -> usize {
        log_text(&dir.join("logs")).matches(needle).count()
    }

    /// Waits (polling every `step`) until the logs hold `needle` `times` times; returns the
    /// time waited and the largest tree seen meanwhile (RSS KiB, WebKit processes).
    pub(crate) fn wait_log(
        &mut self,
        needle: &str,
        times: usize,
        step: Duration,
    ) -> (Duration, u64, usize) {
        let from = Instant::now();
        let (mut peak, mut webkit) = (0, 0);
        loop {
            let tree = self.tree();
            peak = peak.max(procs::rss_kib(&tree));
            webkit = webkit.max(procs::webkit(&tree).len());
            if self.count(needle) >= times {
                return (from.elapsed(), peak, webkit);
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the app exited ({status}) before logging {needle:?}");
            }
            assert!(
                from.elapsed() < Duration::from_secs(1800),
                "no {needle:?} in the logs within 30 minutes"
            );
            std::thread::sleep(step);
        }
    }

    /// Sleeps until `at` after the start.
    pub(crate) fn idle_until(&self, at: Duration) {
        if let Some(rest) = at.checked_sub(self.age()) {
            std::thread::sleep(rest);
        }
    }
}

/// Every log file in `log_dir`, one after the other (empty when there are none).
fn log_text(log_dir: &Path) -> String {
    let mut all = String::new();
    if let Ok(dir) = std::fs::read_dir(log_dir) {
        for entry in dir.flatten() {
            all.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
            all.push('\n');
        }
    }
    all
}

/// How many timesheets the app linked in `dir`'s database.
pub(crate) fn links(dir: &Path) -> i64 {
    rusqlite::Connection::open_with_flags(
        dir.join("timebridge.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .and_then(|c| c.query_row("SELECT COUNT(*) FROM links", [], |r| r.get(0)))
    .unwrap_or(-1)
}
