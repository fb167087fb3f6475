//! The entries list's sorted index, kept between calls while the database is unchanged.
//!
//! The virtualized list asks for a window of ~100 rows on every scroll step. Building the
//! list means reading every link, outbox row, hold, parked entry and conflict and decoding
//! their JSON — hundreds of milliseconds for 10,000 entries in a debug build — so doing it per
//! window made scrolling stall. The index is rebuilt only when [`Store::data_stamp`] moved
//! (a write through this app, or a commit by another process such as the CLI); filters are
//! applied per call on the cached order (cheap, and the catalog's customer names may change
//! without the database changing).

use std::cmp::Ordering;
use std::sync::Arc;

use parking_lot::Mutex;
use timebridge_types::ApiError;

use super::api_error;
use super::known::{known, Known};
use timebridge_core::sync::plan::SourceKey;
use timebridge_core::Store;

/// Every entry, newest first (unplaced entries first of all).
pub(super) type Sorted = Arc<Vec<(SourceKey, Known)>>;

/// The cached index and the database stamp it was built at.
#[derive(Default)]
pub(super) struct EntryIndex {
    cached: Mutex<Option<((i64, u64), Sorted)>>,
}

impl std::fmt::Debug for EntryIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EntryIndex").finish_non_exhaustive()
    }
}

/// The list's order: entries without a time first, then newest first, then by key.
fn order((ka, a): &(SourceKey, Known), (kb, b): &(SourceKey, Known)) -> Ordering {
    let (ba, bb) = (
        a.fields.as_ref().map(|f| f.begin),
        b.fields.as_ref().map(|f| f.begin),
    );
    ba.is_some()
        .cmp(&bb.is_some())
        .then(bb.cmp(&ba))
        .then(ka.cmp(kb))
}

impl EntryIndex {
    /// Drops the cached index; the next call builds it again. Only the window reads it: with
    /// 10,000 entries the app in the tray after a close is about 20 MiB lighter without it
    /// (docs/performance.md).
    pub(super) fn clear(&self) {
        *self.cached.lock() = None;
    }

    /// Whether an index is cached now.
    #[cfg(test)]
    pub(super) fn is_built(&self) -> bool {
        self.cached.lock().is_some()
    }

    /// The sorted entries as the database holds them now. The stamp is taken before reading,
    /// so a write racing the read at worst makes the next call rebuild again.
    pub(super) fn get(&self, store: &Store) -> Result<Sorted, ApiError> {
        let stamp = store.data_stamp().map_err(api_error)?;
        let mut cached = self.cached.lock();
        if let Some((at, sorted)) = cached.as_ref() {
            if *at == stamp {
                return Ok(Arc::clone(sorted));
            }
        }
        let mut sorted: Vec<(SourceKey, Known)> = known(store)?.into_iter().collect();
        sorted.sort_by(order);
        let sorted = Arc::new(sorted);
        *cached = Some((stamp, Arc::clone(&sorted)));
        Ok(sorted)
    }
}
