terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
  backend "s3" {
    bucket = "acme-terraform-state"
    key    = "stage/terraform.tfstate"
    region = "eu-west-1"
  }
}

provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { Environment = "stage", ManagedBy = "terraform" }
  }
}

module "payments_api" {
  source      = "../../modules/payments-api"
  environment = "stage"
}

module "identity" {
  source      = "../../modules/identity"
  environment = "stage"
}
