//! What the CLI tests share: the demo simulators, and running the real binary in a data
//! directory of its own with only the tokens a test gives.
//!
//! The keychain: unless a test asks for the real one, every run points D-Bus at a socket
//! that does not exist, so the Secret Service is reliably *unavailable* — the headless-server
//! case — and tokens come from the documented environment variables. No such run can touch a
//! real keychain.

#![allow(dead_code, unreachable_pub)] // each test crate uses a different part

use std::path::Path;
use std::process::{Output, Stdio};

use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeMap;
use timebridge_simulators::kimai::{demo::demo_seed, KimaiSim};
use timebridge_simulators::zammad::{demo::demo_seeds, ZammadSim};

use timebridge_core::sync::entries::InstanceKey;
use timebridge_core::sync::mapping::{MappingRule, Scope};
use timebridge_core::{DataDir, Store};
use timebridge_simulators::{Clock, RunningServer};
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

pub const KIMAI_TOKEN: &str = "demo-kimai-token";
pub const ZAMMAD_TOKEN: &str = "demo-zammad-acme-token";
pub const KIMAI_VAR: &str = "TIMEBRIDGE_TOKEN_KIMAI";
pub const ZAMMAD_VAR: &str = "TIMEBRIDGE_TOKEN_ZAMMAD_ACME";
/// Both demo tokens through their variables.
pub const BOTH: [(&str, &str); 2] = [(KIMAI_VAR, KIMAI_TOKEN), (ZAMMAD_VAR, ZAMMAD_TOKEN)];

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z")
        .unwrap()
        .to_utc()
}

/// The demo Kimai (user `consultant`, timezone Europe/Berlin).
pub async fn kimai() -> RunningServer {
    KimaiSim::from_seed(demo_seed(now()), Clock::manual(now()))
        .start()
        .await
        .unwrap()
}

/// The demo `acme` Zammad (an agent with read-only access to one group).
pub async fn zammad_acme() -> RunningServer {
    let seed = demo_seeds(now())
        .into_iter()
        .find(|(name, _)| name == "acme")
        .unwrap()
        .1;
    ZammadSim::from_seed(seed, Clock::manual(now()))
        .start()
        .await
        .unwrap()
}

/// One run of the binary: its exit code, stdout and stderr.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Stdout as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }

    /// Everything printed, for assertions that nothing leaked.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

impl From<Output> for Run {
    fn from(out: Output) -> Self {
        Self {
            code: out.status.code().expect("exited"),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }
}

/// How a run reaches the keychain.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Keychain {
    /// None reachable (the default).
    Unavailable,
    /// The session's own (only under `scripts/with-keyring.sh`).
    Session,
}

/// `timebridge --data-dir <dir> <args>` with only the `env` tokens, `stdin` piped in.
pub async fn run_with(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    stdin: Option<&str>,
    keychain: Keychain,
) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_timebridge"));
    cmd.arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("TIMEBRIDGE_DATA_DIR")
        .env_remove(KIMAI_VAR)
        .env_remove(ZAMMAD_VAR)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if keychain == Keychain::Unavailable {
        cmd.env_remove("DISPLAY").env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/timebridge-test-bus",
        );
    }
    let mut child = cmd.spawn().unwrap();
    let mut pipe = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        pipe.write_all(text.as_bytes()).await.unwrap();
    }
    drop(pipe);
    child.wait_with_output().await.unwrap().into()
}

/// [`run_with`] with no keychain.
pub async fn run(dir: &Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
    run_with(dir, args, env, stdin, Keychain::Unavailable).await
}

/// `connections list --json` (no tokens given).
pub async fn list(dir: &Path) -> Value {
    let out = run(dir, &["connections", "list", "--json"], &[], None).await;
    assert_eq!(out.code, 0, "{}", out.all());
    out.json()
}

/// A data directory with the demo Kimai (`mine`) and the acme Zammad (`Acme`) added.
pub async fn configured(dir: &Path, kimai_url: &str, zammad_url: &str) {
    let k = [
        "connections",
        "add",
        "kimai",
        "--name",
        "mine",
        "--url",
        kimai_url,
    ];
    let out = run(dir, &k, &BOTH, None).await;
    assert_eq!(out.code, 0, "{}", out.all());
    let z = [
        "connections",
        "add",
        "zammad",
        "--key",
        "acme",
        "--name",
        "Acme",
        "--url",
        zammad_url,
        "--unit",
        "minutes",
    ];
    let out = run(dir, &z, &BOTH, None).await;
    assert_eq!(out.code, 0, "{}", out.all());
}

/// Both demo simulators on the system clock; the sims are kept for their knobs and state.
pub struct Sims {
    pub kimai: KimaiSim,
    pub zammad: ZammadSim,
    pub _servers: (RunningServer, RunningServer),
    pub kimai_url: String,
    pub zammad_url: String,
}

pub async fn sims() -> Sims {
    // The CLI binary syncs as of the system clock, so the data is laid out around the same now:
    // what is asserted holds on any date (scripts/date-proof.sh runs this at hard dates).
    let now = Utc::now();
    let kimai = KimaiSim::from_seed(demo_seed(now), Clock::system());
    let (_, acme) = demo_seeds(now)
        .into_iter()
        .find(|(n, _)| n == "acme")
        .unwrap();
    let zammad = ZammadSim::from_seed(acme, Clock::system());
    let (ks, zs) = (kimai.start().await.unwrap(), zammad.start().await.unwrap());
    Sims {
        kimai,
        zammad,
        kimai_url: ks.url(),
        zammad_url: zs.url(),
        _servers: (ks, zs),
    }
}

/// Books `units` as the consultant now on an Acme ticket they may write to (organization 1,
/// the support group), as if typed into Zammad.
pub fn book_on_acme(sims: &Sims, units: i64) -> i64 {
    let ticket = sims
        .zammad
        .tickets()
        .into_iter()
        .find(|t| t.organization_id == Some(1) && t.group_id == 1)
        .expect("an Acme support ticket")
        .id;
    sims.zammad.add_time_accounting_as(
        "consultant",
        ticket,
        rust_decimal::Decimal::from(units),
        Some(1),
    )
}

/// Acme GmbH (organization 1) → Acme Support (customer 1,
/// project 1), accounting types 1, 2 → activity 1 and 3 → activity 2, saved through the core.
pub fn map_acme(dir: &std::path::Path) {
    let store = Store::open(&DataDir::at(dir).database_file()).unwrap();
    let mut instance = store
        .instance(&InstanceKey::new("acme").unwrap())
        .unwrap()
        .expect("acme was added");
    instance.settings.rules = vec![MappingRule {
        scope: Scope::Organization(1),
        customer: 1,
        project: 1,
        activity: None,
    }];
    instance.settings.activity_by_type = BTreeMap::from([(1, 1), (2, 1), (3, 2)]);
    store.save_instance(&instance).unwrap();
}

/// Both demo simulators on the system clock (the binary syncs as of `Utc::now()`), with the
/// Kimai kept for its knobs and state.
pub struct SystemSims {
    pub kimai: KimaiSim,
    pub kimai_url: String,
    pub zammad_url: String,
    _servers: (RunningServer, RunningServer),
}

/// [`SystemSims`] with the demo data laid out around now.
pub async fn system_sims() -> SystemSims {
    // The CLI binary syncs as of the system clock, so the data is laid out around the same now:
    // what is asserted holds on any date (scripts/date-proof.sh runs this at hard dates).
    let now = Utc::now();
    let kimai = KimaiSim::from_seed(demo_seed(now), Clock::system());
    let (_, acme) = demo_seeds(now)
        .into_iter()
        .find(|(n, _)| n == "acme")
        .unwrap();
    let zammad = ZammadSim::from_seed(acme, Clock::system());
    let (ks, zs) = (kimai.start().await.unwrap(), zammad.start().await.unwrap());
    SystemSims {
        kimai,
        kimai_url: ks.url(),
        zammad_url: zs.url(),
        _servers: (ks, zs),
    }
}

/// `timebridge --data-dir <dir> <args>` started in the background with both demo tokens and
/// no keychain, stdout piped: for long-running commands (`schedule`).
pub fn spawn(dir: &Path, args: &[&str]) -> tokio::process::Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_timebridge"));
    cmd.arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("TIMEBRIDGE_DATA_DIR")
        .envs(BOTH)
        .env_remove("DISPLAY")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/timebridge-test-bus",
        )
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    cmd.spawn().unwrap()
}

/// `timebridge <args> --json` with both demo tokens, which must exit 0; its document.
pub async fn ok_json(dir: &Path, args: &[&str]) -> Value {
    let mut args = args.to_vec();
    args.push("--json");
    let out = run(dir, &args, &BOTH, None).await;
    assert_eq!(out.code, 0, "{args:?}: {}", out.all());
    out.json()
}

/// Runs the binary with `args` (demo tokens, no keychain) until the simulator holds one more
/// stalled write than `reached`, then kills it with SIGKILL and releases the stall: a kill at
/// a precise write step, with no timing involved. Panics (naming `case`) if the run ends first,
/// nothing is held within 30 s, or the process was not killed.
pub async fn kill_when_held(
    dir: &Path,
    args: &[&str],
    knobs: &timebridge_simulators::Knobs,
    reached: u64,
    case: &str,
) -> Output {
    kill_when_held_n(dir, args, knobs, reached, 1, case).await
}

/// [`kill_when_held`] once the simulator holds `n` more stalled writes than `reached` (several
/// writes in flight at the kill).
pub async fn kill_when_held_n(
    dir: &Path,
    args: &[&str],
    knobs: &timebridge_simulators::Knobs,
    reached: u64,
    n: u64,
    case: &str,
) -> Output {
    use std::os::unix::process::ExitStatusExt;
    use std::time::{Duration, Instant};
    let mut child = Command::new(env!("CARGO_BIN_EXE_timebridge"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("TIMEBRIDGE_DATA_DIR")
        .env_remove(KIMAI_VAR)
        .env_remove(ZAMMAD_VAR)
        .envs(BOTH)
        .env_remove("DISPLAY")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/tb-bus")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let start = Instant::now();
    while knobs.stalls_reached() < reached + n {
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().await.unwrap();
            panic!(
                "{case}: {args:?} ended ({status}) before its write was held: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{case}: no write held within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.start_kill().unwrap();
    let out = child.wait_with_output().await.unwrap();
    knobs.release_stalls();
    assert_eq!(out.status.signal(), Some(9), "{case}: killed, not ended");
    out
}
