#!/usr/bin/env bash
# Sets everything up and opens the Foxtail window (a development build that reloads
# the interface when its files change).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh app
exec npx tauri dev
