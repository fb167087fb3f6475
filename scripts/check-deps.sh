#!/usr/bin/env bash
# The layering rules of docs/architecture.md, checked on the real dependency graph:
# the core, the desktop's adapter and types must never pull in Tauri, GTK or WebKit, and types must stay
# wasm-safe (no tokio, reqwest, rusqlite).
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
check() { # crate, forbidden-regex
  local tree hits
  # A failing `cargo tree` must fail the check, not look like "no forbidden crates".
  tree=$(cargo tree -p "$1" -e normal,build --prefix none --offline) || { echo "cargo tree -p $1 failed" >&2; exit 1; }
  hits=$(grep -E "^($2) " <<<"$tree" | sort -u || true)
  if [[ -n $hits ]]; then
    echo "dependency rule broken: $1 depends on:"; echo "$hits" | sed 's/^/  /'; fail=1
  fi
}
check timebridge-core 'tauri|tauri-[a-z-]+|gtk|webkit2gtk|wry|tao|gdk'
check timebridge-app 'tauri|tauri-[a-z-]+|gtk|webkit2gtk|wry|tao|gdk'
check timebridge-types 'tokio|reqwest|rusqlite|tauri|gtk|mio'
# The UI's error codes are made at the edges (the desktop's adapter, the CLI's output), never
# in the core: its errors are its own types.
if grep -rn --include='*.rs' -E '\bApiError\b' crates/core/src; then
  echo "dependency rule broken: crates/core names ApiError (the lines above)"; fail=1
fi
[[ $fail -eq 0 ]] && echo "dependency rules hold"
exit $fail
