terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }

  # The key is fixed per environment, so dev and prod can never share a state. The bucket and
  # region are given at init (`-backend-config`, docs/deploy.md): nothing account-specific here.
  backend "s3" {
    key = "ecom-platform/prod.tfstate"
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      project    = var.project
      env        = "prod"
      managed_by = "terraform"
    }
  }
}
