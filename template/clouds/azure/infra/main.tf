# What the deploy jobs in .github/workflows/ci.yml need on Azure. The deploy identity may do exactly
# what their push step and scripts/deploy/azure.sh do, on these resources only.

terraform {
  required_version = ">= 1.6.0"
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
  # State is local (git-ignored). To share it (CI's plan and apply need that), uncomment, fill in
  # and run `terraform init -migrate-state`.
  # backend "azurerm" {
  #   resource_group_name  = "<state resource group>"
  #   storage_account_name = "<state storage account>"
  #   container_name       = "tfstate"
  #   key                  = "<project>.tfstate"
  #   use_azuread_auth     = true
  # }
}

variable "subscription_id" {
  description = "Azure subscription that holds the resources (az account show --query id -o tsv)."
  type        = string
}

variable "location" {
  description = "Azure region of every resource."
  type        = string
  default     = "westeurope"
}

provider "azurerm" {
  features {}
  subscription_id = var.subscription_id
}

data "azurerm_client_config" "current" {}

resource "azurerm_resource_group" "this" {
  name     = "${var.service_name}-rg"
  location = var.location
}

resource "azurerm_container_registry" "this" {
  #checkov:skip=CKV_AZURE_139:GitHub-hosted runners push over the internet; only Entra ID tokens are accepted (no admin user)
  #checkov:skip=CKV_AZURE_163:image scanning is Defender for Containers, a subscription-wide plan; CI scans every image with Trivy
  # Premium-only features, left off to keep the starter registry on Basic (sku = "Premium" enables them):
  #checkov:skip=CKV_AZURE_164:content trust is a Premium feature; images are pinned by commit-SHA tag
  #checkov:skip=CKV_AZURE_165:geo-replication is a Premium feature; the apps run in one region
  #checkov:skip=CKV_AZURE_166:quarantine is a Premium feature; CI scans before it pushes
  #checkov:skip=CKV_AZURE_167:retention of untagged manifests is a Premium feature; every push is tagged
  #checkov:skip=CKV_AZURE_233:zone redundancy is a Premium feature
  #checkov:skip=CKV_AZURE_237:dedicated data endpoints are a Premium feature
  name                = substr(replace(var.service_name, "-", ""), 0, 50)
  resource_group_name = azurerm_resource_group.this.name
  location            = var.location
  sku                 = "Basic"
  admin_enabled       = false
}

# The apps pull with this identity (AcrPull on the registry), so no registry password exists.
resource "azurerm_user_assigned_identity" "pull" {
  name                = "${var.service_name}-pull"
  resource_group_name = azurerm_resource_group.this.name
  location            = var.location
}

resource "azurerm_role_assignment" "pull" {
  scope                = azurerm_container_registry.this.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.pull.principal_id
}

resource "azurerm_user_assigned_identity" "deploy" {
  name                = "${var.service_name}-github-deploy"
  resource_group_name = azurerm_resource_group.this.name
  location            = var.location
}

# Only jobs of this repository running in its staging or production environment.
resource "azurerm_federated_identity_credential" "deploy" {
  for_each            = toset(["staging", "production"])
  name                = "github-${each.key}"
  resource_group_name = azurerm_resource_group.this.name
  parent_id           = azurerm_user_assigned_identity.deploy.id
  issuer              = local.github_issuer
  audience            = ["api://AzureADTokenExchange"]
  subject             = "repo:${var.github_repository}:environment:${each.key}"
}

resource "azurerm_role_assignment" "deploy_push" {
  scope                = azurerm_container_registry.this.id
  role_definition_name = "AcrPush"
  principal_id         = azurerm_user_assigned_identity.deploy.principal_id
}

# What `az containerapp show/update` call, in this resource group only.
resource "azurerm_role_definition" "deploy" {
  name  = "${var.service_name} Container Apps deployer"
  scope = azurerm_resource_group.this.id
  permissions {
    actions = [
      "Microsoft.App/containerApps/read",
      "Microsoft.App/containerApps/write",
      "Microsoft.App/containerApps/listSecrets/action",
      "Microsoft.App/containerApps/revisions/read",
      "Microsoft.App/managedEnvironments/read",
      "Microsoft.App/managedEnvironments/join/action",
      "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action",
    ]
  }
  assignable_scopes = [azurerm_resource_group.this.id]
}

resource "azurerm_role_assignment" "deploy_apps" {
  scope              = azurerm_resource_group.this.id
  role_definition_id = azurerm_role_definition.deploy.role_definition_resource_id
  principal_id       = azurerm_user_assigned_identity.deploy.principal_id
}

resource "azurerm_container_app_environment" "this" {
  name                = "${var.service_name}-env"
  resource_group_name = azurerm_resource_group.this.name
  location            = var.location
}

# Each app starts on Google's public hello image, answering every path (/health too) on $PORT;
# the deploys own the image from then on.
resource "azurerm_container_app" "api" {
  for_each                     = local.services
  name                         = each.value
  container_app_environment_id = azurerm_container_app_environment.this.id
  resource_group_name          = azurerm_resource_group.this.name
  revision_mode                = "Single"
  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.pull.id]
  }
  registry {
    server   = azurerm_container_registry.this.login_server
    identity = azurerm_user_assigned_identity.pull.id
  }
  ingress {
    external_enabled = true
    target_port      = 8000
    traffic_weight {
      latest_revision = true
      percentage      = 100
    }
  }
  template {
    min_replicas = 0
    max_replicas = 2
    container {
      name   = "api"
      image  = "us-docker.pkg.dev/cloudrun/container/hello"
      cpu    = 0.5
      memory = "1Gi"
      env {
        name  = "PORT"
        value = "8000"
      }
      liveness_probe {
        transport = "HTTP"
        port      = 8000
        path      = "/health"
      }
      readiness_probe {
        transport = "HTTP"
        port      = 8000
        path      = "/health"
      }
    }
  }
  lifecycle {
    ignore_changes = [template[0].container[0].image]
  }
  depends_on = [azurerm_role_assignment.pull]
}
