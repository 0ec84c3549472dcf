#!/usr/bin/env bash
# Sends the sample application in scripts/request-local-api-payload.json to the running API
# (scripts/start-api-locally.sh) and prints the answer.
#   API_URL (default http://localhost:$PORT, PORT default 8000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

api_url=${API_URL:-http://localhost:${PORT:-8000}}
# The API takes some seconds to load and check its model after start-api-locally.sh starts:
# wait up to about 30 s for /health to answer, then send the request once.
for _ in $(seq 30); do
  if curl --fail --silent --output /dev/null "$api_url/health"; then
    break
  fi
  sleep 1
done
curl --fail-with-body --silent --show-error \
  --header 'Content-Type: application/json' \
  --data @scripts/request-local-api-payload.json \
  "$api_url/predict"
echo
