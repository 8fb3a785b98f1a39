#!/usr/bin/env bash
# Run for a list in the real window, under Xvfb: a query for each of ROWS rows (default 5000) against a local
# server that answers at once, and the longest UI stall from pressing Run to the results table (medians of
# RUNS, default 5). Goal: no stall > 100 ms. Needs: scripts/deps.sh test.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}; rows=${ROWS:-5000}
bash scripts/deps.sh test # Xvfb, xdotool, dbus, gnome-keyring
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
case "${LANG:-C}" in C|C.*|POSIX) export LANG=C.UTF-8 ;; esac
go build -tags migrated_fynedo -trimpath -o "$tmp/listrun" ./bench/listrun
disp=":$((200 + RANDOM % 300))"
Xvfb "$disp" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
sleep 1
for i in $(seq "$runs"); do
  DISPLAY=$disp HOME="$tmp/home$i" dbus-run-session -- "$tmp/listrun" -rows "$rows" 2>/dev/null | tee -a "$tmp/out.txt"
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
st=$(sed -n 's/.*max_stall_ms=\([0-9]*\).*/\1/p' "$tmp/out.txt" | median)
rate=$(sed -n 's/.*rows_per_s=\([0-9]*\).*/\1/p' "$tmp/out.txt" | median)
echo "Run for a list of $rows rows in the window: longest UI stall ${st} ms (goal ≤ 100), ${rate} rows a second; medians of $runs"
