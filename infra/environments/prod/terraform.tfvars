project                              = "ecom-platform"
region                               = "eu-west-1"
availability_zones                   = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
vpc_cidr                             = "10.50.0.0/16"
glue_number_of_workers               = 10
redshift_base_capacity_rpus          = 32
redshift_daily_rpu_seconds_threshold = 921600 # 32 RPUs x 8 h
alert_emails                         = []
