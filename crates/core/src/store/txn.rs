//! The write transaction: the executor applies one action as one unit (remote result, link
//! row, audit row, outbox state), so a crash or an error leaves either all of it or none.
//!
//! The transaction is `IMMEDIATE`: it takes the write lock when it begins, so a second process
//! waits (busy timeout) up front instead of failing half way. The write methods live beside
//! their tables (`links.rs`, `audit.rs`, ...) as `impl WriteTxn` blocks.

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::{Store, StoreError};

/// An open write transaction; see [`Store::write`]. Its methods write only; they become
/// visible to other readers when the closure returns `Ok`.
pub struct WriteTxn<'a> {
    tx: Transaction<'a>,
}

impl WriteTxn<'_> {
    /// The connection inside the transaction, for the table modules.
    pub(super) fn conn(&self) -> &Connection {
        &self.tx
    }
}

impl std::fmt::Debug for WriteTxn<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteTxn").finish_non_exhaustive()
    }
}

impl Store {
    /// Runs `f` in one write transaction: committed if `f` returns `Ok`, rolled back entirely
    /// (every row `f` wrote) if it returns `Err` or panics.
    ///
    /// The store's connection is held while `f` runs: inside `f`, use only the [`WriteTxn`]'s
    /// methods (calling another `Store` method would deadlock), and do no network I/O (the
    /// file's write lock is held too). The executor's shape is: one `write` to enqueue the
    /// outbox row, the remote request outside any transaction, then one `write` with the
    /// link, the audit row and the outbox confirmation.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&WriteTxn<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.conn.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let txn = WriteTxn { tx };
        let value = f(&txn)?;
        txn.tx.commit()?;
        Ok(value)
    }
}
