//! Logging for the desktop app and the CLI: `tracing` to stderr and to a daily rolling file in
//! the data directory, filtered by `RUST_LOG` (default `info`).
//!
//! Logging is set up before the database is opened so start-up failures are logged too; if the
//! log directory cannot be written, stderr logging still works and the failure is logged there.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{Builder, Rotation};
use tracing_subscriber::{fmt, layer::SubscriberExt, util::SubscriberInitExt, EnvFilter, Layer};

/// How many daily log files are kept.
const KEEP_LOG_FILES: usize = 14;

/// Keeps the file writer alive; logs are flushed when it is dropped (at exit).
#[must_use = "dropping the guard stops file logging"]
pub struct LogGuard {
    _file: Option<WorkerGuard>,
    /// Where the log files go, if file logging is on.
    pub log_dir: Option<PathBuf>,
}

fn filter() -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"))
}

/// Installs the global subscriber. Call once, early. `log_dir` `None` logs to stderr only.
pub fn init(log_dir: Option<&Path>) -> LogGuard {
    let stderr = fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_filter(filter());
    let mut file_error = None;
    let (file_layer, guard, dir) = match log_dir.map(open_appender) {
        Some(Ok((appender, dir))) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let layer = fmt::layer()
                .with_writer(writer)
                .with_ansi(false)
                .with_filter(filter());
            (Some(layer), Some(guard), Some(dir))
        }
        Some(Err(e)) => {
            file_error = Some(e);
            (None, None, None)
        }
        None => (None, None, None),
    };
    // A second init (tests) keeps the first subscriber; that is fine.
    let _ = tracing_subscriber::registry()
        .with(stderr)
        .with(file_layer)
        .try_init();
    if let Some(e) = file_error {
        tracing::warn!(error = %e, "file logging is off; logging to stderr only");
    }
    LogGuard {
        _file: guard,
        log_dir: dir,
    }
}

fn open_appender(
    dir: &Path,
) -> Result<(tracing_appender::rolling::RollingFileAppender, PathBuf), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let appender = Builder::new()
        .rotation(Rotation::DAILY)
        .filename_prefix("timebridge")
        .filename_suffix("log")
        .max_log_files(KEEP_LOG_FILES)
        .build(dir)
        .map_err(|e| format!("cannot open a log file in {}: {e}", dir.display()))?;
    Ok((appender, dir.to_path_buf()))
}
