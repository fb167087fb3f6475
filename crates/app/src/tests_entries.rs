//! The entries page over a large store: 10,000 linked entries paged through the facade the way
//! the virtualized list asks for them (windows of 100 rows at any offset). Every entry appears
//! exactly once, newest first, filters narrow the total, and a change to the store shows at
//! the next call (the sorted index is cached only while the database is unchanged). The page
//! times are printed, not asserted (a loaded CI machine must not fail a correctness test).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;

use chrono::{Duration, NaiveDate};
use timebridge_types::entries::{EntryQuery, EntryState};

use super::App;
use timebridge_core::secrets::MemoryStore;
use timebridge_core::sync::plan::{Link, SourceKey, TimesheetFields};
use timebridge_core::sync::time::Month;
use timebridge_core::{Core, DataDir};

const N: u32 = 10_000;
const WINDOW: u32 = 100;

fn app(tmp: &tempfile::TempDir) -> App {
    let core = Core::open(DataDir::at(tmp.path()), None).unwrap();
    App::new(Arc::new(core), Arc::new(MemoryStore::default())).unwrap()
}

/// Entry `n`: every 37 minutes from 1 January 2026 on (so ~8 months, several per day), in
/// one of two helpdesks.
fn entry(n: u32) -> (SourceKey, Link, Month) {
    let start = NaiveDate::from_ymd_opt(2026, 1, 1)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap();
    let begin = start + Duration::minutes(37 * i64::from(n));
    let fields = TimesheetFields {
        begin,
        end: begin + Duration::minutes(30),
        project: 1 + i64::from(n % 3),
        activity: 1,
        description: format!("Ticket {n} ⟦tb:x:{n}⟧"),
        tags: Vec::new(),
    };
    let key = SourceKey {
        instance: if n.is_multiple_of(2) {
            "acme"
        } else {
            "globex"
        }
        .into(),
        time_accounting_id: i64::from(n),
    };
    let month = Month::of(begin.date());
    let link = Link {
        timesheet_id: Some(100_000 + i64::from(n)),
        base_source: fields.clone(),
        base_kimai: fields,
    };
    (key, link, month)
}

fn fill(app: &App, range: std::ops::Range<u32>) {
    app.store()
        .write(|tx| {
            for n in range {
                let (key, link, month) = entry(n);
                tx.upsert_link(&key, &link, Some(month))?;
            }
            Ok(())
        })
        .unwrap();
}

fn window(app: &App, offset: u32, base: &EntryQuery) -> timebridge_types::entries::EntryPage {
    app.list_entries(&EntryQuery {
        offset,
        limit: WINDOW,
        ..base.clone()
    })
    .unwrap()
}

#[test]
fn ten_thousand_entries_page_correctly_and_quickly() {
    let tmp = tempfile::tempdir().unwrap();
    let app = app(&tmp);
    fill(&app, 0..N);
    let all = EntryQuery::default();

    let t = Instant::now();
    let first = window(&app, 0, &all);
    let first_ms = t.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(first.total, N);
    assert_eq!(first.rows.len(), WINDOW as usize);
    assert_eq!(
        first.rows[0].key.time_accounting_id,
        i64::from(N - 1),
        "newest first"
    );

    // Scroll through every window: each entry once, in descending begin order.
    let t = Instant::now();
    let mut seen = BTreeSet::new();
    let mut last_begin: Option<String> = None;
    let mut offset = 0;
    while offset < N {
        let page = window(&app, offset, &all);
        assert_eq!((page.offset, page.total), (offset, N));
        for row in &page.rows {
            assert_eq!(row.state, EntryState::Synced);
            assert!(
                seen.insert(row.key.time_accounting_id),
                "{:?} twice",
                row.key
            );
            let begin = row.begin.clone().expect("a placed entry");
            if let Some(prev) = &last_begin {
                assert!(begin < *prev, "{begin} after {prev}");
            }
            last_begin = Some(begin);
        }
        offset += WINDOW;
    }
    let pages = N / WINDOW;
    let per_page_ms = t.elapsed().as_secs_f64() * 1000.0 / f64::from(pages);
    assert_eq!(seen.len(), N as usize);
    assert_eq!(window(&app, N, &all).rows.len(), 0, "past the end: empty");

    // A jump into the middle (the scrollbar dragged) returns the rows at that offset.
    let t = Instant::now();
    let middle = window(&app, 5_000, &all);
    let jump_ms = t.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(
        middle.rows[0].key.time_accounting_id,
        i64::from(N - 1 - 5_000)
    );

    // Filters narrow the total, and the windows of a filter hold only matching rows.
    let acme = EntryQuery {
        instance: Some("acme".into()),
        month: Some("2026-03".into()),
        ..EntryQuery::default()
    };
    let expected = (0..N)
        .map(entry)
        .filter(|(k, _, m)| k.instance == "acme" && m.to_string() == "2026-03")
        .count() as u32;
    let page = window(&app, 0, &acme);
    assert!(expected > WINDOW, "the filter spans several windows");
    assert_eq!(page.total, expected);
    assert!(page
        .rows
        .iter()
        .all(|r| r.key.instance == "acme" && r.begin.as_deref().unwrap().starts_with("2026-03")));
    // A month the filter cannot read is refused, not matched against nothing.
    for bad in ["2026-3", "March", ""] {
        let err = app
            .list_entries(&EntryQuery {
                month: Some(bad.into()),
                limit: WINDOW,
                ..EntryQuery::default()
            })
            .unwrap_err();
        assert_eq!(err.code, timebridge_types::ErrorCode::Validation, "{bad:?}");
    }
    let conflicts = EntryQuery {
        state: Some(EntryState::Conflict),
        ..EntryQuery::default()
    };
    assert_eq!(window(&app, 0, &conflicts).total, 0);

    println!(
        "entries with {N} links: first window {first_ms:.1} ms (index built), \
         {per_page_ms:.2} ms per window of {WINDOW} while scrolling, jump to 5000 {jump_ms:.2} ms"
    );
}

#[test]
fn a_changed_store_shows_at_the_next_page() {
    let tmp = tempfile::tempdir().unwrap();
    let app = app(&tmp);
    fill(&app, 0..500);
    let all = EntryQuery::default();
    assert_eq!(window(&app, 0, &all).total, 500);
    // A run links one more entry: the cached order must not hide it.
    fill(&app, 500..501);
    let page = window(&app, 0, &all);
    assert_eq!(page.total, 501);
    assert_eq!(page.rows[0].key.time_accounting_id, 500);
    // Another process (the CLI) writes to the same file: seen too.
    let other = timebridge_core::Store::open(app.store().path()).unwrap();
    other
        .write(|tx| {
            let (key, link, month) = entry(501);
            tx.upsert_link(&key, &link, Some(month))
        })
        .unwrap();
    let page = window(&app, 0, &all);
    assert_eq!(page.total, 502);
    assert_eq!(page.rows[0].key.time_accounting_id, 501);
    assert_eq!(app.state_counts().unwrap().synced, 502);
}

#[test]
fn the_index_is_dropped_when_the_window_closes_and_built_again_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let app = app(&tmp);
    fill(&app, 0..300);
    let all = EntryQuery::default();
    assert_eq!(window(&app, 0, &all).total, 300);
    assert!(app.entry_index.is_built(), "the list's order is cached");
    app.window_closed();
    assert!(
        !app.entry_index.is_built(),
        "nothing of it is kept in the tray"
    );
    // The next window's first page is whole again.
    let page = window(&app, 0, &all);
    assert_eq!(page.total, 300);
    assert_eq!(page.rows[0].key.time_accounting_id, 299);
    assert_eq!(app.state_counts().unwrap().synced, 300);
    assert!(app.entry_index.is_built());
}
