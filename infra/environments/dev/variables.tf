# Values from terraform.tfvars, passed to the stack unchanged (infra/stack/variables.tf
# describes and validates each).

variable "project" {
  type = string
}

variable "region" {
  type = string
}

variable "availability_zones" {
  type = list(string)
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

variable "ecom_start_date" {
  type = string
}

variable "dagster_image_tag" {
  type = string
}

variable "dagster_db_multi_az" {
  type = bool
}
