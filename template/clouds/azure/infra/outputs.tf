# Exactly the repository variables the deploy jobs read, under the same names:
# scripts/configure-github.sh sets them from `terraform output -json`.
output "AZURE_CLIENT_ID" {
  value = azurerm_user_assigned_identity.deploy.client_id
}

output "AZURE_TENANT_ID" {
  value = data.azurerm_client_config.current.tenant_id
}

output "AZURE_SUBSCRIPTION_ID" {
  value = var.subscription_id
}

output "AZURE_ACR_NAME" {
  value = azurerm_container_registry.this.name
}

output "AZURE_RESOURCE_GROUP" {
  value = azurerm_resource_group.this.name
}

output "AZURE_CONTAINERAPPS_ENVIRONMENT" {
  value = azurerm_container_app_environment.this.name
}

output "AZURE_ACR_PULL_IDENTITY" {
  value = azurerm_user_assigned_identity.pull.id
}
