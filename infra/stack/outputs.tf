# Each `ecom_*` / `aws_*` output is the value of the environment variable of the same name in
# upper case (ECOM_LANDING_URI, ...), read by ecom_platform.settings for ECOM_TARGET=aws.

output "ecom_landing_uri" {
  value = "s3://${module.storage.landing_bucket}"
}

output "ecom_lake_uri" {
  value = "s3://${module.storage.lake_bucket}"
}

output "ecom_artifacts_uri" {
  description = "Where `make glue-artifacts` uploads the Glue entry script and wheel."
  value       = "s3://${module.storage.artifacts_bucket}"
}

output "aws_region" {
  value = var.region
}

output "ecom_glue_job_name" {
  value = module.glue.job_name
}

output "ecom_glue_catalog_database" {
  value = module.glue.catalog_database
}

output "ecom_redshift_host" {
  value = module.redshift.host
}

output "ecom_redshift_port" {
  value = module.redshift.port
}

output "ecom_redshift_database" {
  value = module.redshift.database
}

output "ecom_redshift_user" {
  value = module.redshift.admin_username
}

output "ecom_redshift_spectrum_role_arn" {
  value = module.redshift.spectrum_role_arn
}

output "redshift_admin_secret_arn" {
  description = "Secret whose `password` is ECOM_REDSHIFT_PASSWORD (never a Terraform output)."
  value       = module.redshift.admin_secret_arn
}

output "dagster_role_arn" {
  description = "Role for the Dagster runtime's task or instance."
  value       = module.iam.dagster_role_arn
}

output "dagster_security_group_id" {
  value = module.network.dagster_security_group_id
}

output "private_subnet_ids" {
  value = module.network.private_subnet_ids
}

output "alerts_topic_arn" {
  value = module.monitoring.alerts_topic_arn
}
