#!/usr/bin/env bash
# All the tests: unit tests of every module, the CLI and the service end to end through the
# built binary (the Spark job in local mode among them), then each libFuzzer target for 60 seconds on its seed corpus (scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/setup-test.sh
swift build --product ctxsel
# One test at a time: the CLI and service tests wait on processes and sockets, and on a two-core
# machine they would otherwise hold every thread of the concurrency pool that the in-process
# service tests need (seen as read timeouts there while the machine was busy).
swift test --no-parallel "$@"
scripts/fuzz.sh 60
