//! Reads that do not depend on each other — each ticket's entries, each linked timesheet
//! looked up by id — are started several at a time instead of one after the other: with
//! 20 ms per request, 2,000 tickets read one by one take 40 s, four at a time 10 s.
//!
//! Reads only: they change nothing remote, so reading ahead cannot duplicate anything, and a
//! read that fails still ends the whole read (what was read ahead is dropped). Results come
//! back in the order asked, so a run is as deterministic as before. How many requests are
//! actually in flight is the transport's bound per server (`HttpConfig::max_concurrency`);
//! [`READ_AHEAD`] only lets enough requests queue for that bound to be used.
//! Writes are kept going several at a time too, each through the outbox (see `apply`).

use futures_util::stream::{self, Stream, StreamExt};
use timebridge_kimai::{KimaiClient, KimaiError, Timesheet};
use timebridge_zammad::{TimeAccounting, ZammadClient, ZammadError};

/// Independent reads started ahead of the one being consumed.
pub(super) const READ_AHEAD: usize = 16;

/// Each ticket's entries, in the order of `ids`.
/// The caller must do no other request of the same client while it consumes the stream: a
/// buffered read holds a transport slot until polled again, so that request could wait forever.
pub(super) fn entries_of(
    client: &ZammadClient,
    ids: Vec<i64>,
) -> impl Stream<Item = (i64, Result<Vec<TimeAccounting>, ZammadError>)> + '_ {
    stream::iter(ids)
        .map(move |id| async move { (id, client.time_accountings(id).await) })
        .buffered(READ_AHEAD)
}

/// Each timesheet by id, in the order of `ids`.
/// The caller must do no other request of the same client while it consumes the stream: a
/// buffered read holds a transport slot until polled again, so that request could wait forever.
pub(super) fn timesheets_by_id(
    client: &KimaiClient,
    ids: Vec<i64>,
) -> impl Stream<Item = (i64, Result<Timesheet, KimaiError>)> + '_ {
    stream::iter(ids)
        .map(move |id| async move { (id, client.timesheet(id).await) })
        .buffered(READ_AHEAD)
}
