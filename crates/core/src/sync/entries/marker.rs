//! The origin marker: one short token in the Kimai description that says "this timesheet is
//! Zammad time accounting N of instance K".
//!
//! Format: `[tb:<instance>:<id>]`, e.g. `[tb:acme:4711]`. Why this shape:
//! - Kimai meta fields need a plugin, so the marker lives in the description, where customers
//!   may see it on invoices: it must be short and calm, ASCII, one token, no comma.
//! - Kimai's `term` filter splits on spaces, treats a word with exactly one `:` as a meta-field
//!   search (`name:value`) and a leading `!` as "exclude", then matches `%word%` with SQL `LIKE`
//!   (no escaping). The token has no space, two colons, no `!` at the start and no `%`, `_` or
//!   `\`, so it reaches `LIKE` unchanged as a plain substring search.
//! - The closing `]` is part of the search term, so `[tb:acme:471]` never matches
//!   `[tb:acme:4711]`; the opening `[tb:` stops `ac` matching `xac`.
//! - The instance key is part of the token because several Zammad instances may have
//!   overlapping ticket numbers and time-accounting ids.
//!
//! Reading is tolerant of what users do to descriptions (text edited around it, marker moved,
//! case changed) and strict about the token itself: a damaged token is not guessed at.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The fixed opening of every marker, lower case.
const PREFIX: &str = "[tb:";
/// The closing delimiter of every marker.
const CLOSE: char = ']';
/// Longest instance key.
const MAX_INSTANCE_LEN: usize = 12;
/// Longest fragment kept when reporting a damaged marker.
const MAX_FRAGMENT_CHARS: usize = 40;

/// A short, validated name for one Zammad connection, used inside markers.
///
/// 1–12 characters of `[a-z0-9]`. It is chosen once per connection and must never change,
/// because it is part of every marker already written to Kimai.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct InstanceKey(String);

/// Why a string is not a valid [`InstanceKey`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstanceKeyError {
    /// The key is empty.
    #[error("the instance key is empty")]
    Empty,
    /// The key is longer than 12 characters.
    #[error("the instance key has {len} characters; at most {MAX_INSTANCE_LEN} are allowed")]
    TooLong {
        /// Its length in characters.
        len: usize,
    },
    /// The key contains a character outside `[a-z0-9]`.
    #[error("the instance key contains {found:?}; only a-z and 0-9 are allowed")]
    InvalidChar {
        /// The first offending character.
        found: char,
    },
}

impl InstanceKey {
    /// Validates `key`: 1–12 characters, each `a`–`z` or `0`–`9` (no upper case, no space).
    pub fn new(key: &str) -> Result<Self, InstanceKeyError> {
        if key.is_empty() {
            return Err(InstanceKeyError::Empty);
        }
        if let Some(found) = key
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
        {
            return Err(InstanceKeyError::InvalidChar { found });
        }
        if key.len() > MAX_INSTANCE_LEN {
            return Err(InstanceKeyError::TooLong { len: key.len() });
        }
        Ok(Self(key.to_owned()))
    }

    /// The key as written in markers.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for InstanceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for InstanceKey {
    type Error = InstanceKeyError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(&value)
    }
}

impl From<InstanceKey> for String {
    fn from(key: InstanceKey) -> Self {
        key.0
    }
}

/// The origin of a timesheet: one Zammad time accounting of one instance.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Marker {
    /// Which Zammad connection.
    pub instance: InstanceKey,
    /// The Zammad `time_accounting` id (positive in practice; any `i64` round-trips).
    pub time_accounting_id: i64,
}

/// Why a description's marker cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarkerError {
    /// The description carries two or more *different* markers (e.g. a user merged two
    /// timesheets). Which entry it belongs to is for the user to decide.
    #[error("the description carries {} different origin markers", markers.len())]
    Ambiguous {
        /// The distinct markers, in order of first appearance.
        markers: Vec<Marker>,
    },
}

/// Everything found in one description: the valid markers and the damaged ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MarkerScan {
    /// Distinct valid markers, in order of first appearance (a repeated identical token counts once).
    pub markers: Vec<Marker>,
    /// Text that starts like a marker (`[tb:`) but is not one, e.g. `[tb:acme:47x1]`,
    /// at most 40 characters each. Worth a warning: the user probably edited it.
    pub damaged: Vec<String>,
}

impl Marker {
    /// A marker for `time_accounting_id` of `instance`.
    pub fn new(instance: InstanceKey, time_accounting_id: i64) -> Self {
        Self {
            instance,
            time_accounting_id,
        }
    }

    /// The token written into the description, e.g. `[tb:acme:4711]`.
    pub fn render(&self) -> String {
        format!(
            "{PREFIX}{}:{}{CLOSE}",
            self.instance, self.time_accounting_id
        )
    }

    /// The value for Kimai's timesheet `term` filter that finds this marker and no other:
    /// the whole token including the closing `]`, so id 471 never matches 4711.
    ///
    /// Kimai matches case-insensitively on most databases; [`Marker::find`] accepts the same
    /// variants. Always confirm a hit with [`Marker::find`] on the returned description.
    pub fn search_term(&self) -> String {
        self.render()
    }

    /// Finds the one marker in a description a user may have edited.
    ///
    /// `Ok(Some(_))` if exactly one distinct marker is present (anywhere, in any letter case,
    /// repeated copies of the same token allowed); `Ok(None)` if there is none or only damaged
    /// ones (see [`Marker::scan`] to tell those apart); `Err(Ambiguous)` if there are two
    /// different ones.
    pub fn find(description: &str) -> Result<Option<Marker>, MarkerError> {
        let mut scan = Self::scan(description);
        match scan.markers.len() {
            0 => Ok(None),
            1 => Ok(scan.markers.pop()),
            _ => Err(MarkerError::Ambiguous {
                markers: scan.markers,
            }),
        }
    }

    /// Lists every valid and every damaged marker in `description`.
    pub fn scan(description: &str) -> MarkerScan {
        let mut scan = MarkerScan::default();
        for start in prefix_positions(description) {
            // `start` and `start + PREFIX.len()` are char boundaries: the prefix is ASCII.
            let rest = &description[start + PREFIX.len()..];
            let end = rest.find(|c: char| c == CLOSE || c == '[' || c.is_whitespace());
            let parsed = match end {
                Some(end) if rest[end..].starts_with(CLOSE) => parse_body(&rest[..end]),
                _ => None,
            };
            match parsed {
                Some(marker) => {
                    if !scan.markers.contains(&marker) {
                        scan.markers.push(marker);
                    }
                }
                None => {
                    let stop = end.map_or(rest.len(), |e| {
                        e + usize::from(rest[e..].starts_with(CLOSE))
                    });
                    let raw = &description[start..start + PREFIX.len() + stop];
                    scan.damaged
                        .push(raw.chars().take(MAX_FRAGMENT_CHARS).collect());
                }
            }
        }
        scan
    }

    /// `description` with every marker token (valid or damaged-but-closed) removed and the
    /// surrounding whitespace tidied: the human part, for comparing user edits.
    pub fn strip(description: &str) -> String {
        let mut out = String::with_capacity(description.len());
        let mut last = 0;
        for start in prefix_positions(description) {
            if start < last {
                continue;
            }
            let rest = &description[start + PREFIX.len()..];
            if let Some(end) = rest.find(|c: char| c == CLOSE || c == '[' || c.is_whitespace()) {
                if rest[end..].starts_with(CLOSE) {
                    out.push_str(&description[last..start]);
                    out.push(' ');
                    last = start + PREFIX.len() + end + CLOSE.len_utf8();
                }
            }
        }
        out.push_str(&description[last..]);
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Byte offsets of every `[tb:` (ASCII case-insensitive) in `text`.
fn prefix_positions(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(PREFIX.len() - 1))
        .filter(move |&i| bytes[i..i + PREFIX.len()].eq_ignore_ascii_case(PREFIX.as_bytes()))
}

/// Parses `instance:id` strictly; `None` if anything is off. The id must be canonical
/// (no sign, no leading zero) so that the token we would render is exactly what was found,
/// otherwise a `term` search for it would not find this description.
fn parse_body(body: &str) -> Option<Marker> {
    let (instance, id) = body.split_once(':')?;
    let instance = InstanceKey::new(&instance.to_ascii_lowercase()).ok()?;
    let time_accounting_id: i64 = id.parse().ok()?;
    (time_accounting_id.to_string() == id).then_some(Marker {
        instance,
        time_accounting_id,
    })
}
