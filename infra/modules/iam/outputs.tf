output "glue_job_role_arn" {
  value = aws_iam_role.glue_job.arn
}

output "dagster_role_arn" {
  description = "Role of the Dagster runtime (daemon, webserver and run workers)."
  value       = aws_iam_role.dagster.arn
}

output "dagster_role_name" {
  value = aws_iam_role.dagster.name
}
