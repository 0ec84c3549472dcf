#!/usr/bin/env bash
# Deploys the API image to this project's cloud and prints the service's base URL.
#
#   IMAGE=<registry>/<repository>:<tag> scripts/deploy/deploy-api.sh
#
# The image must already be in a registry the service can pull from (ECR, Artifact Registry or
# ACR; CI pushes it there right before calling this). The cloud CLI must be logged in: in CI the
# OIDC login step does that; on a laptop the `deploy-api` task runs this script inside the cloud
# provider's CLI image with your own login mounted. Each cloud script checks its variables first.
#
# stdout carries one line, the URL (https://...), so callers can capture it; progress goes to
# stderr. SERVICE_NAME defaults to the project name from pyproject.toml.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project_root="$(cd "$here/../.." && pwd)"

die() {
  echo "deploy-api: $*" >&2
  exit 1
}

[ -n "${IMAGE:-}" ] || die "IMAGE is not set: give the full image reference to deploy, e.g. IMAGE=<registry>/<repository>:<git sha>"

if [ -z "${SERVICE_NAME:-}" ]; then
  # Plain bash, no sed/python: the cloud CLI images differ in what else they ship.
  name_pattern='^name = "([a-z0-9-]+)"$'
  while IFS= read -r line; do
    if [[ $line =~ $name_pattern ]]; then
      SERVICE_NAME="${BASH_REMATCH[1]}"
      break
    fi
  done <"$project_root/pyproject.toml"
fi
[ -n "${SERVICE_NAME:-}" ] || die "SERVICE_NAME is not set and no project name was found in pyproject.toml"
export IMAGE SERVICE_NAME

# The generator writes exactly one of aws.sh, gcp.sh, azure.sh: the cloud chosen for the project.
clouds=()
for cloud in aws gcp azure; do
  if [ -f "$here/$cloud.sh" ]; then clouds+=("$cloud"); fi
done
[ "${#clouds[@]}" -eq 1 ] || die "expected exactly one of aws.sh, gcp.sh, azure.sh in $here, found: ${clouds[*]:-none}"

echo "deploy-api: deploying $IMAGE as service '$SERVICE_NAME' on ${clouds[0]}" >&2
exec bash "$here/${clouds[0]}.sh"
