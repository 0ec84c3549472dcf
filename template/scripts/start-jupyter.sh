#!/usr/bin/env bash
# Starts JupyterLab on the notebooks/ folder (installed by setup in the dev container).
# Open the URL it prints: it carries the login token, which stays on.
#   JUPYTER_PORT (default 8888).
#   HOST: 127.0.0.1 on a host (not reachable from the network); 0.0.0.0 in the dev container so
#   the published port works.
set -euo pipefail
# shellcheck source=scripts/lib/python.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/python.sh"
require_module jupyterlab

if [ "$(id -u)" = 0 ]; then
  # Jupyter refuses root unless told otherwise; we do not tell it: a notebook server as root can
  # change anything in the container. The dev container task runs as your own user.
  echo "error: do not run Jupyter as root; start the dev container as your user" >&2
  exit 1
fi

default_host=127.0.0.1
if [ "$IN_DEV_CONTAINER" = true ]; then
  default_host=0.0.0.0
fi
exec "$PYTHON" -m jupyter lab --no-browser \
  --ip "${HOST:-$default_host}" --port "${JUPYTER_PORT:-8888}" \
  --ServerApp.root_dir="$PROJECT_ROOT/notebooks"
