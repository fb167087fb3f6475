//! `timebridge adopt` with the real binary against the simulators: a timesheet the previous
//! sync service wrote is linked to its entry — shown first with `--preview`, stored by the
//! run — and nothing is created or changed in Kimai; the helpdesk's first sync still waits for
//! the go-ahead, and then does not book that entry again.

mod support;

use chrono::Utc;
use support::{configured, map_acme, run, sims, Run, BOTH};
use timebridge_core::{DataDir, Store};
use timebridge_simulators::kimai::switching::{previous_service, PreviousEntry};

async fn tb(dir: &std::path::Path, args: &[&str]) -> Run {
    run(dir, args, &BOTH, None).await
}

#[tokio::test]
async fn adopt_links_the_previous_services_timesheet_and_writes_nothing_to_kimai() {
    let sims = sims().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    configured(dir, &sims.kimai_url, &sims.zammad_url).await;
    map_acme(dir);
    // The consultant's newest entry on an Acme GmbH ticket, booked by the previous service.
    let acme_tickets: Vec<i64> = sims
        .zammad
        .tickets()
        .into_iter()
        .filter(|t| t.organization_id == Some(1))
        .map(|t| t.id)
        .collect();
    let entry = sims
        .zammad
        .time_accountings()
        .into_iter()
        .filter(|e| e.created_by_id == 2 && acme_tickets.contains(&e.ticket_id))
        .filter(|e| e.created_at < Utc::now())
        .max_by_key(|e| e.created_at)
        .expect("an own Acme entry");
    let host = sims
        .zammad_url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let number = format!("{}", entry.ticket_id);
    let service = sims.kimai.add_timesheet_as_human(previous_service(
        &PreviousEntry {
            host: &host,
            ticket_id: entry.ticket_id,
            ticket_number: &number,
            title: "as the service wrote it",
            customer: "Acme GmbH",
            time_accounting_id: entry.id,
            booked: entry.created_at,
            minutes: 30,
        },
        chrono_tz::Europe::Berlin,
        2,
        1,
        1,
    ));
    let before = sims.kimai.timesheets();
    let links = || {
        Store::open(&DataDir::at(dir).database_file())
            .unwrap()
            .all_links()
            .unwrap()
    };

    let unknown = tb(dir, &["adopt", "--helpdesk", "nope", "--json"]).await;
    assert_eq!(unknown.code, 1, "{}", unknown.all());
    assert_eq!(unknown.json()["error"]["code"], "unknown_helpdesk");

    let preview = tb(dir, &["adopt", "--preview", "--json"]).await;
    assert_eq!(preview.code, 0, "{}", preview.all());
    let doc = preview.json();
    assert_eq!(doc["preview"], true);
    assert_eq!(doc["adopted_previous"], 1, "{doc}");
    assert!(links().is_empty(), "a preview stores nothing");

    let out = tb(dir, &["adopt"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.stdout
            .contains("linked 1 timesheet(s) already in Kimai")
            && out
                .stdout
                .contains("1 written by the previous sync service"),
        "{}",
        out.all()
    );
    assert_eq!(
        sims.kimai.timesheets(),
        before,
        "nothing created or changed"
    );
    let linked = links();
    assert_eq!(linked.len(), 1);
    assert_eq!(
        linked.values().next().unwrap().timesheet_id,
        Some(service as i64)
    );
    let status = tb(dir, &["status", "--json"]).await.json();
    assert_eq!(
        status["awaiting_go_ahead"][0], "acme",
        "adopt is not the first sync"
    );

    // The first sync books everything else, and that entry not again.
    let went = tb(dir, &["sync", "--yes", "--json"]).await;
    assert_eq!(went.code, 0, "{}", went.all());
    let marker = format!("[tb:acme:{}]", entry.id);
    let again: Vec<_> = sims
        .kimai
        .timesheets()
        .into_iter()
        .filter(|t| t.description.as_deref().unwrap_or("").contains(&marker))
        .collect();
    assert!(again.is_empty(), "booked a second time: {again:#?}");
    assert!(sims.kimai.timesheet(service).is_some());
}
