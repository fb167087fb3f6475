//! The Kimai description: a user-chosen template over ticket facts, then the origin marker.
//!
//! Descriptions appear on invoices, so the text is one tidy line: control characters and
//! newlines from ticket titles become spaces, runs of whitespace collapse, and the result is
//! bounded (Kimai allows more, but an invoice line should not). The marker goes last so the
//! human text reads first, and it is never cut: only the human text is shortened.
//!
//! Templates are checked when they are parsed (when the user saves the mapping), not when they
//! are rendered, so a typo such as `<titel>` is reported once instead of failing every sync.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::marker::Marker;

/// Longest description we write, in characters (Unicode scalar values), marker included.
pub const MAX_DESCRIPTION_CHARS: usize = 1000;
/// The template used when a mapping sets none.
const DEFAULT_TEMPLATE: &str = "#<number> <title>";
/// Appended to human text that had to be shortened.
const ELLIPSIS: char = '…';
/// Longest placeholder name we try to recognise; longer `<…>` runs are literal text.
const MAX_PLACEHOLDER_NAME: usize = 32;

/// What a template can insert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Placeholder {
    /// `<number>`: the ticket number as Zammad shows it (e.g. `31001`).
    Number,
    /// `<title>`: the ticket title.
    Title,
    /// `<organization>`: the customer's organization name, empty if none.
    Organization,
    /// `<type>`: the time-accounting type name, empty if none.
    Type,
    /// `<ticket_id>`: Zammad's internal ticket id.
    TicketId,
}

impl Placeholder {
    /// All placeholders, in documentation order.
    pub const ALL: [Placeholder; 5] = [
        Placeholder::Number,
        Placeholder::Title,
        Placeholder::Organization,
        Placeholder::Type,
        Placeholder::TicketId,
    ];

    /// The name between the angle brackets.
    pub fn name(self) -> &'static str {
        match self {
            Placeholder::Number => "number",
            Placeholder::Title => "title",
            Placeholder::Organization => "organization",
            Placeholder::Type => "type",
            Placeholder::TicketId => "ticket_id",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// Why a template was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// `<name>` is not one of `<number>`, `<title>`, `<organization>`, `<type>`, `<ticket_id>`.
    #[error(
        "unknown placeholder <{name}> at character {position}; use <number>, <title>, \
         <organization>, <type> or <ticket_id>"
    )]
    UnknownPlaceholder {
        /// The name found between the brackets.
        name: String,
        /// 0-based character offset of its `<`.
        position: usize,
    },
}

/// The facts about a ticket a template can use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketFacts {
    /// The ticket number as shown in Zammad (a string: its format is configurable there).
    pub number: String,
    /// The ticket title.
    pub title: String,
    /// The organization name, if the ticket has one.
    pub organization: Option<String>,
    /// The time-accounting type name, if the entry has one.
    pub type_name: Option<String>,
    /// Zammad's internal ticket id.
    pub ticket_id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Text(String),
    Slot(Placeholder),
}

/// A parsed description template such as `#<number> <title>` (the default).
///
/// A `<` starts a placeholder when a `>` follows before any space or `<`; such a name must be
/// known or parsing fails. Any other `<` (e.g. `a < b`) is literal text. Serialized as its
/// source string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DescriptionTemplate {
    source: String,
    segments: Vec<Segment>,
}

impl DescriptionTemplate {
    /// Parses and checks `source`.
    pub fn parse(source: &str) -> Result<Self, TemplateError> {
        let mut segments = Vec::new();
        let mut text = String::new();
        let mut rest = source;
        let mut position = 0; // characters consumed before `rest`
        while let Some(open) = rest.find('<') {
            let after = &rest[open + 1..];
            let name_end = after.find(|c: char| c == '>' || c == '<' || c.is_whitespace());
            let name = match name_end {
                Some(end) if after[end..].starts_with('>') && end > 0 => &after[..end],
                _ => "",
            };
            if name.is_empty() || name.chars().count() > MAX_PLACEHOLDER_NAME {
                text.push_str(&rest[..=open]);
                position += rest[..=open].chars().count();
                rest = after;
                continue;
            }
            text.push_str(&rest[..open]);
            let slot_position = position + rest[..open].chars().count();
            let placeholder =
                Placeholder::from_name(name).ok_or_else(|| TemplateError::UnknownPlaceholder {
                    name: name.to_owned(),
                    position: slot_position,
                })?;
            if !text.is_empty() {
                segments.push(Segment::Text(std::mem::take(&mut text)));
            }
            segments.push(Segment::Slot(placeholder));
            position = slot_position + name.chars().count() + 2;
            rest = &after[name.len() + 1..];
        }
        text.push_str(rest);
        if !text.is_empty() {
            segments.push(Segment::Text(text));
        }
        Ok(Self {
            source: source.to_owned(),
            segments,
        })
    }

    /// The template as the user wrote it.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The human text for `facts`: one line, control characters and newlines replaced by
    /// spaces, whitespace collapsed, trimmed, no length limit (see [`describe`]). Anything in
    /// the ticket data that looks like a marker (`[tb:`) is defused to `(tb:` so a ticket title
    /// can never claim another entry's timesheet.
    pub fn render(&self, facts: &TicketFacts) -> String {
        let mut out = String::new();
        for segment in &self.segments {
            match segment {
                Segment::Text(text) => out.push_str(text),
                Segment::Slot(Placeholder::Number) => out.push_str(&facts.number),
                Segment::Slot(Placeholder::Title) => out.push_str(&facts.title),
                Segment::Slot(Placeholder::Organization) => {
                    out.push_str(facts.organization.as_deref().unwrap_or(""));
                }
                Segment::Slot(Placeholder::Type) => {
                    out.push_str(facts.type_name.as_deref().unwrap_or(""));
                }
                Segment::Slot(Placeholder::TicketId) => out.push_str(&facts.ticket_id.to_string()),
            }
        }
        defuse_markers(&one_line(&out))
    }
}

impl Default for DescriptionTemplate {
    fn default() -> Self {
        Self {
            source: DEFAULT_TEMPLATE.to_owned(),
            segments: vec![
                Segment::Text("#".to_owned()),
                Segment::Slot(Placeholder::Number),
                Segment::Text(" ".to_owned()),
                Segment::Slot(Placeholder::Title),
            ],
        }
    }
}

impl FromStr for DescriptionTemplate {
    type Err = TemplateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for DescriptionTemplate {
    type Error = TemplateError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<DescriptionTemplate> for String {
    fn from(template: DescriptionTemplate) -> Self {
        template.source
    }
}

impl fmt::Display for DescriptionTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// The full Kimai description: `template` rendered for `facts`, a space, then the marker
/// token. At most [`MAX_DESCRIPTION_CHARS`] characters: if too long, the human text is cut at a
/// character boundary and ends with `…`; the marker is never cut. Empty text → marker only.
pub fn describe(template: &DescriptionTemplate, facts: &TicketFacts, marker: &Marker) -> String {
    let token = marker.render();
    let text = template.render(facts);
    if text.is_empty() {
        return token;
    }
    let budget = MAX_DESCRIPTION_CHARS.saturating_sub(token.chars().count() + 1);
    let text = truncate_chars(&text, budget);
    if text.is_empty() {
        return token;
    }
    format!("{text} {token}")
}

/// `text` if it has at most `max` characters, else its first `max - 1` characters (trailing
/// whitespace trimmed) plus `…`.
fn truncate_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    if max == 0 {
        return String::new();
    }
    let cut: String = text.chars().take(max - 1).collect();
    let mut cut = cut.trim_end().to_owned();
    cut.push(ELLIPSIS);
    cut
}

/// Control characters (newlines, tabs, …) become spaces; whitespace runs collapse; trimmed.
fn one_line(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Replaces the `[` of every `[tb:` (any case) with `(`.
fn defuse_markers(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for i in 0..bytes.len().saturating_sub(3) {
        if bytes[i] == b'[' && bytes[i + 1..i + 4].eq_ignore_ascii_case(b"tb:") {
            out.push_str(&text[last..i]);
            out.push('(');
            last = i + 1;
        }
    }
    out.push_str(&text[last..]);
    out
}
