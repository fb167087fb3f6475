//! The helpdesk's unit, checked at every full run: the first run keeps the setting the unit
//! stands for; when an admin changes it, new entries are parked (`unit_changed`) while booked
//! ones stay; once the user confirms the unit, the next run books them with it.

mod support;

use support::{berlin, key, manual_at, world};
use timebridge_core::engine::confirm_unit;
use timebridge_core::sync::entries::InstanceKey;
use timebridge_core::sync::plan::ParkReason;
use timebridge_core::sync::time::TimeUnit;

fn unit_setting(w: &support::World) -> Option<String> {
    w.store
        .instance(&InstanceKey::new("acme").unwrap())
        .unwrap()
        .unwrap()
        .settings
        .zammad_unit_setting
}

#[tokio::test]
async fn a_changed_unit_setting_parks_new_entries_until_the_unit_is_confirmed() {
    let mut w = world(&[(1, 1, 30, Some(1), berlin("2026-11-18 10:00"))]).await;
    // The instance as the app stores it (made before the setting was kept).
    let settings = w.instances[0].settings.clone();
    let url = w.zammad_url.clone();
    w.store
        .add_zammad_connection("Acme", &url, true, &w.instances[0].key, &settings)
        .unwrap();
    assert_eq!(unit_setting(&w), None, "not kept yet");

    let first = manual_at(&w, w.now).await;
    assert_eq!(first.counts.created, 1);
    assert_eq!(unit_setting(&w).as_deref(), Some("minute"), "learned");
    // The engine's connections are built from the stored settings, as the app does.
    let settings = w
        .store
        .instance(&InstanceKey::new("acme").unwrap())
        .unwrap()
        .unwrap()
        .settings;
    w.instances = vec![w.instance_conn(settings)];

    // An admin switches the helpdesk to hours; the consultant books "1" (an hour now).
    w.zammad_sim.set_time_accounting_unit("hour", "");
    let new = w.book(1, 1, Some(1), berlin("2026-11-20 09:00"));
    let writes = w.kimai_writes();
    let run = manual_at(&w, w.now).await;
    assert_eq!(
        w.kimai_writes(),
        writes,
        "nothing booked with a doubtful unit: {run:?}"
    );
    let parked = w.store.parked().unwrap();
    let reason = parked
        .iter()
        .find(|p| p.key == key(new))
        .map(|p| p.reason.clone())
        .unwrap_or_else(|| panic!("{parked:?}"));
    assert_eq!(
        reason,
        ParkReason::UnitChanged {
            was: "minute".into(),
            now: "hour".into()
        }
    );
    assert_eq!(w.marked().len(), 1, "the booked entry stays as it is");

    // The user confirms hours: the next run books the new entry as one hour.
    assert!(confirm_unit(
        &w.store,
        &InstanceKey::new("acme").unwrap(),
        Some(TimeUnit::Hours),
        "hour"
    )
    .unwrap());
    let settings = w
        .store
        .instance(&InstanceKey::new("acme").unwrap())
        .unwrap()
        .unwrap()
        .settings;
    assert_eq!(settings.time_unit, TimeUnit::Hours);
    w.instances = vec![w.instance_conn(settings)];
    let run = manual_at(&w, w.now).await;
    assert_eq!(run.counts.created, 1, "{run:?}");
    let booked = w.marked();
    let seconds: Vec<i64> = booked
        .values()
        .map(|t| (t.end.unwrap() - t.begin).num_seconds())
        .collect();
    assert!(seconds.contains(&3600), "{seconds:?}");
    assert!(w.store.parked().unwrap().iter().all(|p| p.key != key(new)));
}
