//! Tests for the origin marker: format, finding it in edited text, search-term safety.

use super::{InstanceKey, InstanceKeyError, Marker, MarkerError, MarkerScan};

fn key(k: &str) -> InstanceKey {
    InstanceKey::new(k).expect("valid key")
}

fn m(k: &str, id: i64) -> Marker {
    Marker::new(key(k), id)
}

#[test]
fn renders_the_documented_token() {
    assert_eq!(m("acme", 4711).render(), "[tb:acme:4711]");
    assert_eq!(m("z2", 1).render(), "[tb:z2:1]");
}

#[test]
fn round_trips_through_find() {
    for marker in [
        m("acme", 4711),
        m("a", 1),
        m("abcdefghij12", i64::MAX),
        m("x9", 0),
        m("x9", -5),
    ] {
        let text = format!("#31001 Printer broken {}", marker.render());
        assert_eq!(Marker::find(&text), Ok(Some(marker.clone())), "{text}");
        assert_eq!(Marker::find(&marker.render()), Ok(Some(marker)));
    }
}

#[test]
fn found_after_the_user_edited_or_moved_the_text() {
    let expected = Ok(Some(m("acme", 4711)));
    let cases = [
        "#31001 Printer broken [tb:acme:4711]",
        "Fixed the printer, called customer [tb:acme:4711]",
        "[tb:acme:4711] #31001 Printer broken",
        "#31001 Printer [tb:acme:4711] broken",
        "#31001 Printer broken\n\n[tb:acme:4711]\n",
        "\t[tb:acme:4711]\r\nnotes for the invoice",
        "Drucker kaputt – Überstunden[tb:acme:4711]…",
        "(see [tb:acme:4711])",
        "#31001 [TB:ACME:4711]",
        "[tb:acme:4711] and again [tb:acme:4711]",
    ];
    for text in cases {
        assert_eq!(Marker::find(text), expected, "{text:?}");
    }
}

#[test]
fn no_marker_is_none() {
    for text in [
        "",
        "#31001 Printer broken",
        "[tb]",
        "tb:acme:4711",
        "[tb:",
        "[tbx:acme:4711]",
    ] {
        assert_eq!(Marker::find(text), Ok(None), "{text:?}");
    }
}

#[test]
fn two_different_markers_are_ambiguous() {
    let text = "merged [tb:acme:4711] and [tb:acme:4712]";
    assert_eq!(
        Marker::find(text),
        Err(MarkerError::Ambiguous {
            markers: vec![m("acme", 4711), m("acme", 4712)]
        })
    );
    // Same id, different instance: also two origins.
    assert_eq!(
        Marker::find("[tb:acme:7] [tb:beta:7]"),
        Err(MarkerError::Ambiguous {
            markers: vec![m("acme", 7), m("beta", 7)]
        })
    );
    assert_eq!(
        MarkerError::Ambiguous {
            markers: vec![m("acme", 1), m("acme", 2)]
        }
        .to_string(),
        "the description carries 2 different origin markers"
    );
}

#[test]
fn damaged_markers_are_none_and_flagged() {
    let cases: [(&str, &str); 9] = [
        ("x [tb:acme:47x1] y", "[tb:acme:47x1]"),
        ("x [tb:acme:4711 y", "[tb:acme:4711"),
        ("x [tb:acme:] y", "[tb:acme:]"),
        ("x [tb::4711] y", "[tb::4711]"),
        ("x [tb:acme 4711] y", "[tb:acme"),
        ("x [tb:acme:04711] y", "[tb:acme:04711]"),
        ("x [tb:acme:+4711] y", "[tb:acme:+4711]"),
        ("x [tb:acme:4711:1] y", "[tb:acme:4711:1]"),
        ("x [tb:waytoolongname1:1]", "[tb:waytoolongname1:1]"),
    ];
    for (text, fragment) in cases {
        assert_eq!(Marker::find(text), Ok(None), "{text:?}");
        assert_eq!(
            Marker::scan(text),
            MarkerScan {
                markers: vec![],
                damaged: vec![fragment.to_owned()]
            },
            "{text:?}"
        );
    }
}

#[test]
fn a_damaged_copy_does_not_hide_the_valid_marker() {
    let text = "[tb:acme:47x1] [tb:acme:4711]";
    assert_eq!(Marker::find(text), Ok(Some(m("acme", 4711))));
    assert_eq!(
        Marker::scan(text).damaged,
        vec!["[tb:acme:47x1]".to_owned()]
    );
}

#[test]
fn damaged_fragment_is_bounded_and_utf8_safe() {
    let text = format!("[tb:{}]", "ü".repeat(100));
    let scan = Marker::scan(&text);
    assert_eq!(scan.damaged.len(), 1);
    assert_eq!(scan.damaged[0].chars().count(), 40);
    assert!(scan.damaged[0].starts_with("[tb:üü"));
}

#[test]
fn search_term_is_the_whole_token() {
    assert_eq!(m("acme", 4711).search_term(), "[tb:acme:4711]");
}

#[test]
fn search_term_is_substring_safe() {
    // Kimai `term` is `LIKE %term%`: a term must not be a substring of another marker.
    let stored = [
        m("acme", 4711),
        m("acme", 471),
        m("acme", 47110),
        m("acme", 14711),
        m("ac", 4711),
        m("xacme", 4711),
        m("acme1", 4711),
    ];
    for wanted in &stored {
        for other in &stored {
            let hit = other.render().contains(&wanted.search_term());
            assert_eq!(hit, wanted == other, "{wanted:?} vs {other:?}");
        }
    }
    assert!(!"[tb:acme:4711]".contains(&m("acme", 471).search_term()));
    assert!(!"[tb:acme:471]".contains(&m("acme", 4711).search_term()));
}

#[test]
fn search_term_survives_kimai_term_parsing() {
    // Kimai splits `term` on spaces, reads a word with exactly one ':' as a meta-field search,
    // a leading '!' as exclusion, and passes '%', '_' and '\' to LIKE unescaped.
    let term = m("abcdefghij12", i64::MAX).search_term();
    assert!(!term.contains(' '));
    assert_eq!(term.matches(':').count(), 2);
    assert!(!term.starts_with('!'));
    assert!(!term.contains(['%', '_', '\\', ',']));
    assert!(term.is_ascii());
    assert_eq!(term.len(), 37);
}

#[test]
fn instance_key_validation() {
    assert_eq!(key("acme").as_str(), "acme");
    assert_eq!(key("a").to_string(), "a");
    assert_eq!(key("abcdefghij12").as_str(), "abcdefghij12");
    assert_eq!(InstanceKey::new(""), Err(InstanceKeyError::Empty));
    assert_eq!(
        InstanceKey::new("abcdefghij123"),
        Err(InstanceKeyError::TooLong { len: 13 })
    );
    for (bad, found) in [
        ("Acme", 'A'),
        ("ac-me", '-'),
        ("ac me", ' '),
        ("ac:me", ':'),
        ("acmé", 'é'),
        ("ac]", ']'),
    ] {
        assert_eq!(
            InstanceKey::new(bad),
            Err(InstanceKeyError::InvalidChar { found }),
            "{bad}"
        );
    }
}

#[test]
fn instance_key_and_marker_serde() {
    let json = serde_json::to_string(&m("acme", 4711)).expect("serialize");
    assert_eq!(json, r#"{"instance":"acme","time_accounting_id":4711}"#);
    let back: Marker = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back, m("acme", 4711));
    let bad = serde_json::from_str::<InstanceKey>(r#""ACME""#);
    assert!(bad.is_err());
}

#[test]
fn strip_removes_markers_and_tidies_whitespace() {
    assert_eq!(
        Marker::strip("#31001 Printer broken [tb:acme:4711]"),
        "#31001 Printer broken"
    );
    assert_eq!(Marker::strip("a [tb:acme:1]b\n[tb:x:47x1] c"), "a b c");
    assert_eq!(Marker::strip("[tb:acme:1"), "[tb:acme:1");
    assert_eq!(Marker::strip("plain"), "plain");
}
