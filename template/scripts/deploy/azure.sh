#!/usr/bin/env bash
# Azure Container Apps: creates or updates the app SERVICE_NAME from IMAGE (an ACR image), waits
# for the revision and prints https://<fqdn>. Called by deploy-api.sh.
#
# Variables: AZURE_RESOURCE_GROUP, AZURE_CONTAINERAPPS_ENVIRONMENT (an existing Container Apps
# environment), AZURE_ACR_PULL_IDENTITY (resource ID of a user-assigned managed identity with the
# AcrPull role on the registry; the app pulls with it, so no registry password exists anywhere).
# Credentials come from az (CI: federated OIDC login; laptop: your az login).
set -euo pipefail

missing=()
for var in IMAGE SERVICE_NAME AZURE_RESOURCE_GROUP AZURE_CONTAINERAPPS_ENVIRONMENT AZURE_ACR_PULL_IDENTITY; do
  if [ -z "${!var:-}" ]; then missing+=("$var"); fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "deploy-api (azure): missing variable(s): ${missing[*]}" >&2
  exit 1
fi
# Container Apps refuses longer (or shorter) names; say so before calling the cloud. A long project
# name needs its own SERVICE_NAME (in CI: a repository or environment variable of that name).
if [ "${#SERVICE_NAME}" -lt 2 ] || [ "${#SERVICE_NAME}" -gt 32 ]; then
  echo "deploy-api (azure): SERVICE_NAME '$SERVICE_NAME' has ${#SERVICE_NAME} characters; Container Apps allows 2 to 32: set SERVICE_NAME" >&2
  exit 1
fi

registry="${IMAGE%%/*}"
app=(--name "$SERVICE_NAME" --resource-group "$AZURE_RESOURCE_GROUP")

if az containerapp show "${app[@]}" --output none 2>/dev/null; then
  echo "deploy-api (azure): updating Container App $SERVICE_NAME" >&2
  az containerapp update "${app[@]}" --image "$IMAGE" --output none --only-show-errors
else
  echo "deploy-api (azure): creating Container App $SERVICE_NAME" >&2
  # External ingress on the prod image's port 8000, so the post-deployment test can reach it.
  az containerapp create "${app[@]}" \
    --environment "$AZURE_CONTAINERAPPS_ENVIRONMENT" \
    --image "$IMAGE" \
    --target-port 8000 \
    --ingress external \
    --user-assigned "$AZURE_ACR_PULL_IDENTITY" \
    --registry-server "$registry" \
    --registry-identity "$AZURE_ACR_PULL_IDENTITY" \
    --min-replicas 0 \
    --max-replicas 2 \
    --output none --only-show-errors
fi

fqdn=$(az containerapp show "${app[@]}" --query properties.configuration.ingress.fqdn --output tsv)
echo "https://$fqdn"
