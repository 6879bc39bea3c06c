project                              = "ecom-platform"
region                               = "eu-west-1"
availability_zones                   = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
vpc_cidr                             = "10.40.0.0/16"
glue_number_of_workers               = 2
redshift_base_capacity_rpus          = 8
redshift_daily_rpu_seconds_threshold = 57600 # 8 RPUs x 2 h
