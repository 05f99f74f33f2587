#!/usr/bin/env bash
# One command: install with test extras, install headless Chromium for the browser test, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh "[test]"
if { ! command -v chromium || ! command -v chromedriver; } >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  (apt-get update -qq && apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null) \
    || echo "chromium could not be installed; the browser test will be skipped" >&2
fi
# issue 11: a real PostgreSQL server for the history store's test (started by the test itself, as user postgres)
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  (apt-get update -qq && apt-get install -y -qq postgresql >/dev/null) \
    || echo "postgresql could not be installed; the PostgreSQL history test will be skipped" >&2
fi
exec python -m pytest -q "$@"
