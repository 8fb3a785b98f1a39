#!/usr/bin/env bash
# The real-window check: builds apidesk with Fyne's thread checks on and the race detector, starts it under Xvfb inside a private D-Bus session with its own gnome-keyring
# (scripts/with-keyring.sh), on a throwaway workspace whose resources point at a local HTTP server this
# script starts, clicks through the main screens with xdotool (select a resource, a query, Send, the response
# tabs, run mode and Run, a resource whose password is in the keychain, the menus) and quits with Ctrl+Q.
#
# It fails when apidesk's stderr holds "Error in Fyne call thread" (a widget touched off the UI goroutine),
# a panic, a fatal error or a data race, when the window does not show, when the server did not see the
# requests Send and Run make, or when apidesk does not exit. Everything it starts is stopped; it takes
# about a minute and never more than UI_CHECK_TIMEOUT seconds (default 240).
#
# Fyne logs "Error in Fyne call thread" only when its checks are on: a build WITHOUT -tags migrated_fynedo,
# run where it finds no FyneApp.toml with [Migrations] fyneDo = true (Fyne looks beside the binary, or in the
# working directory for a binary under the temp folder). Both switch the checks off, so this script builds
# without the tag and runs from its temp folder. It first runs scripts/ui-check-canary.go, a window with
# exactly that bug, and fails unless Fyne complains about it: the check proves it can fail.
#
#   bash scripts/ui-check.sh            (needs: scripts/deps.sh test)
#   UI_CHECK_KEEP=1 bash scripts/ui-check.sh   keeps the temp folder (screenshots of each step, logs)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${APIDESK_UICHECK_INNER:-}" != 1 ]; then
  for tool in Xvfb xdotool import python3 dbus-run-session gnome-keyring-daemon; do
    command -v "$tool" >/dev/null || { echo "ui-check: $tool is missing: bash scripts/deps.sh test" >&2; exit 1; }
  done
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/apidesk-uicheck.XXXXXX")
  [ -n "${UI_CHECK_KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
  echo "== ui-check: building apidesk (-race, Fyne's thread checks on), apidesk-cli and the canary"
  go build -race -o "$tmp/apidesk" ./cmd/apidesk
  go build -tags migrated_fynedo -o "$tmp/apidesk-cli" ./cmd/apidesk-cli
  go build -o "$tmp/canary" scripts/ui-check-canary.go
  status=0
  APIDESK_UICHECK_INNER=1 UI_CHECK_TMP="$tmp" timeout --kill-after=10 "${UI_CHECK_TIMEOUT:-240}" \
    bash scripts/with-keyring.sh bash "$0" || status=$?
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "ui-check: FAILED: timed out after ${UI_CHECK_TIMEOUT:-240} s" >&2
  fi
  [ -n "${UI_CHECK_KEEP:-}" ] && echo "ui-check: kept $tmp"
  exit "$status"
fi

# Inner half: inside with-keyring.sh's D-Bus session, with its gnome-keyring unlocked.
tmp=$UI_CHECK_TMP
cd "$tmp" # no FyneApp.toml here: its fyneDo migration would switch Fyne's thread checks off
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
fail() { echo "ui-check: FAILED: $*" >&2; echo "--- apidesk stderr:" >&2; tail -40 "$tmp/apidesk.log" >&2 || true; exit 1; }

# A local API: /users.json is an array of objects (a table), /status.json an object.
mkdir -p "$tmp/www"
python3 - "$tmp/www" <<'PY'
import json, sys, os
d = sys.argv[1]
users = [{"id": i, "name": "User %d" % i, "email": "u%d@example.com" % i, "active": i % 3 != 0} for i in range(1, 41)]
json.dump(users, open(os.path.join(d, "users.json"), "w"), indent=1)
json.dump({"ok": True, "version": "1.0"}, open(os.path.join(d, "status.json"), "w"))
PY
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$tmp/www" >"$tmp/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/status.json')" 2>/dev/null && break; sleep 0.1; done

# The workspace, made with apidesk-cli; the password goes to this session's keychain.
export APIDESK_WORKSPACE="$tmp/workspace"
cli="$tmp/apidesk-cli"
"$cli" resource add "Local API" --base-url "http://127.0.0.1:$port" --header 'Accept: application/json' 2>/dev/null
"$cli" query save "All users" --resource "Local API" --path /users.json 2>/dev/null
"$cli" query save "Status" --resource "Local API" --path /status.json 2>/dev/null
printf 'canary-ui-check-password' | "$cli" resource add "Vault" --base-url "http://127.0.0.1:$port/vault" --auth basic --username ops --secret-stdin 2>/dev/null
# An answer with no JSON at all: the server's HTML 404 page (such answers once grew the window past the screen).
"$cli" query save "Broken" --resource "Vault" --path /nothing-here 2>/dev/null

# Xvfb on a display it picks itself and names on fd 3 once it listens (a display chosen here by looking for
# lock files can be taken by another X server in between, or be in use from another chroot or container).
exec 3>"$tmp/display"
Xvfb -displayfd 3 -screen 0 1400x900x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
pids+=($!)
exec 3>&-
for _ in $(seq 100); do [ -s "$tmp/display" ] && break; sleep 0.1; done
[ -s "$tmp/display" ] || { cat "$tmp/xvfb.log" >&2; echo "ui-check: FAILED: Xvfb did not start" >&2; exit 1; }
DISPLAY=:$(head -1 "$tmp/display")
export DISPLAY

# The canary first: Fyne must report its off-thread update, else this check could never fail.
mkdir -p "$tmp/config"
XDG_CONFIG_HOME="$tmp/config" LANG=en_US.UTF-8 timeout 30 "$tmp/canary" >/dev/null 2>"$tmp/canary.log" || true
grep -q "Error in Fyne call thread" "$tmp/canary.log" ||
  { cat "$tmp/canary.log" >&2; echo "ui-check: FAILED: Fyne's thread checks are off: the canary's bug went unreported" >&2; exit 1; }
echo "== ui-check: thread checks are on (the canary's bug was reported)"

# apidesk, with its own (empty) Fyne preferences: the default window size, nothing selected.
XDG_CONFIG_HOME="$tmp/config" LANG=en_US.UTF-8 "$tmp/apidesk" >"$tmp/apidesk.out" 2>"$tmp/apidesk.log" &
app=$!
pids+=($app)
wid=""
for _ in $(seq 300); do
  wid=$(xdotool search --onlyvisible --name '^apidesk' 2>/dev/null | head -1) && [ -n "$wid" ] && break
  kill -0 "$app" 2>/dev/null || fail "apidesk exited before showing its window"
  sleep 0.1
done
[ -n "$wid" ] || fail "no apidesk window within 30 s"
sleep 2

# The window's size must not change with what it shows (issue 11: an answer without a JSON array grew it to
# 1200x1850 on a 900 px screen).
geom() { xdotool getwindowgeometry "$wid" | awk '/Geometry/ {print $2}'; }
size0=$(geom)
same_size() { [ "$(geom)" = "$size0" ] || fail "the window changed size after $1: $(geom), was $size0"; }

step=0
shot() { step=$((step + 1)); import -window "$wid" "$tmp/step-$step-$1.png" 2>/dev/null || true; }
click() { xdotool mousemove --window "$wid" "$1" "$2" click 1; sleep "${3:-0.8}"; }
keys() { xdotool key --window "$wid" "$@"; sleep 0.8; }
alive() { kill -0 "$app" 2>/dev/null || fail "apidesk exited while $1"; }
title() { xdotool getwindowname "$wid"; }
# until WHAT TITLE: waits (up to 30 s) for the window's title to start with TITLE — the sign that the step
# before it has been handled. A race build is slow, and a click that comes while the one before is still
# being handled can be taken by Fyne as the second half of a double-click, so each step waits for the last.
until_title() {
  for _ in $(seq 300); do
    case "$(title)" in "$2"*) return 0 ;; esac
    alive "$1"
    sleep 0.1
  done
  fail "title after $1: $(title) (want $2)"
}

# Positions in the default 1200×780 window (see the step screenshots with UI_CHECK_KEEP=1).
echo "== ui-check: clicking through the window"
click 100 171; until_title "opening a resource" "apidesk — Local API"; shot resource   # Local API
click 130 210; until_title "selecting the query" "apidesk — All users"; shot query     # All users
keys ctrl+Return; sleep 1.5; alive "sending"; shot response; same_size "an array answer"   # Send
for x in 377 444 521 592 321; do click "$x" 430 0.5; shot "tab$x"; done  # Table, Headers, Cookies, Timing, Body
alive "switching tabs"; shot tabs
click 130 249; until_title "opening another query" "apidesk — Status"   # Status
keys ctrl+Return; sleep 1; alive "sending again"; same_size "an object answer"
keys ctrl+r; until_title "opening run mode" "apidesk — Run Status"; shot runmode   # run mode for the query shown
keys ctrl+Return; sleep 1.5; alive "running"; shot run
click 100 288; until_title "opening a resource with a keychain secret" "apidesk — Vault"; sleep 1; shot vault   # Vault
click 130 327; until_title "opening a query on it" "apidesk — Run Broken"; shot broken   # Broken (the switch is on Run since Ctrl+R)
keys ctrl+Return; sleep 1.5; alive "sending for an error page"; shot errorpage
for x in 322 446; do click "$x" 370 0.5; shot "errortab$x"; done; same_size "an HTML error answer"   # run mode: its Table tab, then Body (below the advice)
click 27 14 0.5; shot menu; keys Escape                            # File menu
alive "using the menu"
# Ctrl+Q is pressed and not released: apidesk quits on the press, and a release sent after the window has
# gone is an X error (BadWindow in X_SendEvent) that ends xdotool with status 1, at random. Whether apidesk
# quit is what counts; xdotool's complaint is shown only when it did not.
xdotool keydown --window "$wid" ctrl+q 2>"$tmp/xdotool.log" || true
for _ in $(seq 100); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
kill -0 "$app" 2>/dev/null && fail "apidesk did not quit on Ctrl+Q $(cat "$tmp/xdotool.log")"
wait "$app" || fail "apidesk exited with status $?"

if grep -E "Error in Fyne call thread|panic:|fatal error:|WARNING: DATA RACE" "$tmp/apidesk.log" >/dev/null; then
  fail "apidesk reported a threading error, panic or race"
fi
sends=$(grep -c '"GET /users.json' "$tmp/server.log" || true)
status_gets=$(grep -c '"GET /status.json' "$tmp/server.log" || true)
[ "$sends" -ge 1 ] || fail "the server never saw Send's request for /users.json"
grep -q '"GET /vault/nothing-here' "$tmp/server.log" || fail "the server never saw Send's request for the error page"
[ "$status_gets" -ge 3 ] || fail "the server saw $status_gets requests for /status.json; want Send and Run (plus the script's own check)"
if grep -rq canary-ui-check-password "$APIDESK_WORKSPACE" "$tmp/config" 2>/dev/null; then
  fail "the keychain password ended up in a file"
fi
echo "== ui-check: ok (window shown, $sends + $((status_gets - 1)) requests sent, no Fyne thread errors)"
