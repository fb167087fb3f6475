//! The core's start-up error: an unusable data directory or database. The desktop shows it
//! in the window instead of a blank page (its adapter words it as a code the UI branches on).

use crate::{PathError, StoreError};

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The data directory is unusable.
    #[error(transparent)]
    DataDir(#[from] PathError),
    /// The database could not be opened, checked or migrated.
    #[error(transparent)]
    Store(#[from] StoreError),
}
