//! A release as the updater meets it, made on this machine: signing keys made for the test
//! (`tauri signer generate`), two debug `.deb` bundles of the app (version N, the workspace's,
//! and N+1) built with the test's public key and a release server on 127.0.0.1, their
//! signatures (`tauri signer sign`), and that server answering `latest.json` and the package.
//!
//! The bundles are built in a target directory of their own (`target/update-e2e`): their
//! configuration differs from the one the other journeys run, and building them in the shared
//! directory would make every other test run rebuild the app.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The Tauri CLI (npm's, installed by scripts/setup.sh).
fn tauri_cli() -> PathBuf {
    let cli = super::workspace_root().join("node_modules/.bin/tauri");
    assert!(
        cli.is_file(),
        "{} is missing: run scripts/setup.sh",
        cli.display()
    );
    cli
}

/// A signing key pair made for one test (no password).
pub(crate) struct Key {
    private: PathBuf,
    /// The public key as the updater configuration takes it.
    pub(crate) public: String,
}

impl Key {
    /// Makes a new key pair in `dir` named `name`.
    pub(crate) fn generate(dir: &Path, name: &str) -> Self {
        let private = dir.join(format!("{name}.key"));
        let out = Command::new(tauri_cli())
            .args(["signer", "generate", "--ci", "--force", "-p", "", "-w"])
            .arg(&private)
            .output()
            .expect("tauri signer generate");
        assert!(out.status.success(), "tauri signer generate: {out:?}");
        let public = std::fs::read_to_string(private.with_extension("key.pub"))
            .expect("the public key file")
            .trim()
            .to_string();
        Self { private, public }
    }

    /// The updater signature of `file` for `version` (what `latest.json` carries).
    pub(crate) fn sign(&self, file: &Path, version: &str) -> String {
        let out = Command::new(tauri_cli())
            .args(["signer", "sign", "-p", "", "--app-version", version, "-f"])
            .arg(&self.private)
            .arg(file)
            .output()
            .expect("tauri signer sign");
        assert!(out.status.success(), "tauri signer sign: {out:?}");
        let sig = PathBuf::from(format!("{}.sig", file.display()));
        let text = std::fs::read_to_string(&sig).expect("the .sig file");
        std::fs::remove_file(sig).unwrap();
        text.trim().to_string()
    }
}

/// The next patch version of `version` (`0.1.0` → `0.1.1`).
pub(crate) fn next_patch(version: &str) -> String {
    let mut parts: Vec<u64> = version
        .split('.')
        .map(|p| p.parse().expect("a numeric version"))
        .collect();
    *parts.last_mut().unwrap() += 1;
    parts
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// Builds the app's debug `.deb` as `version`, trusting `key`, asking `endpoint`; returns it.
pub(crate) fn build_deb(version: &str, key: &Key, endpoint: &str, scratch: &Path) -> PathBuf {
    let overlay = serde_json::json!({
        "version": version,
        "plugins": { "updater": {
            "pubkey": key.public,
            "endpoints": [endpoint],
            // Plain HTTP only because the server is on this machine; releases use HTTPS.
            "dangerousInsecureTransportProtocol": true,
            "requireSignedVersion": true
        } }
    });
    let config = scratch.join(format!("overlay-{version}.json"));
    std::fs::write(&config, overlay.to_string()).unwrap();
    let root = super::workspace_root();
    let target = root.join("target/update-e2e");
    let started = std::time::Instant::now();
    let status = Command::new(tauri_cli())
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", &target)
        .args(["build", "--debug", "--bundles", "deb", "--config"])
        .arg(&config)
        .args(["--", "-p", "timebridge"])
        .status()
        .expect("tauri build");
    assert!(status.success(), "tauri build of version {version} failed");
    eprintln!(
        "built the {version} .deb in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    let deb = target.join(format!("debug/bundle/deb/Timebridge_{version}_amd64.deb"));
    assert!(deb.is_file(), "{} was not made", deb.display());
    deb
}

/// A release server on 127.0.0.1: `/latest.json` (replaceable) and the files given.
pub(crate) struct Server {
    port: u16,
    manifest: Arc<Mutex<String>>,
    files: Arc<Mutex<Vec<PathBuf>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Starts serving nothing yet (the address goes into the builds first).
    pub(crate) async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let manifest = Arc::new(Mutex::new(String::new()));
        let files = Arc::new(Mutex::new(Vec::<PathBuf>::new()));
        let (shared, served) = (Arc::clone(&manifest), Arc::clone(&files));
        let task = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let manifest = Arc::clone(&shared);
                let files = Arc::clone(&served);
                tokio::spawn(async move {
                    let mut request = Vec::new();
                    let mut buf = [0u8; 4096];
                    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buf[..n]),
                        }
                    }
                    let text = String::from_utf8_lossy(&request);
                    let path = text.split_whitespace().nth(1).unwrap_or("/").to_string();
                    let body = if path == "/latest.json" {
                        Some(manifest.lock().unwrap().clone().into_bytes())
                    } else {
                        let name = path.trim_start_matches('/');
                        let file = files
                            .lock()
                            .unwrap()
                            .iter()
                            .find(|f| f.file_name().is_some_and(|n| n == name))
                            .cloned();
                        file.and_then(|f| std::fs::read(f).ok())
                    };
                    let (status, body) = match body {
                        Some(b) => ("200 OK", b),
                        None => ("404 Not Found", Vec::new()),
                    };
                    let head = format!(
                        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = socket.write_all(head.as_bytes()).await;
                    let _ = socket.write_all(&body).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Self {
            port,
            manifest,
            files,
            task,
        }
    }

    /// The address of `path` on this server.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }

    /// Serves a `latest.json` offering `version` from `deb` with `signature` (and `deb`).
    pub(crate) fn offer(&self, version: &str, deb: &Path, signature: &str) {
        self.files.lock().unwrap().push(deb.to_path_buf());
        let name = deb.file_name().unwrap().to_string_lossy();
        let platform = serde_json::json!({ "signature": signature, "url": self.url(&name) });
        let manifest = serde_json::json!({
            "version": version,
            "notes": "Test release",
            "pub_date": "2026-01-15T09:00:00Z",
            "platforms": { "linux-x86_64-deb": platform, "linux-x86_64": platform }
        });
        *self.manifest.lock().unwrap() = manifest.to_string();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The Debian package's installed version, if it is installed.
pub(crate) fn installed_version(package: &str) -> Option<String> {
    let out = Command::new("dpkg-query")
        .args(["-W", "-f=${Status}|${Version}", package])
        .output()
        .expect("dpkg-query");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let (status, version) = text.split_once('|')?;
    status.ends_with(" installed").then(|| version.to_string())
}

/// Installs `deb` with dpkg (as the user would from a download).
pub(crate) fn dpkg_install(deb: &Path) {
    let out = Command::new("dpkg")
        .arg("-i")
        .arg(deb)
        .output()
        .expect("dpkg");
    assert!(out.status.success(), "dpkg -i {}: {out:?}", deb.display());
}

/// Removes the package when dropped (also when the journey fails).
pub(crate) struct Installed(pub(crate) &'static str);

impl Drop for Installed {
    fn drop(&mut self) {
        let _ = Command::new("dpkg").args(["--purge", self.0]).output();
    }
}
