/**
 * Agreement of our capability mapping with k9 Security's own tables, read from the corpus at run
 * time (never copied into the project).
 *
 * What "agree" means: k9 ships one TSV per capability, and an action can sit in more than one
 * (s3:PutBucketTagging is both administer-resource and write-data). So k9's answer for an action
 * is the set of capabilities whose files list it, and we agree when our set is exactly that set:
 * we include every capability k9 gives it and add none that k9 does not. The two
 * administer-resource files (`.tsv` for the bucket, `.object.tsv` an older list that policy.tf no
 * longer reads) both mean administer-resource, so an action in either counts as administer-resource.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { capabilitiesOf } from '../../src/iam/capabilities.js'
import { loadActionCatalog } from '../../src/iam/catalog.js'
import { CAPABILITIES, type Capability } from '../../src/iam/types.js'

export interface K9Disagreement {
  action: string
  k9: string[]
  ours: string[]
}

export interface K9Agreement {
  agreed: number
  total: number
  disagreements: K9Disagreement[]
}

const TSV_NAME = /^k9-access_capability\.([a-z-]+)(?:\.[a-z]+)?\.tsv$/

/** `corpusDir` is the corpus root, the k9 S3 module folder, or its `k9policy` folder. */
export function evalK9Agreement(corpusDir: string): K9Agreement {
  const dir = k9PolicyDir(corpusDir)
  const expected = new Map<string, Set<string>>()
  for (const file of readdirSync(dir).sort()) {
    const capability = TSV_NAME.exec(file)?.[1]
    if (capability === undefined) continue
    if (!(CAPABILITIES as readonly string[]).includes(capability)) {
      throw new Error(`${join(dir, file)}: ${capability} is not a capability`)
    }
    for (const line of readFileSync(join(dir, file), 'utf8').split(/\r?\n/)) {
      const action = line.trim()
      if (action === '') continue
      const set = expected.get(action) ?? new Set<string>()
      set.add(capability)
      expected.set(action, set)
    }
  }
  return compare(expected)
}

/**
 * The same check against k9-cdk's `capability_summary.json` (14 services, S3 included). Not a
 * target: for other services we depart from k9 on purpose (kms:Decrypt is use-resource, not
 * read-data; iam:PassRole use-resource, not administer-resource; tags are administer-resource).
 */
export function evalK9SummaryAgreement(corpusDir: string): K9Agreement {
  const file = [
    join(corpusDir, 'k9-cdk/resources/capability_summary.json'),
    join(corpusDir, 'resources/capability_summary.json'),
  ].find(existsSync)
  if (file === undefined) throw new Error(`no k9-cdk capability_summary.json under ${corpusDir}`)
  const summary: unknown = JSON.parse(readFileSync(file, 'utf8'))
  const expected = new Map<string, Set<string>>()
  for (const byCapability of Object.values(asRecord(summary, file))) {
    for (const [capability, actions] of Object.entries(asRecord(byCapability, file))) {
      if (!Array.isArray(actions)) throw new Error(`${file}: ${capability} is not a list`)
      for (const action of actions) {
        const set = expected.get(String(action)) ?? new Set<string>()
        set.add(capability)
        expected.set(String(action), set)
      }
    }
  }
  return compare(expected)
}

function compare(expected: Map<string, Set<string>>): K9Agreement {
  const catalog = loadActionCatalog()
  const disagreements: K9Disagreement[] = []
  for (const [action, k9Set] of [...expected].sort(([a], [b]) => a.localeCompare(b))) {
    const info = catalog.action(action)
    // An action k9 lists that the catalog no longer has cannot be mapped: a disagreement.
    const ours: Capability[] = info === undefined ? [] : capabilitiesOf(info)
    const k9 = CAPABILITIES.filter((c) => k9Set.has(c))
    if (ours.length !== k9.length || ours.some((c, i) => c !== k9[i])) {
      disagreements.push({ action, k9, ours: [...ours] })
    }
  }
  return { agreed: expected.size - disagreements.length, total: expected.size, disagreements }
}

function k9PolicyDir(corpusDir: string): string {
  const candidates = [
    join(corpusDir, 'k9-terraform-aws-s3-bucket', 'k9policy'),
    join(corpusDir, 'k9policy'),
    corpusDir,
  ]
  const dir = candidates.find((d) => existsSync(d) && readdirSync(d).some((f) => TSV_NAME.test(f)))
  if (dir === undefined) throw new Error(`no k9 capability TSVs under ${corpusDir}`)
  return dir
}

function asRecord(value: unknown, file: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${file}: expected an object`)
  }
  return value as Record<string, unknown>
}
