#!/usr/bin/env bash
# Runs a command with a real, unlocked Secret Service (GNOME Keyring) on a private D-Bus
# session, as a desktop session has. Its keyring files live in a temporary directory, so a
# developer's own keyring is never touched.
set -euo pipefail
exec dbus-run-session -- bash -c '
  export XDG_DATA_HOME=$(mktemp -d) XDG_RUNTIME_DIR=$(mktemp -d)
  trap "rm -rf \"$XDG_DATA_HOME\" \"$XDG_RUNTIME_DIR\"" EXIT
  printf "timebridge-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  "$@"' bash "$@"
