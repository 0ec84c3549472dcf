#!/usr/bin/env bash
# Azure Container Apps: creates or updates the app SERVICE_NAME from IMAGE (an ACR image), waits
# for the revision and prints https://<fqdn>. Called by deploy-api.sh.
#
# Variables: AZURE_RESOURCE_GROUP, AZURE_CONTAINERAPPS_ENVIRONMENT (an existing Container Apps
# environment), AZURE_ACR_PULL_IDENTITY (resource ID of a user-assigned managed identity with the
# AcrPull role on the registry; the app pulls with it, so no registry password exists anywhere).
# Credentials come from az (CI: federated OIDC login; laptop: your az login).
set -euo pipefail

# shellcheck source=scripts/lib/deploy-checks.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/deploy-checks.sh"
require_vars azure IMAGE SERVICE_NAME AZURE_RESOURCE_GROUP AZURE_CONTAINERAPPS_ENVIRONMENT AZURE_ACR_PULL_IDENTITY
require_name_length azure "Container Apps" 2 32

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
