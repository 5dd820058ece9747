# payments-api: the ECS service that takes card payments and the Lambda that pays merchants out.

variable "environment" {
  type = string
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  name = "payments-api-${var.environment}"
  tags = { Application = "payments-api" }
}

resource "aws_dynamodb_table" "ledger" {
  name         = "${local.name}-ledger"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
  tags = merge(local.tags, { Confidentiality = "Confidential" })
}

resource "aws_sqs_queue" "payouts" {
  name = "${local.name}-payouts"
  tags = merge(local.tags, { Confidentiality = "Internal" })
}

resource "aws_secretsmanager_secret" "psp_api_key" {
  name = "${local.name}/psp-api-key"
  tags = merge(local.tags, { Confidentiality = "Restricted" })
}

data "aws_iam_policy_document" "ecs_tasks_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "task" {
  name               = "${local.name}-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
  tags               = local.tags
}

data "aws_iam_policy_document" "task" {
  statement {
    sid       = "Ledger"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"]
    resources = [aws_dynamodb_table.ledger.arn]
  }
  statement {
    sid       = "Payouts"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.payouts.arn]
  }
  statement {
    sid       = "KycDocuments"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::acme-identity-kyc-docs-${var.environment}/*"]
  }
  statement {
    sid       = "PspApiKey"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.psp_api_key.arn]
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "payments-api"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "payout_worker" {
  name               = "${local.name}-payout-worker"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "payout_worker_logs" {
  role       = aws_iam_role.payout_worker.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_iam_role_policy" "payout_worker" {
  name = "payout-worker"
  role = aws_iam_role.payout_worker.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ConsumePayouts"
        Effect   = "Allow"
        Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
        Resource = aws_sqs_queue.payouts.arn
      },
      {
        Sid      = "RecordPayouts"
        Effect   = "Allow"
        Action   = ["dynamodb:UpdateItem"]
        Resource = aws_dynamodb_table.ledger.arn
      },
    ]
  })
}

resource "aws_lambda_function" "payout_worker" {
  function_name = "${local.name}-payout-worker"
  role          = aws_iam_role.payout_worker.arn
  runtime       = "python3.12"
  handler       = "payout.handler"
  filename      = "payout.zip"
  tags          = local.tags
}

output "task_role_arn" {
  value = aws_iam_role.task.arn
}
