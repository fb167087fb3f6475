//! One module per page; each page's texts are in `crate::i18n::pages`.

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
