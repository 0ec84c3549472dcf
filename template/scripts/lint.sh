#!/usr/bin/env bash
# Lints and checks formatting with ruff (rules in pyproject.toml). To fix what can be fixed:
#   scripts/lint.sh --fix
set -euo pipefail
# shellcheck source=scripts/lib/python.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/python.sh"
require_module ruff

if [ "${1:-}" = --fix ]; then
  "$PYTHON" -m ruff check --fix .
  "$PYTHON" -m ruff format .
else
  "$PYTHON" -m ruff check .
  "$PYTHON" -m ruff format --check .
fi
