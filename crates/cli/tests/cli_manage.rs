//! `connections test` and `remove`, bad input, an unavailable keychain and data directory,
//! and (under `scripts/with-keyring.sh`) the real keychain, with the real binary against the
//! simulators (see `support`).

mod support;

use serde_json::Value;
use support::{
    configured, kimai, list, run, run_with, sims, zammad_acme, Keychain, Run, BOTH, KIMAI_TOKEN,
    KIMAI_VAR, ZAMMAD_TOKEN, ZAMMAD_VAR,
};

#[tokio::test]
async fn test_rechecks_with_the_stored_token_by_name_or_key() {
    let (k, z) = (kimai().await, zammad_acme().await);
    let tmp = tempfile::tempdir().unwrap();
    configured(tmp.path(), &k.url(), &z.url()).await;

    let out = run(
        tmp.path(),
        &["connections", "test", "mine", "--json"],
        &BOTH,
        None,
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.all());
    let doc = out.json();
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["problem"], Value::Null);
    assert_eq!(doc["check"]["kimai"]["timezone"], "Europe/Berlin");

    let out = run(tmp.path(), &["connections", "test", "acme"], &BOTH, None).await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.stdout.contains("Acme") && out.stdout.contains("OK"),
        "{}",
        out.stdout
    );
    assert!(!out.all().contains(ZAMMAD_TOKEN));
}

#[tokio::test]
async fn test_with_a_rejected_token_exits_2_with_the_problem() {
    let (k, z) = (kimai().await, zammad_acme().await);
    let tmp = tempfile::tempdir().unwrap();
    configured(tmp.path(), &k.url(), &z.url()).await;
    let env = [(KIMAI_VAR, "revoked-token")];
    let out = run(
        tmp.path(),
        &["connections", "test", "mine", "--json"],
        &env,
        None,
    )
    .await;
    assert_eq!(out.code, 2, "{}", out.all());
    let doc = out.json();
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["problem"]["code"], "auth_failed");
    assert_eq!(doc["connection"]["name"], "mine");

    drop(k);
    let out = run(tmp.path(), &["connections", "test", "mine"], &BOTH, None).await;
    assert_eq!(out.code, 2, "server gone: {}", out.all());
    assert!(out.stderr.contains("error [refused]"), "{}", out.stderr);
}

#[tokio::test]
async fn test_without_any_token_exits_3_naming_the_variable() {
    let (k, z) = (kimai().await, zammad_acme().await);
    let tmp = tempfile::tempdir().unwrap();
    configured(tmp.path(), &k.url(), &z.url()).await;
    let out = run(tmp.path(), &["connections", "test", "acme"], &[], None).await;
    assert_eq!(out.code, 3, "{}", out.all());
    assert!(out.stderr.contains(ZAMMAD_VAR), "{}", out.stderr);
}

#[tokio::test]
async fn remove_deletes_the_connection_by_key_and_a_second_time_is_exit_1() {
    let (k, z) = (kimai().await, zammad_acme().await);
    let tmp = tempfile::tempdir().unwrap();
    configured(tmp.path(), &k.url(), &z.url()).await;
    let out = run(
        tmp.path(),
        &["connections", "remove", "acme", "--json"],
        &BOTH,
        None,
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(out.json()["removed"]["instance_key"], "acme");
    let listed = list(tmp.path()).await;
    let names: Vec<&str> = listed["connections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["mine"]);
    let again = run(tmp.path(), &["connections", "remove", "acme"], &BOTH, None).await;
    assert_eq!(again.code, 1, "{}", again.all());
    assert!(
        again.stderr.contains("no connection is named"),
        "{}",
        again.stderr
    );
    // The key can be added again.
    let z2 = [
        "connections",
        "add",
        "zammad",
        "--key",
        "acme",
        "--name",
        "Acme",
        "--url",
        &z.url(),
        "--unit",
        "minutes",
    ];
    assert_eq!(run(tmp.path(), &z2, &BOTH, None).await.code, 0);
}

#[tokio::test]
async fn bad_key_unit_or_missing_token_exit_1_before_anything_is_stored() {
    let tmp = tempfile::tempdir().unwrap();
    let base = [
        "connections",
        "add",
        "zammad",
        "--name",
        "X",
        "--url",
        "https://z.example",
    ];
    for extra in [
        ["--key", "Acme", "--unit", "minutes"],
        ["--key", "waytoolongkey1", "--unit", "minutes"],
        ["--key", "acme", "--unit", "minute"],
        ["--key", "acme", "--unit", "custom:0"],
    ] {
        let args: Vec<&str> = base.iter().chain(extra.iter()).copied().collect();
        let out = run(tmp.path(), &args, &BOTH, None).await;
        assert_eq!(out.code, 1, "{extra:?}: {}", out.all());
    }
    let out = run(tmp.path(), &["connections", "frobnicate"], &[], None).await;
    assert_eq!(out.code, 1, "{}", out.all());
    let args = [
        "connections",
        "add",
        "kimai",
        "--name",
        "k",
        "--url",
        "https://k.example",
    ];
    let out = run(tmp.path(), &args, &[], None).await;
    assert_eq!(out.code, 1, "no token anywhere: {}", out.all());
    assert!(out.stderr.contains(KIMAI_VAR), "{}", out.stderr);
    assert_eq!(list(tmp.path()).await["connections"], serde_json::json!([]));
    assert_eq!(run(tmp.path(), &["--help"], &[], None).await.code, 0);
}

#[tokio::test]
async fn an_unavailable_keychain_without_the_variable_exits_3_and_stores_nothing() {
    let k = kimai().await;
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "connections",
        "add",
        "kimai",
        "--name",
        "mine",
        "--url",
        &k.url(),
        "--token-stdin",
        "--json",
    ];
    let out = run(tmp.path(), &args, &[], Some(KIMAI_TOKEN)).await;
    assert_eq!(out.code, 3, "{}", out.all());
    assert_eq!(out.json()["error"]["code"], "keychain_unavailable");
    assert!(
        out.stderr.contains(KIMAI_VAR),
        "names the variable: {}",
        out.stderr
    );
    assert!(!out.all().contains(KIMAI_TOKEN));
    assert_eq!(list(tmp.path()).await["connections"], serde_json::json!([]));
}

#[tokio::test]
async fn no_check_stores_without_asking_the_server_and_test_then_reports_it() {
    let tmp = tempfile::tempdir().unwrap();
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/");
    let args = [
        "connections",
        "add",
        "kimai",
        "--name",
        "later",
        "--url",
        &url,
        "--no-check",
        "--json",
    ];
    let out = run(tmp.path(), &args, &BOTH, None).await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(out.json()["check"], Value::Null);
    assert_eq!(
        out.json()["billing_timezone"],
        Value::Null,
        "no timezone without a check"
    );
    let out = run(
        tmp.path(),
        &["connections", "test", "later", "--json"],
        &BOTH,
        None,
    )
    .await;
    assert_eq!(out.code, 2, "{}", out.all());
    assert_eq!(out.json()["problem"]["code"], "refused");
}

#[tokio::test]
async fn an_unusable_data_directory_exits_4() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("not-a-dir");
    std::fs::write(&file, b"user data").unwrap();
    let out = run(&file, &["status", "--json"], &[], None).await;
    assert_eq!(out.code, 4, "{}", out.all());
    assert_eq!(out.json()["error"]["code"], "data_dir");
    assert_eq!(std::fs::read(&file).unwrap(), b"user data", "left alone");
}

/// The real keychain, only under `scripts/with-keyring.sh` (a throwaway GNOME Keyring on a
/// private D-Bus session), as the core's keychain tests do.
#[tokio::test]
#[ignore = "needs a Secret Service: scripts/with-keyring.sh cargo test -p timebridge-cli --test cli_manage -- --ignored"]
async fn with_a_keychain_the_token_is_stored_used_and_removed() {
    let k = kimai().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let add = [
        "connections",
        "add",
        "kimai",
        "--name",
        "mine",
        "--url",
        &k.url(),
        "--token-stdin",
        "--json",
    ];
    let out = run_with(dir, &add, &[], Some(KIMAI_TOKEN), Keychain::Session).await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(out.json()["token"], "keychain");
    let listed = run_with(
        dir,
        &["connections", "list", "--json"],
        &[],
        None,
        Keychain::Session,
    );
    let listed: Run = listed.await;
    assert_eq!(listed.json()["connections"][0]["token"], "keychain");
    assert!(keychain_has_kimai_entry(), "secret-tool sees the entry");
    // No variable set: the check uses the token from the keychain.
    let out = run_with(
        dir,
        &["connections", "test", "mine"],
        &[],
        None,
        Keychain::Session,
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.all());
    let out = run_with(
        dir,
        &["connections", "remove", "mine"],
        &[],
        None,
        Keychain::Session,
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.all());
    // The keychain entry is gone too (asked independently of Timebridge).
    assert!(!keychain_has_kimai_entry(), "removed from the keychain");
    assert!(!out.all().contains(KIMAI_TOKEN));
}

/// Whether the session keychain holds Timebridge's `kimai` entry, asked with `secret-tool`
/// (libsecret), independently of the keyring crate. Its output (which can include the secret
/// of an unlocked item) is only searched, never printed.
fn keychain_has_kimai_entry() -> bool {
    let out = std::process::Command::new("secret-tool")
        .args([
            "search",
            "--all",
            "service",
            "dev.timebridge.desktop",
            "username",
            "kimai",
        ])
        .output()
        .expect("secret-tool (libsecret-tools) runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    text.contains("dev.timebridge.desktop")
}

/// `add zammad` takes its unit from the helpdesk's setting; another one needs a confirmation,
/// because an entry of 15 would otherwise be booked as 15 hours instead of 15 minutes.
#[tokio::test]
async fn a_unit_other_than_the_helpdesks_needs_a_confirmation() {
    let sims = sims().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let add = |extra: &'static [&'static str]| {
        let url = sims.zammad_url.clone();
        async move {
            let mut args = vec![
                "connections",
                "add",
                "zammad",
                "--key",
                "acme",
                "--name",
                "Acme",
                "--url",
            ];
            args.push(&url);
            args.extend_from_slice(extra);
            run(dir, &args, &BOTH, None).await
        }
    };
    // The demo helpdesk "acme" counts in minutes.
    let out = add(&["--unit", "hours"]).await;
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.stderr.contains("\"minute\"") && out.stderr.contains("15 hours"),
        "{}",
        out.all()
    );
    assert!(
        list(dir).await["connections"]
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing stored"
    );

    let out = add(&["--unit", "hours", "--unit-differs-from-zammad", "--json"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(
        out.json()["connection"]["time_unit"]["kind"],
        "hours",
        "{}",
        out.stdout
    );
    let out = run(dir, &["connections", "remove", "acme"], &BOTH, None).await;
    assert_eq!(out.code, 0, "{}", out.all());

    let out = add(&["--json"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(
        out.json()["connection"]["time_unit"]["kind"],
        "minutes",
        "the helpdesk's unit"
    );
}
