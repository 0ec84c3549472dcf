#!/usr/bin/env bash
# Unit tests: fast, no trained model needed. Extra arguments go to pytest (e.g. -k model_io).
set -euo pipefail
# shellcheck source=scripts/lib/python.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/python.sh"
require_module pytest

exec "$PYTHON" -m pytest tests/unit "$@"
