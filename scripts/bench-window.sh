#!/usr/bin/env bash
# The real-window benchmark (scripts/bench-window.mjs): builds the release app and the
# mock gateway, then drives the window under Xvfb in a D-Bus session of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
npx tauri build --no-bundle --ci
cargo build --locked -p foxtail-mock-gateway
source <(sed -n '/^with_keyring() {/,/^}/p' scripts/test.sh)
xvfb-run -a --server-args="-screen 0 1280x900x24" \
  bash -c "$(declare -f with_keyring); with_keyring node scripts/bench-window.mjs $*"
