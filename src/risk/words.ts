/** How findings and reasons name things, in plain words ("role payments-api can now read data in kyc-docs (Restricted)"). */
import type { Capability } from '../iam/types.js'
import type { Principal, Resource, SourceLocation } from '../model/types.js'
import type { Classification } from './types.js'

export function principalLabel(p: Principal): string {
  switch (p.type) {
    case 'public':
      return 'everyone (public)'
    case 'account':
    case 'service':
    case 'federated':
      return p.name.startsWith(`${p.type} `) ? p.name : `${p.type} ${p.name}`
    default:
      return `${p.type} ${p.name}`
  }
}

const DATA_VERBS: Partial<Record<Capability, string>> = {
  'read-data': 'read',
  'write-data': 'write',
  'delete-data': 'delete',
}

/** `read and write data in kyc-docs (Restricted) and administer it`: capabilities as one phrase. */
export function accessPhrase(capabilities: readonly Capability[], resource: string): string {
  const verbs = capabilities.map((c) => DATA_VERBS[c]).filter((v) => v !== undefined)
  const parts: string[] = []
  if (verbs.length > 0) parts.push(`${joinWords(verbs)} data in ${resource}`)
  const first = (text: string): string => (parts.length === 0 ? `${text} ${resource}` : `${text} it`)
  if (capabilities.includes('administer-resource')) parts.push(first('administer'))
  if (capabilities.includes('use-resource')) parts.push(first('use'))
  if (capabilities.includes('read-config')) parts.push(first('read the configuration of'))
  return parts.join(' and ')
}

export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? ''
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`
}

export function resourceLabel(r: Resource, c?: Classification): string {
  return c?.value != null ? `${r.name} (${c.value})` : r.name
}

/** A contract location from a model location, without undefined fields. */
export function locationOf(l: SourceLocation | undefined): { file: string; line?: number } | undefined {
  if (l === undefined) return undefined
  return l.line === undefined ? { file: l.file } : { file: l.file, line: l.line }
}
