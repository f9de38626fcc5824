#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ (with AddressSanitizer) and runs each on a copy of its
# committed seed corpus for SECONDS (default 60). A crash stops with the failing input saved
# under runs/fuzz/ and exit status 1. Prints one summary line per target: its executions.
# FUZZ_RUNS=N stops a target after N executions if that comes first (the long runs of
# RELIABILITY.md use SECONDS=1800 and FUZZ_RUNS=10000000).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
seconds="${1:-60}"
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzJSON FuzzRequest FuzzHTML FuzzAnalyzer FuzzSessionToken FuzzSnapshot FuzzCatalog)
swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -g >&2
bin="$(swift build --package-path Fuzz -c release --show-bin-path)"
mkdir -p runs/fuzz
status=0
for target in "${targets[@]}"; do
  work="runs/fuzz/$target"
  rm -rf "$work" && mkdir -p "$work"
  cp Fuzz/Corpus/"$target"/* "$work"/
  log="runs/fuzz/$target.log"
  if SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$bin/$target" -max_total_time="$seconds" -runs="${FUZZ_RUNS:--1}" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="runs/fuzz/$target-" "$work" >"$log" 2>&1; then
    result="ok"
  else
    result="FAILED (see $log and runs/fuzz/$target-*)"
    status=1
  fi
  runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')"
  coverage="$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo '?')"
  rate="$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)"
  took="$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' \
    || { [ "$rate" -gt 0 ] && [ "$runs" != '?' ] && echo $((runs / rate)); } || echo '?')"
  echo "$target: $result, $runs executions in $took s, coverage $coverage edges, corpus $(ls "$work" | wc -l) inputs"
  [ "$result" = ok ] || tail -40 "$log" >&2
done
exit $status
