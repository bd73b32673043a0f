#!/usr/bin/env bash
# Sets everything up and runs every test: type checks and lints, frontend unit tests,
# the Rust crates' tests against a real Secret Service, then the real app window
# driven through WebDriver under a virtual display.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }

step "Frontend: type check"
npm run check

step "Frontend: unit tests"
npx vitest run

# Each test has a deadline, so a test that hangs fails with its name instead of
# holding the run until CI kills it.
step "Frontend: the window in headless Chromium, against a fake backend"
node --test --test-concurrency=1 --test-timeout=300000 ui/browser-tests/

step "Rust: format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings

# The keychain tests need a Secret Service: a private D-Bus session with a fresh,
# unlocked gnome-keyring whose files live in a temporary folder, so no test ever
# touches (or is refused by) a person's own keychain.
with_keyring() {
  local keyring_home
  keyring_home=$(mktemp -d)
  # The daemon claims its bus name a moment after it returns; a test that asks before
  # then makes D-Bus start a second, locked keyring that fights the first.
  dbus-run-session -- bash -c '
    echo -n foxtail-test | XDG_DATA_HOME="$0" gnome-keyring-daemon --unlock --components=secrets >/dev/null
    for _ in $(seq 50); do
      dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true" && break
      sleep 0.1
    done
    exec "$@"' "$keyring_home" "$@"
}

step "Rust: tests"
with_keyring cargo test --workspace --locked
# The real-gateway test needs LiteLLM and llama.cpp, which take minutes to install; it
# passes without them, so say so where everyone sees it.
if [ ! -x "${FOXTAIL_GATEWAY_VENV:-target/gateway-venv}/bin/litellm" ]; then
  echo "NOTICE: the real-gateway test (LiteLLM in front of llama.cpp) was skipped: it is not installed here; 'make test-gateway' installs and runs it."
fi

step "App: debug build and .deb bundle"
npx tauri build --debug --bundles deb --ci

step "App: end-to-end tests in the real window"
# The window talks to the project's mock gateway over loopback.
cargo build --locked -p foxtail-mock-gateway -p foxtail-mcp-test-server
mkdir -p artifacts/e2e
# The display comes first so that services D-Bus starts for the app can open it too.
xvfb-run -a --server-args="-screen 0 1280x900x24" \
  bash -c "$(declare -f with_keyring); with_keyring node --test --test-concurrency=1 --test-timeout=600000 e2e/"
echo "Screenshots are in artifacts/e2e/"
