//! Where Timebridge keeps its files. One data directory holds the database, the logs and the
//! billing reports, so a user can back up or move everything at once; `private_files` keeps
//! them owner-only.
//!
//! The default follows the OS convention and matches Tauri's `app_data_dir()` for the same
//! identifier, so the desktop app and the CLI use the same data. `TIMEBRIDGE_DATA_DIR`
//! overrides it (tests, demo mode, several profiles).

use std::path::{Path, PathBuf};

pub(crate) mod private_files;

use private_files::Tightened;

/// The application identifier; also the name of the data directory under the OS data dir.
pub const APP_IDENTIFIER: &str = "dev.timebridge.desktop";
/// Environment variable that overrides the data directory.
pub const DATA_DIR_ENV: &str = "TIMEBRIDGE_DATA_DIR";

/// The SQLite database's file name; its WAL, journal and backups start with it.
pub(crate) const DATABASE_FILE: &str = "timebridge.db";
/// The demo's data directory ("Try with demo data"), under the user's data directory: its own
/// database and logs, so the demo never touches the user's data.
pub const DEMO_DIR: &str = "demo";
/// The directory of the daily log files.
pub(crate) const LOG_DIR: &str = "logs";
/// The directory of billing reports.
pub(crate) const REPORT_DIR: &str = "reports";

/// Why the data directory cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PathError {
    /// The override variable is set to an empty string.
    #[error("{DATA_DIR_ENV} is set but empty; unset it to use the default data directory or set it to a directory.")]
    EmptyOverride,
    /// The OS reports no per-user data directory (no HOME, say).
    #[error("No per-user data directory is known on this system (is HOME set?); set {DATA_DIR_ENV} to a directory.")]
    NoDefault,
    /// The path exists but is not a directory.
    #[error("The data directory {path} exists but is not a directory; move it away or set {DATA_DIR_ENV} to another directory.")]
    NotADirectory {
        /// The offending path.
        path: PathBuf,
    },
    /// The directory could not be created or written to.
    #[error("Cannot write to the data directory {path}: {source}. Check its permissions and free space, or set {DATA_DIR_ENV} to another directory.")]
    Unwritable {
        /// The data directory that could not be created or written to.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
}

/// The resolved data directory. Building one does not touch the disk; [`DataDir::ensure`] does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// The directory from `TIMEBRIDGE_DATA_DIR`, or else the OS default.
    pub fn resolve() -> Result<Self, PathError> {
        Self::resolve_from(std::env::var_os(DATA_DIR_ENV), dirs::data_dir())
    }

    /// [`DataDir::resolve`] with its inputs given, for tests.
    fn resolve_from(
        override_dir: Option<std::ffi::OsString>,
        os_data_dir: Option<PathBuf>,
    ) -> Result<Self, PathError> {
        match override_dir {
            Some(dir) if dir.is_empty() => Err(PathError::EmptyOverride),
            Some(dir) => Ok(Self::at(PathBuf::from(dir))),
            None => os_data_dir
                .map(|base| Self::at(base.join(APP_IDENTIFIER)))
                .ok_or(PathError::NoDefault),
        }
    }

    /// A data directory at `root`. A relative path is taken relative to the working directory.
    pub fn at(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        let root = if root.is_relative() {
            std::env::current_dir()
                .map(|cwd| cwd.join(&root))
                .unwrap_or(root)
        } else {
            root
        };
        Self { root }
    }

    /// Creates the directory if needed (owner-only on Unix), takes group and other access away
    /// from it and Timebridge's files in it (logged as a warning when there was any), and
    /// proves it writable by writing a probe file.
    pub fn ensure(&self) -> Result<Tightened, PathError> {
        if self.root.exists() && !self.root.is_dir() {
            return Err(PathError::NotADirectory {
                path: self.root.clone(),
            });
        }
        let unwritable = |source| PathError::Unwritable {
            path: self.root.clone(),
            source,
        };
        create_owner_only(&self.root).map_err(unwritable)?;
        let tightened = private_files::tighten(&self.root);
        if !tightened.paths.is_empty() {
            tracing::warn!(dir = %self.root.display(), "{tightened}");
        }
        let probe = self
            .root
            .join(format!(".write-probe-{}", std::process::id()));
        std::fs::write(&probe, b"timebridge").map_err(unwritable)?;
        std::fs::remove_file(&probe).map_err(unwritable)?;
        Ok(tightened)
    }

    /// The directory itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The SQLite database file.
    pub fn database_file(&self) -> PathBuf {
        self.root.join(DATABASE_FILE)
    }

    /// The directory of the rolling log files.
    pub fn log_dir(&self) -> PathBuf {
        self.root.join(LOG_DIR)
    }
}

/// `create_dir_all`, with every directory it creates owner-only on Unix.
fn create_owner_only(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn override_wins_over_the_os_default() {
        let dir = DataDir::resolve_from(
            Some("/tmp/tb-x".into()),
            Some("/home/u/.local/share".into()),
        )
        .unwrap();
        assert_eq!(dir.root(), Path::new("/tmp/tb-x"));
        assert_eq!(dir.database_file(), Path::new("/tmp/tb-x/timebridge.db"));
        assert_eq!(dir.log_dir(), Path::new("/tmp/tb-x/logs"));
    }

    #[test]
    fn default_is_the_identifier_under_the_os_data_dir() {
        let dir = DataDir::resolve_from(None, Some("/home/u/.local/share".into())).unwrap();
        assert_eq!(
            dir.root(),
            Path::new("/home/u/.local/share/dev.timebridge.desktop")
        );
    }

    #[test]
    fn empty_override_and_missing_default_are_errors_not_guesses() {
        assert!(matches!(
            DataDir::resolve_from(Some("".into()), Some("/x".into())),
            Err(PathError::EmptyOverride)
        ));
        assert!(matches!(
            DataDir::resolve_from(None, None),
            Err(PathError::NoDefault)
        ));
    }

    #[test]
    fn relative_override_is_anchored_at_the_working_directory() {
        let dir = DataDir::resolve_from(Some("rel/dir".into()), None).unwrap();
        assert!(dir.root().is_absolute());
        assert!(dir.root().ends_with("rel/dir"));
    }

    #[test]
    fn ensure_creates_nested_directories() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::at(tmp.path().join("a/b/c"));
        dir.ensure().unwrap();
        assert!(tmp.path().join("a/b/c").is_dir());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for d in ["a", "a/b", "a/b/c"] {
                let mode = std::fs::metadata(tmp.path().join(d))
                    .unwrap()
                    .permissions()
                    .mode();
                assert_eq!(mode & 0o777, 0o700, "{d} is owner-only");
            }
        }
        assert_eq!(
            std::fs::read_dir(dir.root()).unwrap().count(),
            0,
            "the probe is removed"
        );
    }

    #[test]
    fn ensure_rejects_a_file_in_the_way() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("file");
        std::fs::write(&file, b"user data").unwrap();
        let err = DataDir::at(&file).ensure().unwrap_err();
        assert!(matches!(err, PathError::NotADirectory { .. }), "{err}");
        assert_eq!(std::fs::read(&file).unwrap(), b"user data", "never touched");
    }

    #[test]
    fn ensure_reports_a_directory_it_cannot_create() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("file");
        std::fs::write(&file, b"x").unwrap();
        // A directory below a regular file can never be created, even by root.
        let err = DataDir::at(file.join("sub")).ensure().unwrap_err();
        assert!(matches!(err, PathError::Unwritable { .. }), "{err}");
        assert!(
            err.to_string().contains(DATA_DIR_ENV),
            "says how to fix it: {err}"
        );
    }
}
