variable "name_prefix" {
  description = "`<project>-<env>`, prefixed to resource names."
  type        = string
}

variable "database_name" {
  description = "Database dbt builds gold in (ECOM_REDSHIFT_DATABASE)."
  type        = string
  default     = "ecom"
}

variable "admin_username" {
  description = "Admin user; Redshift keeps its generated password in Secrets Manager."
  type        = string
  default     = "ecom_admin"
}

variable "base_capacity_rpus" {
  description = "Base Redshift Processing Units of the workgroup (8 is the minimum)."
  type        = number
  default     = 8
}

variable "kms_key_arn" {
  description = "Key of the namespace data and the admin secret."
  type        = string
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  description = "Private subnets of the workgroup, in three availability zones."
  type        = list(string)
}

variable "client_security_group_id" {
  description = "Security group of the Dagster runtime, the only SQL client."
  type        = string
}

variable "endpoints_security_group_id" {
  description = "Security group of the interface endpoints (Glue Data Catalog for Spectrum)."
  type        = string
}

variable "s3_prefix_list_id" {
  description = "S3 managed prefix list: Spectrum reads the lake through the gateway endpoint."
  type        = string
}

variable "lake_bucket_arn" {
  type = string
}

variable "glue_catalog_database" {
  description = "Catalog database of the silver tables that Spectrum maps to an external schema."
  type        = string
}
