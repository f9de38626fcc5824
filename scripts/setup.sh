#!/usr/bin/env bash
# Installs the Debian packages ContextSelect builds against, when missing.
set -euo pipefail
need=()
for package in libpcre2-dev libstemmer-dev libcld2-dev libicu-dev; do
  dpkg -s "$package" >/dev/null 2>&1 || need+=("$package")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]}" >&2
  as_root=""
  [ "$(id -u)" -eq 0 ] || as_root="sudo"
  $as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq "${need[@]}" >&2
fi
