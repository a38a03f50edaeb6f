#!/usr/bin/env bash
# Install the Debian 12 packages Fupin POS needs to build, test and run.  Works as root or with
# sudo; skips apt when everything is already there (so a warm machine starts fast).
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git ca-certificates
  libsqlite3-dev sqlite3 libjansson-dev libsodium-dev
  libsdl2-dev libsdl2-ttf-dev libfontconfig-dev fontconfig fonts-noto-cjk libpng-dev
  libcmocka-dev golang-github-mozillazg-go-pinyin-dev
  xvfb xauth zbar-tools
  libusb-1.0-0-dev umockdev libumockdev-dev usbutils jq
  libqrencode-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
