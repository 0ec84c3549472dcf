#!/usr/bin/env bash
# Registers the run in artifacts/tracking.json in MLflow with the alias staging; --promote ALIAS
# moves ALIAS to that version instead (src/<package>/training/tracking.py).
set -euo pipefail
# shellcheck source=scripts/lib/python.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/python.sh"
require_module mlflow

exec "$PYTHON" -m "$PKG.training.tracking" "$@"
