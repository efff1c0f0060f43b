#!/usr/bin/env bash
# Times `npm run test:unit` cold (Jest's transform cache off) RUNS times, default 5, and prints each
# run's wall time, then the median and the slowest, with the load average before and after: what
# docs/testing.md quotes for the unit tier. Usage: scripts/time-unit-tier.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime | sed 's/.*load averages*: //'; }
echo "cores: $(getconf _NPROCESSORS_ONLN), load average before: $(load)"
times=()
for i in $(seq 1 "$runs"); do
  start=$(date +%s.%N)
  npm run -s test:unit -- --no-cache --silent >/dev/null 2>&1 || { echo "run $i: the unit tier failed"; exit 1; }
  end=$(date +%s.%N)
  t=$(echo "$end - $start" | bc)
  times+=("$t")
  printf 'run %d: %.1f s\n' "$i" "$t"
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
printf 'median %.1f s, slowest %.1f s over %d cold runs; load average after: %s\n' "${sorted[$(((runs - 1) / 2))]}" "${sorted[-1]}" "$runs" "$(load)"
