variable "name_prefix" {
  description = "`<project>-<env>`, prefixed to resource names."
  type        = string
}

variable "job_name" {
  description = "Name of the silver Glue job (ECOM_GLUE_JOB_NAME)."
  type        = string
}

variable "job_role_arn" {
  type = string
}

variable "artifacts_bucket" {
  description = "Bucket that `make glue-artifacts` uploads the entry script and the wheel to."
  type        = string
}

variable "lake_bucket" {
  type = string
}

variable "data_kms_key_arn" {
  description = "Key the job encrypts its S3 output and bookmarks with."
  type        = string
}

variable "catalog_database" {
  description = "Glue Data Catalog database of the silver tables (ECOM_GLUE_CATALOG_DATABASE)."
  type        = string
}

variable "ecom_platform_version" {
  description = "Version of the ecom_platform wheel the job installs: pyproject.toml's version (tests/infra checks)."
  type        = string
  default     = "0.1.0"
}

variable "dagster_pipes_version" {
  description = "dagster-pipes release installed in the job: within pyproject.toml's dagster-pipes range (tests/infra checks)."
  type        = string
  default     = "1.13.27"
}

variable "worker_type" {
  type    = string
  default = "G.1X"
}

variable "number_of_workers" {
  type    = number
  default = 2
}

variable "timeout_minutes" {
  type    = number
  default = 60
}

variable "max_concurrent_runs" {
  description = "Concurrent runs allowed: Dagster may process different partition ranges at once."
  type        = number
  default     = 4
}
