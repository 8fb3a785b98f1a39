#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages a make target needs, only when missing.
#   scripts/deps.sh build   cgo + X11/GL headers to build the Fyne window
#   scripts/deps.sh test    build + Xvfb, D-Bus and a real Secret Service (gnome-keyring) for the tests
#   scripts/deps.sh package build + the packaging tools: mingw-w64 (Windows cross build), NSIS, osslsigncode,
#                           icotool, dpkg-deb, desktop-file-validate, rsvg-convert (icon sizes), xz, zip, file, openssl
#   scripts/deps.sh install-test   test + package + wine (runs the NSIS installer; Debian's wine cannot
#                           start Go 1.26 programs, so apidesk.exe itself is only checked statically)
# Run as root, or with sudo available. Does nothing for packages already installed.
set -eu
build="gcc libc6-dev pkg-config libx11-dev libgl-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev"
test="$build xvfb xdotool x11-utils imagemagick dbus dbus-x11 gnome-keyring libsecret-tools procps file curl"
package="$build gcc-mingw-w64-x86-64 nsis osslsigncode icoutils dpkg-dev desktop-file-utils librsvg2-bin xz-utils zip unzip file openssl"
case "${1:-build}" in
  build) want=$build ;;
  test) want=$test ;;
  package) want=$package ;;
  install-test) want="$test $package wine wine64" ;;
  *) echo "usage: $0 build|test|package|install-test" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "apidesk: please install these packages with your package manager:$missing" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "apidesk: installing$missing" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
