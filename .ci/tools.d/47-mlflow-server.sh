#!/usr/bin/env bash
# Installs the MLflow tracking server that test/e2e/mlflow-tracking.test.ts starts on loopback:
# the full mlflow package (server, UI, database store) in a venv of its own. It is pinned here,
# apart from the generated project's client (mlflow-skinny in template/pyproject.toml.ejs), as a
# team's server is: mlflow 3.18.0 cannot be installed (its mlflow-tracing 3.18.0 is not on PyPI).
# Idempotent.
set -euo pipefail

MLFLOW_SERVER_VERSION=3.17.2

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$repo/.tools/mlflow-venv"
# pip freeze, not mlflow --version: that imports all of mlflow (seconds).
if ! "$venv/bin/pip" freeze 2>/dev/null | grep -qx "mlflow==$MLFLOW_SERVER_VERSION"; then
  echo "47-mlflow-server: installing mlflow $MLFLOW_SERVER_VERSION"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input --only-binary :all: "mlflow==$MLFLOW_SERVER_VERSION"
fi
echo "47-mlflow-server: mlflow $MLFLOW_SERVER_VERSION in .tools/mlflow-venv"
