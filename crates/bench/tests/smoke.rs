//! Keeps the harness from rotting: every scenario on a tiny data set (100 entries, no
//! latency) in-process, with the relations the numbers must keep.

use timebridge_bench::data::DataSpec;
use timebridge_bench::{budget, run_scenario, Config, Measurement, Scenario};

fn config() -> Config {
    Config {
        spec: DataSpec::scaled(100, 20),
        latency: std::time::Duration::ZERO,
        concurrency: 4,
    }
}

async fn measure(s: Scenario) -> Measurement {
    run_scenario(s, &config()).await.expect("scenario runs")
}

fn count(m: &Measurement, endpoint: &str) -> u64 {
    m.requests.get(endpoint).copied().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_sync_creates_each_mapped_entry_once_and_parks_the_rest() {
    let spec = config().spec;
    let a = measure(Scenario::A).await;
    assert!(a.done.full, "a manual run reads everything");
    assert_eq!(a.done.created as usize, spec.entries, "{a:#?}");
    assert_eq!(count(&a, "kimai POST /api/timesheets"), spec.entries as u64);
    assert_eq!(a.done.parked as usize, spec.unmapped_entries);
    // Every ticket with a change in the horizon is read once.
    let tickets = (spec.tickets + spec.unmapped_tickets) as u64;
    assert_eq!(
        count(
            &a,
            "zammad GET /api/v1/tickets/{ticket_id}/time_accountings"
        ),
        tickets
    );
    assert!(a.total_requests >= a.necessary.kimai + a.necessary.zammad);
    assert!(a.peak_rss_kib.is_some_and(|k| k > 1024), "{a:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_no_change_scheduled_run_is_incremental_and_writes_nothing() {
    let b = measure(Scenario::B).await;
    assert!(!b.done.full, "scheduled after a complete run: incremental");
    assert_eq!(b.done.created + b.done.updated, 0);
    let writes: u64 = b
        .requests
        .iter()
        .filter(|(k, _)| k.contains("POST /api/timesheets") || k.contains("PATCH"))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(writes, 0, "{:#?}", b.requests);
    // Far below a full read (which would read every ticket's entries).
    assert!(b.total_requests <= 20, "{:#?}", b.requests);
    assert_eq!(count(&b, "kimai GET /api/timesheets"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_percent_changed_writes_exactly_the_changes() {
    let c = measure(Scenario::C).await;
    assert!(!c.done.full);
    let changes = timebridge_bench::data::changes(
        &config().spec,
        &timebridge_bench::data::entries(&config().spec),
    );
    assert_eq!(c.done.updated as usize, changes.edited.len(), "{c:#?}");
    assert_eq!(c.done.created as usize, changes.added_on.len(), "{c:#?}");
    assert_eq!(
        count(&c, "kimai PATCH /api/timesheets/{id}") + count(&c, "kimai POST /api/timesheets"),
        (changes.edited.len() + changes.added_on.len()) as u64
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rebuild_links_every_timesheet_from_the_listing_alone() {
    let e = measure(Scenario::E).await;
    assert_eq!(e.done.linked as usize, config().spec.entries);
    assert_eq!(e.total_requests, count(&e, "kimai GET /api/timesheets"));
    assert_eq!(e.necessary.kimai, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preview_plans_the_first_sync_and_writes_nothing() {
    let f = measure(Scenario::F).await;
    assert_eq!(f.done.planned_writes as usize, config().spec.entries);
    assert_eq!(f.done.created, 0);
    assert!(
        f.requests
            .keys()
            .all(|k| !k.starts_with("kimai POST") && !k.starts_with("kimai PATCH")),
        "{:#?}",
        f.requests
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn billing_bills_each_timesheet_of_the_month_with_only_the_necessary_requests() {
    let d = measure(Scenario::D).await;
    assert!(!d.skipped);
    let n = d.done.billed as u64;
    assert!(n > 0, "{d:#?}");
    assert_eq!(d.necessary.kimai, 4 + n.div_ceil(500) + 2 + 2 * n, "{d:#?}");
    assert_eq!(count(&d, "kimai PATCH /api/timesheets/{id}"), n);
    assert_eq!(count(&d, "kimai PATCH /api/timesheets/{id}/export"), n);
    assert_eq!(count(&d, "kimai POST /api/tags"), 1);
    // No read per timesheet: the listing and the tag write's answer give the state.
    assert_eq!(count(&d, "kimai GET /api/timesheets/{id}"), 0, "{d:#?}");
    assert_eq!(d.total_requests, d.necessary.kimai, "{:#?}", d.requests);
    assert_eq!(budget::check(&d).len(), 2, "ratio (n/a here) and RSS");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn budgets_are_checked() {
    // Without latency the ratio budgets do not apply; RSS does.
    let a = measure(Scenario::A).await;
    let verdicts = budget::check(&a);
    assert_eq!(verdicts.len(), 2, "{verdicts:?}");
    assert_eq!(verdicts[0].met, None, "no latency: no ratio");
    assert_eq!(verdicts[1].met, Some(true), "100 entries fit in 100 MiB");
    // A measurement over a budget fails the check.
    let mut slow = a.clone();
    slow.ratio = Some(1.6);
    assert!(!budget::all_met(&[slow]));
}
