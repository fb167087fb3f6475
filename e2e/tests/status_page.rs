//! The status page, end to end: real app binary, real WebKit window, real SQLite file.
//!
//! Linux only: the journeys drive WebKitGTK through WebKitWebDriver and read the Linux desktop
//! (process tree, X11 windows, the StatusNotifier tray).

#![cfg(target_os = "linux")]

mod harness;

use std::time::Duration;

use fantoccini::{Client, Locator};
use harness::{screenshot, Driver, SERIAL};
use rusqlite::Connection;

const WAIT: Duration = Duration::from_secs(30);

async fn text_of(client: &Client, id: &str) -> String {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id} did not appear: {e}"))
        .text()
        .await
        .unwrap()
}

/// Runs `check` on a fresh session, screenshots as `name` (and `name-failed` on failure), and
/// always closes the session.
async fn with_session<F, Fut>(driver: &Driver, name: &str, check: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    let client = driver.client().await;
    let outcome = check(client.clone()).await;
    let shot = match &outcome {
        Ok(()) => screenshot(&client, name).await,
        Err(_) => screenshot(&client, &format!("{name}-failed")).await,
    };
    let _ = client.close().await;
    if let Err(e) = outcome {
        panic!("{e} (screenshot: {})", shot.display());
    }
}

fn schema_version_in_file(db: &std::path::Path) -> i32 {
    let conn = Connection::open(db).unwrap();
    conn.query_row(
        "SELECT MAX(version) FROM refinery_schema_history",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[tokio::test]
async fn status_page_shows_the_schema_version_of_the_real_database_file() {
    let _serial = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let db = data.path().join("timebridge.db");
    let data_dir = data.path().to_path_buf();
    let bus = driver.bus_address().to_string();

    with_session(&driver, "status-page", |client| async move {
        // A fresh database opens the first-run wizard; the status is under "About".
        client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Id("nav-status"))
            .await
            .map_err(|e| format!("no navigation: {e}"))?
            .click()
            .await
            .map_err(|e| e.to_string())?;
        let shown = text_of(&client, "status-schema-version").await;
        let in_file = schema_version_in_file(&db);
        if shown != in_file.to_string() {
            return Err(format!(
                "page shows schema {shown:?}, the file has {in_file}"
            ));
        }
        let shown_db = text_of(&client, "status-database").await;
        if shown_db != db.display().to_string() {
            return Err(format!(
                "page shows database {shown_db:?}, expected {}",
                db.display()
            ));
        }
        let mode = text_of(&client, "status-journal-mode").await;
        if mode != "wal" {
            return Err(format!("journal mode {mode:?}, expected wal"));
        }
        let connections = text_of(&client, "status-connections").await;
        if connections != "0" {
            return Err(format!("{connections} connections on a fresh database"));
        }
        let version = text_of(&client, "status-version").await;
        if version != env!("CARGO_PKG_VERSION") {
            return Err(format!("version {version:?}"));
        }

        // A second launch must hand over to this instance and exit, not open a second app.
        let second = std::process::Command::new(harness::app_binary())
            .env("TIMEBRIDGE_DATA_DIR", &data_dir)
            .env("DBUS_SESSION_BUS_ADDRESS", &bus)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?;
        let status = wait_for_exit(second, Duration::from_secs(20))?;
        if !status.success() {
            return Err(format!("the second launch exited with {status}"));
        }
        // The first instance is still alive and answering.
        let again = text_of(&client, "status-schema-version").await;
        if again != in_file.to_string() {
            return Err("the first instance stopped answering".into());
        }
        Ok(())
    })
    .await;
    let logs = read_logs(&data.path().join("logs"));
    assert!(
        logs.contains("database ready"),
        "file logging writes into the data directory"
    );
    assert!(
        logs.contains("no system tray is available"),
        "without a tray host (plain Xvfb) the app says so in one line"
    );
}

fn read_logs(dir: &std::path::Path) -> String {
    let mut all = String::new();
    for entry in std::fs::read_dir(dir).expect("the logs directory exists") {
        all.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    all
}

fn wait_for_exit(
    mut child: std::process::Child,
    limit: Duration,
) -> Result<std::process::ExitStatus, String> {
    let deadline = std::time::Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Ok(status);
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            return Err(format!(
                "the second launch was still running after {limit:?}: single instance is broken"
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test]
async fn a_database_from_a_newer_version_shows_a_clear_error_and_is_left_untouched() {
    let _serial = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    let db = data.path().join("timebridge.db");
    {
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch(
            "CREATE TABLE refinery_schema_history (version INT4 PRIMARY KEY, name VARCHAR(255),
                 applied_on VARCHAR(255), checksum VARCHAR(255));
             INSERT INTO refinery_schema_history VALUES (999, 'future', '2030-01-01', '0');",
        )
        .unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let driver = Driver::start(data.path());

    with_session(
        &driver,
        "startup-error-newer-database",
        |client| async move {
            let code = text_of(&client, "startup-error-code").await;
            if code != "database_too_new" {
                return Err(format!("error code {code:?}, expected database_too_new"));
            }
            let message = text_of(&client, "startup-error-message").await;
            if !message.contains("999") || !message.contains("newer Timebridge") {
                return Err(format!(
                    "the message does not explain the problem: {message:?}"
                ));
            }
            Ok(())
        },
    )
    .await;
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the user's database is never overwritten"
    );
}
