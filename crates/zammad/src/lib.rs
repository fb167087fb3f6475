//! Typed client for the Zammad REST API (being written).
