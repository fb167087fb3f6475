//! A run tells the window how far it is — reading (tickets) and writing (the plan's
//! actions) — through the progress sink the scheduler sets around it.

mod support;

use std::sync::{Arc, Mutex};

use support::{berlin, world};
use timebridge_core::progress::{self, Phase, Progress};

#[tokio::test]
async fn a_run_reports_its_reads_and_writes_up_to_their_totals() {
    let w = world(&[
        (1, 1, 30, Some(1), berlin("2026-11-10 10:00")),
        (2, 1, 45, Some(1), berlin("2026-11-11 11:00")),
        (3, 2, 60, Some(1), berlin("2026-11-12 12:00")),
    ])
    .await;
    let seen = Arc::new(Mutex::new(Vec::<Progress>::new()));
    let into = seen.clone();
    let sink: progress::Sink = Arc::new(move |p| into.lock().unwrap().push(p));
    let report = progress::scoped(sink, w.sync()).await;
    assert_eq!(report.counts.created, 3);

    let seen = seen.lock().unwrap();
    let phase =
        |ph: Phase| -> Vec<Progress> { seen.iter().copied().filter(|p| p.phase == ph).collect() };
    let reads = phase(Phase::Reading);
    let writes = phase(Phase::Writing);
    let (last_read, last_write) = (reads.last().unwrap(), writes.last().unwrap());
    assert_eq!(last_read.done, last_read.total, "{seen:?}");
    assert!(last_read.total >= 2, "two tickets read: {seen:?}");
    assert_eq!(
        (writes[0].done, last_write.done),
        (0, last_write.total),
        "{seen:?}"
    );
    assert!(last_write.total >= 3, "three creates: {seen:?}");
    let first_write = seen.iter().position(|p| p.phase == Phase::Writing).unwrap();
    assert!(
        seen[..first_write]
            .iter()
            .all(|p| p.phase == Phase::Reading),
        "reading comes first: {seen:?}"
    );
}
