#!/usr/bin/env bash
# Renders the main screens of the apidesk window to docs/SCREEN-light.png and docs/SCREEN-dark.png for the
# README: the resource form with OAuth 2.0 and a signed-in resource, a form with problems, a query with its
# JSON response, the table view, the sign-in prompt, and run mode. cmd/apidesk-screens opens the real window
# under a private Xvfb against a local demo API, a temporary workspace and an in-memory keychain, and saves
# the window as the X server shows it.
#
#   bash scripts/screenshots.sh [OUT_DIR]     (default docs; needs: scripts/deps.sh test)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs}
for tool in Xvfb xdotool import; do
  command -v "$tool" >/dev/null || { echo "screenshots: $tool is missing: bash scripts/deps.sh test" >&2; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/apidesk-screens.XXXXXX")
xvfb=""
cleanup() {
  [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
go build -tags migrated_fynedo -o "$tmp/apidesk-screens" ./cmd/apidesk-screens
for n in $(seq 150 199); do [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { display=":$n"; break; }; done
Xvfb "$display" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
for _ in $(seq 50); do DISPLAY=$display xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done
mkdir -p "$out"
for theme in light dark; do
  # A session bus of its own, so nothing reaches the person's desktop session.
  DISPLAY=$display LANG=en_US.UTF-8 timeout 180 dbus-run-session -- "$tmp/apidesk-screens" -out "$out" -theme "$theme" 2>"$tmp/$theme.log" ||
    { echo "screenshots: apidesk-screens failed ($theme):" >&2; grep -v '^\s' "$tmp/$theme.log" | tail -20 >&2; exit 1; }
  if grep -E "Error in Fyne call thread|panic:" "$tmp/$theme.log" >/dev/null; then
    echo "screenshots: apidesk-screens reported a threading error or panic ($theme):" >&2; tail -20 "$tmp/$theme.log" >&2; exit 1
  fi
done
ls -1 "$out"/*-light.png "$out"/*-dark.png
