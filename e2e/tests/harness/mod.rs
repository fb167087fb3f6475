//! Starts `tauri-driver` for one test with its own data directory, opens a WebDriver session on
//! the real app, and saves screenshots under `target/e2e/`.
//!
//! A missing prerequisite fails the test with what to do: an e2e test that silently skips
//! would prove nothing.
//!
//! Each test gets a private session ([`session::Session`]: D-Bus bus + real Secret Service),
//! the app's stdout/stderr captured to files (searched for tokens), and helpers to drive the
//! page by element id ([`ui::Ui`]) and to run the simulators in the test process ([`sims`]).

#![allow(dead_code)] // each test binary uses a different part

pub(crate) mod release;
pub(crate) mod secrets;
pub(crate) mod session;
pub(crate) mod sims;
pub(crate) mod ui;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};

/// The app's log filter in every journey.
const LOG_FILTER: &str =
    "info,timebridge_desktop=trace,timebridge_core=trace,timebridge_http=trace,\
timebridge_kimai=trace,timebridge_zammad=trace,reqwest=debug,hyper_util=debug";

/// Serializes the tests: they share one display and one single-instance D-Bus name.
pub(crate) static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The workspace root.
pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The app binary under test: `TIMEBRIDGE_E2E_APP`, or the debug build with embedded assets.
pub(crate) fn app_binary() -> PathBuf {
    let path = std::env::var_os("TIMEBRIDGE_E2E_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/debug/timebridge-desktop"));
    assert!(
        path.is_file(),
        "the app binary {} is missing: build it with `npx tauri build --debug --no-bundle` (scripts/test.sh does)",
        path.display()
    );
    path
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `tauri-driver` in its own session (bus + keyring), stopped on drop.
///
/// Each test gets its own bus so the app's single-instance name of one test can never meet the
/// (still exiting) app of the previous one.
pub(crate) struct Driver {
    child: Child,
    port: u16,
    session: session::Session,
    output: tempfile::TempDir,
}

impl Driver {
    /// Starts tauri-driver; the app it launches will use `data_dir`.
    pub(crate) fn start(data_dir: &Path) -> Self {
        Self::start_with(data_dir, &[])
    }

    /// [`Driver::start`] with extra environment for the app (tauri-driver passes its own
    /// environment on to the app it launches).
    pub(crate) fn start_with(data_dir: &Path, env: &[(&str, &str)]) -> Self {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "DISPLAY is not set: run the e2e tests under Xvfb (scripts/test.sh does)"
        );
        let port = free_port();
        let native_port = free_port();
        let session = session::Session::start();
        let output = tempfile::tempdir().unwrap();
        let file = |name: &str| std::fs::File::create(output.path().join(name)).unwrap();
        let child = Command::new("tauri-driver")
            .envs(session.env())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("TIMEBRIDGE_DATA_DIR", data_dir)
            // Our crates at trace and the HTTP stack at debug: the secret scan of journey (b)
            // then searches everything the app could log, not only what it logs by default.
            .env("RUST_LOG", LOG_FILTER)
            .envs(env.iter().copied())
            .stdout(Stdio::from(file("stdout.txt")))
            .stderr(Stdio::from(file("stderr.txt")))
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start tauri-driver ({e}): run scripts/setup.sh to install it")
            });
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not listen within 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Self {
            child,
            port,
            session,
            output,
        }
    }

    /// The test's private session bus (a second launch must use it to meet the first).
    pub(crate) fn bus_address(&self) -> &str {
        self.session.bus_address()
    }

    /// The test's session: bus, keychain and the variables to join them.
    pub(crate) fn session(&self) -> &session::Session {
        &self.session
    }

    /// Everything tauri-driver, WebKitWebDriver and the app printed so far.
    pub(crate) fn output(&self) -> Vec<(String, Vec<u8>)> {
        ["stdout.txt", "stderr.txt"]
            .iter()
            .map(|n| {
                let bytes = std::fs::read(self.output.path().join(n)).unwrap_or_default();
                (format!("app {n}"), bytes)
            })
            .collect()
    }

    /// Opens a WebDriver session on the app (this launches it).
    pub(crate) async fn client(&self) -> Client {
        self.client_of(&app_binary()).await
    }

    /// Opens a WebDriver session on the app binary at `app` (an installed package's).
    pub(crate) async fn client_of(&self, app: &Path) -> Client {
        let caps = serde_json::json!({
            "browserName": "wry",
            "tauri:options": { "application": app }
        });
        let serde_json::Value::Object(caps) = caps else {
            unreachable!()
        };
        let url = format!("http://127.0.0.1:{}", self.port);
        let mut builder = ClientBuilder::native();
        builder.capabilities(caps);
        let connect = builder.connect(&url);
        // An app that dies at start-up leaves the driver waiting forever: fail instead.
        tokio::time::timeout(Duration::from_secs(90), connect)
            .await
            .expect("the app did not open a WebDriver session within 90 s (did it start?)")
            .expect("WebDriver session on the app")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Saves a screenshot of the app window as `target/e2e/<name>.png`.
pub(crate) async fn screenshot(client: &Client, name: &str) -> PathBuf {
    let dir = workspace_root().join("target/e2e");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.png"));
    match client.screenshot().await {
        Ok(png) => std::fs::write(&path, png).unwrap(),
        Err(e) => eprintln!("screenshot {name} failed: {e}"),
    }
    path
}
