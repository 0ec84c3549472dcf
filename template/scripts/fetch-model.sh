#!/usr/bin/env bash
# Downloads the model this API serves (this project has no training pipeline) and verifies it.
#   MODEL_URL     where the model.onnx file is (https://..., or file:///path for a local file)
#   MODEL_SHA256  its expected SHA-256 (from the training project's model.onnx.sha256)
# Writes artifacts/model.onnx and artifacts/model.onnx.sha256, which the API verifies again.
set -euo pipefail
# shellcheck source=scripts/lib/python.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/python.sh"

: "${MODEL_URL:?set MODEL_URL to the model file URL (https://... or file:///...)}"
: "${MODEL_SHA256:?set MODEL_SHA256 to the expected SHA-256 of the model file}"
expected=$(printf '%s' "$MODEL_SHA256" | tr '[:upper:]' '[:lower:]')

mkdir -p artifacts
download=$(mktemp artifacts/.model.XXXXXX)
trap 'rm -f "$download"' EXIT

# Only https (and file for local copies): a model fetched over plain http could be swapped.
curl --fail --silent --show-error --location --proto '=https,file' --proto-redir '=https' \
  --output "$download" "$MODEL_URL"

actual=$("$PYTHON" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$download")
if [ "$actual" != "$expected" ]; then
  echo "error: SHA-256 of the downloaded model is $actual, expected $expected; not installed" >&2
  exit 1
fi

mv "$download" artifacts/model.onnx
printf '%s  model.onnx\n' "$expected" > artifacts/model.onnx.sha256
echo "model verified and saved to artifacts/model.onnx"
