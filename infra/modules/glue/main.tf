# The silver Glue job (Glue 5: Spark 3.5, Python 3.11) and the catalog of silver tables that
# Redshift Spectrum queries.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  region  = data.aws_region.current.name

  # Keys written by `python -m ecom_platform.deploy glue-artifacts` (ecom_platform/deploy.py).
  artifacts_uri    = "s3://${var.artifacts_bucket}"
  entry_script_key = "glue/glue_entry.py"
  wheel_key        = "glue/ecom_platform-${var.ecom_platform_version}-py3-none-any.whl"

  # Generated from ecom_platform/lib/ by `python -m ecom_platform.codegen` (make codegen).
  silver_tables = jsondecode(file("${path.module}/silver_tables.json"))
  lake_tables   = jsondecode(file("${path.module}/lake_tables.json"))
}

# ---------------------------------------------------------------- job

resource "aws_glue_job" "silver" {
  name                   = var.job_name
  role_arn               = var.job_role_arn
  glue_version           = "5.0"
  worker_type            = var.worker_type
  number_of_workers      = var.number_of_workers
  timeout                = var.timeout_minutes
  max_retries            = 0 # Dagster owns retries: a retried run must be a new Pipes session
  security_configuration = aws_glue_security_configuration.this.name

  command {
    name            = "glueetl"
    python_version  = "3"
    script_location = "${local.artifacts_uri}/${local.entry_script_key}"
  }

  execution_property {
    max_concurrent_runs = var.max_concurrent_runs
  }

  default_arguments = {
    "--job-language" = "python"
    # The platform tracks processed files and partitions itself.
    "--job-bookmark-option" = "job-bookmark-disable"
    # Driver and executor logs stream to CloudWatch while the run lasts.
    "--enable-continuous-cloudwatch-log" = "true"
    "--enable-metrics"                   = "true"
    "--enable-glue-datacatalog"          = "true"
    "--TempDir"                          = "${local.artifacts_uri}/glue/tmp/"
    # Each published silver/quarantine partition moves to its new version in this database.
    "--catalog_database" = aws_glue_catalog_database.silver.name
    # --no-deps: the wheel's own requirements (dagster, dbt, pyspark...) must not replace
    # Glue's Spark; the job needs only the package and dagster-pipes, listed explicitly.
    "--additional-python-modules"       = "${local.artifacts_uri}/${local.wheel_key},dagster-pipes==${var.dagster_pipes_version}"
    "--python-modules-installer-option" = "--no-deps"
  }
}

resource "aws_glue_security_configuration" "this" {
  name = "${var.name_prefix}-silver"

  encryption_configuration {
    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = var.data_kms_key_arn
    }
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "SSE-KMS"
      kms_key_arn                = aws_kms_key.logs.arn
    }
    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = var.data_kms_key_arn
    }
  }
}

# CloudWatch Logs encrypts the job's log groups with this key, so the logs service may use it,
# for Glue log groups of this account only.
resource "aws_kms_key" "logs" {
  description         = "${var.name_prefix} Glue job logs"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.logs_key.json
}

resource "aws_kms_alias" "logs" {
  name          = "alias/${var.name_prefix}-glue-logs"
  target_key_id = aws_kms_key.logs.key_id
}

data "aws_iam_policy_document" "logs_key" {
  #checkov:skip=CKV_AWS_109:A key policy's "*" resource is this key only; the account root is its administrator.
  #checkov:skip=CKV_AWS_111:A key policy's "*" resource is this key only; writes are limited to the account and the logs service.
  #checkov:skip=CKV_AWS_356:A key policy's "*" resource is this key only.
  statement {
    sid       = "AccountAdministersKey"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${local.account}:root"]
    }
  }
  statement {
    sid = "CloudWatchLogsEncryptsGlueLogs"
    actions = [
      "kms:Encrypt*",
      "kms:Decrypt*",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:Describe*",
    ]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:aws:logs:${local.region}:${local.account}:log-group:/aws-glue/*"]
    }
  }
}

# ---------------------------------------------------------------- catalog

resource "aws_glue_catalog_database" "silver" {
  name        = var.catalog_database
  description = "Silver tables of the e-commerce platform (Parquet under s3://${var.lake_bucket}/silver/)"
}

# One external table per entity over <lake>/silver/<entity>/dt=YYYY-MM-DD/. Redshift Spectrum
# does not support partition projection, so each run registers the dt= partitions it wrote.
resource "aws_glue_catalog_table" "silver" {
  for_each      = local.silver_tables
  name          = each.key
  database_name = aws_glue_catalog_database.silver.name
  table_type    = "EXTERNAL_TABLE"

  parameters = {
    EXTERNAL       = "TRUE"
    classification = "parquet"
  }

  partition_keys {
    name = "dt"
    type = "string"
  }

  storage_descriptor {
    location      = "s3://${var.lake_bucket}/silver/${each.key}/"
    input_format  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

    ser_de_info {
      serialization_library = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
      parameters = {
        "serialization.format" = "1"
      }
    }

    dynamic "columns" {
      for_each = each.value
      content {
        name = columns.value.name
        type = columns.value.type
      }
    }
  }
}

# The lake's bookkeeping beside silver, one table per layer over every entity:
# <lake>/<layer>/<entity>/dt=YYYY-MM-DD/ for quarantine, bronze_files and silver_stats. Their
# files hold entity and dt themselves, which a partition key may not repeat, so the keys have
# other names; each run registers its partitions by location (dbt add_spectrum_partitions).
resource "aws_glue_catalog_table" "lake" {
  for_each      = local.lake_tables
  name          = each.key
  database_name = aws_glue_catalog_database.silver.name
  table_type    = "EXTERNAL_TABLE"

  parameters = {
    EXTERNAL       = "TRUE"
    classification = "parquet"
  }

  dynamic "partition_keys" {
    for_each = each.value.partition_keys
    content {
      name = partition_keys.value.name
      type = partition_keys.value.type
    }
  }

  storage_descriptor {
    location      = "s3://${var.lake_bucket}/${each.key}/"
    input_format  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

    ser_de_info {
      serialization_library = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
      parameters = {
        "serialization.format" = "1"
      }
    }

    dynamic "columns" {
      for_each = each.value.columns
      content {
        name = columns.value.name
        type = columns.value.type
      }
    }
  }
}
