//! One JSON file that seeds every simulator at once: the Kimai server and any number of named
//! Zammad helpdesks (a consultant works for several clients, each with its own Zammad).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::kimai::{self, KimaiSeed};
use crate::zammad::{self, ZammadSeed};

/// The seed file's shape: `{"kimai": {...}, "zammad": {"acme": {...}, "globex": {...}}}`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SeedFile {
    /// The Kimai server's data.
    #[serde(default)]
    pub kimai: KimaiSeed,
    /// Zammad helpdesks by name.
    #[serde(default)]
    pub zammad: BTreeMap<String, ZammadSeed>,
}

/// Why a seed file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SeedFileError {
    /// The file could not be read.
    #[error("cannot read the seed file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The JSON does not have the expected shape.
    #[error("the seed file {path} is not valid: {source}")]
    Parse {
        /// The file.
        path: String,
        /// Where and what.
        source: serde_json::Error,
    },
}

impl SeedFile {
    /// The built-in demo data set, laid out relative to `now` (three months of history).
    pub fn demo(now: DateTime<Utc>) -> Self {
        Self {
            kimai: kimai::demo::demo_seed(now),
            zammad: zammad::demo::demo_seeds(now).into_iter().collect(),
        }
    }

    /// The demo data set with `tickets` tickets per helpdesk (the demo has 40; 13,500 gives
    /// about 10,000 timesheets to book, for measuring the app with a large account).
    pub fn demo_scaled(now: DateTime<Utc>, tickets: i64) -> Self {
        Self {
            kimai: kimai::demo::demo_seed(now),
            zammad: zammad::demo::demo_seeds_with(now, tickets)
                .into_iter()
                .collect(),
        }
    }

    /// Reads a seed file.
    pub fn load(path: &Path) -> Result<Self, SeedFileError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| SeedFileError::Read {
            path: shown.clone(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| SeedFileError::Parse {
            path: shown,
            source,
        })
    }
}
