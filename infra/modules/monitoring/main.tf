# Alerts: failed silver Glue runs and Redshift usage above budget go to one SNS topic.

data "aws_caller_identity" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
}

# ---------------------------------------------------------------- topic

resource "aws_sns_topic" "alerts" {
  name              = "${var.name_prefix}-alerts"
  kms_master_key_id = aws_kms_key.alerts.arn
}

resource "aws_sns_topic_subscription" "email" {
  for_each  = toset(var.alert_emails)
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = each.value
}

resource "aws_sns_topic_policy" "alerts" {
  arn    = aws_sns_topic.alerts.arn
  policy = data.aws_iam_policy_document.alerts_topic.json
}

# Only this stack's alarms and rule may publish.
data "aws_iam_policy_document" "alerts_topic" {
  statement {
    sid       = "CloudWatchAlarmsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alerts.arn]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values = [
        aws_cloudwatch_metric_alarm.glue_job_failed.arn,
        aws_cloudwatch_metric_alarm.redshift_usage.arn,
      ]
    }
  }
  statement {
    sid       = "GlueFailureRulePublishes"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alerts.arn]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.glue_job_failed.arn]
    }
  }
}

# An encrypted topic needs CloudWatch and EventBridge to be allowed to use its key.
resource "aws_kms_key" "alerts" {
  description         = "${var.name_prefix} alerts topic"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.alerts_key.json
}

resource "aws_kms_alias" "alerts" {
  name          = "alias/${var.name_prefix}-alerts"
  target_key_id = aws_kms_key.alerts.key_id
}

data "aws_iam_policy_document" "alerts_key" {
  #checkov:skip=CKV_AWS_109:A key policy's "*" resource is this key only; the account root is its administrator.
  #checkov:skip=CKV_AWS_111:A key policy's "*" resource is this key only; writes are limited to the account and the publishing services.
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
    sid       = "AlarmsAndRulesPublishEncrypted"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com", "events.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

# ---------------------------------------------------------------- failed Glue runs

# Glue publishes no "runs failed" metric; its job state-change events do carry the outcome.
# The rule forwards each failure (with run id and message) to the topic, and the alarm on the
# rule's TriggeredRules metric keeps a CloudWatch alarm state for dashboards.
resource "aws_cloudwatch_event_rule" "glue_job_failed" {
  name        = "${var.name_prefix}-glue-job-failed"
  description = "The silver Glue job ended FAILED, TIMEOUT or ERROR"
  event_pattern = jsonencode({
    source        = ["aws.glue"]
    "detail-type" = ["Glue Job State Change"]
    detail = {
      jobName = [var.glue_job_name]
      state   = ["FAILED", "TIMEOUT", "ERROR"]
    }
  })
}

resource "aws_cloudwatch_event_target" "glue_job_failed" {
  rule = aws_cloudwatch_event_rule.glue_job_failed.name
  arn  = aws_sns_topic.alerts.arn
  input_transformer {
    input_paths = {
      job     = "$.detail.jobName"
      run     = "$.detail.jobRunId"
      state   = "$.detail.state"
      message = "$.detail.message"
    }
    input_template = "\"Glue job <job> run <run> ended <state>: <message>\""
  }
}

resource "aws_cloudwatch_metric_alarm" "glue_job_failed" {
  alarm_name          = "${var.name_prefix}-glue-job-failed"
  alarm_description   = "A run of the silver Glue job ${var.glue_job_name} failed"
  namespace           = "AWS/Events"
  metric_name         = "TriggeredRules"
  dimensions          = { RuleName = aws_cloudwatch_event_rule.glue_job_failed.name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
}

# ---------------------------------------------------------------- Redshift usage

resource "aws_cloudwatch_metric_alarm" "redshift_usage" {
  alarm_name          = "${var.name_prefix}-redshift-daily-usage"
  alarm_description   = "Redshift Serverless used more RPU-seconds in a day than budgeted"
  namespace           = "AWS/Redshift-Serverless"
  metric_name         = "ComputeSeconds"
  dimensions          = { Workgroup = var.redshift_workgroup_name }
  statistic           = "Sum"
  period              = 86400
  evaluation_periods  = 1
  threshold           = var.redshift_daily_rpu_seconds_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
}
