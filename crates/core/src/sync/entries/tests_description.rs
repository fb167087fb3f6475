//! Tests for description templates and the full description with its marker.

use super::{
    describe, DescriptionTemplate, InstanceKey, Marker, Placeholder, TemplateError, TicketFacts,
    MAX_DESCRIPTION_CHARS,
};

fn facts() -> TicketFacts {
    TicketFacts {
        number: "31001".to_owned(),
        title: "Printer broken".to_owned(),
        organization: Some("ACME GmbH".to_owned()),
        type_name: Some("Remote".to_owned()),
        ticket_id: 812,
    }
}

fn marker() -> Marker {
    Marker::new(InstanceKey::new("acme").expect("key"), 4711)
}

fn tpl(source: &str) -> DescriptionTemplate {
    DescriptionTemplate::parse(source).expect("valid template")
}

#[test]
fn default_template() {
    let default = DescriptionTemplate::default();
    assert_eq!(default.as_str(), "#<number> <title>");
    assert_eq!(default, tpl("#<number> <title>"));
    assert_eq!(default.render(&facts()), "#31001 Printer broken");
    assert_eq!(
        describe(&default, &facts(), &marker()),
        "#31001 Printer broken [tb:acme:4711]"
    );
}

#[test]
fn every_placeholder_renders() {
    let t = tpl("<organization> / <type> / #<number> (<ticket_id>): <title>");
    assert_eq!(
        t.render(&facts()),
        "ACME GmbH / Remote / #31001 (812): Printer broken"
    );
    let names: Vec<&str> = Placeholder::ALL.iter().map(|p| p.name()).collect();
    assert_eq!(
        names,
        ["number", "title", "organization", "type", "ticket_id"]
    );
}

#[test]
fn missing_optional_facts_render_empty_and_tidy() {
    let mut f = facts();
    f.organization = None;
    f.type_name = None;
    assert_eq!(
        tpl("<organization> <title> <type>").render(&f),
        "Printer broken"
    );
    assert_eq!(
        describe(&tpl("<organization>"), &f, &marker()),
        "[tb:acme:4711]"
    );
}

#[test]
fn unknown_placeholder_is_rejected_at_parse_time() {
    assert_eq!(
        DescriptionTemplate::parse("#<number> <titel>"),
        Err(TemplateError::UnknownPlaceholder {
            name: "titel".to_owned(),
            position: 10
        })
    );
    assert_eq!(
        "Über <Title>".parse::<DescriptionTemplate>(),
        Err(TemplateError::UnknownPlaceholder {
            name: "Title".to_owned(),
            position: 5
        })
    );
    let err = DescriptionTemplate::parse("<customer>").expect_err("unknown");
    assert_eq!(
        err.to_string(),
        "unknown placeholder <customer> at character 0; use <number>, <title>, <organization>, \
         <type> or <ticket_id>"
    );
}

#[test]
fn stray_angle_brackets_are_literal() {
    assert_eq!(
        tpl("a < b <title>").render(&facts()),
        "a < b Printer broken"
    );
    assert_eq!(tpl("<<number>>").render(&facts()), "<31001>");
    assert_eq!(tpl("<> <title").render(&facts()), "<> <title");
}

#[test]
fn newlines_and_control_characters_are_stripped() {
    let mut f = facts();
    f.title = "Printer\nbroken\r\n\tagain\u{7}  now\u{85}".to_owned();
    assert_eq!(
        DescriptionTemplate::default().render(&f),
        "#31001 Printer broken again now"
    );
    assert_eq!(
        describe(&tpl("<title>\n<number>"), &f, &marker()),
        "Printer broken again now 31001 [tb:acme:4711]"
    );
}

#[test]
fn marker_lookalikes_in_ticket_data_are_defused() {
    let mut f = facts();
    f.title = "Copy of [tb:acme:99] and [TB:beta:1]".to_owned();
    let text = describe(&DescriptionTemplate::default(), &f, &marker());
    assert_eq!(
        text,
        "#31001 Copy of (tb:acme:99] and (TB:beta:1] [tb:acme:4711]"
    );
    assert_eq!(Marker::find(&text), Ok(Some(marker())));
}

#[test]
fn truncation_keeps_the_marker_and_utf8() {
    let mut f = facts();
    f.title = "ü".repeat(2000);
    let text = describe(&tpl("<title>"), &f, &marker());
    assert_eq!(text.chars().count(), MAX_DESCRIPTION_CHARS);
    assert!(text.ends_with("ü… [tb:acme:4711]"), "{text}");
    // 1000 - " [tb:acme:4711]".len() - "…" = 984 umlauts.
    assert_eq!(text.matches('ü').count(), 984);
    assert_eq!(Marker::find(&text), Ok(Some(marker())));
}

#[test]
fn truncation_with_the_longest_marker_and_emoji() {
    let long = Marker::new(InstanceKey::new("abcdefghij12").expect("key"), i64::MAX);
    let mut f = facts();
    f.title = "🦀 ".repeat(700);
    let text = describe(&tpl("<title>"), &f, &long);
    assert!(text.chars().count() <= MAX_DESCRIPTION_CHARS);
    assert!(
        text.ends_with("🦀… [tb:abcdefghij12:9223372036854775807]"),
        "{text}"
    );
    assert_eq!(Marker::find(&text), Ok(Some(long)));
}

#[test]
fn text_exactly_at_the_limit_is_not_cut() {
    let mut f = facts();
    f.title = "x".repeat(MAX_DESCRIPTION_CHARS - " [tb:acme:4711]".len());
    let text = describe(&tpl("<title>"), &f, &marker());
    assert_eq!(text.chars().count(), MAX_DESCRIPTION_CHARS);
    assert!(!text.contains('…'));
    f.title.push('y');
    let text = describe(&tpl("<title>"), &f, &marker());
    assert_eq!(text.chars().count(), MAX_DESCRIPTION_CHARS);
    assert!(text.ends_with("x… [tb:acme:4711]"));
}

#[test]
fn template_serde_is_its_source_and_validates() {
    let t = tpl("#<number> – <title>");
    assert_eq!(
        serde_json::to_string(&t).expect("ser"),
        r##""#<number> – <title>""##
    );
    let back: DescriptionTemplate = serde_json::from_str(r##""#<number> – <title>""##).expect("de");
    assert_eq!(back, t);
    assert_eq!(back.render(&facts()), "#31001 – Printer broken");
    assert!(serde_json::from_str::<DescriptionTemplate>(r#""<nope>""#).is_err());
}
