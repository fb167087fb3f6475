#!/usr/bin/env bash
# The timebridge CLI built for Windows (x86_64-pc-windows-gnu, Debian's mingw-w64) and run
# under Debian's wine against the simulators (native, in their own process): --version,
# status on a fresh profile (the Windows data directory under %APPDATA%), connections added
# with their tokens in the Windows Credential Manager (wine's), the demo's mappings, a first
# sync that books every entry, and a second sync that books nothing more.
# Installs what is missing (apt: mingw-w64, wine; rustup: the target). Not part of every test
# run: about 2 minutes with the tools present (docs/platforms.md).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
log() { printf '[windows-cli] %s\n' "$*" >&2; }

need=()
for p in gcc-mingw-w64-x86-64 wine wine64; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if ((${#need[@]})); then
  SUDO=""; [[ $(id -u) == 0 ]] || SUDO=sudo
  log "installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
rustup target list --installed | grep -q x86_64-pc-windows-gnu || rustup target add x86_64-pc-windows-gnu

log "building the CLI for Windows and the simulators"
cargo build --quiet --target x86_64-pc-windows-gnu -p timebridge-cli
cargo build --quiet -p timebridge-simulators
work=$(mktemp -d)
# The program with a stand-in for the one DLL wine 8 lacks (scripts/wine/bcryptprimitives.c).
mkdir "$work/bin"
cp target/x86_64-pc-windows-gnu/debug/timebridge.exe "$work/bin/"
x86_64-w64-mingw32-gcc -shared -O2 -o "$work/bin/bcryptprimitives.dll" \
  scripts/wine/bcryptprimitives.c -ladvapi32
exe="$work/bin/timebridge.exe"
sim_pid=""
cleanup() {
  if [[ -n $sim_pid ]]; then kill "$sim_pid" 2>/dev/null || true; fi
  WINEPREFIX="$work/prefix" wineserver -k 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

target/debug/timebridge-sim --tickets 40 >"$work/sims" 2>/dev/null &
sim_pid=$!
for _ in $(seq 100); do grep -q '^Simulators running' "$work/sims" 2>/dev/null && break; sleep 0.1; done
grep -q '^Simulators running' "$work/sims" || { log "the simulators did not start"; exit 1; }
kimai=$(awk '$1 == "kimai" { print $2 }' "$work/sims")
mapfile -t helpdesks < <(awk '$1 == "zammad" { gsub(/[()]/, "", $3); print $3 " " $2 }' "$work/sims")

export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
log "a fresh wine profile"
/usr/lib/wine/wine64 wineboot --init >/dev/null 2>&1
# wine64 itself: /usr/bin/wine also looks for the 32-bit wine and says so on every call.
tb() { /usr/lib/wine/wine64 "$exe" "$@"; }
fail() { log "FAILED: $*"; exit 1; }

version=$(tb --version | tr -d '\r')
log "--version: $version"
[[ $version == "timebridge $(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)" ]] || fail "--version said: $version"

status=$(tb status --json | tr -d '\r')
appdata=$(printf '%s' "$status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data_dir"])')
log "status: data directory $appdata"
[[ $appdata == *'\AppData\Roaming\dev.timebridge.desktop' ]] || fail "data directory $appdata"
ls "$WINEPREFIX"/drive_c/users/*/AppData/Roaming/dev.timebridge.desktop/timebridge.db >/dev/null \
  || fail "no database under the profile's AppData"

printf 'demo-kimai-token' | tb connections add kimai --name Kimai --url "$kimai" --token-stdin >/dev/null
for line in "${helpdesks[@]}"; do
  read -r key url <<<"$line"
  printf 'demo-zammad-%s-token' "$key" |
    tb connections add zammad --key "$key" --name "$key" --url "$url" --token-stdin >/dev/null
  project=1; [[ $key == globex ]] && project=3
  tb mappings add-rule "$key" --scope organization --id 1 --project "$project" >/dev/null
  for pair in 1:1 2:1 3:2 none:1; do
    tb mappings set-activity "$key" --type "${pair%%:*}" --activity "${pair##*:}" >/dev/null
  done
  tb mappings set "$key" --exact-day-totals on >/dev/null
  tb connections go-ahead "$key" >/dev/null
done
listed=$(tb connections list | tr -d '\r')
grep -q 'keychain' <<<"$listed" || fail "tokens not in the Credential Manager: $listed"

sum() { python3 -c "import json,sys; print(json.load(sys.stdin)['counts']['$1'])"; }
first=$(tb sync --json | tr -d '\r')
created=$(printf '%s' "$first" | sum created)
log "first sync: $created timesheets created"
((created > 0)) || fail "the first sync created nothing: $first"
second=$(tb sync --json | tr -d '\r')
again=$(printf '%s' "$second" | sum created)
log "second sync: $again created"
((again == 0)) || fail "the second sync created $again more: $second"
log "passed"
