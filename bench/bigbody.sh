#!/usr/bin/env bash
# A 50 MB JSON response in the real response viewer, under Xvfb: time from its last byte to its first lines in
# the window, and the longest UI stall while it loads and is scrolled (medians of RUNS, default 5).
# Goal: first lines ≤ 300 ms after the last byte, no stall > 100 ms. Needs: scripts/deps.sh test.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}; mb=${MB:-50}
bash scripts/deps.sh test # Xvfb, xdotool, dbus, gnome-keyring
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
case "${LANG:-C}" in C|C.*|POSIX) export LANG=C.UTF-8 ;; esac
go build -tags migrated_fynedo -trimpath -o "$tmp/bigbody" ./bench/bigbody
disp=":$((200 + RANDOM % 300))"
Xvfb "$disp" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
sleep 1
for i in $(seq "$runs"); do
  DISPLAY=$disp HOME="$tmp/home$i" dbus-run-session -- "$tmp/bigbody" -mb "$mb" 2>/dev/null | tee -a "$tmp/out.txt"
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
fl=$(sed -n 's/.*first_lines_ms=\([0-9]*\).*/\1/p' "$tmp/out.txt" | median)
st=$(sed -n 's/.*max_stall_ms=\([0-9]*\).*/\1/p' "$tmp/out.txt" | median)
echo "$mb MB JSON: first lines ${fl} ms after the last byte (goal ≤ 300), longest UI stall ${st} ms (goal ≤ 100); medians of $runs"
