#!/usr/bin/env bash
# One command: install, build the index (incremental; a no-op when up to date), start the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
python -m assistant build
exec python -m streamlit run app.py --server.headless true --server.port "${PORT:-8501}" --browser.gatherUsageStats false
