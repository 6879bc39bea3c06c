variable "name_prefix" {
  description = "Prefix of every bucket name: `<project>-<env>`; bucket names are global, so make the project unique."
  type        = string
}

variable "landing_ia_after_days" {
  description = "Days before raw landing files move to Standard-IA (re-read only when a partition is reprocessed)."
  type        = number
  default     = 30
}

variable "landing_archive_after_days" {
  description = "Days before raw landing files move to Glacier Instant Retrieval (still readable for a backfill)."
  type        = number
  default     = 90
}

variable "bronze_ia_after_days" {
  description = "Days before bronze lake files move to Standard-IA."
  type        = number
  default     = 90
}

variable "noncurrent_version_days" {
  description = "Days an overwritten or deleted object version is kept before it expires."
  type        = number
  default     = 30
}

variable "log_retention_days" {
  description = "Days access and flow logs are kept."
  type        = number
  default     = 365
}

variable "compute_logs_days" {
  description = "Days Dagster's compute logs (step stdout/stderr) are kept."
  type        = number
  default     = 90
}
