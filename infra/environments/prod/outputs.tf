# The stack's outputs, unchanged: `terraform output` reads them here (docs/deploy.md).

output "ecom_landing_uri" {
  value = module.platform.ecom_landing_uri
}

output "ecom_lake_uri" {
  value = module.platform.ecom_lake_uri
}

output "ecom_artifacts_uri" {
  value = module.platform.ecom_artifacts_uri
}

output "aws_region" {
  value = module.platform.aws_region
}

output "ecom_glue_job_name" {
  value = module.platform.ecom_glue_job_name
}

output "ecom_glue_catalog_database" {
  value = module.platform.ecom_glue_catalog_database
}

output "ecom_redshift_host" {
  value = module.platform.ecom_redshift_host
}

output "ecom_redshift_port" {
  value = module.platform.ecom_redshift_port
}

output "ecom_redshift_database" {
  value = module.platform.ecom_redshift_database
}

output "ecom_redshift_spectrum_role_arn" {
  value = module.platform.ecom_redshift_spectrum_role_arn
}

output "redshift_admin_secret_arn" {
  value = module.platform.redshift_admin_secret_arn
}

output "dagster_role_arn" {
  value = module.platform.dagster_role_arn
}

output "dagster_security_group_id" {
  value = module.platform.dagster_security_group_id
}

output "private_subnet_ids" {
  value = module.platform.private_subnet_ids
}

output "alerts_topic_arn" {
  value = module.platform.alerts_topic_arn
}

output "dagster_pg_host" {
  value = module.platform.dagster_pg_host
}

output "dagster_pg_port" {
  value = module.platform.dagster_pg_port
}

output "dagster_pg_db" {
  value = module.platform.dagster_pg_db
}

output "dagster_pg_user" {
  value = module.platform.dagster_pg_user
}

output "dagster_pg_secret_arn" {
  value = module.platform.dagster_pg_secret_arn
}

output "dagster_compute_logs_bucket" {
  value = module.platform.dagster_compute_logs_bucket
}

output "dagster_compute_logs_prefix" {
  value = module.platform.dagster_compute_logs_prefix
}

output "dagster_ecr_repository_url" {
  value = module.platform.dagster_ecr_repository_url
}

output "dagster_cluster" {
  value = module.platform.dagster_cluster
}

output "dagster_webserver_service" {
  value = module.platform.dagster_webserver_service
}

output "dagster_daemon_service" {
  value = module.platform.dagster_daemon_service
}

output "dagster_daemon_task_definition" {
  value = module.platform.dagster_daemon_task_definition
}

output "dagster_webserver_url" {
  value = module.platform.dagster_webserver_url
}
