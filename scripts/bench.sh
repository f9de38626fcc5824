#!/usr/bin/env bash
# The engine's benchmark on ../shared/bench: builds ctxsel (release), makes the 10k and 1M
# catalogs with make_catalogs.py into bench-data/ (git-ignored) when missing, then runs
# `ctxsel bench` on the catalogs named (default: debian 1m) and prints its JSON lines, each
# tagged with the catalog; last, peak memory while `ctxsel select` streams 10,000 and 1,000,000
# request lines (scripts/bench-stream.sh; STREAM_LINES overrides, STREAM_LINES= skips it).
# Extra arguments go to `ctxsel bench` (e.g. --modes page --passes 5).
set -euo pipefail
cd "$(dirname "$0")/.."
bench=../shared/bench
[ -f "$bench/catalog_debian.jsonl" ] || { echo "bench.sh needs $bench (the team's shared bench data)" >&2; exit 2; }
scripts/setup.sh
swift build -c release --product ctxsel >&2
mkdir -p bench-data
[ -f bench-data/catalog_1m.jsonl ] || python3 "$bench/make_catalogs.py" bench-data >&2

catalogs=(${CATALOGS:-debian 1m})
for name in "${catalogs[@]}"; do
  case "$name" in
    debian) file=$bench/catalog_debian.jsonl ;;
    10k|1m) file=bench-data/catalog_$name.jsonl ;;
    *) echo "unknown catalog $name (debian, 10k, 1m)" >&2; exit 2 ;;
  esac
  .build/release/ctxsel bench --catalog "$file" --pages "$bench/pages.jsonl" \
    --queries "$bench/queries_terms30.jsonl" --snapshot "bench-data/$name.ctxidx" "$@" |
    sed "s/^{/{\"catalog\":\"$name\",/"
done

stream=${STREAM_LINES-10000 1000000}
[ -z "$stream" ] || scripts/bench-stream.sh $stream
