//! One module of texts per page, each owned with its page.

pub(crate) mod billing;
pub(crate) mod conflicts;
pub(crate) mod dashboard;
pub(crate) mod entries;
pub(crate) mod history;
pub(crate) mod ledger;
pub(crate) mod mappings;
pub(crate) mod settings;
pub(crate) mod status;
pub(crate) mod wizard;
