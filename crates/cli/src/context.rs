//! What every command shares: the data directory, the clock, and how to print (text or one
//! JSON document), plus the runtime for the async calls. The commands import this; `main`
//! makes it and dispatches.

use serde::Serialize;
use timebridge_core::ops::Workspace;
use timebridge_core::secrets::KeychainStore;
use timebridge_core::{Actor, Clock, DataDir, Store};

use crate::failure::Failure;

/// What every command needs: where the data is and how to print.
#[derive(Debug)]
pub(crate) struct Context {
    /// The data directory (`--data-dir`, else `TIMEBRIDGE_DATA_DIR`, else the OS default).
    pub(crate) data_dir: DataDir,
    /// Whether to print JSON instead of text.
    pub(crate) json: bool,
    /// Where every command reads "now" (the sync horizon, billing's default month).
    pub(crate) clock: Clock,
    /// Where tokens are read (the OS keychain, or `TIMEBRIDGE_TOKEN_<ACCOUNT>`).
    pub(crate) keychain: KeychainStore,
}

impl Context {
    /// Opens (creating and migrating if needed) the database of the data directory, which
    /// `run` has ensured before any command.
    pub(crate) fn store(&self) -> Result<Store, Failure> {
        Ok(Store::open(&self.data_dir.database_file())?)
    }

    /// The operations the desktop runs too, over `store` (this data directory's database)
    /// and the keychain, acting as the CLI.
    pub(crate) fn workspace<'a>(&'a self, store: &'a Store) -> Workspace<'a> {
        Workspace::new(store, &self.keychain, self.data_dir.root(), Actor::Cli)
    }

    /// Prints `value` as JSON under `--json`, else the text `text` builds.
    pub(crate) fn emit<T: Serialize>(&self, value: &T, text: impl FnOnce() -> String) {
        if self.json {
            print_json(value);
        } else {
            say(&text());
        }
    }
}

/// One line (or block) on stdout. A closed stdout (`timebridge … | head`) is not an error
/// worth a panic: the command's work is done either way, so the output is dropped.
pub(crate) fn say(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}").and_then(|()| out.flush());
}

/// One pretty JSON document on stdout.
pub(crate) fn print_json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => say(&text),
        Err(e) => eprintln!("error: cannot print JSON: {e}"),
    }
}

/// A tokio runtime for the async connection checks; the CLI is otherwise synchronous.
pub(crate) fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::usage("runtime", format!("cannot start the async runtime: {e}")))?;
    Ok(runtime.block_on(future))
}
