#!/usr/bin/env bash
# A query for every row of a CSV, end to end: `apidesk-cli run QUERY --each rows.csv --results out.csv` against
# Postman's runner, `newman run collection.json -d rows.csv`, in the same run, on ROWS rows (default 1000)
# against a local server (bench/eachserver), both sequential (one request at a time, no delay). Whole
# processes, medians of RUNS (default 5). Goal: apidesk at least 5x faster.
# Public tools only: go, node + npm (newman is installed from npm into bench/.newman, which git ignores), curl, awk.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}; rows=${ROWS:-1000}
newman_version=${NEWMAN_VERSION:-6.2.2}
command -v npm >/dev/null || { echo "bench/each.sh needs node and npm (apt-get install nodejs npm)" >&2; exit 1; }
bash scripts/deps.sh bench # curl, and the D-Bus + gnome-keyring of scripts/with-keyring.sh
# apidesk-cli notes each resource's address in the keychain: use a private one, never the person's own.
[ "${APIDESK_REAL_KEYRING:-}" = 1 ] || exec bash scripts/with-keyring.sh bash "$0" "$@"
if [ ! -x bench/.newman/node_modules/.bin/newman ] || ! bench/.newman/node_modules/.bin/newman --version | grep -qx "$newman_version"; then
  npm install --silent --no-audit --no-fund --prefix bench/.newman "newman@$newman_version" >/dev/null
fi
newman=bench/.newman/node_modules/.bin/newman
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -trimpath -o "$tmp/apidesk-cli" ./cmd/apidesk-cli
go build -trimpath -o "$tmp/eachserver" ./bench/eachserver
"$tmp/eachserver" > "$tmp/addr" &
for _ in $(seq 50); do [ -s "$tmp/addr" ] && break; sleep 0.1; done
base=$(head -1 "$tmp/addr")

{ echo "id,ticket"; for i in $(seq "$rows"); do echo "$i,T-$i"; done; } > "$tmp/rows.csv"
ws="$tmp/ws"
"$tmp/apidesk-cli" --workspace "$ws" resource add local --base-url "$base" >/dev/null 2>&1
"$tmp/apidesk-cli" --workspace "$ws" query save customer --resource local --path '/customers/{{id}}' >/dev/null 2>&1
cat > "$tmp/collection.json" <<JSON
{
  "info": {"name": "each", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
  "item": [{"name": "customer", "request": {"method": "GET", "url": "$base/customers/{{id}}"}}]
}
JSON

# wall-clock milliseconds of one command; then checks that the server answered one request per row
ms() {
  local s e n
  s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N)
  n=$(curl -sf "$base/count")
  [ "$n" = "$rows" ] || { echo "$1 sent $n requests for $rows rows" >&2; exit 1; }
  echo $(( (e - s) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
: > "$tmp/a"; : > "$tmp/n"
for _ in $(seq "$runs"); do
  ms "$tmp/apidesk-cli" --workspace "$ws" run customer --each "$tmp/rows.csv" --results "$tmp/out.csv" --fail >> "$tmp/a"
  ms "$newman" run "$tmp/collection.json" -d "$tmp/rows.csv" --silent >> "$tmp/n"
done
[ "$(wc -l < "$tmp/out.csv")" -eq $((rows + 1)) ] || { echo "apidesk-cli wrote $(wc -l < "$tmp/out.csv") result lines" >&2; exit 1; }
a=$(median < "$tmp/a"); n=$(median < "$tmp/n")
printf '%-52s %8s ms\n' "apidesk-cli run --each ($rows rows, sequential)" "$a"
printf '%-52s %8s ms\n' "newman $newman_version run -d ($rows rows, sequential)" "$n"
awk -v a="$a" -v n="$n" 'BEGIN { r = n / a; printf "apidesk is %.1fx faster (newman/apidesk; goal >= 5x: %s)\n", r, (r >= 5 ? "ok" : "under") }'
echo "(medians of $runs runs; whole processes, start to exit; apidesk also writes its results CSV, newman prints nothing)"
