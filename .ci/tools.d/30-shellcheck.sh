#!/usr/bin/env bash
# Installs shellcheck, which the tests run on the generated task and go scripts (and actionlint on
# workflow run: blocks). Idempotent: apt is only called when it is missing.
set -euo pipefail

missing=()
command -v shellcheck >/dev/null || missing+=(shellcheck)

if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

shellcheck --version | sed -n 2p
