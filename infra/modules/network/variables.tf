variable "name_prefix" {
  description = "`<project>-<env>`, prefixed to every resource name."
  type        = string
}

variable "region" {
  description = "AWS region; names the VPC endpoint services."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC."
  type        = string
  default     = "10.40.0.0/16"
}

variable "availability_zones" {
  description = "Availability zones of the private subnets; Redshift Serverless needs three."
  type        = list(string)
}

variable "flow_logs_bucket_arn" {
  description = "ARN of the logs bucket that receives the VPC flow logs."
  type        = string
}
