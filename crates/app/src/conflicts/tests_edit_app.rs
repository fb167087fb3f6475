//! "Edit, then apply" the way the UI does it, against the demo world (simulators over HTTP,
//! a real SQLite file): the form prefilled from Zammad's version, a bad edit refused with a
//! `validation` error, the good one stored offline and shown as the stored decision, written
//! by the next sync and left alone by the one after.

use rust_decimal::Decimal;
use timebridge_types::conflicts::{Decision, DecisionKind, ResolveRequest};
use timebridge_types::entries::{EntryQuery, EntryState};
use timebridge_types::ErrorCode;

use crate::test_support::host;

#[tokio::test(flavor = "multi_thread")]
async fn an_edit_is_validated_stored_written_once_and_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let host = host(&tmp);
    let app = host.start_demo().await.expect("the demo starts");
    assert_eq!(app.sync_now().await.unwrap().outcome, "ok");
    let query = EntryQuery {
        state: Some(EntryState::Synced),
        instance: Some("acme".into()),
        limit: 1,
        ..EntryQuery::default()
    };
    let key = app.list_entries(&query).unwrap().rows[0].key.clone();
    let ts = app.entry_detail(&key).unwrap().timesheet_id.unwrap() as u64;
    let world = app.demo_world().unwrap();
    assert!(world.kimai.edit_timesheet_as_human(ts, |t| {
        t.description = Some("edited by hand".into());
    }));
    let acme = &world.zammad.iter().find(|(k, _)| k == "acme").unwrap().1;
    let minutes = Some(Decimal::from(200));
    assert!(acme.update_time_accounting_as_admin(key.time_accounting_id, minutes, None));
    assert_eq!(app.sync_now().await.unwrap().conflicts, 1);

    let c = app.list_conflicts().unwrap().remove(0);
    assert!(c.choices.contains(&DecisionKind::Edit), "{:?}", c.choices);
    let z = c.zammad.clone().unwrap();
    let edit = |begin: &str, end: &str| ResolveRequest {
        keys: vec![key.clone()],
        decision: Decision::Edit {
            begin: begin.into(),
            end: end.into(),
            project: z.project.id,
            activity: z.activity.id,
            description: "Fixed on site".into(),
        },
    };
    let backwards = app.resolve_conflicts(&edit(&z.end, &z.begin)).unwrap_err();
    assert_eq!(backwards.code, ErrorCode::Validation, "{backwards:?}");
    assert!(app.list_conflicts().unwrap()[0].decided.is_none());

    let stored = app.resolve_conflicts(&edit(&z.begin, &z.end)).unwrap();
    assert_eq!(stored.stored, vec![key.clone()], "{stored:?}");
    let marker = format!("[tb:acme:{}]", key.time_accounting_id);
    match app.list_conflicts().unwrap()[0].decided.clone() {
        Some(Decision::Edit { description, .. }) => {
            assert_eq!(description, format!("Fixed on site {marker}"));
        }
        other => panic!("expected the stored edit, got {other:?}"),
    }

    let result = app.sync_now().await.unwrap();
    assert_eq!((result.updated, result.conflicts), (1, 0), "{result:?}");
    let written = world.kimai.timesheet(ts).unwrap();
    assert_eq!(written.description, Some(format!("Fixed on site {marker}")));
    let again = app.sync_now().await.unwrap();
    assert_eq!(
        (
            again.outcome.as_str(),
            again.created,
            again.updated,
            again.conflicts
        ),
        ("ok", 0, 0, 0),
        "{again:?}"
    );
    assert_eq!(
        world.kimai.timesheet(ts).unwrap(),
        written,
        "the edit stays"
    );
    assert!(app.list_conflicts().unwrap().is_empty());
}
