//! Owner-only files on Unix.
//!
//! The data directory holds client names, ticket titles, billing history and reports. Created
//! with the usual umask (directories 0755, files 0644), any other account on the machine could
//! read all of it. So both binaries call [`owner_only_from_now_on`] first thing (umask 077:
//! every directory and file the process creates, SQLite's WAL and shared-memory files and the
//! daily log files included, is owner-only), and [`tighten`] takes group and other access away
//! from what an earlier version (or a copy from a backup) left readable.
//!
//! [`tighten`] touches only the data directory and Timebridge's own files in it (database,
//! its sidecars and backups, logs, reports, the demo's directory), never other files the user
//! keeps there; a directory owned by another account or with the sticky bit (a shared one like
//! `/tmp`) is left as it is. Elsewhere (Windows) the per-user profile is already private:
//! both are no-ops.

use std::path::{Path, PathBuf};

// The demo's data directory is laid out as a data directory.
#[cfg(unix)]
use super::DEMO_DIR;

/// Makes everything this process creates from now on owner-only (Unix: umask 077).
pub fn owner_only_from_now_on() {
    #[cfg(unix)]
    {
        rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    }
}

/// What [`tighten`] changed: the paths that were readable by other accounts.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tightened {
    /// Each directory or file whose group and other access was taken away.
    pub paths: Vec<PathBuf>,
}

impl std::fmt::Display for Tightened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} path(s) of the data directory were readable by other accounts of this machine; they are owner-only now",
            self.paths.len()
        )
    }
}

/// File names in the data directory that are Timebridge's: the database with its WAL,
/// shared-memory, journal and backup files.
#[cfg(unix)]
const OWN_FILE_PREFIX: &str = super::DATABASE_FILE;
/// Subdirectories that are Timebridge's, with the prefix of the files in them that are (the
/// daily log files' prefix is `logging`'s, the reports' `billing::report`'s).
#[cfg(unix)]
const OWN_DIRS: [(&str, &str); 2] = [
    (super::LOG_DIR, "timebridge"),
    (super::REPORT_DIR, "billing-"),
];
/// Takes group and other access away from the data directory `root` and Timebridge's files
/// in it. An entry that cannot be changed is left and logged; the rest still goes on.
pub(crate) fn tighten(root: &Path) -> Tightened {
    #[cfg(unix)]
    {
        let mut done = Tightened::default();
        tighten_data_dir(root, &mut done);
        done
    }
    #[cfg(not(unix))]
    {
        let _ = root;
        Tightened::default()
    }
}

#[cfg(unix)]
fn tighten_data_dir(root: &Path, done: &mut Tightened) {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = std::fs::symlink_metadata(root) else {
        return;
    };
    let ours = meta.uid() == rustix::process::getuid().as_raw();
    if !meta.is_dir() || !ours || meta.mode() & 0o1000 != 0 {
        return;
    }
    restrict(root, done);
    for entry in entries(root) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with(OWN_FILE_PREFIX) {
            restrict(&path, done);
        } else if name == DEMO_DIR {
            tighten_data_dir(&path, done);
        } else if let Some((_, prefix)) = OWN_DIRS.iter().find(|(dir, _)| *dir == name) {
            restrict(&path, done);
            for file in entries(&path) {
                if file.file_name().to_string_lossy().starts_with(prefix) {
                    restrict(&file.path(), done);
                }
            }
        }
    }
}

#[cfg(unix)]
fn entries(dir: &Path) -> Vec<std::fs::DirEntry> {
    std::fs::read_dir(dir)
        .map(|it| it.filter_map(Result::ok).collect())
        .unwrap_or_default()
}

/// Clears the group and other bits of `path` (not following a symlink), keeping the owner's.
#[cfg(unix)]
fn restrict(path: &Path, done: &mut Tightened) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return;
    };
    if meta.file_type().is_symlink() {
        return;
    }
    let mode = meta.permissions().mode();
    if mode & 0o077 == 0 {
        return;
    }
    let narrowed = std::fs::Permissions::from_mode(mode & !0o077 & 0o7777);
    match std::fs::set_permissions(path, narrowed) {
        Ok(()) => done.paths.push(path.to_path_buf()),
        Err(e) => tracing::warn!(
            path = %path.display(),
            error = %e,
            "could not make this file owner-only"
        ),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::symlink_metadata(path)
            .unwrap()
            .permissions()
            .mode()
            & 0o7777
    }

    fn set(path: &Path, mode: u32) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    fn file(path: &Path, mode_bits: u32) {
        std::fs::write(path, b"x").unwrap();
        set(path, mode_bits);
    }

    fn dir(path: &Path, mode_bits: u32) {
        std::fs::create_dir_all(path).unwrap();
        set(path, mode_bits);
    }

    #[test]
    fn an_open_data_directory_and_its_own_files_become_owner_only() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("data");
        dir(&root, 0o755);
        file(&root.join("timebridge.db"), 0o644);
        file(&root.join("timebridge.db-wal"), 0o644);
        file(&root.join("timebridge.db.backup-v3-20261201"), 0o640);
        dir(&root.join("logs"), 0o755);
        file(&root.join("logs/timebridge.2026-12-01.log"), 0o644);
        dir(&root.join("reports"), 0o775);
        file(&root.join("reports/billing-2026-11-1.csv"), 0o664);
        dir(&root.join("demo/logs"), 0o755);
        set(&root.join("demo"), 0o755);
        file(&root.join("demo/timebridge.db"), 0o644);
        // The user's own things in the directory are not Timebridge's to change.
        file(&root.join("notes.txt"), 0o644);
        file(&root.join("logs/other-tool.log"), 0o644);
        dir(&root.join("photos"), 0o755);

        let done = tighten(&root);

        for (path, want) in [
            ("", 0o700),
            ("timebridge.db", 0o600),
            ("timebridge.db-wal", 0o600),
            ("timebridge.db.backup-v3-20261201", 0o600),
            ("logs", 0o700),
            ("logs/timebridge.2026-12-01.log", 0o600),
            ("reports", 0o700),
            ("reports/billing-2026-11-1.csv", 0o600),
            ("demo", 0o700),
            ("demo/logs", 0o700),
            ("demo/timebridge.db", 0o600),
            ("notes.txt", 0o644),
            ("logs/other-tool.log", 0o644),
            ("photos", 0o755),
        ] {
            assert_eq!(mode(&root.join(path)), want, "{path:?}");
        }
        assert_eq!(done.paths.len(), 11, "{done:?}");
        assert!(done.to_string().starts_with("11 path(s)"), "{done}");
        assert_eq!(tighten(&root), Tightened::default(), "nothing left to do");
    }

    #[test]
    fn executable_and_owner_bits_are_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("data");
        dir(&root, 0o750);
        file(&root.join("timebridge.db"), 0o400);
        tighten(&root);
        assert_eq!(mode(&root), 0o700);
        assert_eq!(
            mode(&root.join("timebridge.db")),
            0o400,
            "was already owner-only"
        );
    }

    #[test]
    fn a_shared_directory_is_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("shared");
        dir(&root, 0o1777);
        file(&root.join("timebridge.db"), 0o644);
        assert_eq!(tighten(&root), Tightened::default());
        assert_eq!(mode(&root), 0o1777);
        assert_eq!(mode(&root.join("timebridge.db")), 0o644);
    }

    #[test]
    fn a_symlink_is_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("data");
        dir(&root, 0o700);
        let elsewhere = tmp.path().join("elsewhere.db");
        file(&elsewhere, 0o644);
        std::os::unix::fs::symlink(&elsewhere, root.join("timebridge.db")).unwrap();
        assert_eq!(tighten(&root), Tightened::default());
        assert_eq!(mode(&elsewhere), 0o644);
    }
}
