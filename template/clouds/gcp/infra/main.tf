# What the deploy jobs in .github/workflows/ci.yml need on Google Cloud. The deploy account may do
# exactly what their push step and scripts/deploy/gcp.sh do, on these resources only.

terraform {
  required_version = ">= 1.6.0"
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 7.0"
    }
  }
  # State is local (git-ignored). To share it (CI's plan and apply need that), uncomment, fill in
  # and run `terraform init -migrate-state`.
  # backend "gcs" {
  #   bucket = "<state bucket>"
  #   prefix = "<project>"
  # }
}

variable "project_id" {
  description = "Google Cloud project that holds the registry and the services."
  type        = string
}

variable "region" {
  description = "Region of the Artifact Registry repository and the Cloud Run services."
  type        = string
  default     = "europe-west1"
}

provider "google" {
  project = var.project_id
  region  = var.region
}

data "google_project" "this" {}

resource "google_project_service" "api" {
  for_each           = toset(["artifactregistry", "iam", "iamcredentials", "run", "sts"])
  service            = "${each.key}.googleapis.com"
  disable_on_destroy = false
}

resource "google_iam_workload_identity_pool" "github" {
  workload_identity_pool_id = trimsuffix(substr(var.service_name, 0, 32), "-")
  display_name              = "GitHub Actions"
  depends_on                = [google_project_service.api]
}

resource "google_iam_workload_identity_pool_provider" "github" {
  #checkov:skip=CKV_GCP_125:the condition pins the repository claim; each subject (environment) is bound on the service account below; checkov only reads assertion.sub conditions
  workload_identity_pool_id          = google_iam_workload_identity_pool.github.workload_identity_pool_id
  workload_identity_pool_provider_id = "github"
  attribute_mapping = {
    "google.subject"       = "assertion.sub"
    "attribute.repository" = "assertion.repository"
  }
  # Tokens from any other repository are refused at the door.
  attribute_condition = "assertion.repository == '${var.github_repository}'"
  oidc {
    issuer_uri = local.github_issuer
  }
}

resource "google_service_account" "deploy" {
  account_id   = "${substr(var.service_name, 0, 23)}-deploy"
  display_name = "GitHub Actions deploys of ${var.service_name}"
}

# Only jobs of this repository running in its staging or production environment.
resource "google_service_account_iam_member" "deploy_federation" {
  for_each           = toset(["staging", "production"])
  service_account_id = google_service_account.deploy.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principal://iam.googleapis.com/${google_iam_workload_identity_pool.github.name}/subject/repo:${var.github_repository}:environment:${each.key}"
}

# The services run as an account with no roles at all.
resource "google_service_account" "runtime" {
  account_id   = "${substr(var.service_name, 0, 26)}-run"
  display_name = "Cloud Run services of ${var.service_name}"
}

resource "google_service_account_iam_member" "deploy_acts_as_runtime" {
  service_account_id = google_service_account.runtime.name
  role               = "roles/iam.serviceAccountUser"
  member             = google_service_account.deploy.member
}

resource "google_artifact_registry_repository" "images" {
  #checkov:skip=CKV_GCP_84:Google-managed encryption; a customer key adds a KMS key ring to own for images CI also publishes to GHCR
  repository_id = var.service_name
  location      = var.region
  format        = "DOCKER"
  docker_config {
    immutable_tags = true # one tag per commit, never moved
  }
  depends_on = [google_project_service.api]
}

resource "google_artifact_registry_repository_iam_member" "deploy_push" {
  repository = google_artifact_registry_repository.images.name
  location   = var.region
  role       = "roles/artifactregistry.writer"
  member     = google_service_account.deploy.member
}

# Cloud Run pulls images as its service agent: read access to this repository.
resource "google_artifact_registry_repository_iam_member" "run_pull" {
  repository = google_artifact_registry_repository.images.name
  location   = var.region
  role       = "roles/artifactregistry.reader"
  member     = "serviceAccount:service-${data.google_project.this.number}@serverless-robot-prod.iam.gserviceaccount.com"
  depends_on = [google_project_service.api]
}

# Each service starts on Google's public hello image, answering every path (/health too) on $PORT;
# the deploys own the image from then on.
resource "google_cloud_run_v2_service" "api" {
  for_each = local.services
  name     = each.value
  location = var.region
  ingress  = "INGRESS_TRAFFIC_ALL"
  template {
    service_account = google_service_account.runtime.email
    containers {
      image = "us-docker.pkg.dev/cloudrun/container/hello"
      ports {
        container_port = 8000
      }
      startup_probe {
        http_get {
          path = "/health"
        }
      }
      liveness_probe {
        http_get {
          path = "/health"
        }
      }
    }
  }
  lifecycle {
    ignore_changes = [client, client_version, template[0].containers[0].image]
  }
  depends_on = [google_project_service.api]
}

# The API is public, as `gcloud run deploy --allow-unauthenticated` makes it.
resource "google_cloud_run_v2_service_iam_member" "public" {
  for_each = google_cloud_run_v2_service.api
  name     = each.value.name
  location = var.region
  role     = "roles/run.invoker"
  member   = "allUsers"
}

# Deploying a new revision of these two services, nothing else in the project.
resource "google_cloud_run_v2_service_iam_member" "deploy" {
  for_each = google_cloud_run_v2_service.api
  name     = each.value.name
  location = var.region
  role     = "roles/run.developer"
  member   = google_service_account.deploy.member
}
