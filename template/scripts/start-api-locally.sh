#!/usr/bin/env bash
# Serves the API with uvicorn, reloading when code under src/ changes. Then open
# http://localhost:8000/docs or run scripts/request-local-api.sh.
#   PORT (default 8000), MODEL_PATH (default artifacts/model.skops), RELOAD=0 to turn reload off.
#   HOST: 127.0.0.1 on a host (not reachable from the network); 0.0.0.0 in the dev container so
#   the published port works.
set -euo pipefail
# shellcheck source=scripts/lib/python.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/python.sh"
require_module uvicorn

default_host=127.0.0.1
if [ "$IN_DEV_CONTAINER" = true ]; then
  default_host=0.0.0.0
fi
args=(--host "${HOST:-$default_host}" --port "${PORT:-8000}")
if [ "${RELOAD:-1}" = 1 ]; then
  args+=(--reload --reload-dir src)
fi

exec "$PYTHON" -m uvicorn "$PKG.api.app:app" "${args[@]}"
