//! A server with a self-signed certificate (made here with rcgen, served with rustls): the
//! connection check must say "tls" with a sentence that names the certificate problem and
//! what to do, for Kimai and Zammad alike, and never fall back to plain HTTP or send on.
//! Certificate pinning is not offered (the system's trust store decides), so it is not tested.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use timebridge_core::connections::{check_kimai, check_zammad, CheckProblem};
use timebridge_http::{HttpConfig, Secret};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

/// An HTTPS server on loopback with a fresh self-signed certificate for `localhost`; it
/// answers any request it ever decrypts with 200 and counts them.
async fn self_signed_server() -> (String, Arc<AtomicUsize>) {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(cert.signing_key.serialize_der()));
    let config = ServerConfig::builder_with_provider(Arc::new(
        tokio_rustls::rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![cert.cert.der().clone()], key)
    .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let served = Arc::new(AtomicUsize::new(0));
    let count = served.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (acceptor, count) = (acceptor.clone(), count.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(socket).await else {
                    return; // the client refused our certificate: the expected path
                };
                let mut buf = [0u8; 4096];
                if tls.read(&mut buf).await.unwrap_or(0) > 0 {
                    count.fetch_add(1, Ordering::SeqCst);
                    let body = r#"{"message":"pong"}"#;
                    let _ = tls
                        .write_all(format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}", body.len()).as_bytes())
                        .await;
                }
            });
        }
    });
    (format!("https://localhost:{port}/"), served)
}

fn cfg() -> HttpConfig {
    HttpConfig {
        timeout: Duration::from_secs(5),
        ..HttpConfig::default()
    }
}

fn assert_clear_tls_problem(problem: &CheckProblem) {
    assert_eq!(problem.code(), "tls", "{problem:?}");
    let CheckProblem::Tls { detail } = problem else {
        unreachable!()
    };
    let lower = detail.to_ascii_lowercase();
    assert!(
        lower.contains("certificate"),
        "the detail names the certificate: {detail}"
    );
    let text = problem.to_string();
    for words in ["certificate", "self-signed", "trust it on this computer"] {
        assert!(text.contains(words), "{words:?} missing from: {text}");
    }
}

#[tokio::test]
async fn a_self_signed_certificate_is_a_clear_tls_problem_and_nothing_is_sent() {
    let (url, served) = self_signed_server().await;
    let kimai = check_kimai(&url, false, Secret::new("tb-tls-token"), cfg()).await;
    assert_clear_tls_problem(&kimai.unwrap_err());
    let zammad = check_zammad(&url, false, Secret::new("tb-tls-token"), cfg()).await;
    assert_clear_tls_problem(&zammad.unwrap_err());
    // Even with the per-connection opt-in for plain http, https stays verified.
    let opted_in = check_kimai(&url, true, Secret::new("tb-tls-token"), cfg()).await;
    assert_eq!(opted_in.unwrap_err().code(), "tls");
    assert_eq!(
        served.load(Ordering::SeqCst),
        0,
        "no request (and no token) went over the untrusted connection"
    );
}
