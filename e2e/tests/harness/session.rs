//! A private desktop session for one test: its own D-Bus session bus with a real, unlocked
//! Secret Service (GNOME Keyring) whose files live in temporary XDG directories, as
//! `scripts/with-keyring.sh` sets up for the CLI tests. The app under test, `secret-tool` and
//! the CLI binary all get the same environment ([`Session::env`]), so they share one keychain
//! and a developer's own keyring is never touched.

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The keyring's unlock password (test-only).
const PASSWORD: &str = "timebridge-e2e";

/// A running bus and keyring, both stopped on drop.
pub(crate) struct Session {
    bus_address: String,
    bus_pid: u32,
    keyring: Option<Child>,
    xdg: tempfile::TempDir,
}

impl Session {
    /// Starts the bus, then the keyring on it, and waits until the Secret Service answers.
    pub(crate) fn start() -> Self {
        let out = Command::new("dbus-daemon")
            .args(["--session", "--fork", "--print-address=1", "--print-pid=1"])
            .output()
            .unwrap_or_else(|e| panic!("cannot start dbus-daemon ({e}): run scripts/setup.sh"));
        let text = String::from_utf8_lossy(&out.stdout);
        let mut lines = text.lines();
        let bus_address = lines
            .next()
            .expect("dbus-daemon printed its address")
            .trim()
            .to_string();
        let bus_pid = lines
            .next()
            .and_then(|p| p.trim().parse().ok())
            .expect("dbus-daemon printed its pid");
        let xdg = tempfile::tempdir().unwrap();
        for sub in ["data", "runtime"] {
            std::fs::create_dir_all(xdg.path().join(sub)).unwrap();
        }
        let mut session = Self {
            bus_address,
            bus_pid,
            keyring: None,
            xdg,
        };
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .envs(session.env())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start gnome-keyring-daemon ({e}): run scripts/setup.sh")
            });
        let mut stdin = keyring.stdin.take().expect("piped stdin");
        stdin.write_all(PASSWORD.as_bytes()).unwrap();
        drop(stdin);
        session.keyring = Some(keyring);
        session.wait_for_secret_service();
        session
    }

    /// The variables a process needs to live in this session.
    pub(crate) fn env(&self) -> Vec<(String, String)> {
        let path = |sub: &str| self.xdg.path().join(sub).display().to_string();
        vec![
            ("DBUS_SESSION_BUS_ADDRESS".into(), self.bus_address.clone()),
            ("XDG_DATA_HOME".into(), path("data")),
            ("XDG_RUNTIME_DIR".into(), path("runtime")),
        ]
    }

    /// The bus address.
    pub(crate) fn bus_address(&self) -> &str {
        &self.bus_address
    }

    fn wait_for_secret_service(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let out = Command::new("dbus-send")
                .envs(self.env())
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .output()
                .expect("dbus-send (package dbus) is installed");
            if String::from_utf8_lossy(&out.stdout).contains("boolean true") {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the Secret Service did not appear on the test bus within 20 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// `secret-tool search --all service <service>` in this session: the stored items as
    /// (account, secret) pairs.
    pub(crate) fn keychain_items(&self, service: &str) -> Vec<(String, String)> {
        let out = Command::new("secret-tool")
            .envs(self.env())
            .args(["search", "--all", "--unlock", "service", service])
            .output()
            .unwrap_or_else(|e| panic!("secret-tool (libsecret-tools) is missing: {e}"));
        // secret-tool prints each item's label and secret on stdout and its attributes on
        // stderr, item by item in the same order: pair them up.
        let secrets = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.strip_prefix("secret = ").map(str::to_string))
            .collect::<Vec<_>>();
        let accounts = String::from_utf8_lossy(&out.stderr)
            .lines()
            .filter_map(|l| l.strip_prefix("attribute.username = ").map(str::to_string))
            .collect::<Vec<_>>();
        assert_eq!(
            secrets.len(),
            accounts.len(),
            "one account per keychain item"
        );
        accounts.into_iter().zip(secrets).collect()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some(mut keyring) = self.keyring.take() {
            let _ = keyring.kill();
            let _ = keyring.wait();
        }
        let _ = Command::new("kill").arg(self.bus_pid.to_string()).status();
    }
}
