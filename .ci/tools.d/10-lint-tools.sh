#!/usr/bin/env bash
# Linters the template tests need (test/e2e/dev-workflow.test.ts): shellcheck for every shell
# script the template generates, and Blinter for the Windows batch files. Idempotent: installs
# only what is missing, so CI and developers can run it before every test run.
#   ShellCheck 0.9.0: Debian bookworm package
#   Blinter 1.1.49:   PyPI, in a private venv at .tools/venv-lint (no global pip install)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
blinter_version="1.1.49"
venv="$repo/.tools/venv-lint"

if ! command -v shellcheck >/dev/null 2>&1; then
  sudo_cmd=()
  if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "10-lint-tools: shellcheck is missing and this is not root (no sudo)" >&2; exit 1; }
    sudo_cmd=(sudo)
  fi
  echo "10-lint-tools: installing shellcheck (apt)"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends shellcheck >/dev/null
fi

# Blinter needs Python >= 3.11; the first suitable interpreter on PATH is used.
if [[ ! -x "$venv/bin/blinter" ]] || [[ "$("$venv/bin/pip" show blinter 2>/dev/null | sed -n 's/^Version: //p')" != "$blinter_version" ]]; then
  python=""
  for candidate in python3 python3.14 python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      python="$candidate"
      break
    fi
  done
  [[ -n "$python" ]] || { echo "10-lint-tools: Blinter needs Python >= 3.11 on PATH" >&2; exit 1; }
  echo "10-lint-tools: installing blinter $blinter_version into $venv"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --disable-pip-version-check --no-input --quiet "blinter==$blinter_version"
fi

echo "10-lint-tools: shellcheck $(shellcheck --version | sed -n 's/^version: //p'), blinter $blinter_version ready"
