//! Starts `tauri-driver` for one test with its own data directory, opens a WebDriver session on
//! the real app, and saves screenshots under `target/e2e/`.
//!
//! A missing prerequisite fails the test with what to do: an e2e test that silently skips
//! would prove nothing.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};

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

/// A running `tauri-driver` with its own D-Bus session bus, both stopped on drop.
///
/// Each test gets its own bus so the app's single-instance name of one test can never meet the
/// (still exiting) app of the previous one.
pub(crate) struct Driver {
    child: Child,
    port: u16,
    bus_address: String,
    bus_pid: u32,
}

/// Starts a private session bus; returns its address and pid.
fn start_bus() -> (String, u32) {
    let out = Command::new("dbus-daemon")
        .args(["--session", "--fork", "--print-address=1", "--print-pid=1"])
        .output()
        .unwrap_or_else(|e| panic!("cannot start dbus-daemon ({e}): run scripts/setup.sh"));
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let address = lines
        .next()
        .expect("dbus-daemon printed its address")
        .trim()
        .to_string();
    let pid = lines
        .next()
        .and_then(|p| p.trim().parse().ok())
        .expect("dbus-daemon printed its pid");
    (address, pid)
}

impl Driver {
    /// Starts tauri-driver; the app it launches will use `data_dir`.
    pub(crate) fn start(data_dir: &Path) -> Self {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "DISPLAY is not set: run the e2e tests under Xvfb (scripts/test.sh does)"
        );
        let port = free_port();
        let native_port = free_port();
        let (bus_address, bus_pid) = start_bus();
        let child = Command::new("tauri-driver")
            .env("DBUS_SESSION_BUS_ADDRESS", &bus_address)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("TIMEBRIDGE_DATA_DIR", data_dir)
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
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
            bus_address,
            bus_pid,
        }
    }

    /// The test's private session bus (a second launch must use it to meet the first).
    pub(crate) fn bus_address(&self) -> &str {
        &self.bus_address
    }

    /// Opens a WebDriver session on the app (this launches it).
    pub(crate) async fn session(&self) -> Client {
        let caps = serde_json::json!({
            "browserName": "wry",
            "tauri:options": { "application": app_binary() }
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
        let _ = Command::new("kill").arg(self.bus_pid.to_string()).status();
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
