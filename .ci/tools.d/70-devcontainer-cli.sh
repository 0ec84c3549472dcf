#!/usr/bin/env bash
# The Dev Containers CLI (npm package @devcontainers/cli) for the dev container test in
# test/e2e/devcontainer.test.ts: `devcontainer up` and `devcontainer exec` against the test engine.
# Installed from npm at a pinned version into .tools/devcontainer-cli (git-ignored), not as a
# dependency of the generator. Idempotent: a second run only checks the installed version.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
version=0.89.0
dir="$root/.tools/devcontainer-cli"
bin="$dir/node_modules/.bin/devcontainer"

if [[ ! -x "$bin" ]] || [[ "$("$bin" --version 2>/dev/null)" != "$version" ]]; then
  echo "70-devcontainer-cli: installing @devcontainers/cli $version into $dir"
  rm -rf "$dir"
  mkdir -p "$dir"
  echo '{ "private": true }' >"$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --no-save --loglevel=error "@devcontainers/cli@$version"
fi
echo "70-devcontainer-cli: devcontainer $("$bin" --version) ready ($bin)"
