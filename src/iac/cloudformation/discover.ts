/**
 * Finding templates in a tree: any YAML or JSON file that is a CloudFormation template (it has
 * `AWSTemplateFormatVersion`, or `Resources` with `AWS::` types), wherever it is, and the stack
 * names a CDK cloud assembly (`cdk.out/manifest.json`) gives its templates.
 */
import { posix } from 'node:path'
import type { Coverage, LoaderOptions, Snapshot } from '../types.js'
import { isRecord } from './intrinsics.js'
import { type Parsed, parseTemplate } from './parse.js'

export interface Template {
  file: string
  stack: string
  parsed: Parsed
  root: Record<string, unknown>
}

/** CloudFormation itself takes at most 1 MB; beyond this a file is reported, not parsed. */
export const MAX_TEMPLATE_BYTES = 5_000_000

const EXTENSIONS = /\.(ya?ml|json|template|cfn)$/i
/** Files that are JSON or YAML but never templates; skipped without reading. */
const NOT_TEMPLATES =
  /(^|\/)(package(-lock)?\.json|tsconfig[^/]*\.json|cdk\.context\.json|cdk\.json|tree\.json|[^/]*\.assets\.json|\.github\/.*)$/

export function globToRegExp(glob: string): RegExp {
  let out = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '*' && glob[i + 1] === '*') {
      out += glob[i + 2] === '/' ? '(?:.*/)?' : '.*'
      i += glob[i + 2] === '/' ? 2 : 1
    } else if (c === '*') out += '[^/]*'
    else if (c === '?') out += '[^/]'
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${out}$`)
}

function selected(path: string, options: LoaderOptions): boolean {
  const include = (options.include ?? []).map(globToRegExp)
  const exclude = (options.exclude ?? []).map(globToRegExp)
  if (include.length > 0 && !include.some((g) => g.test(path))) return false
  return !exclude.some((g) => g.test(path))
}

/** Cheap look at the text: only files that may be templates are parsed at all. */
function mayBeTemplate(text: string): boolean {
  const head = text.slice(0, 200_000)
  return head.includes('AWSTemplateFormatVersion') || (head.includes('Resources') && head.includes('AWS::'))
}

export function isTemplate(root: unknown): root is Record<string, unknown> {
  if (!isRecord(root)) return false
  if (root.AWSTemplateFormatVersion !== undefined && root.AWSTemplateFormatVersion !== null) return true
  const resources = root.Resources
  return (
    isRecord(resources) &&
    Object.values(resources).some(
      (r) => isRecord(r) && typeof r.Type === 'string' && /^(AWS|Custom)::/.test(r.Type),
    )
  )
}

export function discoverTemplates(
  snapshot: Snapshot,
  options: LoaderOptions,
  coverage: Coverage,
): Template[] {
  const stacks = cdkStackNames(snapshot)
  const templates: Template[] = []
  for (const file of snapshot.paths()) {
    if (!EXTENSIONS.test(file) || NOT_TEMPLATES.test(file) || !selected(file, options)) continue
    const text = snapshot.read(file)
    if (text === undefined || !mayBeTemplate(text)) continue
    if (text.length > MAX_TEMPLATE_BYTES) {
      coverage.errors.push({
        file,
        message: `template of ${text.length} bytes is over the ${MAX_TEMPLATE_BYTES}-byte limit; not analysed`,
      })
      continue
    }
    const { parsed, errors } = parseTemplate(text)
    if (parsed === undefined) {
      // The first error only: the later ones are mostly consequences of it.
      for (const e of errors.slice(0, 1))
        coverage.errors.push({ file, ...(e.line !== undefined ? { line: e.line } : {}), message: e.message })
      continue
    }
    if (!isTemplate(parsed.root)) continue
    coverage.filesAnalyzed++
    templates.push({ file, stack: stacks.get(file) ?? stackName(file), parsed, root: parsed.root })
  }
  // Two templates with the same file name (input/x.yaml, output/x.json) keep distinct stack names.
  const counts = new Map<string, number>()
  for (const t of templates) counts.set(t.stack, (counts.get(t.stack) ?? 0) + 1)
  for (const t of templates)
    if ((counts.get(t.stack) ?? 0) > 1 && !stacks.has(t.file)) t.stack = t.file.replace(/\.[^./]+$/, '')
  return templates
}

function stackName(file: string): string {
  return posix.basename(file).replace(/(\.template)?\.(ya?ml|json|template|cfn)$/i, '')
}

/** Template path -> stack name, from every CDK cloud assembly manifest of the tree. */
function cdkStackNames(snapshot: Snapshot): Map<string, string> {
  const names = new Map<string, string>()
  for (const file of snapshot.paths()) {
    if (posix.basename(file) !== 'manifest.json') continue
    let manifest: unknown
    try {
      manifest = JSON.parse(snapshot.read(file) ?? '')
    } catch {
      continue
    }
    const artifacts = isRecord(manifest) && isRecord(manifest.artifacts) ? manifest.artifacts : {}
    for (const [id, artifact] of Object.entries(artifacts)) {
      if (
        !isRecord(artifact) ||
        artifact.type !== 'aws:cloudformation:stack' ||
        !isRecord(artifact.properties)
      )
        continue
      const { templateFile, stackName } = artifact.properties
      if (typeof templateFile !== 'string') continue
      const path = posix.join(posix.dirname(file), templateFile)
      names.set(path, typeof stackName === 'string' ? stackName : id)
    }
  }
  return names
}
