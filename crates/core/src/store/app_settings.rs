//! The desktop app's own preferences (schedule, notifications, theme, language…) and caches,
//! as plain key/value rows of the `settings` table under keys starting with `app.`. They are
//! the app's business, so the store only keeps the text.

use rusqlite::OptionalExtension;

use super::{Store, StoreError};

/// The key of "book time from" (a sync setting, not only the app's: the CLI sets it too).
const BOOK_FROM: &str = "sync.book_from";

impl Store {
    /// The value stored under `key`, if any.
    pub fn app_setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .lock()
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// "Book time from": the first day whose entries the sync books (`None`: only this and
    /// last month, as before the setting existed). A malformed stored value reads as unset.
    pub fn book_from(&self) -> Result<Option<chrono::NaiveDate>, StoreError> {
        Ok(self
            .app_setting(BOOK_FROM)?
            .and_then(|v| chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok()))
    }

    /// Sets "book time from".
    pub fn set_book_from(&self, day: chrono::NaiveDate) -> Result<(), StoreError> {
        self.set_app_setting(BOOK_FROM, &day.format("%Y-%m-%d").to_string())
    }

    /// Stores `value` under `key`, replacing what was there.
    pub fn set_app_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn.lock().execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
            [key, value],
        )?;
        Ok(())
    }

    /// Removes what is stored under `key`, if anything.
    pub fn clear_app_setting(&self, key: &str) -> Result<(), StoreError> {
        self.conn
            .lock()
            .execute("DELETE FROM settings WHERE key = ?1", [key])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::{DataDir, Store};

    #[test]
    fn a_setting_round_trips_and_is_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::at(tmp.path());
        dir.ensure().unwrap();
        let store = Store::open(&dir.database_file()).unwrap();
        assert_eq!(store.app_setting("app.theme").unwrap(), None);
        store.set_app_setting("app.theme", "dark").unwrap();
        store.set_app_setting("app.theme", "light").unwrap();
        let reopened = Store::open(&dir.database_file()).unwrap();
        assert_eq!(
            reopened.app_setting("app.theme").unwrap().as_deref(),
            Some("light")
        );
    }
}
