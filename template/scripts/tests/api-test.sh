#!/usr/bin/env bash
# API tests in-process (FastAPI TestClient) against a small model built by the tests themselves.
set -euo pipefail
# shellcheck source=scripts/lib/python.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/python.sh"
require_module pytest

exec "$PYTHON" -m pytest tests/api "$@"
