# What the deploy jobs in .github/workflows/ci.yml need on AWS. The deploy role may do exactly what
# their push step and scripts/deploy/aws.sh do, on these resources only.

terraform {
  required_version = ">= 1.6.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
  # State is local (git-ignored). To share it (CI's plan and apply need that), uncomment, fill in
  # and run `terraform init -migrate-state`.
  # backend "s3" {
  #   bucket       = "<state bucket>"
  #   key          = "<project>/terraform.tfstate"
  #   region       = "<bucket region>"
  #   use_lockfile = true
  # }
}

variable "region" {
  description = "AWS region of the ECR repository and the App Runner services."
  type        = string
  default     = "eu-west-1"
}

variable "github_oidc_provider_arn" {
  description = "ARN of the account's existing IAM OIDC provider for GitHub (an account has one at most); empty creates it."
  type        = string
  default     = ""
}

provider "aws" {
  region = var.region
}

resource "aws_iam_openid_connect_provider" "github" {
  count          = var.github_oidc_provider_arn == "" ? 1 : 0
  url            = local.github_issuer
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_policy_document" "deploy_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.github_oidc_provider_arn == "" ? aws_iam_openid_connect_provider.github[0].arn : var.github_oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    # Only jobs of this repository running in its staging or production environment.
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values = [
        "repo:${var.github_repository}:environment:staging",
        "repo:${var.github_repository}:environment:production",
      ]
    }
  }
}

resource "aws_iam_role" "deploy" {
  name               = "${var.service_name}-github-deploy"
  assume_role_policy = data.aws_iam_policy_document.deploy_trust.json
}

data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "RegistryLogin"
    actions   = ["ecr:GetAuthorizationToken"] # has no resource-level form
    resources = ["*"]
  }
  statement {
    sid       = "PushImage"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"]
    resources = [aws_ecr_repository.api.arn]
  }
  statement {
    sid       = "FindService"
    actions   = ["apprunner:ListServices"] # has no resource-level form
    resources = ["*"]
  }
  statement {
    sid       = "UpdateService"
    actions   = ["apprunner:DescribeService", "apprunner:ListOperations", "apprunner:UpdateService"]
    resources = [for service in aws_apprunner_service.api : service.arn]
  }
  statement {
    sid       = "HandOverPullRole"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.pull.arn]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["apprunner.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "deploy" {
  name   = "deploy"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}

resource "aws_ecr_repository" "api" {
  name                 = var.service_name
  image_tag_mutability = "IMMUTABLE" # one tag per commit, never moved
  image_scanning_configuration {
    scan_on_push = true
  }
  encryption_configuration {
    encryption_type = "KMS"
  }
}

# The role App Runner pulls the image with: read access to this repository only.
data "aws_iam_policy_document" "pull_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["build.apprunner.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "pull" {
  name               = "${var.service_name}-apprunner-ecr"
  assume_role_policy = data.aws_iam_policy_document.pull_trust.json
}

data "aws_iam_policy_document" "pull" {
  statement {
    actions   = ["ecr:GetAuthorizationToken"] # has no resource-level form
    resources = ["*"]
  }
  statement {
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:DescribeImages", "ecr:GetDownloadUrlForLayer"]
    resources = [aws_ecr_repository.api.arn]
  }
}

resource "aws_iam_role_policy" "pull" {
  name   = "pull"
  role   = aws_iam_role.pull.id
  policy = data.aws_iam_policy_document.pull.json
}

# ECR is empty until the first deploy, so each service starts on a public placeholder answering
# 200 on every path (/health too); the deploys own the image from then on.
resource "aws_apprunner_service" "api" {
  for_each     = local.services
  service_name = each.value
  source_configuration {
    auto_deployments_enabled = false
    image_repository {
      image_identifier      = "public.ecr.aws/docker/library/caddy:2.10"
      image_repository_type = "ECR_PUBLIC"
      image_configuration {
        port          = "8000"
        start_command = "caddy respond --listen :8000"
      }
    }
  }
  # The API's health check, as scripts/deploy/aws.sh sets it.
  health_check_configuration {
    protocol            = "HTTP"
    path                = "/health"
    interval            = 10
    timeout             = 5
    healthy_threshold   = 1
    unhealthy_threshold = 3
  }
  lifecycle {
    ignore_changes = [source_configuration]
  }
}
