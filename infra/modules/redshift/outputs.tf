output "host" {
  value = aws_redshiftserverless_workgroup.this.endpoint[0].address
}

output "port" {
  value = aws_redshiftserverless_workgroup.this.endpoint[0].port
}

output "database" {
  value = aws_redshiftserverless_namespace.this.db_name
}

output "admin_username" {
  value = aws_redshiftserverless_namespace.this.admin_username
}

output "admin_secret_arn" {
  description = "Secrets Manager secret with the admin `username` and `password`."
  value       = aws_redshiftserverless_namespace.this.admin_password_secret_arn
}

output "spectrum_role_arn" {
  value = aws_iam_role.spectrum.arn
}

output "workgroup_arn" {
  description = "dbt signs in with redshift-serverless:GetCredentials on it (IAM, no password)."
  value       = aws_redshiftserverless_workgroup.this.arn
}

output "workgroup_name" {
  value = aws_redshiftserverless_workgroup.this.workgroup_name
}
