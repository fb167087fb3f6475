//! The billing preview as the UI gets it: blocker and difference kinds are the core's kind
//! names (never an entry's name), and each blocker carries its particulars so the window can
//! say it in its own language.

use timebridge_types::billing::BillingQuery;

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
