variable "project" {
  description = "Project name; starts every bucket name, so it must be globally unique in S3."
  type        = string
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$", var.project))
    error_message = "project must be 3-32 lower-case letters, digits or hyphens."
  }
}

variable "env" {
  type = string
  validation {
    condition     = contains(["dev", "prod"], var.env)
    error_message = "env must be dev or prod."
  }
}

variable "region" {
  type = string
}

variable "availability_zones" {
  description = "Three availability zones of the region (Redshift Serverless needs three)."
  type        = list(string)
}

variable "vpc_cidr" {
  type = string
}

variable "glue_number_of_workers" {
  type = number
}

variable "redshift_base_capacity_rpus" {
  type = number
}

variable "redshift_daily_rpu_seconds_threshold" {
  type = number
}

variable "alert_emails" {
  type    = list(string)
  default = []
}

variable "dagster_trusted_services" {
  description = "Service principals that may assume the Dagster runtime role."
  type        = list(string)
  default     = ["ecs-tasks.amazonaws.com"]
}
