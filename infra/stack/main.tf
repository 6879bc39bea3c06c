# The whole platform for one environment. environments/dev and environments/prod call this
# module with their own terraform.tfvars; everything else lives here, once.

locals {
  name_prefix      = "${var.project}-${var.env}"
  glue_job_name    = "${local.name_prefix}-silver"
  catalog_database = "${replace(var.project, "-", "_")}_${var.env}_silver"
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
  source                    = "../modules/iam"
  name_prefix               = local.name_prefix
  landing_bucket_arn        = module.storage.landing_bucket_arn
  lake_bucket_arn           = module.storage.lake_bucket_arn
  artifacts_bucket_arn      = module.storage.artifacts_bucket_arn
  data_kms_key_arn          = module.storage.kms_key_arn
  glue_logs_kms_key_arn     = module.glue.logs_kms_key_arn
  glue_job_name             = local.glue_job_name
  glue_catalog_database     = local.catalog_database
  redshift_admin_secret_arn = module.redshift.admin_secret_arn
  dagster_trusted_services  = var.dagster_trusted_services
}

module "monitoring" {
  source                               = "../modules/monitoring"
  name_prefix                          = local.name_prefix
  glue_job_name                        = module.glue.job_name
  redshift_workgroup_name              = module.redshift.workgroup_name
  redshift_daily_rpu_seconds_threshold = var.redshift_daily_rpu_seconds_threshold
  alert_emails                         = var.alert_emails
}
