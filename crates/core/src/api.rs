//! Opening the core: the data directory made usable, then the database opened, checked and
//! migrated ([`Core::open`]), with a failed open left retryable ([`Startup`]) so the user can
//! fix the cause and try again without a restart. The desktop (the `Host` of the
//! `timebridge-app` crate) opens its core here; the CLI opens the same database file per command through [`crate::Store`].

use std::path::PathBuf;
use std::sync::Arc;

use parking_lot::Mutex;
use timebridge_types::StatusView;

use crate::{store::latest_schema_version, DataDir, Error, Store};

/// Opens the core on first use and keeps it; a failed open is retried on the next call, so the
/// user can fix the cause (free the file, fix permissions) and press "Try again" without a
/// restart.
#[derive(Debug)]
pub struct Startup {
    data_dir: Option<DataDir>,
    log_dir: Option<PathBuf>,
    core: Mutex<Option<Arc<Core>>>,
}

impl Startup {
    /// `data_dir` `None` resolves it (again) at each attempt, reporting why it cannot be.
    pub fn new(data_dir: Option<DataDir>, log_dir: Option<PathBuf>) -> Self {
        Self {
            data_dir,
            log_dir,
            core: Mutex::new(None),
        }
    }

    /// The open core, opening it now if it is not yet open.
    pub fn core(&self) -> Result<Arc<Core>, Error> {
        let mut slot = self.core.lock();
        if let Some(core) = slot.as_ref() {
            return Ok(Arc::clone(core));
        }
        let dir = match &self.data_dir {
            Some(dir) => dir.clone(),
            None => DataDir::resolve()?,
        };
        let core = Arc::new(Core::open(dir, self.log_dir.clone())?);
        *slot = Some(Arc::clone(&core));
        Ok(core)
    }
}

/// The opened core: a data directory and its database.
#[derive(Debug)]
pub struct Core {
    data_dir: DataDir,
    store: Store,
    log_dir: Option<PathBuf>,
}

impl Core {
    /// Makes sure the data directory is usable, then opens, checks and migrates the database.
    ///
    /// `log_dir` is where file logging went, if it could be set up (for the status page).
    pub fn open(data_dir: DataDir, log_dir: Option<PathBuf>) -> Result<Self, Error> {
        data_dir.ensure()?;
        let store = Store::open(&data_dir.database_file())?;
        Ok(Self {
            data_dir,
            store,
            log_dir,
        })
    }

    /// The data directory in use.
    pub fn data_dir(&self) -> &DataDir {
        &self.data_dir
    }

    /// The open, migrated database (`timebridge.db` in the data directory).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// What the status page shows, read from the database file.
    pub fn status(&self) -> Result<StatusView, Error> {
        Ok(StatusView {
            app_version: crate::VERSION.to_string(),
            data_dir: self.data_dir.root().display().to_string(),
            database_file: self.store.path().display().to_string(),
            schema_version: self.store.schema_version()?,
            latest_schema_version: latest_schema_version(),
            journal_mode: self.store.journal_mode()?,
            connections: self.store.connection_count()?,
            log_dir: self.log_dir.as_ref().map(|d| d.display().to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoreError;

    #[test]
    fn status_reports_real_values_from_the_file() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::at(tmp.path().join("data"));
        let core = Core::open(dir.clone(), Some(dir.log_dir())).unwrap();
        let status = core.status().unwrap();
        assert_eq!(status.app_version, crate::VERSION);
        assert_eq!(
            status.database_file,
            dir.database_file().display().to_string()
        );
        assert_eq!(status.schema_version, latest_schema_version());
        assert_eq!(status.journal_mode, "wal");
        assert_eq!(status.connections, 0);
        assert_eq!(status.log_dir, Some(dir.log_dir().display().to_string()));
    }

    #[test]
    fn start_up_errors_say_which_part_failed() {
        let tmp = tempfile::tempdir().unwrap();

        let blocker = tmp.path().join("file");
        std::fs::write(&blocker, b"x").unwrap();
        let err = Core::open(DataDir::at(blocker.join("sub")), None).unwrap_err();
        assert!(matches!(err, Error::DataDir(_)), "{err:?}");

        let corrupt = DataDir::at(tmp.path().join("corrupt"));
        corrupt.ensure().unwrap();
        std::fs::write(corrupt.database_file(), vec![7u8; 4096]).unwrap();
        let err = Core::open(corrupt, None).unwrap_err();
        assert!(
            matches!(err, Error::Store(StoreError::Corrupt { .. })),
            "{err:?}"
        );
        assert!(err.to_string().contains("damaged"), "{err}");
    }

    #[test]
    fn startup_retries_a_failed_open_and_then_keeps_the_core() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("data");
        std::fs::write(&root, b"in the way").unwrap();
        let startup = Startup::new(Some(DataDir::at(&root)), None);
        assert!(
            startup.core().is_err(),
            "a file where the directory should be"
        );
        std::fs::remove_file(&root).unwrap();
        let first = startup.core().expect("opens once the cause is fixed");
        let second = startup.core().unwrap();
        assert!(Arc::ptr_eq(&first, &second), "opened once, then reused");
    }
}
