# Dagster on ECS Fargate: one webserver service and one daemon service, both from the image in
# ECR, both loading the code in-process from workspace.yaml (no separate code-location
# service). The QueuedRunCoordinator (deploy/dagster.prod.yaml) makes the daemon the only
# launcher: runs are subprocesses of the daemon task (DefaultRunLauncher), so the daemon task
# is sized for them. Scaling out later means the EcsRunLauncher, not a change here.

locals {
  image    = "${aws_ecr_repository.dagster.repository_url}:${var.image_tag}"
  workdir  = "/app" # WORKDIR of the Dockerfile: workspace.yaml is read from there
  web_port = 3000

  # What the image reads besides the platform settings (deploy/dagster.prod.yaml, settings.py).
  dagster_settings = {
    ecom_target                 = "aws"
    ecom_start_date             = var.start_date
    dagster_pg_host             = aws_db_instance.dagster.address
    dagster_pg_port             = tostring(aws_db_instance.dagster.port)
    dagster_pg_db               = aws_db_instance.dagster.db_name
    dagster_pg_user             = aws_db_instance.dagster.username
    dagster_compute_logs_bucket = var.compute_logs_bucket
    dagster_compute_logs_prefix = var.compute_logs_prefix
  }
  environment = [
    for name, value in merge(var.platform_settings, local.dagster_settings) :
    { name = upper(name), value = tostring(value) }
  ]
  # ECS reads these at task start; the execution role may read exactly these secrets.
  injected_secrets = [
    { name = "DAGSTER_PG_PASSWORD", valueFrom = "${aws_db_instance.dagster.master_user_secret[0].secret_arn}:password::" },
  ]

  containers = {
    webserver = {
      name             = "webserver"
      image            = local.image
      essential        = true
      workingDirectory = local.workdir
      command          = ["dagster-webserver", "-h", "0.0.0.0", "-p", "3000", "-w", "workspace.yaml"]
      portMappings     = [{ containerPort = local.web_port, protocol = "tcp" }]
      environment      = local.environment
      secrets          = local.injected_secrets
      healthCheck = {
        command     = ["CMD", "python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:3000/server_info', timeout=5)"]
        interval    = 30
        timeout     = 10
        retries     = 3
        startPeriod = 120
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.dagster["webserver"].name
          awslogs-region        = local.region
          awslogs-stream-prefix = "webserver"
        }
      }
    }
    daemon = {
      name             = "daemon"
      image            = local.image
      essential        = true
      workingDirectory = local.workdir
      command          = ["dagster-daemon", "run", "-w", "workspace.yaml"]
      environment      = local.environment
      secrets          = local.injected_secrets
      stopTimeout      = 120 # let in-flight runs notice the shutdown; run monitoring fails the rest
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.dagster["daemon"].name
          awslogs-region        = local.region
          awslogs-stream-prefix = "daemon"
        }
      }
    }
  }
  sizes = {
    webserver = { cpu = var.webserver_cpu, memory = var.webserver_memory }
    daemon    = { cpu = var.daemon_cpu, memory = var.daemon_memory }
  }
}

resource "aws_ecs_cluster" "dagster" {
  name = "${var.name_prefix}-dagster"

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_task_definition" "dagster" {
  #checkov:skip=CKV_AWS_336:dbt writes target/ and logs/ inside the project and Dagster stages compute logs under DAGSTER_HOME at run time: the root file system must be writable.
  for_each                 = local.containers
  family                   = "${var.name_prefix}-dagster-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = local.sizes[each.key].cpu
  memory                   = local.sizes[each.key].memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = var.task_role_arn
  container_definitions    = jsonencode([each.value])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}

resource "aws_ecs_service" "webserver" {
  name                   = "${var.name_prefix}-dagster-webserver"
  cluster                = aws_ecs_cluster.dagster.id
  task_definition        = aws_ecs_task_definition.dagster["webserver"].arn
  desired_count          = 1
  launch_type            = "FARGATE"
  platform_version       = "LATEST"
  propagate_tags         = "SERVICE"
  enable_execute_command = false

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [var.dagster_security_group_id, aws_security_group.webserver.id]
    assign_public_ip = false
  }

  service_registries {
    registry_arn = aws_service_discovery_service.webserver.arn
  }
}

# Exactly one daemon at any time: a deployment stops the old task before starting the new.
resource "aws_ecs_service" "daemon" {
  name                               = "${var.name_prefix}-dagster-daemon"
  cluster                            = aws_ecs_cluster.dagster.id
  task_definition                    = aws_ecs_task_definition.dagster["daemon"].arn
  desired_count                      = 1
  launch_type                        = "FARGATE"
  platform_version                   = "LATEST"
  propagate_tags                     = "SERVICE"
  enable_execute_command             = false
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [var.dagster_security_group_id]
    assign_public_ip = false
  }
}

# ---------------------------------------------------------------- reaching the UI

resource "aws_security_group" "webserver" {
  name        = "${var.name_prefix}-dagster-webserver"
  description = "Dagster UI on port 3000 from inside the VPC (or the given networks)"
  vpc_id      = var.vpc_id

  ingress {
    description = "Dagster UI"
    from_port   = local.web_port
    to_port     = local.web_port
    protocol    = "tcp"
    cidr_blocks = coalesce(var.webserver_ingress_cidrs, [var.vpc_cidr])
  }
}

# A stable name for the webserver task, whose address changes with every deployment.
resource "aws_service_discovery_private_dns_namespace" "dagster" {
  name        = "dagster.${var.name_prefix}.internal"
  description = "Private names of the Dagster services"
  vpc         = var.vpc_id
}

resource "aws_service_discovery_service" "webserver" {
  name = "webserver"

  dns_config {
    namespace_id   = aws_service_discovery_private_dns_namespace.dagster.id
    routing_policy = "MULTIVALUE"
    dns_records {
      type = "A"
      ttl  = 10
    }
  }
}
