//! "Test connection" against the in-process simulators (demo seeds) and a few hand-made
//! servers: every diagnosis the UI shows must come out of a real HTTP exchange.

use std::time::Duration;

use chrono::{DateTime, Utc};
use timebridge_core::connections::{
    check_kimai, check_zammad, CheckProblem, GroupAccess, IncrementalStrategy, ZammadWarning,
};
use timebridge_http::{HttpConfig, Secret};
use timebridge_simulators::kimai::{demo::demo_seed, KimaiSim};
use timebridge_simulators::zammad::{demo::demo_seeds, ZammadSeed, ZammadSim};
use timebridge_simulators::{Clock, Fault, FaultKind, RunningServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const KIMAI_TOKEN: &str = "demo-kimai-token";
const ZAMMAD_TOKEN: &str = "demo-zammad-acme-token";
const ZAMMAD_ADMIN_TOKEN: &str = "demo-zammad-acme-admin-token";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z")
        .unwrap()
        .to_utc()
}

fn cfg() -> HttpConfig {
    HttpConfig {
        timeout: Duration::from_secs(5),
        ..HttpConfig::default()
    }
}

fn kimai_sim() -> KimaiSim {
    KimaiSim::from_seed(demo_seed(now()), Clock::manual(now()))
}

fn acme_seed() -> ZammadSeed {
    demo_seeds(now())
        .into_iter()
        .find(|(name, _)| name == "acme")
        .unwrap()
        .1
}

fn zammad_sim(seed: ZammadSeed) -> ZammadSim {
    ZammadSim::from_seed(seed, Clock::manual(now()))
}

async fn kimai(
    url: &str,
    token: &str,
) -> Result<timebridge_core::connections::KimaiAccount, CheckProblem> {
    check_kimai(url, false, Secret::new(token), cfg()).await
}

async fn zammad(
    url: &str,
    token: &str,
) -> Result<timebridge_core::connections::ZammadAccount, CheckProblem> {
    check_zammad(url, false, Secret::new(token), cfg()).await
}

/// A server that answers every request with `status`, `content_type` and `body`.
async fn canned(status: &str, content_type: &str, body: &str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    );
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let response = response.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let mut seen = Vec::new();
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = socket.write_all(response.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    url
}

fn code<T: std::fmt::Debug>(result: &Result<T, CheckProblem>) -> &'static str {
    result
        .as_ref()
        .map(|ok| panic!("expected a problem, got {ok:?}"))
        .unwrap_err()
        .code()
}

#[tokio::test]
async fn kimai_demo_account_is_found_with_version_and_timezone() {
    let server = kimai_sim().start().await.unwrap();
    let account = kimai(&server.url(), KIMAI_TOKEN).await.unwrap();
    assert_eq!(account.version, "2.66.0");
    assert_eq!(account.version_id, 26600);
    assert_eq!(account.timezone, "Europe/Berlin");
    assert_eq!(account.roles, vec!["ROLE_USER".to_string()]);
    assert_eq!(account.username, "consultant");
    assert_eq!(account.user_id, 2);
    assert!(!format!("{account:?}").contains(KIMAI_TOKEN));
}

#[tokio::test]
async fn kimai_wrong_token_is_auth_failed() {
    let server = kimai_sim().start().await.unwrap();
    let result = kimai(&server.url(), "not-the-token").await;
    assert_eq!(code(&result), "auth_failed");
}

#[tokio::test]
async fn a_zammad_url_given_as_kimai_is_not_kimai_and_vice_versa() {
    let z = zammad_sim(acme_seed()).start().await.unwrap();
    let k = kimai_sim().start().await.unwrap();
    assert_eq!(code(&kimai(&z.url(), ZAMMAD_TOKEN).await), "not_kimai");
    assert_eq!(code(&zammad(&k.url(), KIMAI_TOKEN).await), "not_zammad");
}

#[tokio::test]
async fn a_web_page_is_neither_kimai_nor_zammad() {
    let url = canned("200 OK", "text/html", "<html><body>Welcome</body></html>").await;
    assert_eq!(code(&kimai(&url, KIMAI_TOKEN).await), "not_kimai");
    assert_eq!(code(&zammad(&url, ZAMMAD_TOKEN).await), "not_zammad");
}

#[tokio::test]
async fn a_closed_port_is_refused() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/");
    assert_eq!(code(&kimai(&url, KIMAI_TOKEN).await), "refused");
    assert_eq!(code(&zammad(&url, ZAMMAD_TOKEN).await), "refused");
}

#[tokio::test]
async fn an_unresolvable_host_is_dns() {
    let url = "https://no-such-host.invalid/";
    assert_eq!(code(&kimai(url, KIMAI_TOKEN).await), "dns");
    assert_eq!(code(&zammad(url, ZAMMAD_TOKEN).await), "dns");
}

#[tokio::test]
async fn https_to_a_plain_http_server_is_a_tls_problem() {
    let server = kimai_sim().start().await.unwrap();
    let url = format!("https://{}/", server.addr());
    assert_eq!(code(&kimai(&url, KIMAI_TOKEN).await), "tls");
    assert_eq!(code(&zammad(&url, ZAMMAD_TOKEN).await), "tls");
}

#[tokio::test]
async fn plain_http_to_another_machine_needs_the_opt_in() {
    let url = "http://kimai.example.com/";
    let refused = kimai(url, KIMAI_TOKEN).await;
    let CheckProblem::InvalidUrl { detail } = refused.unwrap_err() else {
        panic!("expected invalid_url")
    };
    assert!(detail.contains("plain http"), "{detail}");
    assert_eq!(code(&zammad(url, ZAMMAD_TOKEN).await), "invalid_url");
    let opted_in = check_kimai(url, true, Secret::new(KIMAI_TOKEN), cfg()).await;
    assert_ne!(code(&opted_in), "invalid_url");
    assert_eq!(
        code(&kimai("kimai.example.com", KIMAI_TOKEN).await),
        "invalid_url"
    );
}

#[tokio::test]
async fn zammad_consultant_is_an_agent_using_ticket_search() {
    let sim = zammad_sim(acme_seed());
    let server = sim.start().await.unwrap();
    let account = zammad(&server.url(), ZAMMAD_TOKEN).await.unwrap();
    assert_eq!(account.user_id, 2);
    assert_eq!(account.login, "consultant");
    assert_eq!(account.name, "Conny Consultant");
    assert_eq!(
        account.groups,
        vec![
            GroupAccess {
                group_id: 1,
                access: vec!["full".into()],
                can_change: true
            },
            GroupAccess {
                group_id: 2,
                access: vec!["read".into()],
                can_change: false
            },
        ]
    );
    assert!(account.can_change_any_group);
    assert!(!account.is_time_accounting_admin);
    assert_eq!(account.strategy, IncrementalStrategy::TicketSearch);
    assert!(account.time_accounting.enabled);
    assert_eq!(account.time_accounting.unit, "minute");
    assert_eq!(
        account.warnings,
        vec![ZammadWarning::ReadOnlyGroups { group_ids: vec![2] }]
    );
    assert!(!format!("{account:?}").contains(ZAMMAD_TOKEN));
    // The agent probe really read one ticket's entries.
    let counts = sim.knobs().counts();
    assert_eq!(
        counts.get("GET /api/v1/tickets/{ticket_id}/time_accountings"),
        Some(&1),
        "{counts:?}"
    );
}

#[tokio::test]
async fn zammad_admin_uses_the_global_list() {
    let server = zammad_sim(acme_seed()).start().await.unwrap();
    let account = zammad(&server.url(), ZAMMAD_ADMIN_TOKEN).await.unwrap();
    assert_eq!(account.login, "admin");
    assert!(account.is_time_accounting_admin);
    assert_eq!(account.strategy, IncrementalStrategy::GlobalList);
    assert!(account.warnings.is_empty(), "{:?}", account.warnings);
}

#[tokio::test]
async fn zammad_settings_and_access_problems_become_warnings() {
    let mut seed = acme_seed();
    seed.settings.time_accounting = false;
    seed.users[1]
        .group_access
        .insert("1".into(), vec!["read".into()]);
    let server = zammad_sim(seed).start().await.unwrap();
    let account = zammad(&server.url(), ZAMMAD_TOKEN).await.unwrap();
    assert!(!account.can_change_any_group);
    assert_eq!(
        account.warnings,
        vec![
            ZammadWarning::TimeAccountingDisabled,
            ZammadWarning::NoGroupWithChangeAccess,
            ZammadWarning::ReadOnlyGroups {
                group_ids: vec![1, 2]
            },
        ]
    );
}

#[tokio::test]
async fn zammad_without_a_usable_token_is_auth_failed_not_forbidden() {
    let server = zammad_sim(acme_seed()).start().await.unwrap();
    assert_eq!(
        code(&zammad(&server.url(), "wrong-token").await),
        "auth_failed"
    );
    assert_eq!(code(&zammad(&server.url(), "  ").await), "auth_failed");
    // What Zammad answers when no credentials reach it (docs/api-notes.md §19).
    let url = canned(
        "403 Forbidden",
        "application/json",
        r#"{"error":"Authentication required","error_human":"Authentication required"}"#,
    )
    .await;
    let result = zammad(&url, ZAMMAD_TOKEN).await;
    assert_eq!(
        result.unwrap_err(),
        CheckProblem::AuthFailed {
            detail: "Authentication required".into()
        }
    );
}

#[tokio::test]
async fn an_admin_token_without_admin_permission_names_it() {
    let mut seed = acme_seed();
    seed.users[0].token_permissions = Some(vec!["ticket.agent".into()]);
    let server = zammad_sim(seed).start().await.unwrap();
    let problem = zammad(&server.url(), ZAMMAD_ADMIN_TOKEN).await.unwrap_err();
    let CheckProblem::Forbidden { permission, detail } = &problem else {
        panic!("expected forbidden, got {problem:?}")
    };
    assert_eq!(permission.as_deref(), Some("admin.time_accounting"));
    assert!(detail.contains("Not authorized (token)!"), "{detail}");
    assert!(problem.message().contains("admin.time_accounting"));
}

#[tokio::test]
async fn an_agent_token_that_sees_no_ticket_is_warned_about() {
    let mut seed = acme_seed();
    seed.users[1].token_permissions = Some(vec!["user_preferences".into()]);
    let server = zammad_sim(seed).start().await.unwrap();
    let account = zammad(&server.url(), ZAMMAD_TOKEN).await.unwrap();
    assert!(account.warnings.contains(&ZammadWarning::NoTicketVisible));
}

#[tokio::test]
async fn a_failing_server_is_a_server_error_and_a_slow_one_times_out() {
    let z = zammad_sim(acme_seed());
    let k = kimai_sim();
    z.knobs()
        .add_fault(Fault::always(FaultKind::Status { status: 503 }));
    k.knobs()
        .add_fault(Fault::always(FaultKind::Status { status: 503 }));
    let (zs, ks): (RunningServer, RunningServer) =
        (z.start().await.unwrap(), k.start().await.unwrap());
    assert_eq!(
        zammad(&zs.url(), ZAMMAD_TOKEN).await.unwrap_err(),
        CheckProblem::ServerError { status: 503 }
    );
    assert_eq!(
        kimai(&ks.url(), KIMAI_TOKEN).await.unwrap_err(),
        CheckProblem::ServerError { status: 503 }
    );
    // One attempt only: a check never retries.
    assert_eq!(z.knobs().total_requests(), 1);

    z.knobs().clear_faults();
    z.knobs()
        .add_fault(Fault::always(FaultKind::Slow { millis: 3_000 }));
    let quick = HttpConfig {
        timeout: Duration::from_millis(300),
        ..HttpConfig::default()
    };
    let result = check_zammad(&zs.url(), false, Secret::new(ZAMMAD_TOKEN), quick).await;
    assert_eq!(code(&result), "timeout");
}
