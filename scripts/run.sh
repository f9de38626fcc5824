#!/usr/bin/env bash
# The main job: build ctxsel (release) and answer the sample requests in Corpus/ with the
# default Catalog/, one NDJSON response per request on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product ctxsel >&2
.build/release/ctxsel select Corpus/requests.jsonl "$@"
