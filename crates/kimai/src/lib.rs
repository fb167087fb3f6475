//! Typed client for the Kimai REST API (being written).
