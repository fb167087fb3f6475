//! How a rebuild sorts Kimai's timesheets: the pure part, without servers (the CLI tests run
//! the whole command against the simulators).

use super::*;

fn ts(id: u64, description: &str) -> Timesheet {
    serde_json::from_value(serde_json::json!({
        "id": id,
        "begin": "2026-03-02T09:00:00+01:00",
        "end": "2026-03-02T09:30:00+01:00",
        "description": description,
        "user": 1,
        "project": 1,
        "activity": 1,
    }))
    .unwrap()
}

fn key(instance: &str, id: i64) -> SourceKey {
    SourceKey {
        instance: instance.into(),
        time_accounting_id: id,
    }
}

fn acme() -> BTreeSet<InstanceKey> {
    BTreeSet::from([InstanceKey::new("acme").unwrap()])
}

fn link(id: Option<i64>) -> Link {
    Link {
        timesheet_id: id,
        base_source: TimesheetFields::unknown(),
        base_kimai: TimesheetFields::unknown(),
    }
}

fn ids(new: &[Found<'_>]) -> Vec<(SourceKey, i64)> {
    new.iter()
        .map(|f| (f.key.clone(), f.timesheet.id))
        .collect()
}

#[test]
fn each_marker_of_a_configured_instance_is_linked_once_to_its_lowest_id() {
    let listing = vec![
        ts(9, "#1 Printer [tb:acme:11]"),
        ts(3, "#1 Printer [TB:ACME:11] copied"),
        ts(4, "#2 Mail [tb:acme:12]"),
        ts(5, "no marker at all"),
        ts(6, "damaged [tb:acme:1x]"),
    ];
    let (report, new) = classify(&listing, &BTreeMap::new(), &acme());
    assert_eq!(
        ids(&new),
        vec![(key("acme", 11), 3), (key("acme", 12), 4)],
        "the lowest id wins"
    );
    assert_eq!(
        report.linked,
        vec![(key("acme", 11), 3), (key("acme", 12), 4)]
    );
    assert_eq!(
        report.duplicates,
        vec![DuplicateMarker {
            key: key("acme", 11),
            linked: Some(3),
            others: vec![9],
        }]
    );
    assert_eq!(report.read, 5);
    assert_eq!(report.already_linked, 0);
    assert!(report.ambiguous.is_empty() && report.unknown_instances.is_empty());
}

#[test]
fn two_markers_are_ambiguous_and_unknown_instances_are_counted_never_linked() {
    let listing = vec![
        ts(8, "merged [tb:acme:1] [tb:acme:2]"),
        ts(2, "[tb:beta:1]"),
        ts(3, "[tb:beta:2]"),
        ts(4, "[tb:gamma:2]"),
        ts(1, "two instances [tb:acme:5] [tb:beta:5]"),
    ];
    let (report, new) = classify(&listing, &BTreeMap::new(), &acme());
    assert!(new.is_empty(), "nothing linked");
    assert_eq!(report.ambiguous, vec![1, 8]);
    assert_eq!(
        report.unknown_instances,
        BTreeMap::from([("beta".to_string(), 2), ("gamma".to_string(), 1)])
    );
}

#[test]
fn existing_links_are_kept_and_their_copies_reported() {
    let links = BTreeMap::from([
        (key("acme", 1), link(Some(10))),
        (key("acme", 2), link(Some(20))),
        (key("acme", 3), link(None)),
    ]);
    let listing = vec![
        ts(10, "[tb:acme:1]"),
        // A copy of entry 1's timesheet: never linked in place of 10.
        ts(11, "[tb:acme:1]"),
        // Timesheet 20 now carries entry 4's marker: it stays linked to entry 2.
        ts(20, "[tb:acme:4]"),
        // The user accepted that entry 3's timesheet is gone: the tombstone stays.
        ts(30, "[tb:acme:3]"),
    ];
    let (report, new) = classify(&listing, &links, &acme());
    assert!(new.is_empty(), "{:?}", ids(&new));
    assert_eq!(report.already_linked, 1);
    assert_eq!(report.linked_elsewhere, vec![(key("acme", 2), 20)]);
    assert_eq!(
        report.duplicates,
        vec![
            DuplicateMarker {
                key: key("acme", 1),
                linked: Some(10),
                others: vec![11],
            },
            DuplicateMarker {
                key: key("acme", 3),
                linked: None,
                others: vec![30],
            },
        ]
    );
}
