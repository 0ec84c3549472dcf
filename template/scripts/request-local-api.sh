#!/usr/bin/env bash
# Sends the sample application in scripts/request-local-api-payload.json to the running API
# (scripts/start-api-locally.sh) and prints the answer.
#   API_URL (default http://localhost:$PORT, PORT default 8000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

api_url=${API_URL:-http://localhost:${PORT:-8000}}
curl --fail-with-body --silent --show-error \
  --header 'Content-Type: application/json' \
  --data @scripts/request-local-api-payload.json \
  "$api_url/predict"
echo
