#!/usr/bin/env bash
# What the tests need beyond the build, when missing: a Java runtime and pyspark for the Spark
# job's test (scripts/spark-select.py), python3 for the external-ranker tests.
set -euo pipefail
as_root=""
[ "$(id -u)" -eq 0 ] || as_root="sudo"
if ! command -v java >/dev/null 2>&1; then
  echo "Installing default-jre-headless" >&2
  $as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq default-jre-headless >&2
fi
if ! python3 -c "import pyspark" >/dev/null 2>&1; then
  echo "Installing pyspark" >&2
  python3 -m pip install -q "pyspark==3.5.7" >&2
fi
