//! The contract's invariants: command names are unique, and the JSON shapes the UI matches on.

use crate::conflicts::Decision;
use crate::entries::{EntryQuery, EntryState};
use crate::setup::TimeUnitDto;
use crate::sync::TrayState;
use crate::{cmd, event};

#[test]
fn command_and_event_names_are_unique() {
    let mut names: Vec<_> = cmd::ALL.to_vec();
    names.sort_unstable();
    names.dedup();
    assert_eq!(
        names.len(),
        cmd::ALL.len(),
        "a command name is listed twice"
    );
    let mut events: Vec<_> = event::ALL.to_vec();
    events.sort_unstable();
    events.dedup();
    assert_eq!(events.len(), event::ALL.len());
    assert!(event::ALL.iter().all(|e| e.contains("://")));
}

#[test]
fn enums_serialize_as_the_strings_the_ui_matches() {
    let json = |v: &dyn erased::Ser| v.json();
    assert_eq!(json(&EntryState::NeedsMapping), "\"needs_mapping\"");
    assert_eq!(json(&TrayState::NeedsAttention), "\"needs_attention\"");
    assert_eq!(json(&Decision::TakeZammad), r#"{"kind":"take_zammad"}"#);
    assert_eq!(
        json(&TimeUnitDto::Custom {
            minutes_per_unit: "7.5".into()
        }),
        r#"{"kind":"custom","minutes_per_unit":"7.5"}"#
    );
}

#[test]
fn queries_are_camel_case_and_round_trip() {
    let q = EntryQuery {
        month: Some("2026-03".into()),
        state: Some(EntryState::Conflict),
        offset: 100,
        limit: 50,
        ..EntryQuery::default()
    };
    let v = serde_json::to_value(&q).unwrap();
    assert_eq!(v["state"], "conflict");
    assert_eq!(v["offset"], 100);
    assert!(v.get("customer").is_some());
    let back: EntryQuery = serde_json::from_value(v).unwrap();
    assert_eq!(back, q);
}

/// A tiny object-safe wrapper so one closure can serialize values of different types.
mod erased {
    pub(super) trait Ser {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Ser for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap()
        }
    }
}
