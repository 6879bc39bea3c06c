# Redshift Serverless for gold: private, encrypted, SSL only, reading silver through Spectrum.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  region  = data.aws_region.current.name
}

resource "aws_redshiftserverless_namespace" "this" {
  namespace_name = "${var.name_prefix}-warehouse"
  db_name        = var.database_name
  admin_username = var.admin_username
  # Redshift generates the password and keeps it in Secrets Manager: it never sits in state.
  manage_admin_password            = true
  admin_password_secret_kms_key_id = var.kms_key_arn
  kms_key_id                       = var.kms_key_arn
  iam_roles                        = [aws_iam_role.spectrum.arn]
  default_iam_role_arn             = aws_iam_role.spectrum.arn
  log_exports                      = ["userlog", "connectionlog", "useractivitylog"]
}

resource "aws_redshiftserverless_workgroup" "this" {
  namespace_name       = aws_redshiftserverless_namespace.this.namespace_name
  workgroup_name       = "${var.name_prefix}-warehouse"
  base_capacity        = var.base_capacity_rpus
  subnet_ids           = var.subnet_ids
  security_group_ids   = [aws_security_group.redshift.id]
  publicly_accessible  = false
  enhanced_vpc_routing = true

  config_parameter {
    parameter_key   = "require_ssl"
    parameter_value = "true"
  }
}

# ---------------------------------------------------------------- network access

resource "aws_security_group" "redshift" {
  name        = "${var.name_prefix}-redshift"
  description = "Redshift Serverless workgroup: SQL from the Dagster runtime only"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "sql_from_dagster" {
  security_group_id            = aws_security_group.redshift.id
  description                  = "SQL from the Dagster runtime (dbt, Spectrum DDL)"
  referenced_security_group_id = var.client_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 5439
  to_port                      = 5439
}

resource "aws_vpc_security_group_egress_rule" "dagster_to_redshift" {
  security_group_id            = var.client_security_group_id
  description                  = "SQL to Redshift"
  referenced_security_group_id = aws_security_group.redshift.id
  ip_protocol                  = "tcp"
  from_port                    = 5439
  to_port                      = 5439
}

# Enhanced VPC routing keeps Spectrum's reads in the VPC: S3 via the gateway endpoint, the
# catalog via the Glue interface endpoint.
resource "aws_vpc_security_group_egress_rule" "spectrum_to_s3" {
  security_group_id = aws_security_group.redshift.id
  description       = "HTTPS to S3 through the gateway endpoint"
  prefix_list_id    = var.s3_prefix_list_id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "spectrum_to_glue" {
  security_group_id            = aws_security_group.redshift.id
  description                  = "HTTPS to the Glue Data Catalog endpoint"
  referenced_security_group_id = var.endpoints_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}

# ---------------------------------------------------------------- Spectrum role

resource "aws_iam_role" "spectrum" {
  name               = "${var.name_prefix}-redshift-spectrum"
  assume_role_policy = data.aws_iam_policy_document.spectrum_trust.json
}

data "aws_iam_policy_document" "spectrum_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["redshift.amazonaws.com", "redshift-serverless.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_iam_role_policy" "spectrum" {
  name   = "read-silver"
  role   = aws_iam_role.spectrum.id
  policy = data.aws_iam_policy_document.spectrum.json
}

# Silver and bookkeeping files (read only) and their catalog entries, nothing else of the lake.
data "aws_iam_policy_document" "spectrum" {
  statement {
    sid       = "ReadSilverFiles"
    actions   = ["s3:GetObject"]
    resources = ["${var.lake_bucket_arn}/silver/*"]
  }
  # The bookkeeping layers the data-quality models read (the glue module's lake tables;
  # tests/infra ties the list to ecom_platform/lib/lake.py).
  statement {
    sid     = "ReadLakeBookkeepingFiles"
    actions = ["s3:GetObject"]
    resources = [
      "${var.lake_bucket_arn}/quarantine/*",
      "${var.lake_bucket_arn}/bronze_files/*",
      "${var.lake_bucket_arn}/silver_stats/*",
    ]
  }
  statement {
    sid       = "ListLakeBookkeeping"
    actions   = ["s3:ListBucket"]
    resources = [var.lake_bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["quarantine/*", "bronze_files/*", "silver_stats/*"]
    }
  }
  statement {
    sid       = "LocateLake"
    actions   = ["s3:GetBucketLocation"]
    resources = [var.lake_bucket_arn]
  }
  statement {
    sid       = "ListSilver"
    actions   = ["s3:ListBucket"]
    resources = [var.lake_bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["silver/*"]
    }
  }
  statement {
    sid       = "DecryptLake"
    actions   = ["kms:Decrypt", "kms:DescribeKey"]
    resources = [var.kms_key_arn]
  }
  # Read the catalog, and register dt= partitions: `ALTER TABLE ... ADD PARTITION` (the dbt
  # operation add_spectrum_partitions) writes to the catalog with this role.
  statement {
    sid = "ReadSilverCatalogAddPartitions"
    actions = [
      "glue:GetDatabase",
      "glue:GetDatabases",
      "glue:GetTable",
      "glue:GetTables",
      "glue:GetPartition",
      "glue:GetPartitions",
      "glue:BatchGetPartition",
      "glue:CreatePartition",
      "glue:BatchCreatePartition",
    ]
    resources = [
      "arn:aws:glue:${local.region}:${local.account}:catalog",
      "arn:aws:glue:${local.region}:${local.account}:database/${var.glue_catalog_database}",
      "arn:aws:glue:${local.region}:${local.account}:table/${var.glue_catalog_database}/*",
    ]
  }
}
