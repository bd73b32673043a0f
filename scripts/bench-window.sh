#!/usr/bin/env bash
# The real-window benchmark (scripts/bench-window.mjs): builds the release app, the
# history seeder, the empty Tauri window it is compared with, and the mock gateway, then
# drives the window under Xvfb in a D-Bus session of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
npx tauri build --no-bundle --ci
cargo build --locked -p foxtail-mock-gateway
cargo build --release --locked -p foxtail-storage --example seed_bench
# The empty window is a workspace of its own: it takes the app's Cargo.lock (Cargo keeps
# the versions and drops what it does not use) and builds into the app's target folder,
# with the same CLI and release profile, so it reuses the compiled Tauri.
cp Cargo.lock bench/empty-window/Cargo.lock
(cd bench/empty-window && CARGO_TARGET_DIR="$PWD/../../target" npx tauri build --no-bundle --ci)
source <(sed -n '/^with_keyring() {/,/^}/p' scripts/test.sh)
xvfb-run -a --server-args="-screen 0 1280x900x24" \
  bash -c "$(declare -f with_keyring); with_keyring node scripts/bench-window.mjs $*"
