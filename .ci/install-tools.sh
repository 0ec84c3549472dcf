#!/usr/bin/env bash
# Installs the system and Python tools the tests use (shellcheck, tmux, poetry, uv, the
# workflow linters, a Docker engine with the Compose and buildx plugins...). Each area of the test
# suite has its own idempotent script in tools.d/; this runs them all, in order. Safe to run
# again: installed tools are only checked.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

need=()
for tool in git tmux curl; do command -v "$tool" >/dev/null 2>&1 || need+=("$tool"); done
# GNU time measures a run's peak memory (test/cli/remote-limits.test.ts); `command -v time` would
# find the shell's keyword, so look for the program itself.
[ -x /usr/bin/time ] || need+=(time)
if [ "${#need[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

for script in tools.d/*.sh; do
  echo "::: $script"
  bash "$script"
done
