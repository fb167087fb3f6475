//! Unit tests of the mapping from client errors to problems, and that no result leaks a token.

use std::time::Duration;

use timebridge_http::{HttpConfig, SendError};
use timebridge_kimai::KimaiError;
use timebridge_zammad::ZammadError;

use super::*;

const TOKEN: &str = "tb-secret-4f9c2e81";

#[test]
fn a_check_is_one_short_attempt() {
    let cfg = check_config(HttpConfig::default());
    assert_eq!(cfg.timeout, CHECK_TIMEOUT);
    assert_eq!(cfg.retry.max_retries, 0);
    let shorter = HttpConfig {
        timeout: Duration::from_secs(2),
        ..HttpConfig::default()
    };
    assert_eq!(check_config(shorter).timeout, Duration::from_secs(2));
}

#[test]
fn pasted_whitespace_is_trimmed_and_unusable_tokens_are_refused() {
    let t = usable_token(&Secret::new(format!("  {TOKEN}\n"))).unwrap();
    assert_eq!(t.expose(), TOKEN);
    for bad in ["", "   ", "ab cd", "ab\u{7f}cd", "tök"] {
        let err = usable_token(&Secret::new(bad)).unwrap_err();
        assert_eq!(err.code(), "auth_failed", "{bad:?}");
    }
}

#[test]
fn zammad_auth_failures_are_told_from_other_products() {
    // docs/api-notes.md §19: 403 "Authentication required" arrives as AuthFailed and stays AuthFailed.
    let p = zammad::classify(ZammadError::AuthFailed {
        detail: "Authentication required".into(),
    });
    assert_eq!(p.code(), "auth_failed");
    // Kimai's 401 (empty body, or its JSON) is not Zammad speaking.
    for body in ["", r#"{"code":401,"message":"Unauthorized"}"#, "<html>"] {
        let p = zammad::classify(ZammadError::AuthFailed {
            detail: body.into(),
        });
        assert_eq!(p.code(), "not_zammad", "{body:?}");
    }
    let p = zammad::classify(ZammadError::NotFound {
        detail: "Not Found".into(),
    });
    assert_eq!(p.code(), "not_zammad");
}

#[test]
fn transport_failures_keep_their_kind() {
    let cases = [
        (SendError::Dns("x".into()), "dns"),
        (SendError::Refused("x".into()), "refused"),
        (SendError::Tls("self-signed".into()), "tls"),
        (SendError::Timeout(Duration::from_secs(10)), "timeout"),
        (SendError::Connect("no route".into()), "unreachable"),
        (SendError::Broken("reset".into()), "unreachable"),
    ];
    for (err, code) in cases {
        assert_eq!(kimai::classify(KimaiError::Transport(err)).code(), code);
    }
    assert_eq!(
        kimai::classify(KimaiError::Forbidden {
            message: "Forbidden".into()
        }),
        CheckProblem::Forbidden {
            permission: Some("api_access".into()),
            detail: "Kimai answered 403 Forbidden".into(),
        }
    );
}

#[test]
fn code_equals_the_serialized_kind() {
    let all = [
        CheckProblem::InvalidUrl { detail: "d".into() },
        CheckProblem::Dns { detail: "d".into() },
        CheckProblem::Refused { detail: "d".into() },
        CheckProblem::Tls { detail: "d".into() },
        CheckProblem::Timeout { seconds: 10 },
        CheckProblem::Unreachable { detail: "d".into() },
        CheckProblem::AuthFailed { detail: "d".into() },
        CheckProblem::Forbidden {
            permission: Some("ticket.agent".into()),
            detail: "d".into(),
        },
        CheckProblem::NotKimai { detail: "d".into() },
        CheckProblem::NotZammad { detail: "d".into() },
        CheckProblem::RateLimited {
            retry_after_seconds: None,
        },
        CheckProblem::ServerError { status: 503 },
        CheckProblem::UnexpectedResponse { detail: "d".into() },
    ];
    for p in all {
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["kind"], p.code(), "{p:?}");
        assert!(!p.message().is_empty());
    }
    let forbidden = CheckProblem::Forbidden {
        permission: Some("ticket.agent".into()),
        detail: "d".into(),
    };
    assert!(forbidden.message().contains("\"ticket.agent\""));
    assert!(!forbidden.is_transient());
    assert!(CheckProblem::ServerError { status: 503 }.is_transient());
    assert!(CheckProblem::Timeout { seconds: 10 }.is_transient());
    assert!(!CheckProblem::Dns { detail: "d".into() }.is_transient());
}

#[tokio::test]
async fn no_result_shows_the_token() {
    let urls = [
        "http://kimai.example.com",
        "not a url",
        "http://127.0.0.1:9/",
        "https://no-such-host.invalid/",
    ];
    let cfg = HttpConfig {
        timeout: Duration::from_secs(3),
        ..HttpConfig::default()
    };
    for url in urls {
        for token in [TOKEN.to_string(), format!("{TOKEN} with space")] {
            let k = check_kimai(url, false, Secret::new(token.clone()), cfg.clone()).await;
            let z = check_zammad(url, false, Secret::new(token), cfg.clone()).await;
            let kp = k.as_ref().unwrap_err();
            let zp = z.as_ref().unwrap_err();
            let shown = format!(
                "{k:?} {z:?} {} {} {}",
                kp.message(),
                zp.message(),
                serde_json::to_string(kp).unwrap()
            );
            assert!(!shown.contains("4f9c2e81"), "{shown}");
        }
    }
}
