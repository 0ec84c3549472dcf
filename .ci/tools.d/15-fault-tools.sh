#!/usr/bin/env bash
# strace, for the fault and placement tests (test/cli/injected-faults.test.ts, placement.test.ts):
# they inject errors (EIO, EXDEV, EPIPE) into the real system calls of a run
# (`strace -e inject=…`) and check the order of its renames. Debian bookworm's strace 6.1; without
# root the tests skip (injection traces the run with ptrace). Idempotent: apt only when missing.
set -euo pipefail

if ! command -v strace >/dev/null 2>&1; then
  if [[ "$(id -u)" -ne 0 ]]; then
    echo "15-fault-tools: strace is missing and this is not root: install it with apt (the fault tests skip without it)" >&2
    exit 0
  fi
  echo "15-fault-tools: installing strace (apt)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends strace >/dev/null
fi

echo "15-fault-tools: $(strace -V | head -1)"
