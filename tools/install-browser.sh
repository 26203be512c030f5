#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it can (root with apt-get).
# Without it the browser tests are skipped with a reason; with CI=true that is an error.
set -u
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests..."
  if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
      >/dev/null); then
    exit 0
  fi
  echo "could not install chromium with apt-get" >&2
else
  echo "chromium is not installed and this user cannot apt-get it: browser tests will be skipped" >&2
fi
if [ "${CI:-}" = "true" ]; then
  echo "CI=true: the browser tests are required, so a missing Chromium is an error" >&2
  exit 1
fi
exit 0
