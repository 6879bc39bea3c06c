# `dagster_pg_*` and `dagster_compute_logs_*` are the environment variables of the same name in
# upper case that deploy/dagster.prod.yaml reads (the ECS tasks get them set).

output "dagster_pg_host" {
  value = aws_db_instance.dagster.address
}

output "dagster_pg_port" {
  value = aws_db_instance.dagster.port
}

output "dagster_pg_db" {
  value = aws_db_instance.dagster.db_name
}

output "dagster_pg_user" {
  value = aws_db_instance.dagster.username
}

output "pg_secret_arn" {
  description = "RDS-managed secret whose `password` is DAGSTER_PG_PASSWORD."
  value       = aws_db_instance.dagster.master_user_secret[0].secret_arn
}

output "ecr_repository_url" {
  value = aws_ecr_repository.dagster.repository_url
}

output "cluster_name" {
  value = aws_ecs_cluster.dagster.name
}

output "webserver_service" {
  value = aws_ecs_service.webserver.name
}

output "daemon_service" {
  value = aws_ecs_service.daemon.name
}

output "daemon_task_definition" {
  description = "Family of the daemon task: one-off commands (`dagster schedule start`) run it."
  value       = aws_ecs_task_definition.dagster["daemon"].family
}

output "webserver_url" {
  value = "http://${aws_service_discovery_service.webserver.name}.${aws_service_discovery_private_dns_namespace.dagster.name}:${local.web_port}"
}

output "execution_role_arn" {
  value = aws_iam_role.execution.arn
}
