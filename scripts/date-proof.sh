#!/usr/bin/env bash
# Runs the pure crates' tests at hard dates and in other time zones with libfaketime, to prove
# that no test depends on the day it runs, the machine's time zone or its locale.
#
# The test binaries are built once by cargo (cargo itself must not run under faketime: it hangs
# there), then each is run from its package directory as `cargo test` would, with the system
# clock faked for the whole process tree (the CLI binaries the tests spawn included). The clock
# starts at the given local time and runs on (`@`), and monotonic time is left real so tokio's
# timers work. Every test of the pure crates runs at every date except the crash trials, which
# kill processes at random and concern crash safety, not dates (they run in the main suite).
#
# Usage: scripts/date-proof.sh [--quick]   (--quick: only the first two dates)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
command -v faketime >/dev/null || { echo "faketime is missing: run scripts/setup.sh" >&2; exit 1; }

# "TZ|local start time|why"
DATES=(
  "Europe/Berlin|2026-12-01 00:30:00|the 1st of a month at 00:30"
  "Europe/Berlin|2026-11-30 23:30:00|the last day of a month at 23:30"
  "Europe/Berlin|2026-03-29 03:30:00|spring forward in Berlin (02:00 skipped)"
  "Europe/Berlin|2026-10-25 02:30:00|fall back in Berlin (02:00-02:59 twice)"
  "Europe/Berlin|2026-12-31 23:30:00|31 December"
  "Europe/Berlin|2027-01-01 00:30:00|1 January"
  "Europe/Berlin|2028-02-29 12:00:00|29 February of a leap year"
  "America/New_York|2026-11-30 20:00:00|New York: still November, already December in Berlin"
  "Pacific/Kiritimati|2026-12-01 08:00:00|UTC+14: already December, still November in Berlin"
)
[[ ${1:-} == --quick ]] && DATES=("${DATES[@]:0:2}")

# Build the test binaries once; list "package dir<TAB>executable" for each.
list=$(mktemp); trap 'rm -f "$list"' EXIT
PKG_CONFIG=/bin/false cargo test --no-run --message-format=json 2>/dev/null | python3 -c '
import json, os, sys
for line in sys.stdin:
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") == "compiler-artifact" and m.get("profile", {}).get("test") and m.get("executable"):
        print(os.path.dirname(m["manifest_path"]) + "\t" + m["executable"])
' | sort -u > "$list"
[[ -s $list ]] || { echo "no test binaries were built" >&2; exit 1; }

failed=0; passed=0
for spec in "${DATES[@]}"; do
  IFS='|' read -r tz at why <<<"$spec"
  printf '\n==> %s %s (%s)\n' "$at" "$tz" "$why"
  while IFS=$'\t' read -r dir exe; do
    name=$(basename "$exe")
    [[ $name == cli_crash-* || $name == cli_bill_crash-* ]] && continue
    out=$(cd "$dir" && TZ=$tz LANG=de_DE.UTF-8 LC_ALL= FAKETIME_DONT_FAKE_MONOTONIC=1 \
      CARGO_MANIFEST_DIR=$dir timeout 600 faketime -f "@$at" "$exe" 2>&1) || {
      echo "FAILED: $name at $at $tz"; echo "$out" | grep -E 'panicked|FAILED|failures:|^---- ' | head -20
      failed=$((failed + 1)); continue; }
    n=$(echo "$out" | awk '/^test result:/ { for (i = 1; i <= NF; i++) if ($(i+1) ~ /^passed/) p += $i } END { print p + 0 }')
    passed=$((passed + n))
  done < "$list"
done
echo
echo "date-proof: ${#DATES[@]} dates, $passed tests passed, $failed test binaries failed"
[[ $failed -eq 0 ]]
