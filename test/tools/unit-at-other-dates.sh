#!/usr/bin/env bash
# The unit tests again with the whole process's clock moved to dates nobody chose by hand (Debian's
# faketime): a year and a month ahead, and the two nights a local clock jumps. A test that stamps a
# calendar date without pinning its clock, or that assumes a day has 24 hours, fails here.
# Usage: bash test/tools/unit-at-other-dates.sh [vitest args...]
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v faketime >/dev/null 2>&1; then
  echo "unit-at-other-dates: installing Debian's faketime"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends faketime >/dev/null
fi

# "@…" starts the clock at that local time and lets it run; "+400d" moves it ahead and lets it run.
runs=(
  "UTC|+400d"
  "Europe/Berlin|@2027-03-28 01:30:00"
  "Europe/Berlin|@2027-10-31 02:30:00"
)
status=0
for run in "${runs[@]}"; do
  zone="${run%%|*}"
  shift_spec="${run#*|}"
  echo "unit-at-other-dates: TZ=$zone faketime '$shift_spec' (now $(TZ="$zone" faketime -f "$shift_spec" date -Iseconds))"
  if ! TZ="$zone" faketime -f "$shift_spec" npx --no-install vitest run --project unit "$@"; then
    echo "unit-at-other-dates: FAILED with TZ=$zone faketime '$shift_spec'"
    status=1
  fi
done
exit "$status"
