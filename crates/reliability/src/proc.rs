//! Running the real `timebridge` binary as a child process: found through `TIMEBRIDGE_BIN` or
//! next to this executable (`cargo build -p timebridge-cli` puts it in the same target
//! directory), with only the harness's tokens and no reachable keychain.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use tokio::process::{Child, Command};

use crate::dataset::{KIMAI_TOKEN, ZAMMAD_TOKEN};
use crate::HarnessError;

/// Names the binary explicitly.
pub const BIN_VAR: &str = "TIMEBRIDGE_BIN";
const KIMAI_VAR: &str = "TIMEBRIDGE_TOKEN_KIMAI";
const ZAMMAD_VAR: &str = "TIMEBRIDGE_TOKEN_ZAMMAD_ACME";

/// The CLI binary: `$TIMEBRIDGE_BIN`, else `timebridge` in this executable's target directory
/// (`target/debug/` for a binary, its parent for a test in `target/debug/deps/`).
pub fn cli_binary() -> Result<PathBuf, HarnessError> {
    if let Some(path) = std::env::var_os(BIN_VAR) {
        return Ok(PathBuf::from(path));
    }
    let exe = std::env::current_exe().map_err(|e| HarnessError::Setup(e.to_string()))?;
    let mut dir = exe.parent().map(Path::to_path_buf).unwrap_or_default();
    if dir.ends_with("deps") {
        dir.pop();
    }
    let bin = dir.join("timebridge");
    if bin.is_file() {
        Ok(bin)
    } else {
        Err(HarnessError::Setup(format!(
            "no CLI binary at {}: run `cargo build -p timebridge-cli` or set {BIN_VAR}",
            bin.display()
        )))
    }
}

/// What a finished run printed.
#[derive(Clone, Debug)]
pub struct Finished {
    /// Exit code (`None`: killed by a signal).
    pub code: Option<i32>,
    /// Stdout.
    pub stdout: String,
    /// Stderr.
    pub stderr: String,
}

impl Finished {
    /// Stdout as JSON (`Null` when it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or(serde_json::Value::Null)
    }

    /// Everything printed, for a failure report.
    pub fn all(&self) -> String {
        format!(
            "exit {:?}: {} {}",
            self.code,
            self.stdout.trim(),
            self.stderr.trim()
        )
    }
}

/// `timebridge --data-dir <dir> <args>`, started.
pub fn spawn(bin: &Path, dir: &Path, args: &[&str]) -> Result<Child, HarnessError> {
    Command::new(bin)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("TIMEBRIDGE_DATA_DIR")
        .env(KIMAI_VAR, KIMAI_TOKEN)
        .env(ZAMMAD_VAR, ZAMMAD_TOKEN)
        .env_remove("DISPLAY")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/tb-reliability-bus",
        )
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| HarnessError::Setup(format!("cannot start {}: {e}", bin.display())))
}

/// Waits for a started child and collects what it printed.
pub async fn finish(child: Child) -> Result<Finished, HarnessError> {
    let out = child
        .wait_with_output()
        .await
        .map_err(|e| HarnessError::Setup(e.to_string()))?;
    Ok(Finished {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

/// The longest a run may take before it counts as hung.
pub const HUNG_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// Runs `timebridge --data-dir <dir> <args>` to its end; one still running after
/// [`HUNG_AFTER`] is killed (dropping it kills it) and reported as hung: no exit code,
/// stderr says so.
pub async fn run(bin: &Path, dir: &Path, args: &[&str]) -> Result<Finished, HarnessError> {
    let child = spawn(bin, dir, args)?;
    match tokio::time::timeout(HUNG_AFTER, finish(child)).await {
        Ok(out) => out,
        Err(_) => Ok(Finished {
            code: None,
            stdout: String::new(),
            stderr: format!("HUNG: {args:?} still running after {HUNG_AFTER:?}, killed"),
        }),
    }
}
