#!/usr/bin/env bash
# Cold start to a visible window, and idle memory, of apidesk against a blank Fyne window, measured in the same
# run under Xvfb (medians of RUNS, default 5). Goal: apidesk ≤ 1.3× the blank window on both.
# Needs: scripts/deps.sh test (Xvfb, xdotool, dbus, gnome-keyring). Public tools only: go, Xvfb, xdotool, awk.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
bash scripts/deps.sh test # Xvfb, xdotool, dbus, gnome-keyring
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
case "${LANG:-C}" in C|C.*|POSIX) export LANG=C.UTF-8 ;; esac

go build -tags migrated_fynedo -trimpath -o "$tmp/apidesk" ./cmd/apidesk
go build -tags migrated_fynedo -trimpath -o "$tmp/blank" ./bench/blank
mkdir -p "$tmp/ws"
cp -r engine/workspace/testdata/workspace/. "$tmp/ws/"   # a realistic workspace: 7 resources, 6 queries

disp=":$((200 + RANDOM % 300))"
Xvfb "$disp" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
sleep 1
export DISPLAY=$disp

# measure NAME TITLE CMD… prints "ms rss_kb" for one run: time from exec to a visible window with TITLE, and the
# resident memory 3 s later, when the window is idle.
measure() {
  local title=$1; shift
  local start end pid wid rss
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 &
  pid=$!
  wid=""
  for _ in $(seq 3000); do
    wid=$(xdotool search --onlyvisible --name "$title" 2>/dev/null | head -1) && [ -n "$wid" ] && break
    sleep 0.005
  done
  end=$(date +%s%N)
  [ -n "$wid" ] || { echo "no window for $*" >&2; kill $pid; return 1; }
  sleep 3
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  kill $pid; wait $pid 2>/dev/null || true
  echo "$(( (end - start) / 1000000 )) $rss"
}

export -f measure
: > "$tmp/apidesk.txt"; : > "$tmp/blank.txt"
for i in $(seq "$runs"); do
  # alternate, so drift in the machine's speed hits both alike; each in its own D-Bus session and keyring
  HOME="$tmp/home-a$i" APIDESK_WORKSPACE="$tmp/ws" bash scripts/with-keyring.sh bash -c "measure '^apidesk' '$tmp/apidesk'" >> "$tmp/apidesk.txt" 2>/dev/null
  HOME="$tmp/home-b$i" bash scripts/with-keyring.sh bash -c "measure '^blank\$' '$tmp/blank'" >> "$tmp/blank.txt" 2>/dev/null
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
as=$(cut -d' ' -f1 "$tmp/apidesk.txt" | median); bs=$(cut -d' ' -f1 "$tmp/blank.txt" | median)
am=$(cut -d' ' -f2 "$tmp/apidesk.txt" | median); bm=$(cut -d' ' -f2 "$tmp/blank.txt" | median)
printf '%-28s %10s %10s %8s\n' "" apidesk blank ratio
printf '%-28s %8s ms %8s ms %7.2fx\n' "start to visible window" "$as" "$bs" "$(awk -v a="$as" -v b="$bs" 'BEGIN{print a/b}')"
printf '%-28s %7.1f MB %7.1f MB %7.2fx\n' "idle memory (RSS)" "$(awk -v k="$am" 'BEGIN{print k/1024}')" "$(awk -v k="$bm" 'BEGIN{print k/1024}')" "$(awk -v a="$am" -v b="$bm" 'BEGIN{print a/b}')"
echo "(medians of $runs runs each, alternating, under Xvfb; goal ≤ 1.30x)"
