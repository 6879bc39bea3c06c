# The one image of every Dagster task (Dockerfile at the repository root).

resource "aws_ecr_repository" "dagster" {
  name                 = "${var.name_prefix}-dagster"
  image_tag_mutability = "IMMUTABLE" # a tag names one build: the task definitions pin it

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }
}

# Keep the latest images for rollbacks; untagged layers of failed pushes go after a week.
resource "aws_ecr_lifecycle_policy" "dagster" {
  repository = aws_ecr_repository.dagster.name
  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "untagged after 7 days"
        selection = {
          tagStatus   = "untagged"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = 7
        }
        action = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "keep the 30 latest images"
        selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 30 }
        action       = { type = "expire" }
      },
    ]
  })
}
