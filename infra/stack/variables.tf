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

variable "ecom_start_date" {
  description = "ECOM_START_DATE of the Dagster tasks: the first daily partition."
  type        = string
  default     = "2024-01-01"
  validation {
    condition     = can(regex("^\\d{4}-\\d{2}-\\d{2}$", var.ecom_start_date))
    error_message = "ecom_start_date must be YYYY-MM-DD."
  }
}

variable "dagster_image_tag" {
  description = "Tag of the Dagster image in ECR that the services run (docs/deploy.md pushes it)."
  type        = string
  default     = "0.1.0"
}

variable "dagster_db_multi_az" {
  description = "A standby of Dagster's Postgres in a second zone."
  type        = bool
  default     = true
}
