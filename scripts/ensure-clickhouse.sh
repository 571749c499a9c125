#!/usr/bin/env bash
# Installs Debian's clickhouse-server when it is missing, so the ClickHouse engine's tests can start
# their own servers (tests/Threadline.Storage.ClickHouse.Tests). Runs as root (CI and sessions do).
# The package's system service is never started: the tests run clickhouse-server as a plain
# process with their own configuration, data directory and ports.
set -euo pipefail

if command -v clickhouse-server > /dev/null 2>&1 || [ -x /usr/bin/clickhouse ]; then
  exit 0
fi

if [ "$(id -u)" != "0" ]; then
  echo "ensure-clickhouse: clickhouse-server is missing and installing it needs root (apt-get install clickhouse-server)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# policy-rc.d 101 keeps the package from starting its system-wide service during the install.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  created_policy=1
fi
trap '[ "$created_policy" = 1 ] && rm -f "$policy"' EXIT

apt-get update -qq
apt-get install -y -qq --no-install-recommends clickhouse-server clickhouse-client > /dev/null

command -v clickhouse-server > /dev/null 2>&1 || [ -x /usr/bin/clickhouse ] || {
  echo "ensure-clickhouse: apt-get finished but clickhouse-server is still missing" >&2
  exit 1
}
