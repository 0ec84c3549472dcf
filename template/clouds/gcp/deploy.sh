#!/usr/bin/env bash
# Google Cloud Run: deploys IMAGE (an Artifact Registry image) as the service SERVICE_NAME, waits
# until the new revision serves traffic and prints its https URL. Called by deploy-api.sh.
#
# Variables: GCP_PROJECT_ID, GCP_REGION; optional GCP_RUN_SERVICE_ACCOUNT, the identity the
# service runs as (default: the project's compute service account, which has broad rights, so
# set a dedicated one without roles for a real service).
# Credentials come from gcloud (CI: Workload Identity Federation; laptop: your gcloud login).
set -euo pipefail

# shellcheck source=scripts/lib/deploy-checks.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/deploy-checks.sh"
require_vars gcp IMAGE SERVICE_NAME GCP_PROJECT_ID GCP_REGION
require_name_length gcp "Cloud Run" 1 49

where=(--project "$GCP_PROJECT_ID" --region "$GCP_REGION")
runtime_identity=()
if [ -n "${GCP_RUN_SERVICE_ACCOUNT:-}" ]; then
  runtime_identity=(--service-account "$GCP_RUN_SERVICE_ACCOUNT")
fi

# Port 8000 is the prod image's port. The API is public (--allow-unauthenticated) so the
# post-deployment test and your clients can call it; drop the flag to require IAM-signed calls.
# `gcloud run deploy` waits for the revision to become ready and fails if it does not.
gcloud run deploy "$SERVICE_NAME" "${where[@]}" \
  --image "$IMAGE" \
  --port 8000 \
  --allow-unauthenticated \
  "${runtime_identity[@]}" \
  --quiet >&2

gcloud run services describe "$SERVICE_NAME" "${where[@]}" --format 'value(status.url)'
