//! Property tests for the origin marker and the description it lives in. The marker is how a
//! timesheet is found again after a crash or on a new laptop, so: reading any text never
//! panics, a marker written by us is always found again whatever the user or the ticket title
//! put around it, and a ticket title can never smuggle in a marker of its own.
//!
//! Cases per property: 256 by default; `PROPTEST_CASES=100000` runs long (docs/reliability.md).

use proptest::prelude::*;

use super::{describe, DescriptionTemplate, InstanceKey, Marker, TicketFacts};

fn instance() -> impl Strategy<Value = InstanceKey> {
    "[a-z0-9]{1,12}".prop_map(|k| InstanceKey::new(&k).expect("valid by construction"))
}

fn marker() -> impl Strategy<Value = Marker> {
    (instance(), any::<i64>()).prop_map(|(i, id)| Marker::new(i, id))
}

/// Text a user or a ticket may contain, biased towards marker-like fragments, brackets,
/// colons, digits, case changes, whitespace of every kind and multi-byte characters.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("[tb:".to_string()),
        Just("[TB:".to_string()),
        Just("[Tb:acme:".to_string()),
        Just("]".to_string()),
        Just("[".to_string()),
        Just(":".to_string()),
        Just(" ".to_string()),
        Just("\n\t\u{a0}\u{2028}".to_string()),
        "[a-z]{1,4}",
        "-?[0-9]{1,20}",
        "\\[tb:[a-z0-9]{0,13}:-?[0-9]{0,20}\\]?",
        ".{1,3}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|p| p.concat())
}

proptest! {
    #[test]
    fn reading_any_text_never_panics(t in text(), raw in ".{0,200}") {
        for s in [&t, &raw] {
            let scan = Marker::scan(s);
            let _ = Marker::find(s);
            let _ = Marker::strip(s);
            prop_assert!(scan.damaged.iter().all(|d| d.chars().count() <= 40));
        }
    }

    #[test]
    fn a_rendered_marker_is_short_calm_ascii(m in marker()) {
        let token = m.render();
        prop_assert!(token.len() <= 38 && token.is_ascii(), "{token}");
        prop_assert!(!token.contains(',') && !token.contains(' '), "{token}");
        prop_assert_eq!(Marker::find(&token), Ok(Some(m.clone())));
        prop_assert_eq!(m.search_term(), token);
    }

    #[test]
    fn a_marker_anywhere_in_any_text_is_found_again(before in text(), after in text(), m in marker()) {
        let glued = format!("{before}{}{after}", m.render());
        prop_assert!(Marker::scan(&glued).markers.contains(&m), "{glued:?}");
        let upper = glued.to_uppercase();
        prop_assert!(Marker::scan(&upper).markers.contains(&m), "{upper:?}");
    }

    #[test]
    fn a_marker_appended_to_text_without_one_is_the_one_found(t in text(), m in marker()) {
        let described = format!("{t} {}", m.render());
        let before = Marker::scan(&t).markers;
        match Marker::find(&described) {
            Ok(Some(found)) => prop_assert!(found == m && before.iter().all(|b| *b == m)),
            Err(_) => prop_assert!(before.iter().any(|b| *b != m), "ambiguous only with another marker in {t:?}"),
            Ok(None) => prop_assert!(false, "lost the marker in {described:?}"),
        }
        prop_assert_eq!(Marker::strip(&described), Marker::strip(&t), "stripping ignores our token");
    }

    #[test]
    fn ticket_data_never_yields_a_marker(
        title in text(),
        number in text(),
        organization in prop::option::of(text()),
        type_name in prop::option::of(text()),
        source in prop::sample::select(vec!["#<number> <title>", "<title>", "[tb:<organization>:<number>]", "<organization>[<type>]<ticket_id>", ""]),
        m in marker(),
    ) {
        let facts = TicketFacts { number, title, organization, type_name, ticket_id: 7 };
        let template = DescriptionTemplate::parse(source).expect("valid templates");
        let human = template.render(&facts);
        prop_assert_eq!(Marker::scan(&human), Default::default(), "{:?} looks like a marker", human);
        let full = describe(&template, &facts, &m);
        prop_assert_eq!(Marker::find(&full), Ok(Some(m)), "{:?}", full);
        prop_assert!(full.chars().count() <= super::MAX_DESCRIPTION_CHARS);
        prop_assert!(!full.contains('\n'));
    }
}
