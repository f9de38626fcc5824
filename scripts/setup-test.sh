#!/usr/bin/env bash
# What the tests need beyond the build, when missing: a Java runtime and pyspark for the Spark
# job's test (scripts/spark-select.py), nginx and curl for the replica test (scripts/replicas.sh),
# python3 for the external-ranker tests.
set -euo pipefail
as_root=""
[ "$(id -u)" -eq 0 ] || as_root="sudo"
missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]}" >&2
  $as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq "${missing[@]}" >&2
fi
if ! python3 -c "import pyspark" >/dev/null 2>&1; then
  echo "Installing pyspark" >&2
  python3 -m pip install -q "pyspark==3.5.7" >&2
fi
