#!/usr/bin/env bash
# Engine benchmark (not a test): throughput of foxtail-cli on a 200k-event loopback
# stream served by the mock gateway, against `curl -o /dev/null` on the same stream,
# and the delay from the gateway's write to the CLI's output line (p50/p99).
# Targets: at least 0.3x curl's rate, for the text and the --json output alike, and p99
# under 1 ms.
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS=${EVENTS:-200000}
RUNS=${RUNS:-3}
PACED=${PACED:-2000}
GAP_US=${GAP_US:-500}

cargo build --release --quiet -p foxtail-cli -p foxtail-mock-gateway --bins
TARGET=${CARGO_TARGET_DIR:-target}
GATEWAY="$TARGET/release/foxtail-mock-gateway"
CLI="$TARGET/release/foxtail-cli"

# The CLI reads the app's saved settings: an empty data folder gives it the defaults, so
# no one's system prompt or model changes what is measured.
FOXTAIL_DATA_DIR=$(mktemp -d)
export FOXTAIL_DATA_DIR

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rmdir "$FOXTAIL_DATA_DIR" 2>/dev/null || true
}
trap cleanup EXIT

start_gateway() { # scenario -> sets URL
  local out; out=$(mktemp)
  "$GATEWAY" --scenario "$1" >"$out" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.05; done
  URL=$(head -n1 "$out"); rm -f "$out"
}

now() { date +%s.%N; }
best() { sort -g | head -n1; }

start_gateway "bench:$EVENTS"
bytes=$(curl -s -X POST -H 'content-type: application/json' -d '{}' "$URL/chat/completions" | wc -c)

curl_times=$(for _ in $(seq "$RUNS"); do
  curl -s -o /dev/null -X POST -H 'content-type: application/json' -d '{}' \
    -w '%{time_total}\n' "$URL/chat/completions"
done | best)

cli_times=$(for _ in $(seq "$RUNS"); do
  t0=$(now)
  OFOX_API_KEY=bench "$CLI" --base-url "$URL" bench >/dev/null
  t1=$(now)
  echo "$t1 - $t0" | bc -l
done | best)

json_times=$(for _ in $(seq "$RUNS"); do
  t0=$(now)
  OFOX_API_KEY=bench "$CLI" --json --base-url "$URL" bench >/dev/null
  t1=$(now)
  echo "$t1 - $t0" | bc -l
done | best)

printf 'stream: %d events, %d bytes, loopback, best of %d runs\n' "$EVENTS" "$bytes" "$RUNS"
awk -v e="$EVENTS" -v c="$curl_times" -v t="$cli_times" -v j="$json_times" 'BEGIN {
  printf "curl -o /dev/null      : %8.3f s  %10.0f events/s\n", c, e / c
  printf "foxtail-cli (text)     : %8.3f s  %10.0f events/s  (%.2f x curl)\n", t, e / t, c / t
  printf "foxtail-cli --json     : %8.3f s  %10.0f events/s  (%.2f x curl)\n", j, e / j, c / j
}'

start_gateway "paced:$PACED:$GAP_US"
OFOX_API_KEY=bench "$CLI" --base-url "$URL" bench | python3 bench/latency.py
