#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages a make target needs, only when missing.
#   scripts/deps.sh build   cgo + X11/GL headers to build the Fyne window
#   scripts/deps.sh install build + xz (make install packs and unpacks the tar.xz)
#   scripts/deps.sh test    build + what the tests and scripts/ui-check.sh run: Xvfb, xdotool, xprop, ImageMagick,
#                           D-Bus, a real Secret Service (gnome-keyring, secret-tool), curl, python3 (the check's
#                           local HTTP server), ps, and Node.js with npm where node or npm is missing (the format
#                           checks install the formats' own validators from the npm registry: swagger-parser,
#                           postman-collection, newman)
#   scripts/deps.sh bench   test + jq (bench/cli.sh compares with curl and jq)
#   scripts/deps.sh package build + the packaging tools: mingw-w64 (Windows cross build), NSIS, osslsigncode,
#                           icotool, dpkg-deb, desktop-file-validate, rsvg-convert (icon sizes), xz, zip, file, openssl
#   scripts/deps.sh install-test   test + package + wine (runs the NSIS installer; Debian's wine cannot
#                           start Go 1.26 programs, so apidesk.exe itself is only checked statically)
# Run as root, or with sudo available. Does nothing for packages already installed.
set -eu
build="gcc libc6-dev pkg-config libx11-dev libgl-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev"
install="$build xz-utils"
test="$build xvfb xauth xdotool x11-utils imagemagick dbus dbus-x11 gnome-keyring libsecret-tools procps file curl python3"
package="$build gcc-mingw-w64-x86-64 nsis osslsigncode icoutils dpkg-dev desktop-file-utils librsvg2-bin xz-utils zip unzip file openssl"
case "${1:-build}" in
  build) want=$build ;;
  install) want=$install ;;
  test) want=$test ;;
  bench) want="$test jq" ;;
  package) want=$package ;;
  install-test) want="$test $package wine wine64" ;;
  *) echo "usage: $0 build|install|test|bench|package|install-test" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
# Node.js may come from elsewhere than Debian (NodeSource, nvm): only the commands are asked for.
case "${1:-build}" in
  test|bench|install-test)
    command -v node >/dev/null || missing="$missing nodejs"
    command -v npm >/dev/null || missing="$missing npm" ;;
esac
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "apidesk: please install these packages with your package manager:$missing" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "apidesk: run as root, or install sudo, to install:$missing" >&2; exit 1; }
  sudo="sudo"
fi
echo "apidesk: installing$missing" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
