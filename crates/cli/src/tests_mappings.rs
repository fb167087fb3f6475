//! Unit tests of the `mappings` value parsers and of `set` applying only what is given.

use super::*;

#[test]
fn rounding_parses_modes_and_steps() {
    let r = parse_rounding("up:15").unwrap();
    assert_eq!((r.mode, r.step_minutes), (RoundingMode::Up, 15));
    assert_eq!(parse_rounding("none").unwrap().step_minutes, 0);
    assert_eq!(parse_rounding("down:1").unwrap().mode, RoundingMode::Down);
    for bad in [
        "up",
        "up:0",
        "up:-5",
        "sideways:15",
        "nearest:1441",
        "up:x",
        "",
    ] {
        assert!(parse_rounding(bad).is_err(), "{bad}");
    }
}

#[test]
fn tags_follow_kimais_rules() {
    assert_eq!(
        parse_tags(" zammad , billed").unwrap().0,
        ["zammad", "billed"]
    );
    assert!(parse_tags("").unwrap().0.is_empty());
    for bad in ["a", "zammad,,x", "zammad,Zammad", &"x".repeat(101)] {
        assert!(parse_tags(bad).is_err(), "{bad}");
    }
}

#[test]
fn ids_types_and_templates_are_checked() {
    assert_eq!(parse_id("7"), Ok(7));
    for bad in ["0", "-1", "x", "1.5"] {
        assert!(parse_id(bad).is_err(), "{bad}");
    }
    assert_eq!(parse_type("none"), Ok(TypeArg::None));
    assert_eq!(parse_type("3"), Ok(TypeArg::Id(3)));
    assert!(parse_type("nothing").is_err());
    assert!(parse_template("#<number> <title>").is_ok());
    let err = parse_template("<titel>").unwrap_err();
    assert!(err.contains("<titel>"), "{err}");
}

#[test]
fn set_changes_only_what_is_given() {
    let mut s = InstanceSettings::new(TimeUnit::Minutes);
    s.rounding.minimum_minutes = 15;
    let args = SetArgs {
        instance: parse_key("acme").unwrap(),
        unit: None,
        template: None,
        rounding: Some(parse_rounding("up:30").unwrap()),
        minimum: None,
        tags: Some(parse_tags("zammad").unwrap()),
        layout: Some(LayoutArg::NoOverlaps),
        exact_day_totals: Some(true),
        rewrite_previous: Some(true),
    };
    assert!(!args.is_empty());
    args.apply(&mut s);
    assert!(s.exact_day_totals);
    assert!(s.rewrite_previous);
    assert_eq!(s.rounding.step_minutes, 30);
    assert_eq!(s.rounding.mode, RoundingMode::Up);
    assert_eq!(s.rounding.minimum_minutes, 15, "kept");
    assert_eq!(s.tags, ["zammad"]);
    assert_eq!(s.layout, Layout::NoOverlaps);
    assert_eq!(s.time_unit, TimeUnit::Minutes);
}
