#!/usr/bin/env bash
# Trains the model on data/train.csv.gz and writes artifacts/model.skops (the fitted pipeline),
# artifacts/model.onnx (the same model exported for the API, when the project has one), their
# .sha256 files and artifacts/metrics.json (measured on the held-out data/test.csv.gz). Arguments are passed on,
# e.g. --output-dir /tmp/model.
set -euo pipefail
# shellcheck source=scripts/lib/python.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/python.sh"
require_module sklearn

exec "$PYTHON" -m "$PKG.training.train" "$@"
