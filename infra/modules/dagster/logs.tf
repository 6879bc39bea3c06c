# CloudWatch log groups of the Dagster tasks (stdout and stderr of the webserver and daemon,
# and so of every run the daemon launches), encrypted with their own key.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  region    = data.aws_region.current.name
  log_group = "/ecs/${var.name_prefix}/dagster"
}

resource "aws_cloudwatch_log_group" "dagster" {
  for_each          = toset(["webserver", "daemon"])
  name              = "${local.log_group}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}

resource "aws_kms_key" "logs" {
  description         = "${var.name_prefix} Dagster task logs"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.logs_key.json
}

resource "aws_kms_alias" "logs" {
  name          = "alias/${var.name_prefix}-dagster-logs"
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
    sid = "CloudWatchLogsEncryptsDagsterLogs"
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
      values   = ["arn:aws:logs:${local.region}:${local.account}:log-group:${local.log_group}/*"]
    }
  }
}
