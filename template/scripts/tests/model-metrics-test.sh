#!/usr/bin/env bash
# Checks the trained model in artifacts/ against quality thresholds on the held-out data.
# Needs a trained model: scripts/train-model.sh first.
set -euo pipefail
# shellcheck source=scripts/lib/python.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/python.sh"
require_module pytest

exec "$PYTHON" -m pytest tests/model "$@"
