# The task execution role: what ECS itself needs to start a task (pull the image, write its
# logs, inject its secrets). The code runs as the task role (iam module), never as this one.

resource "aws_iam_role" "execution" {
  name               = "${var.name_prefix}-dagster-execution"
  assume_role_policy = data.aws_iam_policy_document.execution_trust.json
}

data "aws_iam_policy_document" "execution_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "start-dagster-tasks"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

data "aws_iam_policy_document" "execution" {
  # GetAuthorizationToken has no resource-level permissions: the pulls below are scoped.
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    sid       = "PullDagsterImage"
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
    resources = [aws_ecr_repository.dagster.arn]
  }
  statement {
    sid     = "WriteTaskLogs"
    actions = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [
      "${aws_cloudwatch_log_group.dagster["webserver"].arn}:log-stream:*",
      "${aws_cloudwatch_log_group.dagster["daemon"].arn}:log-stream:*",
    ]
  }
  # Exactly the secrets of local.injected_secrets (tests/infra compares the two).
  statement {
    sid     = "ReadInjectedSecrets"
    actions = ["secretsmanager:GetSecretValue"]
    resources = [
      aws_db_instance.dagster.master_user_secret[0].secret_arn,
    ]
  }
  statement {
    sid       = "DecryptInjectedSecrets"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
  }
}
