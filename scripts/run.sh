#!/usr/bin/env bash
# One command: install, then start the app; it listens at once and builds the index (first start) with progress in the page.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# the app opens (and on a first start builds) the index itself, showing progress in the page,
# so the server listens at once
exec python -m streamlit run app.py --server.headless true --server.port "${PORT:-8501}" --browser.gatherUsageStats false
