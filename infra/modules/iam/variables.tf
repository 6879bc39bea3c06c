variable "name_prefix" {
  description = "`<project>-<env>`, prefixed to every role name."
  type        = string
}

variable "landing_bucket_arn" {
  type = string
}

variable "lake_bucket_arn" {
  type = string
}

variable "artifacts_bucket_arn" {
  type = string
}

variable "data_kms_key_arn" {
  description = "Key of the data buckets (and the Redshift admin secret)."
  type        = string
}

variable "glue_logs_kms_key_arn" {
  description = "Key the Glue security configuration encrypts CloudWatch logs with."
  type        = string
}

variable "glue_job_name" {
  type = string
}

variable "glue_catalog_database" {
  type = string
}

variable "glue_published_tables" {
  description = "Catalog tables whose partitions a silver publish moves to its new version (one per entity, and quarantine: lib/lake.py VERSIONED_LAYERS)."
  type        = list(string)
}

variable "redshift_workgroup_arn" {
  description = "Redshift Serverless workgroup dbt signs in to with IAM (GetCredentials)."
  type        = string
}

variable "dagster_trusted_services" {
  description = "Service principals that may assume the Dagster runtime role (where Dagster runs)."
  type        = list(string)
  default     = ["ecs-tasks.amazonaws.com"]
}

variable "compute_logs_prefix" {
  description = "Key prefix in the artifacts bucket where Dagster's compute logs go."
  type        = string
}
