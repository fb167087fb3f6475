//! One typed async function per command. Components call these, never `ipc` directly.

use timebridge_types::{cmd, ApiError, StatusView};

use crate::ipc::call;

/// The status page's data, or the start-up error.
pub(crate) async fn get_status() -> Result<StatusView, ApiError> {
    call::<(), _>(cmd::GET_STATUS, None).await
}
