# The prod environment: the platform stack (infra/stack) with this folder's terraform.tfvars.
# Everything but the values, the provider and the state backend lives in the stack.

module "platform" {
  source = "../../stack"

  project                              = var.project
  env                                  = "prod"
  region                               = var.region
  availability_zones                   = var.availability_zones
  vpc_cidr                             = var.vpc_cidr
  glue_number_of_workers               = var.glue_number_of_workers
  redshift_base_capacity_rpus          = var.redshift_base_capacity_rpus
  redshift_daily_rpu_seconds_threshold = var.redshift_daily_rpu_seconds_threshold
  alert_emails                         = var.alert_emails
  ecom_start_date                      = var.ecom_start_date
  dagster_image_tag                    = var.dagster_image_tag
  dagster_db_multi_az                  = var.dagster_db_multi_az
}
