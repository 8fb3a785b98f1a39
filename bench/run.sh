#!/usr/bin/env bash
# Runs the engine-vs-bare-client benchmarks 5 times and prints, for each, the median time per request through
# the engine and through a bare http.Client, and the median ratio (goal: engine/bare <= 1.10).
# Needs only go and awk. BENCHSTAT=1 also prints benchstat's summary (downloads golang.org/x/perf once).
set -euo pipefail
cd "$(dirname "$0")/.."

count=${COUNT:-5}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

go test -run '^$' -bench . -count "$count" ./bench/ | tee "$out"

echo
awk -v goal=1.10 '
/^Benchmark/ {
	name = $1; sub(/-[0-9]+$/, "", name)
	if (!(name in seen)) { seen[name] = 1; order[++n] = name }
	for (i = 3; i < NF; i += 2) {
		unit = $(i + 1)
		if (unit == "engine-ns/req" || unit == "bare-ns/req" || unit == "engine/bare") {
			k = name SUBSEP unit
			vals[k, ++cnt[k]] = $i
		}
	}
}
function median(k,    m, i, j, t, a) {
	m = cnt[k]
	for (i = 1; i <= m; i++) a[i] = vals[k, i]
	for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
}
END {
	printf "%-20s %14s %14s %12s  %s\n", "benchmark", "engine µs/req", "bare µs/req", "engine/bare", "goal <= " goal
	for (i = 1; i <= n; i++) {
		b = order[i]
		r = median(b SUBSEP "engine/bare")
		printf "%-20s %14.1f %14.1f %11.3fx  %s\n", b, median(b SUBSEP "engine-ns/req") / 1000, median(b SUBSEP "bare-ns/req") / 1000, r, (r <= goal ? "ok" : "over")
	}
	printf "(medians of %d runs; each run reports the median over its request pairs)\n", cnt[order[1] SUBSEP "engine/bare"]
}' "$out"

if [ "${BENCHSTAT:-}" = 1 ]; then
	echo
	go run golang.org/x/perf/cmd/benchstat@latest "$out"
fi
