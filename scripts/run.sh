#!/usr/bin/env bash
# Builds Timebridge (debug, UI embedded) and launches it in demo mode: the built-in Kimai and
# Zammad simulators run inside the app with the demo data, so everything works without
# accounts (TIMEBRIDGE_DEMO=0 starts it on your own connections instead). Installs missing
# tools first. Data goes to $TIMEBRIDGE_DATA_DIR, by default target/demo-data (the demo's in
# its demo/ folder, wiped at each demo start), so trying the app never touches a real profile.
# With no display (a server), it runs under Xvfb and saves a screenshot to
# target/run-screenshot.png.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
tauri build --debug --no-bundle -- -p timebridge
export TIMEBRIDGE_DATA_DIR=${TIMEBRIDGE_DATA_DIR:-$PWD/target/demo-data}
export TIMEBRIDGE_DEMO=${TIMEBRIDGE_DEMO:-1}
echo "Data directory: $TIMEBRIDGE_DATA_DIR (logs in its logs/ folder)"
if [[ -n ${DISPLAY:-} || -n ${WAYLAND_DISPLAY:-} ]]; then
  exec ./target/debug/timebridge-desktop
fi
echo "No display: running under Xvfb; a screenshot follows in target/run-screenshot.png. Ctrl-C stops."
TIMEBRIDGE_PRIVATE_BUS=1 exec bash scripts/with-display.sh bash -c '
  ./target/debug/timebridge-desktop & app=$!
  trap "kill $app 2>/dev/null" EXIT INT TERM
  sleep 8; import -window root target/run-screenshot.png && echo "screenshot: target/run-screenshot.png"
  wait $app'
