//! Switching to Timebridge with bookings already in Kimai: the previous web service's
//! timesheets (one on its UTC day, one exported), a hand-made booking of the same work, and a
//! new entry. A new helpdesk's first sync only plans until the user's go-ahead; then nothing is
//! booked twice, the previous service's timesheets are rewritten to Timebridge's description
//! and local day where the user opted in — the exported one is left as it is — and the
//! adopt run links and asks without creating anything.

mod support;

use chrono::Duration;
use support::{berlin, key, manual_at, world, World};
use timebridge_core::engine::Mode;
use timebridge_core::sync::entries::Marker;
use timebridge_core::sync::plan::{ConflictKind, ParkReason};
use timebridge_core::RunTrigger;
use timebridge_simulators::kimai::switching::{by_hand, previous_service, PreviousEntry};

/// Entries 1 (booked 00:30 local: the service put it on the previous day), 2 (its timesheet
/// exported since), 3 (typed in by hand as well) and 4 (new). Returns the world and the ids
/// of the service's two timesheets and the hand-made one.
async fn switching_world() -> (World, u64, u64, u64) {
    let at = |d: &str| berlin(d);
    let w = world(&[
        (1, 1, 30, Some(1), at("2026-11-10 00:30")),
        (2, 1, 45, Some(1), at("2026-11-11 14:00")),
        (3, 2, 60, Some(1), at("2026-11-12 16:00")),
        (4, 2, 15, Some(1), at("2026-11-13 09:00")),
    ])
    .await;
    let host = w
        .zammad_url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let service = |id: i64, booked: &str, minutes: i64| PreviousEntry {
        host: &host,
        ticket_id: 1,
        ticket_number: "31001",
        title: "Printer offline",
        customer: "Acme GmbH",
        time_accounting_id: id,
        booked: at(booked),
        minutes,
    };
    let t1 = w.kimai_sim.add_timesheet_as_human(previous_service(
        &service(1, "2026-11-10 00:30", 30),
        w.tz,
        2,
        1,
        1,
    ));
    let mut exported = previous_service(&service(2, "2026-11-11 14:00", 45), w.tz, 2, 1, 1);
    exported.exported = true;
    let t2 = w.kimai_sim.add_timesheet_as_human(exported);
    let hand = w.kimai_sim.add_timesheet_as_human(by_hand(
        at("2026-11-12 13:00"),
        60,
        "Ticket 31002, VPN drops",
        2,
        1,
        1,
    ));
    (w, t1, t2, hand)
}

fn twin_of(w: &World, id: i64) -> Option<i64> {
    w.store
        .parked()
        .unwrap()
        .into_iter()
        .find_map(|p| match p.reason {
            ParkReason::PossibleTwin { twin } if p.key == key(id) => Some(twin.timesheet_id),
            _ => None,
        })
}

#[tokio::test]
async fn the_first_sync_waits_for_the_go_ahead_then_books_nothing_twice() {
    let (mut w, t1, t2, hand) = switching_world().await;
    let before = w.kimai_sim.timesheets();
    w.instances[0].settings.awaiting_go_ahead = true;

    // Held: planned and counted, nothing written — not even a link or a parked row.
    let held = manual_at(&w, w.now).await;
    assert_eq!(held.counts.created + held.counts.updated, 0, "{held:?}");
    assert!(held.actions.is_empty(), "{:?}", held.actions);
    let p = &held.first_sync[0];
    assert_eq!(p.instance, "acme");
    assert_eq!(
        (
            p.creates,
            p.adopted_previous,
            p.possible_twins,
            p.rewritable
        ),
        (1, 2, 1, 1),
        "entry 4 new, 1 and 2 the service's (only 1 rewritable: 2 is exported), 3 a twin: {p:?}"
    );
    assert_eq!(w.kimai_writes(), 0);
    assert_eq!(w.kimai_sim.timesheets(), before);
    assert!(w.store.all_links().unwrap().is_empty());
    assert!(w.store.parked().unwrap().is_empty());
    assert!(w.store.conflicts().unwrap().is_empty());
    // Another held run, and a preview, plan the same (nothing was settled in between).
    let counts = |p: &timebridge_core::engine::first_sync::FirstSyncPreview| {
        (
            p.creates,
            p.adopted,
            p.adopted_previous,
            p.possible_twins,
            p.rewritable,
            p.conflicts,
        )
    };
    let again = manual_at(&w, w.now + Duration::minutes(1)).await;
    assert_eq!(counts(&again.first_sync[0]), counts(p));
    let preview = w.preview().await;
    assert_eq!(counts(&preview.first_sync[0]), counts(p));
    assert_eq!(w.kimai_writes(), 0);

    // Go ahead, rewriting the service's timesheets.
    w.instances[0].settings.awaiting_go_ahead = false;
    w.instances[0].settings.rewrite_previous = true;
    let first = manual_at(&w, w.now + Duration::minutes(5)).await;
    assert!(first.first_sync.is_empty());
    assert_eq!(first.adopted_legacy, 2, "{first:?}");
    assert_eq!(first.counts.created, 1, "only entry 4: {first:?}");
    assert_eq!(first.counts.updated, 1, "entry 1 rewritten: {first:?}");
    assert_eq!(first.rewrites.len(), 1);
    assert_eq!(
        twin_of(&w, 3),
        Some(hand as i64),
        "entry 3 waits for the user"
    );
    assert_eq!(
        w.kimai_sim.timesheets().len(),
        before.len() + 1,
        "one new, none twice"
    );

    // Entry 1: Timebridge's marker, on its local day, the same timesheet.
    let rewritten = w.timesheet_of(1);
    assert_eq!(rewritten.id, t1);
    // (Timesheets end at the booking: 00:00–00:30 on the 10th.)
    let span = w.wall_span(&rewritten);
    assert_eq!(
        (span.0.to_string(), span.1.to_string()),
        ("2026-11-10 00:00:00".into(), "2026-11-10 00:30:00".into())
    );
    assert!(!rewritten.tags.contains(&"source:zammad".to_string()));
    // Entry 2: exported, so never touched; its difference is the user's to decide.
    let exported = w.kimai_sim.timesheet(t2).unwrap();
    assert_eq!(
        exported,
        before.iter().find(|t| t.id == t2).unwrap().clone()
    );
    assert!(matches!(
        Marker::find(exported.description.as_deref().unwrap()),
        Ok(None)
    ));
    let conflicts = w.store.conflicts().unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].record.key, key(2));
    assert_eq!(
        conflicts[0].record.kind,
        ConflictKind::BilledChangedAtSource
    );
    assert_eq!(
        w.store.all_links().unwrap()[&key(2)].timesheet_id,
        Some(t2 as i64)
    );

    // Every adoption is in the history; the next run is quiet.
    let adoptions = w
        .store
        .audit_for_run(first.run_id)
        .unwrap()
        .into_iter()
        .filter(|e| e.entry.action == timebridge_core::AuditAction::Adopt)
        .count();
    assert_eq!(adoptions, 2);
    let quiet = manual_at(&w, w.now + Duration::minutes(10)).await;
    assert_eq!(
        (
            quiet.counts.created,
            quiet.counts.updated,
            quiet.counts.deleted
        ),
        (0, 0, 0),
        "{quiet:?}"
    );
    assert_eq!(w.kimai_sim.timesheets().len(), before.len() + 1);
}

#[tokio::test]
async fn an_adopt_run_links_and_asks_but_creates_nothing() {
    let (mut w, t1, t2, hand) = switching_world().await;
    w.instances[0].settings.awaiting_go_ahead = true;
    let before = w.kimai_sim.timesheets();

    let adopt = w
        .engine()
        .run(w.now, Mode::Adopt, RunTrigger::Cli)
        .await
        .unwrap();
    assert_eq!(adopt.adopted_legacy, 2, "{adopt:?}");
    assert_eq!(adopt.counts.created + adopt.counts.updated, 0, "{adopt:?}");
    assert_eq!(w.kimai_writes(), 0);
    assert_eq!(w.kimai_sim.timesheets(), before);
    let links = w.store.all_links().unwrap();
    assert_eq!(links[&key(1)].timesheet_id, Some(t1 as i64));
    assert_eq!(links[&key(2)].timesheet_id, Some(t2 as i64));
    assert!(
        !links.contains_key(&key(4)),
        "entry 4 is not created by adopt"
    );
    assert_eq!(twin_of(&w, 3), Some(hand as i64));
    assert!(
        adopt.first_sync.is_empty(),
        "an adopt run is not the first sync"
    );

    // The first sync is still held; what it would do now excludes what adopt settled.
    let held = manual_at(&w, w.now + Duration::minutes(5)).await;
    let p = &held.first_sync[0];
    assert_eq!((p.creates, p.adopted, p.possible_twins), (1, 0, 1), "{p:?}");
    assert_eq!(w.kimai_writes(), 0);
    assert_eq!(
        twin_of(&w, 3),
        Some(hand as i64),
        "the held run keeps the twin waiting"
    );

    // The user says the hand-made booking is the same work: a held run stores no link for
    // it; the go-ahead run links it and books only entry 4.
    timebridge_core::engine::decide_twin(&w.store, &key(3), true).unwrap();
    manual_at(&w, w.now + Duration::minutes(7)).await;
    assert!(
        !w.store.all_links().unwrap().contains_key(&key(3)),
        "held: the answer waits for the go-ahead"
    );
    w.instances[0].settings.awaiting_go_ahead = false;
    let first = manual_at(&w, w.now + Duration::minutes(10)).await;
    assert_eq!(first.counts.created, 1, "entry 4 only: {first:?}");
    assert_eq!(
        w.store.all_links().unwrap()[&key(3)].timesheet_id,
        Some(hand as i64)
    );
    assert_eq!(w.kimai_sim.timesheets().len(), before.len() + 1);
}

#[tokio::test]
async fn a_held_helpdesk_counts_its_own_marked_timesheets_as_adopted_and_stores_no_link() {
    // Another installation already booked entry 4 (Timebridge's own marker).
    let (mut w, _, _, _) = switching_world().await;
    let marker = Marker::new(
        timebridge_core::sync::entries::InstanceKey::new("acme").unwrap(),
        4,
    );
    let begin = berlin("2026-11-13 08:45");
    let mut other = by_hand(
        begin,
        15,
        &format!("Mailbox full\n{}", marker.render()),
        2,
        1,
        1,
    );
    other.tags = Vec::new();
    let theirs = w.kimai_sim.add_timesheet_as_human(other);
    w.instances[0].settings.awaiting_go_ahead = true;

    for minutes in [0, 1] {
        let held = manual_at(&w, w.now + Duration::minutes(minutes)).await;
        let p = &held.first_sync[0];
        assert_eq!(
            (p.creates, p.adopted),
            (0, 3),
            "entry 4 is adopted, not created: {p:?}"
        );
        assert!(
            w.store.all_links().unwrap().is_empty(),
            "held: no link stored"
        );
    }
    w.instances[0].settings.awaiting_go_ahead = false;
    let first = manual_at(&w, w.now + Duration::minutes(5)).await;
    assert_eq!(first.counts.created, 0, "{first:?}");
    assert_eq!(
        w.store.all_links().unwrap()[&key(4)].timesheet_id,
        Some(theirs as i64)
    );
}
