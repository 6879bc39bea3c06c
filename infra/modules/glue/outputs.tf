output "job_name" {
  value = aws_glue_job.silver.name
}

output "catalog_database" {
  value = aws_glue_catalog_database.silver.name
}

output "catalog_database_arn" {
  value = aws_glue_catalog_database.silver.arn
}

output "logs_kms_key_arn" {
  value = aws_kms_key.logs.arn
}

# The tables whose partitions each silver publish moves to its new version (lib/lake.py
# VERSIONED_LAYERS): one per entity, and the quarantine table over every entity.
output "published_tables" {
  value = concat(keys(local.silver_tables), ["quarantine"])
}
