#!/usr/bin/env bash
# Runs every check Timebridge has: formatting, dependency rules, clippy (native and wasm32),
# all tests, the debug app build and the end-to-end test in a real WebKit window under Xvfb.
# Installs missing tools first (scripts/setup.sh). Re-running with nothing changed is quick.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR=never
# One build from nothing, not an edit loop: incremental caches would only take disk (several
# GiB beside target/'s own artifacts, on machines where a full disk has failed a run before).
export CARGO_INCREMENTAL=0

step() { printf '\n==> %s\n' "$*"; }
# Every test runner's output is also kept here, to print one total at the end.
results=$(mktemp); trap 'rm -f "$results"' EXIT
tests() { "$@" 2>&1 | tee -a "$results"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "dependency rules (the core and types crates never depend on the desktop stack)"
bash scripts/check-deps.sh

step "no import circle between the files of a crate"
python3 scripts/check-import-cycles.py

step "release workflow: actionlint (with shellcheck on its scripts)"
target/tools/venv/bin/actionlint .github/workflows/*.yml

step "clippy for Windows (x86_64-pc-windows-gnu): every crate's library and programs, the desktop shell included"
# Tests stay Linux-only (signals, /proc, WebKitGTK); the CLI's run under wine: scripts/windows-cli.sh.
cargo clippy --target x86_64-pc-windows-gnu --workspace --exclude timebridge-ui --lib --bins -- -D warnings

step "clippy: pure crates and e2e"
cargo clippy --workspace --exclude timebridge --exclude timebridge-ui --all-targets -- -D warnings

step "tests: pure crates (no GTK/WebKit needed)"
# PKG_CONFIG=false: any crate that looked for a system library (GTK, WebKit, OpenSSL, D-Bus)
# would fail to build here, which proves the pure crates need none of their dev packages.
PKG_CONFIG=/bin/false tests cargo test

step "tests: the pure crates again at hard dates and in other time zones (libfaketime)"
# The 1st just after midnight, a month's last half hour, both DST changes, the year's turn,
# 29 February, New York and UTC+14: no test may depend on the day it runs (docs/reliability.md).
bash scripts/date-proof.sh

step "tests: benchmark smoke run and short reliability runs (crash trials, fault soak)"
# Not default members (their full runs are separate commands: docs/performance.md,
# docs/reliability.md); the short versions belong in every run. The crash trials drive the
# CLI binary the step above built.
PKG_CONFIG=/bin/false tests cargo test -p timebridge-bench -p timebridge-reliability

step "tests: the UI's pure logic, natively (formatting, the virtual list's window, chart scales)"
PKG_CONFIG=/bin/false tests cargo test -p timebridge-ui

step "keychain: the real Secret Service (GNOME Keyring on a private D-Bus session)"
tests bash scripts/with-keyring.sh cargo test -p timebridge-core --test keychain -- --ignored
tests bash scripts/with-keyring.sh cargo test -p timebridge-cli --test cli_manage -- --ignored

step "build the app: debug, UI embedded (trunk + tauri build)"
tauri build --debug --no-bundle -- -p timebridge

step "clippy: desktop shell"
cargo clippy -p timebridge --all-targets -- -D warnings

step "clippy: UI (wasm32)"
cargo clippy -p timebridge-ui --target wasm32-unknown-unknown -- -D warnings

step "tests: desktop shell (Tauri mock runtime, private D-Bus session) and the desktop measuring tool"
tests bash scripts/with-display.sh cargo test -p timebridge -p timebridge-desktop-bench

step "end-to-end: the built app under Xvfb, driven by tauri-driver + WebKitWebDriver"
tests bash scripts/with-display.sh cargo test -p timebridge-e2e

step "desktop measurements, smoke: the debug app through every measurement once (no budgets)"
# The real measurements (release build, 10,000 timesheets, budgets) are scripts/measure-desktop.sh;
# this proves the tool and the paths it measures work: a first sync with no window, the tray
# menu's Open, a close that ends WebKit's web process, a reopen, a cold start.
cargo build -p timebridge-cli -p timebridge-simulators -p timebridge-desktop-bench
bash scripts/with-display.sh scripts/with-keyring.sh target/debug/timebridge-desktop-bench \
  --app target/debug/timebridge-desktop --cli target/debug/timebridge --sim target/debug/timebridge-sim \
  --deb-dir target/debug/bundle/deb --runs 1 --tickets 40 --settle-secs 3 --long-secs 4

step "disk: what this run's build output takes"
du -sh target 2>/dev/null || true
df -h . | tail -n 1

echo
echo "All checks passed. E2E screenshots: target/e2e/"
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "%d passed, %d failed\n", p, f }' "$results"
