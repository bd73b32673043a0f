#!/usr/bin/env bash
# Prepares this machine for Foxtail: Debian/Ubuntu system packages (only the missing
# ones), npm packages, and for tests the WebDriver bridge. Safe to run again.
#   scripts/setup.sh app    what building and running the app needs
#   scripts/setup.sh test   that, plus what the tests need
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-app}"

# The one list of system packages. Building needs the first group; tests add the
# virtual display, the WebKit WebDriver, a real Secret Service for the keychain, and
# pyatspi, through which the end-to-end tests read the window's accessible tree.
build_packages=(
  libwebkit2gtk-4.1-dev build-essential file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev libdbus-1-dev pkg-config curl
)
test_packages=(xvfb webkit2gtk-driver dbus-x11 gnome-keyring libsecret-tools chromium fonts-nanum python3-pyatspi)

packages=("${build_packages[@]}")
[[ "$purpose" == test ]] && packages+=("${test_packages[@]}")

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "==> Installing system packages: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

for tool in cargo node npm; do
  command -v "$tool" >/dev/null || { echo "Foxtail needs $tool: install Rust (rustup.rs) and Node.js 20 or newer first." >&2; exit 1; }
done

echo "==> Installing npm packages"
npm ci --no-audit --no-fund --loglevel=error

if [[ "$purpose" == test ]] && ! command -v tauri-driver >/dev/null; then
  echo "==> Installing tauri-driver"
  cargo install tauri-driver --locked
fi
