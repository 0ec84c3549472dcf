#!/usr/bin/env bash
# Serves the API with uvicorn, reloading when code under src/ changes. Then open
# http://localhost:8000/docs or run scripts/request-local-api.sh.
#   PORT (default 8000), MODEL_PATH (default artifacts/model.skops), RELOAD=0 to turn reload off
#   and run the production server instead (README: "The API contract and its limits").
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
if [ "${RELOAD:-1}" != 1 ]; then
  # The production server (the image's command), with its limits on slow and abusive clients.
  HOST="${HOST:-$default_host}" PORT="${PORT:-8000}" exec "$PYTHON" -m "$PKG.api"
fi
# uvicorn's development server: reloads on code changes (the body limits of api/limits.py hold
# here too; the header deadline and the concurrency cap are the production server's).
exec "$PYTHON" -m uvicorn "$PKG.api.app:app" --host "${HOST:-$default_host}" --port "${PORT:-8000}" \
  --reload --reload-dir src
