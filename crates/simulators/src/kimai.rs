//! The Kimai simulator (being written).
