output "landing_bucket" {
  value = aws_s3_bucket.landing.bucket
}

output "lake_bucket" {
  value = aws_s3_bucket.lake.bucket
}

output "artifacts_bucket" {
  value = aws_s3_bucket.artifacts.bucket
}

output "logs_bucket" {
  value = aws_s3_bucket.logs.bucket
}

output "landing_bucket_arn" {
  value = aws_s3_bucket.landing.arn
}

output "lake_bucket_arn" {
  value = aws_s3_bucket.lake.arn
}

output "artifacts_bucket_arn" {
  value = aws_s3_bucket.artifacts.arn
}

output "logs_bucket_arn" {
  value = aws_s3_bucket.logs.arn
}

output "kms_key_arn" {
  description = "Customer-managed key of the data buckets, the Glue job output and Redshift."
  value       = aws_kms_key.data.arn
}

output "compute_logs_prefix" {
  description = "Key prefix in the artifacts bucket of Dagster's compute logs."
  value       = local.compute_logs_prefix
}
