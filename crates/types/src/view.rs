//! Where the user was in the window, kept by the core while the window is closed.
//!
//! Closing the window to the tray destroys the webview (WebKit's processes hold hundreds of
//! MiB); Open recreates it. The UI stores small named values as it goes (page, filters, the
//! selected conflict, an unfinished edit) and reads them back when it loads again, so the user
//! comes back to the same place with nothing lost.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The key of the page shown; its value is the page's id as a JSON string (`"conflicts"`).
pub const PAGE: &str = "page";

/// One value to keep (`value: None` forgets the key).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RememberRequest {
    /// A name like `page` or `entries.filters`.
    pub key: String,
    /// The value (often JSON), `None` to forget.
    pub value: Option<String>,
}

/// Everything kept, by key.
pub type ViewMemoryView = BTreeMap<String, String>;
