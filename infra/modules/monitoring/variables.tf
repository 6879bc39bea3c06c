variable "name_prefix" {
  description = "`<project>-<env>`, prefixed to resource names."
  type        = string
}

variable "glue_job_name" {
  type = string
}

variable "redshift_workgroup_name" {
  type = string
}

variable "redshift_daily_rpu_seconds_threshold" {
  description = "Alarm when the workgroup uses more RPU-seconds in a day (8 RPUs x 4 h = 115200)."
  type        = number
  default     = 115200
}

variable "alert_emails" {
  description = "Addresses subscribed to the alerts topic (each confirms by mail)."
  type        = list(string)
  default     = []
}
