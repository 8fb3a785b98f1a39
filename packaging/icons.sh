#!/usr/bin/env bash
# Renders the app icon's PNG sizes from its source, assets/icon.svg, with rsvg-convert (Debian:
# librsvg2-bin): assets/icons/N.png for the sizes the Linux hicolor theme and Windows' .ico use, and
# assets/icon.png (512 px, the one the window and FyneApp.toml use). Run it after changing the SVG and
# commit the PNGs; the packages are built from the committed PNGs (packaging/build.sh checks their sizes).
#
#   bash packaging/icons.sh
set -eu
cd "$(dirname "$0")/.."
command -v rsvg-convert >/dev/null || { echo "icons.sh: rsvg-convert is missing: bash scripts/deps.sh package" >&2; exit 1; }
mkdir -p assets/icons
for n in 16 24 32 48 64 128 256; do
  rsvg-convert -w "$n" -h "$n" assets/icon.svg -o "assets/icons/$n.png"
done
rsvg-convert -w 512 -h 512 assets/icon.svg -o assets/icon.png
