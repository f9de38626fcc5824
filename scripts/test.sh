#!/usr/bin/env bash
# All the tests: unit tests of every module, the CLI and the service end to end through the
# built binary, then each libFuzzer target for 60 seconds on its seed corpus (scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --product ctxsel
swift test "$@"
scripts/fuzz.sh 60
