#!/usr/bin/env bash
# AWS App Runner: creates or updates the service SERVICE_NAME from IMAGE (an ECR image), waits for
# the deployment to finish and prints https://<service url>. Called by deploy-api.sh.
#
# Variables: AWS_REGION, AWS_APPRUNNER_ACCESS_ROLE_ARN (the IAM role App Runner assumes to pull
# from ECR; it needs the AWSAppRunnerServicePolicyForECRAccess managed policy).
# Credentials come from the environment (CI: OIDC role session; laptop: your AWS profile).
set -euo pipefail

# shellcheck source=scripts/lib/deploy-checks.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/deploy-checks.sh"
require_vars aws IMAGE SERVICE_NAME AWS_REGION AWS_APPRUNNER_ACCESS_ROLE_ARN
require_name_length aws "App Runner" 4 40

export AWS_PAGER=""
region=(--region "$AWS_REGION")

# Port 8000 and /health are the prod image's contract (non-root, unprivileged port).
source_configuration=$(printf '{"ImageRepository":{"ImageIdentifier":"%s","ImageRepositoryType":"ECR","ImageConfiguration":{"Port":"8000"}},"AutoDeploymentsEnabled":false,"AuthenticationConfiguration":{"AccessRoleArn":"%s"}}' \
  "$IMAGE" "$AWS_APPRUNNER_ACCESS_ROLE_ARN")
health_check='{"Protocol":"HTTP","Path":"/health","Interval":10,"Timeout":5,"HealthyThreshold":1,"UnhealthyThreshold":3}'

service_arn=$(aws apprunner list-services "${region[@]}" \
  --query "ServiceSummaryList[?ServiceName=='${SERVICE_NAME}'].ServiceArn | [0]" --output text)

if [ -z "$service_arn" ] || [ "$service_arn" = "None" ]; then
  echo "deploy-api (aws): creating App Runner service $SERVICE_NAME" >&2
  read -r service_arn operation_id < <(aws apprunner create-service "${region[@]}" \
    --service-name "$SERVICE_NAME" \
    --source-configuration "$source_configuration" \
    --health-check-configuration "$health_check" \
    --query '[Service.ServiceArn, OperationId]' --output text)
else
  echo "deploy-api (aws): updating App Runner service $SERVICE_NAME" >&2
  operation_id=$(aws apprunner update-service "${region[@]}" \
    --service-arn "$service_arn" \
    --source-configuration "$source_configuration" \
    --health-check-configuration "$health_check" \
    --query OperationId --output text)
fi

# App Runner has no CLI waiter; poll the operation (up to 20 minutes).
status=""
for ((attempt = 1; attempt <= 120; attempt++)); do
  status=$(aws apprunner list-operations "${region[@]}" --service-arn "$service_arn" \
    --query "OperationSummaryList[?Id=='${operation_id}'].Status | [0]" --output text)
  case "$status" in
    SUCCEEDED) break ;;
    FAILED | ROLLBACK_SUCCEEDED | ROLLBACK_FAILED)
      echo "deploy-api (aws): deployment $operation_id ended with $status; see the service's event log in the App Runner console" >&2
      exit 1
      ;;
  esac
  sleep 10
done
if [ "$status" != "SUCCEEDED" ]; then
  echo "deploy-api (aws): deployment $operation_id still $status after 20 minutes" >&2
  exit 1
fi

url=$(aws apprunner describe-service "${region[@]}" --service-arn "$service_arn" --query Service.ServiceUrl --output text)
echo "https://$url"
