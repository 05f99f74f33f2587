#!/usr/bin/env bash
# One command, on a machine with package access: write dist/<name>-<version>-<platform>.tar.gz, the
# offline bundle (every wheel, the project, a manifest with sha256 sums, install-offline.sh).
# Options: --profile bm25 (without the dense stack), --out DIR. See scripts/bundle.py.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python scripts/bundle.py "$@"
