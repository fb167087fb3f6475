//! The Zammad simulator (being written).
