/**
 * SAM (`Transform: AWS::Serverless-2016-10-31`): serverless resources are rewritten into the plain
 * CloudFormation resources the SAM translator generates, with the same logical ids (`<Fn>Role`,
 * `<Fn>UrlPublicPermissions`, ...), and then loaded like any other template. So a SAM template and
 * its expanded form give the same model, and `!GetAtt MyFunctionRole.Arn` works in both.
 *
 * Policy templates (S3ReadPolicy, DynamoDBCrudPolicy, ...) come from SAM's own definitions,
 * shipped in data/sam-policy-templates.json (Apache-2.0, see NOTICE).
 */
import { readFileSync } from 'node:fs'
import { managedPolicyByName } from '../../iam/managedPolicies.js'
import type { Coverage } from '../types.js'
import { expandConnectors, findConnectors } from './connectors.js'
import { isRecord, type Resolver } from './intrinsics.js'
import type { Value } from './parse.js'

export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31'
const DATA = new URL('../../../data/sam-policy-templates.json', import.meta.url)

type Props = Record<string, Value>
type Definition = { Type: string; Properties: Props; Condition?: Value }

let templates: Record<string, { Definition: Value; Parameters?: Record<string, Value> }> | undefined

function policyTemplates(): NonNullable<typeof templates> {
  if (templates === undefined) {
    const data = JSON.parse(readFileSync(DATA, 'utf8')) as { Templates: NonNullable<typeof templates> }
    templates = data.Templates
  }
  return templates
}

/** Managed policies the translator adds for event sources that Lambda polls. */
const POLLER_POLICIES: Record<string, string> = {
  SQS: 'service-role/AWSLambdaSQSQueueExecutionRole',
  Kinesis: 'service-role/AWSLambdaKinesisExecutionRole',
  DynamoDB: 'service-role/AWSLambdaDynamoDBExecutionRole',
  MSK: 'service-role/AWSLambdaMSKExecutionRole',
}

/** Rewrites the serverless resources of a template in place; other resources are left as they are. */
export function expandSam(r: Resolver, coverage: Coverage): void {
  const resources = r.t.resources
  const globals =
    isRecord(r.t.parsed.root) && isRecord(r.t.parsed.root.Globals) ? r.t.parsed.root.Globals : {}
  // Connectors refer to resources by their type as written, so both are taken before rewriting.
  const connectors = findConnectors(r)
  const types = Object.fromEntries(
    Object.entries(resources).map(([id, resource]) => [id, String(resource.Type ?? '')]),
  )
  for (const [id, resource] of Object.entries(resources)) {
    const type = resource.Type
    if (typeof type !== 'string' || !type.startsWith('AWS::Serverless::')) continue
    const line = r.lineOf(resource)
    const own = isRecord(resource.Properties) ? resource.Properties : {}
    const kind = type.slice('AWS::Serverless::'.length)
    const global = isRecord(globals[kind]) ? globals[kind] : {}
    const props: Props = { ...global, ...own }
    const add = (name: string, definition: Definition): void => {
      const full: Record<string, Value> = { ...definition }
      if (resource.Condition !== undefined) full.Condition ??= resource.Condition
      if (line !== undefined) r.t.parsed.lines.set(full, line)
      resources[name] = full
    }
    if (kind === 'Function' || kind === 'StateMachine') {
      const service = kind === 'Function' ? 'lambda.amazonaws.com' : 'states.amazonaws.com'
      const generated = { 'Fn::GetAtt': [`${id}Role`, 'Arn'] }
      const conditional = conditionalRole(r, props.Role, generated)
      if (props.Role === undefined) add(`${id}Role`, role(r, id, service, props, line))
      else if (conditional !== undefined) {
        add(`${id}Role`, { ...role(r, id, service, props, line), Condition: conditional.condition })
      }
      const nameProp = kind === 'Function' ? 'FunctionName' : 'Name'
      const cfnName = kind === 'Function' ? 'FunctionName' : 'StateMachineName'
      const roleProp = kind === 'Function' ? 'Role' : 'RoleArn'
      add(id, {
        Type: kind === 'Function' ? 'AWS::Lambda::Function' : 'AWS::StepFunctions::StateMachine',
        Properties: {
          ...(props[nameProp] === undefined ? {} : { [cfnName]: props[nameProp] }),
          [roleProp]: conditional?.role ?? props.Role ?? generated,
        },
      })
      if (kind === 'Function') functionExtras(id, props, add)
      else stateMachineExtras(id, props, add)
    } else if (kind === 'SimpleTable') {
      add(id, {
        Type: 'AWS::DynamoDB::Table',
        Properties: props.TableName === undefined ? {} : { TableName: props.TableName },
      })
    } else if (kind === 'Connector') {
      delete resources[id] // expanded below
    } else if (kind === 'Api' || kind === 'Application') {
      coverage.notAnalysed.push({
        file: r.t.file,
        ...(line !== undefined ? { line } : {}),
        what: type,
        reason: 'SAM resource whose generated permissions are not modelled yet',
      })
    }
  }
  expandConnectors(r, coverage, connectors, types)
}

/**
 * `Role: !If [Cond, Arn, !Ref AWS::NoValue]` (or the other way round): the translator generates
 * the role under the condition where no role is given (`NOTCond`, which it adds to Conditions).
 */
function conditionalRole(
  r: Resolver,
  given: Value,
  generated: Value,
): { condition: string; role: Value } | undefined {
  if (!isRecord(given) || !Array.isArray(given['Fn::If']) || given['Fn::If'].length !== 3) return undefined
  const [condition, yes, no] = given['Fn::If']
  const noValue = (v: Value): boolean => isRecord(v) && v.Ref === 'AWS::NoValue'
  if (typeof condition !== 'string' || noValue(yes!) === noValue(no!)) return undefined
  if (noValue(yes!)) return { condition, role: { 'Fn::If': [condition, generated, no!] } }
  const negated = `NOT${condition}`
  r.t.conditions[negated] ??= { 'Fn::Not': [{ Condition: condition }] }
  return { condition: negated, role: { 'Fn::If': [condition, yes!, generated] } }
}

function role(r: Resolver, id: string, service: string, props: Props, line: number | undefined): Definition {
  const partition = r.env.partition
  const managed: Value[] =
    service === 'lambda.amazonaws.com'
      ? [`arn:${partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`]
      : []
  const inline: Value[] = []
  const policies =
    props.Policies === undefined ? [] : Array.isArray(props.Policies) ? props.Policies : [props.Policies]
  for (const entry of policies) {
    if (typeof entry === 'string') {
      const arn = entry.startsWith('arn:')
        ? entry
        : managedPolicyByName(entry)?.arn.replace(/^arn:aws:/, `arn:${partition}:`)
      if (arn === undefined) r.unresolved(`SAM policy ${entry} (not an AWS managed policy name)`, line)
      else if (!managed.includes(arn)) managed.push(arn)
    } else if (isRecord(entry) && entry.Statement !== undefined) {
      inline.push(inlinePolicy(id, inline.length, entry, line, r))
    } else if (
      isRecord(entry) &&
      Object.keys(entry).length === 1 &&
      policyTemplates()[Object.keys(entry)[0]!]
    ) {
      const name = Object.keys(entry)[0]!
      const document = fillTemplate(r, name, entry[name], line)
      if (document !== undefined) inline.push(inlinePolicy(id, inline.length, document, line, r))
    } else if (isRecord(entry)) managed.push(entry) // an intrinsic giving a managed policy ARN
  }
  for (const event of Object.values(isRecord(props.Events) ? props.Events : {})) {
    const type = isRecord(event) ? String(event.Type) : ''
    const poller = POLLER_POLICIES[type]
    const sqsSubscription =
      type === 'SNS' && isRecord(event) && isRecord(event.Properties) && event.Properties.SqsSubscription
    const path = poller ?? (sqsSubscription ? POLLER_POLICIES.SQS : undefined)
    const arn = path === undefined ? undefined : `arn:${partition}:iam::aws:policy/${path}`
    if (arn !== undefined && !managed.includes(arn)) managed.push(arn)
  }
  const properties: Props = {
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: [service] } }],
    },
    ManagedPolicyArns: managed,
    Policies: inline,
  }
  if (props.PermissionsBoundary !== undefined) properties.PermissionsBoundary = props.PermissionsBoundary
  if (props.RolePath !== undefined) properties.Path = props.RolePath
  return { Type: 'AWS::IAM::Role', Properties: properties }
}

function inlinePolicy(
  id: string,
  index: number,
  document: Value,
  line: number | undefined,
  r: Resolver,
): Value {
  const entry = { PolicyName: `${id}RolePolicy${index}`, PolicyDocument: document }
  if (line !== undefined && r.lineOf(document) === undefined && isRecord(document))
    r.t.parsed.lines.set(document, line)
  return entry
}

/** A policy template's definition with its parameters replaced by the values given. */
function fillTemplate(r: Resolver, name: string, given: Value, line: number | undefined): Value {
  const template = policyTemplates()[name]!
  const values = isRecord(given) ? given : {}
  const missing = Object.keys(template.Parameters ?? {}).filter((p) => values[p] === undefined)
  if (missing.length > 0) {
    r.error(`SAM policy template ${name} lacks parameter ${missing.join(', ')}`, line)
    return undefined
  }
  const fill = (v: Value): Value => {
    if (Array.isArray(v)) return v.map(fill)
    if (!isRecord(v)) return v
    if (typeof v.Ref === 'string' && Object.keys(v).length === 1 && Object.hasOwn(values, v.Ref))
      return values[v.Ref]
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]))
  }
  return fill(template.Definition)
}

/** Permissions, queues and URLs the translator generates for a function. */
function functionExtras(id: string, props: Props, add: (name: string, d: Definition) => void): void {
  const fn = { Ref: id }
  const url = isRecord(props.FunctionUrlConfig) ? props.FunctionUrlConfig : undefined
  if (url !== undefined) {
    add(`${id}Url`, {
      Type: 'AWS::Lambda::Url',
      Properties: { AuthType: url.AuthType, TargetFunctionArn: fn },
    })
    if (url.AuthType === 'NONE') {
      add(`${id}UrlPublicPermissions`, {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          Action: 'lambda:InvokeFunctionUrl',
          FunctionName: fn,
          FunctionUrlAuthType: 'NONE',
          Principal: '*',
        },
      })
      add(`${id}URLInvokeAllowPublicAccess`, {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          Action: 'lambda:InvokeFunction',
          FunctionName: fn,
          InvokedViaFunctionUrl: true,
          Principal: '*',
        },
      })
    }
  }
  for (const [name, event] of Object.entries(isRecord(props.Events) ? props.Events : {})) {
    if (!isRecord(event) || !isRecord(event.Properties)) continue
    const p = event.Properties
    const permission = (principal: string, extra: Props): void =>
      add(`${id}${name}Permission`, {
        Type: 'AWS::Lambda::Permission',
        Properties: { Action: 'lambda:InvokeFunction', FunctionName: fn, Principal: principal, ...extra },
      })
    if (event.Type === 'S3') permission('s3.amazonaws.com', { SourceAccount: { Ref: 'AWS::AccountId' } })
    else if (event.Type === 'SNS' && p.SqsSubscription) {
      // An existing queue (QueueUrl/QueueArn given) or one the translator creates.
      const given = isRecord(p.SqsSubscription) ? p.SqsSubscription : undefined
      const queue = `${id}${name}Queue`
      if (given === undefined) add(queue, { Type: 'AWS::SQS::Queue', Properties: {} })
      const policyId = given?.QueuePolicyLogicalId
      add(typeof policyId === 'string' ? policyId : `${queue}Policy`, {
        Type: 'AWS::SQS::QueuePolicy',
        Properties: {
          Queues: [given?.QueueUrl ?? { Ref: queue }],
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Action: 'sqs:SendMessage',
                Effect: 'Allow',
                Principal: '*',
                Resource: given?.QueueArn ?? { 'Fn::GetAtt': [queue, 'Arn'] },
                Condition: { ArnEquals: { 'aws:SourceArn': p.Topic } },
              },
            ],
          },
        },
      })
    } else if (event.Type === 'SNS') permission('sns.amazonaws.com', { SourceArn: p.Topic })
    else if (
      event.Type === 'Schedule' ||
      event.Type === 'CloudWatchEvent' ||
      event.Type === 'EventBridgeRule'
    ) {
      permission('events.amazonaws.com', { SourceArn: { 'Fn::GetAtt': [`${id}${name}`, 'Arn'] } })
    } else if (event.Type === 'Api' || event.Type === 'HttpApi') permission('apigateway.amazonaws.com', {})
  }
}

/** Services that the translator gives a role to start a state machine, by event type. */
const STATE_MACHINE_EVENTS: Record<string, string> = {
  Schedule: 'events.amazonaws.com',
  ScheduleV2: 'scheduler.amazonaws.com',
  CloudWatchEvent: 'events.amazonaws.com',
  EventBridgeRule: 'events.amazonaws.com',
  Api: 'apigateway.amazonaws.com',
}

/** The roles the translator generates for a state machine's events to start executions. */
function stateMachineExtras(id: string, props: Props, add: (name: string, d: Definition) => void): void {
  for (const [name, event] of Object.entries(isRecord(props.Events) ? props.Events : {})) {
    if (!isRecord(event) || typeof event.Type !== 'string') continue
    const service = STATE_MACHINE_EVENTS[event.Type]
    const given = isRecord(event.Properties) ? event.Properties : {}
    if (service === undefined || given.Role !== undefined || given.RoleArn !== undefined) continue
    const roleId = `${id}${name}Role`
    const properties: Props = {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: [service] } }],
      },
      Policies: [
        {
          PolicyName: `${roleId}StartExecutionPolicy`,
          PolicyDocument: {
            Statement: [{ Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: id } }],
          },
        },
      ],
    }
    if (props.PermissionsBoundary !== undefined) properties.PermissionsBoundary = props.PermissionsBoundary
    add(roleId, { Type: 'AWS::IAM::Role', Properties: properties })
  }
}
