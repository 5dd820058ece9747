/**
 * SAM connectors (`AWS::Serverless::Connector` and the `Connectors` attribute of a resource): each
 * is rewritten into what the SAM translator generates for it, from SAM's own connector profiles
 * (data/sam-connector-profiles.json, Apache-2.0, see NOTICE): a managed policy on the source's or
 * the destination's role (`<Connector>Policy`), a queue or topic policy on the destination
 * (`<Connector>QueuePolicy`, `<Connector>TopicPolicy`), or a Lambda permission
 * (`<Connector><Category>LambdaPermission`).
 */
import { readFileSync } from 'node:fs'
import type { Coverage } from '../types.js'
import { isRecord, type Resolver } from './intrinsics.js'
import type { Value } from './parse.js'

const DATA = new URL('../../../data/sam-connector-profiles.json', import.meta.url)

interface Profile {
  Type: string
  Properties: { SourcePolicy?: boolean; AccessCategories: Record<string, Record<string, Value>> }
}
interface Profiles {
  Permissions: Record<string, Record<string, Profile>>
  CfnResourceProperties: Record<string, { Inputs?: Record<string, Value>; Outputs?: Record<string, Value> }>
}

let profiles: Profiles | undefined
function data(): Profiles {
  profiles ??= JSON.parse(readFileSync(DATA, 'utf8')) as Profiles
  return profiles
}

/** The CloudFormation type the translator turns a serverless resource into, for profile lookup. */
const SAM_TYPES: Record<string, string> = {
  'AWS::Serverless::Function': 'AWS::Lambda::Function',
  'AWS::Serverless::StateMachine': 'AWS::StepFunctions::StateMachine',
  'AWS::Serverless::SimpleTable': 'AWS::DynamoDB::Table',
  'AWS::Serverless::Api': 'AWS::ApiGateway::RestApi',
  'AWS::Serverless::HttpApi': 'AWS::ApiGatewayV2::Api',
  'AWS::Serverless::GraphQLApi': 'AWS::AppSync::GraphQLApi',
}

type Props = Record<string, Value>

/** One end of a connector: its type, the values profiles refer to, and its role when it has one. */
interface End {
  type: string
  values: Record<string, Value>
  role?: Value
}

/** A connector as written: standalone, or under a resource's `Connectors` attribute. */
export interface ConnectorSpec {
  id: string
  properties: Props
  condition?: Value
  line?: number
}

/** Connectors of the template, standalone and embedded, before any resource is rewritten. */
export function findConnectors(r: Resolver): ConnectorSpec[] {
  const found: ConnectorSpec[] = []
  for (const [id, resource] of Object.entries(r.t.resources)) {
    const line = r.lineOf(resource)
    const at = (spec: ConnectorSpec): ConnectorSpec => ({
      ...spec,
      ...(resource.Condition !== undefined ? { condition: resource.Condition } : {}),
      ...(line !== undefined ? { line: r.lineOf(spec.properties) ?? line } : {}),
    })
    if (resource.Type === 'AWS::Serverless::Connector' && isRecord(resource.Properties)) {
      found.push(at({ id, properties: resource.Properties }))
    }
    if (!isRecord(resource.Connectors)) continue
    for (const [name, connector] of Object.entries(resource.Connectors)) {
      if (!isRecord(connector) || !isRecord(connector.Properties)) continue
      const destinations = connector.Properties.Destination
      const list = Array.isArray(destinations) ? destinations : [destinations]
      list.forEach((destination, i) => {
        found.push(
          at({
            id: list.length > 1 ? `${id}${name}Destination${i}` : `${id}${name}`,
            properties: { ...(connector.Properties as Props), Source: { Id: id }, Destination: destination },
          }),
        )
      })
    }
  }
  return found
}

/**
 * Adds the resources the translator generates for each connector. `types` holds each logical id's
 * type as written (before serverless resources were rewritten).
 */
export function expandConnectors(
  r: Resolver,
  coverage: Coverage,
  connectors: ConnectorSpec[],
  types: Record<string, string>,
): void {
  for (const c of connectors) {
    const notAnalysed = (reason: string): void => {
      coverage.notAnalysed.push({
        file: r.t.file,
        ...(c.line !== undefined ? { line: c.line } : {}),
        what: `AWS::Serverless::Connector ${c.id}`,
        reason,
      })
    }
    const source = end(r, c.properties.Source, types)
    const destination = end(r, c.properties.Destination, types)
    if (source === undefined || destination === undefined) {
      notAnalysed('source or destination is neither an Id of the template nor a Type with an Arn')
      continue
    }
    const profile = data().Permissions[source.type]?.[destination.type]
    if (profile === undefined) {
      notAnalysed(`no SAM connector profile from ${source.type} to ${destination.type}`)
      continue
    }
    const permissions = [c.properties.Permissions].flat().filter((p) => typeof p === 'string')
    const categories = [...new Set(permissions)]
    const unknown = categories.filter((p) => profile.Properties.AccessCategories[p] === undefined)
    if (unknown.length > 0 || categories.length === 0) {
      r.error(`SAM connector ${c.id}: unsupported Permissions ${unknown.join(', ') || '(none)'}`, c.line)
      continue
    }
    const fill = substitute({ Source: source.values, Destination: destination.values })
    const add = (name: string, type: string, properties: Props): void => {
      const full: Record<string, Value> = { Type: type, Properties: properties }
      if (c.condition !== undefined) full.Condition = c.condition
      if (c.line !== undefined) {
        r.t.parsed.lines.set(full, c.line)
        if (isRecord(properties.PolicyDocument)) r.t.parsed.lines.set(properties.PolicyDocument, c.line)
      }
      r.t.resources[name] = full
    }
    const statements = (): Value[] =>
      categories.flatMap((p) => {
        const s = profile.Properties.AccessCategories[p]!.Statement
        return (Array.isArray(s) ? s : [s]).map((x) => fill(x))
      })
    const document = (): Value => ({ Version: '2012-10-17', Statement: statements() })
    switch (profile.Type) {
      case 'AWS_IAM_ROLE_MANAGED_POLICY': {
        const role = profile.Properties.SourcePolicy ? source.role : destination.role
        if (role === undefined) {
          r.unresolved(
            `SAM connector ${c.id}: the role of its ${profile.Properties.SourcePolicy ? 'source' : 'destination'}`,
            c.line,
          )
          break
        }
        add(`${c.id}Policy`, 'AWS::IAM::ManagedPolicy', { PolicyDocument: document(), Roles: [role] })
        break
      }
      case 'AWS_SQS_QUEUE_POLICY':
        add(`${c.id}QueuePolicy`, 'AWS::SQS::QueuePolicy', {
          PolicyDocument: document(),
          Queues: [destination.values.Url ?? destination.values.QueueUrl ?? destination.values.Arn!],
        })
        break
      case 'AWS_SNS_TOPIC_POLICY':
        add(`${c.id}TopicPolicy`, 'AWS::SNS::TopicPolicy', {
          PolicyDocument: document(),
          Topics: [destination.values.Arn!],
        })
        break
      case 'AWS_LAMBDA_PERMISSION':
        for (const p of categories) {
          const permission = profile.Properties.AccessCategories[p]!
          const properties: Props = {
            Action: permission.Action!,
            FunctionName: destination.values.Arn!,
            Principal: permission.Principal!,
          }
          if (permission.SourceArn !== undefined) properties.SourceArn = fill(permission.SourceArn, true)
          if (permission.SourceAccount !== undefined)
            properties.SourceAccount = fill(permission.SourceAccount, true)
          add(`${c.id}${p}LambdaPermission`, 'AWS::Lambda::Permission', properties)
        }
        break
      default:
        notAnalysed(`SAM connector profile type ${profile.Type}`)
    }
  }
}

/** An end given by `Id` (a resource of the template) or by `Type` and `Arn` (and `RoleName`, ...). */
function end(r: Resolver, spec: Value, types: Record<string, string>): End | undefined {
  if (!isRecord(spec)) return undefined
  if (typeof spec.Id === 'string') {
    const written = types[spec.Id]
    const resource = r.t.resources[spec.Id]
    if (written === undefined || resource === undefined) return undefined
    const type = SAM_TYPES[written] ?? written
    const cfn = data().CfnResourceProperties[type]
    const values: Record<string, Value> = {}
    for (const [name, output] of Object.entries(cfn?.Outputs ?? {})) {
      values[name] = replaceLogicalId(output, spec.Id)
    }
    values.Arn ??= { 'Fn::GetAtt': [spec.Id, 'Arn'] }
    values.Name ??= { Ref: spec.Id }
    values.ResourceId ??= values.Id ?? { Ref: spec.Id }
    const input = cfn?.Inputs?.Role
    const props = isRecord(resource.Properties) ? resource.Properties : {}
    const roleArn = typeof input === 'string' ? props[input] : undefined
    const role = roleArn === undefined ? undefined : roleName(roleArn)
    return { type, values, ...(role !== undefined ? { role } : {}) }
  }
  if (typeof spec.Type !== 'string') return undefined
  const type = SAM_TYPES[spec.Type] ?? spec.Type
  const values: Record<string, Value> = {}
  for (const key of ['Arn', 'Name', 'ResourceId', 'Qualifier', 'QueueUrl']) {
    if (spec[key] !== undefined) values[key] = spec[key]
  }
  if (values.QueueUrl !== undefined) values.Url = values.QueueUrl
  return { type, values, ...(spec.RoleName !== undefined ? { role: spec.RoleName } : {}) }
}

/** The role name (as `Roles` of a managed policy takes it) from a role ARN as written. */
function roleName(arn: Value): Value | undefined {
  if (isRecord(arn)) {
    const getAtt = arn['Fn::GetAtt']
    const parts = typeof getAtt === 'string' ? getAtt.split('.') : getAtt
    if (Array.isArray(parts) && parts.length === 2 && parts[1] === 'Arn' && typeof parts[0] === 'string')
      return { Ref: parts[0] }
    if (arn['Fn::If'] !== undefined && Array.isArray(arn['Fn::If']) && arn['Fn::If'].length === 3) {
      const [condition, yes, no] = arn['Fn::If']
      const a = roleName(yes!)
      const b = roleName(no!)
      return a === undefined || b === undefined ? undefined : { 'Fn::If': [condition!, a, b] }
    }
    return undefined
  }
  if (typeof arn === 'string' && arn.startsWith('arn:')) return arn.split('/').at(-1)
  return undefined
}

function replaceLogicalId(v: Value, id: string): Value {
  if (typeof v === 'string') return v.replaceAll('%{logicalId}', id)
  if (Array.isArray(v)) return v.map((x) => replaceLogicalId(x, id))
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceLogicalId(x, id)]))
  return v
}

/**
 * Replaces `%{Source.Arn}` and the like: a string that is only a placeholder becomes its value,
 * one with more text an `Fn::Sub` (as the translator writes it). With `sub`, a string is always
 * given to `Fn::Sub` (Lambda permission source ARNs hold `${AWS::Region}` as well).
 */
function substitute(ends: Record<string, Record<string, Value>>): (v: Value, sub?: boolean) => Value {
  const placeholder = (path: string): Value => {
    const [side, key] = path.split('.')
    return ends[side!]?.[key!] ?? `%{${path}}`
  }
  const fill = (v: Value, sub = false): Value => {
    if (typeof v === 'string') {
      const whole = /^%\{([A-Za-z]+\.[A-Za-z]+)\}$/.exec(v)
      if (whole !== null && !sub) return placeholder(whole[1]!)
      if (!v.includes('%{') && !sub) return v
      const variables: Record<string, Value> = {}
      const text = v.replace(/%\{([A-Za-z]+)\.([A-Za-z]+)\}/g, (_, side: string, key: string) => {
        variables[`${side}${key}`] = placeholder(`${side}.${key}`)
        return `\${${side}${key}}`
      })
      return { 'Fn::Sub': [text, variables] }
    }
    if (Array.isArray(v)) return v.map((x) => fill(x))
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]))
    return v
  }
  return fill
}
