#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it can (root with apt-get), and a
# Chinese font: the samples' source texts are Chinese, and without one the screenshots
# show empty boxes. Without Chromium the browser tests are skipped with a reason; with
# CI=true that is an error. A missing font only makes the screenshots worse.
set -u
FONT=fonts-wqy-microhei
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s "$FONT" >/dev/null 2>&1 || need+=("$FONT")
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${need[*]} for the browser tests..."
  if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      "${need[@]}" >/dev/null); then
    exit 0
  fi
  echo "could not install ${need[*]} with apt-get" >&2
else
  echo "${need[*]} missing and this user cannot apt-get it" >&2
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "chromium is not installed: browser tests will be skipped" >&2
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true: the browser tests are required, so a missing Chromium is an error" >&2
    exit 1
  fi
fi
exit 0
