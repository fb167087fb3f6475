//! Every client method once against the running simulator (demo data of "acme"), so the client
//! and the simulator agree on the wire.

use chrono::{Duration, Utc};
use rust_decimal::Decimal;
use timebridge_simulators::zammad::{demo::demo_seeds, ZammadSeed, ZammadSim};
use timebridge_simulators::Clock;
use timebridge_zammad::{NewTimeAccounting, TimeAccountingUnit, ZammadError};

use super::client_for;

/// The "acme" demo seed and its consultant's token.
pub(crate) fn seed() -> (ZammadSeed, String) {
    // The client is checked against the simulator on the system clock; the assertions are
    // about shapes and ids, true for demo data laid out around any date.
    let (name, seed) = demo_seeds(Utc::now()).remove(0);
    assert_eq!(name, "acme");
    (seed, "demo-zammad-acme-token".to_string())
}

#[tokio::test]
async fn every_method_against_the_simulator() {
    let (seed, token) = seed();
    let sim = ZammadSim::from_seed(seed, Clock::system());
    let server = sim.start().await.unwrap();
    let agent = client_for(&server.url(), &token, 0);
    let admin = client_for(&server.url(), "demo-zammad-acme-admin-token", 0);

    let me = agent.me().await.unwrap();
    assert_eq!(me.login, "consultant");
    assert!(me.can_change_group(1) && !me.can_change_group(2));

    let cfg = agent.time_accounting_config().await.unwrap();
    assert_eq!(cfg.time_accounting_unit, TimeAccountingUnit::Minute);
    assert!(cfg.time_accounting);

    let t = agent.ticket(1).await.unwrap();
    assert_eq!(t.number, "31001");
    let org = agent
        .organization(t.organization_id.unwrap())
        .await
        .unwrap();
    assert!(org.name.starts_with("Acme"));

    let page = agent.tickets_page(1, 100).await.unwrap();
    assert_eq!(
        page.len(),
        40,
        "the consultant reads Support and Management"
    );

    let all = agent
        .search_tickets_updated_since(Utc::now() - Duration::days(365))
        .await
        .unwrap();
    assert_eq!(all.len(), 40);
    assert!(
        all.windows(2).all(|w| w[0].updated_at <= w[1].updated_at),
        "oldest first"
    );

    let entries = agent.time_accountings(1).await.unwrap();
    let created = agent
        .create_time_accounting(
            1,
            &NewTimeAccounting {
                time_unit: Decimal::new(-150, 1),
                type_id: Some(2),
                ticket_article_id: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(created.time_unit, Decimal::from(-15));
    assert_eq!(created.created_by_id, me.id);
    assert_eq!(
        agent.time_accountings(1).await.unwrap().len(),
        entries.len() + 1
    );
    assert_eq!(agent.time_accounting(1, created.id).await.unwrap(), created);
    let after = agent.ticket(1).await.unwrap();
    let sum: Decimal = entries.iter().map(|e| e.time_unit).sum::<Decimal>() - Decimal::from(15);
    assert_eq!(after.time_unit, Some(sum));

    let denied = agent.all_time_accountings_page(1, 1000).await.unwrap_err();
    assert!(
        matches!(
            denied,
            ZammadError::Forbidden {
                token_scope: false,
                ..
            }
        ),
        "{denied:?}"
    );
    assert!(matches!(
        agent.time_accounting_types().await,
        Err(ZammadError::Forbidden { .. })
    ));
    // Ticket 8 is in Management, where the consultant has read access only.
    assert!(matches!(
        agent.time_accountings(8).await,
        Err(ZammadError::Forbidden { .. })
    ));

    let global = admin.all_time_accountings_page(1, 1000).await.unwrap();
    assert_eq!(global.len(), sim.time_accountings().len());
    let types = admin.time_accounting_types().await.unwrap();
    let names: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Remote", "On site", "Phone"]);

    let nobody = client_for(&server.url(), "wrong", 0);
    assert!(matches!(
        nobody.me().await,
        Err(ZammadError::AuthFailed { .. })
    ));
}
