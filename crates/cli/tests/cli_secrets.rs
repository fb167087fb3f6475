//! Secret hygiene end to end: the real binary, at the most verbose log level, through a whole
//! working life — connections added with tokens from standard input and the environment, a
//! sync, a conflict decided, the run history, an undo, a rebuild of the links, and tokens the
//! servers reject — against simulators that accept only distinctive tokens. Afterwards every
//! byte the program left behind (the data directory with the database, its WAL, logs and any
//! other file) and every byte it printed (stdout, stderr, panics included) is searched for the
//! tokens, raw, hex and base64: there must be none.
//!
//! `RUST_LOG=trace` is set so that any log line the CLI writes (today it installs no log
//! subscriber: its logs are empty) is scanned too.
//!
//! The desktop webview is covered by the desktop's own tests (the UI never receives a token:
//! the commands return DTOs without one); this test covers the core and the CLI.

mod support;

use std::path::Path;

use chrono::Utc;
use support::{map_acme, run, Run, KIMAI_VAR, ZAMMAD_VAR};
use timebridge_simulators::kimai::{demo::demo_seed, KimaiSim};
use timebridge_simulators::leaks::{contains as find_in, token_forms as forms};
use timebridge_simulators::zammad::{demo::demo_seeds, ZammadSim};
use timebridge_simulators::{Clock, RunningServer};

const KIMAI_SECRET: &str = "tbsecret-Kimai-9q7Zx2LwPz";
const ZAMMAD_SECRET: &str = "tbsecret-Zammad-4Rt8Vn1pQs";
/// A token no server accepts: the failing-auth runs send it.
const WRONG_SECRET: &str = "tbsecret-Wrong-77Hh3Kx0Md";

/// Every file under `dir`, recursively, with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    out
}

async fn servers() -> (KimaiSim, RunningServer, RunningServer) {
    // The CLI binary syncs as of the system clock, so the data is laid out around the same now:
    // what is asserted holds on any date (scripts/date-proof.sh runs this at hard dates).
    let now = Utc::now();
    let mut kimai_seed = demo_seed(now);
    for user in &mut kimai_seed.users {
        if user.username == "consultant" {
            user.token = KIMAI_SECRET.into();
        }
    }
    let (_, mut acme) = demo_seeds(now)
        .into_iter()
        .find(|(n, _)| n == "acme")
        .unwrap();
    for user in &mut acme.users {
        if user.token.as_deref() == Some("demo-zammad-acme-token") {
            user.token = Some(ZAMMAD_SECRET.into());
        }
    }
    let kimai = KimaiSim::from_seed(kimai_seed, Clock::system());
    let k = kimai.start().await.unwrap();
    let z = ZammadSim::from_seed(acme, Clock::system())
        .start()
        .await
        .unwrap();
    (kimai, k, z)
}

/// Runs with both tokens (or `env` instead), every log line on, backtraces on.
struct Life<'a> {
    dir: &'a Path,
    runs: Vec<(String, Run)>,
}

impl Life<'_> {
    async fn tb(&mut self, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> &Run {
        let mut all = vec![("RUST_LOG", "trace"), ("RUST_BACKTRACE", "full")];
        all.extend_from_slice(env);
        let out = run(self.dir, args, &all, stdin).await;
        self.runs.push((args.join(" "), out));
        &self.runs.last().unwrap().1
    }

    async fn ok(&mut self, args: &[&str]) -> serde_json::Value {
        let both = [(KIMAI_VAR, KIMAI_SECRET), (ZAMMAD_VAR, ZAMMAD_SECRET)];
        let out = self.tb(args, &both, None).await;
        assert_eq!(out.code, 0, "{args:?}: {}", out.all());
        if args.contains(&"--json") {
            out.json()
        } else {
            serde_json::Value::Null
        }
    }
}

#[tokio::test]
async fn no_token_is_left_in_the_data_directory_or_printed() {
    let (kimai, k, z) = servers().await;
    let (kimai_url, zammad_url) = (k.url(), z.url());
    let dir = tempfile::tempdir().unwrap();
    let mut life = Life {
        dir: dir.path(),
        runs: Vec::new(),
    };
    let both = [(KIMAI_VAR, KIMAI_SECRET), (ZAMMAD_VAR, ZAMMAD_SECRET)];

    // Tokens in: standard input (Kimai) and the environment (Zammad).
    let add_kimai = [
        "connections",
        "add",
        "kimai",
        "--name",
        "mine",
        "--url",
        &kimai_url,
        "--token-stdin",
    ];
    let out = life
        .tb(&add_kimai, &both, Some(&format!("{KIMAI_SECRET}\n")))
        .await;
    assert_eq!(out.code, 0, "{}", out.all());
    life.ok(&[
        "connections",
        "add",
        "zammad",
        "--key",
        "acme",
        "--name",
        "Acme",
        "--url",
        &zammad_url,
        "--unit",
        "minutes",
    ])
    .await;
    map_acme(dir.path());
    life.ok(&["connections", "list", "--json"]).await;
    life.ok(&["connections", "test", "mine", "--json"]).await;
    life.ok(&["status", "--json"]).await;

    // A sync, a preview, then a conflict (a timesheet deleted in Kimai) decided by the user.
    let first = life.ok(&["sync", "--yes", "--json"]).await;
    assert!(first["counts"]["created"].as_u64().unwrap() > 0, "{first}");
    life.ok(&["sync", "--preview", "--json"]).await;
    let victim = kimai
        .timesheets()
        .into_iter()
        .find(|t| t.description.as_deref().unwrap_or("").contains("[tb:"))
        .unwrap();
    assert!(kimai.delete_timesheet_as_human(victim.id));
    life.ok(&["sync", "--yes", "--json"]).await;
    let conflicts = life.ok(&["conflicts", "list", "--json"]).await;
    let key = conflicts["conflicts"][0]["key"]
        .as_str()
        .expect("a conflict")
        .to_string();
    life.ok(&["conflicts", "resolve", &key, "accept-deletion", "--json"])
        .await;
    life.ok(&["sync", "--yes", "--json"]).await;

    // History, undo, held entries, rebuilding the links.
    let run_id = first["run_id"].to_string();
    life.ok(&["runs", "list", "--json"]).await;
    life.ok(&["runs", "show", &run_id, "--json"]).await;
    life.ok(&["runs", "undo", &run_id, "--json"]).await;
    life.ok(&["conflicts", "held", "--json"]).await;
    life.ok(&["rebuild-links", "--json"]).await;
    life.ok(&["runs", "list"]).await;

    // Tokens the servers reject: the errors must not echo them.
    for (var, args) in [
        (KIMAI_VAR, vec!["connections", "test", "mine", "--json"]),
        (ZAMMAD_VAR, vec!["connections", "test", "acme"]),
        (ZAMMAD_VAR, vec!["sync", "--yes", "--json"]),
        (KIMAI_VAR, vec!["sync", "--yes"]),
    ] {
        let env: Vec<(&str, &str)> = both
            .iter()
            .map(|&(v, t)| if v == var { (v, WRONG_SECRET) } else { (v, t) })
            .collect();
        let out = life.tb(&args, &env, None).await;
        assert_ne!(
            out.code,
            0,
            "{args:?} with a wrong token must fail: {}",
            out.all()
        );
    }
    // The same server under another name (one connection per URL).
    let other_url = zammad_url.replace("127.0.0.1", "localhost");
    let out = life
        .tb(
            &[
                "connections",
                "add",
                "zammad",
                "--key",
                "beta",
                "--name",
                "Beta",
                "--url",
                &other_url,
                "--unit",
                "minutes",
                "--token-stdin",
            ],
            &[],
            Some(WRONG_SECRET),
        )
        .await;
    assert_eq!(out.code, 2, "the check rejects the token: {}", out.all());
    assert!(
        out.stderr.contains("auth") || out.stdout.contains("auth"),
        "{}",
        out.all()
    );

    let secrets = [KIMAI_SECRET, ZAMMAD_SECRET, WRONG_SECRET];
    let mut leaks = Vec::new();
    let mut scanned = 0usize;
    for (what, bytes) in files(dir.path()) {
        scanned += bytes.len();
        for secret in secrets {
            if forms(secret).iter().any(|f| find_in(&bytes, f)) {
                leaks.push(format!("{secret} in {what}"));
            }
        }
    }
    for (args, out) in &life.runs {
        for secret in secrets {
            for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
                if forms(secret).iter().any(|f| find_in(text.as_bytes(), f)) {
                    leaks.push(format!("{secret} on the {stream} of `{args}`"));
                }
            }
        }
        assert!(
            !out.stderr.contains("panicked"),
            "`{args}` panicked: {}",
            out.stderr
        );
    }
    assert!(leaks.is_empty(), "tokens leaked: {leaks:#?}");
    // The scan looked at something real: the database (the CLI logs to stderr, scanned above;
    // a log file, where one is written, is in the data directory and scanned with it).
    let names: Vec<String> = files(dir.path()).into_iter().map(|(n, _)| n).collect();
    assert!(names.iter().any(|n| n.ends_with(".db")), "{names:?}");
    assert!(scanned > 100_000, "only {scanned} bytes scanned");
}

#[test]
fn the_scanner_finds_every_form() {
    let token = KIMAI_SECRET;
    let hex: String = token.bytes().map(|b| format!("{b:02X}")).collect();
    for text in [
        format!("Authorization: Bearer {token}"),
        format!("blob {hex} end"),
        // base64 of "ab" + token + "!", as a header or a keychain dump might hold it.
        "YWJ0YnNlY3JldC1LaW1haS05cTdaeDJMd1B6IQ==".to_string(),
    ] {
        assert!(
            forms(token).iter().any(|f| find_in(text.as_bytes(), f)),
            "{text}"
        );
    }
    assert!(!forms(token)
        .iter()
        .any(|f| find_in(b"tbsecret-Kimai-9q7Zx2LwP", f)));
}
