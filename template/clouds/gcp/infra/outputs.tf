# Exactly the repository variables the deploy jobs read, under the same names:
# scripts/configure-github.sh sets them from `terraform output -json`.
output "GCP_PROJECT_ID" {
  value = var.project_id
}

output "GCP_REGION" {
  value = var.region
}

output "GCP_WORKLOAD_IDENTITY_PROVIDER" {
  value = google_iam_workload_identity_pool_provider.github.name
}

output "GCP_SERVICE_ACCOUNT" {
  value = google_service_account.deploy.email
}

output "GCP_ARTIFACT_REPOSITORY" {
  value = google_artifact_registry_repository.images.repository_id
}

output "GCP_RUN_SERVICE_ACCOUNT" {
  value = google_service_account.runtime.email
}
