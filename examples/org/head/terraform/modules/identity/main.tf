# identity: customer sign-up and KYC (know your customer) checks. Holds the identity documents.

variable "environment" {
  type = string
}

locals {
  name = "identity-${var.environment}"
  tags = { Application = "identity" }
}

resource "aws_s3_bucket" "kyc_docs" {
  bucket = "acme-identity-kyc-docs-${var.environment}"
  tags   = merge(local.tags, { Confidentiality = "Restricted" })
}

resource "aws_s3_bucket_policy" "kyc_docs" {
  bucket = aws_s3_bucket.kyc_docs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.kyc_docs.arn, "${aws_s3_bucket.kyc_docs.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_dynamodb_table" "customers" {
  name         = "${local.name}-customers"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "customer_id"
  attribute {
    name = "customer_id"
    type = "S"
  }
  tags = merge(local.tags, { Confidentiality = "Confidential" })
}

resource "aws_iam_role" "kyc_processor" {
  name = "${local.name}-kyc-processor"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy" "kyc_processor" {
  name = "kyc-processor"
  role = aws_iam_role.kyc_processor.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "KycDocuments"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject"]
        Resource = "${aws_s3_bucket.kyc_docs.arn}/*"
      },
      {
        Sid      = "Customers"
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"]
        Resource = aws_dynamodb_table.customers.arn
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "kyc_processor_logs" {
  role       = aws_iam_role.kyc_processor.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_lambda_function" "kyc_processor" {
  function_name = "${local.name}-kyc-processor"
  role          = aws_iam_role.kyc_processor.arn
  runtime       = "python3.12"
  handler       = "kyc.handler"
  filename      = "kyc.zip"
  tags          = local.tags
}
