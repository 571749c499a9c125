#!/usr/bin/env bash
# Makes sure Debian's chromium is installed: the UI's end-to-end tests (tests/Threadline.UiTests) and the UI
# benchmark (bench/Threadline.UiBench) drive it through Playwright. Playwright's own browser download is not used.
# Installs only when it is missing and the script runs as root; otherwise says what to do and leaves the
# tests to fail with the same advice.
set -uo pipefail

chromium=${THREADLINE_CHROMIUM:-/usr/bin/chromium}

if [ -x "$chromium" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: $chromium is missing; install it as root: apt-get install -y --no-install-recommends chromium" >&2
  exit 0
fi

if ! command -v apt-get > /dev/null; then
  echo "ensure-chromium: $chromium is missing and apt-get is not available; install chromium and set THREADLINE_CHROMIUM to its path" >&2
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# Other installs (ClickHouse for its tests) may hold the dpkg lock: wait for it rather than fail.
# A fresh container has empty package lists: update only when the package is not known yet.
if ! apt-cache show chromium > /dev/null 2>&1; then
  apt-get -o DPkg::Lock::Timeout=600 update -qq
fi
if ! apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium > /dev/null; then
  echo "ensure-chromium: apt-get install chromium failed; the UI end-to-end tests will fail until it is installed" >&2
  exit 0
fi
echo "ensure-chromium: installed $("$chromium" --version 2>/dev/null)"
