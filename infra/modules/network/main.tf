# A VPC with private subnets only: no internet gateway, no NAT. AWS services are reached
# through VPC endpoints; nothing accepts traffic from outside the VPC.

data "aws_ec2_managed_prefix_list" "s3" {
  name = "com.amazonaws.${var.region}.s3"
}

locals {
  # Interface endpoints the Dagster runtime and Redshift Spectrum call from private subnets;
  # ECS pulls the Dagster image through ecr.api and ecr.dkr (its layers through the S3 gateway)
  # and injects secrets through secretsmanager, so no task needs a NAT.
  interface_endpoints = toset(["glue", "logs", "sts", "secretsmanager", "ecr.api", "ecr.dkr"])
}

resource "aws_vpc" "this" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true # private DNS names of the interface endpoints
  tags = {
    Name = "${var.name_prefix}-vpc"
  }
}

# The default security group admits nothing, so a resource that forgets its own gets no traffic.
resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id
}

resource "aws_flow_log" "this" {
  vpc_id               = aws_vpc.this.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "${var.flow_logs_bucket_arn}/vpc-flow-logs/"
}

resource "aws_subnet" "private" {
  count                   = length(var.availability_zones)
  vpc_id                  = aws_vpc.this.id
  availability_zone       = var.availability_zones[count.index]
  cidr_block              = cidrsubnet(var.vpc_cidr, 4, count.index)
  map_public_ip_on_launch = false
  tags = {
    Name = "${var.name_prefix}-private-${var.availability_zones[count.index]}"
  }
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id
  tags = {
    Name = "${var.name_prefix}-private"
  }
}

resource "aws_route_table_association" "private" {
  count          = length(aws_subnet.private)
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

# ---------------------------------------------------------------- endpoints

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_vpc_endpoint" "interface" {
  for_each            = local.interface_endpoints
  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${var.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true
}

# ---------------------------------------------------------------- security groups

resource "aws_security_group" "endpoints" {
  name        = "${var.name_prefix}-endpoints"
  description = "Interface VPC endpoints: HTTPS from inside the VPC only"
  vpc_id      = aws_vpc.this.id

  ingress {
    description = "HTTPS from the VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }
}

resource "aws_security_group" "dagster" {
  #checkov:skip=CKV2_AWS_5:Attached to the ECS services and the database rule of modules/dagster; checkov does not follow it across modules.
  name        = "${var.name_prefix}-dagster"
  description = "Dagster runtime: may call Redshift, S3 and the AWS endpoints; accepts nothing"
  vpc_id      = aws_vpc.this.id
}

resource "aws_vpc_security_group_egress_rule" "dagster_to_s3" {
  security_group_id = aws_security_group.dagster.id
  description       = "HTTPS to S3 through the gateway endpoint"
  prefix_list_id    = data.aws_ec2_managed_prefix_list.s3.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "dagster_to_endpoints" {
  security_group_id            = aws_security_group.dagster.id
  description                  = "HTTPS to the Glue, CloudWatch Logs, STS, Secrets Manager and ECR endpoints"
  referenced_security_group_id = aws_security_group.endpoints.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}

resource "aws_vpc_security_group_egress_rule" "dagster_to_postgres" {
  security_group_id = aws_security_group.dagster.id
  description       = "Postgres of the Dagster instance (run and event storage) inside the VPC"
  cidr_ipv4         = var.vpc_cidr
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
}
