#!/usr/bin/env bash
# Takes the README's screenshots: builds the app (debug, UI embedded, as scripts/test.sh does),
# then runs the end-to-end screenshot journey under Xvfb, which opens the demo, syncs, and saves
# every page in English and German as docs/screenshots/<page>-<en|de>.png.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR=never

tauri build --debug --no-bundle -- -p timebridge
mkdir -p docs/screenshots
TIMEBRIDGE_SCREENSHOTS_DIR="$PWD/docs/screenshots" \
  bash scripts/with-display.sh cargo test -p timebridge-e2e --test journeys -- screenshots:: 2>&1 |
  tail -n 20
ls -1 docs/screenshots
