# Each `ecom_*` / `aws_*` output is the value of the environment variable of the same name in
# upper case (ECOM_LANDING_URI, ...), read by ecom_platform.settings for ECOM_TARGET=aws; each
# `dagster_pg_*` / `dagster_compute_logs_*` one feeds deploy/dagster.prod.yaml. The Dagster
# tasks get the same values set (modules/dagster).

output "ecom_landing_uri" {
  value = local.platform_settings.ecom_landing_uri
}

output "ecom_lake_uri" {
  value = local.platform_settings.ecom_lake_uri
}

output "ecom_artifacts_uri" {
  description = "Where `make glue-artifacts` uploads the Glue entry script and wheel."
  value       = "s3://${module.storage.artifacts_bucket}"
}

output "aws_region" {
  value = local.platform_settings.aws_region
}

output "ecom_glue_job_name" {
  value = local.platform_settings.ecom_glue_job_name
}

output "ecom_glue_catalog_database" {
  value = local.platform_settings.ecom_glue_catalog_database
}

output "ecom_redshift_host" {
  value = local.platform_settings.ecom_redshift_host
}

output "ecom_redshift_port" {
  value = local.platform_settings.ecom_redshift_port
}

output "ecom_redshift_database" {
  value = local.platform_settings.ecom_redshift_database
}

output "ecom_redshift_spectrum_role_arn" {
  value = local.platform_settings.ecom_redshift_spectrum_role_arn
}

output "redshift_admin_secret_arn" {
  description = "Redshift's admin secret: read only by `python -m ecom_platform.deploy redshift-access`."
  value       = module.redshift.admin_secret_arn
}

output "dagster_role_arn" {
  description = "Task role of the Dagster services (the code runs as it)."
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

output "dagster_pg_host" {
  value = module.dagster.dagster_pg_host
}

output "dagster_pg_port" {
  value = module.dagster.dagster_pg_port
}

output "dagster_pg_db" {
  value = module.dagster.dagster_pg_db
}

output "dagster_pg_user" {
  value = module.dagster.dagster_pg_user
}

output "dagster_pg_secret_arn" {
  description = "Secret whose `password` is DAGSTER_PG_PASSWORD (never a Terraform output)."
  value       = module.dagster.pg_secret_arn
}

output "dagster_compute_logs_bucket" {
  value = module.storage.artifacts_bucket
}

output "dagster_compute_logs_prefix" {
  value = module.storage.compute_logs_prefix
}

output "dagster_ecr_repository_url" {
  description = "Where `docker push` sends the image (docs/deploy.md)."
  value       = module.dagster.ecr_repository_url
}

output "dagster_cluster" {
  value = module.dagster.cluster_name
}

output "dagster_webserver_service" {
  value = module.dagster.webserver_service
}

output "dagster_daemon_service" {
  value = module.dagster.daemon_service
}

output "dagster_daemon_task_definition" {
  description = "Task family for one-off commands such as `dagster schedule start`."
  value       = module.dagster.daemon_task_definition
}

output "dagster_webserver_url" {
  description = "The UI, reachable from inside the VPC."
  value       = module.dagster.webserver_url
}
