#!/usr/bin/env bash
# Checks a deployed API. Set API_URL to its base URL; without it the tests are skipped (and say so).
set -euo pipefail
# shellcheck source=scripts/lib/python.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/python.sh"
require_module pytest

exec "$PYTHON" -m pytest tests/post_deployment "$@"
