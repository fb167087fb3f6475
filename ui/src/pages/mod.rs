//! One module per page.

pub(crate) mod status;
