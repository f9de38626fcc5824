#!/usr/bin/env bash
# All the tests: unit tests of every module and the CLI end to end through the built binary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --product ctxsel
swift test "$@"
