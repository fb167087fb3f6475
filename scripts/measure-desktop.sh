#!/usr/bin/env bash
# Desktop measurements (docs/performance.md): builds the release app, its .deb bundle, the CLI
# and the simulators, then runs timebridge-desktop-bench under Xvfb with a private session bus
# and a real keychain. Prints the first sync with the window closed, tray-only memory and idle
# CPU, reopening from the tray, the open window's memory per process, the cold start, and a
# table against the budgets; --check exits with 1 when one is missed.
# Usage: scripts/measure-desktop.sh [--runs 3] [--tickets 13500] [--settle-secs 60]
#                                   [--long-secs 600] [--check]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
# SKIP_BUILD=1 measures an existing release build.
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  tauri build --bundles deb -- -p timebridge
  cargo build --release -p timebridge-desktop-bench -p timebridge-cli -p timebridge-simulators
fi
exec scripts/with-display.sh scripts/with-keyring.sh target/release/timebridge-desktop-bench "$@"
