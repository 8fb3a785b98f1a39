#!/usr/bin/env bash
# apidesk-cli against curl and jq, in the same run, on a 50 MB JSON body from a local server:
#   download  `apidesk-cli request … -o FILE` vs `curl -s -o FILE URL` (whole process, medians of RUNS)
#   format    apidesk's JSON pretty-printer (engine/jsonview, Go benchmark) vs `jq .`
# Public tools only: go, curl, jq, python3 (the local server), awk. Installs them when missing (scripts/deps.sh bench).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}; mb=${MB:-50}
bash scripts/deps.sh bench # curl, jq, python3
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -trimpath -o "$tmp/apidesk-cli" ./cmd/apidesk-cli
python3 - "$tmp/big.json" "$mb" <<'PY'
import json, sys
out, mb = sys.argv[1], int(sys.argv[2])
with open(out, "w") as f:
    f.write("[")
    i, n = 0, 0
    while n < mb << 20:
        s = ("," if i else "") + json.dumps({"id": i, "name": f"customer {i}", "email": f"c{i}@example.com", "active": i % 3 == 0, "balance": i * 7 % 10000 + 0.25, "tags": ["a", "b"], "address": {"city": f"Town {i % 500}", "zip": f"{i % 100000:05d}"}}, separators=(",", ":"))
        f.write(s); n += len(s); i += 1
    f.write("]")
PY
port=$((20000 + RANDOM % 20000))
(cd "$tmp" && python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/big.json" && break; sleep 0.1; done
ws="$tmp/ws"
"$tmp/apidesk-cli" --workspace "$ws" resource add local --base-url "http://127.0.0.1:$port" 2>/dev/null

# wall-clock milliseconds of one command
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
: > "$tmp/a"; : > "$tmp/c"; : > "$tmp/j"
for i in $(seq "$runs"); do
  ms "$tmp/apidesk-cli" --workspace "$ws" request local GET /big.json -o "$tmp/out-a" >> "$tmp/a"
  ms curl -s -o "$tmp/out-c" "http://127.0.0.1:$port/big.json" >> "$tmp/c"
  ms jq . "$tmp/big.json" >> "$tmp/j"
done
cmp -s "$tmp/out-a" "$tmp/out-c" || { echo "apidesk-cli and curl saved different bodies" >&2; exit 1; }
a=$(median < "$tmp/a"); c=$(median < "$tmp/c"); j=$(median < "$tmp/j")
f=$(go test -run '^$' -bench '^BenchmarkPrepare$' -benchtime 5x ./engine/jsonview/ | awk '/^BenchmarkPrepare/ {print int($3/1e6)}')
printf '%-44s %8s ms   %-12s %8s ms  %6.2fx\n' "download $mb MB: apidesk-cli request -o FILE" "$a" "curl -o FILE" "$c" "$(awk -v a="$a" -v b="$c" 'BEGIN{print a/b}')"
printf '%-44s %8s ms   %-12s %8s ms  %6.2fx\n' "pretty-print 50 MB JSON: engine/jsonview" "$f" "jq ." "$j" "$(awk -v a="$f" -v b="$j" 'BEGIN{print a/b}')"
echo "(medians of $runs runs; downloads are whole processes, jsonview is a Go benchmark of Prepare on a 50 MB body)"
