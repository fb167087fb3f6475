#!/usr/bin/env bash
# Desktop measurements (issue #7): builds the release app and its .deb bundle, then runs
# timebridge-desktop-bench under Xvfb with a private session bus. Prints cold start, idle
# memory (window open / tray only), memory during a ~10,000-entry sync, and the bundle size.
# Usage: scripts/measure-desktop.sh [--idle-secs 60] [--tickets 13500] [--app PATH] [--deb-dir DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
# SKIP_BUILD=1 measures an existing build (pass --app and --deb-dir if it is elsewhere, e.g.
# built with CARGO_TARGET_DIR set).
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  npx tauri build --bundles deb -- -p timebridge
fi
cargo build --release -p timebridge-desktop-bench
exec scripts/with-display.sh target/release/timebridge-desktop-bench "$@"
