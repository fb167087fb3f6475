//! The billing preview as the UI gets it: blocker and difference kinds are the core's kind
//! names (never an entry's name), and each blocker carries its particulars so the window can
//! say it in its own language.

use timebridge_simulators::{Fault, FaultKind};
use timebridge_types::billing::{BillingApplyRequest, BillingQuery};
use timebridge_types::ErrorCode;

use super::test_support::{host, test_now};

const BLOCKER_KINDS: [&str; 8] = [
    "pending_write",
    "conflict",
    "parked",
    "held",
    "running_timesheet",
    "unknown_project",
    "stale_sync",
    "never_synced",
];

#[tokio::test(flavor = "multi_thread")]
async fn blockers_carry_their_kind_and_particulars() {
    let tmp = tempfile::tempdir().unwrap();
    let host = host(&tmp);
    let app = host.start_demo().await.expect("the demo starts");

    // Before any sync: the one blocker without particulars.
    let month = test_now().format("%Y-%m").to_string();
    let query = BillingQuery {
        month: Some(month.clone()),
        customers: vec![],
    };
    let before = app.billing_preview(&query).await.unwrap();
    let never: Vec<_> = before.blockers.iter().map(|b| b.kind.as_str()).collect();
    assert!(never.contains(&"never_synced"), "{:?}", before.blockers);

    let result = app.sync_now().await.expect("the demo syncs");
    assert_eq!(result.outcome, "ok", "{:?}", result.error);
    let preview = app.billing_preview(&query).await.unwrap();
    assert_eq!(preview.month, month);
    for b in &preview.blockers {
        assert!(BLOCKER_KINDS.contains(&b.kind.as_str()), "{b:?}");
    }
    // The demo leaves one organization unmapped: its entries are parked.
    let parked = preview
        .blockers
        .iter()
        .find(|b| b.kind == "parked" && b.detail.as_deref() == Some("needs_mapping"))
        .expect("the unmapped organization's entries block billing");
    assert!(
        parked.entry.as_deref().is_some_and(|e| e.contains('#')),
        "{parked:?}"
    );
    assert_eq!(
        parked.detail.as_deref(),
        Some("needs_mapping"),
        "{parked:?}"
    );
    assert!(parked
        .text
        .starts_with(parked.entry.as_deref().unwrap_or("?")));
    for r in &preview.reconciliation {
        for d in &r.differences {
            assert!(
                ["missing_in_kimai", "differs", "accepted_deletion"].contains(&d.kind.as_str()),
                "{d:?}"
            );
            assert_eq!(d.kind == "differs", !d.fields.is_empty(), "{d:?}");
        }
    }
}

/// Billing asked to sync first bills nothing when that sync does not end ok, and names the run
/// to look at; the month stays open.
#[tokio::test(flavor = "multi_thread")]
async fn a_sync_first_that_does_not_end_ok_bills_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let host = host(&tmp);
    let app = host.start_demo().await.expect("the demo starts");
    let world = app.demo_world().expect("the demo's simulators");
    for (_, zammad) in &world.zammad {
        zammad
            .knobs()
            .add_fault(Fault::always(FaultKind::Status { status: 401 }));
    }
    let request = BillingApplyRequest {
        query: BillingQuery {
            month: Some(test_now().format("%Y-%m").to_string()),
            customers: vec![],
        },
        override_reason: Some("billed despite blockers".into()),
        sync_first: true,
    };

    let err = app.billing_apply(&request).await.unwrap_err();

    assert_eq!(err.code, ErrorCode::Offline, "{err:?}");
    assert!(err.retryable, "{err:?}");
    let runs = app.list_runs(5).unwrap();
    let sync = runs
        .first()
        .expect("the sync before billing is in the history");
    assert_ne!(sync.outcome, "ok", "{sync:?}");
    assert!(
        err.message.starts_with(&format!(
            "the sync before billing (run {}) did not end ok: ",
            sync.id
        )) && err.message.ends_with("; nothing was billed"),
        "{}",
        err.message
    );
    assert!(app.store().billing_runs().unwrap().is_empty());
    let tagged = world
        .kimai
        .timesheets()
        .iter()
        .filter(|t| t.tags.iter().any(|tag| tag.starts_with("billed:")))
        .count();
    assert_eq!(tagged, 0);
}
