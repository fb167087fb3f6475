//! The core's error, and its single mapping to the code the UI branches on.

use timebridge_types::{ApiError, ErrorCode};

use crate::{PathError, StoreError};

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The data directory is unusable.
    #[error(transparent)]
    DataDir(#[from] PathError),
    /// The database could not be opened, checked or migrated.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<&Error> for ApiError {
    fn from(err: &Error) -> Self {
        let code = match err {
            Error::DataDir(_) => ErrorCode::DataDirUnavailable,
            Error::Store(StoreError::Unwritable { .. } | StoreError::Backup { .. }) => {
                ErrorCode::DataDirUnavailable
            }
            Error::Store(StoreError::TooNew { .. }) => ErrorCode::DatabaseTooNew,
            Error::Store(StoreError::Corrupt { .. } | StoreError::Foreign { .. }) => {
                ErrorCode::DatabaseCorrupt
            }
            Error::Store(StoreError::Busy { .. }) => ErrorCode::DatabaseBusy,
            Error::Store(
                StoreError::Migration { .. }
                | StoreError::MigrationFailed { .. }
                | StoreError::Sqlite(_),
            ) => ErrorCode::Internal,
        };
        let retryable = matches!(code, ErrorCode::DatabaseBusy);
        ApiError {
            code,
            message: err.to_string(),
            retryable,
        }
    }
}

impl From<Error> for ApiError {
    fn from(err: Error) -> Self {
        Self::from(&err)
    }
}
