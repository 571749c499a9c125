#!/usr/bin/env bash
# Runs every test suite: unit, conformance and integration (real server, real OpenTelemetry SDK).
# This is the README's test command, and CI (.ci/run) calls exactly this.
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# The UI end-to-end tests drive Debian's chromium (installed here when missing and running as root).
./scripts/ensure-chromium.sh
# The ClickHouse engine's tests start their own clickhouse-server (Debian's package).
./scripts/ensure-clickhouse.sh || { echo "could not install clickhouse-server"; exit 1; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT

if ! dotnet build Threadline.slnx -c Release -v quiet -nologo > "$log" 2>&1; then
  cat "$log"
  echo "build failed"
  exit 1
fi

dotnet test Threadline.slnx -c Release --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# The web UI's unit tests (Vitest); the build above ran npm ci in ui/ when npm is installed.
if command -v npm > /dev/null; then
  (cd ui && NO_COLOR=1 npm test --silent) 2>&1 | tee -a "$log"
  ui_status=${PIPESTATUS[0]}
  [ "$ui_status" -ne 0 ] && status=$ui_status
else
  echo "npm not found: the UI's unit tests (ui/, Vitest) were not run; install Node.js 20 or later."
fi

# One closing line for the whole run, summed over the test projects.
awk '
  /(Passed|Failed)! +- +Failed:/ {
    gsub(",", "");
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  failed  += $(i + 1);
      if ($i == "Passed:")  passed  += $(i + 1);
      if ($i == "Skipped:") skipped += $(i + 1);
    }
  }
  # Vitest: "      Tests  2 failed | 35 passed (37)"
  /^ +Tests +[0-9]/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "failed")  failed  += $(i - 1);
      if ($i == "passed")  passed  += $(i - 1);
      if ($i == "skipped") skipped += $(i - 1);
    }
  }
  END { printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }
' "$log"
exit "$status"
