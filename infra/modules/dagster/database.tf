# Postgres for Dagster's own storage (runs, event log, schedules and sensor cursors).
# RDS generates the master password and keeps it in Secrets Manager: it never sits in state.

resource "aws_db_subnet_group" "dagster" {
  name       = "${var.name_prefix}-dagster"
  subnet_ids = var.subnet_ids
}

resource "aws_db_parameter_group" "dagster" {
  name   = "${var.name_prefix}-dagster-pg16"
  family = "postgres16"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
  parameter {
    name  = "log_statement"
    value = "ddl"
  }
  parameter {
    name  = "log_min_duration_statement"
    value = "1000" # ms: slow queries only
  }
}

resource "aws_db_instance" "dagster" {
  #checkov:skip=CKV_AWS_118:Performance Insights and the exported logs cover this small metadata database; enhanced OS metrics would need one more role.
  identifier                          = "${var.name_prefix}-dagster"
  engine                              = "postgres"
  engine_version                      = "16"
  instance_class                      = var.db_instance_class
  allocated_storage                   = 20
  max_allocated_storage               = 100
  storage_type                        = "gp3"
  storage_encrypted                   = true
  kms_key_id                          = var.kms_key_arn
  db_name                             = "dagster"
  username                            = "dagster"
  manage_master_user_password         = true
  master_user_secret_kms_key_id       = var.kms_key_arn
  db_subnet_group_name                = aws_db_subnet_group.dagster.name
  parameter_group_name                = aws_db_parameter_group.dagster.name
  vpc_security_group_ids              = [aws_security_group.database.id]
  publicly_accessible                 = false
  multi_az                            = var.db_multi_az
  iam_database_authentication_enabled = true
  auto_minor_version_upgrade          = true
  backup_retention_period             = 7
  copy_tags_to_snapshot               = true
  deletion_protection                 = var.db_deletion_protection
  skip_final_snapshot                 = false
  final_snapshot_identifier           = "${var.name_prefix}-dagster-final"
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]
  performance_insights_enabled        = true
  performance_insights_kms_key_id     = var.kms_key_arn
}

resource "aws_security_group" "database" {
  name        = "${var.name_prefix}-dagster-db"
  description = "Dagster Postgres: connections from the Dagster tasks only"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "postgres_from_dagster" {
  security_group_id            = aws_security_group.database.id
  description                  = "Postgres from the Dagster tasks"
  referenced_security_group_id = var.dagster_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}
