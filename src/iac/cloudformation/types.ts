/**
 * What the loader knows of each CloudFormation resource type: the service, the property that names
 * it, what `Ref` returns and how its ARN is formed. One table, so that `!Ref X`, `!GetAtt X.Arn` and
 * the model resource always agree on the same string, symbolic or not.
 */

export interface Env {
  partition: string
  region: string
  account: string
  /** Configured parameter values (LoaderOptions.parameters), used before defaults. */
  parameters?: Record<string, string>
}

export interface TypeInfo {
  service: string
  /** Property holding the physical name; absent when CloudFormation always generates an id. */
  nameProp?: string
  /** Suffix of the generated-name symbol: `${KycBucket.BucketName}`. */
  nameAttr: string
  arn: (name: string, env: Env, path: string) => string
  /** What `Ref` returns. */
  ref: 'name' | 'arn' | 'url'
  /** Attributes other than `Arn`, from the name and ARN. */
  attrs?: Record<string, (name: string, arn: string, env: Env) => string>
  holdsData: boolean
  /** ARNs policies name separately that belong to the resource (objects, indexes, streams). */
  children?: (arn: string) => string[]
  principal?: 'role' | 'user' | 'group'
}

const regional =
  (service: string, form: (name: string) => string) =>
  (name: string, env: Env): string =>
    `arn:${env.partition}:${service}:${env.region}:${env.account}:${form(name)}`

const iam =
  (kind: string) =>
  (name: string, env: Env, path: string): string =>
    `arn:${env.partition}:iam::${env.account}:${kind}${path}${name}`

const lambdaFunction: TypeInfo = {
  service: 'lambda',
  nameProp: 'FunctionName',
  nameAttr: 'FunctionName',
  arn: regional('lambda', (n) => `function:${n}`),
  ref: 'name',
  holdsData: false,
}
const dynamoTable: TypeInfo = {
  service: 'dynamodb',
  nameProp: 'TableName',
  nameAttr: 'TableName',
  arn: regional('dynamodb', (n) => `table/${n}`),
  ref: 'name',
  attrs: { StreamArn: (_n, arn) => `${arn}/stream/\${StreamLabel}` },
  holdsData: true,
  children: (arn) => [`${arn}/index/*`, `${arn}/stream/*`],
}
const stateMachine: TypeInfo = {
  service: 'states',
  nameProp: 'StateMachineName',
  nameAttr: 'Name',
  arn: regional('states', (n) => `stateMachine:${n}`),
  ref: 'arn',
  attrs: { Name: (n) => n },
  holdsData: false,
}
const searchDomain: TypeInfo = {
  service: 'es',
  nameProp: 'DomainName',
  nameAttr: 'DomainName',
  arn: regional('es', (n) => `domain/${n}`),
  ref: 'name',
  attrs: { DomainArn: (_n, arn) => arn },
  holdsData: true,
  children: (arn) => [`${arn}/*`],
}

export const TYPES: Record<string, TypeInfo> = {
  'AWS::S3::Bucket': {
    service: 's3',
    nameProp: 'BucketName',
    nameAttr: 'BucketName',
    arn: (n, env) => `arn:${env.partition}:s3:::${n}`,
    ref: 'name',
    attrs: {
      DomainName: (n) => `${n}.s3.amazonaws.com`,
      RegionalDomainName: (n, _a, env) => `${n}.s3.${env.region}.amazonaws.com`,
    },
    holdsData: true,
    children: (arn) => [`${arn}/*`],
  },
  'AWS::S3::AccessPoint': {
    service: 's3',
    nameProp: 'Name',
    nameAttr: 'Name',
    arn: regional('s3', (n) => `accesspoint/${n}`),
    ref: 'name',
    attrs: { Name: (n) => n },
    holdsData: false,
    children: (arn) => [`${arn}/object/*`],
  },
  'AWS::DynamoDB::Table': dynamoTable,
  'AWS::DynamoDB::GlobalTable': dynamoTable,
  'AWS::Serverless::SimpleTable': dynamoTable,
  'AWS::SQS::Queue': {
    service: 'sqs',
    nameProp: 'QueueName',
    nameAttr: 'QueueName',
    arn: regional('sqs', (n) => n),
    ref: 'url',
    attrs: { QueueName: (n) => n },
    holdsData: true,
  },
  'AWS::SNS::Topic': {
    service: 'sns',
    nameProp: 'TopicName',
    nameAttr: 'TopicName',
    arn: regional('sns', (n) => n),
    ref: 'arn',
    attrs: { TopicName: (n) => n, TopicArn: (_n, arn) => arn },
    holdsData: true,
  },
  'AWS::KMS::Key': {
    service: 'kms',
    nameAttr: 'KeyId',
    arn: regional('kms', (n) => `key/${n}`),
    ref: 'name',
    attrs: { KeyId: (n) => n },
    holdsData: true,
  },
  'AWS::SecretsManager::Secret': {
    service: 'secretsmanager',
    nameProp: 'Name',
    nameAttr: 'Name',
    // Secrets Manager appends six random characters; a symbol stands for them so that `name-*` matches.
    arn: regional('secretsmanager', (n) => `secret:${n}-\${SecretSuffix}`),
    ref: 'arn',
    attrs: { Id: (_n, arn) => arn },
    holdsData: true,
  },
  'AWS::SSM::Parameter': {
    service: 'ssm',
    nameProp: 'Name',
    nameAttr: 'Name',
    arn: regional('ssm', (n) => `parameter/${n.replace(/^\//, '')}`),
    ref: 'name',
    holdsData: true,
  },
  'AWS::Kinesis::Stream': {
    service: 'kinesis',
    nameProp: 'Name',
    nameAttr: 'Name',
    arn: regional('kinesis', (n) => `stream/${n}`),
    ref: 'name',
    holdsData: true,
  },
  'AWS::Logs::LogGroup': {
    service: 'logs',
    nameProp: 'LogGroupName',
    nameAttr: 'LogGroupName',
    arn: regional('logs', (n) => `log-group:${n}`),
    ref: 'name',
    holdsData: true,
    children: (arn) => [`${arn}:*`],
  },
  'AWS::RDS::DBInstance': {
    service: 'rds',
    nameProp: 'DBInstanceIdentifier',
    nameAttr: 'DBInstanceIdentifier',
    arn: regional('rds', (n) => `db:${n}`),
    ref: 'name',
    holdsData: true,
  },
  'AWS::RDS::DBCluster': {
    service: 'rds',
    nameProp: 'DBClusterIdentifier',
    nameAttr: 'DBClusterIdentifier',
    arn: regional('rds', (n) => `cluster:${n}`),
    ref: 'name',
    holdsData: true,
  },
  'AWS::EFS::FileSystem': {
    service: 'elasticfilesystem',
    nameAttr: 'FileSystemId',
    arn: regional('elasticfilesystem', (n) => `file-system/${n}`),
    ref: 'name',
    attrs: { FileSystemId: (n) => n },
    holdsData: true,
  },
  'AWS::ECR::Repository': {
    service: 'ecr',
    nameProp: 'RepositoryName',
    nameAttr: 'RepositoryName',
    arn: regional('ecr', (n) => `repository/${n}`),
    ref: 'name',
    holdsData: true,
  },
  'AWS::OpenSearchService::Domain': searchDomain,
  'AWS::Elasticsearch::Domain': searchDomain,
  'AWS::Backup::BackupVault': {
    service: 'backup',
    nameProp: 'BackupVaultName',
    nameAttr: 'BackupVaultName',
    arn: regional('backup', (n) => `backup-vault:${n}`),
    ref: 'name',
    attrs: { BackupVaultName: (n) => n, BackupVaultArn: (_n, arn) => arn },
    holdsData: true,
  },
  'AWS::Events::EventBus': {
    service: 'events',
    nameProp: 'Name',
    nameAttr: 'Name',
    arn: regional('events', (n) => `event-bus/${n}`),
    ref: 'name',
    attrs: { Name: (n) => n },
    holdsData: false,
  },
  'AWS::ApiGateway::RestApi': {
    service: 'execute-api',
    nameAttr: 'RestApiId',
    arn: regional('execute-api', (n) => n),
    ref: 'name',
    attrs: { RestApiId: (n) => n },
    holdsData: false,
    children: (arn) => [`${arn}/*`],
  },
  'AWS::Lambda::Function': lambdaFunction,
  'AWS::Serverless::Function': lambdaFunction,
  'AWS::StepFunctions::StateMachine': stateMachine,
  'AWS::Serverless::StateMachine': stateMachine,
  'AWS::IAM::Role': {
    service: 'iam',
    nameProp: 'RoleName',
    nameAttr: 'RoleName',
    arn: iam('role'),
    ref: 'name',
    holdsData: false,
    principal: 'role',
  },
  'AWS::IAM::User': {
    service: 'iam',
    nameProp: 'UserName',
    nameAttr: 'UserName',
    arn: iam('user'),
    ref: 'name',
    holdsData: false,
    principal: 'user',
  },
  'AWS::IAM::Group': {
    service: 'iam',
    nameProp: 'GroupName',
    nameAttr: 'GroupName',
    arn: iam('group'),
    ref: 'name',
    holdsData: false,
    principal: 'group',
  },
  'AWS::IAM::ManagedPolicy': {
    service: 'iam',
    nameProp: 'ManagedPolicyName',
    nameAttr: 'ManagedPolicyName',
    arn: iam('policy'),
    ref: 'arn',
    attrs: { PolicyArn: (_n, arn) => arn },
    holdsData: false,
  },
  'AWS::IAM::InstanceProfile': {
    service: 'iam',
    nameProp: 'InstanceProfileName',
    nameAttr: 'InstanceProfileName',
    arn: iam('instance-profile'),
    ref: 'name',
    holdsData: false,
  },
}

/** Types kept as model resources (they hold data or carry a resource policy). */
export function isModelResource(type: string): boolean {
  const info = TYPES[type]
  return info !== undefined && info.service !== 'iam'
}
