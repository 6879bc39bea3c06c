# The whole platform for one environment. environments/dev and environments/prod call this
# module with their own terraform.tfvars; everything else lives here, once.

locals {
  name_prefix      = "${var.project}-${var.env}"
  glue_job_name    = "${local.name_prefix}-silver"
  catalog_database = "${replace(var.project, "-", "_")}_${var.env}_silver"

  # The settings ecom_platform.settings reads for ECOM_TARGET=aws, by lower-case name: both the
  # outputs of the same names and the environment of the Dagster tasks come from this one map.
  platform_settings = {
    ecom_landing_uri                = "s3://${module.storage.landing_bucket}"
    ecom_lake_uri                   = "s3://${module.storage.lake_bucket}"
    aws_region                      = var.region
    ecom_glue_job_name              = module.glue.job_name
    ecom_glue_catalog_database      = module.glue.catalog_database
    ecom_redshift_host              = module.redshift.host
    ecom_redshift_port              = module.redshift.port
    ecom_redshift_database          = module.redshift.database
    ecom_redshift_spectrum_role_arn = module.redshift.spectrum_role_arn
  }
}

module "storage" {
  source      = "../modules/storage"
  name_prefix = local.name_prefix
}

module "network" {
  source               = "../modules/network"
  name_prefix          = local.name_prefix
  region               = var.region
  vpc_cidr             = var.vpc_cidr
  availability_zones   = var.availability_zones
  flow_logs_bucket_arn = module.storage.logs_bucket_arn
}

module "glue" {
  source            = "../modules/glue"
  name_prefix       = local.name_prefix
  job_name          = local.glue_job_name
  job_role_arn      = module.iam.glue_job_role_arn
  artifacts_bucket  = module.storage.artifacts_bucket
  lake_bucket       = module.storage.lake_bucket
  data_kms_key_arn  = module.storage.kms_key_arn
  catalog_database  = local.catalog_database
  number_of_workers = var.glue_number_of_workers
}

module "redshift" {
  source                      = "../modules/redshift"
  name_prefix                 = local.name_prefix
  base_capacity_rpus          = var.redshift_base_capacity_rpus
  kms_key_arn                 = module.storage.kms_key_arn
  vpc_id                      = module.network.vpc_id
  subnet_ids                  = module.network.private_subnet_ids
  client_security_group_id    = module.network.dagster_security_group_id
  endpoints_security_group_id = module.network.endpoints_security_group_id
  s3_prefix_list_id           = module.network.s3_prefix_list_id
  lake_bucket_arn             = module.storage.lake_bucket_arn
  glue_catalog_database       = local.catalog_database
}

module "iam" {
  source                   = "../modules/iam"
  name_prefix              = local.name_prefix
  landing_bucket_arn       = module.storage.landing_bucket_arn
  lake_bucket_arn          = module.storage.lake_bucket_arn
  artifacts_bucket_arn     = module.storage.artifacts_bucket_arn
  data_kms_key_arn         = module.storage.kms_key_arn
  glue_logs_kms_key_arn    = module.glue.logs_kms_key_arn
  glue_job_name            = local.glue_job_name
  glue_catalog_database    = local.catalog_database
  glue_published_tables    = module.glue.published_tables
  redshift_workgroup_arn   = module.redshift.workgroup_arn
  dagster_trusted_services = var.dagster_trusted_services
  compute_logs_prefix      = module.storage.compute_logs_prefix
}

module "dagster" {
  source                    = "../modules/dagster"
  name_prefix               = local.name_prefix
  vpc_id                    = module.network.vpc_id
  vpc_cidr                  = var.vpc_cidr
  subnet_ids                = module.network.private_subnet_ids
  dagster_security_group_id = module.network.dagster_security_group_id
  kms_key_arn               = module.storage.kms_key_arn
  task_role_arn             = module.iam.dagster_role_arn
  platform_settings         = local.platform_settings
  start_date                = var.ecom_start_date
  compute_logs_bucket       = module.storage.artifacts_bucket
  compute_logs_prefix       = module.storage.compute_logs_prefix
  image_tag                 = var.dagster_image_tag
  db_multi_az               = var.dagster_db_multi_az
}

module "monitoring" {
  source                               = "../modules/monitoring"
  name_prefix                          = local.name_prefix
  glue_job_name                        = module.glue.job_name
  redshift_workgroup_name              = module.redshift.workgroup_name
  redshift_daily_rpu_seconds_threshold = var.redshift_daily_rpu_seconds_threshold
  alert_emails                         = var.alert_emails
}
