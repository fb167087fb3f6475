#!/usr/bin/env bash
# Runs a command with an X display and a private D-Bus session, as a desktop session would
# have. Uses the current display if there is one; otherwise starts Xvfb on a free display
# and waits until it accepts connections (a fixed sleep is not enough on a busy machine).
set -euo pipefail
if [[ -z ${DISPLAY:-} ]]; then
  fifo=$(mktemp -u); mkfifo "$fifo"
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$fifo" >/dev/null 2>&1 &
  xvfb_pid=$!
  trap 'kill $xvfb_pid 2>/dev/null || true; rm -f "$fifo"' EXIT
  read -r -t 30 num <"$fifo" || { echo "Xvfb did not start" >&2; exit 1; }
  export DISPLAY=":$num"
  for _ in $(seq 300); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
  xdpyinfo >/dev/null 2>&1 || { echo "Xvfb on $DISPLAY does not answer" >&2; exit 1; }
fi
# No exec: the EXIT trap above must still stop Xvfb when the command ends.
rc=0
if [[ -z ${DBUS_SESSION_BUS_ADDRESS:-} || ${TIMEBRIDGE_PRIVATE_BUS:-1} == 1 ]]; then
  dbus-run-session -- "$@" || rc=$?
else
  "$@" || rc=$?
fi
exit $rc
