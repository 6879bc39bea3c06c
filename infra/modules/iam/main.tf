# Least-privilege roles: the silver Glue job, and the Dagster runtime that starts it, runs
# bronze, exchanges Pipes files with the job and connects to Redshift (dbt).

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  region  = data.aws_region.current.name

  glue_job_arn = "arn:aws:glue:${local.region}:${local.account}:job/${var.glue_job_name}"
  catalog_arn  = "arn:aws:glue:${local.region}:${local.account}:catalog"
  database_arn = "arn:aws:glue:${local.region}:${local.account}:database/${var.glue_catalog_database}"
  tables_arn   = "arn:aws:glue:${local.region}:${local.account}:table/${var.glue_catalog_database}"
  catalog_arns = [local.catalog_arn, local.database_arn, "${local.tables_arn}/*"]
  # Glue authorises a partition call on the catalog, the database and the table.
  published_table_arns = concat(
    [local.catalog_arn, local.database_arn],
    [for table in var.glue_published_tables : "${local.tables_arn}/${table}"],
  )
  glue_log_groups = "arn:aws:logs:${local.region}:${local.account}:log-group:/aws-glue/*"

  # Reading a table and registering the dt= partitions a run wrote.
  catalog_partition_actions = [
    "glue:GetDatabase",
    "glue:GetTable",
    "glue:GetTables",
    "glue:GetPartition",
    "glue:GetPartitions",
    "glue:BatchGetPartition",
    "glue:CreatePartition",
    "glue:BatchCreatePartition",
    "glue:UpdatePartition",
  ]
}

# ---------------------------------------------------------------- Glue job

resource "aws_iam_role" "glue_job" {
  name               = "${var.name_prefix}-glue-job"
  assume_role_policy = data.aws_iam_policy_document.glue_trust.json
}

data "aws_iam_policy_document" "glue_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_iam_role_policy" "glue_job" {
  name   = "silver-job"
  role   = aws_iam_role.glue_job.id
  policy = data.aws_iam_policy_document.glue_job.json
}

data "aws_iam_policy_document" "glue_job" {
  statement {
    sid       = "ReadJobArtifacts"
    actions   = ["s3:GetObject"]
    resources = ["${var.artifacts_bucket_arn}/glue/*"]
  }
  statement {
    sid       = "GlueTempFiles"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${var.artifacts_bucket_arn}/glue/tmp/*"]
  }
  # Dagster Pipes: the run's context comes in, and its messages go out, under the lake's _pipes/.
  statement {
    sid       = "PipesFiles"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${var.lake_bucket_arn}/_pipes/*"]
  }
  statement {
    sid       = "ReadBronze"
    actions   = ["s3:GetObject"]
    resources = ["${var.lake_bucket_arn}/bronze/*", "${var.lake_bucket_arn}/bronze_files/*"]
  }
  # Every layer the job writes (ecom_platform.lib.lake.SILVER_JOB_WRITES; tests/infra compares):
  # output is staged under _staging/, copied into a new version of each silver/ and
  # quarantine/ partition, made current by a conditional PUT of the partition's _current
  # pointer; old versions are deleted; the run's counts go to silver_stats/, and the
  # orphan count's cache of each parent's keys to silver_keys/.
  statement {
    sid     = "WriteSilverLayers"
    actions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = [
      "${var.lake_bucket_arn}/silver/*",
      "${var.lake_bucket_arn}/quarantine/*",
      "${var.lake_bucket_arn}/silver_stats/*",
      "${var.lake_bucket_arn}/silver_keys/*",
      "${var.lake_bucket_arn}/_staging/*",
    ]
  }
  statement {
    sid       = "ListJobBuckets"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [var.lake_bucket_arn, var.artifacts_bucket_arn]
  }
  statement {
    sid       = "UseDataKey"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [var.data_kms_key_arn]
  }
  statement {
    sid       = "UseLogsKey"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [var.glue_logs_kms_key_arn]
  }
  statement {
    sid = "WriteJobLogs"
    actions = [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:AssociateKmsKey",
    ]
    resources = [local.glue_log_groups, "${local.glue_log_groups}:log-stream:*"]
  }
  # The catalog step of a publish (lib/glue_catalog.py): read the partition, create it like its
  # table or move it to the version just made current. Exactly the calls that step makes
  # (tests/infra/test_iam_lake_prefixes.py records them), on the published tables only.
  statement {
    sid       = "PublishCatalogPartitions"
    actions   = ["glue:GetTable", "glue:GetPartition", "glue:CreatePartition", "glue:UpdatePartition"]
    resources = local.published_table_arns
  }
  # PutMetricData has no resource-level permissions; the namespace condition scopes it.
  statement {
    sid       = "JobMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["Glue"]
    }
  }
}

# ---------------------------------------------------------------- Dagster runtime

resource "aws_iam_role" "dagster" {
  name               = "${var.name_prefix}-dagster"
  assume_role_policy = data.aws_iam_policy_document.dagster_trust.json
}

data "aws_iam_policy_document" "dagster_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = var.dagster_trusted_services
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_iam_role_policy" "dagster" {
  name   = "platform-runtime"
  role   = aws_iam_role.dagster.id
  policy = data.aws_iam_policy_document.dagster.json
}

data "aws_iam_policy_document" "dagster" {
  statement {
    sid       = "RunSilverJob"
    actions   = ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"]
    resources = [local.glue_job_arn]
  }
  statement {
    sid       = "SilverCatalogPartitions"
    actions   = local.catalog_partition_actions
    resources = local.catalog_arns
  }
  # Pipes' CloudWatch reader, and operators following a run from Dagster.
  statement {
    sid       = "ReadGlueLogs"
    actions   = ["logs:GetLogEvents", "logs:FilterLogEvents", "logs:DescribeLogStreams"]
    resources = [local.glue_log_groups, "${local.glue_log_groups}:log-stream:*"]
  }
  statement {
    sid       = "ReadLanding"
    actions   = ["s3:GetObject"]
    resources = ["${var.landing_bucket_arn}/*"]
  }
  # Bronze, its ledger and the Pipes context files (Dagster writes them, the Glue job reads).
  statement {
    sid       = "ReadWriteLake"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${var.lake_bucket_arn}/*"]
  }
  statement {
    sid       = "ListPlatformBuckets"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [var.landing_bucket_arn, var.lake_bucket_arn]
  }
  statement {
    sid       = "UseDataKey"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [var.data_kms_key_arn]
  }
  # S3ComputeLogManager (deploy/dagster.prod.yaml): stdout/stderr of every step, under one prefix.
  statement {
    sid       = "ComputeLogs"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${var.artifacts_bucket_arn}/${var.compute_logs_prefix}/*"]
  }
  statement {
    sid       = "ListComputeLogs"
    actions   = ["s3:ListBucket"]
    resources = [var.artifacts_bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.compute_logs_prefix}/*"]
    }
  }
  # dbt signs in as this role (database user IAMR:<role name>, profile method iam_role):
  # temporary credentials, never the admin secret (docs/architecture.md, Redshift credentials).
  statement {
    sid       = "RedshiftIamSignIn"
    actions   = ["redshift-serverless:GetCredentials"]
    resources = [var.redshift_workgroup_arn]
  }
}
