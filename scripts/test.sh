#!/usr/bin/env bash
# Runs every test suite: unit, conformance and integration (real server, real OpenTelemetry SDK).
# This is the README's test command, and CI (.ci/run) calls exactly this.
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

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
  END { printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }
' "$log"
exit "$status"
