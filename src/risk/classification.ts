/**
 * How sensitive a resource's data is, from its confidentiality tag (docs/rules.md "Data
 * classification"). Tag key and values are compared case-insensitively: `confidentiality=restricted`
 * written by hand must not slip past a reviewer.
 */
import type { Config } from '../config/types.js'
import type { Resource } from '../model/types.js'
import type { Classification } from './types.js'

/** Sensitivity order, for "downgraded" and "most sensitive": an untagged store counts as internal. */
export const LEVEL_RANK: Record<Classification['level'], number> = {
  public: 0,
  internal: 1,
  unclassified: 1,
  confidential: 2,
  restricted: 3,
}

/** The tag's value as written, found under any casing of the configured key. */
export function tagValue(tags: Record<string, string> | undefined, key: string): string | null {
  if (tags === undefined) return null
  const wanted = key.toLowerCase()
  for (const name of Object.keys(tags).sort()) {
    if (name.toLowerCase() === wanted) return tags[name] ?? null
  }
  return null
}

export function classify(resource: Resource, config: Config): Classification {
  const value = tagValue(resource.tags, config.confidentiality.tagKey)
  if (value === null) return { level: 'unclassified', value: null, confidential: false }
  const lower = value.trim().toLowerCase()
  const confidential = config.confidentiality.confidentialValues.map((v) => v.toLowerCase())
  const position = confidential.indexOf(lower)
  if (position >= 0) {
    // Values are listed most severe last: with two or more, the last one is the "restricted" tier.
    const restricted = confidential.length > 1 && position === confidential.length - 1
    return { level: restricted ? 'restricted' : 'confidential', value, confidential: true }
  }
  // Any other value (`Internal`, `Sensitive`, a typo) is a deliberate marking, but not confidential.
  return { level: lower === 'public' ? 'public' : 'internal', value, confidential: false }
}

/** A classifier bound to a configuration, with the results kept per resource. */
export function classifier(config: Config): (resource: Resource) => Classification {
  const cache = new Map<Resource, Classification>()
  return (resource) => {
    let found = cache.get(resource)
    if (found === undefined) {
      found = classify(resource, config)
      cache.set(resource, found)
    }
    return found
  }
}

/** The classification's name for reports: the tag value when tagged, else `unclassified`. */
export function classificationLabel(c: Classification): string {
  return c.value ?? 'unclassified'
}
