variable "name_prefix" {
  description = "`<project>-<env>`, prefixed to resource names."
  type        = string
}

variable "vpc_id" {
  type = string
}

variable "vpc_cidr" {
  description = "Default source of the webserver's port: clients inside the VPC (VPN, bastion)."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the tasks and the database (no internet route)."
  type        = list(string)
}

variable "dagster_security_group_id" {
  description = "The network module's Dagster group: egress to S3, the endpoints, Redshift, Postgres."
  type        = string
}

variable "kms_key_arn" {
  description = "Data key: the database, its secret, the ECR repository and the Redshift secret."
  type        = string
}

variable "task_role_arn" {
  description = "Role the Dagster code runs as (iam module): S3, Glue, catalog, compute logs."
  type        = string
}

variable "platform_settings" {
  description = "The ECOM_* / AWS_* settings (lower-case names), the same map as the stack outputs."
  type        = map(string)
}

variable "start_date" {
  description = "ECOM_START_DATE: the first daily partition."
  type        = string
}

variable "compute_logs_bucket" {
  description = "Bucket of the S3ComputeLogManager (deploy/dagster.prod.yaml)."
  type        = string
}

variable "compute_logs_prefix" {
  description = "Key prefix of the compute logs in that bucket (the task role may write only there)."
  type        = string
}

variable "image_tag" {
  description = "Tag of the image in the ECR repository the services run (tags are immutable)."
  type        = string
  default     = "0.1.0"
}

variable "webserver_cpu" {
  type    = number
  default = 1024
}

variable "webserver_memory" {
  type    = number
  default = 2048
}

variable "daemon_cpu" {
  description = "Runs are subprocesses of the daemon task (DefaultRunLauncher): size it for them."
  type        = number
  default     = 2048
}

variable "daemon_memory" {
  type    = number
  default = 8192
}

variable "webserver_ingress_cidrs" {
  description = "Networks that may open the UI on port 3000; null means the VPC only."
  type        = list(string)
  default     = null
}

variable "db_instance_class" {
  type    = string
  default = "db.t4g.medium"
}

variable "db_multi_az" {
  description = "Standby in a second zone: production should say true."
  type        = bool
  default     = true
}

variable "db_deletion_protection" {
  type    = bool
  default = true
}

variable "log_retention_days" {
  type    = number
  default = 365
}
