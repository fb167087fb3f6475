//! The real `timebridge` binary against the in-process simulators (demo seeds), each test in
//! its own data directory, with no keychain reachable (see `support`): `status`, `add` and
//! `list`.

mod support;

use std::path::Path;

use serde_json::Value;

use support::{
    kimai, list, run, zammad_acme, Run, KIMAI_TOKEN, KIMAI_VAR, ZAMMAD_TOKEN, ZAMMAD_VAR,
};

async fn add_kimai(dir: &Path, url: &str) -> Run {
    run(
        dir,
        &[
            "connections",
            "add",
            "kimai",
            "--name",
            "mine",
            "--url",
            url,
            "--json",
        ],
        &[(KIMAI_VAR, KIMAI_TOKEN)],
        None,
    )
    .await
}

async fn add_acme(dir: &Path, url: &str) -> Run {
    let args = [
        "connections",
        "add",
        "zammad",
        "--key",
        "acme",
        "--name",
        "Acme",
        "--url",
        url,
        "--unit",
        "minutes",
        "--token-stdin",
    ];
    run(
        dir,
        &args,
        &[(ZAMMAD_VAR, ZAMMAD_TOKEN)],
        Some(ZAMMAD_TOKEN),
    )
    .await
}

#[tokio::test]
async fn status_on_a_fresh_directory_creates_and_reports_the_database() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("fresh");
    let out = run(&dir, &["status", "--json"], &[], None).await;
    assert_eq!(out.code, 0, "{}", out.all());
    let doc = out.json();
    assert_eq!(doc["data_dir"], dir.display().to_string());
    assert_eq!(
        doc["database_file"],
        dir.join("timebridge.db").display().to_string()
    );
    assert!(doc["schema_version"].as_i64().unwrap() >= 2);
    assert_eq!(doc["schema_version"], doc["latest_schema_version"]);
    assert_eq!(doc["connections"], 0);
    assert_eq!(doc["billing_timezone"], Value::Null);
    assert!(dir.join("timebridge.db").is_file());
}

/// Every directory and file below `dir` (and `dir` itself) with its permission bits.
#[cfg(unix)]
fn modes(dir: &Path) -> Vec<(String, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = vec![(
        String::new(),
        std::fs::metadata(dir).unwrap().permissions().mode() & 0o7777,
    )];
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            out.extend(
                modes(&path)
                    .into_iter()
                    .map(|(n, m)| (format!("{name}/{n}"), m)),
            );
        } else {
            out.push((
                name,
                entry.metadata().unwrap().permissions().mode() & 0o7777,
            ));
        }
    }
    out
}

#[cfg(unix)]
#[tokio::test]
async fn the_data_directory_is_created_owner_only() {
    let server = kimai().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("fresh");
    let out = add_kimai(&dir, &server.url()).await;
    assert_eq!(out.code, 0, "{}", out.all());
    let all = modes(&dir);
    assert!(
        all.iter().any(|(n, _)| n == "timebridge.db"),
        "the database was created: {all:?}"
    );
    for (name, mode) in &all {
        assert_eq!(
            mode & 0o077,
            0,
            "{name:?} is {mode:o}: readable by other accounts"
        );
    }
}

#[cfg(unix)]
#[tokio::test]
async fn an_existing_readable_data_directory_is_tightened_and_the_user_told() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("old");
    let created = run(&dir, &["status"], &[], None).await;
    assert_eq!(created.code, 0, "{}", created.all());
    let open = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    open(&dir, 0o755);
    open(&dir.join("timebridge.db"), 0o644);
    let out = run(&dir, &["status", "--json"], &[], None).await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.stderr
            .contains("2 path(s) of the data directory were readable by other accounts"),
        "{}",
        out.all()
    );
    assert_eq!(out.json()["connections"], 0, "stdout is still the JSON");
    for (name, mode) in modes(&dir) {
        assert_eq!(mode & 0o077, 0, "{name:?} is {mode:o}");
    }
    let again = run(&dir, &["status"], &[], None).await;
    assert!(
        !again.stderr.contains("readable by other accounts"),
        "{}",
        again.all()
    );
}

#[tokio::test]
async fn add_kimai_checks_stores_and_takes_the_users_timezone() {
    let server = kimai().await;
    let tmp = tempfile::tempdir().unwrap();
    let out = add_kimai(tmp.path(), &server.url()).await;
    assert_eq!(out.code, 0, "{}", out.all());
    let doc = out.json();
    assert_eq!(doc["connection"]["kind"], "kimai");
    assert_eq!(doc["connection"]["name"], "mine");
    assert_eq!(doc["connection"]["token_env_var"], KIMAI_VAR);
    assert_eq!(doc["token"], "env_only", "no keychain here: nothing stored");
    assert_eq!(doc["check"]["kimai"]["username"], "consultant");
    assert_eq!(doc["billing_timezone"], "Europe/Berlin");
    assert!(!out.all().contains(KIMAI_TOKEN));

    let status = run(tmp.path(), &["status", "--json"], &[], None)
        .await
        .json();
    assert_eq!(status["connections"], 1);
    assert_eq!(status["billing_timezone"], "Europe/Berlin");
}

#[tokio::test]
async fn add_kimai_with_a_wrong_token_exits_2_and_stores_nothing() {
    let server = kimai().await;
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "connections",
        "add",
        "kimai",
        "--name",
        "mine",
        "--url",
        &server.url(),
        "--json",
    ];
    let out = run(tmp.path(), &args, &[(KIMAI_VAR, "wrong-token")], None).await;
    assert_eq!(out.code, 2, "{}", out.all());
    assert_eq!(out.json()["error"]["code"], "auth_failed");
    assert_eq!(out.json()["error"]["exit_code"], 2);
    assert!(
        out.stderr.contains("API token was not accepted"),
        "{}",
        out.stderr
    );
    assert!(!out.all().contains("wrong-token"));
    assert_eq!(list(tmp.path()).await["connections"], serde_json::json!([]));
    let status = run(tmp.path(), &["status", "--json"], &[], None)
        .await
        .json();
    assert_eq!(status["billing_timezone"], Value::Null);
}

#[tokio::test]
async fn add_zammad_reads_stdin_and_prints_the_checks_warnings() {
    let server = zammad_acme().await;
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "connections",
        "add",
        "zammad",
        "--key",
        "acme",
        "--name",
        "Acme",
        "--url",
        &server.url(),
        "--unit",
        "minutes",
        "--token-stdin",
    ];
    // The variable holds another value: the check must use the piped token, then (no
    // keychain) the variable provides it later.
    let out = run(
        tmp.path(),
        &args,
        &[(ZAMMAD_VAR, "x")],
        Some(&format!("{ZAMMAD_TOKEN}\n")),
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.stdout.contains("Added zammad connection \"Acme\""),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("nothing was stored"), "{}", out.stdout);
    assert!(out.stdout.contains(ZAMMAD_VAR), "{}", out.stdout);
    // The demo agent may only read tickets in one group: said as a warning.
    assert!(out.stderr.contains("warning: "), "{}", out.stderr);
    assert!(!out.all().contains(ZAMMAD_TOKEN));
    let listed = list(tmp.path()).await;
    assert_eq!(listed["connections"][0]["instance_key"], "acme");
}

#[tokio::test]
async fn add_zammad_json_carries_warnings_and_the_unit_is_stored() {
    let server = zammad_acme().await;
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "connections",
        "add",
        "zammad",
        "--key",
        "acme",
        "--name",
        "Acme",
        "--url",
        &server.url(),
        "--unit",
        "custom:7.5",
        // The helpdesk's setting says "minute": another unit must be confirmed.
        "--unit-differs-from-zammad",
        "--json",
    ];
    let out = run(tmp.path(), &args, &[(ZAMMAD_VAR, ZAMMAD_TOKEN)], None).await;
    assert_eq!(out.code, 0, "{}", out.all());
    let doc = out.json();
    assert_eq!(doc["check"]["zammad"]["strategy"], "ticket_search");
    assert_eq!(doc["check"]["zammad"]["time_accounting_unit"], "minute");
    let warnings = doc["check"]["warnings"].as_array().unwrap();
    assert!(!warnings.is_empty(), "{doc}");
    assert!(warnings
        .iter()
        .all(|w| w["code"].is_string() && w["message"].is_string()));
    assert_eq!(doc["billing_timezone"], Value::Null, "only Kimai sets it");
    let unit = serde_json::json!({"kind": "custom", "minutes_per_unit": "7.5"});
    assert_eq!(doc["connection"]["time_unit"], unit);
    let listed = list(tmp.path()).await;
    assert_eq!(
        listed["connections"][0]["time_unit"], unit,
        "read back from the database"
    );
}

#[tokio::test]
async fn a_second_kimai_is_refused_with_exit_1() {
    let server = kimai().await;
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(add_kimai(tmp.path(), &server.url()).await.code, 0);
    let args = [
        "connections",
        "add",
        "kimai",
        "--name",
        "other",
        "--url",
        "https://k2.example",
    ];
    let out = run(tmp.path(), &args, &[(KIMAI_VAR, KIMAI_TOKEN)], None).await;
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.stderr.contains("a Kimai connection exists already"),
        "{}",
        out.stderr
    );
    assert_eq!(
        list(tmp.path()).await["connections"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_new_connection_sharing_a_name_key_or_address_is_refused_with_its_code() {
    let (k, z) = (kimai().await, zammad_acme().await);
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(add_kimai(tmp.path(), &k.url()).await.code, 0);
    assert_eq!(add_acme(tmp.path(), &z.url()).await.code, 0);
    let before = list(tmp.path()).await["connections"].clone();
    let other = "https://b.example".to_string();
    // Two keys over one helpdesk would book its entries twice.
    for (key, name, url, code) in [
        ("b", "Other", z.url(), "url_exists"),
        ("acme", "Other", other.clone(), "key_exists"),
        ("b", "Acme", other.clone(), "name_exists"),
        ("b", "  ", other.clone(), "bad_name"),
    ] {
        let args = [
            "connections",
            "add",
            "zammad",
            "--key",
            key,
            "--name",
            name,
            "--url",
            &url,
            "--unit",
            "minutes",
            "--no-check",
            "--json",
        ];
        let out = run(
            tmp.path(),
            &args,
            &[("TIMEBRIDGE_TOKEN_ZAMMAD_B", "t")],
            None,
        )
        .await;
        assert_eq!(out.code, 1, "{key} {name}: {}", out.all());
        assert_eq!(out.json()["error"]["code"], code, "{}", out.all());
    }
    assert_eq!(
        list(tmp.path()).await["connections"],
        before,
        "nothing stored"
    );
}

#[tokio::test]
async fn list_shows_where_tokens_come_from_and_never_the_token() {
    let (k, z) = (kimai().await, zammad_acme().await);
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(add_kimai(tmp.path(), &k.url()).await.code, 0);
    assert_eq!(add_acme(tmp.path(), &z.url()).await.code, 0);
    let env = [(KIMAI_VAR, KIMAI_TOKEN), (ZAMMAD_VAR, ZAMMAD_TOKEN)];
    let out = run(tmp.path(), &["connections", "list", "--json"], &env, None).await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(!out.all().contains(KIMAI_TOKEN) && !out.all().contains(ZAMMAD_TOKEN));
    let doc = out.json();
    let all = doc["connections"].as_array().unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0]["kind"], "kimai");
    assert_eq!(all[0]["token"], "env");
    assert_eq!(all[1]["kind"], "zammad");
    assert_eq!(all[1]["account"], "zammad-acme");
    assert_eq!(all[1]["token"], "env");
    // Without the variables and without a keychain, the source is unknown, and said so.
    let bare = list(tmp.path()).await;
    assert_eq!(bare["connections"][0]["token"], "keychain_unavailable");
    // Nothing of a token reached the database file either.
    let db = std::fs::read(tmp.path().join("timebridge.db")).unwrap();
    let text = String::from_utf8_lossy(&db);
    assert!(!text.contains(KIMAI_TOKEN) && !text.contains(ZAMMAD_TOKEN));
}

#[test]
fn a_closed_stdout_is_not_a_panic() {
    // The reading end is gone before the binary writes a byte (`timebridge status | head -0`).
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let dir = tempfile::tempdir().unwrap();
    for args in [&["status"][..], &["status", "--json"][..]] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_timebridge"))
            .args(args)
            .arg("--data-dir")
            .arg(dir.path())
            .stdout(writer.try_clone().unwrap())
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}
