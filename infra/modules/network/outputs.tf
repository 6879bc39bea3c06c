output "vpc_id" {
  value = aws_vpc.this.id
}

output "private_subnet_ids" {
  value = aws_subnet.private[*].id
}

output "endpoints_security_group_id" {
  value = aws_security_group.endpoints.id
}

output "s3_prefix_list_id" {
  description = "Managed prefix list of S3, for egress rules through the gateway endpoint."
  value       = data.aws_ec2_managed_prefix_list.s3.id
}

output "dagster_security_group_id" {
  description = "Attach to the Dagster runtime (ECS service or EC2) so it may reach Redshift, S3 and the endpoints."
  value       = aws_security_group.dagster.id
}
