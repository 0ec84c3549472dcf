#!/usr/bin/env bash
# Runs the whole training pipeline on a small sample into a temporary folder (artifacts/ is left
# alone), to catch a broken pipeline in seconds.
set -euo pipefail
# shellcheck source=scripts/lib/python.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/python.sh"
require_module pytest

exec "$PYTHON" -m pytest tests/training "$@"
