//! Core errors → the `ApiError` codes the UI branches on. One place per error type, so a
//! rejected token always reads `auth_failed` and a sync in progress always `sync_running`.

use timebridge_kimai::KimaiError;
use timebridge_types::{ApiError, ErrorCode};

use timebridge_core::billing::BillingError;
use timebridge_core::engine::{EngineError, UndoRefusal};
use timebridge_core::ops::OpError;
use timebridge_core::schedule::{RunNowError, ScheduleError};
use timebridge_core::secrets::SecretError;
use timebridge_core::setup::SetupError;
use timebridge_core::{Error, StoreError};

/// Any core error as the UI receives it.
pub fn api_error(err: impl Into<AppError>) -> ApiError {
    err.into().0
}

/// A wrapper so every core error converts with `?` / [`api_error`].
#[derive(Debug)]
pub struct AppError(pub ApiError);

fn of(code: ErrorCode, err: &dyn std::fmt::Display) -> AppError {
    AppError(ApiError::new(code, err.to_string()))
}

fn retry(code: ErrorCode, err: &dyn std::fmt::Display) -> AppError {
    AppError(ApiError::retryable(code, err.to_string()))
}

impl From<ApiError> for AppError {
    fn from(e: ApiError) -> Self {
        Self(e)
    }
}

/// A start-up error (an unusable data directory or database): what the window shows instead
/// of a blank page. Only a busy database is worth trying again as it is.
fn start_up(err: &Error) -> AppError {
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
        // Named one by one (the core's errors are exhaustive enums): a new variant must be
        // given its code here rather than fall into "internal" unseen.
        Error::Store(
            StoreError::Migration { .. }
            | StoreError::MigrationFailed { .. }
            | StoreError::Sqlite(_),
        ) => ErrorCode::Internal,
    };
    if code == ErrorCode::DatabaseBusy {
        retry(code, err)
    } else {
        of(code, err)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        start_up(&Error::Store(e))
    }
}

impl From<SecretError> for AppError {
    fn from(e: SecretError) -> Self {
        match e {
            SecretError::Unavailable { .. } => of(ErrorCode::KeychainUnavailable, &e),
            SecretError::Refused { .. } => of(ErrorCode::Internal, &e),
        }
    }
}

impl From<SetupError> for AppError {
    fn from(e: SetupError) -> Self {
        match e {
            SetupError::NoKimai | SetupError::NoBillingTimezone { .. } => {
                of(ErrorCode::NotConfigured, &e)
            }
            SetupError::TokenMissing { .. } => of(ErrorCode::TokenMissing, &e),
            SetupError::InvalidUrl { .. } => of(ErrorCode::Validation, &e),
            SetupError::Client { .. } => of(ErrorCode::Internal, &e),
            SetupError::Secret(e) => e.into(),
            SetupError::Store(e) => e.into(),
        }
    }
}

impl From<EngineError> for AppError {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::Store(e) => e.into(),
            EngineError::Busy => retry(ErrorCode::SyncRunning, &e),
            other => of(ErrorCode::Internal, &other),
        }
    }
}

impl From<UndoRefusal> for AppError {
    fn from(e: UndoRefusal) -> Self {
        match e {
            UndoRefusal::NoSuchRun(_) => of(ErrorCode::NotFound, &e),
            UndoRefusal::Running(_) => retry(ErrorCode::SyncRunning, &e),
            other => of(ErrorCode::Validation, &other),
        }
    }
}

impl From<KimaiError> for AppError {
    fn from(e: KimaiError) -> Self {
        let text = format!("Kimai: {e}");
        match e {
            KimaiError::AuthFailed => of(ErrorCode::AuthFailed, &text),
            _ if e.is_retryable() => retry(ErrorCode::Offline, &text),
            _ => of(ErrorCode::Remote, &text),
        }
    }
}

impl From<BillingError> for AppError {
    fn from(e: BillingError) -> Self {
        match e {
            BillingError::Store(e) => e.into(),
            BillingError::Lock(e) => e.into(),
            BillingError::Kimai { source, run_id } => {
                let mut err = AppError::from(source);
                if let Some(id) = run_id {
                    err.0.message.push_str(&format!(
                        " (billing run {id} stopped; apply again to resume it)"
                    ));
                }
                err
            }
            BillingError::Blocked { .. } => of(ErrorCode::Blocked, &e),
            BillingError::NoSuchRun(_) => of(ErrorCode::NotFound, &e),
            BillingError::NoExportPermission { .. } | BillingError::Tag { .. } => {
                of(ErrorCode::Remote, &e)
            }
            BillingError::Report { .. } => of(ErrorCode::DataDirUnavailable, &e),
            _ => of(ErrorCode::Validation, &e),
        }
    }
}

impl From<RunNowError> for AppError {
    fn from(e: RunNowError) -> Self {
        match &e {
            RunNowError::AlreadyRunning { .. } => retry(ErrorCode::SyncRunning, &e),
            RunNowError::ShutDown => of(ErrorCode::Internal, &e),
            RunNowError::Failed(job) if job.retryable => retry(ErrorCode::Offline, &job.message),
            RunNowError::Failed(job) => {
                let code = if job.message.contains("token") {
                    ErrorCode::AuthFailed
                } else {
                    ErrorCode::Remote
                };
                of(code, &job.message)
            }
        }
    }
}

impl From<ScheduleError> for AppError {
    fn from(e: ScheduleError) -> Self {
        match e {
            ScheduleError::InvalidCron { .. } => of(ErrorCode::Validation, &e),
            _ => of(ErrorCode::Internal, &e),
        }
    }
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        start_up(&e)
    }
}

impl From<OpError> for AppError {
    fn from(e: OpError) -> Self {
        match e {
            OpError::Setup(e) => e.into(),
            OpError::Engine(e) => e.into(),
            OpError::NotUndoable(e) => e.into(),
            OpError::Rebuild(e) => of(ErrorCode::Remote, &e),
            OpError::Billing(e) => e.into(),
            e @ OpError::SyncBeforeBilling { .. } => retry(ErrorCode::Offline, &e),
            e @ (OpError::KimaiExists
            | OpError::KeyHasHistory(_)
            | OpError::DuplicateRule(_)
            | OpError::BookFromInFuture(_)
            | OpError::Clash(_)) => of(ErrorCode::Validation, &e),
            e @ (OpError::NoSuchConnection(_)
            | OpError::NoSuchRun(_)
            | OpError::NoSuchHelpdesk(_)) => of(ErrorCode::NotFound, &e),
        }
    }
}

#[cfg(test)]
mod tests {
    use timebridge_core::{Core, DataDir};

    use super::*;

    #[test]
    fn start_up_errors_map_to_codes_the_ui_branches_on() {
        let tmp = tempfile::tempdir().unwrap();

        let blocker = tmp.path().join("file");
        std::fs::write(&blocker, b"x").unwrap();
        let err = Core::open(DataDir::at(blocker.join("sub")), None).unwrap_err();
        assert_eq!(api_error(err).code, ErrorCode::DataDirUnavailable);

        let corrupt = DataDir::at(tmp.path().join("corrupt"));
        corrupt.ensure().unwrap();
        std::fs::write(corrupt.database_file(), vec![7u8; 4096]).unwrap();
        let api = api_error(Core::open(corrupt, None).unwrap_err());
        assert_eq!(api.code, ErrorCode::DatabaseCorrupt);
        assert!(!api.retryable);
        assert!(api.message.contains("damaged"), "{}", api.message);
    }
}
