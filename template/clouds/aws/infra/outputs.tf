# Exactly the repository variables the deploy jobs read, under the same names:
# scripts/configure-github.sh sets them from `terraform output -json`.
output "AWS_REGION" {
  value = var.region
}

output "AWS_ROLE_ARN" {
  value = aws_iam_role.deploy.arn
}

output "AWS_ECR_REPOSITORY" {
  value = aws_ecr_repository.api.name
}

output "AWS_APPRUNNER_ACCESS_ROLE_ARN" {
  value = aws_iam_role.pull.arn
}
