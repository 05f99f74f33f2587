#!/usr/bin/env bash
# Install the assistant into the current Python (3.11). torch is installed first, pinned, so
# that pip takes the CPU wheel this machine keeps on disk instead of a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet "torch==2.13.0"
python -m pip install --quiet -e ".${1:-}"
